package dev.fmnist.train;

import dev.fmnist.data.DatasetSpec;
import java.util.HashMap;
import java.util.Map;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Reusable native tensors for feeding batches: one image and one label tensor per batch size
 * (the full size and the short last batch), overwritten in place each step, so the hot loop
 * allocates nothing. Closing this closes them all.
 */
final class BatchTensors implements AutoCloseable {
  private final DatasetSpec spec;
  private final Map<Integer, TFloat32> images = new HashMap<>();
  private final Map<Integer, TInt32> labels = new HashMap<>();

  /** Tensors for images of {@code spec}. */
  BatchTensors(DatasetSpec spec) {
    this.spec = spec;
  }

  /** The image tensor [n, height, width, channels] holding {@code pixels[0 .. n * valuesPerImage)}. */
  TFloat32 images(float[] pixels, int n) {
    TFloat32 t = images.computeIfAbsent(n, k -> TFloat32.tensorOf(Shape.of(spec.batchShape(k))));
    t.asRawTensor().data().asFloats().write(pixels, 0, n * spec.valuesPerImage());
    return t;
  }

  /** The label tensor [n] holding {@code values[0 .. n)}. */
  TInt32 labels(int[] values, int n) {
    TInt32 t = labels.computeIfAbsent(n, k -> TInt32.tensorOf(Shape.of(k)));
    t.asRawTensor().data().asInts().write(values, 0, n);
    return t;
  }

  @Override
  public void close() {
    images.values().forEach(TFloat32::close);
    labels.values().forEach(TInt32::close);
    images.clear();
    labels.clear();
  }
}
