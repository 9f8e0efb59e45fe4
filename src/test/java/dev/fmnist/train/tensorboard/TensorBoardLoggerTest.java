package dev.fmnist.train.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.GraphDef;

/** Keras's layout and tags, and a resumed run that leaves every epoch and logged step exactly once. */
class TensorBoardLoggerTest {
  private static final int STEPS_PER_EPOCH = 5;

  @TempDir Path runDir;
  private final StringWriter logText = new StringWriter();
  private final PrintWriter log = new PrintWriter(logText, true);

  @Test
  void kerasLayoutAndTagNames() {
    try (TensorBoardLogger tb = TensorBoardLogger.inRunDirectory(runDir, 2, log)) {
      tb.start(0, 0, List.of(), graphDef());
      for (long step = 1; step <= STEPS_PER_EPOCH; step++) {
        tb.batchEnd(step, Map.of("loss", 2.0 / step, "accuracy", 0.1 * step));
      }
      tb.epochEnd(1, row(1, 0.9, 0.6, 0.8, 0.65, 1e-3),
          Map.of("l00_conv/kernel:0", new float[] {0.1f, -0.2f, 0.3f}),
          Map.of("l00_conv/kernel:0", new float[] {0.01f, Float.NaN, 0.02f}));
    }
    EventLog train = EventLog.read(runDir.resolve("tensorboard/train"));
    EventLog validation = EventLog.read(runDir.resolve("tensorboard/validation"));
    assertEquals(List.of(new EventLog.Point(0, 0.9f)), train.scalars("epoch_loss"));
    assertEquals(List.of(new EventLog.Point(0, 0.6f)), train.scalars("epoch_accuracy"));
    assertEquals(List.of(new EventLog.Point(0, 1e-3f)), train.scalars("epoch_learning_rate"));
    assertEquals(List.of(new EventLog.Point(0, 0.8f)), validation.scalars("epoch_loss"));
    assertEquals(List.of(new EventLog.Point(0, 0.65f)), validation.scalars("epoch_accuracy"));
    assertEquals(List.of(2L, 4L), train.steps("batch_loss"));
    assertEquals(List.of(new EventLog.Point(2, 0.2f), new EventLog.Point(4, 0.4f)), train.scalars("batch_accuracy"));
    for (String notMetric : List.of("epoch_epoch", "epoch_seconds", "epoch_train_seconds", "epoch_val_loss")) {
      assertEquals(List.of(), train.scalars(notMetric), notMetric);
    }
    assertEquals(List.of(0L), train.histogramSteps("l00_conv/kernel_0/histogram"));
    assertEquals(3, train.histograms("l00_conv/kernel_0/histogram").get(0).getNum());
    assertEquals(2, train.histograms("l00_conv/kernel_0/gradient").get(0).getNum());
    assertTrue(logText.toString().contains("l00_conv/kernel_0/gradient of epoch 1: 1 of 3 values are NaN"), logText.toString());
    assertEquals(1, train.graphs());
    assertEquals(List.of(1L), train.sessionStarts());
  }

  @Test
  void withoutValidationThereIsNoValidationRun() {
    try (TensorBoardLogger tb = TensorBoardLogger.inRunDirectory(runDir, 0, log)) {
      tb.start(0, 0, List.of(), null);
      tb.batchEnd(1, Map.of("loss", 1.0));
      tb.epochEnd(1, row(1, 0.9, 0.6, Double.NaN, Double.NaN, 1e-3), Map.of(), Map.of());
    }
    EventLog train = EventLog.read(runDir.resolve("tensorboard/train"));
    assertEquals(List.of(0L), train.steps("epoch_loss"));
    assertEquals(List.of(), train.steps("batch_loss"));
    assertEquals(0, train.graphs());
    assertFalse(Files.exists(runDir.resolve("tensorboard/validation")));
  }

