package dev.fmnist.train.tensorboard;

import dev.fmnist.AtomicFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.Summary;

/**
 * TensorBoard logs of a training run, laid out and named as Keras 3's {@code TensorBoard} callback
 * writes them, so the same TensorBoard views work for fmnist and Keras runs:
 *
 * <ul>
 *   <li>{@code train/}: {@code epoch_<metric>} for each training metric of the epoch ({@code
 *       epoch_loss}, {@code epoch_accuracy}, {@code epoch_learning_rate}, user metrics) at step
 *       {@code epoch - 1} (Keras's 0-based epoch index); {@code batch_<metric>} every {@code
 *       batchFrequency} steps at the global step (steps done, the first step is 1), as Keras's
 *       {@code update_freq}; {@code <variable>/histogram} and {@code <variable>/gradient} histograms
 *       at the epoch step; the graph once.
 *   <li>{@code validation/}: {@code epoch_<metric>} from the {@code val_<metric>} values ({@code
 *       epoch_loss}, {@code epoch_accuracy}) at the epoch step. Created on its first value, so a run
 *       without a validation split has none.
 * </ul>
 *
 * Metric maps are keyed as {@code history.csv}'s columns; {@code epoch}, {@code seconds} and
 * {@code train_seconds} are not metrics and NaN means "no value", so neither is written.
 *
 * <p><b>Resuming.</b> {@link #start} first rewrites the event files already there so they hold
 * nothing the resumed run will write again, then fills in epoch scalars missing for completed
 * epochs from the history, so TensorBoard shows every epoch and every logged step exactly once.
 *
 * <p><b>Ordering rule for the training loop.</b> Call {@link #epochEnd} (which flushes) before the
 * epoch's checkpoint is saved. A kill between the two then leaves events of an epoch that has no
 * checkpoint, which the resumed run's {@link #start} removes; the other order could leave a
 * checkpointed epoch without events (then {@code start} writes its scalars from the history, but
 * its histograms are lost).
 *
 * <p>Not thread-safe: call it from the training loop's thread.
 */
public final class TensorBoardLogger implements AutoCloseable {
  /** The log directory's name inside a run directory. */
  public static final String DIRECTORY = "tensorboard";
  /** Run directory of training values. */
  public static final String TRAIN = "train";
  /** Run directory of validation values. */
  public static final String VALIDATION = "validation";
  static final String EPOCH_PREFIX = "epoch_";
  static final String BATCH_PREFIX = "batch_";
  static final String VALIDATION_PREFIX = "val_";
  static final String HISTOGRAM_SUFFIX = "/histogram";
  static final String GRADIENT_SUFFIX = "/gradient";
  /** {@code history.csv} columns that are not metrics. */
  static final Set<String> NOT_METRICS = Set.of("epoch", "seconds", "train_seconds");

  private final Path logDir;
  private final int batchFrequency;
  private final PrintWriter log;
  private TensorBoardWriter train;
  private TensorBoardWriter validation;
  private long resumedStep = -1;

  /**
   * @param logDir the log directory ({@code <run-dir>/tensorboard}); {@code train/} and {@code
   *     validation/} go inside
   * @param batchFrequency write batch scalars every this many steps; 0 writes none
   * @param log where warnings and notes on repaired files go
   * @throws IllegalArgumentException if {@code batchFrequency} is negative
   */
  public TensorBoardLogger(Path logDir, int batchFrequency, PrintWriter log) {
    if (batchFrequency < 0) {
      throw new IllegalArgumentException("batch frequency must be 0 (off) or more, found " + batchFrequency);
    }
    this.logDir = logDir;
    this.batchFrequency = batchFrequency;
    this.log = log;
  }

  /**
   * A logger writing to {@code <runDir>/tensorboard}.
   *
   * @param runDir the run directory
   * @param batchFrequency write batch scalars every this many steps; 0 for epoch scalars only
   * @param log receives notes about the event files (scalars filled in from the history, events
   *     dropped on resume)
   * @return the logger
   */
  public static TensorBoardLogger inRunDirectory(Path runDir, int batchFrequency, PrintWriter log) {
    return new TensorBoardLogger(runDir.resolve(DIRECTORY), batchFrequency, log);
  }

  /**
   * The TensorBoard step of epoch {@code epoch} (1-based, as in {@code history.csv}): Keras's 0-based index.
   *
   * @param epoch the epoch, from 1
   * @return {@code epoch - 1}
   */
  public static long epochStep(int epoch) {
    return epoch - 1L;
  }

  /**
   * The log directory.
   *
   * @return {@code <run-dir>/tensorboard}
   */
  public Path directory() {
    return logDir;
  }

