package dev.fmnist.cli;

import picocli.CommandLine.Option;

/**
 * The options {@code train} and {@code sweep} share, which apply to each training run: its epochs,
 * its threads and its TensorBoard logs.
 */
final class TrainingOptions {
  @Option(names = "--epochs", paramLabel = "N", description = "Override training.epochs (in a sweep: every trial's).")
  Integer epochs;

  @Option(names = "--threads", paramLabel = "N",
      description = "Intra-op threads (default: all cores, in a sweep divided among --parallel trials; 0 lets"
          + " TensorFlow choose).")
  Integer threads;

  @Option(names = "--tensorboard", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Write TensorBoard logs into <run-dir>/tensorboard/, in a sweep each trial's into"
          + " trials/NNN/tensorboard/ (default: on; --no-tensorboard turns them off).")
  boolean tensorBoard;

  /** {@code --threads}, or {@code otherwise} when it is not given. */
  int threadsOr(int otherwise) {
    return threads != null ? threads : otherwise;
  }
}
