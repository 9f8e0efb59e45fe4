package dev.fmnist.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fmnist.StorageException;
import dev.fmnist.config.ConfigException;
import dev.fmnist.config.Recipe;
import dev.fmnist.config.RecipeLoader;
import dev.fmnist.config.ScheduleSpec;
import dev.fmnist.config.TrainingSpec;
import dev.fmnist.data.Augmentation;
import dev.fmnist.data.BatchSequence;
import dev.fmnist.data.DatasetSpec;
import dev.fmnist.data.ImageSet;
import dev.fmnist.data.Split;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The fit loop: seeded shuffled batches, Adam steps, validation in inference mode, and the
 * callbacks around them. Everything else a run does at its epochs' ends (recording the history,
 * checkpoints, early stopping, files, progress) is a {@link Callback}; {@link TrainingRun} puts the
 * built-in ones after the user's.
 */
final class FitLoop {
  /** Evaluation batches are larger than training ones: no gradients to keep. */
  static final int EVAL_BATCH_SIZE = 500;

  private static final AtomicBoolean FIRST_STEP_REPORTED = new AtomicBoolean();

  private final SessionOptions sessionOptions;
  private final CheckpointStore checkpoints;
  private final boolean resume;
  private final PrintWriter log;
  private final List<Callback> callbacks;
  private final Path runDirectory;

  FitLoop(SessionOptions sessionOptions, CheckpointStore checkpoints, boolean resume, PrintWriter log,
      List<Callback> callbacks, Path runDirectory) {
    this.sessionOptions = sessionOptions;
    this.checkpoints = checkpoints;
    this.resume = resume;
    this.log = log;
    this.callbacks = List.copyOf(callbacks);
    this.runDirectory = runDirectory;
  }

  /**
   * Trains the recipe's model on {@code split.train()}, validating on {@code split.validation()}.
   * Resuming a run whose epochs are all done trains nothing and returns its result (so a run killed
   * while exporting can export on resume).
   */
  TrainingResult fit(Recipe recipe, Split split) {
    TrainingSpec spec = recipe.training();
    DatasetSpec data = split.train().spec();
    if (spec.schedule().type() == ScheduleSpec.Type.PLATEAU && split.validation().size() == 0) {
      throw new ConfigException(
          "training.schedule: plateau watches the validation loss; it needs a validation split (training.validation_split is 0)");
    }
    if (spec.earlyStopping().enabled() && split.validation().size() == 0) {
      throw new ConfigException(
          "training.early_stopping: needs a validation split (training.validation_split is 0)");
    }
    Augmentation augmentation = new Augmentation(spec.augmentation().shift(), spec.augmentation().flip(),
        spec.augmentation().erasing());
    try {
      augmentation.requireFits(data);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("training.augmentation." + e.getMessage());
    }
    sessionOptions.checkDevice();
    String architecture = RecipeLoader.architectureFingerprint(recipe.model());
    checkpoints.cleanLeftovers();
    try (TrainingGraph g = TrainingGraph.build(recipe, data, sessionOptions.device() == SessionOptions.Device.GPU);
        Session session = new Session(g.graph, sessionOptions.config(spec.precision()));
        BatchTensors feed = new BatchTensors(data);
        StepFeeds stepFeeds = new StepFeeds(spec.seed())) {
      TrainingState state = start(session, recipe, architecture);
      return new Run(g, session, feed, stepFeeds, recipe, split, augmentation, state).run();
    } finally {
      for (Callback c : callbacks) {
        if (c instanceof AutoCloseable closeable) {
          try {
            closeable.close();
          } catch (Exception e) {
            log.println("warning: closing " + c.getClass().getSimpleName() + ": " + dev.fmnist.FmnistException.firstLine(e.getMessage()));
          }
        }
      }
    }
  }

