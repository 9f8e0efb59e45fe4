package dev.fmnist.data;

import java.nio.file.Path;

/**
 * The checked, decompressed contents of one IDX file.
 *
 * @param path the file read
 * @param count the number of items (images or labels) the header declares
 * @param rows image rows (0 for a label file)
 * @param cols image columns (0 for a label file)
 * @param payload the items' bytes, header excluded; not copied, callers must not modify it
 * @param sha256 SHA-256 of all decompressed bytes, header included, as lowercase hex
 */
public record IdxFile(Path path, int count, int rows, int cols, byte[] payload, String sha256) {}
