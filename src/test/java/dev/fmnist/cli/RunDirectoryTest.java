package dev.fmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.fmnist.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run directory belongs to one run: a fresh train into a used one is refused unless {@code
 * --overwrite}, which leaves no checkpoint of the earlier run; {@code --resume} refuses any recipe
 * change but more epochs, a new name or more checkpoints kept; a run or SavedModel directory that cannot be written is refused before
 * training.
 */
class RunDirectoryTest {
  @TempDir static Path tmp;
  static Path data;
  static Path recipe;

  @BeforeAll
  static void setUp() throws Exception {
    data = TestData.writeDataset(tmp.resolve("data"), TestData.separable(200, 1), TestData.separable(50, 2));
    recipe = Files.writeString(tmp.resolve("tiny.yaml"), TrainCommandTest.RECIPE);
  }

  private static CliRun train(Path run, String... more) {
    String[] base = {"train", "--config", recipe.toString(), "--data-dir", data.toString(), "--threads", "1",
        "--no-tensorboard", "--run-dir", run.toString()};
    if (!java.util.List.of(more).contains("--out")) {
      base = TrainCommandTest.concat(base, new String[] {"--out", run.resolveSibling(run.getFileName() + "-models").toString()});
    }
    return CliRun.of(TrainCommandTest.concat(base, more));
  }

  private static void assertOneLine(CliRun r, int code, String expected) {
    assertEquals(code, r.code(), r.toString());
    assertEquals(1, r.err().lines().count(), r.toString());
    assertTrue(r.err().startsWith("error: ") && r.err().contains(expected), r.toString());
    assertFalse(r.err().contains("Exception"), r.toString());
  }

  @Test
  void aFreshTrainIntoAUsedRunDirectoryIsRefusedAndOverwriteLeavesNothingOfTheOldRun() throws Exception {
    Path run = tmp.resolve("used");
    assertEquals(0, train(run, "--epochs", "2").code());
    assertTrue(Files.isDirectory(run.resolve("checkpoints/epoch-0002")));
    Files.writeString(run.resolve("notes.txt"), "mine");

    CliRun again = train(run, "--epochs", "1");
    assertOneLine(again, ExitCode.BAD_INPUT, run + ": holds an earlier run (checkpoints up to epoch 2); continue it"
        + " with --resume, replace it with --overwrite, or give another --run-dir");
    assertFalse(again.out().contains("Epoch 1/"), "refused before training: " + again.out());

    CliRun overwrite = train(run, "--epochs", "1", "--overwrite");
    assertEquals(0, overwrite.code(), overwrite.toString());
    assertTrue(Files.isDirectory(run.resolve("checkpoints/epoch-0001")));
    assertFalse(Files.exists(run.resolve("checkpoints/epoch-0002")), "no stale checkpoint of the earlier run");
    assertEquals(2, Files.readAllLines(run.resolve("history.csv")).size(), "one epoch in the history");
    assertEquals("mine", Files.readString(run.resolve("notes.txt")), "files fmnist did not write stay");
    assertTrue(Files.exists(run.resolveSibling("used-models/tiny/2/saved_model.pb")), "the new run was exported");

    CliRun both = train(run, "--resume", "--overwrite");
    assertOneLine(both, ExitCode.BAD_INPUT, "--resume and --overwrite: give one of them");
  }