  @Test
  void killedAfterEpochThreeResumedFromEpochTwoLeavesEachStepOnce() {
    // first process: epochs 1-3 and three steps of epoch 4, then killed; the checkpoint of epoch 3
    // turned out damaged, so the run resumes from epoch 2 (step 10)
    try (TensorBoardLogger tb = TensorBoardLogger.inRunDirectory(runDir, 1, log)) {
      tb.start(0, 0, List.of(), graphDef());
      train(tb, 1, 3, 0.0);
      for (long step = 16; step <= 18; step++) {
        tb.batchEnd(step, Map.of("loss", 9.0));
      }
    }
    List<Map<String, Double>> history = List.of(metrics(1, 0.0), metrics(2, 0.0));
    try (TensorBoardLogger tb = TensorBoardLogger.inRunDirectory(runDir, 1, log)) {
      tb.start(2, 2 * STEPS_PER_EPOCH, history, graphDef());
      train(tb, 3, 4, 0.5);
    }
    assertTrue(logText.toString().contains("left out"), logText.toString());

    EventLog train = EventLog.read(runDir.resolve("tensorboard/train"));
    EventLog validation = EventLog.read(runDir.resolve("tensorboard/validation"));
    assertEquals("", train.warnings + validation.warnings);
    List<EventLog.Point> expectedLoss = new ArrayList<>();
    for (int epoch = 1; epoch <= 4; epoch++) {
      expectedLoss.add(new EventLog.Point(epoch - 1, (float) loss(epoch, epoch <= 2 ? 0.0 : 0.5)));
    }
    assertEquals(expectedLoss, train.scalars("epoch_loss"));
    assertEquals(List.of(0L, 1L, 2L, 3L), train.steps("epoch_accuracy"));
    assertEquals(List.of(0L, 1L, 2L, 3L), train.steps("epoch_learning_rate"));
    assertEquals(List.of(0L, 1L, 2L, 3L), validation.steps("epoch_loss"));
    assertEquals(List.of(0L, 1L, 2L, 3L), validation.steps("epoch_accuracy"));
    assertEquals(LongStream.rangeClosed(1, 20).boxed().toList(), train.steps("batch_loss"));
    assertEquals((float) batchLoss(10, 0.0), train.scalars("batch_loss").get(9).value(), "the first process's step 10");
    assertEquals((float) batchLoss(11, 0.5), train.scalars("batch_loss").get(10).value(), "the second's step 11");
    assertFalse(train.scalars("batch_loss").stream().anyMatch(p -> p.value() == 9.0f), "steps 16-18 of the killed epoch");
    assertEquals(List.of(0L, 1L, 2L, 3L), train.histogramSteps("dense/kernel/histogram"));
    assertEquals(List.of(0L, 1L, 2L, 3L), train.histogramSteps("dense/kernel/gradient"));
    assertEquals(1, train.graphs());
    assertEquals(List.of(1L, 11L), train.sessionStarts());
  }

