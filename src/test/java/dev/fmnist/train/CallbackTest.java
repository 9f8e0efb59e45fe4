package dev.fmnist.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User callbacks that act: stop training, add a metric, keep state across a kill and a resume. */
class CallbackTest {
  /** Stops after epoch {@code last} and logs the number of the epoch squared as {@code epoch_squared}. */
  static final class StopAfter implements Callback {
    final int last;

    StopAfter(int last) {
      this.last = last;
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs, TrainingContext context) {
      logs.put("epoch_squared", (double) epoch * epoch);
      if (epoch == last) {
        context.stopTraining("enough after epoch " + epoch);
      }
    }
  }

  /** Counts every step of the run (resumed ones included) and logs the count: state that must survive a resume. */
  static final class StepCounter implements StatefulCallback {
    long steps;

    @Override
    public void onBatchEnd(int epoch, int batch, Logs logs, TrainingContext context) {
      steps++;
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs, TrainingContext context) {
      logs.put("steps_counted", steps);
    }

    @Override
    public String stateKey() {
      return "step_counter";
    }

    @Override
    public JsonNode saveState() {
      return JsonNodeFactory.instance.objectNode().put("steps", steps);
    }

    @Override
    public void restoreState(JsonNode state) {
      steps = state.path("steps").asLong();
    }
  }

  @Test
  void aUserCallbackStopsTrainingAfterEpoch2AndItsMetricIsInTheHistory(@TempDir Path dir) throws Exception {
    StringWriter lines = new StringWriter();
    TrainingResult r = TrainerTest.run(TrainerTest.TINY, dir).callbacks(new StopAfter(2))
        .progress(new PrintWriter(lines), null).fit();
    assertEquals(2, r.history().epochs().size(), "4 planned, stopped after 2");
    assertTrue(r.stoppedEarly());
    assertEquals("enough after epoch 2", r.stopReason());
    assertEquals(4.0, r.history().epoch(2).extra().get("epoch_squared"));
    List<String> csv = Files.readAllLines(dir.resolve("history.csv"));
    assertEquals("epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,seconds,train_seconds,epoch_squared", csv.get(0));
    assertTrue(csv.get(2).endsWith(",4.00000"), csv.get(2));
    String json = Files.readString(dir.resolve("history.json"));
    assertTrue(json.contains("\"epoch_squared\" : 4.0"), json);
    assertTrue(lines.toString().contains("Epoch 2/4") && lines.toString().contains("epoch_squared: 4"), lines.toString());
    assertFalse(lines.toString().contains("Epoch 3/4"), lines.toString());
    // the exported history keeps the column too
    assertEquals(List.of("epoch_squared"), TrainingHistory.fromJson(Files.readAllBytes(dir.resolve("history.json")),
        "history.json").extraMetrics());
  }

  @Test
  void callbackStateSurvivesAKillAndTheResumedRunIsIdentical(@TempDir Path dir) {
    StepCounter straightCounter = new StepCounter();
    TrainingResult straight = TrainerTest.run(TrainerTest.TINY, dir.resolve("straight")).callbacks(straightCounter).fit();

    Path run = dir.resolve("killed");
    StepCounter before = new StepCounter();
    assertThrows(IllegalStateException.class,
        () -> TrainerTest.run(TrainerTest.TINY, run).callbacks(before, TrainerTest.killAt(3)).fit());
    StepCounter after = new StepCounter(); // a new process: the count comes from the checkpoint
    TrainingResult resumed = TrainerTest.run(TrainerTest.TINY, run).resume(true).callbacks(after).fit();

    assertEquals(straightCounter.steps, after.steps, "every step counted once");
    assertEquals(straight.history().epochs(), resumed.history().epochs().stream()
        .map(e -> new EpochRecord(e.epoch(), e.loss(), e.accuracy(), e.valLoss(), e.valAccuracy(), e.learningRate(),
            straight.history().epoch(e.epoch()).seconds(), straight.history().epoch(e.epoch()).trainSeconds(), e.extra()))
        .toList(), "the same history to the bit (wall times aside), the counted steps included");
    assertArrayEquals(straight.probe().logits(), resumed.probe().logits());
  }

  @Test
  void tensorBoardLogsOfAKilledAndResumedRunHoldEveryEpochOnceAndMatchTheHistory(@TempDir Path dir) {
    Path run = dir.resolve("run");
    assertThrows(IllegalStateException.class, () -> TrainerTest.run(TrainerTest.TINY, run).callbacks(TrainerTest.killAt(3)).fit());
    TrainingResult resumed = TrainerTest.run(TrainerTest.TINY, run).resume(true).fit();
    java.util.List<org.tensorflow.proto.Event> train = dev.fmnist.train.tensorboard.EventFiles.read(
        run.resolve("tensorboard/train"), new PrintWriter(new StringWriter()));
    java.util.List<org.tensorflow.proto.Event> validation = dev.fmnist.train.tensorboard.EventFiles.read(
        run.resolve("tensorboard/validation"), new PrintWriter(new StringWriter()));
    java.util.Map<Long, Float> loss = new java.util.TreeMap<>();
    java.util.Map<Long, Float> valLoss = new java.util.TreeMap<>();
    int lossEvents = 0;
    int histograms = 0;
    for (var e : train) {
      for (var v : e.getSummary().getValueList()) {
        if (v.getTag().equals("epoch_loss")) {
          loss.put(e.getStep(), v.getSimpleValue());
          lossEvents++;
        }
        if (v.getTag().endsWith("/gradient")) {
          histograms++;
        }
      }
    }
    for (var e : validation) {
      for (var v : e.getSummary().getValueList()) {
        if (v.getTag().equals("epoch_loss")) {
          valLoss.put(e.getStep(), v.getSimpleValue());
        }
      }
    }
    assertEquals(4, lossEvents, "four epochs, each once: " + loss);
    assertEquals(java.util.Set.of(0L, 1L, 2L, 3L), loss.keySet(), "Keras's 0-based epoch steps");
    for (EpochRecord r : resumed.history().epochs()) {
      assertEquals((float) r.loss(), loss.get(r.epoch() - 1L), "epoch " + r.epoch());
      assertEquals((float) r.valLoss(), valLoss.get(r.epoch() - 1L), "epoch " + r.epoch());
    }
    assertTrue(histograms >= 4, "gradient histograms every epoch: " + histograms);
  }

  @Test
  void theProgressBarKeepsAWidthWhenTheTerminalCannotTell(@TempDir Path dir) {
    assertEquals(100, dev.fmnist.train.callbacks.ProgressBar.widthFor(null));
    assertEquals(100, dev.fmnist.train.callbacks.ProgressBar.widthFor("abc"));
    assertEquals(100, dev.fmnist.train.callbacks.ProgressBar.widthFor("10"));
    assertEquals(132, dev.fmnist.train.callbacks.ProgressBar.widthFor("132"));
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    TrainerTest.run(TrainerTest.TINY.replace("epochs: 4", "epochs: 1"), dir)
        .progress(new PrintWriter(new StringWriter()), new PrintStream(terminal, true, StandardCharsets.UTF_8)).fit();
    String bar = terminal.toString(StandardCharsets.UTF_8);
    assertTrue(bar.contains("Epoch 1/1"), bar);
    assertFalse(bar.contains("[ ]"), "the bar is drawn, not collapsed: " + bar);
    assertTrue(bar.contains("=="), bar);
  }
}
