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

  /** {@code existing} already holds the original file, so it is not downloaded again. */
  default void alreadyPresent(DatasetFile file, Path existing) {}

  /** The transfer of {@code file} begins; {@code contentLength} is -1 when the server did not say. */
  default void transferStarted(DatasetFile file, URI source, long contentLength) {}

  /** {@code bytes} have arrived so far. */
  default void transferred(long bytes) {}

  /** The transfer ended, completely or not (called before verification). */
  default void transferEnded() {}

  /** The file was verified and renamed into place. */
  default void saved(DatasetFile file, Path target, long bytes) {}
}
