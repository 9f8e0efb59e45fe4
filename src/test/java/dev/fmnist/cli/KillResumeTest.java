package dev.fmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fmnist.AtomicFiles;
import dev.fmnist.TestData;
import dev.fmnist.train.CheckpointStore;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reduced {@code tools/faults/kill-resume.sh} for CI: a training JVM is killed with SIGKILL
 * inside a checkpoint write, inside the export, and during an epoch; each time {@code --resume}
 * must finish with the same history and test metrics as an uninterrupted run, bit for bit, with
 * every checkpoint and SavedModel on disk complete and no temporary files left.
 */
class KillResumeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int EPOCHS = 4;
  private static final String RECIPE = TestData.TINY_RECIPE
      .replace("validation_split: 50", "validation_split: 100")
      .replace("checkpoints_kept: 5", "checkpoints_kept: 2");

  @TempDir static Path dir;
  static Path data;
  static Path recipe;
  static String expected;

  /**
   * The uninterrupted run, in a child JVM like the killed ones: TensorFlow sizes its intra-op
   * thread pool once per process, by the first session, so an in-process run would use whatever
   * threads an earlier test's session asked for, and round differently.
   */
  @BeforeAll
  static void uninterruptedRun() throws Exception {
    data = TestData.writeDataset(dir.resolve("data"), TestData.separable(700, 1), TestData.separable(100, 2));
    recipe = Files.writeString(dir.resolve("tiny.yaml"), RECIPE);
    Path base = dir.resolve("base");
    Process p = start(base);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the uninterrupted run did not finish");
    assertEquals(0, p.exitValue(), Files.readString(base.resolve("out.txt")));
    expected = fingerprint(base);
  }

  /** Waits for a moment of a training child process, kills it there, and says whether it landed inside. */
  @FunctionalInterface
  interface Moment {
    boolean killAt(Process p, Path d) throws Exception;
  }

  @Test
  void killInsideACheckpointWrite() throws Exception {
    killAndResume("checkpoint", "a checkpoint write", (p, d) -> {
      Path tmp = awaitPath(p, d.resolve("run/checkpoints"), ".epoch-0002-*[0-9].tmp");
      return kill(p) && tmp != null && Files.exists(tmp);
    });
  }

  @Test
  void killInsideTheExport() throws Exception {
    killAndResume("export", "the export", (p, d) -> {
      Path staging = awaitPath(p, d.resolve("models/tiny"), ".export-*.tmp");
      Path graph = staging == null ? null : awaitPath(p, staging, "saved_model.pb"); // now reloading and scoring
      return kill(p) && graph != null && Files.exists(staging);
    });
  }

  @Test
  void killDuringAnEpoch() throws Exception {
    killAndResume("epoch", "an epoch", (p, d) -> {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (p.isAlive() && System.nanoTime() < deadline
          && !Files.readString(d.resolve("out.txt")).contains("Epoch 1/")) {
        Thread.sleep(2);
      }
      Thread.sleep(20);
      return kill(p) && !Files.readString(d.resolve("out.txt")).contains("trained ");
    });
  }

  /**
   * Starts a training, kills it at {@code moment}, checks what it left and resumes it. A write can
   * finish between seeing it and the kill (milliseconds on a fast disk): then the resume is checked
   * all the same and another run tried, three in all.
   */
  private static void killAndResume(String name, String where, Moment moment) throws Exception {
    for (int attempt = 1; ; attempt++) {
      Path d = dir.resolve(name + "-" + attempt);
      boolean inside = moment.killAt(start(d), d);
      assertKilledAndResumed(d);
      if (inside) {
        return;
      }
      assertTrue(attempt < 3, "no kill landed inside " + where + " in three runs");
    }
  }

  private static String[] args(Path d, String... more) {
    List<String> a = new ArrayList<>(List.of("train", "--config", recipe.toString(), "--data-dir", data.toString(),
        "--run-dir", d.resolve("run").toString(), "--out", d.resolve("models").toString(), "--threads", "1"));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  /**
   * {@code fmnist train} in a child JVM on this test's class path, output to {@code d/out.txt}
   * ({@code d/resumed.txt} with more arguments).
   */
  private static Process start(Path d, String... more) throws IOException {
    Files.createDirectories(d);
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", System.getProperty("java.class.path"), "dev.fmnist.Main"));
    cmd.addAll(List.of(args(d, more)));
    Path log = d.resolve(more.length == 0 ? "out.txt" : "resumed.txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "1");
    return pb.start();
  }

  /** Polls (tightly: a checkpoint write lasts milliseconds) until {@code glob} matches in {@code dir}. */
  private static Path awaitPath(Process p, Path dir, String glob) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (p.isAlive() && System.nanoTime() < deadline) {
      if (Files.isDirectory(dir)) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
          for (Path match : s) {
            return match;
          }
        } catch (java.nio.file.NoSuchFileException | java.nio.file.DirectoryIteratorException raced) {
          // the directory changed under us: look again
        }
      }
      Thread.onSpinWait();
    }
    return null;
  }

  /** SIGKILLs the process; false if it had already ended. */
  private static boolean kill(Process p) throws InterruptedException {
    boolean alive = p.isAlive();
    p.destroyForcibly(); // SIGKILL
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return alive;
  }

  private static void assertKilledAndResumed(Path d) throws IOException, InterruptedException {
    String out = Files.readString(d.resolve("out.txt"));
    long reportedDone = out.lines().filter(l -> l.startsWith("Epoch ")).count();
    CheckpointStore store = new CheckpointStore(d.resolve("run/checkpoints"), 2);
    for (Path c : store.listNewestFirst()) {
      assertEquals(Optional.empty(), CheckpointStore.damage(c), c.toString());
    }
    assertCompleteVersions(d.resolve("models/tiny"));

    Process p = start(d, "--resume");
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the resume did not finish");
    String resumedOut = Files.readString(d.resolve("resumed.txt"));
    Cli resumed = new Cli(p.exitValue(), resumedOut, "");
    assertEquals(0, resumed.code(), resumedOut);
    long from = resumed.out().lines().filter(l -> l.startsWith("resuming from ")).findFirst()
        .map(l -> Long.parseLong(l.replaceAll(".*\\(epoch (\\d+)\\)$", "$1"))).orElse(0L);
    assertTrue(from >= reportedDone, "resumed from epoch " + from + " after " + reportedDone + " were reported done");
    assertFalse(resumed.out().contains("damaged checkpoint"), resumed.out());
    assertEquals(expected, fingerprint(d), "the resumed run differs from the uninterrupted one");
    assertEquals(List.of(), temporaries(d), "leftovers of interrupted writes");
  }

  private static void assertCompleteVersions(Path modelDir) throws IOException {
    if (!Files.isDirectory(modelDir)) {
      return;
    }
    try (Stream<Path> s = Files.list(modelDir)) {
      for (Path v : s.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        for (String f : List.of("saved_model.pb", "variables/variables.index", "assets.extra/fmnist.json")) {
          assertTrue(Files.isRegularFile(v.resolve(f)), v + " lacks " + f);
        }
      }
    }
  }

  private static List<Path> temporaries(Path d) throws IOException {
    try (Stream<Path> s = Files.walk(d)) {
      return s.filter(AtomicFiles::isTemporary).toList();
    }
  }

  /** Per-epoch metrics (not times) and the newest exported model's test metrics. */
  static String fingerprint(Path d) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (JsonNode e : JSON.readTree(d.resolve("run/history.json").toFile()).get("epochs")) {
      for (String k : List.of("epoch", "loss", "accuracy", "val_loss", "val_accuracy", "learning_rate")) {
        sb.append(e.get(k).asText()).append(' ');
      }
      sb.append('\n');
    }
    int newest;
    try (Stream<Path> s = Files.list(d.resolve("models/tiny"))) {
      newest = s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+")).mapToInt(Integer::parseInt)
          .max().orElseThrow();
    }
    JsonNode m = JSON.readTree(d.resolve("models/tiny/" + newest + "/assets.extra/fmnist.json").toFile()).get("metrics");
    return sb.append("test ").append(m.get("test_accuracy").asText()).append(' ').append(m.get("test_loss").asText())
        .toString();
  }
}
