package dev.fmnist.report;

import dev.fmnist.AtomicFiles;
import dev.fmnist.StorageException;
import dev.fmnist.data.DatasetException;
import dev.fmnist.data.DatasetSpec;
import dev.fmnist.data.ImageFolder;
import dev.fmnist.data.ImageSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Writes images as a folder tree that {@link ImageFolder} reads back pixel for pixel: {@code
 * dir/<class folder>/<index>.png}, one folder per class ({@link ImageFolder#folderName}), each
 * image an 8-bit grayscale or RGB PNG named by its position in the set. The tree is written into
 * a temporary sibling and renamed into place when complete, so {@code dir} is never half-written.
 */
public final class ImageFolderWriter {
  private ImageFolderWriter() {}

  /**
   * Writes {@code set} to {@code dir}, which must not exist.
   *
   * @param set the images
   * @param dir the new folder's path
   * @return the number of images written
   * @throws DatasetException when two class names give the same folder name, or one is not a folder name
   * @throws StorageException when {@code dir} exists or writing fails
   */
  public static int write(ImageSet set, Path dir) {
    DatasetSpec spec = set.spec();
    String[] folders = folders(spec);
    if (Files.exists(dir)) {
      throw new StorageException(dir + ": exists already; remove it or write somewhere else");
    }
    Path parent = dir.toAbsolutePath().getParent();
    AtomicFiles.requireWritableDirectory(parent);
    Path staging = null;
    try {
      Files.createDirectories(parent);
      staging = parent.resolve("." + dir.getFileName() + "-" + ProcessHandle.current().pid() + AtomicFiles.TEMP_SUFFIX);
      AtomicFiles.deleteQuietly(staging);
      for (String f : folders) {
        Files.createDirectories(staging.resolve(f));
      }
      String name = "%0" + Math.max(5, Integer.toString(Math.max(0, set.size() - 1)).length()) + "d.png";
      Path root = staging;
      IntStream.range(0, set.size()).parallel().forEach(i -> {
        Path file = root.resolve(folders[set.label(i)]).resolve(String.format(Locale.ROOT, name, i));
        try {
          AtomicFiles.writeNew(file, ImagePictures.png(set.image(i), spec));
        } catch (IOException e) {
          throw new StorageException(file + ": cannot write: " + AtomicFiles.describe(e), e);
        }
      });
      AtomicFiles.move(staging, dir);
      staging = null;
      return set.size();
    } catch (IOException e) {
      throw new StorageException(dir + ": cannot write: " + AtomicFiles.describe(e), e);
    } finally {
      AtomicFiles.deleteQuietly(staging);
    }
  }

  private static String[] folders(DatasetSpec spec) {
    String[] folders = new String[spec.classes()];
    Map<String, String> seen = new HashMap<>();
    for (int c = 0; c < folders.length; c++) {
      String name = spec.classNames().get(c);
      String f = ImageFolder.folderName(name);
      if (f.equals(".") || f.equals("..") || f.indexOf('\0') >= 0 || f.indexOf('\\') >= 0) {
        throw new DatasetException("class '" + name + "': not usable as a folder name");
      }
      String other = seen.put(f.toLowerCase(Locale.ROOT), name);
      if (other != null) {
        throw new DatasetException("classes '" + other + "' and '" + name + "' give the same folder name, " + f
            + " (folders are matched case-insensitively)");
      }
      folders[c] = f;
    }
    return folders;
  }
}
