package dev.fmnist.export;

import dev.fmnist.data.ImageSet;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** Batched logits from an exported fmnist SavedModel ({@code serving_default}). */
final class Predictor {
  static final int BATCH = 500;
  private static final int CLASSES = 10;
  private final SessionFunction fn;

  Predictor(SavedModelBundle bundle) {
    this.fn = bundle.function("serving_default");
  }

  /** Logits [n*10] for {@code n} images given as [n*784] floats in [0, 1]. */
  float[] logits(float[] images, int n) {
    float[] out = new float[n * CLASSES];
    for (int start = 0; start < n; start += BATCH) {
      int m = Math.min(BATCH, n - start);
      try (TFloat32 in = TFloat32.tensorOf(Shape.of(m, 28, 28, 1))) {
        in.asRawTensor().data().asFloats().write(images, start * ImageSet.PIXELS, m * ImageSet.PIXELS);
        try (Result r = fn.call(Map.<String, Tensor>of("images", in))) {
          TFloat32 logits = (TFloat32) r.get("logits").orElseThrow();
          logits.asRawTensor().data().asFloats().read(out, start * CLASSES, m * CLASSES);
        }
      }
    }
    return out;
  }

  /** Mean cross-entropy and accuracy over a labelled set. */
  TestMetrics score(ImageSet set) {
    int n = set.size();
    float[] images = new float[n * ImageSet.PIXELS];
    for (int i = 0; i < n; i++) {
      set.copyScaled(i, images, i * ImageSet.PIXELS);
    }
    float[] logits = logits(images, n);
    double loss = 0;
    int correct = 0;
    for (int i = 0; i < n; i++) {
      int label = set.label(i);
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < CLASSES; c++) {
        max = Math.max(max, logits[i * CLASSES + c]);
      }
      double sum = 0;
      for (int c = 0; c < CLASSES; c++) {
        sum += Math.exp(logits[i * CLASSES + c] - max);
      }
      loss += Math.log(sum) + max - logits[i * CLASSES + label];
      if (argMax(logits, i) == label) {
        correct++;
      }
    }
    return new TestMetrics(n == 0 ? Double.NaN : loss / n, n == 0 ? Double.NaN : (double) correct / n, correct, n);
  }

  static int argMax(float[] logits, int row) {
    int best = 0;
    for (int c = 1; c < CLASSES; c++) {
      if (logits[row * CLASSES + c] > logits[row * CLASSES + best]) {
        best = c;
      }
    }
    return best;
  }
}
