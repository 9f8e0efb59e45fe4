package dev.fmnist.data;



/**
 * Images with their true classes, as the evaluator reads them: each image is {@link
 * ImageSet#PIXELS} values in [0, 1], row by row.
 */
public interface LabeledImages {
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

  /** A view of a data-layer image set. */
  static LabeledImages of(ImageSet set) {
    return new LabeledImages() {
      @Override
      public int size() {
        return set.size();
      }

      @Override
      public int label(int i) {
        return set.label(i);
      }

      @Override
      public void copyScaled(int i, float[] dst, int offset) {
        set.copyScaled(i, dst, offset);
      }
    };
  }

  /** Image {@code i} as a new array. */
  default float[] image(int i) {
    float[] img = new float[ImageSet.PIXELS];
    copyScaled(i, img, 0);
    return img;
  }
}
