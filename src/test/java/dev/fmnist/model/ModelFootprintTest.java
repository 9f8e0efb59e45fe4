package dev.fmnist.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.config.ConfigException;
import dev.fmnist.config.Layer;
import dev.fmnist.config.ModelSpec;
import dev.fmnist.config.Recipe;
import dev.fmnist.config.RecipeLoader;
import dev.fmnist.data.FashionMnist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** The footprint worked out from a recipe agrees with the graph the builder makes from it. */
class ModelFootprintTest {
  static List<Path> recipes() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("configs"))) {
      return s.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().startsWith("sweep-"))
          .sorted().toList();
    }
  }

  @ParameterizedTest
  @MethodSource("recipes")
  void parameterCountAndLogitsShapeAgreeWithTheBuiltGraph(Path file) {
    Recipe r = RecipeLoader.load(file);
    ModelFootprint f = ModelFootprint.ofRecipe(r).orElseThrow();
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> images =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(FashionMnist.SPEC.batchShape(-1))));
      VariableStore vars = new VariableStore(tf, VariableStore.Policy.INITIALIZE, 1);
      BuiltModel m = ModelBuilder.training(tf, r.model(), 10, vars, images, tf.constant(new long[] {1, 2}));
      long built = 0;
      for (Variable<TFloat32> v : vars.trainable()) {
        built += v.shape().size();
      }
      assertEquals(built, (long) f.trainableParameters(), file + ": trainable values");
      assertEquals(List.of(10L), List.of(f.layers().get(f.layers().size() - 1).outputShape()[0]));
      assertEquals(10, m.logits().shape().size(1));
    }
    ModelFootprint.checkRecipe(r, file.toString()); // every shipped recipe fits this machine
  }

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
