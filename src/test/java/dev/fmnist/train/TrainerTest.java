package dev.fmnist.train;

import dev.fmnist.data.FashionMnist;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.cli.ExitCode;
import dev.fmnist.FmnistException;
import dev.fmnist.TestData;
import dev.fmnist.config.Recipe;
import dev.fmnist.config.RecipeLoader;
import dev.fmnist.data.Dataset;
import dev.fmnist.data.ImageSet;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
  static final String TINY = TestData.TINY_RECIPE;

  /** 250 separable images (the recipe holds out 50 for validation). */
  static Dataset data() {
    return Dataset.of(TestData.separable(250, 1), TestData.separable(50, 2), "generated");
  }

  static TrainingRun run(String yaml, Path runDir) {
    Recipe r = RecipeLoader.parse(yaml, "tiny.yaml");
    return TrainingRun.of(r).data(data()).runDirectory(runDir).session(new SessionOptions(SessionOptions.Device.CPU, 1, 1));
  }

  static TrainingResult train(String yaml, Path runDir, boolean resume, List<Callback> callbacks) {
    return run(yaml, runDir).resume(resume).callbacks(callbacks.toArray(Callback[]::new)).fit();
  }

  /** Throws when epoch {@code epoch} begins, after the previous epoch's checkpoint: a kill. */
  static Callback killAt(int epoch) {
    return new Callback() {
      @Override
      public void onEpochBegin(int e, TrainingContext context) {
        if (e == epoch) {
          throw new IllegalStateException("killed");
        }
      }
    };
  }

  @Test
  void lossGoesDownAndTheModelLearnsSeparableData(@TempDir Path dir) {
    TrainingResult r = train(TINY, dir, false, List.of());
    List<EpochRecord> h = r.history().epochs();
    assertEquals(4, h.size());
    assertTrue(h.get(3).loss() < h.get(0).loss() * 0.5, "loss " + h.get(0).loss() + " -> " + h.get(3).loss());
    assertTrue(h.get(3).valAccuracy() > 0.8, "validation accuracy " + h.get(3).valAccuracy());
    assertTrue(Files.isDirectory(dir.resolve("checkpoints/epoch-0004")));
    assertEquals(TrainingResult.Probe.class, r.probe().getClass());
    assertEquals(50, r.probe().count());
  }

  @Test
  void sameSeedGivesTheSameHistoryTwice(@TempDir Path dir) {
    TrainingResult a = train(TINY, dir.resolve("a"), false, List.of());
    TrainingResult b = train(TINY, dir.resolve("b"), false, List.of());
    assertEquals(losses(a), losses(b));
    assertArrayEquals(a.probe().logits(), b.probe().logits());
    TrainingResult c = train(TINY.replace("seed: 7", "seed: 8"), dir.resolve("c"), false, List.of());
    assertFalse(losses(a).equals(losses(c)), "another seed gives another run");
  }

  @Test
  void resumeAfterAKillEqualsAnUninterruptedRun(@TempDir Path dir) {
    TrainingResult straight = train(TINY, dir.resolve("straight"), false, List.of());
    Path run = dir.resolve("killed");
    assertThrows(IllegalStateException.class, () -> train(TINY, run, false, List.of(killAt(3))));
    assertEquals(2, CheckpointStore.epochOf(new CheckpointStore(run.resolve("checkpoints"), 5).listNewestFirst().get(0)));
    TrainingResult resumed = train(TINY, run, true, List.of());
    assertEquals(losses(straight), losses(resumed));
    assertArrayEquals(straight.probe().logits(), resumed.probe().logits());
  }

  @Test
  void resumeSkipsADamagedCheckpointAndRefusesAnotherArchitecture(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    train(TINY.replace("epochs: 4", "epochs: 2"), run, false, List.of());
    Path latest = run.resolve("checkpoints/epoch-0002");
    try (var s = Files.list(latest)) {
      Path data = s.filter(p -> p.getFileName().toString().startsWith("model.data")).findFirst().orElseThrow();
      byte[] b = Files.readAllBytes(data);
      b[b.length / 2] ^= 0x40;
      Files.write(data, b);
    }
    StringWriter log = new StringWriter();
    Recipe r = RecipeLoader.parse(TINY.replace("epochs: 4", "epochs: 3"), "tiny.yaml");
    TrainingResult resumed = TrainingRun.of(r).data(data()).runDirectory(run)
        .session(new SessionOptions(SessionOptions.Device.CPU, 1, 1)).resume(true).log(new PrintWriter(log)).fit();
    assertTrue(log.toString().contains("damaged checkpoint"), log.toString());
    assertTrue(log.toString().contains("epoch-0001"), log.toString());
    assertEquals(3, resumed.history().epochs().size());

    FmnistException e = assertThrows(FmnistException.class,
        () -> train(TINY.replace("filters: 4", "filters: 6"), run, true, List.of()));
    assertEquals(ExitCode.BAD_INPUT, ExitCode.of(e));
    assertTrue(e.getMessage().contains("different architecture"), e.getMessage());
  }

  /**
   * The checkpoint directory turns unwritable between two epochs: exit code 3, the checkpoints
   * already written unchanged, no temporary left, and a resume finishes as an uninterrupted run.
   * Root ignores permissions, so the directory is made immutable ({@code chattr +i}, which stops
   * root too); skipped where chattr is not available or not supported by the file system.
   */
  @Test
  void anUnwritableCheckpointDirectoryIsAnIoFailureAndKeepsThePreviousCheckpoints(@TempDir Path dir) throws Exception {
    Path run = dir.resolve("run");
    Path checkpoints = run.resolve("checkpoints");
    Files.createDirectories(checkpoints);
    org.junit.jupiter.api.Assumptions.assumeTrue(chattr("+i", checkpoints) && chattr("-i", checkpoints),
        "chattr +i is not available here");
    java.util.Map<Path, byte[]> before = new java.util.TreeMap<>();
    Callback lockAfterEpoch2 = new Callback() {
      @Override
      public void onEpochBegin(int epoch, TrainingContext context) {
        if (epoch == 3) {
          try (var files = Files.walk(checkpoints)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
              before.put(f, Files.readAllBytes(f));
            }
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          assertTrue(chattr("+i", checkpoints));
        }
      }
    };
    FmnistException e;
    try {
      e = assertThrows(FmnistException.class, () -> train(TINY, run, false, List.of(lockAfterEpoch2)));
    } finally {
      chattr("-i", checkpoints);
    }
    assertEquals(ExitCode.IO_FAILURE, ExitCode.of(e), e.getMessage());
    assertTrue(e.getMessage().startsWith(checkpoints.resolve("epoch-0003") + ": cannot write checkpoint: "), e.getMessage());
    java.util.Map<Path, byte[]> after = new java.util.TreeMap<>();
    try (var files = Files.walk(checkpoints)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        after.put(f, Files.readAllBytes(f));
      }
    }
    assertEquals(before.keySet(), after.keySet(), "no other file, no temporary left");
    before.forEach((f, b) -> assertArrayEquals(b, after.get(f), f + " changed"));

    TrainingResult resumed = train(TINY, run, true, List.of());
    assertEquals(losses(train(TINY, dir.resolve("straight"), false, List.of())), losses(resumed));
  }

  private static boolean chattr(String flag, Path p) {
    try {
      Process c = new ProcessBuilder("chattr", flag, p.toString()).redirectErrorStream(true).start();
      c.getInputStream().readAllBytes();
      return c.waitFor() == 0;
    } catch (java.io.IOException | InterruptedException e) {
      return false;
    }
  }

  @Test
  void divergenceStopsWithExitCode4AndKeepsCheckpointsIntact(@TempDir Path dir) {
    String wild = TINY.replace("learning_rate: 0.01", "learning_rate: 1.0e30");
    FmnistException e = assertThrows(FmnistException.class, () -> train(wild, dir, false, List.of()));
    assertEquals(ExitCode.DIVERGED, ExitCode.of(e));
    assertTrue(e.getMessage().contains("try a lower learning rate"), e.getMessage());
    for (Path p : new CheckpointStore(dir.resolve("checkpoints"), 5).listNewestFirst()) {
      assertTrue(Files.exists(p.resolve("state.json")) && Files.exists(p.resolve("model.index")), p.toString());
    }
  }

  @Test
  void earlyStoppingRestoresTheBestEpoch(@TempDir Path dir) {
    // Validation labels are shuffled: memorizing the training set makes validation loss rise.
    ImageSet train = TestData.separable(60, 3);
    ImageSet noisy = TestData.separable(60, 4);
    byte[] labels = noisy.rawLabels().clone();
    for (int i = 0; i < labels.length; i++) {
      labels[i] = (byte) ((labels[i] + 1 + i % 7) % 10);
    }
    Recipe r = RecipeLoader.parse(TINY.replace("epochs: 4", "epochs: 30")
        .replace("checkpoints_kept: 5", "checkpoints_kept: 1\n  early_stopping: {patience: 2}"), "tiny.yaml");
    TrainingResult result = TrainingRun.of(r).data(Dataset.of(train, train, "generated"))
        .validationData(new ImageSet(FashionMnist.SPEC, noisy.pixels(), labels)).runDirectory(dir)
        .session(new SessionOptions(SessionOptions.Device.CPU, 1, 1)).fit();
    assertTrue(result.stoppedEarly());
    double best = result.history().epochs().stream().mapToDouble(EpochRecord::valLoss).min().orElseThrow();
    assertEquals(best, result.chosen().valLoss());
    assertEquals(result.chosen().epoch(), result.weights().state().epoch());
    assertTrue(result.history().epochs().size() == result.chosen().epoch() + 2);
  }

  @Test
  void bfloat16TrainingRunsAndLearns(@TempDir Path dir) {
    TrainingResult r = train(TINY + "  precision: bf16\n", dir, false, List.of());
    assertEquals(dev.fmnist.config.TrainingSpec.Precision.BF16, r.recipe().training().precision());
    List<EpochRecord> h = r.history().epochs();
    assertTrue(h.get(3).loss() < h.get(0).loss() * 0.6, "loss " + h.get(0).loss() + " -> " + h.get(3).loss());
    assertTrue(new SessionOptions(SessionOptions.Device.CPU, 1, 1).config(dev.fmnist.config.TrainingSpec.Precision.BF16)
        .getGraphOptions().getRewriteOptions().getAutoMixedPrecisionOnednnBfloat16Value() == 1);
  }

  private static List<Double> losses(TrainingResult r) {
    return r.history().epochs().stream().flatMap(e -> java.util.stream.Stream.of(e.loss(), e.valLoss(), e.accuracy())).toList();
  }
}
