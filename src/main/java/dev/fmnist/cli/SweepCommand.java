package dev.fmnist.cli;

import dev.fmnist.AtomicFiles;
import dev.fmnist.TerminalText;
import dev.fmnist.config.ConfigException;
import dev.fmnist.config.Sweep;
import dev.fmnist.model.ModelFootprint;
import dev.fmnist.data.Dataset;
import dev.fmnist.report.SweepTrials;
import dev.fmnist.train.SessionOptions;
import dev.fmnist.workflow.SweepRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fmnist sweep}: runs the trials of a sweep file (in this process, in child JVMs, or one
 * trial per invocation for cluster schedulers) and collects them ({@link SweepRun}).
 */
@Command(
    name = "sweep",
    description = {
      "Hyperparameter sweep: train each trial of SWEEP_FILE (grid or seeded random sample), score it on the"
          + " validation split, write trials.md/.csv/.png, and export the best trial's SavedModel to"
          + " <out>/<sweep name>/<version>/. Rerunning the same command resumes: finished trials are skipped.",
      "Example: fmnist sweep configs/sweep-cnn.yaml --parallel 2",
      "On a cluster: fmnist sweep FILE --run-dir SHARED --trial K for each K, then fmnist sweep FILE --run-dir SHARED --collect"
    })
public final class SweepCommand extends FmnistSubcommand {

  @Parameters(index = "0", paramLabel = "SWEEP_FILE", description = "The sweep file (YAML).")
  Path file;

  @Option(names = "--run-dir", paramLabel = "DIR",
      description = "Trials, tables and chart (default: runs/sweeps/<sweep name>).")
  Path runDir;

  @Mixin ExportDirOption out;

  @Mixin DataDirOption data;

  @Mixin TrainingOptions training;

  @Option(names = "--parallel", paramLabel = "N", defaultValue = "1",
      description = "Trials at once, each in its own JVM (default: ${DEFAULT-VALUE}: one after another, in this process).")
  int parallel;

  @Option(names = "--trial", paramLabel = "K",
      description = "Run trial K only, into the run directory, and stop (one task of a Slurm job array or a"
          + " Kubernetes Indexed Job; a trial that has a result is not run again).")
  Integer onlyTrial;

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
    if (training.threads != null) {
      SessionOptions.checkThreads("--threads", training.threads);
    }
    if (training.epochs != null && training.epochs < 1) {
      throw new ConfigException("--epochs: must be >= 1, found " + training.epochs);
    }
    if (onlyTrial != null && collect) {
      throw new ConfigException("--trial and --collect: give one of them");
    }
    Sweep sweep = Sweep.load(file);
    for (Sweep.Trial t : sweep.trials()) {
      ModelFootprint.checkRecipe(t.recipe(), file + ": trial " + t.number() + " (" + t.describe() + ")");
    }
    Path dir = runDir != null ? runDir : Path.of("runs", "sweeps", sweep.name());
    data.registerReading(sweep.base()); // no output inside the dataset
    AtomicFiles.requireWritableDirectory(dir); // before any training
    AtomicFiles.requireWritableDirectory(out.dir);
    SweepRun run = new SweepRun(sweep, training.epochs, dir, outw);
    int cores = Runtime.getRuntime().availableProcessors();
    if (onlyTrial != null) {
      Sweep.Trial t = run.trial(onlyTrial);
      Optional<SweepTrials.Row> done = run.result(t);
      if (done.isPresent()) {
        outw.printf(Locale.ROOT, "trial %d/%d (%s): finished before: %s%n", t.number(), run.trials().size(),
            t.describe(), SweepRun.describe(done.get()));
      } else {
        run.runTrial(t, data.open(t.recipe(), outw), SessionOptions.cpu(training.threadsOr(cores)),
            training.tensorBoard);
      }
      return 0;
    }
    int failure = 0;
    if (!collect) {
      outw.printf(Locale.ROOT, "fmnist sweep %s: %s (%s%s) of %s, %s%n", sweep.name(),
          TerminalText.plural(run.trials().size(), "trial"),
          sweep.mode().name().toLowerCase(Locale.ROOT),
          sweep.mode() == Sweep.Mode.RANDOM ? ", seed " + sweep.seed() + ", of " + sweep.gridSize() + " combinations" : "",
          sweep.base().name(), parallel == 1 ? "one after another" : parallel + " at once");
      outw.println("run directory: " + dir);
      for (Sweep.Trial t : run.trials()) {
        run.result(t).ifPresent(r -> outw.printf(Locale.ROOT, "trial %d/%d (%s): finished before: %s%n", t.number(),
            run.trials().size(), t.describe(), SweepRun.describe(r)));
      }
      outw.flush();
      List<Sweep.Trial> pending = run.pending();
      if (!pending.isEmpty() && parallel == 1) {
        Dataset dataset = data.open(sweep.base(), outw);
        SessionOptions session = SessionOptions.cpu(training.threadsOr(cores));
        for (Sweep.Trial t : pending) {
          run.runTrial(t, dataset, session, training.tensorBoard);
        }
      } else if (!pending.isEmpty()) {
        int childThreads = training.threadsOr(Math.max(1, cores / parallel));
        failure = run.runInChildJvms(pending, parallel, t -> childArguments(run, t, childThreads));
        if (failure != 0) {
          outw.println("some trials failed; rerun the same command to retry them");
          outw.flush();
          return failure;
        }
      }
    }
    SweepRun.Collected c = run.collect(() -> data.open(sweep.base(), outw), out.dir);
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

  /** The arguments of {@code fmnist} that run trial {@code t} alone in a child JVM, with this command's options. */
  private List<String> childArguments(SweepRun run, Sweep.Trial t, int childThreads) {
    List<String> args = new ArrayList<>(List.of("sweep", file.toString(), "--trial", Integer.toString(t.number()),
        "--run-dir", run.directory().toString(), "--threads", Integer.toString(childThreads)));
    if (data.dataDir != null) {
      args.addAll(List.of("--data-dir", data.dataDir.toString()));
    }
    if (training.epochs != null) {
      args.addAll(List.of("--epochs", training.epochs.toString()));
    }
    if (!training.tensorBoard) {
      args.add("--no-tensorboard");
    }
    return args;
  }
}
