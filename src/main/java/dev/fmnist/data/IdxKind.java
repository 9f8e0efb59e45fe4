package dev.fmnist.data;

/** The two kinds of IDX file Fashion-MNIST uses, with what their headers must say. */
public enum IdxKind {
  /** {@code n x rows x cols} unsigned bytes, magic {@code 0x00000803}. */
  IMAGES("image", "an image file", 3),
  /** {@code n} unsigned bytes, magic {@code 0x00000801}. */
  LABELS("label", "a label file", 1);

  /** The IDX data type byte for unsigned bytes. */
  public static final int UNSIGNED_BYTE = 0x08;

  private final String itemName;
  private final String fileDescription;
  private final int dimensions;

  IdxKind(String itemName, String fileDescription, int dimensions) {
    this.itemName = itemName;
    this.fileDescription = fileDescription;
    this.dimensions = dimensions;
  }

  /**
   * {@code image} or {@code label}.
   *
   * @return the name of one item, for messages
   */
  public String itemName() {
    return itemName;
  }

  /**
   * {@code an image file} or {@code a label file}, for messages.
   *
   * @return the description
   */
  public String fileDescription() {
    return fileDescription;
  }

  /**
   * The number of dimensions the header declares (byte 3 of the magic number).
   *
   * @return 3 for images, 1 for labels
   */
  public int dimensions() {
    return dimensions;
  }

  /**
   * The magic number: type byte {@code 0x08}, then the number of dimensions.
   *
   * @return {@code 0x00000803} for images, {@code 0x00000801} for labels
   */
  public int magic() {
    return UNSIGNED_BYTE << 8 | dimensions;
  }

  /**
   * Bytes of the header: the magic number and one 32-bit size per dimension.
   *
   * @return 16 for images, 8 for labels
   */
  public int headerBytes() {
    return Integer.BYTES * (1 + dimensions);
  }
}
