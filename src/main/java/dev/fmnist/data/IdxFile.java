package dev.fmnist.data;

/**
 * The decompressed contents of one IDX file.
 *
 * @param count the number of items (images or labels) the header declares
 * @param payload the items' bytes, header excluded
 * @param sha256 SHA-256 of all decompressed bytes, header included (hex)
 */
public record IdxFile(int count, byte[] payload, String sha256) {}
