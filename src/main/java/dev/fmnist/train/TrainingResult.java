package dev.fmnist.train;

import dev.fmnist.config.Recipe;

/**
 * What a training run produced.
 *
 * @param recipe the recipe trained (command-line overrides applied)
 * @param history every epoch, resumed ones included
 * @param weights the checkpoint whose weights are the result (the best epoch under early stopping)
 * @param chosen the history row of that epoch
 * @param stoppedEarly whether early stopping ended the run before its last epoch
 * @param epochsThisRun epochs trained by this process (not by earlier, resumed runs)
 * @param seconds wall time of this process's training (not of earlier, resumed runs)
 * @param samplesPerSecond training throughput of this process, validation excluded
 * @param probe validation images and the training session's logits for them, to check exports
 */
public record TrainingResult(
    Recipe recipe,
    TrainingHistory history,
    CheckpointStore.Checkpoint weights,
    EpochRecord chosen,
    boolean stoppedEarly,
    int epochsThisRun,
    double seconds,
    double samplesPerSecond,
    Probe probe) {

  /**
   * Images ([n*784] in [0, 1]) and the logits ([n*10]) the training session's inference tower gave
   * for them.
   */
  public record Probe(float[] images, float[] logits, int count) {}
}
