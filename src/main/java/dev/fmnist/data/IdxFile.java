package dev.fmnist.data;

import java.nio.file.Path;

/**
 * The checked, decompressed contents of one IDX file.
 *
 * @param path the file read
 * @param count the number of items (images or labels) the header declares
 * @param payload the items' bytes, header excluded; not copied, callers must not modify it
 * @param sha256 SHA-256 of all decompressed bytes, header included, as lowercase hex
 */
public record IdxFile(Path path, int count, byte[] payload, String sha256) {}
