package dev.fmnist.export;

import dev.fmnist.StorageException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fmnist.AtomicFiles;
import dev.fmnist.FmnistException;
import dev.fmnist.Versions;
import dev.fmnist.config.RecipeLoader;
import dev.fmnist.ModelException;
import dev.fmnist.config.Recipe;
import dev.fmnist.data.Dataset;
import dev.fmnist.data.DatasetSpec;
import dev.fmnist.train.EpochRecord;
import dev.fmnist.train.TrainingHistory;
import dev.fmnist.train.TrainingResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.TensorFlow;
import org.tensorflow.exceptions.TensorFlowException;

/**
 * Exports trained weights as a SavedModel in TF Serving's layout, {@code
 * <savedmodels>/<name>/<version>/}. Everything is written into a temporary sibling, reloaded and
 * checked (outputs equal the training session's; test-set metrics computed with the reloaded
 * model), and only then renamed to the next free version number, so a version directory is
 * always complete.
 */
public final class ModelExporter {
  /** Largest difference allowed between the exported model's logits and the training session's. */
  public static final double PARITY_TOLERANCE = 1e-4;
  /**
   * The same check after a {@code --precision bf16} run: the training session's probe logits come
   * from bfloat16 kernels (8-bit mantissa), the exported graph computes in float32, so logits may
   * differ by rounding, and a probe image whose two top logits are that close may change class.
   */
  public static final double BF16_PARITY_TOLERANCE = 1.0;

  /** The most skipped files a manifest lists by name (all are counted). */
  static final int MAX_SKIPPED_LISTED = 1000;
  static final String ASSETS_EXTRA = "assets.extra";
  static final String MANIFEST = "fmnist.json";
  private static final Pattern STAGING = Pattern.compile("\\.export-(\\d+)-.*\\" + AtomicFiles.TEMP_SUFFIX);
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  /**
   * What an export wrote.
   *
   * @param dir the SavedModel directory, {@code <savedmodels>/<name>/<version>}
   * @param version its version number
   * @param test the exported model's loss and accuracy on the test images
   * @param parityMaxAbsDiff the largest difference between the exported model's logits and the
   *     training session's (NaN for an export made earlier, see {@link #exportOnce})
   * @param fresh false when {@link #exportOnce} found these weights exported before
   */
  public record Exported(Path dir, int version, TestMetrics test, double parityMaxAbsDiff, boolean fresh) {}

  private final Path savedModels;
  private final PrintWriter log;

  /**
   * @param savedModels the root, e.g. {@code savedmodels/}
   * @param log progress lines
   */
  public ModelExporter(Path savedModels, PrintWriter log) {
    this.savedModels = savedModels;
    this.log = log;
  }

