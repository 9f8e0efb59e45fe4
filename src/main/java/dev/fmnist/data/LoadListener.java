package dev.fmnist.data;

/**
 * Hears what a dataset loader ({@link ImageFolder}) reads and how far it has come, e.g. to check a
 * limit before the images are decoded or to draw a progress bar. Called on the loading thread only. All methods default to doing nothing.
 */
public interface LoadListener {
  /** A listener that ignores everything. */
  LoadListener NONE = new LoadListener() {};

  /**
   * What the images are, known before any of them is decoded (from the folders and the recipe):
   * the place to check a limit that depends on it. Throwing stops the loading; nothing is read.
   *
   * @param spec the images' size, channels and classes
   */
  default void described(DatasetSpec spec) {}

  /**
   * Reading {@code total} images of {@code what} (a directory) begins.
   *
   * @param what the directory being read
   * @param total the number of image files to read
   */
  default void started(String what, int total) {}

  /**
   * {@code done} of the {@code total} images have been read.
   *
   * @param done images read so far
   */
  default void progressed(int done) {}

  /** The images have been read (or reading failed). */
  default void finished() {}
}
