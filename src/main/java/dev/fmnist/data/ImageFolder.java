package dev.fmnist.data;

import dev.fmnist.FmnistException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Datasets stored as image files, one folder per class, as Keras's {@code
 * image_dataset_from_directory} and torchvision's {@code ImageFolder} read them:
 *
 * <pre>
 * root/train/&lt;class&gt;/*.png|jpg|jpeg
 * root/test/&lt;class&gt;/...      (optional: else a seeded, stratified part of train/)
 * </pre>
 *
 * <p>The classes are the sorted folder names of {@code train/}; {@code test/} must have the same
 * folders. Files are read in sorted order; other files (other extensions, hidden files, nested
 * folders) are ignored. Each image is converted once by {@link ImageFiles.Conversion#RESIZE}
 * (its header checked first) and held as bytes, so a folder dataset takes the memory of the same
 * images in IDX files. Files are decoded on every core. An unreadable or non-image file is refused
 * with a one-line error naming it, or skipped and listed when skipping is asked for.
 *
 * <p>The content hash of each part ({@code train}, {@code test}) is the SHA-256 of the lines
 * {@code <relative path> <SHA-256 of the file>} of the files read, in order.
 */
public final class ImageFolder {
  /** The file name endings read as images (case-insensitive). */
  public static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg");
  /** The training part's folder. */
  public static final String TRAIN = "train";
  /** The test part's folder. */
  public static final String TEST = "test";
  /** The most bytes of pixels a dataset may hold, as for one IDX file. */
  static final long MAX_PIXEL_BYTES = IdxReader.MAX_PAYLOAD_BYTES;
  private static final String SKIP_HINT = " (data.skip_bad_files: true skips such files)";
  private static final String LAYOUT = "expected train/<class>/*.png|jpg|jpeg and optionally test/<class>/...";

  private ImageFolder() {}

  /** One class folder: its name and image files, sorted. */
  record ClassFolder(String name, Path dir, List<Path> files) {}

  /**
   * Images read from a folder of class folders.
   *
   * @param images the images, class folder after class folder
   * @param files the file of each image
   * @param skipped the files skipped, each {@code <file>: <problem>}
   * @param sha256 the content hash of the files read (see {@link ImageFolder})
   */
  public record Images(ImageSet images, List<Path> files, List<String> skipped, String sha256) {}

  /**
   * The name of the folder for class {@code className}: the name with {@code /} written as {@code
   * _} ({@code T-shirt/top} is {@code T-shirt_top}).
   *
   * @param className a class name
   * @return the folder name
   */
  public static String folderName(String className) {
    return className.replace('/', '_');
  }

  /**
   * Reads a folder dataset.
   *
   * @param root the directory holding {@code train/} (and {@code test/})
   * @param height the image height the images are resized to
   * @param width the image width
   * @param channels 1 or 3
   * @param skipBadFiles skip and list unreadable files instead of refusing the dataset
   * @param testSplit without {@code test/}: the fraction of each class of {@code train/} held out
   * @param splitSeed the seed of that split
   * @param listener told of the reading progress
   * @return the training and test images, with the files' hashes and the files skipped
   * @throws DatasetException naming the file or folder that is wrong
   */
  public static Dataset load(Path root, int height, int width, int channels, boolean skipBadFiles, double testSplit,
      long splitSeed, LoadListener listener) {
    return load(root, height, width, channels, skipBadFiles, testSplit, splitSeed, listener, false);
  }

  /**
   * The test images of a folder dataset, as {@link #load} gives them: only {@code test/} is read
   * when there is one (the folders of {@code train/} are listed for the classes), else all of
   * {@code train/} to hold the test set out.
   *
   * @param root the directory holding {@code train/} (and {@code test/})
   * @param height the image height the images are resized to
   * @param width the image width
   * @param channels 1 or 3
   * @param skipBadFiles skip unreadable files instead of refusing the dataset
   * @param testSplit without {@code test/}: the fraction of each class of {@code train/} held out
   * @param splitSeed the seed of that split
   * @param listener told of the reading progress
   * @return the test images
   * @throws DatasetException naming the file or folder that is wrong
   */
  public static ImageSet loadTest(Path root, int height, int width, int channels, boolean skipBadFiles,
      double testSplit, long splitSeed, LoadListener listener) {
    return load(root, height, width, channels, skipBadFiles, testSplit, splitSeed, listener, true).test();
  }

