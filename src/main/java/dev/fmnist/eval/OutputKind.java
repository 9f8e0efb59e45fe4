package dev.fmnist.eval;

/** What a model's class-score output holds. */
public enum OutputKind {
  /** Unnormalized scores; probabilities are their softmax. */
  LOGITS,
  /** Probabilities already: every value in [0, 1], each row summing to 1. */
  PROBABILITIES;

  /** Tolerance on a row sum for it to count as a probability distribution (float32 softmax). */
  public static final double ROW_SUM_TOLERANCE = 1e-3;

  /**
   * Decides from the values: {@link #PROBABILITIES} when every value lies in [0, 1] and every row
   * sums to 1 within {@link #ROW_SUM_TOLERANCE}, else {@link #LOGITS}.
   *
   * @param outputs {@code rows * classes} values, row by row
   * @param classes the number of classes, the row length
   * @return the kind
   */
  public static OutputKind detect(float[] outputs, int classes) {
    if (outputs.length == 0) {
      return LOGITS;
    }
    for (int off = 0; off + classes <= outputs.length; off += classes) {
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        float v = outputs[off + c];
        if (!(v >= 0f && v <= 1f)) {
          return LOGITS;
        }
        sum += v;
      }
      if (Math.abs(sum - 1.0) > ROW_SUM_TOLERANCE) {
        return LOGITS;
      }
    }
    return PROBABILITIES;
  }

  /**
   * Writes the probabilities of row {@code [off, off + classes)} of {@code outputs} into {@code dst}
   * from {@code dstOff}: the softmax of logits (computed in double precision), or probabilities
   * renormalized to sum to 1 (uniform if they sum to 0).
   *
   * @param outputs the raw outputs, row by row
   * @param off where the row starts
   * @param classes the row length
   * @param dst receives {@code classes} probabilities
   * @param dstOff where in {@code dst} they start
   */
  public void toProbabilities(float[] outputs, int off, int classes, double[] dst, int dstOff) {
    if (this == LOGITS) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        max = Math.max(max, outputs[off + c]);
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        sum += Math.exp(outputs[off + c] - max);
      }
      for (int c = 0; c < classes; c++) {
        dst[dstOff + c] = Math.exp(outputs[off + c] - max) / sum;
      }
    } else {
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        sum += outputs[off + c];
      }
      for (int c = 0; c < classes; c++) {
        dst[dstOff + c] = sum > 0 ? outputs[off + c] / sum : 1.0 / classes;
      }
    }
  }

  /**
   * Lower-case name for reports and JSON.
   *
   * @return {@code logits} or {@code probabilities}
   */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
