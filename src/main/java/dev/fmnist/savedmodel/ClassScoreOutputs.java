package dev.fmnist.savedmodel;

import dev.fmnist.ModelException;
import dev.fmnist.data.DatasetSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which output of a model holds its class scores, by the rule SavedModels and ONNX models share:
 * the one asked for, else the only float {@code [-1,K]} output (K from 2 to {@value
 * DatasetSpec#MAX_CLASSES}), else {@code logits}, else {@code probabilities}.
 */
public final class ClassScoreOutputs {
  /** What a class-score output must be, for messages. */
  public static final String EXPECTED =
      "expected a float32 [-1,K] output of logits or probabilities for K >= 2 classes";

  private static final List<String> PREFERRED = List.of("logits", "probabilities");

  private ClassScoreOutputs() {}

  /**
   * Whether a float output of this declared shape can hold class scores: {@code [n, K]}.
   *
   * @param shape the declared shape, -1 for unknown
   * @return true for rank 2, a batch axis that is not 0, and 2 to {@value DatasetSpec#MAX_CLASSES}
   *     classes
   */
  public static boolean isClassScores(long[] shape) {
    return shape != null
        && shape.length == 2
        && shape[0] != 0
        && shape[1] >= 2 && shape[1] <= DatasetSpec.MAX_CLASSES;
  }

  /**
   * Chooses the class-score output.
   *
   * @param where the model, for messages
   * @param requested the output asked for, or null to choose
   * @param outputs every output, name to a description such as {@code float32 [-1,10]}, in the
   *     order messages list them
   * @param candidates the outputs that can hold class scores
   * @return the chosen output's name
   * @throws ModelException when the one asked for is missing or unfit, when none fits, or when
   *     several fit and none is preferred
   */
  public static String choose(String where, String requested, Map<String, String> outputs,
      List<String> candidates) {
    if (requested != null) {
      if (!outputs.containsKey(requested)) {
        throw new ModelException(where + ": no output '" + requested + "' (found: " + describeAll(outputs) + ")");
      }
      if (!candidates.contains(requested)) {
        throw new ModelException(where + ": output '" + requested + "': " + EXPECTED + ", found "
            + outputs.get(requested));
      }
      return requested;
    }
    if (candidates.isEmpty()) {
      throw new ModelException(where + ": " + EXPECTED + ", found "
          + (outputs.isEmpty() ? "no outputs" : describeAll(outputs)));
    }
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    for (String preferred : PREFERRED) {
      if (candidates.contains(preferred)) {
        return preferred;
      }
    }
    throw new ModelException(where + ": several outputs could be class scores ("
        + String.join(", ", candidates) + "); choose one with --output");
  }

  /**
   * {@code name description, name description, ...}.
   *
   * @param tensors name to description
   * @return the list, for messages
   */
  public static String describeAll(Map<String, String> tensors) {
    List<String> parts = new ArrayList<>();
    tensors.forEach((k, v) -> parts.add(k + " " + v));
    return String.join(", ", parts);
  }
}
