package dev.fmnist.eval;

import dev.fmnist.savedmodel.ModelInfo;
import dev.fmnist.savedmodel.PredictionTiming;

import java.util.List;

/**
 * Everything {@code fmnist evaluate} reports about one model on one labelled image set.
 *
 * @param model the model evaluated
 * @param split which images, e.g. {@code test}, or {@code images} for a folder of labelled files
 * @param dataset the name of the images' dataset, e.g. {@code fashion-mnist} or the folder read
 * @param classNames the name of each class, by label
 * @param predictions the model's outputs for each image
 * @param report precision, recall, F1 and support per class and averaged
 * @param calibration the reliability bins and expected calibration error
 * @param timing how long prediction took
 */
public record Evaluation(
    ModelInfo model,
    String split,
    String dataset,
    List<String> classNames,
    Predictions predictions,
    ClassificationReport report,
    Calibration calibration,
    PredictionTiming timing) {

  /**
   * Computes the metrics of the given predictions of images of an unnamed dataset.
   *
   * @param model the model evaluated
   * @param split the split's name, e.g. {@code test}
   * @param classNames the class names, by label
   * @param predictions the model's outputs and the true labels
   * @param timing how long the predictions took
   * @return the evaluation
   */
  public static Evaluation of(
      ModelInfo model,
      String split,
      List<String> classNames,
      Predictions predictions,
      PredictionTiming timing) {
    return of(model, split, "", classNames, predictions, timing);
  }

  /**
   * Computes the metrics of the given predictions of images of {@code dataset}.
   *
   * @param model the model evaluated
   * @param split the split's name, e.g. {@code test}
   * @param dataset the dataset's name, e.g. {@code fashion-mnist}
   * @param classNames the class names, by label
   * @param predictions the model's outputs and the true labels
   * @param timing how long the predictions took
   * @return the evaluation
   */
  public static Evaluation of(
      ModelInfo model,
      String split,
      String dataset,
      List<String> classNames,
      Predictions predictions,
      PredictionTiming timing) {
    if (classNames.size() != predictions.classes()) {
      throw new IllegalArgumentException(
          "expected " + predictions.classes() + " class names, found " + classNames.size());
    }
    return new Evaluation(
        model,
        split,
        dataset,
        List.copyOf(classNames),
        predictions,
        ClassificationReport.of(predictions.confusionMatrix()),
        Calibration.of(predictions),
        timing);
  }

  /**
   * What was evaluated, for titles: {@code the test split of fashion-mnist}, or {@code the images of
   * DIR} for a folder of labelled files.
   *
   * @return the description
   */
  public String describeImages() {
    String name = dataset.isEmpty() ? "the dataset" : dataset;
    return "images".equals(split) ? "the images of " + name : "the " + split + " split of " + name;
  }

  /**
   * The number of images.
   *
   * @return the number of images evaluated
   */
  public int count() {
    return predictions.size();
  }

  /**
   * The fraction classified correctly.
   *
   * @return the accuracy, in [0, 1]
   */
  public double accuracy() {
    return report.accuracy();
  }

  /**
   * The fraction whose true class is among the two most probable.
   *
   * @return the top-2 accuracy, in [0, 1]
   */
  public double top2Accuracy() {
    return Metrics.topKAccuracy(predictions, 2);
  }

  /**
   * The mean negative log-likelihood of the true classes (cross-entropy), natural log.
   *
   * @return the log loss
   */
  public double logLoss() {
    return Metrics.logLoss(predictions);
  }
}
