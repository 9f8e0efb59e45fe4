package dev.fmnist.onnx;

import static dev.fmnist.testing.TinyOnnxModels.DOUBLE;
import static dev.fmnist.testing.TinyOnnxModels.FLOAT;
import static dev.fmnist.testing.TinyOnnxModels.N;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.ModelException;
import dev.fmnist.data.DatasetSpec;
import dev.fmnist.data.FashionMnist;
import dev.fmnist.eval.OutputKind;
import dev.fmnist.eval.Predictions;
import dev.fmnist.savedmodel.Classifier;
import dev.fmnist.savedmodel.Classifiers;
import dev.fmnist.savedmodel.ImageLayout;
import dev.fmnist.savedmodel.ModelFormat;
import dev.fmnist.testing.TinyDataset;
import dev.fmnist.testing.TinyModels;
import dev.fmnist.testing.TinyOnnxModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxClassifierTest {
  @TempDir Path tmp;

  private static Classifier load(Path file) {
    return Classifiers.load(file, Classifiers.Options.DEFAULT);
  }

  private static Classifier load(Path file, String output, boolean trust) {
    return Classifiers.load(file, new Classifiers.Options(null, output, trust));
  }

  @Test
  void predictsTheBandModelWhateverTheInputLayout() {
    TinyDataset data = TinyDataset.of(57, 7);
    record Case(String name, Object[] dims, ImageLayout.Kind kind, int fixedBatch) {}
    List<Case> cases = List.of(
        new Case("nchw", new Object[] {N, 1L, 28L, 28L}, ImageLayout.Kind.NCHW, 0),
        new Case("nhwc", new Object[] {N, 28L, 28L, 1L}, ImageLayout.Kind.NHWC, 0),
        new Case("nhw", new Object[] {N, 28L, 28L}, ImageLayout.Kind.NHW, 0),
        new Case("flat", new Object[] {N, 784L}, ImageLayout.Kind.FLAT, 0),
        new Case("dynamic", new Object[] {N, 1L, "height", "width"}, ImageLayout.Kind.NCHW, 0),
        // torch.onnx.export without dynamic axes: the example input's batch size is fixed
        new Case("batch-of-4", new Object[] {4L, 1L, 28L, 28L}, ImageLayout.Kind.NCHW, 4));
    for (Case c : cases) {
      Path file = TinyOnnxModels.write(tmp.resolve(c.name() + ".onnx"),
          TinyOnnxModels.band("input", c.dims(), false));
      try (Classifier m = load(file)) {
        assertEquals(ModelFormat.ONNX, m.format(), c.name());
        assertEquals(c.kind(), m.layout().kind(), c.name());
        assertEquals(c.fixedBatch(), m.fixedBatch(), c.name());
        assertEquals(10, m.classes());
        assertNull(m.manifest());
        assertEquals(c.name(), m.name());
        Classifier.RawOutputs out = m.predictAll(data, 10, null);
        for (int i = 0; i < data.size(); i++) {
          assertArrayEquals(TinyModels.bandLogits(data.image(i)),
              Arrays.copyOfRange(out.values(), i * 10, i * 10 + 10), 1e-4f, c.name() + " image " + i);
        }
        assertEquals(c.fixedBatch() > 0 ? 4 : 10, out.timing().batchSize(), c.name());
        Predictions p = Predictions.of(10, data.labels(), out.values(), null);
        assertEquals(OutputKind.LOGITS, p.kind());
        assertEquals(49.0 / 57, p.confusionMatrix().accuracy(), 1e-12, c.name());
        // one call of more images than the fixed batch holds
        float[] three = new float[5 * 784];
        for (int i = 0; i < 5; i++) {
          data.copyScaled(i, three, i * 784);
        }
        float[] five = m.predict(three, 5, FashionMnist.SPEC);
        assertArrayEquals(Arrays.copyOf(out.values(), 50), five, 1e-6f, c.name());
      }
    }
  }

  @Test
  void movesTheChannelsFirstForAnNchwInputOfThreeChannels() {
    Path file = TinyOnnxModels.write(tmp.resolve("echo.onnx"), TinyOnnxModels.channelsLastEcho(3, 2, 2));
    List<String> names = new ArrayList<>();
    for (int c = 0; c < 12; c++) {
      names.add("c" + c);
    }
    DatasetSpec rgb = new DatasetSpec("rgb", 2, 2, 3, names);
    try (Classifier m = load(file)) {
      assertEquals(ImageLayout.Kind.NCHW, m.layout().kind());
      assertEquals("[-1,3,2,2]", m.layout().describe());
      assertEquals(rgb.withClassNames(m.classNames(null)).describeShape(), m.inputSpec().describeShape());
      float[] images = new float[2 * 12];
      for (int v = 0; v < images.length; v++) {
        images[v] = v / 24f; // two images, each row-major with channels last
      }
      // the model transposes [N,3,2,2] back to channels last and flattens: its output is its input
      assertArrayEquals(images, m.predict(images, 2, rgb), 0f);
    }
  }

  @Test
  void choosesTheClassScoreOutputAsForSavedModels() {
    Path file = TinyOnnxModels.write(tmp.resolve("tf2onnx-like.onnx"),
        TinyOnnxModels.band("images", new Object[] {N, 28L, 28L, 1L}, true));
    TinyDataset data = TinyDataset.of(20, 5);
    try (Classifier m = load(file)) {
      assertTrue(m.describe().endsWith(": images float32 [-1,28,28,1] -> logits float32 [-1,10]"),
          m.describe());
      assertTrue(m.describe().startsWith("onnx (IR 8, opset 17, fmnist tests 1)"), m.describe());
      assertEquals(OutputKind.LOGITS, Predictions.of(10, data.labels(), m.predictAll(data, 7, null).values(),
          null).kind());
    }
    try (Classifier m = load(file, "probabilities", false)) {
      Predictions p = Predictions.of(10, data.labels(), m.predictAll(data, 7, null).values(), null);
      assertEquals(OutputKind.PROBABILITIES, p.kind());
      assertEquals(16.0 / 20, p.confusionMatrix().accuracy(), 1e-12);
    }
    ModelException classes = assertThrows(ModelException.class, () -> load(file, "classes", false));
    assertEquals(file + ": output 'classes': expected a float32 [-1,K] output of logits or probabilities"
        + " for K >= 2 classes, found int64 [-1]", classes.getMessage());
    ModelException missing = assertThrows(ModelException.class, () -> load(file, "scores", false));
    assertEquals(file + ": no output 'scores' (found: classes int64 [-1], logits float32 [-1,10],"
        + " probabilities float32 [-1,10])", missing.getMessage());
  }

  @Test
  void detectsAProbabilityOutputFromItsValues() {
    Path file = TinyOnnxModels.write(tmp.resolve("p.onnx"), TinyOnnxModels.bandProbabilities());
    TinyDataset data = TinyDataset.of(30, 6);
    try (Classifier m = load(file)) {
      Predictions p = Predictions.of(10, data.labels(), m.predictAll(data, 500, null).values(), null);
      assertEquals(OutputKind.PROBABILITIES, p.kind());
      assertEquals(25.0 / 30, p.confusionMatrix().accuracy(), 1e-12);
    }
  }

  @Test
  void refusesInputsThatDoNotFitWithWhatWasExpectedAndFound() {
    Path cifar = TinyOnnxModels.write(tmp.resolve("cifar.onnx"),
        TinyOnnxModels.linear(new Object[] {N, 3L, 32L, 32L}, FLOAT));
    try (Classifier m = load(cifar)) {
      assertEquals(ImageLayout.Kind.NCHW, m.layout().kind());
      ModelException e = assertThrows(ModelException.class, () -> m.requireAccepts(FashionMnist.SPEC));
      assertEquals(cifar + ": the model's input is [-1,3,32,32], the fashion-mnist images are 28x28x1"
          + " (height x width x channels)", e.getMessage());
    }
    Path doubles = TinyOnnxModels.write(tmp.resolve("double.onnx"),
        TinyOnnxModels.linear(new Object[] {N, 784L}, DOUBLE));
    ModelException e = assertThrows(ModelException.class, () -> load(doubles));
    assertEquals(doubles + ": input 'input': expected float32 [-1,channels,height,width] or"
        + " [-1,height,width,channels] (channels 1 or 3), [-1,height,width] or [-1,values], found float64"
        + " [-1,784]", e.getMessage());
    Path fourChannels = TinyOnnxModels.write(tmp.resolve("four.onnx"),
        TinyOnnxModels.linear(new Object[] {N, 4L, 28L, 4L}, FLOAT));
    e = assertThrows(ModelException.class, () -> load(fourChannels));
    assertTrue(e.getMessage().endsWith("found float32 [-1,4,28,4]"), e.getMessage());
  }

  @Test
  void refusesOpsOutsideTheStandardDomainsUnlessTrusted() {
    Path file = TinyOnnxModels.write(tmp.resolve("custom.onnx"),
        TinyOnnxModels.bandWithCustomOp("com.example", true));
    ModelException e = assertThrows(ModelException.class, () -> load(file));
    assertEquals(file + ": refused: ops outside the standard ONNX domains (ai.onnx, ai.onnx.ml,"
        + " com.microsoft): com.example:Scale (1 node, a function the model defines). If you trust"
        + " where this model came from, load it with --trust-model", e.getMessage());
    assertThrows(ModelException.class, () -> Classifiers.inspect(file, Classifiers.Options.DEFAULT));
    TinyDataset data = TinyDataset.of(10, 0);
    try (Classifier m = load(file, null, true)) {
      float[] out = m.predictAll(data, 10, null).values();
      assertArrayEquals(TinyModels.bandLogits(data.image(3)), Arrays.copyOfRange(out, 30, 40), 1e-4f);
    }
    // trusted, but no runtime knows the op: ONNX Runtime's own refusal, in one line
    Path unknown = TinyOnnxModels.write(tmp.resolve("unknown.onnx"),
        TinyOnnxModels.bandWithCustomOp("com.example", false));
    e = assertThrows(ModelException.class, () -> load(unknown, null, true));
    assertTrue(e.getMessage().startsWith(unknown + ": ONNX Runtime cannot load the model: "), e.getMessage());
    assertTrue(e.getMessage().contains("com.example:Scale"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void refusesCorruptFilesInOneLine() throws Exception {
    byte[] good = TinyOnnxModels.band("input", new Object[] {N, 784L}, false);
    List<Path> bad = List.of(
        TinyOnnxModels.write(tmp.resolve("truncated.onnx"), Arrays.copyOf(good, good.length / 2)),
        TinyOnnxModels.write(tmp.resolve("text.onnx"), "not a model\n".getBytes()),
        TinyOnnxModels.write(tmp.resolve("zeros.onnx"), new byte[64]),
        TinyOnnxModels.write(tmp.resolve("random.onnx"), randomBytes(4096)));
    for (Path f : bad) {
      ModelException e = assertThrows(ModelException.class, () -> load(f), f.toString());
      assertTrue(e.getMessage().startsWith(f + ": not an ONNX model ("), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
    Path empty = TinyOnnxModels.write(tmp.resolve("empty.onnx"), new byte[0]);
    assertEquals(empty + ": is empty (expected an ONNX model)",
        assertThrows(ModelException.class, () -> load(empty)).getMessage());
    Path ok = TinyOnnxModels.write(tmp.resolve("ok.onnx"), good);
    assertEquals(String.format(java.util.Locale.ROOT, "%s: %,d bytes, larger than the 1,000 bytes fmnist reads from an"
        + " ONNX model", ok, good.length),
        assertThrows(ModelException.class, () -> OnnxModelFile.read(ok, 1000)).getMessage());
    Files.createDirectories(tmp.resolve("dir.onnx"));
    assertTrue(assertThrows(ModelException.class, () -> load(tmp.resolve("missing.onnx"))).getMessage()
        .endsWith("missing.onnx: no such file (expected a SavedModel directory, e.g. savedmodels/cnn/1,"
            + " or an ONNX file, e.g. model.onnx)"));
    assertThrows(ModelException.class, () -> load(tmp.resolve("dir.onnx"))); // a directory: a SavedModel?
  }

  @Test
  void everyTruncationAndByteFlipLoadsOrFailsInOneLine() {
    byte[] good = TinyOnnxModels.band("input", new Object[] {N, 28L, 28L, 1L}, true);
    java.util.Random random = new java.util.Random(11);
    List<byte[]> variants = new ArrayList<>();
    for (int cut = 1; cut < good.length; cut += 1 + good.length / 40) {
      variants.add(Arrays.copyOf(good, cut));
    }
    for (int i = 0; i < 40; i++) {
      byte[] flipped = good.clone();
      // the first 600 bytes hold the header, the nodes and the start of the weights
      flipped[random.nextInt(Math.min(600, good.length))] ^= (byte) (1 << random.nextInt(8));
      variants.add(flipped);
    }
    TinyDataset data = TinyDataset.of(4, 0);
    int loaded = 0;
    for (int v = 0; v < variants.size(); v++) {
      Path f = TinyOnnxModels.write(tmp.resolve("fuzz.onnx"), variants.get(v));
      try (Classifier m = load(f, null, true)) {
        m.predictAll(data, 4, null);
        loaded++;
      } catch (ModelException e) {
        assertFalse(e.getMessage().isBlank() || e.getMessage().contains("\n"), v + ": " + e.getMessage());
      }
    }
    assertTrue(loaded < variants.size(), "some variants must fail");
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new java.util.Random(7).nextBytes(b);
    return b;
  }

  @Test
  void loadsExternalDataFromTheModelsDirectoryOnly() throws Exception {
    Path file = TinyOnnxModels.bandWithExternalWeights(tmp.resolve("ext/band.onnx"), "band.onnx.data",
        "band.onnx.data");
    TinyDataset data = TinyDataset.of(10, 0);
    try (Classifier m = load(file)) {
      float[] out = m.predictAll(data, 4, null).values();
      assertArrayEquals(TinyModels.bandLogits(data.image(7)), Arrays.copyOfRange(out, 70, 80), 1e-4f);
    }
    Path climbing = TinyOnnxModels.bandWithExternalWeights(tmp.resolve("ext2/sub/band.onnx"), "w.data",
        "../sub/w.data");
    assertEquals(climbing + ": tensor 'band_weights' has its data in '../sub/w.data': external data"
        + " must lie in the model's directory or below",
        assertThrows(ModelException.class, () -> load(climbing, null, true)).getMessage());
    Path absent = TinyOnnxModels.bandWithExternalWeights(tmp.resolve("ext3/band.onnx"), "w.data", "v.data");
    assertEquals(absent + ": tensor 'band_weights' has its data in 'v.data', which does not exist",
        assertThrows(ModelException.class, () -> load(absent)).getMessage());
    Files.createSymbolicLink(tmp.resolve("ext3/link.data"), tmp.resolve("ext/band.onnx.data"));
    Path linked = TinyOnnxModels.bandWithExternalWeights(tmp.resolve("ext3/band2.onnx"), "w2.data",
        "link.data");
    assertTrue(assertThrows(ModelException.class, () -> load(linked)).getMessage()
        .endsWith(": not a regular file in the model's directory or below"));
    assertEquals(file + ": the model and its external data are " + (Files.size(file) + 784 * 10 * 4)
        + " bytes, more than the 5000 bytes fmnist loads",
        assertThrows(ModelException.class, () -> OnnxModelFile.read(file, 5000)).getMessage());
  }

  @Test
  void refusesASignatureForAnOnnxModel() {
    Path file = TinyOnnxModels.write(tmp.resolve("s.onnx"),
        TinyOnnxModels.band("input", new Object[] {N, 784L}, false));
    assertEquals(file + ": an ONNX model has no signatures (asked for 'serving_default'); name its output"
        + " with --output instead", assertThrows(ModelException.class,
            () -> Classifiers.load(file, new Classifiers.Options("serving_default", null, false))).getMessage());
  }
}
