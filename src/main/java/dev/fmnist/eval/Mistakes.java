package dev.fmnist.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Picks misclassified items worth looking at. */
public final class Mistakes {
  private Mistakes() {}

  /**
   * For each true class, the indices of up to {@code perClass} misclassified items, most confident
   * first (ties by index).
   *
   * @param p the predictions
   * @param perClass the most indices per class
   * @return one list per class, by label
   */
  public static List<List<Integer>> mostConfidentByClass(Predictions p, int perClass) {
    List<List<Integer>> byClass = new ArrayList<>();
    for (int c = 0; c < p.classes(); c++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < p.size(); i++) {
      if (!p.correct(i)) {
        byClass.get(p.label(i)).add(i);
      }
    }
    List<List<Integer>> out = new ArrayList<>();
    for (List<Integer> l : byClass) {
      l.sort(Comparator.comparingDouble((Integer i) -> -p.confidence(i)).thenComparingInt(i -> i));
      out.add(List.copyOf(l.subList(0, Math.min(perClass, l.size()))));
    }
    return out;
  }
}
