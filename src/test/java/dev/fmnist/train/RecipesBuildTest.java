package dev.fmnist.train;

import dev.fmnist.data.FashionMnist;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.config.Recipe;
import dev.fmnist.config.RecipeLoader;
import dev.fmnist.model.ModelFootprint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every committed recipe loads and builds its training graph (no stale example configs), with as many
 * trainable values as {@link ModelFootprint} works out from the recipe alone.
 */
class RecipesBuildTest {
  static List<Path> recipes() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("configs"))) {
      return s.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().startsWith("sweep-"))
          .sorted().toList();
    }
  }

  @ParameterizedTest
  @MethodSource("recipes")
  void recipeLoadsAndBuilds(Path file) {
    Recipe r = RecipeLoader.load(file);
    assertEquals(file.getFileName().toString().replace(".yaml", ""), r.name(), "file name matches recipe name");
    try (TrainingGraph g = TrainingGraph.build(r, FashionMnist.SPEC, false)) {
      assertTrue(g.trainableCount >= 2);
      assertEquals(List.of(-1L, 10L), List.of(g.evalLogits.shape().size(0), g.evalLogits.shape().size(1)));
      assertFalse(g.graph.toGraphDef().getNodeList().isEmpty());
      long built = g.trainableVariables.stream().mapToLong(v -> v.shape().size()).sum();
      assertEquals(built, (long) ModelFootprint.ofRecipe(r).orElseThrow().trainableParameters(),
          "the footprint worked out from the recipe counts the graph's trainable values");
    }
    ModelFootprint.checkRecipe(r, file.toString()); // every shipped recipe fits this machine
  }
}
