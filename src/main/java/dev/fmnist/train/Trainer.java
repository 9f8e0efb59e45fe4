package dev.fmnist.train;

import dev.fmnist.config.ConfigException;
import dev.fmnist.StorageException;
import dev.fmnist.FmnistException;
import dev.fmnist.config.Recipe;
import dev.fmnist.config.RecipeLoader;
import dev.fmnist.config.ScheduleSpec;
import dev.fmnist.config.TrainingSpec;
import dev.fmnist.data.Augmentation;
import dev.fmnist.data.BatchSequence;
import dev.fmnist.data.ImageSet;
import dev.fmnist.data.Split;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The fit loop: seeded shuffled batches, Adam steps, validation in inference mode, a checkpoint
 * every epoch, early stopping on validation loss, and a stop with exit code 4 when the loss is
 * not finite. Display, history files and logs are {@link TrainingListener}s.
 */
public final class Trainer {
  /** Evaluation batches are larger than training ones: no gradients to keep. */
  static final int EVAL_BATCH_SIZE = 500;
  /** Validation images whose logits are kept to check the export against. */
  static final int PROBE_SIZE = 256;

  private final SessionOptions sessionOptions;
  private final CheckpointStore checkpoints;
  private final boolean resume;
  private final PrintWriter log;
  private final List<TrainingListener> listeners;

  /**
   * @param sessionOptions device and threads
   * @param checkpoints where checkpoints go
   * @param resume continue from the newest good checkpoint
   * @param log where warnings go (damaged checkpoints)
   * @param listeners progress, history, ...
   */
  public Trainer(
      SessionOptions sessionOptions,
      CheckpointStore checkpoints,
      boolean resume,
      PrintWriter log,
      List<TrainingListener> listeners) {
    this.sessionOptions = sessionOptions;
    this.checkpoints = checkpoints;
    this.resume = resume;
    this.log = log;
    this.listeners = List.copyOf(listeners);
  }

  /**
   * Trains the recipe's model on {@code split.train()}, validating on {@code split.validation()}.
   * Resuming a run whose epochs are all done trains nothing and returns its result (so a run killed
   * while exporting can export on resume).
   */
  public TrainingResult train(Recipe recipe, Split split) {
    TrainingSpec spec = recipe.training();
    if (spec.schedule().type() == ScheduleSpec.Type.PLATEAU && split.validation().size() == 0) {
      throw new ConfigException(
          "training.schedule: plateau watches the validation loss; it needs a validation split (training.validation_split is 0)");
    }
    if (spec.earlyStopping().enabled() && split.validation().size() == 0) {
      throw new ConfigException(
          "training.early_stopping: needs a validation split (training.validation_split is 0)");
    }
    sessionOptions.checkDevice();
    String architecture = RecipeLoader.architectureFingerprint(recipe.model());
    checkpoints.cleanLeftovers();
    try (TrainingGraph g = TrainingGraph.build(recipe, sessionOptions.device() == SessionOptions.Device.GPU);
        Session session = new Session(g.graph, sessionOptions.config(spec.precision()));
        BatchTensors feed = new BatchTensors();
        TFloat32 lr = TFloat32.scalarOf(0f);
        TFloat32 b1p = TFloat32.scalarOf(0f);
        TFloat32 b2p = TFloat32.scalarOf(0f);
        TInt64 dropoutSeed = TInt64.vectorOf(spec.seed(), 0L)) {
      TrainingState state = start(session, recipe, architecture);
      return new Loop(g, session, feed, lr, b1p, b2p, dropoutSeed, recipe, split, state).run();
    }
  }

  private TrainingState start(Session session, Recipe recipe, String architecture) {
    if (resume) {
      Optional<CheckpointStore.Checkpoint> c = checkpoints.restoreLatest(session, architecture, log);
      if (c.isPresent()) {
        log.println("resuming from " + c.get().dir() + " (epoch " + c.get().state().epoch() + ")");
        log.flush();
        return c.get().state();
      }
      log.println("no checkpoint to resume from in " + checkpoints.directory() + "; starting afresh");
    }
    session.initialize();
    return new TrainingState(0, 0, List.of(), Double.POSITIVE_INFINITY, 0, 0, architecture,
        recipe.training().seed(), RecipeLoader.toJson(recipe));
  }

  /** One run of the loop; holds the per-run buffers. */
  private final class Loop {
    private final TrainingGraph g;
    private final Session session;
    private final BatchTensors feed;
    private final TFloat32 lr;
    private final TFloat32 b1p;
    private final TFloat32 b2p;
    private final TInt64 dropoutSeed;
    private final Recipe recipe;
    private final TrainingSpec spec;
    private final Split split;
    private TrainingState state;
    private final float[] pixels;
    private final int[] labels;

