package dev.fmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.TestData;
import dev.fmnist.report.SweepTrials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fmnist sweep} end to end on a tiny dataset: tables, chart, best export, resume, parallel. */
class SweepCommandTest {
  private static final String SWEEP = """
      name: tiny-sweep
      recipe: tiny.yaml
      fixed: {epochs: 1}
      parameters:
        learning_rate: [0.00001, 0.01]
        dropout: [0.0, 0.3]
      """;

  @Test
  void sweepsResumesAndRunsInParallel(@TempDir Path dir) throws Exception {
    Path data = TestData.writeDataset(dir.resolve("data"), TestData.separable(200, 1), TestData.separable(50, 2));
    Files.writeString(dir.resolve("tiny.yaml"), TestData.TINY_RECIPE);
    Path sweep = Files.writeString(dir.resolve("sweep.yaml"), SWEEP);
    Path run = dir.resolve("run");
    String[] common = {"--data-dir", data.toString(), "--out", dir.resolve("models").toString(),
        "--run-dir", run.toString(), "--threads", "1"};
    Cli first = Cli.run(TrainCommandTest.concat(new String[] {"sweep", sweep.toString()}, common));
    assertEquals(0, first.code(), first.out() + first.err());
    assertTrue(first.out().contains("4 trials (grid) of tiny"), first.out());
    assertEquals(4, count(first.out(), ": training\n"), first.out());
    List<String> csv = Files.readAllLines(run.resolve("trials.csv"));
    assertEquals("trial,learning_rate,dropout,val_accuracy,val_loss,epoch,epochs_run,seconds,status", csv.get(0));
    assertEquals(5, csv.size());
    assertTrue(csv.get(1).startsWith("1,1.0E-5,0.0,"), csv.get(1));
    // the tiny model learns its easy classes at lr 0.01, not at 1e-5: the best trial is 3 or 4
    int best = csv.stream().skip(1).map(l -> l.split(",")).filter(f -> f[8].equals("done"))
        .max((a, b) -> Double.compare(Double.parseDouble(a[3]), Double.parseDouble(b[3])))
        .map(f -> Integer.parseInt(f[0])).orElseThrow();
    assertTrue(best >= 3, String.join("\n", csv));
    assertTrue(first.out().contains("best: trial " + best), first.out());
    assertTrue(Files.readString(run.resolve("trials.md")).contains("(best)"));
    assertTrue(Files.size(run.resolve("trials.png")) > 1000);
    assertTrue(Files.readString(run.resolve("trials.svg")).startsWith("<?xml"));
    assertTrue(Files.exists(dir.resolve("models/tiny-sweep/1/saved_model.pb")), "best trial exported");
    assertTrue(first.out().contains("test accuracy"), first.out());
    assertEquals(1, count(first.out(), "(test accuracy"), "the test set is used once, by the export: " + first.out());

    // rerun: every trial finished before, the best is already exported
    Cli again = Cli.run(TrainCommandTest.concat(new String[] {"sweep", sweep.toString()}, common));
    assertEquals(0, again.code(), again.err());
    assertEquals(4, count(again.out(), "finished before"), again.out());
    assertFalse(again.out().contains(": training\n"), again.out());
    assertTrue(again.out().contains("already exported"), again.out());
    assertFalse(Files.exists(dir.resolve("models/tiny-sweep/2")));

    // a killed sweep: two results gone; those two train again, in 2 child JVMs
    Files.delete(run.resolve("trials/002/result.json"));
    Files.delete(run.resolve("trials/004/result.json"));
    Cli parallel = Cli.run(TrainCommandTest.concat(new String[] {"sweep", sweep.toString(), "--parallel", "2"}, common));
    assertEquals(0, parallel.code(), parallel.out() + parallel.err());
    assertEquals(2, count(parallel.out(), "finished before"), parallel.out());
    assertEquals(2, count(parallel.out(), "started in its own JVM"), parallel.out());
    assertTrue(Files.readString(run.resolve("trials/004/train.log")).contains("resuming from"),
        "an interrupted trial resumes from its checkpoint");
    assertEquals(5, Files.readAllLines(run.resolve("trials.csv")).size());

    // a changed sweep is refused in the same run directory
    Files.writeString(sweep, SWEEP.replace("[0.0, 0.3]", "[0.0, 0.4]"));
    Cli changed = Cli.run(TrainCommandTest.concat(new String[] {"sweep", sweep.toString()}, common));
    assertEquals(2, changed.code(), changed.out());
    assertTrue(changed.err().contains("holds a different sweep"), changed.err());
  }

