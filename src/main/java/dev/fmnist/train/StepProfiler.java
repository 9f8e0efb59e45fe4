package dev.fmnist.train;

import dev.fmnist.data.DatasetSpec;
import dev.fmnist.data.FashionMnist;

import dev.fmnist.config.Recipe;
import dev.fmnist.config.RecipeLoader;
import dev.fmnist.config.TrainingSpec;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Where a training step's time goes: times plain steps of a recipe's training graph on one random
 * batch, then traces a few steps (TensorFlow's step stats) and prints the time per op type and per
 * node. A developer tool behind {@code tools/bench/profile.sh}; not part of the CLI.
 *
 * <pre>
 * java -cp 'target/fmnist.jar:target/lib/*' dev.fmnist.train.StepProfiler RECIPE
 *     [--precision float32|bf16] [--batch N] [--intra N] [--inter N] [--no-fuse] [--steps N]
 * </pre>
 */
public final class StepProfiler {
  private StepProfiler() {}

  /**
   * Profiles a recipe's training step and prints the times.
   *
   * @param args the recipe file, then the options in the class description
   */
  public static void main(String[] args) {
    Recipe recipe = RecipeLoader.load(Path.of(args[0]));
    int batch = 128;
    int intra = Runtime.getRuntime().availableProcessors();
    int inter = SessionOptions.cpuDefault().interOpThreads();
    int steps = 40;
    boolean fuse = true;
    TrainingSpec.Precision precision = TrainingSpec.Precision.FLOAT32;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--precision" -> precision = TrainingSpec.Precision.valueOf(args[++i].toUpperCase(Locale.ROOT));
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        case "--intra" -> intra = Integer.parseInt(args[++i]);
        case "--inter" -> inter = Integer.parseInt(args[++i]);
        case "--steps" -> steps = Integer.parseInt(args[++i]);
        case "--no-fuse" -> fuse = false;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    final TrainingSpec.Precision chosen = precision;
    recipe = recipe.toBuilder().training(t -> t.precision(chosen)).build();
    DatasetSpec data = FashionMnist.SPEC; // the profiler feeds random Fashion-MNIST-shaped batches
    dev.fmnist.model.ConvFusion fused = !fuse ? dev.fmnist.model.ConvFusion.NONE
        : precision == TrainingSpec.Precision.FLOAT32 ? dev.fmnist.model.ConvFusion.FLOAT32
        : dev.fmnist.model.ConvFusion.BFLOAT16;
    System.out.printf(Locale.ROOT, "%s: batch %d, %s, %d intra-op / %d inter-op threads, conv+relu fusion %s%n",
        recipe.name(), batch, precision.name().toLowerCase(Locale.ROOT), intra, inter,
        fused.name().toLowerCase(Locale.ROOT));
    Random rnd = new Random(1);
    float[] pixels = new float[batch * data.valuesPerImage()];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = rnd.nextFloat();
    }
    int[] labels = new int[batch];
    for (int i = 0; i < batch; i++) {
      labels[i] = rnd.nextInt(data.classes());
    }
    try (TrainingGraph g = TrainingGraph.build(recipe, data, false, fused);
        Session s = new Session(g.graph,
            new SessionOptions(SessionOptions.Device.CPU, intra, inter).config(precision));
        TFloat32 x = TFloat32.tensorOf(Shape.of(data.batchShape(batch)));
        TInt32 y = TInt32.vectorOf(labels);
        StepFeeds stepFeeds = new StepFeeds(42)) {
      x.asRawTensor().data().asFloats().write(pixels);
      stepFeeds.set(1e-3, recipe.training().adam(), 0);
      s.initialize();
      java.util.function.Supplier<Session.Runner> step = () -> stepFeeds.feed(s.runner(), g)
          .feed(g.images, x).feed(g.labels, y)
          .fetch(g.loss).fetch(g.correct).addTarget(g.trainStep);
      for (int i = 0; i < 20; i++) {
        step.get().run().close();
      }
      StringBuilder times = new StringBuilder();
      for (int rep = 0; rep < 3; rep++) {
        long t = System.nanoTime();
        for (int i = 0; i < steps; i++) {
          step.get().run().close();
        }
        times.append(String.format(Locale.ROOT, " %.2f", (System.nanoTime() - t) / (double) steps / 1e6));
      }
      System.out.println("ms per step (3 runs of " + steps + " steps):" + times);
      Map<String, Long> byType = new HashMap<>();
      Map<String, Long> byNode = new HashMap<>();
      int traced = 10;
      RunOptions trace = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
      for (int k = 0; k < traced; k++) {
        try (Result r = step.get().setOptions(trace).runAndFetchMetadata()) {
          for (DeviceStepStats d : r.getMetadata().orElseThrow().getStepStats().getDevStatsList()) {
            for (NodeExecStats n : d.getNodeStatsList()) {
              String label = n.getTimelineLabel();
              String type = label.contains(" = ") ? label.replaceAll("^.* = ([A-Za-z0-9_]+)\\(.*$", "$1") : n.getNodeName();
              byType.merge(type, n.getAllEndRelMicros(), Long::sum);
              byNode.merge(n.getNodeName() + " (" + type + ")", n.getAllEndRelMicros(), Long::sum);
            }
          }
        }
      }
      long total = byType.values().stream().mapToLong(Long::longValue).sum();
      System.out.printf(Locale.ROOT, "traced %d steps: op time %.1f ms per step (summed over threads)%n",
          traced, total / (double) traced / 1e3);
      print("op type", byType, traced, total, 15);
      print("node", byNode, traced, total, 15);
    }
  }

  private static void print(String what, Map<String, Long> micros, int steps, long total, int top) {
    System.out.printf(Locale.ROOT, "%-60s %9s %6s%n", what, "ms/step", "share");
    micros.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .limit(top)
        .forEach(e -> System.out.printf(Locale.ROOT, "  %-58s %9.2f %5.1f%%%n",
            e.getKey(), e.getValue() / (double) steps / 1e3, 100.0 * e.getValue() / total));
  }
}
