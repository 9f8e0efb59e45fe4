package dev.fmnist.data;

/**
 * An image file converted to a model's input: values in [0, 1], row-major with channels last.
 *
 * @param pixels {@code height * width * channels} values
 * @param width the original width in pixels
 * @param height the original height in pixels
 * @param inverted whether the file had a light background and was negated
 */
public record PreparedImage(float[] pixels, int width, int height, boolean inverted) {}
