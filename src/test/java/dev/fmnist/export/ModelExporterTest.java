package dev.fmnist.export;

import dev.fmnist.data.FashionMnist;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fmnist.TestData;
import dev.fmnist.config.Recipe;
import dev.fmnist.config.RecipeLoader;
import dev.fmnist.data.ImageSet;
import dev.fmnist.data.Dataset;
import dev.fmnist.train.SessionOptions;
import dev.fmnist.train.TrainingRun;
import dev.fmnist.train.TrainingResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.VariableDef;

class ModelExporterTest {
  static final String RECIPE = TestData.TINY_RECIPE.replace("epochs: 4", "epochs: 2").replace("seed: 7", "seed: 3");

  static TrainingResult train(Recipe recipe, Path runDir, int images) {
    return TrainingRun.of(recipe).data(Dataset.of(TestData.separable(images, 1), TestData.separable(10, 2), "generated"))
        .runDirectory(runDir).session(new SessionOptions(SessionOptions.Device.CPU, 1, 1)).fit();
  }

  /** A dataset whose test images are {@code test}. */
  static Dataset withTest(ImageSet test) {
    return Dataset.of(test, test, "generated");
  }

  /** What exporting from the checkpoint alone (no training session) sees. */
  static ExportSource fromCheckpoint(TrainingResult r, Recipe recipe) {
    return new ExportSource(recipe, r.spec(), r.weights().dir(), r.weights().variablesPrefix(), r.history(),
        r.chosen().epoch(), false, Double.NaN, Double.NaN, "cpu", null);
  }

  @Test
  void exportsAnInferenceOnlySavedModelWithTheContractSignature(@TempDir Path dir) throws Exception {
    Recipe recipe = RecipeLoader.parse(RECIPE, "tiny.yaml");
    TrainingResult result = train(recipe, dir.resolve("run"), 250);
    ImageSet test = TestData.separable(120, 9);
    Path models = dir.resolve("savedmodels");
    ModelExporter exporter = new ModelExporter(models, new PrintWriter(new StringWriter()));
    ModelExporter.Exported first = exporter.export(ExportSource.of(result, "cpu"), withTest(test));
    assertEquals(models.resolve("tiny/1"), first.dir());
    assertEquals(0.0, first.parityMaxAbsDiff(), 1e-6);
    assertEquals(120, first.test().count());

    try (SavedModelBundle b = SavedModelBundle.load(first.dir().toString(), "serve")) {
      MetaGraphDef meta = b.metaGraphDef();
      SignatureDef sig = meta.getSignatureDefOrThrow("serving_default");
      assertEquals("tensorflow/serving/predict", sig.getMethodName());
      assertEquals(List.of("images"), List.copyOf(sig.getInputsMap().keySet()));
      assertEquals(java.util.Set.of("logits", "probabilities", "classes"), sig.getOutputsMap().keySet());
      assertEquals("DT_FLOAT [-1, 28, 28, 1]", describe(sig.getInputsOrThrow("images")));
      assertEquals("DT_FLOAT [-1, 10]", describe(sig.getOutputsOrThrow("logits")));
      assertEquals("DT_FLOAT [-1, 10]", describe(sig.getOutputsOrThrow("probabilities")));
      assertEquals("DT_INT64 [-1]", describe(sig.getOutputsOrThrow("classes")));
      List<String> ops = meta.getGraphDef().getNodeList().stream().map(NodeDef::getOp).toList();
      List<String> names = meta.getGraphDef().getNodeList().stream().map(NodeDef::getName).toList();
      assertFalse(names.stream().anyMatch(n -> n.contains("adam")), "no optimizer state");
      assertFalse(ops.contains("ApplyAdam"));
      assertFalse(ops.stream().anyMatch(o -> o.startsWith("StatelessRandom")), "dropout is off");
      assertTrue(ops.contains("FusedBatchNormV3"));
      // resource variables, listed in the collections Python's loaders build variables from
      assertFalse(ops.contains("VariableV2"), "no reference variables: Python would not see them");
      long handles = ops.stream().filter("VarHandleOp"::equals).count();
      long batchNorms = ops.stream().filter("FusedBatchNormV3"::equals).count();
      assertTrue(handles > 2 * batchNorms, "variables: " + handles);
      List<VariableDef> all = variableDefs(meta, "variables");
      List<VariableDef> trainable = variableDefs(meta, "trainable_variables");
      assertEquals(handles, all.size());
      assertEquals(handles - 2 * batchNorms, trainable.size(), "batch norm's moving mean and variance are not trainable");
      for (VariableDef v : all) {
        String op = v.getVariableName().replace(":0", "");
        assertTrue(v.getIsResource(), v.toString());
        assertTrue(names.contains(op), op);
        assertTrue(names.contains(v.getInitializerName()), v.getInitializerName());
        assertTrue(names.contains(v.getSnapshotName().replace(":0", "")), v.getSnapshotName());
        assertEquals(!op.endsWith("/moving_mean") && !op.endsWith("/moving_variance"), v.getTrainable(), op);
      }
      assertEquals(org.tensorflow.TensorFlow.version(), meta.getMetaInfoDef().getTensorflowVersion());
      assertEquals("save/restore_all", meta.getSaverDef().getRestoreOpName());
    }
    JsonNode manifest = new ObjectMapper().readTree(first.dir().resolve("assets.extra/fmnist.json").toFile());
    assertEquals("tiny", manifest.get("name").asText());
    assertEquals(10, manifest.get("class_names").size());
    assertEquals(first.test().accuracy(), manifest.at("/metrics/test_accuracy").asDouble());
    assertEquals(3, manifest.at("/config/training/seed").asInt());
    assertEquals(2, manifest.get("epochs_run").asInt());
    assertTrue(manifest.at("/versions/tensorflow").asText().startsWith("2."));
    assertTrue(Files.exists(first.dir().resolve("assets.extra/history.json")));
    assertTrue(Files.exists(first.dir().resolve("assets.extra/history.csv")));

    // re-export from the checkpoint alone: next version, same predictions
    ModelExporter.Exported second = exporter.export(fromCheckpoint(result, recipe), withTest(test));
    assertEquals(2, second.version());
    assertEquals(first.test(), second.test());
    try (Stream<Path> s = Files.list(models.resolve("tiny"))) {
      assertEquals(List.of("1", "2"), s.map(p -> p.getFileName().toString()).sorted().toList(), "no staging leftovers");
    }

    // export again from the SavedModel itself (fmnist export --from-savedmodel): its weights, recipe and history
    ExportSource again = ExportSource.fromSavedModel(first.dir(), null);
    assertEquals(recipe, again.recipe());
    assertEquals(result.history().epochs().size(), again.history().epochs().size());
    ModelExporter.Exported third = exporter.export(again, withTest(test));
    assertEquals(3, third.version());
    assertEquals(first.test(), third.test(), "the same weights give the same test metrics");
    assertArrayEquals(Files.readAllBytes(first.dir().resolve("variables/variables.data-00000-of-00001")),
        Files.readAllBytes(third.dir().resolve("variables/variables.data-00000-of-00001")), "the same variables");
  }

