package dev.fmnist.data;

import java.util.List;
import java.util.Map;

/**
 * A labelled image dataset held in memory: a training set (validation splits are carved from it),
 * a test set, what its images are, and where it came from. {@link FashionMnist} is one.
 */
public interface Dataset {
  /**
   * What the images are: size, channels, class names.
   *
   * @return the description shared by the training and test images
   */
  DatasetSpec spec();

  /**
   * The training images (before any validation split).
   *
   * @return the training images
   */
  ImageSet train();

  /**
   * The test images.
   *
   * @return the test images
   */
  ImageSet test();

  /**
   * Where the data came from, for manifests and messages.
   *
   * @return the dataset's provenance
   */
  Provenance provenance();

  /**
   * A dataset of images already in memory (generated, or read by the caller).
   *
   * @param source says where they came from, for manifests
   * @param train the training images
   * @param test the test images, of the same spec
   * @return the dataset, with provenance format {@code memory}
   * @throws IllegalArgumentException when the two sets are of different specs
   */
  static Dataset of(ImageSet train, ImageSet test, String source) {
    return of(train, test, new Provenance("memory", source, 0, Map.of()));
  }

  /**
   * A dataset of images read by a loader ({@link ImageFolder}, {@link IdxDataset}) or the caller.
   *
   * @param train the training images
   * @param test the test images, of the same spec
   * @param p where they came from
   * @return the dataset
   * @throws IllegalArgumentException when the two sets are of different specs
   */
  static Dataset of(ImageSet train, ImageSet test, Provenance p) {
    if (!train.spec().equals(test.spec())) {
      throw new IllegalArgumentException("the training and test images are of different datasets: "
          + train.spec() + " and " + test.spec());
    }
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
   * @param files how many files were read (skipped ones not counted)
   * @param sha256 SHA-256 of the content read, by file (or by part, for large folders: {@code
   *     train}, {@code test}; see {@link ImageFolder})
   * @param skipped the files skipped as unreadable, each {@code <file>: <problem>}
   * @param testSplit how the test set was carved from the training images, or null when it was
   *     read from its own files
   */
  record Provenance(String format, String source, int files, Map<String, String> sha256, List<String> skipped,
      TestSplit testSplit) {
    /**
     * Copies the map and the list.
     *
     * @param format how it was read, e.g. {@code fashion-mnist}, {@code idx}, {@code folder}
     * @param source the directory or file it was read from
     * @param files how many files were read
     * @param sha256 SHA-256 of the content read, by file or part
     * @param skipped the files skipped as unreadable
     * @param testSplit how the test set was carved from the training images, or null
     */
    public Provenance {
      sha256 = Map.copyOf(sha256);
      skipped = List.copyOf(skipped);
    }

    /**
     * Provenance of a dataset read whole, nothing skipped, with its own test set.
     *
     * @param format how it was read
     * @param source the directory or file it was read from
     * @param files how many files were read
     * @param sha256 SHA-256 of the content read, by file
     */
    public Provenance(String format, String source, int files, Map<String, String> sha256) {
      this(format, source, files, sha256, List.of(), null);
    }
  }

  /**
   * A test set held out from the training images: {@code fraction} of each class, chosen by
   * {@code seed} (see {@link Splits#stratified(ImageSet, double, long)}).
   */
  record TestSplit(double fraction, long seed) {}
}
