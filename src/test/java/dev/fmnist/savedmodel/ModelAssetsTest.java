package dev.fmnist.savedmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.cli.ExitCode;
import dev.fmnist.FmnistException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the manifest and history stored beside a SavedModel. */
class ModelAssetsTest {
  @TempDir Path dir;

  @Test
  void readsTheManifestFields() throws Exception {
    write("fmnist.json", """
        {"name": "cnn", "class_names": ["a","b","c","d","e","f","g","h","i","j"],
         "seed": 42, "metrics": {"test_accuracy": 0.9123, "test_correct": 9123, "val_loss": null},
         "device": "cpu"}""");
    ModelManifest m = ModelManifest.read(dir).orElseThrow();
    assertEquals("cnn", m.name());
    assertEquals(10, m.classNames().size());
    assertEquals(0.9123, m.metric("test_accuracy").getAsDouble());
    assertFalse(m.metric("val_loss").isPresent());
    assertEquals(9123, m.testCorrect().getAsLong());
    assertEquals("cpu", m.text("device"));
    assertEquals("cnn/7", ModelInfo.nameOf(Path.of("savedmodels/cnn/7"), m.name()));
    assertEquals("mlp/2", ModelInfo.nameOf(Path.of("savedmodels/mlp/2"), ""));
    assertEquals("keras_model", ModelInfo.nameOf(Path.of("/x/keras_model"), ""));
  }

  @Test
  void historyToleratesMissingValidationFields() throws Exception {
    write("history.json", """
        {"epochs": [{"epoch": 1, "loss": 0.9, "accuracy": 0.7},
                    {"epoch": 2, "loss": 0.5, "accuracy": 0.8, "val_loss": null}]}""");
    LearningCurves c = LearningCurves.read(dir).orElseThrow();
    assertEquals(2, c.epochs().size());
    assertEquals(0.5, c.epochs().get(1).loss());
    assertTrue(Double.isNaN(c.epochs().get(1).valLoss()));
    assertFalse(c.hasValidation());
  }

  @Test
  void absentFilesAreNoErrorButBrokenOnesAre() throws Exception {
    assertTrue(ModelManifest.read(dir).isEmpty());
    assertTrue(LearningCurves.read(dir).isEmpty());
    write("fmnist.json", "{not json");
    FmnistException e = assertThrows(FmnistException.class, () -> ModelManifest.read(dir));
    assertEquals(ExitCode.BAD_INPUT, ExitCode.of(e));
    assertTrue(e.getMessage().startsWith(dir.resolve(ModelManifest.PATH) + ": not valid JSON"));
    write("history.json", "[]");
    e = assertThrows(FmnistException.class, () -> LearningCurves.read(dir));
    assertEquals(dir.resolve(LearningCurves.PATH) + ": expected {\"epochs\": [...]}", e.getMessage());
  }

  private void write(String name, String text) throws Exception {
    Files.createDirectories(dir.resolve("assets.extra"));
    Files.writeString(dir.resolve("assets.extra").resolve(name), text);
  }
}
