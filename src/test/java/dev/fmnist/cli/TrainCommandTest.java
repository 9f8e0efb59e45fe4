package dev.fmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.cli.ExitCode;
import dev.fmnist.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fmnist train} and {@code fmnist export} end to end on a tiny generated dataset. */
class TrainCommandTest {
  static final String RECIPE = """
      name: tiny
      model:
        layers:
          - conv: {filters: 4, kernel: 3, padding: same}
          - maxpool: {size: 4}
          - flatten: {}
          - dense: {units: 10, activation: none}
      training: {epochs: 2, batch_size: 50, seed: 5, validation_split: 0.2, adam: {learning_rate: 0.01}}
      """;

  @Test
  void trainsExportsAndReExports(@TempDir Path dir) throws Exception {
    Path data = TestData.writeDataset(dir.resolve("data"), TestData.separable(300, 1), TestData.separable(100, 2));
    Path recipe = Files.writeString(dir.resolve("tiny.yaml"), RECIPE);
    String[] common = {"--data-dir", data.toString(), "--out", dir.resolve("models").toString(),
        "--run-dir", dir.resolve("run").toString(), "--threads", "1"};
    Cli train = Cli.run(concat(new String[] {"train", "--config", recipe.toString(), "--epochs", "3"}, common));
    assertEquals(0, train.code(), train.err());
    assertTrue(train.out().contains("240 training / 60 validation images"), train.out());
    assertTrue(train.out().contains("Epoch 3/3"), train.out());
    assertTrue(train.out().contains("trained 3 epochs"), train.out());
    assertTrue(train.out().contains("test accuracy"), train.out());
    assertTrue(Files.exists(dir.resolve("models/tiny/1/saved_model.pb")));
    assertTrue(Files.exists(dir.resolve("run/history.csv")));
    assertTrue(Files.isDirectory(dir.resolve("run/tensorboard/train")), "TensorBoard logs by default");
    assertEquals(4, Files.readAllLines(dir.resolve("run/history.csv")).size());

    Cli again = Cli.run(concat(new String[] {"train", "--config", recipe.toString(), "--epochs", "3", "--resume"}, common));
    assertEquals(0, again.code(), again.out() + again.err());
    assertTrue(again.out().contains("nothing to do"), again.out());
    assertFalse(Files.exists(dir.resolve("models/tiny/2")), "no second export of the same weights");

    // killed during the export: the marker is missing, so resume exports (and trains nothing)
    Files.delete(dir.resolve("run/exported.json"));
    Cli exportOnResume = Cli.run(concat(new String[] {"train", "--config", recipe.toString(), "--epochs", "3", "--resume"}, common));
    assertEquals(0, exportOnResume.code(), exportOnResume.err());
    assertFalse(exportOnResume.out().contains("Epoch "), exportOnResume.out());
    assertTrue(exportOnResume.out().contains("all 3 epochs of " + dir.resolve("run") + " were trained before; nothing to train"),
        exportOnResume.out());
    assertTrue(Files.exists(dir.resolve("models/tiny/2/saved_model.pb")));
    Files.walk(dir.resolve("models/tiny/2")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());

    Cli export = Cli.run("export", "--run-dir", dir.resolve("run").toString(), "--epoch", "2",
        "--data-dir", data.toString(), "--out", dir.resolve("models").toString());
    assertEquals(0, export.code(), export.err());
    assertTrue(export.out().contains("exported epoch 2 of tiny"), export.out());
    assertTrue(Files.exists(dir.resolve("models/tiny/2/assets.extra/fmnist.json")));

    // a damaged checkpoint is named as such, and the newest undamaged one still exports
    Path state = dir.resolve("run/checkpoints/epoch-0003/state.json");
    Files.writeString(state, Files.readString(state).replaceFirst("\"epoch\" : 3", "\"epoch\" : 9"));
    Cli damaged = Cli.run("export", "--run-dir", dir.resolve("run").toString(), "--epoch", "3",
        "--data-dir", data.toString(), "--out", dir.resolve("models").toString());
    assertEquals(ExitCode.BAD_INPUT, damaged.code());
    assertTrue(damaged.errorLine().endsWith("no readable checkpoint for epoch 3 (it is damaged: state.json does not"
        + " match its SHA-256)"), damaged.err());
    Cli older = Cli.run("export", "--run-dir", dir.resolve("run").toString(), "--data-dir", data.toString(),
        "--out", dir.resolve("models").toString());
    assertEquals(0, older.code(), older.err());
    assertTrue(older.out().contains("exported epoch 2 of tiny"), older.out());
  }

