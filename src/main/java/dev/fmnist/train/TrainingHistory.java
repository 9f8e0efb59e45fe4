package dev.fmnist.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Per-epoch history, written as {@code history.json} ({@code {"epochs": [...]}}, snake_case keys)
 * and {@code history.csv} with the same columns.
 */
public record TrainingHistory(List<EpochRecord> epochs) {
  static final ObjectMapper JSON =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .serializationInclusion(JsonInclude.Include.ALWAYS)
          .build();

  public TrainingHistory {
    epochs = List.copyOf(epochs);
  }

  public static TrainingHistory empty() {
    return new TrainingHistory(List.of());
  }

  /** This history with one more epoch. */
  public TrainingHistory plus(EpochRecord r) {
    List<EpochRecord> l = new ArrayList<>(epochs);
    l.add(r);
    return new TrainingHistory(l);
  }

  /** The first {@code n} epochs. */
  public TrainingHistory first(int n) {
    return new TrainingHistory(epochs.subList(0, Math.min(n, epochs.size())));
  }

  public EpochRecord last() {
    return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
  }

  /** history.json bytes. NaN (no validation split) is written as null. */
  public byte[] toJson() {
    try {
      return JSON.writeValueAsBytes(new Nullable(this));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write history", e);
    }
  }

  /** history.csv bytes. */
  public byte[] toCsv() {
    StringBuilder sb = new StringBuilder("epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,seconds,train_seconds\n");
    for (EpochRecord r : epochs) {
      sb.append(String.format(
          Locale.ROOT, "%d,%s,%s,%s,%s,%s,%.3f,%.3f%n", r.epoch(), num(r.loss()), num(r.accuracy()),
          num(r.valLoss()), num(r.valAccuracy()), num(r.learningRate()), r.seconds(), r.trainSeconds()));
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
  }

  /** JSON view: NaN as null, so every JSON reader accepts the file. */
  private record Nullable(List<Row> epochs) {
    Nullable(TrainingHistory h) {
      this(h.epochs().stream().map(Row::new).toList());
    }
  }

  private record Row(
      int epoch, Double loss, Double accuracy, Double valLoss, Double valAccuracy, Double learningRate, double seconds,
      double trainSeconds) {
    Row(EpochRecord r) {
      this(r.epoch(), n(r.loss()), n(r.accuracy()), n(r.valLoss()), n(r.valAccuracy()), n(r.learningRate()), r.seconds(),
          r.trainSeconds());
    }

    private static Double n(double v) {
      return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }
  }
}
