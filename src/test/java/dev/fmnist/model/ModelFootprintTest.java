package dev.fmnist.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.config.ConfigException;
import dev.fmnist.config.Layer;
import dev.fmnist.config.ModelSpec;
import dev.fmnist.data.FashionMnist;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The memory figure and its message (the agreement with the built graph on every shipped recipe is in
 * {@code RecipesBuildTest}).
 */
class ModelFootprintTest {
  @Test
  void tooLittleMemoryNamesTheLayerThatTakesTheMost() {
    ModelSpec spec = new ModelSpec(List.of(new Layer.Flatten(), new Layer.Dense(1000, null),
        new Layer.Dense(null, Layer.Activation.NONE)));
    ModelFootprint f = ModelFootprint.of(spec, FashionMnist.SPEC);
    assertEquals(784.0 * 1000 + 1000 + 1000 * 10 + 10, f.trainableParameters());
    f.checkFits(32, 1L << 30);
    ConfigException e = assertThrows(ConfigException.class, () -> f.checkFits(32, 1_000_000));
    assertEquals("model.layers[1] (dense, units 1000): 7.9e+05 parameters; training the model at batch 32 needs"
        + " about 13.1 MB (weights, gradients, Adam state and activations); this machine has 1.0 MB", e.getMessage());
  }

  @Test
  void activationsDominateAWideConvolutionAtALargeBatch() {
    ModelSpec spec = new ModelSpec(List.of(new Layer.Conv(64, 3, 1, Layer.Padding.SAME, null, false),
        new Layer.GlobalAvgPool(), new Layer.Dense(null, Layer.Activation.NONE)));
    ModelFootprint f = ModelFootprint.of(spec, FashionMnist.SPEC);
    assertEquals(28.0 * 28 * 64 + 64 + 10, f.activationsPerImage());
    ConfigException e = assertThrows(ConfigException.class, () -> f.checkFits(4096, 100_000_000));
    assertTrue(e.getMessage().startsWith("model.layers[0] (conv, filters 64, kernel 3): 5.0e+04 activation values per"
        + " image; training the model at batch 4096 needs about 2.5 GB"), e.getMessage());
  }
}