  private TrainingState start(Session session, Recipe recipe, String architecture) {
    if (resume) {
      Optional<CheckpointStore.Checkpoint> c = checkpoints.restoreLatest(session, architecture, log);
      if (c.isPresent()) {
        RunDirectory.requireSameRecipe(recipe, c.get().state(), c.get().dir());
        log.println("resuming from " + c.get().dir() + " (epoch " + c.get().state().epoch() + ")");
        log.flush();
        return c.get().state();
      }
      log.println("no checkpoint to resume from in " + checkpoints.directory() + "; starting afresh");
    }
    session.initialize();
    return new TrainingState(0, 0, List.of(), architecture, recipe.training().seed(), RecipeLoader.toJson(recipe),
        Map.of(), sessionOptions.deviceName());
  }

  /** One run of the loop; holds the per-run buffers. */
  private final class Run implements TrainingContext.Loop {
    private final TrainingGraph g;
    private final Session session;
    private final BatchTensors feed;
    private final StepFeeds stepFeeds;
    private final Recipe recipe;
    private final TrainingSpec spec;
    private final DatasetSpec data;
    private final Split split;
    private final Augmentation augmentation;
    private final TrainingState start;
    private final float[] pixels;
    private final int[] labels;

    Run(TrainingGraph g, Session session, BatchTensors feed, StepFeeds stepFeeds, Recipe recipe, Split split,
        Augmentation augmentation, TrainingState start) {
      this.g = g;
      this.session = session;
      this.feed = feed;
      this.stepFeeds = stepFeeds;
      this.recipe = recipe;
      this.spec = recipe.training();
      this.data = split.train().spec();
      this.split = split;
      this.augmentation = augmentation;
      this.start = start;
      int buf = Math.max(spec.batchSize(), EVAL_BATCH_SIZE);
      this.pixels = new float[buf * data.valuesPerImage()];
      this.labels = new int[buf];
    }

    TrainingResult run() {
      BatchSequence batches = new BatchSequence(split.train(), spec.batchSize(), true, spec.seed(), augmentation);
      int perEpoch = batches.batchesPerEpoch();
      LearningRateSchedule schedule =
          new LearningRateSchedule(spec.adam().learningRate(), spec.schedule(), perEpoch, spec.epochs());
      TrainingContext ctx = new TrainingContext(recipe, split, perEpoch, start, runDirectory, log, this);
      restoreCallbackStates(start);
      callbacks.forEach(c -> c.onTrainBegin(ctx));
      long started = System.nanoTime();
      double trainNanos = 0;
      long samples = 0;
      boolean stoppedEarly = false;
      int epochsThisRun = 0;
      for (int epoch = start.epoch() + 1; epoch <= spec.epochs() && ctx.stopReason().isEmpty(); epoch++) {
        final int e = epoch;
        callbacks.forEach(c -> c.onEpochBegin(e, ctx));
        long t0 = System.nanoTime();
        batches.startEpoch(epoch);
        double lossSum = 0;
        double correct = 0;
        int seen = 0;
        long step = ctx.step();
        double rate = Double.NaN;
        for (int b = 0; b < perEpoch; b++) {
          final int bi = b;
          callbacks.forEach(c -> c.onBatchBegin(e, bi, ctx));
          int n = batches.fill(b, pixels, labels);
          rate = Double.isNaN(ctx.learningRateOverride()) ? schedule.at(step) : ctx.learningRateOverride();
          stepFeeds.set(rate, spec.adam(), step);
          float loss;
          try (Result r = stepFeeds.feed(session.runner(), g)
              .feed(g.images, feed.images(pixels, n))
              .feed(g.labels, feed.labels(labels, n))
              .fetch(g.loss)
              .fetch(g.correct)
              .addTarget(g.trainStep)
              .run()) {
            loss = ((TFloat32) r.get(0)).getFloat();
            correct += ((TFloat32) r.get(1)).getFloat();
          }
          lossSum += (double) loss * n;
          seen += n;
          step++;
          ctx.stepDone(step, rate);
          reportFirstStep();
          Logs batchLogs = new Logs().put(Logs.LOSS, Float.isFinite(loss) ? lossSum / seen : loss)
              .put(Logs.ACCURACY, correct / seen);
          callbacks.forEach(c -> c.onBatchEnd(e, bi, batchLogs, ctx));
        }
        epochsThisRun++;
        double epochTrainNanos = System.nanoTime() - t0;
        trainNanos += epochTrainNanos;
        samples += seen;
        double[] val = split.validation().size() == 0
            ? new double[] {Double.NaN, Double.NaN}
            : evaluate(split.validation());
        Logs logs = new Logs().put(Logs.LOSS, lossSum / seen).put(Logs.ACCURACY, correct / seen)
            .put(Logs.VAL_LOSS, val[0]).put(Logs.VAL_ACCURACY, val[1]).put(Logs.LEARNING_RATE, rate)
            .put(Logs.SECONDS, (System.nanoTime() - t0) / 1e9).put(Logs.TRAIN_SECONDS, epochTrainNanos / 1e9);
        callbacks.forEach(c -> c.onEpochEnd(e, logs, ctx));
        if (ctx.history().epochs().size() != epoch) {
          throw new IllegalStateException("epoch " + epoch + " was not recorded: the run has no EpochRecorder");
        }
        if (ctx.stopReason().isPresent() && epoch < spec.epochs()) {
          stoppedEarly = true;
        }
      }
      TrainingHistory history = ctx.history();
      CheckpointStore.Checkpoint weights = chosenWeights(history);
      double seconds = (System.nanoTime() - started) / 1e9;
      TrainingResult result = new TrainingResult(recipe, data, history, weights,
          history.epoch(weights.state().epoch()), stoppedEarly, ctx.stopReason().orElse(null), epochsThisRun,
          seconds, trainNanos > 0 ? samples / (trainNanos / 1e9) : Double.NaN, probe());
      callbacks.forEach(c -> c.onTrainEnd(result, ctx));
      return result;
    }

