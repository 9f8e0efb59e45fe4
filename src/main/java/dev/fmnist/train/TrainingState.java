package dev.fmnist.train;

import java.util.List;

/**
 * What a checkpoint holds beside the variables: enough to continue exactly where training stopped
 * (epoch, optimizer step, early-stopping counters) and to refuse a checkpoint of another model.
 *
 * @param epoch epochs completed
 * @param step optimizer steps taken (Adam's bias correction and the schedule use it)
 * @param history one record per completed epoch
 * @param bestValLoss lowest validation loss so far (early stopping)
 * @param bestEpoch the epoch that reached it
 * @param epochsWithoutImprovement epochs since then
 * @param architecture SHA-256 of the model spec (resume refuses another architecture)
 * @param seed the run seed
 * @param recipeJson the recipe trained, as JSON
 */
public record TrainingState(
    int epoch,
    long step,
    List<EpochRecord> history,
    double bestValLoss,
    int bestEpoch,
    int epochsWithoutImprovement,
    String architecture,
    long seed,
    String recipeJson) {
  public TrainingState {
    history = List.copyOf(history);
  }
}