  private static Dataset load(Path root, int height, int width, int channels, boolean skipBadFiles, double testSplit,
      long splitSeed, LoadListener listener, boolean testOnly) {
    if (!Files.isDirectory(root)) {
      throw new DatasetException(root + ": no such directory (" + LAYOUT + ")");
    }
    Path trainDir = root.resolve(TRAIN);
    if (!Files.isDirectory(trainDir)) {
      throw new DatasetException(root + ": no " + TRAIN + "/ folder (" + LAYOUT + ")");
    }
    List<ClassFolder> train = list(trainDir);
    if (train.size() < 2) {
      throw new DatasetException(trainDir + ": " + train.size() + " class folder"
          + (train.size() == 1 ? " (" + train.get(0).name() + ")" : "s") + "; a dataset needs at least 2");
    }
    List<String> names = train.stream().map(ClassFolder::name).toList();
    DatasetSpec spec;
    try {
      spec = new DatasetSpec(name(root), height, width, channels, names);
    } catch (IllegalArgumentException e) {
      throw new DatasetException(trainDir + ": " + e.getMessage(), e);
    }
    Path testDir = root.resolve(TEST);
    List<ClassFolder> test = null;
    if (Files.exists(testDir)) {
      if (!Files.isDirectory(testDir)) {
        throw new DatasetException(testDir + ": not a directory (" + LAYOUT + ")");
      }
      test = list(testDir);
      requireSameClasses(testDir, test, names);
    }
    listener.described(spec);
    if (testOnly && test != null) {
      requireFits(root, spec, count(test));
      listener.started(testDir.toString(), count(test));
      try {
        Images testImages = read(root, test, spec, skipBadFiles, listener, 0, count(test));
        requireImagesInEveryClass(test, testImages);
        ImageSet none = new ImageSet(spec, new byte[0], new byte[0]);
        return Dataset.of(none, testImages.images(), new Dataset.Provenance("folder", root.toString(),
            testImages.files().size(), Map.of(TEST, testImages.sha256()), testImages.skipped(), null));
      } finally {
        listener.finished();
      }
    }
    int total = count(train) + (test == null ? 0 : count(test));
    requireFits(root, spec, total);
    listener.started(root.toString(), total);
    try {
      Images trainImages = read(root, train, spec, skipBadFiles, listener, 0, total);
      requireImagesInEveryClass(train, trainImages);
      Map<String, String> sha = new LinkedHashMap<>();
      sha.put(TRAIN, trainImages.sha256());
      List<String> skipped = new ArrayList<>(trainImages.skipped());
      ImageSet trainSet;
      ImageSet testSet;
      Dataset.TestSplit carved = null;
      int files = trainImages.files().size();
      if (test != null) {
        Images testImages = read(root, test, spec, skipBadFiles, listener, count(train), total);
        requireImagesInEveryClass(test, testImages);
        sha.put(TEST, testImages.sha256());
        skipped.addAll(testImages.skipped());
        files += testImages.files().size();
        trainSet = trainImages.images();
        testSet = testImages.images();
      } else {
        Split s;
        try {
          s = Splits.stratified(trainImages.images(), testSplit, splitSeed);
        } catch (IllegalArgumentException e) {
          throw new DatasetException(trainDir + ": cannot hold out a test set: " + e.getMessage(), e);
        }
        trainSet = s.train();
        testSet = s.validation();
        carved = new Dataset.TestSplit(testSplit, splitSeed);
      }
      return Dataset.of(trainSet, testSet,
          new Dataset.Provenance("folder", root.toString(), files, sha, skipped, carved));
    } finally {
      listener.finished();
    }
  }