  @Test
  void aRecordCutShortByAKillIsDroppedAndTheLostScalarsComeFromTheHistory() throws IOException {
    try (TensorBoardLogger tb = TensorBoardLogger.inRunDirectory(runDir, 0, log)) {
      tb.start(0, 0, List.of(), graphDef());
      train(tb, 1, 2, 0.0);
    }
    Path trainDir = runDir.resolve("tensorboard/train");
    Path file = EventFiles.list(trainDir).get(0);
    long cut = offsetOf(file, e -> e.getStep() == 1 && e.getSummary().getValue(0).getTag().equals("epoch_accuracy")) + 7;
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, (int) cut));

    List<Map<String, Double>> history = List.of(metrics(1, 0.0), metrics(2, 0.0));
    try (TensorBoardLogger tb = TensorBoardLogger.inRunDirectory(runDir, 0, log)) {
      tb.start(2, 10, history, graphDef());
    }
    assertTrue(logText.toString().contains("warning: " + file) && logText.toString().contains("cut short"),
        logText.toString());
    assertTrue(logText.toString().contains("wrote 2 epoch scalars missing"), logText.toString());
    EventLog train = EventLog.read(trainDir);
    assertEquals("", train.warnings);
    assertEquals(List.of(0L, 1L), train.steps("epoch_loss"));
    assertEquals(List.of(new EventLog.Point(0, (float) accuracy(1, 0)), new EventLog.Point(1, (float) accuracy(2, 0))),
        train.scalars("epoch_accuracy"));
    assertEquals(List.of(0L, 1L), train.steps("epoch_learning_rate"));
    assertEquals(List.of(0L), train.histogramSteps("dense/kernel/histogram"), "histograms cannot be rebuilt");
    assertEquals(1, train.graphs());
  }

  @Test
  void epochScalarsOfARunThatHadNoTensorBoardAreWrittenFromTheHistory() {
    try (TensorBoardLogger tb = TensorBoardLogger.inRunDirectory(runDir, 0, log)) {
      tb.start(2, 10, List.of(metrics(1, 0), metrics(2, 0)), null);
    }
    EventLog train = EventLog.read(runDir.resolve("tensorboard/train"));
    EventLog validation = EventLog.read(runDir.resolve("tensorboard/validation"));
    assertEquals(List.of(new EventLog.Point(0, (float) loss(1, 0)), new EventLog.Point(1, (float) loss(2, 0))),
        train.scalars("epoch_loss"));
    assertEquals(List.of(0L, 1L), validation.steps("epoch_accuracy"));
  }

  @Test
  void aFreshStartClearsEventsOfAnEarlierAttempt() {
    try (TensorBoardLogger tb = TensorBoardLogger.inRunDirectory(runDir, 1, log)) {
      tb.start(0, 0, List.of(), graphDef());
      train(tb, 1, 2, 0.0);
    }
    try (TensorBoardLogger tb = TensorBoardLogger.inRunDirectory(runDir, 1, log)) {
      tb.start(0, 0, List.of(), graphDef());
    }
    EventLog train = EventLog.read(runDir.resolve("tensorboard/train"));
    assertEquals(List.of(), train.steps("epoch_loss"));
    assertEquals(List.of(), train.steps("batch_loss"));
    assertEquals(1, train.graphs());
    assertEquals(List.of(1L), train.sessionStarts());
    assertEquals(1, EventFiles.list(runDir.resolve("tensorboard/train")).size());
    assertEquals(List.of(), EventFiles.list(runDir.resolve("tensorboard/validation")));
  }

  @Test
  void theHistoryMustHoldTheCompletedEpochs() {
    try (TensorBoardLogger tb = TensorBoardLogger.inRunDirectory(runDir, 0, log)) {
      assertThrows(IllegalArgumentException.class, () -> tb.start(2, 10, List.of(metrics(1, 0)), null));
      assertThrows(IllegalArgumentException.class, () -> tb.start(1, 5, List.of(metrics(2, 0)), null));
      assertThrows(IllegalStateException.class, () -> tb.epochEnd(1, metrics(1, 0), Map.of(), Map.of()));
    }
    assertThrows(IllegalArgumentException.class, () -> TensorBoardLogger.inRunDirectory(runDir, -1, log));
  }

  /** Epochs {@code from..to} of {@link #STEPS_PER_EPOCH} steps each; {@code shift} tells the processes apart. */
  private static void train(TensorBoardLogger tb, int from, int to, double shift) {
    for (int epoch = from; epoch <= to; epoch++) {
      for (long step = (epoch - 1L) * STEPS_PER_EPOCH + 1; step <= (long) epoch * STEPS_PER_EPOCH; step++) {
        tb.batchEnd(step, Map.of("loss", batchLoss(step, shift)));
      }
      float[] w = {epoch, -epoch, 0.5f};
      tb.epochEnd(epoch, metrics(epoch, shift), Map.of("dense/kernel", w), Map.of("dense/kernel", w));
    }
  }

  private static double batchLoss(long step, double shift) {
    return 3.0 / step + shift;
  }

  private static double loss(int epoch, double shift) {
    return 1.0 / epoch + shift;
  }

  private static double accuracy(int epoch, double shift) {
    return 0.5 + 0.1 * epoch - shift / 10;
  }

  private static Map<String, Double> metrics(int epoch, double shift) {
    return row(epoch, loss(epoch, shift), accuracy(epoch, shift), loss(epoch, shift) + 0.1, accuracy(epoch, shift) - 0.05,
        1e-3 / epoch);
  }

  /** A history.csv row as a map, columns in the file's order. */
  static Map<String, Double> row(int epoch, double loss, double accuracy, double valLoss, double valAccuracy, double lr) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("epoch", (double) epoch);
    m.put("loss", loss);
    m.put("accuracy", accuracy);
    m.put("val_loss", valLoss);
    m.put("val_accuracy", valAccuracy);
    m.put("learning_rate", lr);
    m.put("seconds", 12.5);
    m.put("train_seconds", 11.0);
    return m;
  }

  private static GraphDef graphDef() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      tf.withName("x").constant(1f);
      return g.toGraphDef();
    }
  }

  /** Byte offset of the first record whose event matches. */
  private static long offsetOf(Path file, java.util.function.Predicate<Event> match) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    int pos = 0;
    while (pos < b.capacity()) {
      int length = (int) b.getLong(pos);
      byte[] data = new byte[length];
      b.get(pos + 12, data);
      Event e = Event.parseFrom(data);
      if (e.hasSummary() && match.test(e)) {
        return pos;
      }
      pos += 16 + length;
    }
    throw new AssertionError("no such event in " + file);
  }
}
