package dev.fmnist.report;

import dev.fmnist.eval.Predictions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * One row per image: {@code index,true_label,true_name,predicted_label,predicted_name,confidence,
 * correct,p_<class>...} with probabilities to 6 decimals, then {@code logit_<class>...} (the
 * shortest decimal that reads back as the same float32, Java's {@code Float.toString}) when the
 * model outputs logits. Numbers are formatted by hand: {@code String.format} for 210,000 numbers took
 * 0.8 s of a 10,000-image evaluation.
 */
public final class PredictionsCsv {
  private PredictionsCsv() {}

  /**
   * The CSV bytes.
   *
   * @param p the predictions
   * @param classNames the class names, by label
   * @return {@code predictions.csv}, UTF-8
   */
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
          .append(fixed6(p.confidence(i)))
          .append(',')
          .append(p.correct(i));
      for (int c = 0; c < p.classes(); c++) {
        sb.append(',').append(fixed6(p.probability(i, c)));
      }
      for (int c = 0; p.hasLogits() && c < p.classes(); c++) {
        sb.append(',').append(Float.toString(p.logit(i, c)));
      }
      sb.append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** {@code v} with 6 decimals, rounded half up (as {@code %.6f} for these magnitudes). */
  static String fixed6(double v) {
    if (!Double.isFinite(v) || Math.abs(v) >= 1e12) {
      return String.format(Locale.ROOT, "%.6f", v);
    }
    long r = Math.round(Math.abs(v) * 1e6);
    String frac = Long.toString(1_000_000 + r % 1_000_000).substring(1);
    return (v < 0 && r != 0 ? "-" : "") + (r / 1_000_000) + "." + frac;
  }

  private static String quote(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }
}