  /**
   * Before the first step. Brings the event files in line with the checkpoint the run starts from,
   * writes a {@code SessionLog} START event at step {@code completedSteps + 1} (the first step the
   * run will log) to {@code train/}, and the graph if {@code train/} has none yet.
   *
   * <p>Left out of the existing files: events of epochs after {@code completedEpochs} (epoch step
   * {@code >= completedEpochs}; the graph counts as step 0, so a fresh start drops an old graph),
   * batch scalars and START events at steps after {@code completedSteps}, and any damaged trailing
   * record (with a warning). Each file that changes is replaced atomically. Then the epoch scalars
   * of {@code history} missing from the files are written.
   *
   * @param completedEpochs epochs done (the resumed checkpoint's epoch; 0 on a fresh start)
   * @param completedSteps training steps done (0 on a fresh start)
   * @param history the metrics of epochs 1..{@code completedEpochs}, keyed as {@code history.csv}'s
   *     columns, in order
   * @param graph the training graph, or null to write none
   * @throws IllegalArgumentException if the history does not hold {@code completedEpochs} rows, or a
   *     row's {@code epoch} column disagrees with its position
   * @throws IllegalStateException if called twice
   */
  public void start(int completedEpochs, long completedSteps, List<Map<String, Double>> history, GraphDef graph) {
    if (resumedStep >= 0) {
      throw new IllegalStateException(logDir + ": TensorBoard logging already started");
    }
    if (completedEpochs < 0 || completedSteps < 0) {
      throw new IllegalArgumentException("completed epochs and steps must be 0 or more, found "
          + completedEpochs + " and " + completedSteps);
    }
    if (history.size() != completedEpochs) {
      throw new IllegalArgumentException("the history must hold the " + completedEpochs
          + " completed epochs, found " + history.size() + " rows");
    }
    for (int i = 0; i < history.size(); i++) {
      Double e = history.get(i).get("epoch");
      if (e != null && e != i + 1) {
        throw new IllegalArgumentException("history row " + (i + 1) + " is of epoch " + e);
      }
    }
    resumedStep = completedSteps;
    Set<String> trainPresent = new HashSet<>();
    Set<String> validationPresent = new HashSet<>();
    boolean graphPresent = truncate(TRAIN, completedEpochs, completedSteps, trainPresent);
    truncate(VALIDATION, completedEpochs, completedSteps, validationPresent);

    train = open(TRAIN);
    if (graph != null && !graphPresent) {
      train.graph(graph);
    }
    int filled = 0;
    for (int i = 0; i < history.size(); i++) {
      int epoch = i + 1;
      Scalars s = epochScalars(history.get(i));
      filled += writeMissing(TRAIN, s.train(), epochStep(epoch), trainPresent);
      filled += writeMissing(VALIDATION, s.validation(), epochStep(epoch), validationPresent);
    }
    if (filled > 0) {
      log.println("tensorboard: wrote " + filled + " epoch scalars missing from " + logDir + " from the history");
      log.flush();
    }
    flush();
  }

  /**
   * After each training step. Writes {@code batch_<metric>} at {@code globalStep} when batch
   * scalars are on and {@code globalStep} is a multiple of the batch frequency.
   *
   * @param globalStep steps done, this one included (the run's first step is 1)
   * @param logs the running metrics of the epoch so far ({@code loss}, {@code accuracy}, ...)
   */
  public void batchEnd(long globalStep, Map<String, Double> logs) {
    checkStarted();
    if (batchFrequency == 0 || globalStep % batchFrequency != 0) {
      return;
    }
    for (Map.Entry<String, Double> m : logs.entrySet()) {
      if (isValue(m.getKey(), m.getValue())) {
        train.scalar(BATCH_PREFIX + m.getKey(), globalStep, m.getValue());
      }
    }
  }

