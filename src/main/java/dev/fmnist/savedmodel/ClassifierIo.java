package dev.fmnist.savedmodel;

/**
 * What a loaded classifier takes and gives, as its model declares it: the part of {@link
 * Classifier} that a SavedModel's signature and an ONNX model's graph both describe.
 *
 * @param layout the image input's layout, with the sizes it declares
 * @param fixedBatch the batch size the input requires, or 0 when any size is accepted
 * @param classes the number of classes the model scores
 * @param description the model's input and output in one line, for reports ({@link Classifier#describe})
 */
public record ClassifierIo(ImageLayout layout, int fixedBatch, int classes, String description) {}