  @Test
  void testTimeFlipExportsTheMeanOfEachImagesAndItsMirrorImagesLogits(@TempDir Path dir) throws Exception {
    Recipe recipe = RecipeLoader.parse(RECIPE.replace("model:\n", "model:\n  test_time_flip: true\n"), "tiny.yaml");
    assertTrue(recipe.model().flipAveraged());
    // the training session's probe is averaged the same way, or the export's parity check would fail
    TrainingResult result = train(recipe, dir.resolve("run"), 250);
    ImageSet test = TestData.separable(60, 9);
    ModelExporter exporter = new ModelExporter(dir.resolve("savedmodels"), new PrintWriter(new StringWriter()));
    ModelExporter.Exported flip = exporter.export(ExportSource.of(result, "cpu"), withTest(test));
    assertTrue(flip.parityMaxAbsDiff() < 1e-5, "parity " + flip.parityMaxAbsDiff());
    Recipe plainRecipe = recipe.toBuilder().model(recipe.model().withTestTimeFlip(false)).build();
    assertEquals(RecipeLoader.architectureFingerprint(recipe.model()),
        RecipeLoader.architectureFingerprint(plainRecipe.model()), "same weights, same architecture");
    ModelExporter.Exported plain = exporter.export(fromCheckpoint(result, plainRecipe), withTest(test));

    int n = 16;
    java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
    float[] images = new float[n * FashionMnist.SPEC.valuesPerImage()];
    float[] mirrored = new float[images.length];
    for (int i = 0; i < images.length; i++) {
      images[i] = (float) rng.nextDouble();
    }
    for (int i = 0; i < images.length; i++) {
      int col = i % 28;
      mirrored[i - col + 27 - col] = images[i];
    }
    float[] averaged;
    float[] single;
    float[] ofMirror;
    try (SavedModelBundle b = SavedModelBundle.load(flip.dir().toString(), "serve")) {
      averaged = new Predictor(b, FashionMnist.SPEC).logits(images, n);
      List<String> ops = b.metaGraphDef().getGraphDef().getNodeList().stream().map(NodeDef::getOp).toList();
      assertTrue(ops.contains("ReverseV2") && ops.contains("Split"), "flip and split in the serving graph");
    }
    try (SavedModelBundle b = SavedModelBundle.load(plain.dir().toString(), "serve")) {
      Predictor p = new Predictor(b, FashionMnist.SPEC);
      single = p.logits(images, n);
      ofMirror = p.logits(mirrored, n);
    }
    double maxGap = 0;
    for (int i = 0; i < averaged.length; i++) {
      assertEquals((single[i] + ofMirror[i]) / 2, averaged[i], 1e-5, "logit " + i);
      maxGap = Math.max(maxGap, Math.abs(single[i] - ofMirror[i]));
    }
    assertTrue(maxGap > 1e-3, "random images and their mirror images get different logits: " + maxGap);
    JsonNode on = new ObjectMapper().readTree(flip.dir().resolve("assets.extra/fmnist.json").toFile());
    JsonNode off = new ObjectMapper().readTree(plain.dir().resolve("assets.extra/fmnist.json").toFile());
    assertTrue(on.at("/config/model/test_time_flip").asBoolean());
    assertTrue(off.at("/config/model/test_time_flip").isMissingNode(), "left out when off: " + off.at("/config/model"));
  }