    Loop(TrainingGraph g, Session session, BatchTensors feed, TFloat32 lr, TFloat32 b1p, TFloat32 b2p,
        TInt64 dropoutSeed, Recipe recipe, Split split, TrainingState state) {
      this.g = g;
      this.session = session;
      this.feed = feed;
      this.lr = lr;
      this.b1p = b1p;
      this.b2p = b2p;
      this.dropoutSeed = dropoutSeed;
      this.recipe = recipe;
      this.spec = recipe.training();
      this.split = split;
      this.state = state;
      int buf = Math.max(spec.batchSize(), EVAL_BATCH_SIZE);
      this.pixels = new float[buf * ImageSet.PIXELS];
      this.labels = new int[buf];
    }

    TrainingResult run() {
      BatchSequence batches = new BatchSequence(split.train(), spec.batchSize(), true, spec.seed(),
          new Augmentation(spec.augmentation().shift(), spec.augmentation().flip(), spec.augmentation().erasing()));
      int perEpoch = batches.batchesPerEpoch();
      LearningRateSchedule schedule =
          new LearningRateSchedule(spec.adam().learningRate(), spec.schedule(), perEpoch, spec.epochs());
      listeners.forEach(l -> l.onTrainingStart(
          state.epoch(), spec.epochs(), perEpoch, split.train().size(), split.validation().size()));
      long started = System.nanoTime();
      double trainNanos = 0;
      long samples = 0;
      boolean stoppedEarly = false;
      boolean firstStep = true;
      int epochsThisRun = 0;
      schedule.observe(validationLosses(state.history()));
      double rate = schedule.at(state.step());
      for (int epoch = state.epoch() + 1; epoch <= spec.epochs(); epoch++) {
        final int e = epoch;
        listeners.forEach(l -> l.onEpochStart(e));
        schedule.observe(validationLosses(state.history()));
        long t0 = System.nanoTime();
        batches.startEpoch(epoch);
        double lossSum = 0;
        double correct = 0;
        int seen = 0;
        long step = state.step();
        for (int b = 0; b < perEpoch; b++) {
          int n = batches.fill(b, pixels, labels);
          rate = schedule.at(step);
          lr.setFloat((float) rate);
          b1p.setFloat((float) Math.pow(spec.adam().beta1(), step + 1));
          b2p.setFloat((float) Math.pow(spec.adam().beta2(), step + 1));
          dropoutSeed.setLong(step, 1);
          float loss;
          try (Result r = session.runner()
              .feed(g.images, feed.images(pixels, n))
              .feed(g.labels, feed.labels(labels, n))
              .feed(g.learningRate, lr)
              .feed(g.beta1Power, b1p)
              .feed(g.beta2Power, b2p)
              .feed(g.dropoutSeed, dropoutSeed)
              .fetch(g.loss)
              .fetch(g.correct)
              .addTarget(g.trainStep)
              .run()) {
            loss = ((TFloat32) r.get(0)).getFloat();
            correct += ((TFloat32) r.get(1)).getFloat();
          }
          if (!Float.isFinite(loss)) {
            throw new TrainingDivergedException(String.format(Locale.ROOT,
                "training diverged: the loss became %s at epoch %d, step %d; try a lower learning rate "
                    + "(training.adam.learning_rate is %s) or a smaller batch; checkpoints up to epoch %d are intact",
                loss, epoch, b + 1, spec.adam().learningRate(), epoch - 1));
          }
          lossSum += (double) loss * n;
          seen += n;
          step++;
          if (firstStep) {
            firstStep = false;
            if (!FIRST_STEP_REPORTED.getAndSet(true)) { // once per JVM: sweeps and repeats train many runs
              double sinceJvmStart = (System.currentTimeMillis()
                  - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime()) / 1e3;
              log.printf(Locale.ROOT, "first training step done %.1fs after the JVM started%n", sinceJvmStart);
              log.flush();
            }
          }
          final int bi = b;
          final double ml = lossSum / seen;
          final double ma = correct / seen;
          listeners.forEach(l -> l.onBatchEnd(e, bi, ml, ma));
        }
        epochsThisRun++;
        double epochTrainNanos = System.nanoTime() - t0;
        trainNanos += epochTrainNanos;
        samples += seen;
        double[] val = split.validation().size() == 0
            ? new double[] {Double.NaN, Double.NaN}
            : evaluate(split.validation());
        EpochRecord record = new EpochRecord(epoch, lossSum / seen, correct / seen, val[0], val[1], rate,
            (System.nanoTime() - t0) / 1e9, epochTrainNanos / 1e9);
        boolean improved = val[0] < state.bestValLoss() - spec.earlyStopping().minDelta();
        List<EpochRecord> history = new java.util.ArrayList<>(state.history());
        history.add(record);
        state = new TrainingState(epoch, step, history,
            improved ? val[0] : state.bestValLoss(),
            improved ? epoch : state.bestEpoch(),
            improved ? 0 : state.epochsWithoutImprovement() + 1,
            state.architecture(), state.seed(), state.recipeJson());
        checkpoints.save(session, state);
        checkpoints.prune(state.bestEpoch());
        TrainingHistory h = new TrainingHistory(history);
        listeners.forEach(l -> l.onEpochEnd(record, h, improved));
        if (spec.earlyStopping().enabled()
            && state.epochsWithoutImprovement() >= spec.earlyStopping().patience()
            && epoch < spec.epochs()) {
          stoppedEarly = true;
          break;
        }
      }
      CheckpointStore.Checkpoint weights = chosenWeights();
      double seconds = (System.nanoTime() - started) / 1e9;
      TrainingResult result = new TrainingResult(recipe, new TrainingHistory(state.history()), weights,
          state.history().get(weights.state().epoch() - 1), stoppedEarly, epochsThisRun, seconds,
          trainNanos > 0 ? samples / (trainNanos / 1e9) : Double.NaN, probe());
      listeners.forEach(l -> l.onTrainingEnd(result));
      return result;
    }

