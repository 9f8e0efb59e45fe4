package dev.fmnist.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.cli.ExitCode;
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
  void aDirectoryADeviceOrAFifoIsRefusedInOneLineWithoutReadingIt(@TempDir Path dir) throws Exception {
    Path fifo = dir.resolve("recipe.yaml");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    for (Path p : new Path[] {fifo, Path.of("/dev/zero"), dir}) {
      // a FIFO with no writer would block the read for ever, /dev/zero would fill the heap
      ConfigException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
          () -> assertThrows(ConfigException.class, () -> RecipeLoader.load(p)));
      String want = p.equals(dir) ? p + ": is a directory, expected a YAML recipe"
          : p + ": not a regular file, expected a YAML recipe";
      assertEquals(want, e.getMessage());
    }
  }

  @Test
  void aFileLargerThanItsReportedSizeIsRefusedAfterTheLimitNotReadToItsEnd() {
    // regular files of "0 bytes" that read on for megabytes and gigabytes
    for (Path p : new Path[] {Path.of("/proc/kallsyms"), Path.of("/proc/self/pagemap")}) {
      org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(p), "no " + p + " here");
      ConfigException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
          () -> assertThrows(ConfigException.class, () -> RecipeLoader.load(p)));
      assertEquals(p + ": more than the 1 MB fmnist reads from a YAML recipe (the file system said 0 bytes: it"
          + " grew, or its size is not known before it is read)", e.getMessage());
    }
  }

  @Test
  void toBuilderKeepsEveryValueAndChangesOnlyWhatIsSet() {
    for (String name : new String[] {"cnn", "resnet-wide", "mlp"}) {
      Recipe r = RecipeLoader.load(Path.of("configs", name + ".yaml"));
      assertEquals(r, r.toBuilder().build(), name);
      assertEquals(r.training(), r.training().toBuilder().build(), name);
      Recipe changed = r.toBuilder().name("renamed").training(t -> t.epochs(2).seed(7)).build();
      assertEquals(r.toBuilder().name("renamed").training(r.training().toBuilder().epochs(2).seed(7).build()).build(),
          changed, name);
      assertEquals(2, changed.training().epochs());
      assertEquals(r.training().augmentation(), changed.training().augmentation(), name);
      assertEquals(r.model(), changed.model(), name);
    }
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
    "unknown top key   | 'name: tiny'              | 'name: tiny\nowner: me'    | owner: unknown key",
    "unknown layer key | 'units: 16'               | 'units: 16, color: red'    | model.layers[3].color: unknown key",
    "unknown adam key  | 'learning_rate: 0.01'     | 'learning_rate: 0.01, momentum: 0.9' | training.adam.momentum: unknown key",
    "epochs negative   | 'epochs: 3'               | 'epochs: -1'               | training.epochs: must be >= 1, found -1",
    "epochs fraction   | 'epochs: 3'               | 'epochs: 2.5'              | training.epochs: expected a whole number",
    "epochs bool       | 'epochs: 3'               | 'epochs: true'             | training.epochs: expected a whole number",
    "epochs huge       | 'epochs: 3'               | 'epochs: 99999999999'      | training.epochs: ",
    "epochs list       | 'epochs: 3'               | 'epochs: [3]'              | training.epochs: expected a whole number",
    "batch quoted      | 'batch_size: 32'          | 'batch_size: \"32\"'        | training.batch_size: expected a whole number",
    "batch zero        | 'batch_size: 32'          | 'batch_size: 0'            | training.batch_size: must be >= 1, found 0",
    "batch too large   | 'batch_size: 32'          | 'batch_size: 65537'        | training.batch_size: must be <= 65536, found 65537",
    "warmup negative   | 'warmup_epochs: 1'        | 'warmup_epochs: -1'        | training.schedule.warmup_epochs: must be >= 0, found -1.0",
    "min lr negative   | 'warmup_epochs: 1'        | 'warmup_epochs: 1, min_learning_rate: -0.25' | training.schedule.min_learning_rate: must be >= 0, found -0.25",
    "plateau delta     | 'type: cosine, warmup_epochs: 1' | 'type: plateau, min_delta: -0.5' | training.schedule.min_delta: must be >= 0, found -0.5",
    "stopping delta    | 'patience: 2'             | 'patience: 2, min_delta: -1' | training.early_stopping.min_delta: must be >= 0, found -1.0",
    "shift too large   | 'epochs: 3'               | 'epochs: 3\n  augmentation: {shift: 15}' | training.augmentation.shift: must be <= 14, found 15",
    "adam a list       | 'adam: {learning_rate: 0.01}' | 'adam: [0.01]'         | training.adam: expected",
    "layers a map      | 'layers:'                 | 'layers: {}\n  old_layers:' | model.layers: expected",
    "lr zero           | 'learning_rate: 0.01'     | 'learning_rate: 0'         | training.adam.learning_rate: must be a finite number > 0",
    "lr infinite       | 'learning_rate: 0.01'     | 'learning_rate: .inf'      | training.adam.learning_rate: ",
    "lr -infinite      | 'learning_rate: 0.01'     | 'learning_rate: -.inf'     | training.adam.learning_rate: ",
    "lr empty          | 'learning_rate: 0.01'     | 'learning_rate: '          | training.adam.learning_rate: expected a number",
    "layer without map | 'flatten: {}'             | 'flatten:'                 | model.layers[2]: expected a map (the flatten layer",
    "lr text           | 'learning_rate: 0.01'     | 'learning_rate: fast'      | training.adam.learning_rate: expected a number",
    "lr null           | 'learning_rate: 0.01'     | 'learning_rate: null'      | training.adam.learning_rate: no value",
    "epochs tilde      | 'epochs: 3'               | 'epochs: ~'                | training.epochs: no value",
    "dropout negative  | 'rate: 0.25'              | 'rate: -0.1'               | model.layers[4].rate: must be in [0, 1), found -0.1",
    "dropout 1.5       | 'rate: 0.25'              | 'rate: 1.5'                | model.layers[4].rate: must be in [0, 1), found 1.5",
    "dropout NaN       | 'rate: 0.25'              | 'rate: .nan'               | model.layers[4].rate: ",
    "duplicate key     | 'epochs: 3'               | 'epochs: 3\n  epochs: 4'  | epochs",
    "smoothing one     | 'epochs: 3'               | 'epochs: 3\n  label_smoothing: 1.0' | training.label_smoothing: must be in [0, 1), found 1.0",
    "smoothing negative| 'epochs: 3'               | 'epochs: 3\n  label_smoothing: -0.1' | training.label_smoothing: must be in [0, 1), found -0.1",
    "decay type        | 'epochs: 3'               | 'epochs: 3\n  weight_decay: {type: l1, rate: 0.1}' | training.weight_decay.type: ",
    "decay negative    | 'epochs: 3'               | 'epochs: 3\n  weight_decay: {type: l2, rate: -1}' | training.weight_decay.rate: must be >= 0, found -1.0",
    "decay no rate     | 'epochs: 3'               | 'epochs: 3\n  weight_decay: {type: decoupled}' | training.weight_decay.rate: give a rate > 0",
    "flip text         | 'layers:'                 | 'test_time_flip: yes please\n  layers:' | model.test_time_flip: ",
    "flip number       | 'layers:'                 | 'test_time_flip: 1\n  layers:' | model.test_time_flip: ",
  })
  void badValuesNameTheKey(String what, String from, String to, String expected) {
    String yaml = GOOD.replace(from, to);
    FmnistException e = assertThrows(FmnistException.class, () -> RecipeLoader.parse(yaml, "r.yaml"));
    assertEquals(ExitCode.BAD_INPUT, ExitCode.of(e));
    assertTrue(e.getMessage().startsWith("r.yaml: "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }

  @Test
  void refusesJavaTypeTags() {
    String yaml = "name: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1/\"]]]]\n"
        + "model: {layers: [{dense: {units: 10, activation: none}}]}\n";
    FmnistException e = assertThrows(FmnistException.class, () -> RecipeLoader.parse(yaml, "evil.yaml"));
    assertEquals(ExitCode.BAD_INPUT, ExitCode.of(e));
    assertTrue(e.getMessage().startsWith("evil.yaml: "), e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "java type on a value | 'name: tiny'    | 'name: !!java.io.File [/etc/passwd]'",
    "java type on a layer | 'flatten: {}'   | 'flatten: !!java.lang.ProcessBuilder [[touch, /tmp/fmnist-canary]]'",
    "explicit tag syntax  | 'name: tiny'    | 'name: !<tag:yaml.org,2002:java.net.URL> [http://127.0.0.1/]'",
    "script engine        | 'name: tiny'    | 'name: !!javax.script.ScriptEngineManager []'",
    "java type as a map   | 'adam: {learning_rate: 0.01}' | 'adam: !!java.util.HashMap {learning_rate: 0.01}'",
    "local tag            | 'name: tiny'    | 'name: !fmnist tiny'",
  })
  void refusesTagsThatWouldConstructTypes(String what, String from, String to) {
    String yaml = GOOD.replace(from, to);
    String key = from.substring(0, from.indexOf(':'));
    FmnistException e = assertThrows(FmnistException.class, () -> RecipeLoader.parse(yaml, "tag.yaml"));
    assertEquals(ExitCode.BAD_INPUT, ExitCode.of(e), what);
    assertTrue(e.getMessage().startsWith("tag.yaml: "), e.getMessage());
    assertTrue(e.getMessage().contains(key + ": YAML tag '!"), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    assertTrue(!Files.exists(Path.of("/tmp/fmnist-canary")), "nothing ran");
  }

  @Test
  void acceptsCoreSchemaTags() {
    Recipe r = RecipeLoader.parse(GOOD.replace("name: tiny", "name: !!str tiny").replace("epochs: 3", "epochs: !!int 3"),
        "core.yaml");
    assertEquals("tiny", r.name());
    assertEquals(3, r.training().epochs());
  }

  @Test
  void refusesDeepNestingAndHugeFiles(@TempDir Path dir) throws Exception {
    String deep = "name: tiny\nx: " + "[".repeat(5000) + "]".repeat(5000) + "\n";
    FmnistException e = assertThrows(FmnistException.class, () -> RecipeLoader.parse(deep, "deep.yaml"));
    assertEquals(ExitCode.BAD_INPUT, ExitCode.of(e));
    assertTrue(e.getMessage().startsWith("deep.yaml: "), e.getMessage());

    Path big = Files.writeString(dir.resolve("big.yaml"), GOOD + "# " + "x".repeat(RecipeLoader.MAX_RECIPE_BYTES) + "\n");
    FmnistException tooBig = assertThrows(FmnistException.class, () -> RecipeLoader.load(big));
    assertEquals(ExitCode.BAD_INPUT, ExitCode.of(tooBig));
    assertTrue(tooBig.getMessage().contains(" bytes, larger than the 1 MB fmnist reads from a YAML recipe"),
        tooBig.getMessage());
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
    assertEquals(ExitCode.BAD_INPUT, ExitCode.of(e));
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
