package dev.fmnist.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Class probabilities of unlabelled images, as {@code fmnist predict} reports them.
 *
 * @param probabilities one row of class probabilities per image
 * @param kind what the model's raw output was
 */
public record ClassProbabilities(List<double[]> probabilities, OutputKind kind) {

  /** One class and its probability. */
  public record Ranked(int label, double probability) {}

  /**
   * Converts raw outputs ({@code count * classes} values), detecting their kind.
   *
   * @param outputs the raw outputs, row by row
   * @param classes the number of classes
   * @return the probabilities
   */
  public static ClassProbabilities of(float[] outputs, int classes) {
    OutputKind kind = OutputKind.detect(outputs, classes);
    List<double[]> rows = new ArrayList<>();
    for (int off = 0; off + classes <= outputs.length; off += classes) {
      double[] row = new double[classes];
      kind.toProbabilities(outputs, off, classes, row, 0);
      rows.add(row);
    }
    return new ClassProbabilities(List.copyOf(rows), kind);
  }

  /**
   * The {@code k} most probable classes of image {@code i}, most probable first (ties: lower label).
   *
   * @param i the image, from 0
   * @param k how many classes, at most the number of classes
   * @return the classes with their probabilities
   */
  public List<Ranked> top(int i, int k) {
    double[] p = probabilities.get(i);
    List<Ranked> all = new ArrayList<>();
    for (int c = 0; c < p.length; c++) {
      all.add(new Ranked(c, p[c]));
    }
    all.sort((a, b) -> Double.compare(b.probability(), a.probability()));
    return List.copyOf(all.subList(0, Math.min(k, all.size())));
  }
}
