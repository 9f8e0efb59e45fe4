package dev.fmnist.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads a list of image files into an {@link ImageSet} of one spec on every core, converting each
 * by {@link ImageFiles.Conversion#RESIZE}, and hashes what it read (see {@link ImageFolder}).
 */
final class ImageFileReader {
  /** Files per task; the listener hears of each finished chunk. */
  private static final int CHUNK = 256;

  private ImageFileReader() {}

  /**
   * Reads and converts {@code files} on every core, in chunks; the listener hears of each chunk
   * on this thread. A bad file fails the read (the first in file order, its message followed by
   * {@code refuseHint}), or with {@code skipBadFiles} is left out and listed.
   */
  static ImageFolder.Images read(Path root, List<Path> files, byte[] labels, DatasetSpec spec, boolean skipBadFiles,
      String refuseHint, LoadListener listener, int progressBase) {
    int n = files.size();
    int values = spec.valuesPerImage();
    byte[] pixels = new byte[Math.multiplyExact(n, values)];
    byte[][] digests = new byte[n][];
    String[] problems = new String[n];
    int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), (n + CHUNK - 1) / CHUNK));
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "image-decoder");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> chunks = new ArrayList<>();
      for (int from = 0; from < n; from += CHUNK) {
        int start = from;
        int end = Math.min(n, from + CHUNK);
        chunks.add(pool.submit(() -> {
          MessageDigest sha = IdxReader.sha256();
          for (int i = start; i < end; i++) {
            Path f = files.get(i);
            try {
              byte[] content = ImageFiles.readBytes(f);
              digests[i] = sha.digest(content);
              ImageFiles.toDatasetPixels(ImageFiles.decode(f, content), spec.height(), spec.width(),
                  spec.channels(), pixels, i * values);
            } catch (DatasetException e) {
              problems[i] = e.getMessage();
              if (!skipBadFiles) {
                return;
              }
            }
          }
        }));
      }
      for (int c = 0; c < chunks.size(); c++) {
        chunks.get(c).get();
        int end = Math.min(n, (c + 1) * CHUNK);
        for (int i = c * CHUNK; i < end && !skipBadFiles; i++) {
          if (problems[i] != null) {
            throw new DatasetException(problems[i] + refuseHint);
          }
        }
        listener.progressed(progressBase + end);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DatasetException(root + ": interrupted while reading images", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    } finally {
      pool.shutdownNow();
    }
    return keepReadable(root, files, labels, spec, pixels, digests, problems);
  }

  private static ImageFolder.Images keepReadable(Path root, List<Path> files, byte[] labels, DatasetSpec spec, byte[] pixels,
      byte[][] digests, String[] problems) {
    int values = spec.valuesPerImage();
    List<String> skipped = new ArrayList<>();
    List<Path> kept = new ArrayList<>();
    MessageDigest part = IdxReader.sha256();
    HexFormat hex = HexFormat.of();
    int[] keep = new int[files.size()];
    for (int i = 0; i < files.size(); i++) {
      if (problems[i] != null) {
        skipped.add(problems[i]);
        continue;
      }
      keep[kept.size()] = i;
      kept.add(files.get(i));
      String rel = root.relativize(files.get(i)).toString().replace('\\', '/');
      part.update((rel + " " + hex.formatHex(digests[i]) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    String sha = hex.formatHex(part.digest());
    ImageSet all = new ImageSet(spec, pixels, labels);
    if (skipped.isEmpty()) {
      return new ImageFolder.Images(all, List.copyOf(kept), List.of(), sha);
    }
    byte[] p = new byte[kept.size() * values];
    byte[] l = new byte[kept.size()];
    for (int j = 0; j < kept.size(); j++) {
      System.arraycopy(pixels, keep[j] * values, p, j * values, values);
      l[j] = labels[keep[j]];
    }
    return new ImageFolder.Images(new ImageSet(spec, p, l), List.copyOf(kept), List.copyOf(skipped), sha);
  }

}