    /** The best epoch's checkpoint under early stopping, else the last; restored into the session. */
    private CheckpointStore.Checkpoint chosenWeights() {
      int epoch = spec.earlyStopping().enabled() && state.bestEpoch() > 0 ? state.bestEpoch() : state.epoch();
      CheckpointStore.Checkpoint c = checkpoints.find(epoch).orElseThrow(() -> new StorageException(
          checkpoints.directory() + ": the checkpoint of epoch " + epoch + " disappeared", null));
      if (epoch != state.epoch()) {
        session.restore(c.variablesPrefix());
        log.println("restored the best weights, from epoch " + epoch + " (validation loss "
            + String.format(Locale.ROOT, "%.4f", c.state().bestValLoss()) + ")");
      }
      return c;
    }

    /** Mean loss and accuracy of the inference tower over a whole set. */
    double[] evaluate(ImageSet set) {
      double loss = 0;
      double correct = 0;
      int[] order = identity(set.size());
      for (int start = 0; start < set.size(); start += EVAL_BATCH_SIZE) {
        int n = fill(set, order, start);
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
      int n = Math.min(PROBE_SIZE, set.size());
      fill(set, identity(n), 0);
      float[] images = java.util.Arrays.copyOf(pixels, n * ImageSet.PIXELS);
      float[] logits = evalLogits(n);
      if (recipe.model().flipAveraged()) { // what the exported function computes: see InferenceGraph
        mirror(pixels, n);
        float[] mirrored = evalLogits(n);
        for (int i = 0; i < logits.length; i++) {
          logits[i] = (logits[i] + mirrored[i]) * 0.5f;
        }
      }
      return new TrainingResult.Probe(images, logits, n);
    }

    private float[] evalLogits(int n) {
      float[] logits = new float[n * 10];
      try (Result r = session.runner().feed(g.images, feed.images(pixels, n)).fetch(g.evalLogits).run()) {
        ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(logits);
      }
      return logits;
    }

    /** Mirrors the first {@code n} images of {@code px} left to right, in place. */
    private static void mirror(float[] px, int n) {
      for (int i = 0; i < n; i++) {
        for (int row = 0; row < ImageSet.ROWS; row++) {
          int base = i * ImageSet.PIXELS + row * ImageSet.COLS;
          for (int c = 0, m = ImageSet.COLS - 1; c < m; c++, m--) {
            float tmp = px[base + c];
            px[base + c] = px[base + m];
            px[base + m] = tmp;
          }
        }
      }
    }

    private int fill(ImageSet set, int[] order, int start) {
      int n = Math.min(EVAL_BATCH_SIZE, order.length - start);
      for (int i = 0; i < n; i++) {
        set.copyScaled(order[start + i], pixels, i * ImageSet.PIXELS);
        labels[i] = set.label(order[start + i]);
      }
      return n;
    }
  }

  private static List<Double> validationLosses(List<EpochRecord> history) {
    return history.stream().map(EpochRecord::valLoss).toList();
  }

  private static final java.util.concurrent.atomic.AtomicBoolean FIRST_STEP_REPORTED =
      new java.util.concurrent.atomic.AtomicBoolean();

  private static int[] identity(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }
}
