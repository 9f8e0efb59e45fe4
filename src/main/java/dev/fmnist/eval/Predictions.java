package dev.fmnist.eval;

/**
 * A model's class scores for a set of labelled items, with the derived probabilities, predicted
 * classes and per-item negative log-likelihoods. Immutable.
 *
 * <p>The predicted class is the first index of the largest raw output, as {@code argmax} does.
 * For logits the probabilities are their softmax and the log-likelihood is computed in double
 * precision as {@code z[label] - logsumexp(z)}, so it never overflows. For probability outputs each
 * row is renormalized to sum to 1 and clipped to {@code [1e-15, 1 - 1e-15]} before the logarithm
 * (scikit-learn's historical {@code log_loss} clipping).
 */
public final class Predictions {
  /** The clipping applied to probabilities before taking their logarithm. */
  public static final double LOG_EPS = 1e-15;

  private final int classes;
  private final int[] labels;
  private final int[] predicted;
  private final double[] probabilities;
  private final double[] negLogLikelihood;
  private final OutputKind kind;
  /** The raw logits when the model outputs logits, else null. */
  private final float[] logits;

  private Predictions(int classes, int[] labels, float[] outputs, OutputKind kind) {
    this.classes = classes;
    this.labels = labels.clone();
    this.kind = kind;
    this.logits = kind == OutputKind.LOGITS ? outputs.clone() : null;
    int n = labels.length;
    this.predicted = new int[n];
    this.probabilities = new double[n * classes];
    this.negLogLikelihood = new double[n];
    for (int i = 0; i < n; i++) {
      int off = i * classes;
      int best = 0;
      for (int c = 1; c < classes; c++) {
        if (outputs[off + c] > outputs[off + best]) {
          best = c;
        }
      }
      predicted[i] = best;
      kind.toProbabilities(outputs, off, classes, probabilities, off);
      if (kind == OutputKind.LOGITS) {
        double max = outputs[off + best];
        double sum = 0;
        for (int c = 0; c < classes; c++) {
          sum += Math.exp(outputs[off + c] - max);
        }
        negLogLikelihood[i] = max + Math.log(sum) - outputs[off + labels[i]];
      } else {
        double p = Math.min(Math.max(probabilities[off + labels[i]], LOG_EPS), 1 - LOG_EPS);
        negLogLikelihood[i] = -Math.log(p);
      }
    }
  }

  /**
   * Wraps raw model outputs.
   *
   * @param labels the true class of each item
   * @param outputs {@code labels.length * classes} raw values, row by row
   * @param kind what the outputs are, or null to {@linkplain OutputKind#detect detect} it
   * @param classes the number of classes
   * @return the predictions
   * @throws IllegalArgumentException if the sizes disagree, a label is out of range, or an output
   *     is NaN or infinite
   */
  public static Predictions of(int classes, int[] labels, float[] outputs, OutputKind kind) {
    if (classes < 2) {
      throw new IllegalArgumentException("classes must be 2 or more, found " + classes);
    }
    if ((long) labels.length * classes != outputs.length) {
      throw new IllegalArgumentException(
          "expected " + (long) labels.length * classes + " outputs for " + labels.length
              + " items of " + classes + " classes, found " + outputs.length);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException(
            "label of item " + i + " must be in [0, " + classes + "), found " + labels[i]);
      }
    }
    for (int j = 0; j < outputs.length; j++) {
      if (!Float.isFinite(outputs[j])) {
        throw new IllegalArgumentException(
            "model output for item " + j / classes + " is " + outputs[j]);
      }
    }
    OutputKind k = kind != null ? kind : OutputKind.detect(outputs, classes);
    return new Predictions(classes, labels, outputs, k);
  }

  /**
   * The number of items.
   *
   * @return the number of items
   */
  public int size() {
    return labels.length;
  }

  /**
   * The number of classes.
   *
   * @return the number of classes
   */
  public int classes() {
    return classes;
  }

  /**
   * What the raw outputs were.
   *
   * @return the kind
   */
  public OutputKind kind() {
    return kind;
  }

  /**
   * The true class of item {@code i}.
   *
   * @param i the item, from 0
   * @return its label
   */
  public int label(int i) {
    return labels[i];
  }

  /**
   * The predicted class of item {@code i}.
   *
   * @param i the item, from 0
   * @return the most probable class (ties: the lower label)
   */
  public int predicted(int i) {
    return predicted[i];
  }

  /**
   * Whether item {@code i} was classified correctly.
   *
   * @param i the item, from 0
   * @return true when the prediction is the label
   */
  public boolean correct(int i) {
    return labels[i] == predicted[i];
  }

  /**
   * The probability the model gives class {@code c} for item {@code i}.
   *
   * @param i the item, from 0
   * @param c the class
   * @return the probability, in [0, 1]
   */
  public double probability(int i, int c) {
    return probabilities[i * classes + c];
  }

  /**
   * Whether the model gave logits (then {@link #logit} has them).
   *
   * @return true for logits
   */
  public boolean hasLogits() {
    return logits != null;
  }

  /**
   * The logit of class {@code c} for item {@code i}; only when {@link #hasLogits()}.
   *
   * @param i the item, from 0
   * @param c the class
   * @return the logit
   * @throws IllegalStateException when the model gave probabilities
   */
  public float logit(int i, int c) {
    if (logits == null) {
      throw new IllegalStateException("the model output probabilities, not logits");
    }
    return logits[i * classes + c];
  }

  /**
   * The probability of the predicted class of item {@code i}.
   *
   * @param i the item, from 0
   * @return the confidence, in [0, 1]
   */
  public double confidence(int i) {
    return probability(i, predicted[i]);
  }

  /**
   * {@code -log p(true class)} for item {@code i}.
   *
   * @param i the item, from 0
   * @return the negative log-likelihood, natural log
   */
  public double negLogLikelihood(int i) {
    return negLogLikelihood[i];
  }

  /**
   * A copy of the true labels.
   *
   * @return a new array
   */
  public int[] labels() {
    return labels.clone();
  }

  /**
   * A copy of the predicted labels.
   *
   * @return a new array
   */
  public int[] predictedLabels() {
    return predicted.clone();
  }

  /**
   * Whether the true class is among the {@code k} most probable ones. Ties are broken towards the
   * lower class index, as for the predicted class.
   *
   * @param i the item, from 0
   * @param k how many classes count
   * @return true when the label is among them
   */
  public boolean inTopK(int i, int k) {
    int label = labels[i];
    double pl = probability(i, label);
    int better = 0;
    for (int c = 0; c < classes; c++) {
      double p = probability(i, c);
      if (p > pl || (p == pl && c < label)) {
        better++;
      }
    }
    return better < k;
  }

  /**
   * The confusion matrix of these predictions.
   *
   * @return the matrix
   */
  public ConfusionMatrix confusionMatrix() {
    return ConfusionMatrix.of(classes, labels, predicted);
  }
}
