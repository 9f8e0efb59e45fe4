package dev.fmnist.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fmnist.AtomicFiles;
import dev.fmnist.FmnistException;
import dev.fmnist.StorageException;
import dev.fmnist.config.ConfigException;
import dev.fmnist.config.Recipe;
import dev.fmnist.config.RecipeLoader;
import dev.fmnist.config.Sweep;
import dev.fmnist.data.Dataset;
import dev.fmnist.export.ExportSource;
import dev.fmnist.export.ModelExporter;
import dev.fmnist.report.ChartFiles;
import dev.fmnist.report.SweepTrials;
import dev.fmnist.train.SessionOptions;
import dev.fmnist.train.TrainingDivergedException;
import dev.fmnist.train.TrainingResult;
import dev.fmnist.train.TrainingRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A hyperparameter sweep's run directory, {@code runs/sweeps/<name>/}: the plan ({@code plan.json},
 * every trial's recipe, so a directory never mixes two sweeps), one directory per trial ({@code
 * trials/NNN/} with checkpoints, history and {@code result.json}), and, once every trial has a
 * result, the trials table and chart and the export of the best trial (the only time the test set
 * is used). Trials are scored on the validation split only; a diverged trial is recorded as such
 * and the sweep goes on. Each trial can run in its own process, on its own machine, into one
 * shared directory ({@link #runTrial}), and {@link #collect} finishes the sweep once all are done.
 */
public final class SweepRun {
  static final String PLAN = "plan.json";
  static final String RESULT = "result.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Sweep sweep;
  private final List<Sweep.Trial> trials;
  private final List<String> keys;
  private final Path dir;
  private final PrintWriter log;

  /**
   * Opens (or starts) the sweep's run directory, refusing one that holds a different sweep.
   *
   * @param epochs overrides every trial's epochs unless null (quick sweeps)
   * @param sweep the sweep
   * @param dir the sweep's run directory
   * @param log receives progress messages
   * @throws ConfigException when a trial has no validation split, or the directory holds another sweep
   */
  public SweepRun(Sweep sweep, Integer epochs, Path dir, PrintWriter log) {
    this.sweep = sweep;
    this.dir = dir;
    this.log = log;
    this.keys = List.copyOf(sweep.parameters().keySet());
    List<Sweep.Trial> list = new ArrayList<>();
    for (Sweep.Trial t : sweep.trials()) {
      Recipe r = t.recipe();
      if (epochs != null) {
        r = r.toBuilder().training(b -> b.epochs(epochs)).build();
      }
      if (r.training().validationSplit() == 0) {
        throw new ConfigException(sweep.file() + ": trial " + t.number() + ": training.validation_split is 0; a sweep"
            + " scores trials on the validation split (set it in 'fixed', e.g. validation_split: 5000)");
      }
      list.add(new Sweep.Trial(t.number(), t.values(), r));
    }
    this.trials = List.copyOf(list);
    checkPlan(epochs);
  }

  /**
   * Every trial, in order.
   *
   * @return the trials
   */
  public List<Sweep.Trial> trials() {
    return trials;
  }

  /**
   * The run directory.
   *
   * @return the sweep's run directory
   */
  public Path directory() {
    return dir;
  }

  /**
   * Trial {@code number}'s directory.
   *
   * @param t the trial
   * @return {@code <run-dir>/<trial id>}
   */
  public Path trialDirectory(Sweep.Trial t) {
    return dir.resolve("trials").resolve(t.id());
  }

  /**
   * Trial {@code number}.
   *
   * @param number the trial number, from 1
   * @return the trial
   */
  public Sweep.Trial trial(int number) {
    return trials.stream().filter(x -> x.number() == number).findFirst()
        .orElseThrow(() -> new ConfigException(sweep.file() + ": no trial " + number + " (the sweep has "
            + trials.size() + ")"));
  }

  /**
   * The trial's recorded outcome, if it has finished (done or diverged).
   *
   * @param t the trial
   * @return its row, or empty when it has not finished or its result cannot be read
   */
  public Optional<SweepTrials.Row> result(Sweep.Trial t) {
    Path p = trialDirectory(t).resolve(RESULT);
    if (!Files.isRegularFile(p)) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(p.toFile());
      return Optional.of(new SweepTrials.Row(t.number(), values(t), n.path("status").asText("failed"),
          n.path("val_accuracy").asDouble(Double.NaN), n.path("val_loss").asDouble(Double.NaN),
          n.path("epoch").asInt(0), n.path("epochs_run").asInt(0), n.path("seconds").asDouble(Double.NaN)));
    } catch (IOException e) {
      return Optional.empty(); // unreadable: the trial runs again
    }
  }

  /**
   * The trials that have no result yet.
   *
   * @return the pending trials, in order
   */
  public List<Sweep.Trial> pending() {
    return trials.stream().filter(t -> result(t).isEmpty()).toList();
  }

  /**
   * Trains one trial on the training split (resuming its checkpoints if it was interrupted), scores
   * it on the validation split, and writes its {@code result.json}.
   *
   * @param t the trial
   * @param data the dataset; trials train on its training split
   * @param session the device and thread counts
   * @return the trial's row
   */
  public SweepTrials.Row runTrial(Sweep.Trial t, Dataset data, SessionOptions session) {
    return runTrial(t, data, session, true);
  }

  /**
   * As {@link #runTrial(Sweep.Trial, Dataset, SessionOptions)}; {@code tensorBoard} writes the trial's TensorBoard logs.
   *
   * @param t the trial
   * @param data the dataset; trials train on its training split
   * @param session the device and thread counts
   * @param tensorBoard true to write TensorBoard logs
   * @return the trial's row
   */
  public SweepTrials.Row runTrial(Sweep.Trial t, Dataset data, SessionOptions session, boolean tensorBoard) {
    Path trialDir = trialDirectory(t);
    Recipe r = t.recipe();
    log.printf(Locale.ROOT, "trial %d/%d (%s): training%n", t.number(), trials.size(), t.describe());
    log.flush();
    ObjectNode result = JSON.createObjectNode().put("trial", t.number());
    ObjectNode values = result.putObject("values");
    t.values().forEach(values::set);
    try {
      TrainingResult tr = TrainingRun.of(r).data(data).runDirectory(trialDir).session(session)
          .resume(Files.isDirectory(trialDir.resolve("checkpoints"))).log(log).progress(log, null)
          .tensorBoard(tensorBoard, 0).fit();
      result.put("status", "done")
          .put("val_accuracy", tr.chosen().valAccuracy())
          .put("val_loss", tr.chosen().valLoss())
          .put("epoch", tr.chosen().epoch())
          .put("epochs_run", tr.history().epochs().size())
          .put("seconds", tr.history().epochs().stream().mapToDouble(e -> e.seconds()).sum())
          .put("checkpoint", tr.weights().dir().toString());
      log.printf(Locale.ROOT, "trial %d/%d: validation accuracy %.4f, loss %.4f (epoch %d)%n", t.number(),
          trials.size(), tr.chosen().valAccuracy(), tr.chosen().valLoss(), tr.chosen().epoch());
    } catch (TrainingDivergedException e) {
      result.put("status", "diverged").put("error", e.getMessage());
      log.printf(Locale.ROOT, "trial %d/%d: diverged (%s); the sweep goes on%n", t.number(), trials.size(),
          e.getMessage());
    }
    result.set("recipe", RecipeLoader.toTree(r));
    AtomicFiles.write(trialDir.resolve(RESULT), (result.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8));
    log.flush();
    return result(t).orElseThrow();
  }

  /**
   * Runs trials each in a child JVM of its own ({@code dev.fmnist.Main} with {@code mainArguments},
   * typically {@code sweep FILE --trial K}), {@code parallel} at once, each writing its output to
   * {@code train.log} in its trial directory; one line per trial's start and end goes to the log.
   * The child JVMs get this JVM's heap limit and headless setting and its class path.
   *
   * @param pending the trials to run
   * @param parallel how many run at once, 1 or more
   * @param mainArguments the arguments of {@code fmnist} that run one trial alone
   * @return the first failing child's exit code, or 0 when all succeeded
   * @throws StorageException when a child cannot be started or the wait is interrupted
   */
  public int runInChildJvms(List<Sweep.Trial> pending, int parallel, Function<Sweep.Trial, List<String>> mainArguments) {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> jvm = new ArrayList<>();
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("-Xmx") || a.startsWith("-Djava.awt.headless")) {
        jvm.add(a);
      }
    }
    int count = trials.size();
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    try {
      List<Future<Integer>> codes = new ArrayList<>();
      for (Sweep.Trial t : pending) {
        codes.add(pool.submit(() -> {
          Path trialDir = trialDirectory(t);
          Files.createDirectories(trialDir);
          // the child's output is redirected there by the OS: a link or device there is refused, as for every output
          AtomicFiles.requireReplaceable(trialDir.resolve("train.log"));
          List<String> cmd = new ArrayList<>(List.of(java));
          cmd.addAll(jvm);
          cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.fmnist.Main"));
          cmd.addAll(mainArguments.apply(t));
          synchronized (log) {
            log.printf(Locale.ROOT, "trial %d/%d (%s): started in its own JVM, log in %s%n", t.number(), count,
                t.describe(), trialDir.resolve("train.log"));
            log.flush();
          }
          Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
              .redirectOutput(trialDir.resolve("train.log").toFile()).start();
          int code = p.waitFor();
          synchronized (log) {
            Optional<SweepTrials.Row> row = result(t);
            log.printf(Locale.ROOT, "trial %d/%d: %s%n", t.number(), count, code != 0
                ? "failed with exit code " + code + " (see " + trialDir.resolve("train.log") + ")"
                : row.map(SweepRun::describe).orElse("no result"));
            log.flush();
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
    } catch (ExecutionException e) {
      throw new StorageException(dir + ": cannot start a trial: " + FmnistException.firstLine(e.getCause().getMessage()),
          e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A trial's outcome in a few words: {@code validation accuracy 0.9012}, or its status.
   *
   * @param r the trial's row
   * @return the words
   */
  public static String describe(SweepTrials.Row r) {
    return r.done() ? String.format(Locale.ROOT, "validation accuracy %.4f", r.valAccuracy()) : r.status();
  }

  /**
   * Writes {@code trials.md}, {@code trials.csv} and the chart from every trial's result, and
   * exports the best trial (highest validation accuracy; ties: lower validation loss, then the
   * earlier trial) to {@code savedModels}, unless it was exported before.
   *
   * @param data the dataset, read only when the best trial is exported
   * @param savedModels the directory the best trial is exported into
   * @return the rows of the table and the export
   * @throws ConfigException listing the trials that have no result yet, or when none finished
   */
  public Collected collect(Supplier<Dataset> data, Path savedModels) {
    List<Sweep.Trial> missing = pending();
    if (!missing.isEmpty()) {
      throw new ConfigException(dir + ": " + missing.size() + " of " + trials.size() + " trials have no result yet: "
          + String.join(", ", missing.stream().map(t -> Integer.toString(t.number())).toList())
          + "; run them (fmnist sweep FILE --trial K) before collecting");
    }
    List<SweepTrials.Row> rows = trials.stream().map(t -> result(t).orElseThrow()).toList();
    String md = SweepTrials.markdown(keys, rows);
    AtomicFiles.write(dir.resolve("trials.md"), md.getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(dir.resolve("trials.csv"), SweepTrials.csv(keys, rows).getBytes(StandardCharsets.UTF_8));
    ChartFiles.render("trials", "Validation accuracy per trial",
        SweepTrials.chart("Sweep " + sweep.name() + ": validation accuracy per trial", keys, rows), 1000, 620)
        .writeTo(dir);
    int best = SweepTrials.best(rows);
    if (best < 0) {
      throw new ConfigException(dir + ": no trial finished (" + rows.stream().map(SweepTrials.Row::status)
          .distinct().reduce((a, b) -> a + ", " + b).orElse("none") + "); nothing to export");
    }
    Sweep.Trial bt = trial(best);
    Dataset d = data.get();
    // the trials' recipes carry the sweep's name (Sweep), so the best is exported as <savedmodels>/<sweep name>/
    ExportSource source = ExportSource.fromRunDirectory(trialDirectory(bt), null, null, d.spec());
    ModelExporter.Exported e = new ModelExporter(savedModels, log).exportOnce(source, d, dir);
    return new Collected(rows, md, bt, e);
  }

  /**
   * A collected sweep.
   *
   * @param rows the table's rows
   * @param markdown the table as {@code trials.md} holds it
   * @param best the best trial
   * @param export its SavedModel ({@code fresh} false when it was exported before)
   */
  public record Collected(List<SweepTrials.Row> rows, String markdown, Sweep.Trial best, ModelExporter.Exported export) {}

  private List<String> values(Sweep.Trial t) {
    return keys.stream().map(k -> {
      JsonNode v = t.values().get(k);
      return v.isTextual() ? v.asText() : v.toString();
    }).toList();
  }

  /** Refuses to mix trials of a changed sweep into a run directory; writes the plan the first time. */
  private void checkPlan(Integer epochs) {
    String plan = Sweep.planJson(trials);
    Path p = dir.resolve(PLAN);
    if (Files.isRegularFile(p)) {
      try {
        JsonNode before = JSON.readTree(p.toFile());
        JsonNode now = JSON.readTree(plan);
        if (!before.equals(now)) {
          throw new ConfigException(dir + ": holds a different sweep (its " + PLAN + " lists other trials or"
              + " recipes than " + sweep.file() + (epochs != null ? " with --epochs " + epochs : "")
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
}