  /**
   * After an epoch's validation, before its checkpoint. Writes the epoch scalars, the histograms,
   * and flushes both runs.
   *
   * @param epoch 1-based epoch number, as in {@code history.csv}
   * @param logs the epoch's row of {@code history.csv} as a map
   * @param weights variable name to values, written as {@code <name>/histogram}; may be empty
   * @param gradients variable name to its gradient's values, written as {@code <name>/gradient};
   *     may be empty. NaN and infinite values are left out of a histogram with a warning.
   */
  public void epochEnd(int epoch, Map<String, Double> logs, Map<String, float[]> weights, Map<String, float[]> gradients) {
    checkStarted();
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch numbers start at 1, found " + epoch);
    }
    long step = epochStep(epoch);
    Scalars s = epochScalars(logs);
    s.train().forEach((tag, v) -> train.scalar(tag, step, v));
    s.validation().forEach((tag, v) -> writer(VALIDATION).scalar(tag, step, v));
    weights.forEach((name, values) -> histogram(histogramName(name) + HISTOGRAM_SUFFIX, epoch, values));
    gradients.forEach((name, values) -> histogram(histogramName(name) + GRADIENT_SUFFIX, epoch, values));
    flush();
  }

  /** Writes every queued event to the files. */
  public void flush() {
    if (train != null) {
      train.flush();
    }
    if (validation != null) {
      validation.flush();
    }
  }

  /** Flushes and closes the event files. */
  @Override
  public void close() {
    TensorBoardWriter t = train;
    TensorBoardWriter v = validation;
    train = null;
    validation = null;
    try {
      if (t != null) {
        t.close();
      }
    } finally {
      if (v != null) {
        v.close();
      }
    }
  }

  private void checkStarted() {
    if (resumedStep < 0 || train == null) {
      throw new IllegalStateException(logDir + ": TensorBoard logging not started (or closed)");
    }
  }

  /**
   * Rewrites the run's files for a start after {@code epochs} epochs and {@code steps} steps and
   * adds the {@code tag@step} of each epoch scalar kept to {@code present}.
   *
   * @return whether a graph was kept
   */
  private boolean truncate(String run, int epochs, long steps, Set<String> present) {
    Path dir = logDir.resolve(run);
    AtomicFiles.deleteTemporaries(dir);
    EventFiles.Rewrite r = EventFiles.rewrite(dir, e -> keep(e, epochs, steps), log);
    if (r.dropped() > 0) {
      log.println("tensorboard: left out " + r.dropped() + " events of " + dir + " written after the checkpoint "
          + "of epoch " + epochs + " (step " + steps + ")");
      log.flush();
    }
    boolean graph = false;
    for (Event e : r.kept()) {
      graph |= e.hasGraphDef();
      for (Summary.Value v : e.getSummary().getValueList()) {
        present.add(v.getTag() + "@" + e.getStep());
      }
    }
    return graph;
  }

  /** Whether an event of an earlier process stays when the run starts after {@code epochs} epochs and {@code steps} steps. */
  static boolean keep(Event e, int epochs, long steps) {
    if (e.hasFileVersion()) {
      return true;
    }
    if (e.hasSessionLog() || isBatchEvent(e)) {
      return e.getStep() <= steps;
    }
    return e.getStep() < epochs;
  }

  private static boolean isBatchEvent(Event e) {
    return e.hasSummary() && e.getSummary().getValueList().stream().anyMatch(v -> v.getTag().startsWith(BATCH_PREFIX));
  }

  private int writeMissing(String run, Map<String, Double> scalars, long step, Set<String> present) {
    int n = 0;
    for (Map.Entry<String, Double> s : scalars.entrySet()) {
      if (!present.contains(s.getKey() + "@" + step)) {
        writer(run).scalar(s.getKey(), step, s.getValue());
        n++;
      }
    }
    return n;
  }

  private void histogram(String tag, int epoch, float[] values) {
    float[] finite = new float[values.length];
    int n = 0;
    for (float f : values) {
      if (Float.isFinite(f)) {
        finite[n++] = f;
      }
    }
    if (n < values.length) {
      log.println("warning: tensorboard: " + tag + " of epoch " + epoch + ": " + (values.length - n) + " of "
          + values.length + " values are NaN or infinite; left out of the histogram");
      log.flush();
    }
    train.histogram(tag, epochStep(epoch), n == values.length ? values : java.util.Arrays.copyOf(finite, n));
  }

  /** Keras's weight-name rule: TensorFlow's {@code :} output suffix is not allowed in a tag. */
  private static String histogramName(String variable) {
    return variable.replace(':', '_');
  }

  private TensorBoardWriter writer(String run) {
    if (TRAIN.equals(run)) {
      return train;
    }
    if (validation == null) {
      validation = open(VALIDATION);
    }
    return validation;
  }

  private TensorBoardWriter open(String run) {
    TensorBoardWriter w = new TensorBoardWriter(logDir.resolve(run));
    try {
      w.sessionStart(resumedStep + 1);
    } catch (RuntimeException e) {
      w.close();
      throw e;
    }
    return w;
  }

  /** The epoch scalars of a metrics row, tagged as Keras tags them, per run. */
  record Scalars(Map<String, Double> train, Map<String, Double> validation) {}

  static Scalars epochScalars(Map<String, Double> logs) {
    Map<String, Double> train = new LinkedHashMap<>();
    Map<String, Double> validation = new LinkedHashMap<>();
    for (Map.Entry<String, Double> m : logs.entrySet()) {
      String key = m.getKey();
      if (!isValue(key, m.getValue())) {
        continue;
      }
      if (key.startsWith(VALIDATION_PREFIX)) {
        validation.put(EPOCH_PREFIX + key.substring(VALIDATION_PREFIX.length()), m.getValue());
      } else {
        train.put(EPOCH_PREFIX + key, m.getValue());
      }
    }
    return new Scalars(train, validation);
  }

  private static boolean isValue(String key, Double value) {
    return value != null && !value.isNaN() && !NOT_METRICS.contains(key);
  }
}
