package dev.fmnist.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The four files of Fashion-MNIST, with the size and SHA-256 of their decompressed originals
 * (Debian recompressed its {@code .gz} files, so only the decompressed bytes are comparable).
 */
public enum DatasetFile {
  /** The 60,000 training images, 28x28. */
  TRAIN_IMAGES(
      "train-images-idx3-ubyte",
      IdxKind.IMAGES,
      47_040_016L,
      "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
  /** The 60,000 training labels. */
  TRAIN_LABELS(
      "train-labels-idx1-ubyte",
      IdxKind.LABELS,
      60_008L,
      "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
  /** The 10,000 test images, 28x28. */
  TEST_IMAGES(
      "t10k-images-idx3-ubyte",
      IdxKind.IMAGES,
      7_840_016L,
      "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
  /** The 10,000 test labels. */
  TEST_LABELS(
      "t10k-labels-idx1-ubyte",
      IdxKind.LABELS,
      10_008L,
      "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

  /** The suffix of the compressed files. */
  public static final String GZIP_SUFFIX = ".gz";

  private final String fileName;
  private final IdxKind kind;
  private final long decompressedBytes;
  private final String sha256;

  DatasetFile(String fileName, IdxKind kind, long decompressedBytes, String sha256) {
    this.fileName = fileName;
    this.kind = kind;
    this.decompressedBytes = decompressedBytes;
    this.sha256 = sha256;
  }

  /**
   * The original name without {@code .gz}, e.g. {@code train-images-idx3-ubyte}.
   *
   * @return the file name without directory or {@code .gz}
   */
  public String fileName() {
    return fileName;
  }

  /**
   * The name of the compressed file, e.g. {@code train-images-idx3-ubyte.gz}.
   *
   * @return {@link #fileName()} followed by {@code .gz}
   */
  public String gzipFileName() {
    return fileName + GZIP_SUFFIX;
  }

  /**
   * Whether the file holds images or labels.
   *
   * @return {@link IdxKind#IMAGES} or {@link IdxKind#LABELS}
   */
  public IdxKind kind() {
    return kind;
  }

  /**
   * The size of the original, decompressed file.
   *
   * @return the size in bytes
   */
  public long decompressedBytes() {
    return decompressedBytes;
  }

  /**
   * The SHA-256 of the original, decompressed file, lowercase hex.
   *
   * @return 64 lowercase hex digits
   */
  public String sha256() {
    return sha256;
  }

  /**
   * The file in {@code dir}: the raw one if it exists, else the {@code .gz} one, if either exists.
   * When both exist they must hold the same decompressed bytes (compared once per process for
   * files that have not changed since); then the raw one is used.
   *
   * @param dir the dataset directory
   * @return the file to read, or empty when neither exists
   * @throws IdxFormatException naming both files when their contents differ, or the one that cannot
   *     be decompressed
   */
  public Optional<Path> find(Path dir) {
    Path raw = dir.resolve(fileName);
    Path gz = dir.resolve(gzipFileName());
    boolean hasRaw = Files.exists(raw);
    if (hasRaw && Files.exists(gz)) {
      requireSameContent(raw, gz);
    }
    if (hasRaw) {
      return Optional.of(raw);
    }
    return Files.exists(gz) ? Optional.of(gz) : Optional.empty();
  }

  /** Pairs already found equal, keyed by both paths, sizes and modification times. */
  private static final Set<String> SAME = ConcurrentHashMap.newKeySet();

  private static void requireSameContent(Path raw, Path gz) {
    String key;
    try {
      key = raw.toAbsolutePath() + "\0" + Files.size(raw) + "\0" + Files.getLastModifiedTime(raw) + "\0"
          + gz.toAbsolutePath() + "\0" + Files.size(gz) + "\0" + Files.getLastModifiedTime(gz);
    } catch (IOException e) {
      return; // the read that follows reports it
    }
    if (SAME.contains(key)) {
      return;
    }
    if (!IdxReader.sameContent(raw, gz)) {
      throw new IdxFormatException(raw, "differs from " + gz.getFileName() + " beside it (decompressed);"
          + " fmnist will not choose between them: remove or rename one");
    }
    SAME.add(key);
  }

  /**
   * The known SHA-256 of each decompressed file, keyed by {@link #fileName()}, in enum order.
   *
   * @return file name to SHA-256, for the four files
   */
  public static Map<String, String> knownSha256() {
    Map<String, String> known = new LinkedHashMap<>();
    for (DatasetFile f : values()) {
      known.put(f.fileName, f.sha256);
    }
    return Collections.unmodifiableMap(known);
  }
}