  @Test
  void resumeRefusesAChangedRecipeListingTheDifferencesButAllowsMoreEpochs() throws Exception {
    Path run = tmp.resolve("resume");
    assertEquals(0, train(run, "--epochs", "1").code());

    Path changed = Files.writeString(tmp.resolve("changed.yaml"), TrainCommandTest.RECIPE
        .replace("learning_rate: 0.01", "learning_rate: 0.02").replace("batch_size: 50", "batch_size: 40"));
    CliRun r = CliRun.of("train", "--config", changed.toString(), "--data-dir", data.toString(), "--threads", "1",
        "--no-tensorboard", "--out", tmp.resolve("resume-models").toString(), "--run-dir", run.toString(),
        "--epochs", "2", "--resume");
    assertOneLine(r, ExitCode.BAD_INPUT, "--resume: the recipe differs from the checkpoint's");
    assertTrue(r.err().contains("training.batch_size 50 -> 40"), r.err());
    assertTrue(r.err().contains("training.adam.learning_rate 0.01 -> 0.02"), r.err());
    assertTrue(r.err().contains("only training.epochs, training.checkpoints_kept, name, description may change"),
        r.err());
    assertFalse(r.err().contains("training.epochs 1"), "epochs are not a difference: " + r.err());
    assertFalse(Files.exists(run.resolve("checkpoints/epoch-0002")), "nothing trained");
    assertFalse(r.out().contains("fmnist train tiny"), "refused before the dataset is read: " + r.out());

    // a new name and more checkpoints kept do not change what is trained: allowed
    Path renamed = Files.writeString(tmp.resolve("renamed.yaml"), TrainCommandTest.RECIPE
        .replace("name: tiny", "name: tiny-renamed"));
    assertTrue(Files.readString(renamed).contains("name: tiny-renamed"), "the test recipe has a name line");
    CliRun more = CliRun.of("train", "--config", renamed.toString(), "--data-dir", data.toString(), "--threads", "1",
        "--no-tensorboard", "--out", tmp.resolve("resume-models").toString(), "--run-dir", run.toString(),
        "--epochs", "2", "--resume");
    assertEquals(0, more.code(), more.toString());
    assertTrue(more.out().contains("resuming from"), more.out());
    assertTrue(Files.isDirectory(run.resolve("checkpoints/epoch-0002")));
    JsonNode manifest = JsonMapper.builder().build()
        .readTree(tmp.resolve("resume-models/tiny-renamed/1/assets.extra/fmnist.json").toFile());
    assertEquals(0.01, manifest.path("config").path("training").path("adam").path("learning_rate").asDouble());
    assertEquals(2, manifest.path("config").path("training").path("epochs").asInt());
    assertEquals(2, manifest.path("epochs_run").asInt());
  }

  @Test
  void overwriteRemovesEveryEntryOfTheEarlierRunAndNothingElse(@TempDir Path dir) throws Exception {
    for (String f : new String[] {"history.json", "history.csv", "exported.json", "notes.txt"}) {
      Files.writeString(dir.resolve(f), "x");
    }
    Files.createDirectories(dir.resolve("checkpoints").resolve("epoch-0002"));
    Files.createDirectories(dir.resolve("tensorboard").resolve("train"));
    dev.fmnist.train.RunDirectory.clear(dir);
    try (var left = Files.list(dir)) {
      assertEquals(java.util.List.of("notes.txt"), left.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void overwriteRemovesNothingWhenAnEntryHoldsTheRecipeBeingTrained() throws Exception {
    Path run = tmp.resolve("recipe-inside");
    assertEquals(0, train(run, "--epochs", "1").code());
    Path inside = Files.copy(recipe, run.resolve("checkpoints").resolve("tiny.yaml"));
    CliRun r = CliRun.of(new String[] {"train", "--config", inside.toString(), "--data-dir",
        data.toString(), "--threads", "1", "--no-tensorboard", "--run-dir", run.toString(), "--out",
        tmp.resolve("recipe-inside-models").toString(), "--overwrite"});
    assertOneLine(r, ExitCode.IO_FAILURE, run.resolve("checkpoints") + ": holds " + inside.toRealPath()
        + ", which this command reads; not removed");
    assertEquals(Files.readString(recipe), Files.readString(inside));
    assertTrue(Files.exists(run.resolve("history.json")), "nothing of the earlier run removed");
  }

  @Test
  void unwritableOutputsAreRefusedBeforeTraining() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    CliRun runIsAFile = CliRun.of("train", "--config", recipe.toString(), "--data-dir", data.toString(),
        "--run-dir", file.toString(), "--out", tmp.resolve("m1").toString());
    assertOneLine(runIsAFile, ExitCode.IO_FAILURE, file + ": not a directory (a regular file)");

    Path run = tmp.resolve("never-trained");
    CliRun outUnderProc = train(run, "--out", "/proc/fmnist-models");
    assertOneLine(outUnderProc, ExitCode.IO_FAILURE, "/proc/fmnist-models: cannot write");
    assertFalse(Files.exists(run.resolve("checkpoints")), "no training happened");

    CliRun outIsAFile = train(run, "--out", file.toString());
    assertOneLine(outIsAFile, ExitCode.IO_FAILURE, file + ": not a directory");
    assertFalse(Files.exists(run.resolve("checkpoints")), "no training happened");
    assertEquals("x", Files.readString(file));

    CliRun export = CliRun.of("export", "--run-dir", run.toString(), "--out", file.resolve("sub").toString());
    assertOneLine(export, ExitCode.IO_FAILURE, "not a directory (a regular file)");
  }
}
