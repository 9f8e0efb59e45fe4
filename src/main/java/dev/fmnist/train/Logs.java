package dev.fmnist.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * Named metrics of a batch or an epoch, in the order they were added (Keras's {@code logs} dict).
 * At the end of a batch: {@value #LOSS} and {@value #ACCURACY}, the running means of the epoch so
 * far. At the end of an epoch: those, {@value #VAL_LOSS} and {@value #VAL_ACCURACY} (NaN without a
 * validation split), {@value #LEARNING_RATE}, {@value #SECONDS}, {@value #TRAIN_SECONDS}, and
 * whatever callbacks {@link #put} before the epoch is recorded; every name becomes a column of
 * {@code history.csv}.
 */
public final class Logs {
  /** Training loss: the running mean of the epoch so far. */
  public static final String LOSS = "loss";
  /** Training accuracy: the running mean of the epoch so far. */
  public static final String ACCURACY = "accuracy";
  /** Validation loss (NaN without a validation split). */
  public static final String VAL_LOSS = "val_loss";
  /** Validation accuracy (NaN without a validation split). */
  public static final String VAL_ACCURACY = "val_accuracy";
  /** The learning rate of the epoch's last step. */
  public static final String LEARNING_RATE = "learning_rate";
  /** Wall time of the epoch in seconds, validation included. */
  public static final String SECONDS = "seconds";
  /** Wall time of the epoch's training steps alone, in seconds. */
  public static final String TRAIN_SECONDS = "train_seconds";

  /** Metric names: lower-case letters, digits and underscores, starting with a letter (CSV and JSON safe). */
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  private final Map<String, Double> values = new LinkedHashMap<>();

  /** Empty logs. */
  public Logs() {}

  /**
   * Logs holding {@code values}, in their iteration order.
   *
   * @param values metric names and values; every name is checked as by {@link #put}
   */
  public Logs(Map<String, Double> values) {
    values.forEach(this::put);
  }

  /**
   * Sets a metric (NaN allowed: "not measured").
   *
   * @param name the metric's name, e.g. {@code val_f1}
   * @param value its value
   * @return these logs
   * @throws IllegalArgumentException when the name is not lower-case letters, digits and underscores
   */
  public Logs put(String name, double value) {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "metric name '" + name + "' must be lower-case letters, digits and '_', starting with a letter");
    }
    values.put(name, value);
    return this;
  }

  /**
   * A metric's value, if present.
   *
   * @param name the metric's name
   * @return the value, or empty when absent
   */
  public OptionalDouble get(String name) {
    Double v = values.get(name);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /**
   * A metric's value, or NaN when absent.
   *
   * @param name the metric's name
   * @return the value, or NaN
   */
  public double getOrNaN(String name) {
    Double v = values.get(name);
    return v == null ? Double.NaN : v;
  }

  /**
   * Whether the metric is present.
   *
   * @param name the metric's name
   * @return true when it was put
   */
  public boolean has(String name) {
    return values.containsKey(name);
  }

  /**
   * Every metric, in order (read-only view).
   *
   * @return name to value
   */
  public Map<String, Double> asMap() {
    return Collections.unmodifiableMap(values);
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