  @Test
  void selectionPrefersAccuracyThenLossThenTheEarlierTrial() {
    List<String> v = List.of("x");
    assertEquals(2, SweepTrials.best(List.of(
        new SweepTrials.Row(1, v, "done", 0.80, 0.5, 1, 1, 1),
        new SweepTrials.Row(2, v, "done", 0.90, 0.6, 1, 1, 1),
        new SweepTrials.Row(3, v, "done", 0.90, 0.7, 1, 1, 1),
        new SweepTrials.Row(4, v, "diverged", Double.NaN, Double.NaN, 0, 1, 1))));
    assertEquals(1, SweepTrials.best(List.of(
        new SweepTrials.Row(1, v, "done", 0.90, 0.5, 1, 1, 1),
        new SweepTrials.Row(2, v, "done", 0.90, 0.5, 1, 1, 1))));
    assertEquals(-1, SweepTrials.best(List.of(new SweepTrials.Row(1, v, "failed", Double.NaN, Double.NaN, 0, 0, 0))));
  }

  /**
   * Trials run as separate processes at the same time into one run directory (as a Slurm job array
   * or a Kubernetes Indexed Job would), then collected: the same table as a one-machine sweep, and
   * collecting is refused while a trial is missing.
   */
  @Test
  void trialsRunAsSeparateConcurrentProcessesAndCollectToTheSameTable(@TempDir Path dir) throws Exception {
    Path data = TestData.writeDataset(dir.resolve("data"), TestData.separable(200, 1), TestData.separable(50, 2));
    Files.writeString(dir.resolve("tiny.yaml"), TestData.TINY_RECIPE);
    Path sweep = Files.writeString(dir.resolve("sweep.yaml"), SWEEP);
    Path oneMachine = dir.resolve("one");
    Cli whole = Cli.run("sweep", sweep.toString(), "--data-dir", data.toString(), "--run-dir", oneMachine.toString(),
        "--out", dir.resolve("models-one").toString(), "--threads", "1");
    assertEquals(0, whole.code(), whole.err());

    Path shared = dir.resolve("shared");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> tasks = new java.util.ArrayList<>();
    for (int k : new int[] {1, 2, 4}) { // trial 3 is "still queued"
      tasks.add(new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"), "dev.fmnist.Main",
          "sweep", sweep.toString(), "--trial", Integer.toString(k), "--run-dir", shared.toString(),
          "--data-dir", data.toString(), "--threads", "1")
          .redirectErrorStream(true).redirectOutput(dir.resolve("task-" + k + ".log").toFile()).start());
    }
    for (Process p : tasks) {
      assertEquals(0, p.waitFor(), "a task failed");
    }
    Path models = dir.resolve("models-cluster");
    Cli early = Cli.run("sweep", sweep.toString(), "--collect", "--run-dir", shared.toString(),
        "--data-dir", data.toString(), "--out", models.toString());
    assertEquals(2, early.code(), early.out());
    assertTrue(early.errorLine().endsWith("1 of 4 trials have no result yet: 3; run them (fmnist sweep FILE --trial K)"
        + " before collecting"), early.err());
    assertFalse(Files.exists(models), "nothing exported while a trial is missing");

    Cli three = Cli.run("sweep", sweep.toString(), "--trial", "3", "--run-dir", shared.toString(),
        "--data-dir", data.toString(), "--threads", "1");
    assertEquals(0, three.code(), three.err());
    Cli again = Cli.run("sweep", sweep.toString(), "--trial", "3", "--run-dir", shared.toString(),
        "--data-dir", data.toString(), "--threads", "1");
    assertTrue(again.out().contains("trial 3/4 (learning_rate=0.01 dropout=0.0): finished before"), again.out());
    Cli collect = Cli.run("sweep", sweep.toString(), "--collect", "--run-dir", shared.toString(),
        "--data-dir", data.toString(), "--out", models.toString());
    assertEquals(0, collect.code(), collect.err());
    assertEquals(withoutSeconds(oneMachine.resolve("trials.csv")), withoutSeconds(shared.resolve("trials.csv")),
        "the same table as the one-machine sweep");
    assertTrue(Files.exists(models.resolve("tiny-sweep/1/saved_model.pb")), "the best trial exported once");
  }

  /** trials.csv without its seconds column (wall times differ between runs). */
  private static List<String> withoutSeconds(Path csv) throws java.io.IOException {
    List<String> lines = Files.readAllLines(csv);
    int col = List.of(lines.get(0).split(",")).indexOf("seconds");
    return lines.stream().map(l -> {
      List<String> f = new java.util.ArrayList<>(List.of(l.split(",", -1)));
      f.remove(col);
      return String.join(",", f);
    }).toList();
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
