package dev.fmnist.train;

import dev.fmnist.FmnistException;

/**
 * The training loss became NaN or infinite. The checkpoints of the epochs completed before it are
 * intact; the message says at which epoch and step, and what to try.
 */
public class TrainingDivergedException extends FmnistException {
  private static final long serialVersionUID = 1L;

  public TrainingDivergedException(String message) {
    super(message);
  }
}
