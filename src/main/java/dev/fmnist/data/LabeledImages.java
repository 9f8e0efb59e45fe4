package dev.fmnist.data;

/**
 * Images with their true classes, as the evaluator reads them: each image is {@code
 * spec().valuesPerImage()} values in [0, 1], row-major with channels last.
 */
public interface LabeledImages {
  /**
   * What the images are: size, channels, class names.
   *
   * @return the description of the images
   */
  DatasetSpec spec();

  /**
   * The number of images.
   *
   * @return the number of images
   */
  int size();

  /**
   * The true class of image {@code i}.
   *
   * @param i the image, 0 to {@link #size()} - 1
   * @return its label, 0 to {@code spec().classes() - 1}
   */
  int label(int i);

  /**
   * Writes image {@code i}, scaled to [0, 1], into {@code dst} from {@code offset}.
   *
   * @param i the image, 0 to {@link #size()} - 1
   * @param dst receives {@code spec().valuesPerImage()} floats
   * @param offset where in {@code dst} the image starts
   */
  void copyScaled(int i, float[] dst, int offset);

  /**
   * All labels, in order.
   *
   * @return a new array of {@link #size()} labels
   */
  default int[] labels() {
    int[] l = new int[size()];
    for (int i = 0; i < l.length; i++) {
      l[i] = label(i);
    }
    return l;
  }

  /**
   * Image {@code i} as a new array.
   *
   * @param i the image, 0 to {@link #size()} - 1
   * @return {@code spec().valuesPerImage()} floats in [0, 1]
   */
  default float[] image(int i) {
    float[] img = new float[spec().valuesPerImage()];
    copyScaled(i, img, 0);
    return img;
  }
}
