package dev.fmnist.train;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A callback whose state is saved in every checkpoint and restored when the run resumes, so a
 * killed-and-resumed run behaves exactly as an uninterrupted one.
 */
public interface StatefulCallback extends Callback {
  /** The key of this callback's state in the checkpoint: unique among the run's callbacks. */
  String stateKey();

  /** The state to checkpoint now (called after every callback's {@code onEpochEnd}). */
  JsonNode saveState();

  /** Restores the state saved with a checkpoint; called before {@code onTrainBegin} on resume. */
  void restoreState(JsonNode state);
}
