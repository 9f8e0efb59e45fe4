package dev.fmnist.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Several models evaluated on the same images: bootstrap intervals for each, McNemar's test for each
 * pair, and per-class recall changes and confusion-matrix differences against the first model (the
 * baseline).
 *
 * @param evaluations one per model, the baseline first
 * @param intervals bootstrap intervals, in the same order
 * @param pairs McNemar's test for every pair {@code i < j}
 * @param resamples bootstrap resamples drawn
 * @param seed the bootstrap seed
 */
public record ModelComparison(
    List<Evaluation> evaluations,
    List<Bootstrap.Intervals> intervals,
    List<Pair> pairs,
    int resamples,
    long seed) {

  /** McNemar's test between models {@code first} and {@code second} (indices). */
  public record Pair(int first, int second, McNemarTest test) {}

  /**
   * Compares the evaluations.
   *
   * @param evaluations the models' evaluations; the first is the baseline
   * @param resamples bootstrap resamples, &gt;= 1
   * @param seed seeds the bootstrap
   * @return the comparison
   * @throws IllegalArgumentException if there are fewer than two, or they are not of the same
   *     images
   */
  public static ModelComparison of(List<Evaluation> evaluations, int resamples, long seed) {
    if (evaluations.size() < 2) {
      throw new IllegalArgumentException(
          "need two or more models to compare, found " + evaluations.size());
    }
    List<Pair> pairs = new ArrayList<>();
    for (int i = 0; i < evaluations.size(); i++) {
      for (int j = i + 1; j < evaluations.size(); j++) {
        pairs.add(new Pair(i, j, McNemarTest.of(
            evaluations.get(i).predictions(), evaluations.get(j).predictions())));
      }
    }
    List<Bootstrap.Intervals> intervals =
        Bootstrap.of(evaluations.stream().map(Evaluation::predictions).toList(), resamples, seed,
            0.95);
    return new ModelComparison(List.copyOf(evaluations), intervals, List.copyOf(pairs), resamples,
        seed);
  }

  /**
   * The baseline, the first model.
   *
   * @return the first evaluation
   */
  public Evaluation baseline() {
    return evaluations.get(0);
  }

  /**
   * Model {@code m}'s confusion matrix minus the baseline's.
   *
   * @param m the model's index, from 0
   * @return the difference, rows = true class
   */
  public long[][] differenceFromBaseline(int m) {
    return evaluations.get(m).report().confusionMatrix()
        .minus(baseline().report().confusionMatrix());
  }

  /**
   * Model {@code m}'s recall of class {@code c} minus the baseline's.
   *
   * @param m the model's index, from 0
   * @param c the class
   * @return the difference, in [-1, 1]
   */
  public double recallChange(int m, int c) {
    return evaluations.get(m).report().of(c).recall() - baseline().report().of(c).recall();
  }
}
