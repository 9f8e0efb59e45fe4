package dev.fmnist.data;

/**
 * Hears how far a dataset loader ({@link ImageFolder}) has come, e.g. to draw
 * a progress bar. Called on the loading thread only. All methods default to doing nothing.
 */
public interface LoadListener {
  /** A listener that ignores everything. */
  LoadListener NONE = new LoadListener() {};

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