  /**
   * Exports {@code source}'s weights. The reloaded model's logits are compared with the source's
   * probe, or with the restored inference graph's when it has none (re-export from a checkpoint);
   * the test images of {@code data} are scored with the exported model for the manifest.
   *
   * @param source the weights and the facts recorded in the manifest
   * @param data its test images are scored for the manifest
   * @return the SavedModel's directory and version, its test metrics and the parity check
   * @throws ModelException when the weights cannot be restored or the export does not reproduce them
   * @throws StorageException when writing fails (disk full, unwritable directory)
   */
  public Exported export(ExportSource source, Dataset data) {
    if (!source.spec().sameImages(data.spec()) || source.spec().classes() != data.spec().classes()) {
      throw new ModelException(source.weights() + ": the weights are for " + source.spec().describeShape()
          + " images of " + source.spec().classes() + " classes, the dataset has " + data.spec().describeShape()
          + " images of " + data.spec().classes());
    }
    String name = source.recipe().name();
    Path modelDir = savedModels.resolve(name);
    cleanStaleStaging(modelDir);
    Path staging = modelDir.resolve(".export-" + ProcessHandle.current().pid() + "-" + System.nanoTime()
        + AtomicFiles.TEMP_SUFFIX);
    try {
      Files.createDirectories(staging);
      TrainingResult.Probe probe = source.probe();
      try (InferenceGraph g = new InferenceGraph(source.recipe(), source.spec(), source.variablesPrefix())) {
        if (probe == null) { // re-export from a checkpoint: compare with the restored graph instead
          probe = g.probe(data.test());
        }
        SavedModelBundle.exporter(staging.toString())
            .withFunction(SessionFunction.create(g.signature, g.session))
            .export();
        SavedModelMetadata.complete(staging, g.variables, g.restoreOps, TensorFlow.version());
      }
      double parity;
      TestMetrics metrics;
      try (SavedModelBundle bundle = SavedModelBundle.load(staging.toString(), "serve")) {
        Predictor p = new Predictor(bundle, source.spec());
        parity = checkParity(p, probe, source.spec().classes(),
            source.recipe().training().precision() == dev.fmnist.config.TrainingSpec.Precision.BF16);
        metrics = p.score(data.test());
      }
      Path extra = Files.createDirectories(staging.resolve(ASSETS_EXTRA));
      TrainingHistory history = source.history();
      AtomicFiles.write(extra.resolve("history.json"), history.toJson());
      AtomicFiles.write(extra.resolve("history.csv"), history.toCsv());
      AtomicFiles.write(extra.resolve(MANIFEST), manifest(source, data, metrics));
      forceTree(staging);
      int version = publish(staging, modelDir);
      AtomicFiles.forceDirectory(modelDir);
      staging = null;
      Path dir = modelDir.resolve(Integer.toString(version));
      log.printf(Locale.ROOT, "exported %s (test accuracy %.4f, loss %.4f; reload parity max |diff| %.2g)%n",
          dir, metrics.accuracy(), metrics.loss(), parity);
      return new Exported(dir, version, metrics, parity, true);
    } catch (IOException e) {
      throw new StorageException(modelDir + ": cannot export the SavedModel: " + AtomicFiles.describe(e), e);
    } catch (TensorFlowException e) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
      throw new StorageException(modelDir + ": cannot export the SavedModel: " + m, e);
    } finally {
      AtomicFiles.deleteQuietly(staging);
    }
  }

  /**
   * Exports {@code source} unless the run directory's {@link ExportMarker} says these weights were
   * exported before (a finished run resumed, a sweep collected twice): then the earlier SavedModel
   * is returned with the test metrics its manifest recorded. Records the export in the marker.
   *
   * @param source the weights and the facts recorded in the manifest
   * @param data its test images are scored for the manifest
   * @param runDir the run directory holding the marker
   * @return the SavedModel, fresh or the earlier one
   */
  public Exported exportOnce(ExportSource source, Dataset data, Path runDir) {
    java.util.Optional<Path> before = ExportMarker.previous(runDir, source.weights());
    if (before.isPresent()) {
      Exported e = readExported(before.get());
      if (e != null) {
        return e;
      }
    }
    Exported e = export(source, data);
    ExportMarker.write(runDir, source.weights(), e.dir());
    return e;
  }

  /** An earlier export's test metrics, from its manifest; null when it cannot be read. */
  private static Exported readExported(Path dir) {
    try {
      com.fasterxml.jackson.databind.JsonNode m = JSON.readTree(dir.resolve(ASSETS_EXTRA).resolve(MANIFEST).toFile())
          .path("metrics");
      int version = Integer.parseInt(dir.getFileName().toString());
      return new Exported(dir, version, new TestMetrics(m.path("test_loss").asDouble(Double.NaN),
          m.path("test_accuracy").asDouble(Double.NaN), m.path("test_correct").asInt(), m.path("test_count").asInt()),
          Double.NaN, false);
    } catch (IOException | NumberFormatException e) {
      return null;
    }
  }

  private static double checkParity(Predictor p, TrainingResult.Probe probe, int classes, boolean bf16) {
    float[] exported = p.logits(probe.images(), probe.count());
    double tolerance = bf16 ? BF16_PARITY_TOLERANCE : PARITY_TOLERANCE;
    double max = 0;
    for (int i = 0; i < probe.count(); i++) {
      if (Predictor.argMax(exported, i, classes) != Predictor.argMax(probe.logits(), i, classes)
          && !(bf16 && topTwoMargin(probe.logits(), i, classes) <= 2 * tolerance)) {
        throw new IllegalStateException("exported model predicts another class than the training session for probe image " + i);
      }
    }
    for (int i = 0; i < exported.length; i++) {
      max = Math.max(max, Math.abs(exported[i] - probe.logits()[i]));
    }
    if (max > tolerance) {
      throw new IllegalStateException("exported model's logits differ from the training session's by " + max);
    }
    return max;
  }

  /** The gap between the two largest of the {@code classes} logits of row {@code i}. */
  private static double topTwoMargin(float[] logits, int i, int classes) {
    float first = Float.NEGATIVE_INFINITY;
    float second = Float.NEGATIVE_INFINITY;
    for (int k = i * classes; k < (i + 1) * classes; k++) {
      if (logits[k] > first) {
        second = first;
        first = logits[k];
      } else if (logits[k] > second) {
        second = logits[k];
      }
    }
    return first - second;
  }

  private byte[] manifest(ExportSource s, Dataset data, TestMetrics test) throws IOException {
    Recipe recipe = s.recipe();
    DatasetSpec spec = s.spec();
    EpochRecord chosen = s.history().epoch(s.epoch());
    ObjectNode m = JSON.createObjectNode();
    m.put("name", recipe.name());
    m.put("description", recipe.description());
    m.set("class_names", JSON.valueToTree(spec.classNames()));
    ObjectNode input = m.putObject("input");
    input.put("height", spec.height());
    input.put("width", spec.width());
    input.put("channels", spec.channels());
    m.set("config", RecipeLoader.toTree(recipe));
    m.put("seed", recipe.training().seed());
    m.put("epochs_run", s.history().epochs().size());
    m.put("chosen_epoch", s.epoch());
    m.put("stopped_early", s.stoppedEarly());
    ObjectNode metrics = m.putObject("metrics");
    putFinite(metrics, "train_loss", chosen.loss());
    putFinite(metrics, "train_accuracy", chosen.accuracy());
    putFinite(metrics, "val_loss", chosen.valLoss());
    putFinite(metrics, "val_accuracy", chosen.valAccuracy());
    metrics.put("test_loss", test.loss());
    metrics.put("test_accuracy", test.accuracy());
    metrics.put("test_correct", test.correct());
    metrics.put("test_count", test.count());
    Dataset.Provenance p = data.provenance();
    m.set("dataset_sha256", JSON.valueToTree(new java.util.TreeMap<>(p.sha256())));
    ObjectNode dataset = m.putObject("dataset");
    dataset.put("name", data.spec().name());
    dataset.put("format", p.format());
    dataset.put("source", p.source());
    dataset.put("files", p.files());
    dataset.put("train_count", data.train().size());
    dataset.put("test_count", data.test().size());
    dataset.put("skipped_files", p.skipped().size());
    if (!p.skipped().isEmpty()) {
      dataset.set("skipped", JSON.valueToTree(p.skipped().subList(0, Math.min(p.skipped().size(), MAX_SKIPPED_LISTED))));
    }
    if (p.testSplit() != null) {
      ObjectNode split = dataset.putObject("test_split");
      split.put("fraction", p.testSplit().fraction());
      split.put("seed", p.testSplit().seed());
    }
    ObjectNode versions = m.putObject("versions");
    versions.put("fmnist", Versions.fmnist());
    versions.put("tensorflow", Versions.tensorflow());
    versions.put("java", Versions.java());
    putFinite(m, "training_seconds", s.trainingSeconds());
    putFinite(m, "samples_per_second", s.samplesPerSecond());
    m.put("device", s.device());
    m.put("created", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    m.put("signature", "serving_default: images float32 " + shape(spec.batchShape(-1))
        + " in [0,1] -> logits, probabilities float32 [-1," + spec.classes() + "], classes int64 [-1]");
    return JSON.writeValueAsBytes(m);
  }

  private static String shape(long[] dims) {
    return java.util.Arrays.toString(dims).replace(" ", "");
  }

  private static void putFinite(ObjectNode n, String key, double v) {
    if (Double.isFinite(v)) {
      n.put(key, v);
    } else {
      n.putNull(key);
    }
  }

  /** Renames the staging directory to the next free version; retries if another run took it. */
  private static int publish(Path staging, Path modelDir) throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int version = nextVersion(modelDir);
      if (renameUnlessTaken(staging, modelDir.resolve(Integer.toString(version)))) {
        return version;
      }
    }
    throw new IOException("could not find a free version number in " + modelDir);
  }

  /**
   * Renames {@code staging} to {@code target} in one step, or returns false when {@code target}
   * exists: another export published that version first. Linux refuses to rename a directory onto
   * a non-empty one with ENOTEMPTY, which Java reports as a plain {@link FileSystemException}, not
   * as {@link FileAlreadyExistsException} or {@link DirectoryNotEmptyException}.
   */
  static boolean renameUnlessTaken(Path staging, Path target) throws IOException {
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (FileSystemException raced) {
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && Files.isDirectory(staging)) {
        return false;
      }
      throw raced;
    }
  }

  /**
   * One more than the highest numeric version directory, or 1.
   *
   * @param modelDir {@code savedmodels/<name>}
   * @return the next version number, from 1
   * @throws IOException when the directory cannot be listed
   */
  public static int nextVersion(Path modelDir) throws IOException {
    if (!Files.isDirectory(modelDir)) {
      return 1;
    }
    try (Stream<Path> s = Files.list(modelDir)) {
      return s.map(p -> p.getFileName().toString())
              .filter(n -> n.matches("\\d{1,9}"))
              .mapToInt(Integer::parseInt)
              .max()
              .orElse(0)
          + 1;
    }
  }

  /** Flushes every file and directory under {@code root} to the disk, before it is published. */
  private static void forceTree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isRegularFile(p)) {
          AtomicFiles.force(p);
        } else if (Files.isDirectory(p)) {
          AtomicFiles.forceDirectory(p);
        }
      }
    }
  }

  /**
   * Deletes staging directories of exports whose process is gone: no process has the pid in the
   * name, or the one that has it started after the directory was last changed (the pid was reused
   * after a crash).
   */
  static void cleanStaleStaging(Path modelDir) {
    if (!Files.isDirectory(modelDir)) {
      return;
    }
    try (Stream<Path> s = Files.list(modelDir)) {
      s.forEach(p -> {
        Matcher m = STAGING.matcher(p.getFileName().toString());
        if (m.matches() && !ownedByALiveExport(p, Long.parseLong(m.group(1)))) {
          AtomicFiles.deleteQuietly(p);
        }
      });
    } catch (IOException | NumberFormatException ignored) {
      // leftovers are harmless: they never look like a version
    }
  }

  private static boolean ownedByALiveExport(Path staging, long pid) {
    Optional<ProcessHandle> owner = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (owner.isEmpty()) {
      return false;
    }
    Optional<Instant> started = owner.get().info().startInstant();
    try {
      Instant changed = Files.getLastModifiedTime(staging).toInstant();
      return started.isEmpty() || !started.get().isAfter(changed.plusSeconds(1));
    } catch (IOException e) {
      return true;
    }
  }
}