    private void reportFirstStep() {
      if (!FIRST_STEP_REPORTED.getAndSet(true)) { // once per JVM: sweeps and repeats train many runs
        double sinceJvmStart = (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1e3;
        log.printf(Locale.ROOT, "first training step done %.1fs after the JVM started%n", sinceJvmStart);
        log.flush();
      }
    }

    private void restoreCallbackStates(TrainingState state) {
      for (Callback c : callbacks) {
        if (c instanceof StatefulCallback s && state.callbacks().containsKey(s.stateKey())) {
          s.restoreState(state.callbacks().get(s.stateKey()));
        }
      }
    }

    @Override
    public CheckpointStore.Checkpoint saveCheckpoint(TrainingContext ctx) {
      Map<String, JsonNode> states = new LinkedHashMap<>();
      for (Callback c : callbacks) {
        if (c instanceof StatefulCallback s) {
          states.put(s.stateKey(), s.saveState());
        }
      }
      TrainingHistory h = ctx.history();
      TrainingState state = new TrainingState(h.epochs().size(), ctx.step(), h.epochs(), start.architecture(),
          start.seed(), RecipeLoader.toJson(recipe), states, sessionOptions.deviceName());
      return checkpoints.save(session, state);
    }

    @Override
    public void pruneCheckpoints(int keepEpoch) {
      checkpoints.prune(keepEpoch);
    }

    @Override
    public Map<String, float[]> variableValues() {
      Map<String, float[]> values = new LinkedHashMap<>();
      for (Variable<TFloat32> v : g.trainableVariables) {
        try (Result r = session.runner().fetch(v).run()) {
          values.put(v.op().name(), floats((TFloat32) r.get(0)));
        }
      }
      return values;
    }

    @Override
    public Map<String, float[]> gradientValues() {
      int n = fill(split.train(), 0, spec.batchSize());
      Map<String, float[]> values = new LinkedHashMap<>();
      try (TInt64 seed = TInt64.vectorOf(spec.seed(), -1L)) {
        Session.Runner runner = session.runner()
            .feed(g.images, feed.images(pixels, n))
            .feed(g.labels, feed.labels(labels, n))
            .feed(g.dropoutSeed, seed);
        g.lossGradients.forEach(runner::fetch);
        try (Result r = runner.run()) {
          for (int i = 0; i < g.trainableVariables.size(); i++) {
            values.put(g.trainableVariables.get(i).op().name(), floats((TFloat32) r.get(i)));
          }
        }
      }
      return values;
    }

    @Override
    public org.tensorflow.proto.GraphDef graphDef() {
      return g.graph.toGraphDef();
    }

    private static float[] floats(TFloat32 t) {
      float[] a = new float[(int) t.shape().size()];
      t.asRawTensor().data().asFloats().read(a);
      return a;
    }

    /** The result epoch's checkpoint (see {@link TrainingHistory#resultEpoch}), restored into the session. */
    private CheckpointStore.Checkpoint chosenWeights(TrainingHistory history) {
      int epoch = history.resultEpoch(spec);
      CheckpointStore.Checkpoint c = checkpoints.find(epoch).orElseThrow(() -> new StorageException(
          checkpoints.directory() + ": the checkpoint of epoch " + epoch + " disappeared"));
      if (epoch != history.epochs().size()) {
        session.restore(c.variablesPrefix());
        log.println("restored the best weights, from epoch " + epoch + " (validation loss "
            + String.format(Locale.ROOT, "%.4f", history.epoch(epoch).valLoss()) + ")");
      }
      return c;
    }

    /** Mean loss and accuracy of the inference tower over a whole set. */
    double[] evaluate(ImageSet set) {
      double loss = 0;
      double correct = 0;
      for (int begin = 0; begin < set.size(); begin += EVAL_BATCH_SIZE) {
        int n = fill(set, begin, EVAL_BATCH_SIZE);
        try (Result r = session.runner()
            .feed(g.images, feed.images(pixels, n))
            .feed(g.labels, feed.labels(labels, n))
            .fetch(g.evalLossSum)
            .fetch(g.evalCorrect)
            .run()) {
          loss += ((TFloat32) r.get(0)).getFloat();
          correct += ((TFloat32) r.get(1)).getFloat();
        }
      }
      return new double[] {loss / set.size(), correct / set.size()};
    }

    private TrainingResult.Probe probe() {
      ImageSet set = split.validation().size() > 0 ? split.validation() : split.train();
      int n = fill(set, 0, TrainingResult.Probe.SIZE);
      float[] images = java.util.Arrays.copyOf(pixels, n * data.valuesPerImage());
      float[] logits = evalLogits(n);
      if (recipe.model().flipAveraged()) { // what the exported function computes: see InferenceGraph
        TrainingResult.Probe.mirror(pixels, n, data);
        float[] mirrored = evalLogits(n);
        for (int i = 0; i < logits.length; i++) {
          logits[i] = (logits[i] + mirrored[i]) * 0.5f;
        }
      }
      return new TrainingResult.Probe(images, logits, n);
    }

    private float[] evalLogits(int n) {
      float[] logits = new float[n * data.classes()];
      try (Result r = session.runner().feed(g.images, feed.images(pixels, n)).fetch(g.evalLogits).run()) {
        ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(logits);
      }
      return logits;
    }

    /** Fills the buffers with up to {@code max} images of {@code set} from {@code begin}; returns how many. */
    private int fill(ImageSet set, int begin, int max) {
      int n = Math.min(max, set.size() - begin);
      int values = data.valuesPerImage();
      for (int i = 0; i < n; i++) {
        set.copyScaled(begin + i, pixels, i * values);
        labels[i] = set.label(begin + i);
      }
      return n;
    }
  }
}
