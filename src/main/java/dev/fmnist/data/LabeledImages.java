package dev.fmnist.data;

/**
 * Images with their true classes, as the evaluator reads them: each image is {@code
 * spec().valuesPerImage()} values in [0, 1], row-major with channels last.
 */
public interface LabeledImages {
  /** What the images are: size, channels, class names. */
  DatasetSpec spec();

  /** The number of images. */
  int size();

  /** The true class of image {@code i}. */
  int label(int i);

  /** Writes image {@code i}, scaled to [0, 1], into {@code dst} from {@code offset}. */
  void copyScaled(int i, float[] dst, int offset);

  /** All labels, in order. */
  default int[] labels() {
    int[] l = new int[size()];
    for (int i = 0; i < l.length; i++) {
      l[i] = label(i);
    }
    return l;
  }

  /** Image {@code i} as a new array. */
  default float[] image(int i) {
    float[] img = new float[spec().valuesPerImage()];
    copyScaled(i, img, 0);
    return img;
  }
}
