package dev.fmnist.train;

import dev.fmnist.data.FashionMnist;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.config.Recipe;
import dev.fmnist.config.RecipeLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/** Label smoothing and weight decay (L2 and decoupled) against hand-computed values. */
class RegularizationTest {
  private static final String RECIPE = """
      name: reg
      model:
        layers:
          - conv: {filters: 3, kernel: 3, stride: 2, padding: valid}
          - flatten: {}
          - dense: {units: 10, activation: none}
      training: {seed: 3%s}
      """;
  private static final int N = 6;

  @Test
  void labelSmoothingGivesKerasLoss() {
    double e = 0.1;
    try (Fixture f = new Fixture(", label_smoothing: " + e)) {
      float[] logits = f.logits();
      double expected = 0;
      for (int i = 0; i < N; i++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < 10; k++) {
          max = Math.max(max, logits[i * 10 + k]);
        }
        double z = 0;
        for (int k = 0; k < 10; k++) {
          z += Math.exp(logits[i * 10 + k] - max);
        }
        double logZ = max + Math.log(z);
        for (int k = 0; k < 10; k++) { // targets y(1-e) + e/10
          double t = (k == f.labels[i] ? 1 - e : 0) + e / 10;
          expected -= t * (logits[i * 10 + k] - logZ);
        }
      }
      expected /= N;
      assertEquals(expected, f.loss(), 1e-5);
      assertEquals(expected, f.evalLoss(), 1e-5, "validation uses the same loss");
      float before = f.loss();
      f.steps(5);
      assertTrue(f.loss() < before, "training lowers the smoothed loss");
    }
  }

  @Test
  void l2AddsRateTimesSumOfSquaredKernels() {
    double rate = 0.01;
    float plain;
    try (Fixture f = new Fixture("")) {
      plain = f.loss();
    }
    try (Fixture f = new Fixture(", weight_decay: {type: l2, rate: " + rate + "}")) {
      double squares = 0;
      for (float[] k : f.kernels()) {
        for (float w : k) {
          squares += (double) w * w;
        }
      }
      assertEquals(2, f.kernels().size(), "conv and dense kernels, no biases");
      assertEquals(plain + rate * squares, f.loss(), 1e-5);
    }
  }

  @Test
  void decoupledDecayShrinksKernelsByLearningRateTimesRate() {
    double rate = 0.5;
    float lr = 0.01f;
    List<float[]> plainAfter;
    List<float[]> before;
    try (Fixture f = new Fixture("")) {
      before = f.kernels();
      f.steps(1, lr);
      plainAfter = f.kernels();
    }
    try (Fixture f = new Fixture(", weight_decay: {type: decoupled, rate: " + rate + "}")) {
      f.steps(1, lr);
      List<float[]> decayed = f.kernels();
      for (int k = 0; k < before.size(); k++) {
        for (int i = 0; i < before.get(k).length; i++) {
          // w1 = w0 - lr*rate*w0 - adamStep, and the plain run gives w0 - adamStep (same gradient)
          assertEquals(-lr * rate * before.get(k)[i], decayed.get(k)[i] - plainAfter.get(k)[i], 1e-6);
        }
      }
    }
  }

  /** A training graph and session on one fixed batch. */
  private static final class Fixture implements AutoCloseable {
    final TrainingGraph g;
    final Session s;
    final TFloat32 x;
    final TInt32 y;
    final int[] labels = new int[N];

    Fixture(String trainingExtra) {
      Recipe r = RecipeLoader.parse(RECIPE.formatted(trainingExtra), "reg.yaml");
      g = TrainingGraph.build(r, FashionMnist.SPEC, false, dev.fmnist.model.ConvFusion.NONE);
      s = new Session(g.graph, new SessionOptions(SessionOptions.Device.CPU, 1, 1).config());
      s.initialize();
      Random rnd = new Random(9);
      float[] px = new float[N * 784];
      for (int i = 0; i < px.length; i++) {
        px[i] = rnd.nextFloat();
      }
      for (int i = 0; i < N; i++) {
        labels[i] = rnd.nextInt(10);
      }
      x = TFloat32.tensorOf(Shape.of(N, 28, 28, 1));
      x.asRawTensor().data().asFloats().write(px);
      y = TInt32.vectorOf(labels);
    }

    float loss() {
      try (Result r = s.runner().feed(g.images, x).feed(g.labels, y).feed(g.dropoutSeed, seed()).fetch(g.loss).run()) {
        return ((TFloat32) r.get(0)).getFloat();
      }
    }

    float evalLoss() {
      try (Result r = s.runner().feed(g.images, x).feed(g.labels, y).fetch(g.evalLossSum).run()) {
        return ((TFloat32) r.get(0)).getFloat() / N;
      }
    }

    float[] logits() {
      float[] out = new float[N * 10];
      try (Result r = s.runner().feed(g.images, x).fetch(g.evalLogits).run()) {
        ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(out);
      }
      return out;
    }

    List<float[]> kernels() {
      List<float[]> out = new ArrayList<>();
      List<String> names = new ArrayList<>();
      g.graph.operations().forEachRemaining(op -> {
        if (op.type().equals("VariableV2") && op.name().endsWith("/kernel")) {
          names.add(op.name());
        }
      });
      names.sort(null);
      for (String n : names) {
        GraphOperation op = g.graph.operation(n);
        try (Result r = s.runner().fetch(op.output(0)).run()) {
          TFloat32 t = (TFloat32) r.get(0);
          float[] v = new float[(int) t.size()];
          t.asRawTensor().data().asFloats().read(v);
          out.add(v);
        }
      }
      return out;
    }

    void steps(int n) {
      steps(n, 0.01f);
    }

    void steps(int n, float rate) {
      try (TFloat32 lr = TFloat32.scalarOf(rate); TFloat32 b1 = TFloat32.scalarOf(0.9f);
          TFloat32 b2 = TFloat32.scalarOf(0.999f); TInt64 seed = seed()) {
        for (int i = 0; i < n; i++) {
          s.runner().feed(g.images, x).feed(g.labels, y).feed(g.learningRate, lr).feed(g.beta1Power, b1)
              .feed(g.beta2Power, b2).feed(g.dropoutSeed, seed).addTarget(g.trainStep).run().close();
        }
      }
    }

    private static TInt64 seed() {
      return TInt64.vectorOf(1, 0);
    }

    @Override
    public void close() {
      x.close();
      y.close();
      s.close();
      g.close();
    }
  }
}
