package dev.fmnist.train;

import dev.fmnist.FmnistException;

/**
 * The training loss became NaN or infinite. The checkpoints of the epochs completed before it are
 * intact; the message says at which epoch and step, and what to try.
 */
public class TrainingDivergedException extends FmnistException {
  private static final long serialVersionUID = 1L;

  /**
   * A divergence described by a one-line message.
   *
   * @param message where it happened (epoch and step) and what to try
   */
  public TrainingDivergedException(String message) {
    super(message);
  }
}
