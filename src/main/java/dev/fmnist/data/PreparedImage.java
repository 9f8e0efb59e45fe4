package dev.fmnist.data;

/**
 * An image file converted to the Fashion-MNIST format: 28x28 grayscale, light item on black,
 * values in [0, 1].
 *
 * @param pixels 784 values, row by row
 * @param width the original width in pixels
 * @param height the original height in pixels
 * @param inverted whether the file had a light background and was negated
 */
public record PreparedImage(float[] pixels, int width, int height, boolean inverted) {}
