package dev.fmnist.export;

import dev.fmnist.data.DatasetSpec;
import dev.fmnist.data.ImageSet;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** Batched logits from a just-exported fmnist SavedModel ({@code serving_default}), to check the export. */
final class Predictor {
  static final int BATCH = 500;
  private final SessionFunction fn;
  private final DatasetSpec spec;

  Predictor(SavedModelBundle bundle, DatasetSpec spec) {
    this.fn = bundle.function("serving_default");
    this.spec = spec;
  }

  /** Logits [n * classes] for {@code n} images given as [n * valuesPerImage] floats in [0, 1]. */
  float[] logits(float[] images, int n) {
    int classes = spec.classes();
    int values = spec.valuesPerImage();
    float[] out = new float[n * classes];
    for (int start = 0; start < n; start += BATCH) {
      int m = Math.min(BATCH, n - start);
      try (TFloat32 in = TFloat32.tensorOf(Shape.of(spec.batchShape(m)))) {
        in.asRawTensor().data().asFloats().write(images, start * values, m * values);
        try (Result r = fn.call(Map.<String, Tensor>of("images", in))) {
          TFloat32 logits = (TFloat32) r.get("logits").orElseThrow();
          logits.asRawTensor().data().asFloats().read(out, start * classes, m * classes);
        }
      }
    }
    return out;
  }

  /** Mean cross-entropy and accuracy over a labelled set. */
  TestMetrics score(ImageSet set) {
    int n = set.size();
    int classes = spec.classes();
    float[] images = new float[n * spec.valuesPerImage()];
    for (int i = 0; i < n; i++) {
      set.copyScaled(i, images, i * spec.valuesPerImage());
    }
    float[] logits = logits(images, n);
    double loss = 0;
    int correct = 0;
    for (int i = 0; i < n; i++) {
      int label = set.label(i);
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        max = Math.max(max, logits[i * classes + c]);
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        sum += Math.exp(logits[i * classes + c] - max);
      }
      loss += Math.log(sum) + max - logits[i * classes + label];
      if (argMax(logits, i, classes) == label) {
        correct++;
      }
    }
    return new TestMetrics(n == 0 ? Double.NaN : loss / n, n == 0 ? Double.NaN : (double) correct / n, correct, n);
  }

  /** The first index of the largest of the {@code classes} logits of row {@code row}. */
  static int argMax(float[] logits, int row, int classes) {
    int best = 0;
    for (int c = 1; c < classes; c++) {
      if (logits[row * classes + c] > logits[row * classes + best]) {
        best = c;
      }
    }
    return best;
  }
}