  @Test
  void badInputIsOneErrorLineWithExitCode2(@TempDir Path dir) throws Exception {
    Path data = TestData.writeDataset(dir.resolve("data"), TestData.separable(50, 1), TestData.separable(20, 2));
    Cli missing = Cli.run("train", "--config", dir.resolve("nope.yaml").toString(), "--data-dir", data.toString());
    assertEquals(ExitCode.BAD_INPUT, missing.code());
    assertTrue(missing.errorLine().startsWith("error: " + dir.resolve("nope.yaml") + ": no such recipe file"), missing.err());

    Path bad = Files.writeString(dir.resolve("bad.yaml"), RECIPE.replace("epochs: 2", "epochs: -1"));
    Cli badValue = Cli.run("train", "--config", bad.toString(), "--data-dir", data.toString());
    assertEquals(ExitCode.BAD_INPUT, badValue.code());
    assertEquals("error: " + bad + ": training.epochs: must be >= 1, found -1", badValue.errorLine());

    Path good = Files.writeString(dir.resolve("good.yaml"), RECIPE);
    Cli badOverride = Cli.run("train", "--config", good.toString(), "--batch-size", "0", "--data-dir", data.toString());
    assertEquals(ExitCode.BAD_INPUT, badOverride.code());
    assertTrue(badOverride.errorLine().contains("--batch-size: must be >= 1, found 0"), badOverride.err());

    Cli noData = Cli.run("train", "--config", good.toString(), "--data-dir", dir.resolve("empty").toString());
    assertEquals(ExitCode.BAD_INPUT, noData.code());
    assertTrue(noData.errorLine().contains("no such directory"), noData.err());

    Cli gpu = Cli.run("train", "--config", good.toString(), "--data-dir", data.toString(), "--device", "gpu",
        "--run-dir", dir.resolve("run").toString(), "--out", dir.resolve("models").toString());
    assertEquals(ExitCode.BAD_INPUT, gpu.code());
    assertTrue(gpu.errorLine().startsWith("error: --device gpu: TensorFlow found no CUDA GPU"), gpu.err());
    assertFalse(Files.exists(dir.resolve("models")), "nothing written");

    Cli usage = Cli.run("train", "--epochs");
    assertEquals(ExitCode.BAD_INPUT, usage.code());
    assertTrue(usage.err().startsWith("error: Missing required parameter for option '--epochs'"), usage.err());

    Cli noExport = Cli.run("export", "--run-dir", dir.resolve("nothing").toString());
    assertEquals(ExitCode.BAD_INPUT, noExport.code());
    assertTrue(noExport.errorLine().contains("no checkpoints/ directory"), noExport.err());
  }

  @Test
  void unwritableOutputIsAnIoFailure(@TempDir Path dir) throws Exception {
    Path data = TestData.writeDataset(dir.resolve("data"), TestData.separable(60, 1), TestData.separable(20, 2));
    Path recipe = Files.writeString(dir.resolve("tiny.yaml"), RECIPE.replace("epochs: 2", "epochs: 1"));
    Path blocked = Files.writeString(dir.resolve("blocked"), "a file where a directory should be");
    Cli r = Cli.run("train", "--config", recipe.toString(), "--data-dir", data.toString(),
        "--run-dir", blocked.resolve("run").toString(), "--threads", "1");
    assertEquals(ExitCode.IO_FAILURE, r.code(), r.err());
    assertTrue(r.errorLine().startsWith("error: " + blocked.resolve("run")), r.err());
  }