  @Test
  void concurrentExportsToTheSameModelGetDistinctCompleteVersions(@TempDir Path dir) throws Exception {
    Recipe recipe = RecipeLoader.parse(RECIPE.replace("epochs: 2", "epochs: 1"), "tiny.yaml");
    TrainingResult trained = train(recipe, dir.resolve("run"), 100);
    ExportSource fromCheckpoint = fromCheckpoint(trained, recipe);
    ImageSet test = TestData.separable(40, 9);
    Path models = dir.resolve("savedmodels");
    Files.createDirectories(models.resolve("tiny/1")); // taken by an export of another run
    Files.writeString(models.resolve("tiny/1/saved_model.pb"), "another model");
    int writers = 4;
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(writers);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
    List<java.util.concurrent.Future<ModelExporter.Exported>> futures = new java.util.ArrayList<>();
    for (int i = 0; i < writers; i++) {
      futures.add(pool.submit(() -> {
        start.await();
        return new ModelExporter(models, new PrintWriter(new StringWriter())).export(fromCheckpoint, withTest(test));
      }));
    }
    java.util.Set<Integer> versions = new java.util.TreeSet<>();
    for (var f : futures) {
      versions.add(f.get().version());
    }
    pool.shutdown();
    assertEquals(java.util.Set.of(2, 3, 4, 5), versions, "four exports, four versions");
    assertEquals("another model", Files.readString(models.resolve("tiny/1/saved_model.pb")), "not overwritten");
    for (int v : versions) {
      assertTrue(Files.exists(models.resolve("tiny/" + v + "/assets.extra/fmnist.json")), "version " + v + " complete");
      try (SavedModelBundle b = SavedModelBundle.load(models.resolve("tiny/" + v).toString(), "serve")) {
        assertTrue(b.metaGraphDef().containsSignatureDef("serving_default"));
      }
    }
    try (Stream<Path> s = Files.list(models.resolve("tiny"))) {
      assertEquals(List.of("1", "2", "3", "4", "5"), s.map(p -> p.getFileName().toString()).sorted().toList(),
          "no staging leftovers");
    }
  }

  /**
   * Two exports that pick the same version: the loser's rename fails because the winner's
   * directory is there. Java reports Linux's ENOTEMPTY as a plain FileSystemException, which the
   * exporter once let through as an I/O failure (exit 3) instead of taking the next version.
   */
  @Test
  void aVersionTakenBetweenTheCheckAndTheRenameIsNotAFailure(@TempDir Path dir) throws Exception {
    Path staging = Files.createDirectories(dir.resolve(".export-1-2.tmp"));
    Files.writeString(staging.resolve("saved_model.pb"), "mine");
    Path taken = Files.createDirectories(dir.resolve("3"));
    Files.writeString(taken.resolve("saved_model.pb"), "theirs");
    java.nio.file.FileSystemException jdk = org.junit.jupiter.api.Assertions.assertThrows(
        java.nio.file.FileSystemException.class,
        () -> Files.move(staging, taken, java.nio.file.StandardCopyOption.ATOMIC_MOVE));
    assertFalse(jdk instanceof java.nio.file.DirectoryNotEmptyException || jdk instanceof java.nio.file.FileAlreadyExistsException,
        "the JDK reports this as " + jdk.getClass().getName());

    assertFalse(ModelExporter.renameUnlessTaken(staging, taken));
    assertEquals("theirs", Files.readString(taken.resolve("saved_model.pb")));
    assertEquals("mine", Files.readString(staging.resolve("saved_model.pb")));
    assertTrue(ModelExporter.renameUnlessTaken(staging, dir.resolve("4")));
    assertEquals("mine", Files.readString(dir.resolve("4/saved_model.pb")));
  }

  private static List<VariableDef> variableDefs(MetaGraphDef meta, String collection) {
    return meta.getCollectionDefOrThrow(collection).getBytesList().getValueList().stream().map(b -> {
      try {
        return VariableDef.parseFrom(b);
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }).toList();
  }

  private static String describe(TensorInfo t) {
    List<Long> dims = t.getTensorShape().getDimList().stream().map(d -> d.getSize()).toList();
    return t.getDtype() + " " + dims;
  }
}
