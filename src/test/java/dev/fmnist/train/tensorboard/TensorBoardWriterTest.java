package dev.fmnist.train.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.HistogramProto;

/** TensorFlow's summary kernels, run from Java, write events that read back as written. */
class TensorBoardWriterTest {
  @TempDir Path dir;

  @Test
  void scalarsHistogramsGraphAndStartReadBack() throws Exception {
    Path run = dir.resolve("train");
    float[] values = {-1f, -0.5f, 0f, 0.25f, 0.5f, 2f};
    try (Graph g = new Graph();
        TensorBoardWriter w = new TensorBoardWriter(run)) {
      Ops tf = Ops.create(g);
      tf.withSubScope("l00_dense").withName("kernel").constant(new float[] {1f, 2f});
      w.sessionStart(1);
      w.graph(g);
      w.scalar("epoch_loss", 0, 0.75);
      w.scalar("epoch_loss", 1, 0.5);
      w.scalar("epoch_accuracy", 1, 1.0 / 3.0);
      w.histogram("l00_dense/kernel/histogram", 1, values);
      w.flush();
    }
    EventLog log = EventLog.read(run);
    assertEquals("", log.warnings);
    assertEquals(1, EventFiles.list(run).size());
    assertTrue(EventFiles.list(run).get(0).getFileName().toString().endsWith(TensorBoardWriter.FILE_SUFFIX));
    assertEquals("brain.Event:2", log.events.get(0).getFileVersion());
    assertEquals(List.of(1L), log.sessionStarts());

    assertEquals(List.of(new EventLog.Point(0, 0.75f), new EventLog.Point(1, 0.5f)), log.scalars("epoch_loss"));
    assertEquals(List.of(new EventLog.Point(1, 1f / 3f)), log.scalars("epoch_accuracy"));
    List<HistogramProto> h = log.histograms("l00_dense/kernel/histogram");
    assertEquals(1, h.size());
    assertEquals(values.length, h.get(0).getNum());
    assertEquals(-1, h.get(0).getMin());
    assertEquals(2, h.get(0).getMax());
    assertEquals(values.length, h.get(0).getBucketList().stream().mapToDouble(Double::doubleValue).sum());
    assertEquals(List.of(1L), log.histogramSteps("l00_dense/kernel/histogram"));

    assertEquals(1, log.graphs());
    Event graphEvent = log.events.stream().filter(Event::hasGraphDef).findFirst().orElseThrow();
    GraphDef gd = GraphDef.parseFrom(graphEvent.getGraphDef());
    assertTrue(gd.getNodeList().stream().map(NodeDef::getName).anyMatch("l00_dense/kernel"::equals));
  }

  @Test
  void nonFiniteHistogramValuesAreRejectedBeforeTensorFlowSeesThem() {
    try (TensorBoardWriter w = new TensorBoardWriter(dir)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> w.histogram("w/histogram", 0, new float[] {1f, Float.NaN}));
      assertTrue(e.getMessage().contains("w/histogram"), e.getMessage());
      w.histogram("w/histogram", 0, new float[] {1f});
    }
    assertEquals(1, EventLog.read(dir).histograms("w/histogram").size());
  }

  @Test
  void aNewFileSortsAfterTheFilesAlreadyThere() throws Exception {
    // created this second by a writer whose host, pid or counter sorts after this one's (a counter
    // of 9 sorts after 10)
    new TensorBoardWriter(dir.resolve("warm-up")).close(); // TensorFlow's first start takes seconds
    long now = System.currentTimeMillis() / 1000;
    Path earlier = dir.resolve(EventFiles.PREFIX + now + ".zzzz.99999.9.v2");
    java.nio.file.Files.write(earlier, new byte[0]);
    try (TensorBoardWriter w = new TensorBoardWriter(dir)) {
      w.scalar("epoch_loss", 0, 1);
    }
    List<Path> files = EventFiles.list(dir);
    assertEquals(2, files.size());
    assertEquals(earlier, files.get(0));
  }

  @Test
  void aClosedWriterRefusesWrites() {
    TensorBoardWriter w = new TensorBoardWriter(dir);
    w.close();
    w.close();
    assertThrows(IllegalStateException.class, () -> w.scalar("epoch_loss", 0, 1));
  }
}
