package dev.fmnist.train.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.AtomicFiles;
import dev.fmnist.train.EpochRecord;
import dev.fmnist.train.TrainingHistory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

/**
 * A run directory as training leaves it after a kill and a resume: {@code history.csv} and the
 * TensorBoard event files agree, one value per epoch. With {@code -Dfmnist.tensorboard.fixture=DIR}
 * the run directory is written to DIR and kept, for {@code tools/interop/check_tensorboard.py} and
 * {@code tools/tensorboard-screenshot.sh}.
 */
class HistoryAgreementTest {
  static final int EPOCHS = 8;
  static final int STEPS_PER_EPOCH = 40;
  static final int BATCH_FREQUENCY = 5;

  @TempDir Path tmp;

  @Test
  void historyCsvAndEpochScalarsAgreeAfterAKillAndResume() throws IOException {
    String keep = System.getProperty("fmnist.tensorboard.fixture");
    Path runDir = keep == null ? tmp : Path.of(keep);
    StringWriter logText = new StringWriter();
    PrintWriter log = new PrintWriter(logText, true);
    List<EpochRecord> first = curve(1, EPOCHS, 11);
    List<EpochRecord> second = curve(1, EPOCHS, 12);
    int resumeFrom = 5;
    GraphDef graph = graph();
    // the first process writes epochs 1-6 and 12 steps of epoch 7, then is killed; the checkpoint
    // of epoch 6 is damaged, so the second process resumes from epoch 5
    try (TensorBoardLogger tb = TensorBoardLogger.inRunDirectory(runDir, BATCH_FREQUENCY, log)) {
      tb.start(0, 0, List.of(), graph);
      train(tb, first, 1, 6, 12);
    }
    TrainingHistory history = new TrainingHistory(new ArrayList<>(first.subList(0, resumeFrom)));
    try (TensorBoardLogger tb = TensorBoardLogger.inRunDirectory(runDir, BATCH_FREQUENCY, log)) {
      tb.start(resumeFrom, (long) resumeFrom * STEPS_PER_EPOCH,
          history.epochs().stream().map(HistoryAgreementTest::logs).toList(), graph);
      train(tb, second, resumeFrom + 1, EPOCHS, 0);
    }
    for (EpochRecord r : second.subList(resumeFrom, EPOCHS)) {
      history = history.plus(r);
    }
    AtomicFiles.write(runDir.resolve("history.csv"), history.toCsv());

    List<String> lines = Files.readAllLines(runDir.resolve("history.csv"));
    List<String> columns = List.of(lines.get(0).split(","));
    EventLog train = EventLog.read(runDir.resolve("tensorboard/train"));
    EventLog validation = EventLog.read(runDir.resolve("tensorboard/validation"));
    for (String column : List.of("loss", "accuracy", "learning_rate", "val_loss", "val_accuracy")) {
      EventLog events = column.startsWith("val_") ? validation : train;
      String tag = "epoch_" + column.replace("val_", "");
      List<EventLog.Point> points = events.scalars(tag);
      assertEquals(EPOCHS, points.size(), tag);
      for (int epoch = 1; epoch <= EPOCHS; epoch++) {
        String text = lines.get(epoch).split(",", -1)[columns.indexOf(column)];
        double csv = Double.parseDouble(text);
        EventLog.Point p = points.get(epoch - 1);
        assertEquals(epoch - 1, p.step(), tag);
        // history.csv prints 6 significant digits; the events hold float32
        assertEquals(csv, p.value(), Math.abs(csv) * 1e-5, column + " of epoch " + epoch);
      }
    }
    List<Long> batchSteps = train.steps("batch_loss");
    assertEquals((long) EPOCHS * STEPS_PER_EPOCH / BATCH_FREQUENCY, batchSteps.size());
    assertEquals(batchSteps.stream().distinct().sorted().toList(), batchSteps);
    assertTrue(logText.toString().contains("left out"), logText.toString());
  }

  /** Epochs {@code from..to} and {@code extraSteps} steps of the next one, as the training loop calls the logger. */
  private static void train(TensorBoardLogger tb, List<EpochRecord> curve, int from, int to, int extraSteps) {
    Random r = new Random(from * 31L + to);
    for (int epoch = from; epoch <= to + (extraSteps > 0 ? 1 : 0); epoch++) {
      EpochRecord e = curve.get(Math.min(epoch, curve.size()) - 1);
      int steps = epoch > to ? extraSteps : STEPS_PER_EPOCH;
      for (int s = 1; s <= steps; s++) {
        long global = (epoch - 1L) * STEPS_PER_EPOCH + s;
        double noise = 1 + 0.08 * r.nextGaussian();
        tb.batchEnd(global, Map.of("loss", e.loss() * (1.3 - 0.3 * s / STEPS_PER_EPOCH) * noise,
            "accuracy", Math.min(1, e.accuracy() * (0.97 + 0.03 * s / STEPS_PER_EPOCH))));
      }
      if (epoch <= to) {
        tb.epochEnd(epoch, logs(e), weights(epoch, r, 1.0), weights(epoch, r, 0.01 / epoch));
      }
    }
  }

  /** A plausible learning curve; {@code seed} tells processes apart. */
  static List<EpochRecord> curve(int from, int to, long seed) {
    Random r = new Random(seed);
    List<EpochRecord> l = new ArrayList<>();
    for (int epoch = from; epoch <= to; epoch++) {
      double loss = 0.22 + 0.45 * Math.exp(-(epoch - 1) / 2.5) + 0.004 * r.nextGaussian();
      double valLoss = 0.26 + 0.35 * Math.exp(-(epoch - 1) / 2.0) + 0.006 * r.nextGaussian() + 0.004 * epoch;
      l.add(new EpochRecord(epoch, loss, 1 - loss / 2.4, valLoss, 1 - valLoss / 2.3, 1e-3 * Math.pow(0.8, epoch - 1),
          18.2, 17.1));
    }
    return l;
  }

  /** A history.csv row as the training loop hands it over. */
  static Map<String, Double> logs(EpochRecord e) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("loss", e.loss());
    m.put("accuracy", e.accuracy());
    m.put("val_loss", e.valLoss());
    m.put("val_accuracy", e.valAccuracy());
    m.put("learning_rate", e.learningRate());
    return m;
  }

  private static Map<String, float[]> weights(int epoch, Random r, double scale) {
    Map<String, float[]> m = new LinkedHashMap<>();
    m.put("l00_conv/kernel", gaussian(r, 288, scale * (0.25 + 0.02 * epoch)));
    m.put("l00_conv/bias", gaussian(r, 32, scale * 0.01 * epoch));
    m.put("l01_dense/kernel", gaussian(r, 4096, scale * (0.05 + 0.005 * epoch)));
    return m;
  }

  private static float[] gaussian(Random r, int n, double std) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (r.nextGaussian() * std);
    }
    return a;
  }

  /** A small dense classifier's graph, named as fmnist names its layers. */
  private static GraphDef graph() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> images = tf.withName("images").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, 784)));
      Ops dense = tf.withSubScope("l01_dense");
      var kernel = dense.withName("kernel").variable(tf.zeros(tf.constant(new long[] {784, 10}), TFloat32.class));
      var bias = dense.withName("bias").variable(tf.zeros(tf.constant(new long[] {10}), TFloat32.class));
      var logits = tf.withName("logits").math.add(tf.linalg.matMul(images, kernel), bias);
      tf.withName("probabilities").nn.softmax(logits);
      return g.toGraphDef();
    }
  }
}
