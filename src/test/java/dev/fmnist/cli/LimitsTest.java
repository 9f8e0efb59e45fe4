package dev.fmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.eval.Bootstrap;
import dev.fmnist.savedmodel.Classifier;
import dev.fmnist.train.SessionOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Limits are checked before any work: each is exit 2 with one line naming the value and the limit.
 * The data directory of these runs does not exist, so a refusal that came after the dataset was read
 * would be a different error.
 */
class LimitsTest {
  private static final String TRAINING = "training: {epochs: 1, batch_size: 64, seed: 1, validation_split: 0}\n";

  private static Path recipe(Path dir, String name, String layers) throws Exception {
    return Files.writeString(dir.resolve(name + ".yaml"), "name: " + name + "\nmodel:\n  layers:\n" + layers + TRAINING);
  }

  private static Cli train(Path dir, Path recipe, String... extra) {
    String[] args = {"train", "--config", recipe.toString(), "--data-dir", dir.resolve("no-data").toString(),
        "--run-dir", dir.resolve("run").toString(), "--out", dir.resolve("models").toString()};
    String[] all = java.util.Arrays.copyOf(args, args.length + extra.length);
    System.arraycopy(extra, 0, all, args.length, extra.length);
    return Cli.run(all);
  }

  private static void assertNothingWritten(Path dir) {
    assertFalse(Files.exists(dir.resolve("run")), "no run directory");
    assertFalse(Files.exists(dir.resolve("models")), "no models");
  }

  @Test
  void threadsBeyondFourPerCoreAreRefusedBeforeTheData(@TempDir Path dir) throws Exception {
    Path r = recipe(dir, "small", "    - flatten: {}\n    - dense: {activation: none}\n");
    int cores = Runtime.getRuntime().availableProcessors();
    int over = SessionOptions.maxThreads() + 1;
    Cli c = train(dir, r, "--threads", Integer.toString(over));
    assertEquals(2, c.code(), c.err());
    assertEquals("error: --threads: " + over + " is more than " + (4 * cores) + " (at most 4 per core; this machine has "
        + cores + (cores == 1 ? " core)" : " cores)"), c.errorLine());
    assertNothingWritten(dir);
    Cli huge = train(dir, r, "--threads", "100000");
    assertEquals(2, huge.code(), huge.err());
    assertTrue(huge.errorLine().startsWith("error: --threads: 100000 is more than"), huge.err());

    Path sweep = Files.writeString(dir.resolve("s.yaml"),
        "recipe: small.yaml\nmode: grid\nparameters:\n  learning_rate: [0.001, 0.01]\n");
    Cli sweepThreads = Cli.run("sweep", sweep.toString(), "--threads", "100000", "--run-dir", dir.resolve("sw").toString());
    assertEquals(2, sweepThreads.code(), sweepThreads.err());
    assertTrue(sweepThreads.errorLine().startsWith("error: --threads: 100000 is more than"), sweepThreads.err());
    Cli parallel = Cli.run("sweep", sweep.toString(), "--parallel", "100000", "--run-dir", dir.resolve("sw").toString());
    assertEquals(2, parallel.code(), parallel.err());
    assertTrue(parallel.errorLine().startsWith("error: --parallel: 100000 is more than"), parallel.err());
    assertFalse(Files.exists(dir.resolve("sw")), "no sweep directory");
  }

  @Test
  void aDenseLayerTooBigForThisMachineIsRefusedFromTheRecipe(@TempDir Path dir) throws Exception {
    Path r = recipe(dir, "wide", "    - flatten: {}\n    - dense: {units: 2000000000}\n    - dense: {activation: none}\n");
    Cli c = train(dir, r);
    assertEquals(2, c.code(), c.err());
    String line = c.errorLine();
    assertTrue(line.startsWith("error: " + r + ": model.layers[1] (dense, units 2000000000): 1.6e+12 parameters;"
        + " training the model at batch 64 needs about"), line);
    assertTrue(line.contains("; this machine has "), line);
    assertNothingWritten(dir);
  }

  @Test
  void aConvolutionWithABillionFiltersIsRefusedFromTheRecipe(@TempDir Path dir) throws Exception {
    Path r = recipe(dir, "filters", "    - conv: {filters: 1000000000}\n    - global_avg_pool: {}\n    - dense: {activation: none}\n");
    Cli c = train(dir, r, "--batch-size", "1");
    assertEquals(2, c.code(), c.err());
    assertTrue(c.errorLine().startsWith("error: " + r + ": model.layers[0] (conv, filters 1000000000, kernel 3): "),
        c.err());
    assertTrue(c.errorLine().contains("at batch 1 needs about"), c.err());
    assertNothingWritten(dir);
  }

