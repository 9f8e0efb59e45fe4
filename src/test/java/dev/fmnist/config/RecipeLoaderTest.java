package dev.fmnist.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.ExitCode;
import dev.fmnist.FmnistException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecipeLoaderTest {
  static final String GOOD = """
      name: tiny
      model:
        layers:
          - conv: {filters: 4, kernel: 3, batch_norm: true}
          - maxpool: {size: 2}
          - flatten: {}
          - dense: {units: 16}
          - dropout: {rate: 0.25}
          - dense: {units: 10, activation: none}
      training:
        epochs: 3
        batch_size: 32
        adam: {learning_rate: 0.01}
        schedule: {type: cosine, warmup_epochs: 1}
        early_stopping: {patience: 2}
      """;

  @Test
  void parsesLayersAndDefaults() {
    Recipe r = RecipeLoader.parse(GOOD, "good.yaml");
    assertEquals("tiny", r.name());
    assertEquals(6, r.model().layers().size());
    Layer.Conv conv = assertInstanceOf(Layer.Conv.class, r.model().layers().get(0));
    assertEquals(4, conv.filters());
    assertEquals(1, conv.stride());
    assertEquals(Layer.Padding.VALID, conv.padding());
    assertTrue(conv.batchNorm());
    assertEquals(2, ((Layer.MaxPool) r.model().layers().get(1)).stride());
    assertEquals(0.25, ((Layer.Dropout) r.model().layers().get(4)).rate());
    assertEquals(3, r.training().epochs());
    assertEquals(TrainingSpec.DEFAULT_SEED, r.training().seed());
    assertEquals(0.9, r.training().adam().beta1());
    assertEquals(ScheduleSpec.Type.COSINE, r.training().schedule().type());
    assertTrue(r.training().earlyStopping().enabled());
  }

  @Test
  void jsonRoundTripKeepsTheRecipeAndFingerprint() {
    Recipe r = RecipeLoader.parse(GOOD, "good.yaml");
    Recipe back = RecipeLoader.fromJson(RecipeLoader.toJson(r), "json");
    assertEquals(r, back);
    assertEquals(RecipeLoader.architectureFingerprint(r.model()), RecipeLoader.architectureFingerprint(back.model()));
    Recipe wider = RecipeLoader.parse(GOOD.replace("filters: 4", "filters: 8"), "wider.yaml");
    assertTrue(!RecipeLoader.architectureFingerprint(r.model()).equals(RecipeLoader.architectureFingerprint(wider.model())));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "unknown key       | 'epochs: 3'               | 'epochz: 3'                | training.epochz: unknown key",
    "epochs zero       | 'epochs: 3'               | 'epochs: 0'                | training.epochs: must be >= 1, found 0",
    "epochs text       | 'epochs: 3'               | 'epochs: many'             | training.epochs: expected a whole number",
    "lr negative       | 'learning_rate: 0.01'     | 'learning_rate: -1'        | training.adam.learning_rate: must be a finite number > 0",
    "lr NaN            | 'learning_rate: 0.01'     | 'learning_rate: .nan'      | training.adam.learning_rate: ",
    "dropout one       | 'rate: 0.25'              | 'rate: 1.0'                | model.layers[4].rate: must be in [0, 1), found 1.0",
    "filters zero      | 'filters: 4'              | 'filters: 0'               | filters: must be >= 1, found 0",
    "unknown layer     | 'maxpool: {size: 2}'      | 'avgpool: {size: 2}'       | unknown layer type 'avgpool'",
    "bad padding       | 'kernel: 3,'              | 'kernel: 3, padding: full,'| expected one of same valid",
    "bad name          | 'name: tiny'              | 'name: ../etc'             | name: must be 1-64 letters",
    "schedule type     | 'type: cosine'            | 'type: linear'             | expected one of constant cosine step",
  })
  void badValuesNameTheKey(String what, String from, String to, String expected) {
    String yaml = GOOD.replace(from, to);
    FmnistException e = assertThrows(FmnistException.class, () -> RecipeLoader.parse(yaml, "r.yaml"));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().startsWith("r.yaml: "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }

  @Test
  void refusesJavaTypeTags() {
    String yaml = "name: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1/\"]]]]\n"
        + "model: {layers: [{dense: {units: 10, activation: none}}]}\n";
    FmnistException e = assertThrows(FmnistException.class, () -> RecipeLoader.parse(yaml, "evil.yaml"));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
    assertTrue(e.getMessage().startsWith("evil.yaml: "), e.getMessage());
  }

  @Test
  void refusesAliasBombs() {
    StringBuilder sb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (char c = 'b'; c <= 'j'; c++) {
      char p = (char) (c - 1);
      sb.append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p).append(", *").append(p)
          .append(", *").append(p).append(", *").append(p).append(", *").append(p).append("]\n");
    }
    sb.append("name: bomb\nmodel: {layers: [{dense: {units: 10, activation: none}}]}\n");
    FmnistException e = assertThrows(FmnistException.class, () -> RecipeLoader.parse(sb.toString(), "bomb.yaml"));
    assertEquals(ExitCode.BAD_INPUT, e.exitCode());
  }

  @Test
  void missingFileAndDirectoryAreOneLineErrors(@TempDir Path dir) throws Exception {
    FmnistException missing = assertThrows(FmnistException.class, () -> RecipeLoader.load(dir.resolve("nope.yaml")));
    assertTrue(missing.getMessage().contains("nope.yaml: no such recipe file"), missing.getMessage());
    FmnistException isDir = assertThrows(FmnistException.class, () -> RecipeLoader.load(dir));
    assertTrue(isDir.getMessage().contains("is a directory"), isDir.getMessage());
    Path syntax = Files.writeString(dir.resolve("bad.yaml"), "name: 'unterminated\nmodel: {\n");
    FmnistException bad = assertThrows(FmnistException.class, () -> RecipeLoader.load(syntax));
    assertTrue(bad.getMessage().contains("not valid YAML"), bad.getMessage());
  }
}
