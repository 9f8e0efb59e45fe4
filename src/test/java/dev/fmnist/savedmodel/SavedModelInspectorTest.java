package dev.fmnist.savedmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.cli.ExitCode;
import dev.fmnist.FmnistException;
import dev.fmnist.testing.TinyModels;
import dev.fmnist.testing.TinyModels.OutputStyle;
import dev.fmnist.testing.TinyModels.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavedModelInspectorTest {
  @TempDir Path tmp;

  @Test
  void acceptsTheFmnistSignatureAndPrefersLogits() {
    Path dir = TinyModels.export(tmp.resolve("m"), Spec.fmnist());
    ModelSignature s = SavedModelInspector.inspect(dir, null, null);
    assertEquals("serving_default", s.key());
    assertEquals("tensorflow/serving/predict", s.methodName());
    assertEquals("images", s.inputKey());
    assertEquals("images:0", s.inputTensor());
    assertEquals(ImageLayout.Kind.NHWC, s.layout().kind());
    assertEquals(0, s.fixedBatch());
    assertEquals("logits", s.outputKey());
    assertEquals("int64 [-1]", s.outputs().get("classes"));
    assertFalse(s.tf2());
    assertEquals(
        "serving_default: images float32 [-1,28,28,1] -> logits float32 [-1,10]", s.describe());
  }

  @Test
  void acceptsFlatAndThreeDimensionalInputs() {
    for (ImageLayout.Kind l : new ImageLayout.Kind[] {ImageLayout.Kind.FLAT, ImageLayout.Kind.NHW}) {
      Path dir = TinyModels.export(tmp.resolve(l.name()), Spec.fmnist().layout(l));
      assertEquals(l, SavedModelInspector.inspect(dir, null, null).layout().kind());
    }
  }

  @Test
  void takesTheOnlyTenWideOutputOfAKerasStyleSignature() {
    Path dir = TinyModels.export(tmp.resolve("k"), Spec.fmnist().outputs(OutputStyle.KERAS));
    ModelSignature s = SavedModelInspector.inspect(dir, null, null);
    assertEquals("keras_tensor", s.inputKey());
    assertEquals("output_0", s.outputKey());
  }

  @Test
  void refusesAnIntegerInput() {
    Path dir = TinyModels.export(tmp.resolve("u8"), Spec.fmnist().uint8());
    assertRefused(
        dir, null, null,
        "signature 'serving_default': input 'images': expected float32 [-1,height,width,channels] (channels 1"
            + " or 3), [-1,height,width] or [-1,values], found uint8 [-1,28,28,1]");
  }

  @Test
  void refusesAnOutputOfTheWrongWidth() {
    Path dir = TinyModels.export(tmp.resolve("w1"), Spec.fmnist().width(1));
    assertRefused(
        dir, null, null,
        "signature 'serving_default': expected a float32 [-1,K] output of logits or"
            + " probabilities for K >= 2 classes, found classes int64 [-1], logits float32 [-1,1],"
            + " probabilities float32 [-1,1]");
    // five classes make a classifier, though not one of Fashion-MNIST's ten
    Path five = TinyModels.export(tmp.resolve("w5"), Spec.fmnist().width(5));
    ModelSignature s = SavedModelInspector.inspect(five, null, null);
    assertEquals(5, s.classes());
    FmnistException e = org.junit.jupiter.api.Assertions.assertThrows(FmnistException.class,
        () -> s.requireAccepts(dev.fmnist.data.FashionMnist.SPEC, five));
    assertTrue(e.getMessage().endsWith("the model scores 5 classes, fashion-mnist has 10"), e.getMessage());
  }

  @Test
  void refusesAMissingSignatureAndNamesTheOnesFound() {
    Path dir = TinyModels.export(tmp.resolve("sig"), Spec.fmnist().signature("predict"));
    assertRefused(
        dir, null, null, "no signature 'serving_default' (found: predict); choose one with"
            + " --signature");
    assertEquals("predict", SavedModelInspector.inspect(dir, "predict", null).key());
  }

  @Test
  void refusesANamedOutputThatIsNotClassScores() {
    Path dir = TinyModels.export(tmp.resolve("m"), Spec.fmnist());
    assertRefused(
        dir, null, "classes",
        "output 'classes': expected a float32 [-1,K] output of logits or probabilities for K >= 2"
            + " classes, found int64 [-1]");
    assertRefused(dir, null, "nope", "no output 'nope' (found: classes int64 [-1], logits");
    assertEquals("probabilities", SavedModelInspector.inspect(dir, null, "probabilities").outputKey());
  }

  @Test
  void refusesAFileThatIsNotASavedModel() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("junk"));
    Files.writeString(dir.resolve("saved_model.pb"), "this is not a protocol buffer\n");
    FmnistException e =
        assertThrows(FmnistException.class, () -> SavedModelInspector.inspect(dir, null, null));
    assertEquals(ExitCode.BAD_INPUT, ExitCode.of(e));
    assertTrue(e.getMessage().contains("not a SavedModel protocol buffer"), e.getMessage());
  }

  @Test
  void locatesTheHighestVersionDirectory() throws Exception {
    Path base = tmp.resolve("cnn");
    TinyModels.export(base.resolve("2"), Spec.fmnist());
    TinyModels.export(base.resolve("10"), Spec.fmnist());
    Files.createDirectories(base.resolve("11")); // empty: not a SavedModel
    assertEquals(base.resolve("10"), SavedModelInspector.locate(base));
    assertEquals(base.resolve("2"), SavedModelInspector.locate(base.resolve("2")));
    FmnistException e =
        assertThrows(FmnistException.class, () -> SavedModelInspector.locate(base.resolve("11")));
    assertEquals(ExitCode.BAD_INPUT, ExitCode.of(e));
    e = assertThrows(FmnistException.class, () -> SavedModelInspector.locate(tmp.resolve("no")));
    assertTrue(e.getMessage().endsWith("no such directory (expected a SavedModel directory,"
        + " e.g. savedmodels/cnn/1)"), e.getMessage());
  }

  private static void assertRefused(Path dir, String sig, String out, String expectedPart) {
    FmnistException e =
        assertThrows(FmnistException.class, () -> SavedModelInspector.inspect(dir, sig, out));
    assertEquals(ExitCode.BAD_INPUT, ExitCode.of(e));
    assertTrue(e.getMessage().startsWith(dir + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(expectedPart), e.getMessage());
  }
}