  @Test
  void aKernelOrPoolingWindowLargerThanItsInputIsARecipeError(@TempDir Path dir) throws Exception {
    Path k = recipe(dir, "k40", "    - conv: {filters: 4, kernel: 40}\n    - flatten: {}\n    - dense: {activation: none}\n");
    Cli c = train(dir, k);
    assertEquals(2, c.code(), c.err());
    assertEquals("error: " + k + ": model.layers[0] (conv, filters 4, kernel 40): the kernel (40x40) is larger than"
        + " its 28x28 input with padding: valid; use a smaller one or padding: same", c.errorLine());

    StringBuilder pools = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      pools.append("    - maxpool: {size: 2}\n");
    }
    Path p = recipe(dir, "pools", pools + "    - flatten: {}\n    - dense: {activation: none}\n");
    Cli pooled = train(dir, p);
    assertEquals(2, pooled.code(), pooled.err());
    assertEquals("error: " + p + ": model.layers[4] (maxpool, size 2): the pooling window (2x2) is larger than its 1x1"
        + " input with padding: valid; use a smaller one or padding: same", pooled.errorLine());
    assertNothingWritten(dir);
  }

  @Test
  void sweepTrialsAreCappedInRandomModeToo(@TempDir Path dir) throws Exception {
    recipe(dir, "small", "    - flatten: {}\n    - dense: {activation: none}\n");
    Path sweep = Files.writeString(dir.resolve("r.yaml"), "recipe: small.yaml\nmode: random\ntrials: 1000000\n"
        + "parameters:\n  learning_rate: [0.001, 0.01]\n  batch_size: [32, 64]\n");
    Cli c = Cli.run("sweep", sweep.toString(), "--run-dir", dir.resolve("sw").toString(),
        "--data-dir", dir.resolve("no-data").toString());
    assertEquals(2, c.code(), c.err());
    assertEquals("error: " + sweep + ": trials: 1000000 is more than 10000 (the most trials a sweep may run)",
        c.errorLine());
    assertFalse(Files.exists(dir.resolve("sw")));
  }

  @Test
  void everySweepTrialsModelIsCheckedBeforeTheFirstTrains(@TempDir Path dir) throws Exception {
    recipe(dir, "wide", "    - flatten: {}\n    - dense: {units: 2000000000}\n    - dense: {activation: none}\n");
    Path sweep = Files.writeString(dir.resolve("w.yaml"),
        "recipe: wide.yaml\nmode: grid\nparameters:\n  learning_rate: [0.001, 0.01]\n");
    Cli c = Cli.run("sweep", sweep.toString(), "--run-dir", dir.resolve("sw").toString(),
        "--data-dir", dir.resolve("no-data").toString());
    assertEquals(2, c.code(), c.err());
    assertTrue(c.errorLine().startsWith("error: " + sweep + ": trial 1 (learning_rate=0.001): model.layers[1]"
        + " (dense, units 2000000000): "), c.err());
    assertFalse(Files.exists(dir.resolve("sw")));
  }

  @Test
  void bootstrapResamplesAndBatchSizesAreBounded() {
    Cli resamples = Cli.run("compare", "savedmodels/mlp/1", "savedmodels/cnn/1", "--resamples", "2000000000");
    assertEquals(2, resamples.code(), resamples.err());
    assertEquals("error: --resamples: must be 1 to " + Bootstrap.MAX_RESAMPLES + ", found 2000000000",
        resamples.errorLine());
    Cli evalBatch = Cli.run("evaluate", "savedmodels/mlp/1", "--batch-size", "2000000000");
    assertEquals(2, evalBatch.code(), evalBatch.err());
    assertEquals("error: --batch-size: must be 1 to " + Classifier.MAX_BATCH_SIZE + ", found 2000000000",
        evalBatch.errorLine());
    Cli compareBatch = Cli.run("compare", "savedmodels/mlp/1", "savedmodels/cnn/1", "--batch-size", "2000000000");
    assertEquals(2, compareBatch.code(), compareBatch.err());
    assertEquals("error: --batch-size: must be 1 to " + Classifier.MAX_BATCH_SIZE + ", found 2000000000",
        compareBatch.errorLine());
  }
}
