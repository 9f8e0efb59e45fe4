package dev.fmnist.explain;

/**
 * Where a model looked when it scored one class for one image.
 *
 * @param image the 784 input values in [0, 1]
 * @param target the class explained
 * @param predicted the class the model predicts
 * @param probabilities the model's class probabilities
 * @param gradCam the Grad-CAM map upsampled to 28x28 and scaled to [0, 1], or null for a model
 *     without convolutions
 * @param saliency {@code |d score / d pixel|} scaled to [0, 1], 784 values
 */
public record Explanation(
    float[] image,
    int target,
    int predicted,
    double[] probabilities,
    float[] gradCam,
    float[] saliency) {}