  /**
   * Reads a folder of labelled images for a model of {@code spec}: {@code dir/<class>/...}, each
   * folder named by a class name of {@code spec} (with {@code /} written as {@code _}) or by a
   * label number, case-insensitively; a class name is matched before a label number. Classes may
   * be missing; images are converted to {@code spec}'s size and channels.
   *
   * @param dir the folder of class folders
   * @param spec the model's input and class names
   * @param listener told of the reading progress
   * @return the images with the file of each
   * @throws DatasetException naming the folders that match no class, an empty folder, or a bad file
   */
  public static Images readLabelled(Path dir, DatasetSpec spec, LoadListener listener) {
    if (!Files.isDirectory(dir)) {
      throw new DatasetException(dir + ": no such directory (expected " + dir + "/<class>/*.png|jpg|jpeg)");
    }
    List<ClassFolder> folders = list(dir);
    if (folders.isEmpty()) {
      throw new DatasetException(dir + ": no class folders (expected " + dir + "/<class>/*.png|jpg|jpeg, each"
          + " folder named by a class name or label number)");
    }
    Function<String, Integer> labelOf = labelMatcher(spec);
    List<String> unknown = new ArrayList<>();
    Map<Integer, String> seen = new LinkedHashMap<>();
    List<ClassFolder> labelled = new ArrayList<>();
    for (ClassFolder f : folders) {
      Integer label = labelOf.apply(f.name());
      if (label == null) {
        unknown.add(f.name());
        continue;
      }
      String other = seen.put(label, f.name());
      if (other != null) {
        throw new DatasetException(dir + ": folders " + other + " and " + f.name() + " both name class " + label
            + " (" + spec.classNames().get(label) + ")");
      }
      labelled.add(f);
    }
    if (!unknown.isEmpty()) {
      throw new DatasetException(dir + ": " + (unknown.size() == 1 ? "folder " : "folders ") + String.join(", ", unknown)
          + (unknown.size() == 1 ? " matches" : " match") + " no class of the model (name each folder by a label 0-"
          + (spec.classes() - 1) + " or a class name: " + folderNames(spec) + ")");
    }
    for (ClassFolder f : labelled) {
      if (f.files().isEmpty()) {
        throw emptyFolder(f);
      }
    }
    requireFits(dir, spec, count(labelled));
    byte[] labels = new byte[count(labelled)];
    int i = 0;
    for (ClassFolder f : labelled) {
      int label = labelOf.apply(f.name());
      for (int k = 0; k < f.files().size(); k++) {
        labels[i++] = (byte) label;
      }
    }
    listener.started(dir.toString(), labels.length);
    try {
      return ImageFileReader.read(dir, files(labelled), labels, spec, false, "", listener, 0);
    } finally {
      listener.finished();
    }
  }

  private static Function<String, Integer> labelMatcher(DatasetSpec spec) {
    Map<String, Integer> byName = new LinkedHashMap<>();
    for (int c = 0; c < spec.classes(); c++) {
      byName.merge(folderName(spec.classNames().get(c)).toLowerCase(Locale.ROOT), c, (a, b) -> -1);
    }
    return folder -> {
      Integer byClassName = byName.get(folder.toLowerCase(Locale.ROOT));
      if (byClassName != null && byClassName >= 0) {
        return byClassName;
      }
      if (folder.matches("\\d{1,3}")) {
        int label = Integer.parseInt(folder);
        return label < spec.classes() ? label : null;
      }
      return null;
    };
  }

  private static String folderNames(DatasetSpec spec) {
    List<String> names = spec.classNames().stream().map(ImageFolder::folderName).toList();
    int shown = Math.min(names.size(), 12);
    return String.join(", ", names.subList(0, shown)) + (shown < names.size() ? ", ..." : "");
  }

