package dev.fmnist.report;

import dev.fmnist.eval.Predictions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * One row per image: {@code index,true_label,true_name,predicted_label,predicted_name,confidence,
 * correct,p_<class>...} with probabilities to 6 decimals, then {@code logit_<class>...} (9
 * significant digits: float32 exactly) when the model outputs logits.
 */
public final class PredictionsCsv {
  private PredictionsCsv() {}

  /** The CSV bytes. */
  public static byte[] toBytes(Predictions p, List<String> classNames) {
    StringBuilder sb = new StringBuilder(p.size() * 120);
    sb.append("index,true_label,true_name,predicted_label,predicted_name,confidence,correct");
    for (int c = 0; c < p.classes(); c++) {
      sb.append(",p_").append(c);
    }
    for (int c = 0; p.hasLogits() && c < p.classes(); c++) {
      sb.append(",logit_").append(c);
    }
    sb.append('\n');
    for (int i = 0; i < p.size(); i++) {
      sb.append(i)
          .append(',')
          .append(p.label(i))
          .append(',')
          .append(quote(classNames.get(p.label(i))))
          .append(',')
          .append(p.predicted(i))
          .append(',')
          .append(quote(classNames.get(p.predicted(i))))
          .append(',')
          .append(String.format(Locale.ROOT, "%.6f", p.confidence(i)))
          .append(',')
          .append(p.correct(i));
      for (int c = 0; c < p.classes(); c++) {
        sb.append(',').append(String.format(Locale.ROOT, "%.6f", p.probability(i, c)));
      }
      for (int c = 0; p.hasLogits() && c < p.classes(); c++) {
        sb.append(',').append(String.format(Locale.ROOT, "%.9g", p.logit(i, c)));
      }
      sb.append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String quote(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }
}