  @Test
  void helpAndVersion() {
    Cli help = Cli.run("--help");
    assertEquals(0, help.code());
    for (String c : new String[] {"train", "export"}) {
      assertTrue(help.out().contains(c), help.out());
      assertEquals(0, Cli.run(c, "--help").code());
    }
    Cli version = Cli.run("--version");
    assertEquals(0, version.code());
    assertTrue(version.out().matches("(?s)fmnist \\S+\\nTensorFlow 2\\.\\d+\\.\\d+\\nJava 17.*"), version.out());
  }

  /** docs/contracts.md: every command takes -V/--version and prints the three versions. */
  @Test
  void everySubcommandPrintsTheVersions() {
    String versions = Cli.run("--version").out();
    for (String[] c : new String[][] {{"train"}, {"export"}, {"sweep"}, {"evaluate"}, {"compare"}, {"predict"},
        {"explain"}, {"data"}, {"data", "info"}, {"data", "verify"}, {"data", "samples"}, {"data", "images"},
        {"data", "download"}}) {
      String[] args = java.util.Arrays.copyOf(c, c.length + 1);
      args[c.length] = "-V";
      Cli r = Cli.run(args);
      assertEquals(0, r.code(), String.join(" ", c) + ": " + r.err());
      assertEquals(versions, r.out(), String.join(" ", c));
      assertTrue(Cli.run(String.join(" ", c).split(" ")[0], "--help").out().contains("-V, --version"), c[0]);
    }
  }

  @Test
  void repeatsReportMeanAndStandardDeviationAndSkipFinishedSeeds(@TempDir Path dir) throws Exception {
    Path data = TestData.writeDataset(dir.resolve("data"), TestData.separable(200, 1), TestData.separable(50, 2));
    Path recipe = Files.writeString(dir.resolve("tiny.yaml"), RECIPE);
    String[] args = {"train", "--config", recipe.toString(), "--epochs", "1", "--repeats", "3", "--data-dir",
        data.toString(), "--out", dir.resolve("models").toString(), "--run-dir", dir.resolve("run").toString(),
        "--threads", "1", "--no-tensorboard"};
    Cli first = Cli.run(args);
    assertEquals(0, first.code(), first.out() + first.err());
    assertFalse(Files.exists(dir.resolve("run/seed-5/tensorboard")), "--no-tensorboard writes none");
    com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(dir.resolve("run/repeats.json").toFile());
    assertEquals(3, j.get("runs").size());
    double[] acc = new double[3];
    for (int i = 0; i < 3; i++) {
      assertEquals(5 + i, j.get("runs").get(i).get("seed").asLong());
      acc[i] = j.get("runs").get(i).get("test_accuracy").asDouble();
      assertTrue(Files.exists(dir.resolve("models/tiny-seed" + (5 + i) + "/1/saved_model.pb")));
    }
    double mean = (acc[0] + acc[1] + acc[2]) / 3;
    double var = ((acc[0] - mean) * (acc[0] - mean) + (acc[1] - mean) * (acc[1] - mean)
        + (acc[2] - mean) * (acc[2] - mean)) / 2;
    assertEquals(mean, j.get("test_accuracy_mean").asDouble(), 1e-12);
    assertEquals(Math.sqrt(var), j.get("test_accuracy_std").asDouble(), 1e-12);
    assertTrue(first.out().contains("tiny over 3 seeds: test accuracy "), first.out());

    Cli again = Cli.run(args);
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("repeat 3/3 (seed 7): finished before"), again.out());
    assertFalse(again.out().contains("Epoch 1/1"), again.out());
  }

  static String[] concat(String[] a, String[] b) {
    String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