  /** The class folders of {@code dir}, sorted by name, each with its image files, sorted. */
  static List<ClassFolder> list(Path dir) {
    List<Path> subdirs = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        if (!hidden(p) && Files.isDirectory(p)) {
          subdirs.add(p);
        }
      }
    } catch (IOException e) {
      throw new DatasetException(dir + ": cannot list: " + FmnistException.firstLine(e.getMessage()), e);
    }
    subdirs.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    List<ClassFolder> classes = new ArrayList<>();
    for (Path d : subdirs) {
      List<Path> files = new ArrayList<>();
      try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
        for (Path p : s) {
          if (!hidden(p) && isImageName(p) && !Files.isDirectory(p)) {
            files.add(p);
          }
        }
      } catch (IOException e) {
        throw new DatasetException(d + ": cannot list: " + FmnistException.firstLine(e.getMessage()), e);
      }
      files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
      classes.add(new ClassFolder(d.getFileName().toString(), d, List.copyOf(files)));
    }
    return classes;
  }

  private static boolean hidden(Path p) {
    return p.getFileName().toString().startsWith(".");
  }

  /** Whether the file name ends in {@code .png}, {@code .jpg} or {@code .jpeg}, in any case. */
  static boolean isImageName(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return EXTENSIONS.stream().anyMatch(n::endsWith);
  }

  private static void requireSameClasses(Path testDir, List<ClassFolder> test, List<String> trainNames) {
    List<String> testNames = test.stream().map(ClassFolder::name).toList();
    for (String n : testNames) {
      if (!trainNames.contains(n)) {
        throw new DatasetException(testDir.resolve(n) + ": class folder not in " + TRAIN + "/ (the classes are the"
            + " folders of " + TRAIN + "/)");
      }
    }
    for (String n : trainNames) {
      if (!testNames.contains(n)) {
        throw new DatasetException(testDir + ": no folder for class '" + n + "' of " + TRAIN + "/");
      }
    }
  }

  private static void requireFits(Path root, DatasetSpec spec, int images) {
    long bytes = (long) images * spec.valuesPerImage();
    if (bytes > MAX_PIXEL_BYTES) {
      throw new DatasetException(String.format(Locale.ROOT, "%s: %,d images of %s are %,d bytes, more than the"
          + " %,d bytes fmnist holds in memory", root, images, spec.describeShape(), bytes, MAX_PIXEL_BYTES));
    }
  }

  private static int count(List<ClassFolder> classes) {
    return classes.stream().mapToInt(c -> c.files().size()).sum();
  }

  private static List<Path> files(List<ClassFolder> classes) {
    List<Path> all = new ArrayList<>();
    classes.forEach(c -> all.addAll(c.files()));
    return all;
  }

  private static DatasetException emptyFolder(ClassFolder f) {
    return new DatasetException(f.dir() + ": empty class folder (no .png, .jpg or .jpeg files)");
  }

  /** Reads one part's class folders; labels are the folders' positions (the spec's classes). */
  private static Images read(Path root, List<ClassFolder> classes, DatasetSpec spec, boolean skipBadFiles,
      LoadListener listener, int progressBase, int total) {
    for (ClassFolder f : classes) {
      if (f.files().isEmpty()) {
        throw emptyFolder(f);
      }
    }
    byte[] labels = new byte[count(classes)];
    int i = 0;
    for (int c = 0; c < classes.size(); c++) {
      for (int k = 0; k < classes.get(c).files().size(); k++) {
        labels[i++] = (byte) c;
      }
    }
    return ImageFileReader.read(root, files(classes), labels, spec, skipBadFiles, SKIP_HINT, listener, progressBase);
  }

  private static void requireImagesInEveryClass(List<ClassFolder> classes, Images read) {
    int[] counts = read.images().classCounts();
    for (int c = 0; c < classes.size(); c++) {
      if (counts[c] == 0) {
        throw new DatasetException(classes.get(c).dir() + ": no readable images (all "
            + classes.get(c).files().size() + " files were skipped as bad)");
      }
    }
  }

  private static String name(Path root) {
    Path abs = root.toAbsolutePath().normalize();
    return abs.getFileName() == null ? "images" : abs.getFileName().toString();
  }
}
