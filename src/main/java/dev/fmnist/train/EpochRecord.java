package dev.fmnist.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One epoch of training history (Keras's {@code History} row).
 *
 * @param epoch 1-based epoch number
 * @param loss mean training loss over the epoch (training mode: dropout on, batch statistics)
 * @param accuracy training accuracy over the epoch
 * @param valLoss validation loss (inference mode), NaN without a validation split
 * @param valAccuracy validation accuracy, NaN without a validation split
 * @param learningRate learning rate at the epoch's last step
 * @param seconds wall time of the epoch, validation included
 * @param trainSeconds wall time of the epoch's training steps alone
 * @param extra metrics that callbacks added to the epoch's logs, in the order they were added
 */
public record EpochRecord(
    int epoch,
    double loss,
    double accuracy,
    double valLoss,
    double valAccuracy,
    double learningRate,
    double seconds,
    double trainSeconds,
    Map<String, Double> extra) {
  /**
   * Copies the extra metrics, keeping their order.
   *
   * @param epoch 1-based epoch number
   * @param loss mean training loss over the epoch
   * @param accuracy training accuracy over the epoch
   * @param valLoss validation loss, NaN without a validation split
   * @param valAccuracy validation accuracy, NaN without a validation split
   * @param learningRate learning rate at the epoch's last step
   * @param seconds wall time of the epoch, validation included
   * @param trainSeconds wall time of the epoch's training steps alone
   * @param extra metrics callbacks added, or null for none
   */
  public EpochRecord {
    extra = extra == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extra));
  }

  /**
   * A row without extra metrics.
   *
   * @param epoch 1-based epoch number
   * @param loss mean training loss over the epoch
   * @param accuracy training accuracy over the epoch
   * @param valLoss validation loss, NaN without a validation split
   * @param valAccuracy validation accuracy, NaN without a validation split
   * @param learningRate learning rate at the epoch's last step
   * @param seconds wall time of the epoch, validation included
   * @param trainSeconds wall time of the epoch's training steps alone
   */
  public EpochRecord(int epoch, double loss, double accuracy, double valLoss, double valAccuracy,
      double learningRate, double seconds, double trainSeconds) {
    this(epoch, loss, accuracy, valLoss, valAccuracy, learningRate, seconds, trainSeconds, Map.of());
  }

  /**
   * The row for an epoch's logs: the standard names become fields, every other name an extra metric.
   *
   * @param epoch the epoch, from 1
   * @param logs the epoch's logs; an absent standard metric is NaN
   * @return the row
   */
  public static EpochRecord of(int epoch, Logs logs) {
    Map<String, Double> extra = new LinkedHashMap<>();
    logs.asMap().forEach((k, v) -> {
      if (!STANDARD.contains(k)) {
        extra.put(k, v);
      }
    });
    return new EpochRecord(epoch, logs.getOrNaN(Logs.LOSS), logs.getOrNaN(Logs.ACCURACY),
        logs.getOrNaN(Logs.VAL_LOSS), logs.getOrNaN(Logs.VAL_ACCURACY), logs.getOrNaN(Logs.LEARNING_RATE),
        logs.getOrNaN(Logs.SECONDS), logs.getOrNaN(Logs.TRAIN_SECONDS), extra);
  }

  /**
   * This row as logs (standard names first, then the extra metrics).
   *
   * @return new logs with every value of this row
   */
  public Logs toLogs() {
    Logs l = new Logs().put(Logs.LOSS, loss).put(Logs.ACCURACY, accuracy).put(Logs.VAL_LOSS, valLoss)
        .put(Logs.VAL_ACCURACY, valAccuracy).put(Logs.LEARNING_RATE, learningRate).put(Logs.SECONDS, seconds)
        .put(Logs.TRAIN_SECONDS, trainSeconds);
    extra.forEach(l::put);
    return l;
  }

  /**
   * Training throughput of this epoch, in images per second.
   *
   * @param trainSize the number of training images
   * @return {@code trainSize / trainSeconds}, or NaN when no training time was measured
   */
  public double samplesPerSecond(int trainSize) {
    return trainSeconds > 0 ? trainSize / trainSeconds : Double.NaN;
  }

  /** The metric names that are fields of this record, in history.csv's column order. */
  static final java.util.List<String> STANDARD = java.util.List.of(Logs.LOSS, Logs.ACCURACY, Logs.VAL_LOSS,
      Logs.VAL_ACCURACY, Logs.LEARNING_RATE, Logs.SECONDS, Logs.TRAIN_SECONDS);
}
