package dev.fmnist.data;

import dev.fmnist.SmallFiles;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataset in four IDX files named as Fashion-MNIST's ({@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte},
 * each raw or {@code .gz}): MNIST, KMNIST, EMNIST and the like. Images of any size (the same in
 * both parts), labels {@code 0..K-1}. The class names come from the caller, else from {@value
 * #CLASSES_FILE} in the directory (one a line), else they are {@code 0}, {@code 1}, ... up to the
 * largest label. Images may be resized or turned to RGB by {@link ImageFiles.Conversion#RESIZE}.
 */
public final class IdxDataset {
  /** The file of class names, one a line, beside the IDX files. */
  public static final String CLASSES_FILE = "classes.txt";

  private IdxDataset() {}

  /**
   * Reads and checks the four files.
   *
   * @param dir the directory of the four files
   * @param classNames the class names by label, or null to read {@value #CLASSES_FILE} or number them
   * @param height the image height to resize to, or 0 for the files' own
   * @param width the image width to resize to, or 0 for the files' own
   * @param channels 1, or 3 to repeat the gray value in three channels
   * @return the dataset, with provenance format {@code idx}
   * @throws DatasetException naming the file that is missing, malformed or inconsistent
   */
  public static Dataset load(Path dir, List<String> classNames, int height, int width, int channels) {
    if (!Files.isDirectory(dir)) {
      throw new DatasetException(dir + ": no such directory (an idx dataset is a directory of the four files named"
          + " as in Fashion-MNIST)");
    }
    Map<String, String> sha = new LinkedHashMap<>();
    IdxFile trainImages = IdxReader.readImages(require(dir, DatasetFile.TRAIN_IMAGES));
    IdxFile trainLabels = IdxReader.readLabels(require(dir, DatasetFile.TRAIN_LABELS), DatasetSpec.MAX_CLASSES);
    IdxFile testImages = IdxReader.readImages(require(dir, DatasetFile.TEST_IMAGES));
    IdxFile testLabels = IdxReader.readLabels(require(dir, DatasetFile.TEST_LABELS), DatasetSpec.MAX_CLASSES);
    if (testImages.rows() != trainImages.rows() || testImages.cols() != trainImages.cols()) {
      throw new IdxFormatException(testImages.path(), "images are " + testImages.rows() + "x" + testImages.cols()
          + ", but " + trainImages.path().getFileName() + " has " + trainImages.rows() + "x" + trainImages.cols());
    }
    requireSameCount(trainImages, trainLabels);
    requireSameCount(testImages, testLabels);
    for (IdxFile f : List.of(trainImages, trainLabels, testImages, testLabels)) {
      sha.put(f.path().getFileName().toString().replaceFirst("\\" + DatasetFile.GZIP_SUFFIX + "$", ""), f.sha256());
    }
    List<String> names = classNames;
    String namesFrom = "data.classes";
    int files = 4;
    Path classesFile = dir.resolve(CLASSES_FILE);
    if (names == null && Files.isRegularFile(classesFile)) {
      names = readClassNames(classesFile);
      namesFrom = CLASSES_FILE;
      files++;
    }
    int largest = Math.max(largestLabel(trainLabels), largestLabel(testLabels));
    if (names == null) {
      names = new ArrayList<>();
      for (int c = 0; c <= Math.max(1, largest); c++) {
        names.add(Integer.toString(c));
      }
      namesFrom = null;
    }
    for (IdxFile labels : List.of(trainLabels, testLabels)) {
      byte[] l = labels.payload();
      for (int i = 0; i < l.length; i++) {
        if ((l[i] & 0xff) >= names.size()) {
          throw new IdxFormatException(labels.path(), "label " + (l[i] & 0xff) + " at index " + i + " is outside 0-"
              + (names.size() - 1) + " (the " + names.size() + " classes of " + namesFrom + ")");
        }
      }
    }
    DatasetSpec spec;
    try {
      spec = new DatasetSpec(name(dir), height > 0 ? height : trainImages.rows(), width > 0 ? width : trainImages.cols(),
          channels, names);
    } catch (IllegalArgumentException e) {
      throw new DatasetException(dir + ": " + e.getMessage(), e);
    }
    ImageSet train = convert(trainImages, trainLabels, spec);
    ImageSet test = convert(testImages, testLabels, spec);
    return Dataset.of(train, test, new Dataset.Provenance("idx", dir.toString(), files, sha));
  }

  /**
   * The class names of a {@value #CLASSES_FILE}: one a line, surrounding blanks trimmed, blank
   * lines at the end ignored.
   *
   * @throws DatasetException naming the file and line of a blank or repeated name
   */
  static List<String> readClassNames(Path file) {
    List<String> lines;
    try {
      byte[] bytes = SmallFiles.read(file, 1 << 20, "a list of class names", DatasetException::new);
      lines = new ArrayList<>(List.of(StandardCharsets.UTF_8.newDecoder()
          .decode(java.nio.ByteBuffer.wrap(bytes)).toString().split("\r?\n", -1)));
    } catch (CharacterCodingException e) {
      throw new DatasetException(file + ": not UTF-8 text", e);
    } catch (IOException e) {
      throw new DatasetException(file + ": cannot read: " + e.getMessage(), e);
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
      lines.remove(lines.size() - 1);
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String n = lines.get(i).strip();
      if (n.isEmpty()) {
        throw new DatasetException(file + ": line " + (i + 1) + ": blank class name");
      }
      if (names.contains(n)) {
        throw new DatasetException(file + ": line " + (i + 1) + ": class '" + n + "' is listed twice");
      }
      names.add(n);
    }
    if (names.size() < 2 || names.size() > DatasetSpec.MAX_CLASSES) {
      throw new DatasetException(file + ": lists " + names.size() + " classes; a dataset needs 2 to "
          + DatasetSpec.MAX_CLASSES);
    }
    return names;
  }

  private static Path require(Path dir, DatasetFile file) {
    return file.find(dir).orElseThrow(() -> new IdxFormatException(dir, file.fileName() + " (or "
        + file.gzipFileName() + ") not found; an idx dataset has the four files named as in Fashion-MNIST"));
  }

  private static void requireSameCount(IdxFile images, IdxFile labels) {
    if (images.count() != labels.count()) {
      throw new IdxFormatException(labels.path(), "has " + labels.count() + " labels but "
          + images.path().getFileName() + " has " + images.count() + " images");
    }
  }

  private static int largestLabel(IdxFile labels) {
    int max = 0;
    for (byte b : labels.payload()) {
      max = Math.max(max, b & 0xff);
    }
    return max;
  }

  private static ImageSet convert(IdxFile images, IdxFile labels, DatasetSpec spec) {
    if (images.rows() == spec.height() && images.cols() == spec.width() && spec.channels() == 1) {
      return new ImageSet(spec, images.payload(), labels.payload());
    }
    int n = images.count();
    int in = images.rows() * images.cols();
    int out = spec.valuesPerImage();
    if ((long) n * out > IdxReader.MAX_PAYLOAD_BYTES) {
      throw new IdxFormatException(images.path(), String.format(java.util.Locale.ROOT,
          "%,d images of %s are more than the %,d bytes fmnist holds in memory", n, spec.describeShape(),
          IdxReader.MAX_PAYLOAD_BYTES));
    }
    byte[] pixels = new byte[n * out];
    for (int i = 0; i < n; i++) {
      ImageFiles.resizeGray(images.payload(), i * in, images.rows(), images.cols(), spec.height(), spec.width(),
          spec.channels(), pixels, i * out);
    }
    return new ImageSet(spec, pixels, labels.payload());
  }

  private static String name(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    return abs.getFileName() == null ? "idx" : abs.getFileName().toString();
  }
}
