package dev.fmnist.data;

import dev.fmnist.StorageException;
import dev.fmnist.AtomicFiles;
import dev.fmnist.FmnistException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fetches the four {@code .gz} files over HTTP, verifies each (decompressed and checked like any
 * dataset file, then compared with the original's SHA-256) and only then renames it into place.
 * A file that fails is deleted, never kept. A file already present and verified is not fetched
 * again.
 */
public final class DatasetDownloader {
  /** Where Zalando Research publishes the dataset. */
  public static final URI OFFICIAL_BASE_URI =
      URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");
  /** The largest file accepted; the biggest original is 26 MB compressed. */
  public static final long MAX_DOWNLOAD_BYTES = 128L << 20;
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
  private static final int HTTP_OK = 200;
  private static final int COPY_BUFFER_BYTES = 1 << 16;

  private final URI baseUri;
  private final DatasetVerifier verifier;
  private final HttpClient client;

  /**
   * Downloads from {@code baseUri} (a directory URL) and checks against the originals' SHA-256.
   *
   * @param baseUri the URL of the directory holding the four {@code .gz} files
   */
  public DatasetDownloader(URI baseUri) {
    this(baseUri, DatasetFile.knownSha256());
  }

  /** Checks against other hashes, keyed by {@link DatasetFile#fileName()} (for tests). */
  DatasetDownloader(URI baseUri, Map<String, String> expectedSha256) {
    String uri = baseUri.toString();
    this.baseUri = URI.create(uri.endsWith("/") ? uri : uri + "/");
    this.verifier = new DatasetVerifier(expectedSha256);
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /**
   * Downloads the four files into {@code dir} (created if missing), stopping at the first failure;
   * files verified before it are kept.
   *
   * @param dir where the files are saved
   * @param listener told of every file's progress
   * @return the four files in {@code dir}
   * @throws StorageException for HTTP errors, unreachable hosts and local I/O failures
   * @throws DatasetException for a file that is not the original (bad format or SHA-256)
   */
  public List<Path> download(Path dir, DownloadListener listener) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StorageException(dir + ": cannot create the directory: " + AtomicFiles.describe(e), e);
    }
    List<Path> saved = new ArrayList<>();
    for (DatasetFile file : DatasetFile.values()) {
      Path target = dir.resolve(file.gzipFileName());
      if (Files.isRegularFile(target)
          && verifier.check(file, target).status() == DatasetVerifier.Status.OK) {
        listener.alreadyPresent(file, target);
      } else {
        fetch(file, target, listener);
      }
      saved.add(target);
    }
    return saved;
  }

  private void fetch(DatasetFile file, Path target, DownloadListener listener) {
    URI source = baseUri.resolve(file.gzipFileName());
    AtomicFiles.requireReplaceable(target); // before the download, not after
    Path temp = null;
    try {
      temp = AtomicFiles.createTempSibling(target);
      long bytes = transfer(source, file, temp, listener);
      DatasetVerifier.FileCheck check = verifier.check(file, temp);
      switch (check.status()) {
        case OK -> {}
        case INVALID -> throw new DatasetException(
            source + ": " + check.problem() + "; the download was not kept");
        default -> throw new DatasetException(
            source
                + ": SHA-256 of the decompressed data is "
                + check.sha256()
                + ", expected "
                + check.expectedSha256()
                + "; the download was not kept");
      }
      AtomicFiles.move(temp, target);
      temp = null;
      listener.saved(file, target, bytes);
    } catch (IOException e) {
      throw new StorageException(target + ": cannot write: " + AtomicFiles.describe(e), e);
    } finally {
      AtomicFiles.deleteQuietly(temp);
    }
  }

  /** Copies the response body into {@code temp}; returns its length. */
  private long transfer(URI source, DatasetFile file, Path temp, DownloadListener listener)
      throws IOException {
    HttpRequest request = HttpRequest.newBuilder(source).timeout(RESPONSE_TIMEOUT).GET().build();
    HttpResponse<InputStream> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new StorageException(source + ": " + networkFailure(source, e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException(source + ": download interrupted", e);
    }
    try (InputStream body = response.body()) {
      if (response.statusCode() != HTTP_OK) {
        throw new StorageException(source + ": HTTP " + response.statusCode(), null);
      }
      long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      if (length > MAX_DOWNLOAD_BYTES) {
        throw tooLarge(source, length);
      }
      listener.transferStarted(file, source, length);
      try (OutputStream out = Files.newOutputStream(temp)) {
        return copy(source, body, out, listener);
      } finally {
        listener.transferEnded();
      }
    }
  }

  private static long copy(URI source, InputStream body, OutputStream out, DownloadListener listener)
      throws IOException {
    byte[] buffer = new byte[COPY_BUFFER_BYTES];
    long total = 0;
    int n;
    while (true) {
      try {
        n = body.read(buffer);
      } catch (IOException e) {
        throw new StorageException(
            source + ": download broke off after " + total + " bytes: " + AtomicFiles.describe(e), e);
      }
      if (n < 0) {
        return total;
      }
      total += n;
      if (total > MAX_DOWNLOAD_BYTES) {
        throw tooLarge(source, total);
      }
      out.write(buffer, 0, n);
      listener.transferred(total);
    }
  }

  /** Why a request failed, in words: the JDK's connect exceptions often have no message. */
  static String networkFailure(URI source, IOException e) {
    String host = source.getHost() + (source.getPort() < 0 ? "" : ":" + source.getPort());
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
        return "cannot resolve the host name " + source.getHost() + " (no network or DNS?)";
      }
    }
    if (e instanceof HttpConnectTimeoutException) {
      return "cannot connect to " + host + " within " + CONNECT_TIMEOUT.toSeconds() + " s";
    }
    if (e instanceof HttpTimeoutException) {
      return "no response from " + host + " within " + RESPONSE_TIMEOUT.toSeconds() + " s";
    }
    if (e instanceof ConnectException) {
      return "cannot connect to " + host + " (connection refused or host unreachable)";
    }
    return "cannot download: " + AtomicFiles.describe(e);
  }

  private static FmnistException tooLarge(URI source, long bytes) {
    return new DatasetException(
        String.format(
            Locale.ROOT,
            "%s: %,d bytes or more, larger than the %,d bytes a Fashion-MNIST file can be; not kept",
            source,
            bytes,
            MAX_DOWNLOAD_BYTES));
  }
}
