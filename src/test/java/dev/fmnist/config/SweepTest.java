package dev.fmnist.config;

import dev.fmnist.cli.ExitCode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.FmnistException;
import dev.fmnist.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepTest {
  @TempDir Path dir;

  private Sweep load(String yaml) throws Exception {
    Files.writeString(dir.resolve("tiny.yaml"), TestData.TINY_RECIPE);
    return Sweep.load(Files.writeString(dir.resolve("s.yaml"), yaml));
  }

  @Test
  void gridExpandsInOrderWithTheLastKeyFastest() throws Exception {
    Sweep s = load("""
        recipe: tiny.yaml
        fixed: {epochs: 2}
        parameters:
          learning_rate: [0.001, 0.01]
          batch_size: [16, 32, 64]
        """);
    List<Sweep.Trial> t = s.trials();
    assertEquals(6, t.size());
    assertEquals("s", s.name());
    assertEquals("learning_rate=0.001 batch_size=16", t.get(0).describe());
    assertEquals("learning_rate=0.001 batch_size=32", t.get(1).describe());
    assertEquals("learning_rate=0.01 batch_size=64", t.get(5).describe());
    assertEquals(0.01, t.get(5).recipe().training().adam().learningRate(), 0);
    assertEquals(64, t.get(5).recipe().training().batchSize());
    assertEquals(2, t.get(5).recipe().training().epochs());
    assertEquals("s", t.get(5).recipe().name(), "trials carry the sweep's name (the export's name)");
    assertEquals("006", t.get(5).id());
  }

  @Test
  void trialsKeepTheBaseRecipesDataSection() throws Exception {
    Files.writeString(dir.resolve("tiny.yaml"), TestData.TINY_RECIPE + """
        data:
          format: folder
          path: photos
          image_size: [16, 16]
        """);
    Sweep s = Sweep.load(Files.writeString(dir.resolve("s.yaml"), """
        recipe: tiny.yaml
        parameters:
          learning_rate: [0.001, 0.01]
        """));
    assertEquals(dir.resolve("photos").toAbsolutePath().toString(), s.trials().get(1).recipe().data().path());
    FmnistException e = assertThrows(FmnistException.class, () -> Sweep.load(Files.writeString(dir.resolve("d.yaml"), """
        recipe: tiny.yaml
        parameters:
          data.channels: [1, 3]
        """)));
    assertEquals(ExitCode.BAD_INPUT, ExitCode.of(e));
    assertTrue(e.getMessage().endsWith("changes the data section; every trial of a sweep trains on the base recipe's"
        + " images"), e.getMessage());
  }

  @Test
  void shortKeysChangeEveryMatchingLayerAndPathsOneValue() throws Exception {
    Sweep s = load("""
        recipe: tiny.yaml
        parameters:
          dropout: [0.5]
          kernel: [5]
          filters: [[8]]
          dense_units: [32]
          batch_norm: [false]
          optimizer: [adam]
          training.schedule.type: [cosine]
          model.layers[0].conv.stride: [2]
        """);
    Recipe r = s.trials().get(0).recipe();
    Layer.Conv c = (Layer.Conv) r.model().layers().get(0);
    assertEquals(5, c.kernel());
    assertEquals(8, c.filters());
    assertEquals(2, c.stride());
    assertEquals(false, c.batchNorm());
    assertEquals(32, ((Layer.Dense) r.model().layers().get(3)).units());
    assertEquals(10, ((Layer.Dense) r.model().layers().get(5)).units(), "the logits layer keeps 10 units");
    assertEquals(0.5, ((Layer.Dropout) r.model().layers().get(4)).rate(), 0);
    assertEquals(ScheduleSpec.Type.COSINE, r.training().schedule().type());
  }

  @Test
  void randomModeSamplesDistinctCombinationsReproducibly() throws Exception {
    String yaml = """
        recipe: tiny.yaml
        mode: random
        trials: 5
        seed: %d
        parameters:
          learning_rate: [0.0001, 0.0003, 0.001, 0.003]
          batch_size: [16, 32, 64]
        """;
    List<String> a = load(yaml.formatted(1)).trials().stream().map(Sweep.Trial::describe).toList();
    List<String> b = load(yaml.formatted(1)).trials().stream().map(Sweep.Trial::describe).toList();
    List<String> c = load(yaml.formatted(2)).trials().stream().map(Sweep.Trial::describe).toList();
    assertEquals(5, a.size());
    assertEquals(a, b);
    assertNotEquals(a, c);
    assertEquals(5, a.stream().distinct().count());
    assertEquals(12, load(yaml.formatted(1).replace("trials: 5", "trials: 50")).trials().size(),
        "at most the whole grid");
  }

  @Test
  void badKeysAndValuesAreOneLineErrorsNamingThem() throws Exception {
    assertError("parameters:\n  learning_rate: [0.1]\n", "s.yaml: recipe: missing");
    assertError("recipe: tiny.yaml\nparameters:\n  momentum: [0.9]\n", "s.yaml: parameters.momentum: unknown key");
    assertError("recipe: tiny.yaml\nparameters:\n  optimizer: [sgd]\n", "parameters.optimizer: only adam is supported");
    assertError("recipe: tiny.yaml\nparameters:\n  learning_rate: 0.1\n", "parameters.learning_rate: must be a non-empty list");
    assertError("recipe: tiny.yaml\nparameters:\n  batch_size: [0]\n", "trial 1 (batch_size=0): training.batch_size: must be >= 1");
    assertError("recipe: tiny.yaml\nparameters:\n  filters: [[4, 8]]\n", "has 2 values for 1 conv layers");
    assertError("recipe: tiny.yaml\nparameters:\n  training.adam.lr: [0.1]\n", "the recipe has no 'training.adam.lr'");
    assertError("recipe: tiny.yaml\nmode: random\nparameters:\n  epochs: [1]\n", "trials: random mode needs");
    assertError("recipe: tiny.yaml\nextra: 1\nparameters:\n  epochs: [1]\n", "extra: unknown key");
  }

  private void assertError(String yaml, String expected) {
    FmnistException e = assertThrows(FmnistException.class, () -> load(yaml));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertEquals(2, ExitCode.of(e));
    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }

  @Test
  void theShippedSweepLoadsAs18Trials() {
    Sweep s = Sweep.load(Path.of("configs/sweep-cnn.yaml"));
    assertEquals(18, s.trials().size());
    assertTrue(s.trials().stream().allMatch(t -> t.recipe().training().validationSplit() == 5000));
  }
}
