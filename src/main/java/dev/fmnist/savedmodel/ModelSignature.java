package dev.fmnist.savedmodel;

import java.util.Map;

/**
 * The parts of a SavedModel signature a classifier needs, checked by {@link SavedModelInspector}
 * before any TensorFlow code runs.
 *
 * @param key the signature key, e.g. {@code serving_default}
 * @param methodName the signature's method, e.g. {@code tensorflow/serving/predict}
 * @param inputKey the image input's name in the signature, e.g. {@code images} or {@code
 *     keras_tensor}
 * @param inputTensor the graph tensor behind it, e.g. {@code images:0}
 * @param layout the input shape's layout
 * @param fixedBatch the batch size the input requires, or 0 when any size is accepted
 * @param classes the number of class scores the output gives per image
 * @param outputKey the class-score output's name in the signature, e.g. {@code logits}
 * @param outputTensor the graph tensor behind it
 * @param outputs every output of the signature, name to a description such as {@code float32
 *     [-1,10]}
 * @param tf2 whether the SavedModel carries a TF2 object graph (Keras {@code model.export} and
 *     {@code tf.saved_model.save} write one; TF1-style exporters such as TensorFlow Java's do not)
 */
public record ModelSignature(
    String key,
    String methodName,
    String inputKey,
    String inputTensor,
    ImageLayout layout,
    int fixedBatch,
    int classes,
    String outputKey,
    String outputTensor,
    Map<String, String> outputs,
    boolean tf2) {

  /**
   * Checks that images of {@code spec} fit this signature ({@link Classifier#requireFits}).
   *
   * @param model names the model in the message
   * @param spec the images to be fed
   * @throws dev.fmnist.ModelException naming what the model expects and what the images are
   */
  public void requireAccepts(dev.fmnist.data.DatasetSpec spec, java.nio.file.Path model) {
    Classifier.requireFits(layout, classes, spec, model);
  }

  /**
   * What a classifier of this signature takes and gives.
   *
   * @return its layout, fixed batch size, classes and description
   */
  public ClassifierIo io() {
    return new ClassifierIo(layout, fixedBatch, classes, describe());
  }

  /**
  /**
   * One line for reports, e.g. {@code serving_default: images float32 [-1,28,28,1] -> logits float32 [-1,10]}.
   *
   * @return the line, without a line break
   */
  public String describe() {
    String in = layout.describe();
    if (fixedBatch > 0) {
      in = "[" + fixedBatch + in.substring(in.indexOf(','));
    }
    return key + ": " + inputKey + " float32 " + in + " -> " + outputKey + " " + outputs.get(outputKey);
  }
}
