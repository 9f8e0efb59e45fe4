package dev.fmnist.eval;

import java.util.Arrays;

/**
 * Counts of (true class, predicted class) pairs: {@code count(t, p)} is the number of items of true
 * class {@code t} predicted as {@code p}. Rows are true classes, columns predicted classes, as in
 * scikit-learn's {@code confusion_matrix}. Immutable.
 */
public final class ConfusionMatrix {
  private final long[][] counts;

  private ConfusionMatrix(long[][] counts) {
    this.counts = counts;
  }

  /**
   * Builds the matrix from parallel label arrays.
   *
   * @param classes the number of classes
   * @param trueLabels the true class of each item
   * @param predictedLabels the predicted class of each item
   * @return the matrix
   * @throws IllegalArgumentException if the arrays differ in length or hold a label outside {@code
   *     [0, classes)}
   */
  public static ConfusionMatrix of(int classes, int[] trueLabels, int[] predictedLabels) {
    if (classes < 1) {
      throw new IllegalArgumentException("classes must be 1 or more, found " + classes);
    }
    if (trueLabels.length != predictedLabels.length) {
      throw new IllegalArgumentException(
          "label arrays differ in length: "
              + trueLabels.length
              + " true, "
              + predictedLabels.length
              + " predicted");
    }
    long[][] c = new long[classes][classes];
    for (int i = 0; i < trueLabels.length; i++) {
      c[check(trueLabels[i], classes, "true")][check(predictedLabels[i], classes, "predicted")]++;
    }
    return new ConfusionMatrix(c);
  }

  /**
   * Wraps a square matrix of counts (copied).
   *
   * @param counts rows = true class, columns = predicted class
   * @return the matrix
   * @throws IllegalArgumentException if it is not square or holds a negative count
   */
  public static ConfusionMatrix ofCounts(long[][] counts) {
    long[][] c = new long[counts.length][];
    for (int i = 0; i < counts.length; i++) {
      if (counts[i].length != counts.length) {
        throw new IllegalArgumentException(
            "confusion matrix must be square: row " + i + " has " + counts[i].length
                + " columns, expected " + counts.length);
      }
      for (long v : counts[i]) {
        if (v < 0) {
          throw new IllegalArgumentException("negative count " + v + " in row " + i);
        }
      }
      c[i] = counts[i].clone();
    }
    return new ConfusionMatrix(c);
  }

  private static int check(int label, int classes, String which) {
    if (label < 0 || label >= classes) {
      throw new IllegalArgumentException(
          which + " label must be in [0, " + classes + "), found " + label);
    }
    return label;
  }

  /**
   * The number of classes (rows and columns).
   *
   * @return the number of classes
   */
  public int classes() {
    return counts.length;
  }

  /**
   * Items of true class {@code trueClass} predicted as {@code predictedClass}.
   *
   * @param trueClass the row
   * @param predictedClass the column
   * @return the count
   */
  public long count(int trueClass, int predictedClass) {
    return counts[trueClass][predictedClass];
  }

  /**
   * All items counted.
   *
   * @return the sum of every cell
   */
  public long total() {
    long t = 0;
    for (long[] row : counts) {
      for (long v : row) {
        t += v;
      }
    }
    return t;
  }

  /**
   * Items of class {@code c} predicted as {@code c}.
   *
   * @param c the class
   * @return the diagonal cell
   */
  public long truePositives(int c) {
    return counts[c][c];
  }

  /**
   * Items whose true class is {@code c} (the row sum): scikit-learn's support.
   *
   * @param c the class
   * @return the row sum
   */
  public long support(int c) {
    long s = 0;
    for (long v : counts[c]) {
      s += v;
    }
    return s;
  }

  /**
   * Items predicted as {@code c} (the column sum).
   *
   * @param c the class
   * @return the column sum
   */
  public long predicted(int c) {
    long s = 0;
    for (long[] row : counts) {
      s += row[c];
    }
    return s;
  }

  /**
   * The fraction of items on the diagonal; 0 when the matrix is empty.
   *
   * @return the accuracy, in [0, 1]
   */
  public double accuracy() {
    long total = total();
    if (total == 0) {
      return 0.0;
    }
    long correct = 0;
    for (int c = 0; c < counts.length; c++) {
      correct += counts[c][c];
    }
    return (double) correct / total;
  }

  /**
   * A copy of the counts, rows = true class.
   *
   * @return a new array
   */
  public long[][] toArray() {
    long[][] copy = new long[counts.length][];
    for (int i = 0; i < counts.length; i++) {
      copy[i] = counts[i].clone();
    }
    return copy;
  }

  /**
   * Each row divided by its sum (the recall view); a row with no items stays all zero.
   *
   * @return the rows as fractions
   */
  public double[][] rowNormalized() {
    double[][] n = new double[counts.length][counts.length];
    for (int t = 0; t < counts.length; t++) {
      long s = support(t);
      for (int p = 0; p < counts.length && s > 0; p++) {
        n[t][p] = (double) counts[t][p] / s;
      }
    }
    return n;
  }

  /**
   * This matrix minus {@code other}, cell by cell (e.g. model B minus model A on the same images).
   *
   * @param other a matrix of the same size
   * @return the differences, a new array
   * @throws IllegalArgumentException if the sizes differ
   */
  public long[][] minus(ConfusionMatrix other) {
    if (other.classes() != classes()) {
      throw new IllegalArgumentException(
          "class counts differ: " + classes() + " and " + other.classes());
    }
    long[][] d = new long[counts.length][counts.length];
    for (int t = 0; t < counts.length; t++) {
      for (int p = 0; p < counts.length; p++) {
        d[t][p] = counts[t][p] - other.counts[t][p];
      }
    }
    return d;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfusionMatrix m && Arrays.deepEquals(counts, m.counts);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(counts);
  }

  @Override
  public String toString() {
    return "ConfusionMatrix" + Arrays.deepToString(counts);
  }
}
