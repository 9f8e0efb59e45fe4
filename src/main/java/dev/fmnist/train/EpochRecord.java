package dev.fmnist.train;

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
 */
public record EpochRecord(
    int epoch,
    double loss,
    double accuracy,
    double valLoss,
    double valAccuracy,
    double learningRate,
    double seconds,
    double trainSeconds) {

  /** Training throughput of this epoch, in images per second. */
  public double samplesPerSecond(int trainSize) {
    return trainSeconds > 0 ? trainSize / trainSeconds : Double.NaN;
  }
}
