package dev.fmnist.cli;

import dev.fmnist.config.ConfigException;
import dev.fmnist.StorageException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fmnist.AtomicFiles;
import dev.fmnist.FmnistException;
import dev.fmnist.config.Recipe;
import dev.fmnist.config.Sweep;
import dev.fmnist.data.DatasetLocator;
import dev.fmnist.data.FashionMnist;
import dev.fmnist.report.ChartFiles;
import dev.fmnist.report.SweepTrials;
import dev.fmnist.train.CheckpointStore;
import dev.fmnist.train.HistoryFiles;
import dev.fmnist.train.ProgressListener;
import dev.fmnist.train.SessionOptions;
import dev.fmnist.train.Trainer;
import dev.fmnist.train.TrainingResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fmnist sweep}: trains every trial of a sweep file on the training split, scores it on the
 * validation split, writes the trials table and chart, and exports the best trial (the only time
 * the test set is used).
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description = {
      "Hyperparameter sweep: train each trial of SWEEP_FILE (grid or seeded random sample), score it on the"
          + " validation split, write trials.md/.csv/.png, and export the best trial's SavedModel to"
          + " <out>/<sweep name>/<version>/. Rerunning the same command resumes: finished trials are skipped.",
      "Example: fmnist sweep configs/sweep-cnn.yaml --parallel 2"
    })
