package dev.fmnist.train.tensorboard;

import dev.fmnist.StorageException;

import dev.fmnist.AtomicFiles;
import dev.fmnist.FmnistException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.summary.SummaryWriter;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.SessionLog;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * Writes one TensorBoard run directory ({@code train/} or {@code validation/}): a new event file
 * {@code events.out.tfevents.<seconds>.<host>.<pid>.<n>.v2} per writer, as TensorFlow 2 names them.
 *
 * <p>The events are written by TensorFlow's own summary kernels, run in a small graph and session
 * of this writer ({@code CreateSummaryFileWriter}, {@code WriteScalarSummary},
 * {@code WriteHistogramSummary}, {@code WriteGraphSummary}, {@code ImportEvent},
 * {@code FlushSummaryWriter}, {@code CloseSummaryWriter} from {@code org.tensorflow.op.summary}),
 * with values fed through placeholders. Each of them runs with the TensorFlow 2.18 natives of
 * TensorFlow Java 1.1.0. They write TensorFlow's classic value types: scalars as {@code
 * simple_value} (float32), histograms as {@code HistogramProto} with TensorFlow's own bucketing,
 * the graph as a {@code graph_def} event. TensorBoard reads these natively and shows them exactly
 * as the tensor summaries that Python's {@code tf.summary} writes (its loader converts them). Using
 * the kernels instead of writing the protos here keeps the format and the bucketing TensorFlow's;
 * reading, and rewriting on resume, is {@link EventFiles}'s.
 *
 * <p>TensorBoard reads a directory's event files in name order, and TensorFlow names them by the
 * second they are created in, then process id and a per-process counter (which does not sort as a
 * number). So that a new file sorts after the files already in the directory, a writer waits, when
 * needed, for a second later than the newest file's (at most a second, in practice only when a run
 * is restarted within the same second, as in tests).
 *
 * <p>Not thread-safe. Every native object (graph, session, tensors) is closed by {@link #close()}
 * or right after use.
 */
public final class TensorBoardWriter implements AutoCloseable {
  /** Suffix of the event file names, as TensorFlow 2's {@code tf.summary.create_file_writer} gives. */
  public static final String FILE_SUFFIX = ".v2";
  /** Events queued in the native writer before it writes them to the file on its own. */
  static final int MAX_QUEUE = 10;
  /** Longest time queued events wait for a write, in milliseconds; {@link #flush()} writes at once. */
  static final int FLUSH_MILLIS = 120_000;

  private final Path dir;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TInt64> step;
  private final Placeholder<TString> tag;
  private final Placeholder<TFloat32> value;
  private final Placeholder<TString> bytes;
  private final Op writeScalar;
  private final Op writeHistogram;
  private final Op writeGraph;
  private final Op importEvent;
  private final Op flushOp;
  private final Op closeOp;
  private boolean closed;

  /**
   * Creates {@code dir} if needed and a new event file in it.
   *
   * @param dir the log directory
   * @throws StorageException when the directory or file cannot be created
   */
  public TensorBoardWriter(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StorageException(dir + ": cannot create: " + AtomicFiles.describe(e), e);
    }
    awaitSecondAfter(EventFiles.newestSecond(dir));
    graph = new Graph();
    Session s = null;
    try {
      Ops tf = Ops.create(graph);
      SummaryWriter writer = tf.summary.summaryWriter(SummaryWriter.sharedName("events"));
      Op create = tf.summary.createSummaryFileWriter(writer, tf.constant(dir.toAbsolutePath().toString()),
          tf.constant(MAX_QUEUE), tf.constant(FLUSH_MILLIS), tf.constant(FILE_SUFFIX));
      step = tf.placeholder(TInt64.class);
      tag = tf.placeholder(TString.class);
      value = tf.placeholder(TFloat32.class);
      bytes = tf.placeholder(TString.class);
      writeScalar = tf.summary.writeScalarSummary(writer, step, tag, value);
      writeHistogram = tf.summary.writeHistogramSummary(writer, step, tag, value);
      writeGraph = tf.summary.writeGraphSummary(writer, step, bytes);
      importEvent = tf.summary.importEvent(writer, bytes);
      flushOp = tf.summary.flushSummaryWriter(writer);
      closeOp = tf.summary.closeSummaryWriter(writer);
      s = new Session(graph, sessionConfig());
      session = s;
      runOpen(session.runner().addTarget(create));
    } catch (RuntimeException e) {
      if (s != null) {
        s.close();
      }
      graph.close();
      throw e;
    }
  }

  /** Returns in a second later than {@code second}, waiting when that is the current one (not for a clock that ran ahead). */
  private static void awaitSecondAfter(long second) {
    long wait = (second + 1) * 1000 - System.currentTimeMillis();
    if (wait <= 0 || wait > 1000) {
      return;
    }
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One thread, and no GPU: the summary kernels are CPU-only, and a GPU session would reserve memory. */
  private static ConfigProto sessionConfig() {
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(1)
        .setInterOpParallelismThreads(1)
        .putDeviceCount("GPU", 0)
        .build();
  }

  /**
   * The run directory this writer writes to.
   *
   * @return the directory the event file is in
   */
  public Path directory() {
    return dir;
  }

  /**
   * A scalar, stored as float32 (as {@code tf.summary.scalar} does).
   *
   * @param tag the scalar's name, e.g. {@code epoch_loss}
   * @param step the TensorBoard step
   * @param value the value
   */
  public void scalar(String tag, long step, double value) {
    try (TInt64 s = TInt64.scalarOf(step);
        TString t = TString.scalarOf(tag);
        TFloat32 v = TFloat32.scalarOf((float) value)) {
      run(session.runner().feed(this.step, s).feed(this.tag, t).feed(this.value, v).addTarget(writeScalar));
    }
  }

  /**
   * A histogram of {@code values}, bucketed by TensorFlow.
   *
   * @param tag the histogram's name
   * @param step the TensorBoard step
   * @param values the values, all finite
   * @throws IllegalArgumentException if a value is NaN or infinite (TensorFlow's kernel rejects them)
   */
  public void histogram(String tag, long step, float[] values) {
    for (float f : values) {
      if (!Float.isFinite(f)) {
        throw new IllegalArgumentException(tag + ": a histogram takes finite values only, found " + f);
      }
    }
    try (TInt64 s = TInt64.scalarOf(step);
        TString t = TString.scalarOf(tag);
        TFloat32 v = TFloat32.vectorOf(values)) {
      run(session.runner().feed(this.step, s).feed(this.tag, t).feed(this.value, v).addTarget(writeHistogram));
    }
  }

  /**
   * The graph shown by TensorBoard's Graphs page, at step 0 (as {@code tf.summary.graph} writes it).
   *
   * @param graphDef the graph's definition
   */
  public void graph(GraphDef graphDef) {
    try (TInt64 s = TInt64.scalarOf(0);
        TString b = TString.tensorOfBytes(NdArrays.scalarOfObject(graphDef.toByteArray()))) {
      run(session.runner().feed(step, s).feed(bytes, b).addTarget(writeGraph));
    }
  }

  /**
   * The graph of {@code g}; see {@link #graph(GraphDef)}.
   *
   * @param g the graph
   */
  public void graph(Graph g) {
    graph(g.toGraphDef());
  }

  /**
   * A {@code SessionLog} START event at {@code step}: TensorBoard's mark of a (re)started run. When
   * it reads one after an earlier START, it forgets the events before it whose step is {@code >=
   * step}.
   *
   * @param step the step training (re)starts at
   */
  public void sessionStart(long step) {
    write(Event.newBuilder()
        .setWallTime(System.currentTimeMillis() / 1000.0)
        .setStep(step)
        .setSessionLog(SessionLog.newBuilder().setStatus(SessionLog.SessionStatus.START))
        .build());
  }

  /**
   * Appends an event as it is (wall time and step included).
   *
   * @param event the event to write
   */
  public void write(Event event) {
    try (TString b = TString.tensorOfBytes(NdArrays.scalarOfObject(event.toByteArray()))) {
      run(session.runner().feed(bytes, b).addTarget(importEvent));
    }
  }

  /** Writes every queued event to the file. */
  public void flush() {
    run(session.runner().addTarget(flushOp));
  }

  /** Flushes, closes the event file, and frees the native graph and session. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      runOpen(session.runner().addTarget(closeOp));
    } finally {
      session.close();
      graph.close();
    }
  }

  private void run(Session.Runner runner) {
    if (closed) {
      throw new IllegalStateException(dir + ": the TensorBoard writer is closed");
    }
    runOpen(runner);
  }

  private void runOpen(Session.Runner runner) {
    try {
      runner.run().close();
    } catch (TensorFlowException e) {
      throw new StorageException(dir + ": cannot write TensorBoard events: " + FmnistException.firstLine(e.getMessage()), e);
    }
  }
}
