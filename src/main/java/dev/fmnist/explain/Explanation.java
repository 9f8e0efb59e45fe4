package dev.fmnist.explain;

import dev.fmnist.data.DatasetSpec;

/**
 * Where a model looked when it scored one class for one image.
 *
 * @param spec what the image is (size, channels)
 * @param image the input values in [0, 1], {@code spec.valuesPerImage()} of them
 * @param target the class explained
 * @param predicted the class the model predicts
 * @param probabilities the model's class probabilities
 * @param gradCam the Grad-CAM map upsampled to the image's {@code height x width} and scaled to [0,
 *     1], or null for a model without convolutions
 * @param saliency {@code |d score / d pixel|} (the largest over a pixel's channels) scaled to [0, 1],
 *     {@code height x width} values
 */
public record Explanation(
    DatasetSpec spec,
    float[] image,
    int target,
    int predicted,
    double[] probabilities,
    float[] gradCam,
    float[] saliency) {}