public final class SweepCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SWEEP_FILE", description = "The sweep file (YAML).")
  Path file;

  @Option(names = "--run-dir", paramLabel = "DIR",
      description = "Trials, tables and chart (default: runs/sweeps/<sweep name>).")
  Path runDir;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "savedmodels",
      description = "Where the best trial's SavedModel goes (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Dataset directory (default: $FMNIST_DATA, data/fashion-mnist/, /usr/share/datasets/fashion-mnist/).")
  Path dataDir;

  @Option(names = "--epochs", paramLabel = "N", description = "Override every trial's epochs (quick sweeps).")
  Integer epochs;

  @Option(names = "--threads", paramLabel = "N",
      description = "Intra-op threads per trial (default: all cores, divided among --parallel trials).")
  Integer threads;

  @Option(names = "--parallel", paramLabel = "N", defaultValue = "1",
      description = "Trials at once, each in its own JVM (default: ${DEFAULT-VALUE}: one after another, in this process).")
  int parallel;

  @Option(names = "--trial", paramLabel = "K", hidden = true, description = "Run trial K only (what --parallel starts).")
  Integer onlyTrial;

  /** Created on first use (start-up time of the other commands). */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  static final String PLAN = "plan.json";
  static final String RESULT = "result.json";
  static final String EXPORTED = "exported.json";

  @Override
  public Integer call() {
    PrintWriter outw = spec.commandLine().getOut();
    if (parallel < 1) {
      throw new ConfigException("--parallel: must be >= 1, found " + parallel);
    }
    Sweep sweep = Sweep.load(file);
    List<Sweep.Trial> trials = new ArrayList<>();
    for (Sweep.Trial t : sweep.trials()) {
      Recipe r = t.recipe();
      if (epochs != null) {
        if (epochs < 1) {
          throw new ConfigException("--epochs: must be >= 1, found " + epochs);
        }
        r = r.withTraining(r.training().withEpochs(epochs));
      }
      if (r.training().validationSplit() == 0) {
        throw new ConfigException(file + ": trial " + t.number() + ": training.validation_split is 0; a sweep"
            + " scores trials on the validation split (set it in 'fixed', e.g. validation_split: 5000)");
      }
      trials.add(new Sweep.Trial(t.number(), t.values(), r));
    }
    Path dir = runDir != null ? runDir : Path.of("runs", "sweeps", sweep.name());
    checkPlan(dir, Sweep.planJson(trials));
    List<String> keys = new ArrayList<>(sweep.parameters().keySet());
    int cores = Runtime.getRuntime().availableProcessors();
    if (onlyTrial != null) {
      Sweep.Trial t = trials.stream().filter(x -> x.number() == onlyTrial).findFirst()
          .orElseThrow(() -> new ConfigException("--trial: no trial " + onlyTrial + " in " + file));
      FashionMnist data = FashionMnist.load(DatasetLocator.locate(dataDir));
      runTrial(t, trials.size(), data, dir, session(threads != null ? threads : cores), outw);
      return 0;
    }
    outw.printf(Locale.ROOT, "fmnist sweep %s: %d trials (%s%s) of %s, %s%n", sweep.name(), trials.size(),
        sweep.mode().name().toLowerCase(Locale.ROOT),
        sweep.mode() == Sweep.Mode.RANDOM ? ", seed " + sweep.seed() + ", of " + sweep.gridSize() + " combinations" : "",
        sweep.base().name(), parallel == 1 ? "one after another" : parallel + " at once");
    outw.println("run directory: " + dir);
    List<Sweep.Trial> pending = new ArrayList<>();
    for (Sweep.Trial t : trials) {
      SweepTrials.Row done = readResult(dir, t, keys);
      if (done != null) {
        outw.printf(Locale.ROOT, "trial %d/%d (%s): finished before: %s%n", t.number(), trials.size(), t.describe(),
            done.done() ? String.format(Locale.ROOT, "validation accuracy %.4f", done.valAccuracy()) : done.status());
      } else {
        pending.add(t);
      }
    }
    outw.flush();
    int failure = 0;
    if (!pending.isEmpty() && parallel == 1) {
      FashionMnist data = FashionMnist.load(DatasetLocator.locate(dataDir));
      SessionOptions session = session(threads != null ? threads : cores);
      for (Sweep.Trial t : pending) {
        runTrial(t, trials.size(), data, dir, session, outw);
      }
    } else if (!pending.isEmpty()) {
      failure = runChildren(pending, trials.size(), dir, threads != null ? threads : Math.max(1, cores / parallel), outw);
    }
    return finish(sweep, trials, keys, dir, outw, failure);
  }

  private static SessionOptions session(int intra) {
    SessionOptions d = SessionOptions.cpuDefault();
    return new SessionOptions(SessionOptions.Device.CPU, intra, Math.min(d.interOpThreads(), Math.max(1, intra)));
  }

  /** Refuses to mix trials of a changed sweep into a run directory; writes the plan the first time. */
  private void checkPlan(Path dir, String plan) {
    Path p = dir.resolve(PLAN);
    if (Files.isRegularFile(p)) {
      try {
        JsonNode before = Json.MAPPER.readTree(p.toFile());
        JsonNode now = Json.MAPPER.readTree(plan);
        if (!before.equals(now)) {
          throw new ConfigException(dir + ": holds a different sweep (its " + PLAN + " lists other trials or"
              + " recipes than " + file + (epochs != null ? " with --epochs " + epochs : "")
              + " gives); use another --run-dir, or delete " + dir + " to start over");
        }
        return;
      } catch (IOException e) {
        throw new ConfigException(p + ": unreadable (" + FmnistException.firstLine(e.getMessage())
            + "); delete it to start the sweep over", e);
      }
    }
    AtomicFiles.write(p, plan.getBytes(StandardCharsets.UTF_8));
  }

  private void runTrial(Sweep.Trial t, int count, FashionMnist data, Path dir, SessionOptions session, PrintWriter outw) {
    Path trialDir = dir.resolve("trials").resolve(t.id());
    Recipe r = t.recipe();
    outw.printf(Locale.ROOT, "trial %d/%d (%s): training%n", t.number(), count, t.describe());
    outw.flush();
    AtomicFiles.deleteTemporaries(trialDir);
    Path checkpoints = trialDir.resolve("checkpoints");
    Trainer trainer = new Trainer(session, new CheckpointStore(checkpoints, r.training().checkpointsKept()),
        Files.isDirectory(checkpoints), outw,
        List.of(new ProgressListener(outw, null), new HistoryFiles(trialDir)));
    ObjectNode result = Json.MAPPER.createObjectNode().put("trial", t.number());
    ObjectNode values = result.putObject("values");
    t.values().forEach(values::set);
    try {
      TrainingResult tr = trainer.train(r, TrainCommand.split(data, r.training(), file + ": trial " + t.number()));
      result.put("status", "done")
          .put("val_accuracy", tr.chosen().valAccuracy())
          .put("val_loss", tr.chosen().valLoss())
          .put("epoch", tr.chosen().epoch())
          .put("epochs_run", tr.history().epochs().size())
          .put("seconds", tr.history().epochs().stream().mapToDouble(e -> e.seconds()).sum())
          .put("checkpoint", tr.weights().dir().toString());
      outw.printf(Locale.ROOT, "trial %d/%d: validation accuracy %.4f, loss %.4f (epoch %d)%n", t.number(), count,
          tr.chosen().valAccuracy(), tr.chosen().valLoss(), tr.chosen().epoch());
    } catch (dev.fmnist.train.TrainingDivergedException e) {
      result.put("status", "diverged").put("error", e.getMessage());
      outw.printf(Locale.ROOT, "trial %d/%d: diverged (%s); the sweep goes on%n", t.number(), count, e.getMessage());
    }
    result.set("recipe", dev.fmnist.config.RecipeLoader.toTree(r));
    AtomicFiles.write(trialDir.resolve(RESULT), (result.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8));
    outw.flush();
  }

  /** Runs trials as child JVMs, {@link #parallel} at once; returns the first failing exit code, or 0. */
  private int runChildren(List<Sweep.Trial> pending, int count, Path dir, int childThreads, PrintWriter outw) {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> jvm = new ArrayList<>();
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("-Xmx") || a.startsWith("-Djava.awt.headless")) {
        jvm.add(a);
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    try {
      List<Future<Integer>> codes = new ArrayList<>();
      for (Sweep.Trial t : pending) {
        codes.add(pool.submit(() -> {
          Path trialDir = dir.resolve("trials").resolve(t.id());
          Files.createDirectories(trialDir);
          List<String> cmd = new ArrayList<>(List.of(java));
          cmd.addAll(jvm);
          cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.fmnist.Main", "sweep", file.toString(),
              "--trial", Integer.toString(t.number()), "--run-dir", dir.toString(), "--threads",
              Integer.toString(childThreads)));
          if (dataDir != null) {
            cmd.addAll(List.of("--data-dir", dataDir.toString()));
          }
          if (epochs != null) {
            cmd.addAll(List.of("--epochs", epochs.toString()));
          }
          synchronized (outw) {
            outw.printf(Locale.ROOT, "trial %d/%d (%s): started in its own JVM, log in %s%n", t.number(), count,
                t.describe(), trialDir.resolve("train.log"));
            outw.flush();
          }
          Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
              .redirectOutput(trialDir.resolve("train.log").toFile()).start();
          int code = p.waitFor();
          synchronized (outw) {
            SweepTrials.Row row = readResult(dir, t, List.copyOf(t.values().keySet()));
            outw.printf(Locale.ROOT, "trial %d/%d: %s%n", t.number(), count, code != 0
                ? "failed with exit code " + code + " (see " + trialDir.resolve("train.log") + ")"
                : row != null && row.done() ? String.format(Locale.ROOT, "validation accuracy %.4f", row.valAccuracy())
                : row != null ? row.status() : "no result");
            outw.flush();
          }
          return code;
        }));
      }
      int first = 0;
      for (Future<Integer> f : codes) {
        int c = f.get();
        if (first == 0 && c != 0) {
          first = c;
        }
      }
      return first;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while trials ran", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new StorageException(dir + ": cannot start a trial: " + FmnistException.firstLine(e.getCause().getMessage()),
          e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** The trial's result, or null when it has none yet. */
  private static SweepTrials.Row readResult(Path dir, Sweep.Trial t, List<String> keys) {
    Path p = dir.resolve("trials").resolve(t.id()).resolve(RESULT);
    List<String> values = keys.stream().map(k -> text(t.values().get(k))).toList();
    if (!Files.isRegularFile(p)) {
      return null;
    }
    try {
      JsonNode n = Json.MAPPER.readTree(p.toFile());
      return new SweepTrials.Row(t.number(), values, n.path("status").asText("failed"),
          n.path("val_accuracy").asDouble(Double.NaN), n.path("val_loss").asDouble(Double.NaN),
          n.path("epoch").asInt(0), n.path("epochs_run").asInt(0), n.path("seconds").asDouble(Double.NaN));
    } catch (IOException e) {
      return null; // unreadable: the trial runs again
    }
  }

  private static String text(JsonNode v) {
    return v.isTextual() ? v.asText() : v.toString();
  }

  private int finish(Sweep sweep, List<Sweep.Trial> trials, List<String> keys, Path dir, PrintWriter outw,
      int failure) {
    List<SweepTrials.Row> rows = new ArrayList<>();
    for (Sweep.Trial t : trials) {
      SweepTrials.Row r = readResult(dir, t, keys);
      rows.add(r != null ? r : new SweepTrials.Row(t.number(), keys.stream().map(k -> text(t.values().get(k))).toList(),
          "failed", Double.NaN, Double.NaN, 0, 0, Double.NaN));
    }
    String md = SweepTrials.markdown(keys, rows);
    AtomicFiles.write(dir.resolve("trials.md"), md.getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(dir.resolve("trials.csv"), SweepTrials.csv(keys, rows).getBytes(StandardCharsets.UTF_8));
    ChartFiles.render("trials", "Validation accuracy per trial",
        SweepTrials.chart("Sweep " + sweep.name() + ": validation accuracy per trial", keys, rows), 1000, 620)
        .writeTo(dir);
    outw.println();
    outw.print(md);
    outw.println("wrote " + dir.resolve("trials.md") + ", trials.csv, trials.png and trials.svg");
    int best = SweepTrials.best(rows);
    if (best < 0) {
      throw new ConfigException(dir + ": no trial finished (" + rows.stream().map(SweepTrials.Row::status)
          .distinct().reduce((a, b) -> a + ", " + b).orElse("none") + "); nothing to export");
    }
    Sweep.Trial bt = trials.get(best - 1);
    Path trialDir = dir.resolve("trials").resolve(bt.id());
    String exportedBefore = exportedBefore(dir, bt);
    if (exportedBefore != null) {
      outw.println("best: trial " + best + " (" + bt.describe() + "), already exported to " + exportedBefore);
    } else {
      outw.printf(Locale.ROOT, "best: trial %d (%s); exporting it and scoring it on the test set%n", best, bt.describe());
      ExportCommand.Exported e = ExportCommand.exportRun(trialDir, null, null, out,
          () -> FashionMnist.load(DatasetLocator.locate(dataDir)), outw);
      ObjectNode marker = Json.MAPPER.createObjectNode().put("trial", best)
          .put("savedmodel", e.saved().dir().toString());
      AtomicFiles.write(dir.resolve(EXPORTED), (marker.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8));
      outw.printf(Locale.ROOT, "best trial %d: test accuracy %.4f (%d/%d), test loss %.4f; SavedModel %s%n", best,
          e.saved().test().accuracy(), e.saved().test().correct(), e.saved().test().count(), e.saved().test().loss(),
          e.saved().dir());
    }
    outw.flush();
    return failure;
  }

  private static String exportedBefore(Path dir, Sweep.Trial best) {
    Path marker = dir.resolve(EXPORTED);
    if (!Files.isRegularFile(marker)) {
      return null;
    }
    try {
      JsonNode n = Json.MAPPER.readTree(marker.toFile());
      String saved = n.path("savedmodel").asText();
      return n.path("trial").asInt() == best.number() && Files.isDirectory(Path.of(saved)) ? saved : null;
    } catch (IOException e) {
      return null;
    }
  }
}
