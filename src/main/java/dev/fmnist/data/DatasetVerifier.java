package dev.fmnist.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks the four files of a directory against the SHA-256 of the original decompressed files.
 * Each file is checked on its own, so one bad file does not hide the state of the others.
 */
public final class DatasetVerifier {
  /** The outcome for one file. */
  public enum Status {
    /** Readable, and its decompressed bytes have the known SHA-256. */
    OK,
    /** A valid IDX file, but not the original. */
    MISMATCH,
    /** Neither the raw nor the {@code .gz} file exists. */
    MISSING,
    /** Not a readable, valid IDX file. */
    INVALID
  }

  /**
   * What was found for one dataset file.
   *
   * @param path the file checked, or null when missing
   * @param sha256 the SHA-256 of its decompressed bytes, or null when missing or invalid
   * @param expectedSha256 the SHA-256 of the original
   * @param problem why it is invalid, or null
   */
  public record FileCheck(
      DatasetFile file, Path path, Status status, String sha256, String expectedSha256, String problem) {}

  private final Map<String, String> expectedSha256;

  /** A verifier against the originals' SHA-256 ({@link DatasetFile#sha256()}). */
  public DatasetVerifier() {
    this(DatasetFile.knownSha256());
  }

  /** A verifier against other hashes, keyed by {@link DatasetFile#fileName()} (for tests). */
  DatasetVerifier(Map<String, String> expectedSha256) {
    this.expectedSha256 = Map.copyOf(expectedSha256);
  }

  /**
   * Checks the four files of {@code dir}, in {@link DatasetFile} order.
   *
   * @param dir the directory holding the files, raw or {@code .gz}
   * @return four checks; a missing file has status {@code MISSING}
   */
  public List<FileCheck> verify(Path dir) {
    List<FileCheck> checks = new ArrayList<>();
    for (DatasetFile file : DatasetFile.values()) {
      Optional<Path> found;
      try {
        found = file.find(dir);
      } catch (IdxFormatException e) { // a raw file and its .gz copy that differ
        checks.add(new FileCheck(file, dir.resolve(file.fileName()), Status.INVALID, null,
            expectedSha256.get(file.fileName()), e.problem()));
        continue;
      }
      checks.add(found.isPresent() ? check(file, found.get()) : missing(file));
    }
    return checks;
  }

  /**
   * Checks one file that may be any of the four.
   *
   * @param file which of the four it should be
   * @param path the file, raw or {@code .gz}
   * @return what was found: valid, or why not
   */
  public FileCheck check(DatasetFile file, Path path) {
    String expected = expectedSha256.get(file.fileName());
    try {
      IdxFile idx =
          file.kind() == IdxKind.LABELS ? IdxReader.readLabels(path, FashionMnist.SPEC.classes())
              : IdxReader.readImages(path, FashionMnist.SPEC.height(), FashionMnist.SPEC.width());
      Status status = idx.sha256().equals(expected) ? Status.OK : Status.MISMATCH;
      return new FileCheck(file, path, status, idx.sha256(), expected, null);
    } catch (IdxFormatException e) {
      return new FileCheck(file, path, Status.INVALID, null, expected, e.problem());
    }
  }

  private FileCheck missing(DatasetFile file) {
    return new FileCheck(
        file, null, Status.MISSING, null, expectedSha256.get(file.fileName()), null);
  }
}
