package dev.fmnist.config;

import java.util.List;

/**
 * An architecture: building blocks applied in order to a [n, 28, 28, 1] image batch. A final
 * {@code dense} layer with 10 units and no activation gives the logits; the builder adds it when
 * the list does not end with one.
 */
public record ModelSpec(List<Layer> layers) {
  public ModelSpec {
    if (layers == null || layers.isEmpty()) {
      throw new ConfigException("layers", "must list at least one layer");
    }
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i) == null) {
        throw new ConfigException("layers[" + i + "]", "is empty");
      }
    }
    layers = List.copyOf(layers);
  }
}
