package dev.fmnist.data;

import java.util.Map;

/**
 * A labelled image dataset held in memory: a training set (validation splits are carved from it),
 * a test set, what its images are, and where it came from. {@link FashionMnist} is one.
 */
public interface Dataset {
  /** What the images are: size, channels, class names. */
  DatasetSpec spec();

  /** The training images (before any validation split). */
  ImageSet train();

  /** The test images. */
  ImageSet test();

  /** Where the data came from, for manifests and messages. */
  Provenance provenance();

  /**
   * A dataset of images already in memory (generated, or read by the caller).
   *
   * @param source says where they came from, for manifests
   * @throws IllegalArgumentException when the two sets are of different specs
   */
  static Dataset of(ImageSet train, ImageSet test, String source) {
    if (!train.spec().equals(test.spec())) {
      throw new IllegalArgumentException("the training and test images are of different datasets: "
          + train.spec() + " and " + test.spec());
    }
    Provenance p = new Provenance("memory", source, 0, Map.of());
    return new Dataset() {
      @Override
      public DatasetSpec spec() {
        return train.spec();
      }

      @Override
      public ImageSet train() {
        return train;
      }

      @Override
      public ImageSet test() {
        return test;
      }

      @Override
      public Provenance provenance() {
        return p;
      }
    };
  }

  /**
   * Where a dataset came from.
   *
   * @param format how it was read, e.g. {@code fashion-mnist}, {@code idx}, {@code folder}
   * @param source the directory or file it was read from
   * @param files how many files were read
   * @param sha256 SHA-256 of the content read, by file (or by part, for large folders)
   */
  record Provenance(String format, String source, int files, Map<String, String> sha256) {
    public Provenance {
      sha256 = Map.copyOf(sha256);
    }
  }
}
