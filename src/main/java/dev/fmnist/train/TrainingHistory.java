package dev.fmnist.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fmnist.config.EarlyStoppingSpec;
import dev.fmnist.config.TrainingSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Per-epoch history (Keras's {@code History}), written as {@code history.json} ({@code {"epochs":
 * [...]}}, snake_case keys) and {@code history.csv} with the same columns: the standard ones, then
 * every metric callbacks added, in the order they first appeared.
 */
public record TrainingHistory(List<EpochRecord> epochs) {
  private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  /**
   * Copies the list.
   *
   * @param epochs one row per epoch, in order
   */
  public TrainingHistory {
    epochs = List.copyOf(epochs);
  }

  /**
   * A history without epochs.
   *
   * @return the empty history
   */
  public static TrainingHistory empty() {
    return new TrainingHistory(List.of());
  }

  /**
   * This history with one more epoch.
   *
   * @param r the next epoch's row
   * @return a new history
   */
  public TrainingHistory plus(EpochRecord r) {
    List<EpochRecord> l = new ArrayList<>(epochs);
    l.add(r);
    return new TrainingHistory(l);
  }

  /**
   * The first {@code n} epochs.
   *
   * @param n how many epochs to keep
   * @return a new history
   */
  public TrainingHistory first(int n) {
    return new TrainingHistory(epochs.subList(0, Math.min(n, epochs.size())));
  }

  /**
   * The last epoch, or null when there is none.
   *
   * @return the latest row, or null
   */
  public EpochRecord last() {
    return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
  }

  /**
   * The row of a 1-based epoch.
   *
   * @param epoch the epoch, from 1
   * @return its row
   */
  public EpochRecord epoch(int epoch) {
    return epochs.get(epoch - 1);
  }

  /**
   * The validation losses, epoch by epoch.
   *
   * @return one value per epoch, NaN where there was no validation split
   */
  public List<Double> validationLosses() {
    return epochs.stream().map(EpochRecord::valLoss).toList();
  }

  /**
   * The epoch whose validation loss was the lowest, each improvement having to beat the best so far
   * by more than {@code minDelta} (Keras's {@code EarlyStopping} rule), or 0 when none improved
   * (no validation split).
   *
   * @param minDelta the least decrease that counts as an improvement, &gt;= 0
   * @return the best epoch, from 1, or 0
   */
  public int bestEpoch(double minDelta) {
    double best = Double.POSITIVE_INFINITY;
    int bestEpoch = 0;
    for (EpochRecord r : epochs) {
      if (r.valLoss() < best - minDelta) {
        best = r.valLoss();
        bestEpoch = r.epoch();
      }
    }
    return bestEpoch;
  }

  /**
   * Whether epoch {@code epoch} improved the validation loss by the early-stopping rule.
   *
   * @param epoch the epoch, from 1
   * @param minDelta the least decrease that counts as an improvement, &gt;= 0
   * @return true when {@code epoch} is the best epoch of the history up to it
   */
  public boolean improved(int epoch, double minDelta) {
    return first(epoch).bestEpoch(minDelta) == epoch;
  }

  /**
   * The epoch whose weights are the result of training with {@code spec}: the best epoch when early
   * stopping is on (its weights are restored), else the last. The one rule training and export use.
   *
   * @param spec the recipe's training section
   * @return the epoch, from 1
   */
  public int resultEpoch(TrainingSpec spec) {
    EarlyStoppingSpec es = spec.earlyStopping();
    int best = es.enabled() ? bestEpoch(es.minDelta()) : 0;
    return best > 0 ? best : epochs.size();
  }

  /**
   * The names of the metrics callbacks added, in the order they first appeared.
   *
   * @return the names of the extra metrics
   */
  public List<String> extraMetrics() {
    Set<String> names = new LinkedHashSet<>();
    epochs.forEach(r -> names.addAll(r.extra().keySet()));
    return List.copyOf(names);
  }

  /**
   * history.json bytes. NaN (no validation split) and infinities are written as null.
   *
   * @return the JSON document, UTF-8
   */
  public byte[] toJson() {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode rows = root.putArray("epochs");
    List<String> columns = new ArrayList<>(EpochRecord.STANDARD);
    columns.addAll(extraMetrics());
    for (EpochRecord r : epochs) {
      ObjectNode o = rows.addObject();
      o.put("epoch", r.epoch());
      Logs logs = r.toLogs();
      for (String name : columns) {
        putNullable(o, name, logs.getOrNaN(name));
      }
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write history", e);
    }
  }

  /**
   * Reads {@code history.json} as {@link #toJson} writes it (null as NaN; keys other than the
   * standard ones become extra metrics).
   *
   * @param source names the file in errors
   * @param json the file's bytes
   * @return the history
   * @throws IllegalArgumentException when it is not {@code {"epochs": [...]}} with numbered epochs
   */
  public static TrainingHistory fromJson(byte[] json, String source) {
    com.fasterxml.jackson.databind.JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(source + ": not valid JSON", e);
    }
    if (root == null || !root.path("epochs").isArray()) {
      throw new IllegalArgumentException(source + ": expected {\"epochs\": [...]}");
    }
    List<EpochRecord> rows = new ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode e : root.path("epochs")) {
      if (!e.path("epoch").canConvertToInt() || e.path("epoch").asInt() != rows.size() + 1) {
        throw new IllegalArgumentException(source + ": epoch " + (rows.size() + 1) + " is missing or out of order");
      }
      java.util.Map<String, Double> extra = new java.util.LinkedHashMap<>();
      e.fields().forEachRemaining(f -> {
        if (!f.getKey().equals("epoch") && !EpochRecord.STANDARD.contains(f.getKey())) {
          extra.put(f.getKey(), value(f.getValue()));
        }
      });
      rows.add(new EpochRecord(rows.size() + 1, value(e.path("loss")), value(e.path("accuracy")),
          value(e.path("val_loss")), value(e.path("val_accuracy")), value(e.path("learning_rate")),
          value(e.path("seconds")), value(e.path("train_seconds")), extra));
    }
    return new TrainingHistory(rows);
  }

  private static double value(com.fasterxml.jackson.databind.JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }

  /**
   * history.csv bytes.
   *
   * @return the CSV document, UTF-8: a header row, then one row per epoch
   */
  public byte[] toCsv() {
    List<String> extra = extraMetrics();
    StringBuilder sb = new StringBuilder("epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,seconds,train_seconds");
    extra.forEach(n -> sb.append(',').append(n));
    sb.append('\n');
    for (EpochRecord r : epochs) {
      sb.append(String.format(
          Locale.ROOT, "%d,%s,%s,%s,%s,%s,%.3f,%.3f", r.epoch(), num(r.loss()), num(r.accuracy()),
          num(r.valLoss()), num(r.valAccuracy()), num(r.learningRate()), r.seconds(), r.trainSeconds()));
      for (String name : extra) {
        sb.append(',').append(num(r.extra().getOrDefault(name, Double.NaN)));
      }
      sb.append(System.lineSeparator());
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
  }

  private static void putNullable(ObjectNode o, String key, double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      o.putNull(key);
    } else {
      o.put(key, v);
    }
  }
}
