package dev.fmnist.cli;

import dev.fmnist.StorageException;
import dev.fmnist.config.ConfigException;
import dev.fmnist.config.Sweep;
import dev.fmnist.model.ModelFootprint;
import dev.fmnist.data.Dataset;
import dev.fmnist.data.Datasets;
import dev.fmnist.report.SweepTrials;
import dev.fmnist.train.SessionOptions;
import dev.fmnist.workflow.SweepRun;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
 * {@code fmnist sweep}: runs the trials of a sweep file (in this process, in child JVMs, or one
 * trial per invocation for cluster schedulers) and collects them ({@link SweepRun}).
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description = {
      "Hyperparameter sweep: train each trial of SWEEP_FILE (grid or seeded random sample), score it on the"
          + " validation split, write trials.md/.csv/.png, and export the best trial's SavedModel to"
          + " <out>/<sweep name>/<version>/. Rerunning the same command resumes: finished trials are skipped.",
      "Example: fmnist sweep configs/sweep-cnn.yaml --parallel 2",
      "On a cluster: fmnist sweep FILE --run-dir SHARED --trial K for each K, then fmnist sweep FILE --run-dir SHARED --collect"
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

  @Option(names = "--trial", paramLabel = "K",
      description = "Run trial K only, into the run directory, and stop (one task of a Slurm job array or a"
          + " Kubernetes Indexed Job; a trial that has a result is not run again).")
  Integer onlyTrial;

  @Option(names = "--tensorboard", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Write each trial's TensorBoard logs into trials/NNN/tensorboard/ (default: on).")
  boolean tensorBoard;

  @Option(names = "--collect",
      description = "Only collect: write the trials table and chart and export the best trial, once every trial has"
          + " a result (refused, listing the missing trials, before).")
  boolean collect;

  @Override
  public Integer call() {
    PrintWriter outw = spec.commandLine().getOut();
    if (parallel < 1) {
      throw new ConfigException("--parallel: must be >= 1, found " + parallel);
    }
    SessionOptions.checkThreads("--parallel", parallel);
    if (threads != null) {
      SessionOptions.checkThreads("--threads", threads);
    }
    if (epochs != null && epochs < 1) {
      throw new ConfigException("--epochs: must be >= 1, found " + epochs);
    }
    if (onlyTrial != null && collect) {
      throw new ConfigException("--trial and --collect: give one of them");
    }
    Sweep sweep = Sweep.load(file);
    for (Sweep.Trial t : sweep.trials()) {
      ModelFootprint.checkRecipe(t.recipe(), file + ": trial " + t.number() + " (" + t.describe() + ")");
    }
    Path dir = runDir != null ? runDir : Path.of("runs", "sweeps", sweep.name());
    SweepRun run = new SweepRun(sweep, epochs, dir, outw);
    int cores = Runtime.getRuntime().availableProcessors();
    if (onlyTrial != null) {
      Sweep.Trial t = run.trial(onlyTrial);
      Optional<SweepTrials.Row> done = run.result(t);
      if (done.isPresent()) {
        outw.printf(Locale.ROOT, "trial %d/%d (%s): finished before: %s%n", t.number(), run.trials().size(),
            t.describe(), describe(done.get()));
      } else {
        run.runTrial(t, Datasets.open(t.recipe(), dataDir, LoadProgress.of(outw)), session(threads != null ? threads : cores),
            tensorBoard);
      }
      return 0;
    }
    int failure = 0;
    if (!collect) {
      outw.printf(Locale.ROOT, "fmnist sweep %s: %d trials (%s%s) of %s, %s%n", sweep.name(), run.trials().size(),
          sweep.mode().name().toLowerCase(Locale.ROOT),
          sweep.mode() == Sweep.Mode.RANDOM ? ", seed " + sweep.seed() + ", of " + sweep.gridSize() + " combinations" : "",
          sweep.base().name(), parallel == 1 ? "one after another" : parallel + " at once");
      outw.println("run directory: " + dir);
      for (Sweep.Trial t : run.trials()) {
        run.result(t).ifPresent(r -> outw.printf(Locale.ROOT, "trial %d/%d (%s): finished before: %s%n", t.number(),
            run.trials().size(), t.describe(), describe(r)));
      }
      outw.flush();
      List<Sweep.Trial> pending = run.pending();
      if (!pending.isEmpty() && parallel == 1) {
        Dataset data = Datasets.open(sweep.base(), dataDir, LoadProgress.of(outw));
        SessionOptions session = session(threads != null ? threads : cores);
        for (Sweep.Trial t : pending) {
          run.runTrial(t, data, session, tensorBoard);
        }
      } else if (!pending.isEmpty()) {
        failure = runChildren(run, pending, threads != null ? threads : Math.max(1, cores / parallel), outw);
        if (failure != 0) {
          outw.println("some trials failed; rerun the same command to retry them");
          outw.flush();
          return failure;
        }
      }
    }
    SweepRun.Collected c = run.collect(() -> Datasets.open(sweep.base(), dataDir, LoadProgress.of(outw)), out);
    outw.println();
    outw.print(c.markdown());
    outw.println("wrote " + dir.resolve("trials.md") + ", trials.csv, trials.png and trials.svg");
    if (!c.export().fresh()) {
      outw.println("best: trial " + c.best().number() + " (" + c.best().describe() + "), already exported to "
          + c.export().dir());
    } else {
      outw.printf(Locale.ROOT, "best: trial %d (%s), exported: test accuracy %.4f (%d/%d), test loss %.4f; SavedModel %s%n",
          c.best().number(), c.best().describe(), c.export().test().accuracy(), c.export().test().correct(),
          c.export().test().count(), c.export().test().loss(), c.export().dir());
    }
    outw.flush();
    return 0;
  }

  private static String describe(SweepTrials.Row r) {
    return r.done() ? String.format(Locale.ROOT, "validation accuracy %.4f", r.valAccuracy()) : r.status();
  }

  private static SessionOptions session(int intra) {
    SessionOptions d = SessionOptions.cpuDefault();
    return new SessionOptions(SessionOptions.Device.CPU, intra, Math.min(d.interOpThreads(), Math.max(1, intra)));
  }

  /** Runs trials as child JVMs ({@code fmnist sweep FILE --trial K}), {@link #parallel} at once; returns the first failing exit code, or 0. */
  private int runChildren(SweepRun run, List<Sweep.Trial> pending, int childThreads, PrintWriter outw) {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> jvm = new ArrayList<>();
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("-Xmx") || a.startsWith("-Djava.awt.headless")) {
        jvm.add(a);
      }
    }
    int count = run.trials().size();
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    try {
      List<Future<Integer>> codes = new ArrayList<>();
      for (Sweep.Trial t : pending) {
        codes.add(pool.submit(() -> {
          Path trialDir = run.trialDirectory(t);
          Files.createDirectories(trialDir);
          List<String> cmd = new ArrayList<>(List.of(java));
          cmd.addAll(jvm);
          cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.fmnist.Main", "sweep", file.toString(),
              "--trial", Integer.toString(t.number()), "--run-dir", run.directory().toString(), "--threads",
              Integer.toString(childThreads)));
          if (dataDir != null) {
            cmd.addAll(List.of("--data-dir", dataDir.toString()));
          }
          if (epochs != null) {
            cmd.addAll(List.of("--epochs", epochs.toString()));
          }
          if (!tensorBoard) {
            cmd.add("--no-tensorboard");
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
            Optional<SweepTrials.Row> row = run.result(t);
            outw.printf(Locale.ROOT, "trial %d/%d: %s%n", t.number(), count, code != 0
                ? "failed with exit code " + code + " (see " + trialDir.resolve("train.log") + ")"
                : row.map(SweepCommand::describe).orElse("no result"));
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
      throw new StorageException(run.directory() + ": cannot start a trial: "
          + dev.fmnist.FmnistException.firstLine(e.getCause().getMessage()), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
