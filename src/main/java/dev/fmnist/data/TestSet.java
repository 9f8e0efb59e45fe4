package dev.fmnist.data;

import dev.fmnist.TerminalText;
import java.util.Objects;

/**
 * Test images and what they are, for saying what an evaluation used.
 *
 * @param images the images
 * @param files the files or folder they were read from, in words (e.g. {@code
 *     /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz})
 * @param official whether they are Fashion-MNIST's original test set (by the SHA-256 of both files)
 * @param verdict what they are, in words: {@code the official Fashion-MNIST test set}, {@code not
 *     the official test set: checksums differ}, ...
 */
public record TestSet(ImageSet images, String files, boolean official, String verdict) {
  /** The wording of {@link #verdict} for the original files. */
  public static final String OFFICIAL = "the official Fashion-MNIST test set";

  /**
   * Checks that nothing is missing.
   *
   * @param images the images (required)
   * @param files the files or folder they were read from, in words (required)
   * @param official whether they are Fashion-MNIST's original test set
   * @param verdict what they are, in words (required)
   * @throws NullPointerException naming the missing value
   */
  public TestSet {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(files, "files");
    Objects.requireNonNull(verdict, "verdict");
  }

  /**
   * The line the commands print: {@code test set: <files> (<verdict>)}, control characters escaped.
   *
   * @return the line, without a line end
   */
  public String line() {
    return "test set: " + TerminalText.escape(files) + " (" + TerminalText.escape(verdict) + ")";
  }
}
