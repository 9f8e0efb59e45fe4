package dev.fmnist.train;

import dev.fmnist.config.Recipe;
import dev.fmnist.config.RecipeLoader;
import dev.fmnist.config.TrainingSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Paired comparison of session levers on one recipe's training graph: each variant gets its own
 * graph and session in this JVM, all are warmed up, then timed in alternating rounds of N steps on
 * one random batch, so that load from other processes hits every variant alike. A developer tool
 * behind tools/bench/levers.sh (compiled there against target/fmnist.jar); not part of fmnist.
 *
 * <pre>
 * LeverBench RECIPE [--batch 128] [--steps 10] [--rounds 7] VARIANT...
 *   VARIANT: name:key=value,key=value  keys: precision=float32|bf16, fuse=on|off|bf16, intra=N, inter=N,
 *            jit=off|on1|on2, remap=on|off|aggressive, layout=on|off, arith=on|off, batch=N,
 *            recipe=PATH (another recipe's graph: compares architectures)
 * </pre>
 * Batch size is per variant (batch=N) so that samples/s can be compared across batch sizes.
 */
public final class LeverBench {
  private LeverBench() {}

  record Variant(String name, Map<String, String> settings) {
    String get(String key, String dflt) {
      return settings.getOrDefault(key, dflt);
    }
  }

  public static void main(String[] args) {
    Recipe base = RecipeLoader.load(Path.of(args[0]));
    int batch = 128;
    int steps = 10;
    int rounds = 7;
    List<Variant> variants = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        case "--steps" -> steps = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> variants.add(parse(args[i]));
      }
    }
    if (variants.isEmpty()) {
      variants.add(parse("base:"));
    }
    List<Bench> benches = new ArrayList<>();
    try {
      for (Variant v : variants) {
        benches.add(new Bench(base, v, Integer.parseInt(v.get("batch", Integer.toString(batch)))));
      }
      for (Bench b : benches) {
        b.time(15); // warm-up: graph rewrites, oneDNN primitive creation, XLA compilation
      }
      double[][] ms = new double[benches.size()][rounds];
      for (int r = 0; r < rounds; r++) {
        for (int k = 0; k < benches.size(); k++) {
          ms[k][r] = benches.get(k).time(steps);
        }
      }
      System.out.printf(Locale.ROOT, "%s, %d steps x %d alternating rounds; load %s%n", base.name(), steps, rounds,
          loadAverage());
      System.out.printf(Locale.ROOT, "%-14s %7s %10s %10s %10s %9s  %s%n", "variant", "batch", "median ms", "min ms",
          "samples/s", "vs first", "rounds (ms/step)");
      double first = 0;
      for (int k = 0; k < benches.size(); k++) {
        Bench b = benches.get(k);
        double[] sorted = ms[k].clone();
        Arrays.sort(sorted);
        double med = sorted[sorted.length / 2];
        double sps = b.batch / (med / 1e3);
        if (k == 0) {
          first = sps;
        }
        StringBuilder all = new StringBuilder();
        for (double x : ms[k]) {
          all.append(String.format(Locale.ROOT, " %.1f", x));
        }
        System.out.printf(Locale.ROOT, "%-14s %7d %10.2f %10.2f %10.0f %8.3fx  %s   [%s]%n", b.variant.name(), b.batch, med,
            sorted[0], sps, sps / first, all.toString().trim(), b.variant.settings());
      }
    } finally {
      benches.forEach(Bench::close);
    }
  }

  private static String loadAverage() {
    try {
      return java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  static Variant parse(String spec) {
    int colon = spec.indexOf(':');
    String name = colon < 0 ? spec : spec.substring(0, colon);
    Map<String, String> settings = new LinkedHashMap<>();
    if (colon >= 0 && colon + 1 < spec.length()) {
      for (String kv : spec.substring(colon + 1).split(",")) {
        String[] p = kv.split("=", 2);
        settings.put(p[0].trim(), p.length > 1 ? p[1].trim() : "on");
      }
    }
    return new Variant(name, settings);
  }

  /** One variant's graph, session and fed tensors. */
  static final class Bench implements AutoCloseable {
    final Variant variant;
    final int batch;
    final TrainingGraph g;
    final Session s;
    final List<AutoCloseable> tensors = new ArrayList<>();
    final TFloat32 x;
    final TInt32 y;
    final TFloat32 lr;
    final TFloat32 b1;
    final TFloat32 b2;
    final TInt64 seed;

    Bench(Recipe first, Variant v, int batch) {
      this.variant = v;
      Recipe base = v.settings().containsKey("recipe") ? RecipeLoader.load(Path.of(v.get("recipe", ""))) : first;
      this.batch = batch;
      TrainingSpec.Precision precision =
          TrainingSpec.Precision.valueOf(v.get("precision", "float32").toUpperCase(Locale.ROOT));
      Recipe recipe = base.toBuilder().training(t -> t.precision(precision)).build();
      String fuseKey = v.get("fuse", precision == TrainingSpec.Precision.FLOAT32 ? "on" : "bf16");
      dev.fmnist.model.ConvFusion fuse = switch (fuseKey) {
        case "on" -> dev.fmnist.model.ConvFusion.FLOAT32;
        case "bf16" -> dev.fmnist.model.ConvFusion.BFLOAT16;
        case "off" -> dev.fmnist.model.ConvFusion.NONE;
        default -> throw new IllegalArgumentException("fuse=" + fuseKey + ": on, off or bf16");
      };
      int cores = Runtime.getRuntime().availableProcessors();
      SessionOptions so = new SessionOptions(SessionOptions.Device.CPU,
          Integer.parseInt(v.get("intra", Integer.toString(cores))), Integer.parseInt(v.get("inter", "1")));
      g = TrainingGraph.build(recipe, dev.fmnist.data.FashionMnist.SPEC, false, fuse);
      s = new Session(g.graph, tune(so.config(precision), v));
      Random rnd = new Random(1);
      float[] pixels = new float[batch * dev.fmnist.data.FashionMnist.SPEC.valuesPerImage()];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = rnd.nextFloat();
      }
      int[] labels = new int[batch];
      for (int i = 0; i < batch; i++) {
        labels[i] = rnd.nextInt(dev.fmnist.data.FashionMnist.SPEC.classes());
      }
      x = TFloat32.tensorOf(Shape.of(dev.fmnist.data.FashionMnist.SPEC.batchShape(batch)));
      x.asRawTensor().data().asFloats().write(pixels);
      y = TInt32.vectorOf(labels);
      lr = TFloat32.scalarOf(1e-3f);
      b1 = TFloat32.scalarOf(0.9f);
      b2 = TFloat32.scalarOf(0.99f);
      seed = TInt64.vectorOf(42, 0);
      tensors.addAll(List.of(x, y, lr, b1, b2, seed));
      s.initialize();
    }

    /** Milliseconds per step over {@code n} steps. */
    double time(int n) {
      long t = System.nanoTime();
      for (int i = 0; i < n; i++) {
        s.runner().feed(g.images, x).feed(g.labels, y).feed(g.learningRate, lr).feed(g.beta1Power, b1)
            .feed(g.beta2Power, b2).feed(g.dropoutSeed, seed).fetch(g.loss).fetch(g.correct)
            .addTarget(g.trainStep).run().close();
      }
      return (System.nanoTime() - t) / 1e6 / n;
    }

    @Override
    public void close() {
      for (AutoCloseable t : tensors) {
        try {
          t.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
      s.close();
      g.close();
    }
  }

  /** The variant's session levers on top of fmnist's own configuration. */
  static ConfigProto tune(ConfigProto base, Variant v) {
    ConfigProto.Builder b = base.toBuilder();
    GraphOptions.Builder go = b.getGraphOptionsBuilder();
    String jit = v.get("jit", "default");
    if (!jit.equals("default")) {
      go.getOptimizerOptionsBuilder().setGlobalJitLevel(switch (jit) {
        case "off" -> OptimizerOptions.GlobalJitLevel.OFF;
        case "on1" -> OptimizerOptions.GlobalJitLevel.ON_1;
        case "on2" -> OptimizerOptions.GlobalJitLevel.ON_2;
        default -> throw new IllegalArgumentException("jit=" + jit);
      });
    }
    RewriterConfig.Builder rw = go.getRewriteOptionsBuilder();
    toggle(v, "remap", rw::setRemapping);
    toggle(v, "layout", rw::setLayoutOptimizer);
    toggle(v, "arith", rw::setArithmeticOptimization);
    toggle(v, "constfold", rw::setConstantFolding);
    if (v.settings().containsKey("percore")) {
      b.setUsePerSessionThreads(v.get("percore", "off").equals("on"));
    }
    return b.build();
  }

  private static void toggle(Variant v, String key, java.util.function.Consumer<RewriterConfig.Toggle> set) {
    String val = v.settings().get(key);
    if (val != null) {
      set.accept(switch (val) {
        case "on" -> RewriterConfig.Toggle.ON;
        case "off" -> RewriterConfig.Toggle.OFF;
        case "aggressive" -> RewriterConfig.Toggle.AGGRESSIVE;
        default -> throw new IllegalArgumentException(key + "=" + val);
      });
    }
  }
}
