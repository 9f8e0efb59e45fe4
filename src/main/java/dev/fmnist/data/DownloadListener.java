package dev.fmnist.data;

import java.net.URI;
import java.nio.file.Path;

/**
 * Hears what {@link DatasetDownloader} does, e.g. to draw a progress bar. All methods default to
 * doing nothing.
 */
public interface DownloadListener {
  /** A listener that ignores everything. */
  DownloadListener NONE = new DownloadListener() {};

  /**
   * {@code existing} already holds the original file, so it is not downloaded again.
   *
   * @param file the dataset file
   * @param existing the file already in place
   */
  default void alreadyPresent(DatasetFile file, Path existing) {}

  /**
   * The transfer of {@code file} begins; {@code contentLength} is -1 when the server did not say.
   *
   * @param file the dataset file
   * @param source where it is downloaded from
   * @param contentLength the size announced by the server in bytes, or -1
   */
  default void transferStarted(DatasetFile file, URI source, long contentLength) {}

  /**
   * {@code bytes} have arrived so far.
   *
   * @param bytes the bytes received for the current file so far
   */
  default void transferred(long bytes) {}

  /** The transfer ended, completely or not (called before verification). */
  default void transferEnded() {}

  /**
   * The file was verified and renamed into place.
   *
   * @param file the dataset file
   * @param target where it now is
   * @param bytes its size in bytes, compressed as downloaded
   */
  default void saved(DatasetFile file, Path target, long bytes) {}
}
