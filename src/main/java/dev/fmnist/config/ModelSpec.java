package dev.fmnist.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An architecture: building blocks applied in order to an {@code [n, height, width, channels]} image
 * batch. The last layer must be {@code dense} with one unit per class of the dataset and no
 * activation: it gives the logits ({@code dense: {activation: none}} without {@code units} means
 * one unit per class).
 *
 * @param layers the building blocks
 * @param testTimeFlip whether the exported model averages the logits of each image and its
 *     horizontal mirror image (test-time augmentation); it changes no weights, only the exported
 *     inference function. Stored as {@code null} when off, so recipes and checkpoints without it
 *     keep their JSON (and architecture fingerprint) unchanged.
 */
public record ModelSpec(
    List<Layer> layers, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean testTimeFlip) {
  /**
   * Checks the architecture; a list copy is kept.
   *
   * @param layers the building blocks, at least one; every dense layer but the last needs {@code
   *     units}
   * @param testTimeFlip true to average each image's logits with its mirror image's; false and null
   *     are stored as null
   * @throws ConfigException naming {@code layers} (or the layer index) when the list is empty or a
   *     layer is missing a value
   */
  public ModelSpec {
    if (layers == null || layers.isEmpty()) {
      throw new ConfigException("layers", "must list at least one layer");
    }
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) == null) {
        throw new ConfigException("layers[" + i + "]", "is empty");
      }
      if (i < layers.size() - 1 && layers.get(i) instanceof Layer.Dense d && d.units() == null) {
        throw new ConfigException("layers[" + i + "].dense.units", "is required (only the last layer, the logits,"
            + " may leave it out to mean one unit per class)");
      }
    }
    layers = List.copyOf(layers);
    testTimeFlip = Boolean.TRUE.equals(testTimeFlip) ? Boolean.TRUE : null;
  }

  /**
   * An architecture without test-time augmentation.
   *
   * @param layers the building blocks, as for the canonical constructor
   */
  public ModelSpec(List<Layer> layers) {
    this(layers, null);
  }

  /**
   * Whether the exported model averages each image's logits with its mirror image's.
   *
   * @return true when {@link #testTimeFlip} is on
   */
  @JsonIgnore
  public boolean flipAveraged() {
    return testTimeFlip != null;
  }

  /**
   * This architecture with test-time flip averaging on or off (the weights are the same).
   *
   * @param on whether the exported model averages logits over the mirror images
   * @return a copy with {@link #testTimeFlip} set accordingly and the same layers
   */
  public ModelSpec withTestTimeFlip(boolean on) {
    return new ModelSpec(layers, on);
  }
}
