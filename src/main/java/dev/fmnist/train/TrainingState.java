package dev.fmnist.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a checkpoint holds beside the variables: enough to continue exactly where training stopped
 * (epoch, optimizer step, the history that early stopping and the plateau schedule replay, the
 * state of stateful callbacks) and to refuse a checkpoint of another model. Checkpoints written
 * before callbacks existed carry early-stopping counters that are now derived from the history;
 * they are ignored when read.
 *
 * @param epoch epochs completed
 * @param step optimizer steps taken (Adam's bias correction and the schedule use it)
 * @param history one record per completed epoch
 * @param architecture SHA-256 of the model spec (resume refuses another architecture)
 * @param seed the run seed
 * @param recipeJson the recipe trained, as JSON
 * @param callbacks each {@link StatefulCallback}'s state, by its key
 * @param device the device trained on ({@code cpu} or {@code gpu}; null in older checkpoints)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrainingState(
    int epoch,
    long step,
    List<EpochRecord> history,
    String architecture,
    long seed,
    String recipeJson,
    Map<String, JsonNode> callbacks,
    String device) {
  /**
   * Copies the history and the callback states.
   *
   * @param epoch epochs completed
   * @param step optimizer steps taken
   * @param history one record per completed epoch
   * @param architecture SHA-256 of the model spec
   * @param seed the run seed
   * @param recipeJson the recipe trained, as JSON
   * @param callbacks each stateful callback's state by its key, or null for none
   * @param device {@code cpu} or {@code gpu}, or null
   */
  public TrainingState {
    history = List.copyOf(history);
    callbacks = callbacks == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(callbacks));
  }

  /**
   * The history as a {@link TrainingHistory}.
   *
   * @return a history of {@link #history}
   */
  public TrainingHistory trainingHistory() {
    return new TrainingHistory(history);
  }
}
