package dev.fmnist.train;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A callback whose state is saved in every checkpoint and restored when the run resumes, so a
 * killed-and-resumed run behaves exactly as an uninterrupted one.
 */
public interface StatefulCallback extends Callback {
  /**
   * The key of this callback's state in the checkpoint: unique among the run's callbacks.
   *
   * @return the key, e.g. {@code early_stopping}
   */
  String stateKey();

  /**
   * The state to checkpoint now (called after every callback's {@code onEpochEnd}).
   *
   * @return the state as JSON
   */
  JsonNode saveState();

  /**
   * Restores the state saved with a checkpoint; called before {@code onTrainBegin} on resume.
   *
   * @param state what {@link #saveState} returned when the checkpoint was written
   */
  void restoreState(JsonNode state);
}
