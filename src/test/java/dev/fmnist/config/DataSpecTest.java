package dev.fmnist.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.FmnistException;
import dev.fmnist.cli.ExitCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The recipe's {@code data:} section: parsing, defaults, one-line errors, paths relative to the recipe. */
class DataSpecTest {
  static final String FOLDER = """
      name: photos
      model:
        layers:
          - conv: {filters: 4, kernel: 3}
          - flatten: {}
          - dense: {activation: none}
      data:
        format: folder
        path: ../my-photos
        image_size: [32, 24]
        channels: 3
      """;

  @TempDir Path tmp;

  @Test
  void aFolderSectionWithItsDefaults() {
    DataSpec d = RecipeLoader.parse(FOLDER, "r.yaml").data();
    assertEquals(DataSpec.Format.FOLDER, d.format());
    assertEquals("../my-photos", d.path());
    assertEquals(32, d.height());
    assertEquals(24, d.width());
    assertEquals(3, d.channels());
    assertFalse(d.skipBadFiles());
    assertEquals(DataSpec.DEFAULT_TEST_SPLIT, d.testSplit());
    assertEquals(0L, d.splitSeed());
  }

  @Test
  void withoutADataSectionTheRecipeAndItsJsonAreAsBefore() throws Exception {
    Recipe cnn = RecipeLoader.load(Path.of("configs/cnn.yaml"));
    assertNull(cnn.data());
    assertEquals(DataSpec.Format.FASHION_MNIST, cnn.dataOrDefault().format());
    assertFalse(RecipeLoader.toJson(cnn).contains("\"data\""), RecipeLoader.toJson(cnn));
  }

  @Test
  void aRelativePathIsResolvedAgainstTheRecipeFileAndStoredAbsolute() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("configs"));
    Path file = Files.writeString(dir.resolve("photos.yaml"), FOLDER);
    Recipe r = RecipeLoader.load(file);
    assertEquals(tmp.resolve("my-photos").toAbsolutePath().normalize().toString(), r.data().path());
    Recipe back = RecipeLoader.fromJson(RecipeLoader.toJson(r), "json");
    assertEquals(r, back); // checkpoints and manifests keep the absolute path: resume works from any directory
    assertEquals(r.data(), back.data().resolvedAgainst(Path.of("/elsewhere")));
  }

  @Test
  void denseWithoutUnitsIsOneUnitPerClassOnlyAsTheLastLayer() {
    Recipe r = RecipeLoader.parse(FOLDER, "r.yaml");
    Layer.Dense logits = (Layer.Dense) r.model().layers().get(2);
    assertNull(logits.units());
    assertEquals(7, logits.unitsFor(7));
    assertFalse(RecipeLoader.toJson(r).contains("\"units\""));
    FmnistException e = assertThrows(FmnistException.class, () -> RecipeLoader.parse(
        FOLDER.replace("- flatten: {}", "- flatten: {}\n    - dense: {activation: none}"), "r.yaml"));
    assertEquals("r.yaml: model.layers[2].dense.units: is required (only the last layer, the logits, may leave it"
        + " out to mean one unit per class)", e.getMessage());
    e = assertThrows(FmnistException.class, () -> RecipeLoader.parse(
        FOLDER.replace("- dense: {activation: none}", "- dense: {}"), "r.yaml"));
    assertEquals("r.yaml: model.layers[2].units: must be >= 1, found 0", e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "unknown key      | 'channels: 3'          | 'channels: 3\n  colour: yes'  | r.yaml: data.colour: unknown key (known keys here: channels, classes, format, image_size, path, skip_bad_files, split_seed, test_split)",
    "bad format       | 'format: folder'       | 'format: zip'                  | r.yaml: data.format: expected one of folder idx fashion-mnist, found 'zip'",
    "no path          | '  path: ../my-photos\n' | ''                           | r.yaml: data.path: is required for format folder (the dataset directory, relative to the recipe file)",
    "no image size    | '  image_size: [32, 24]\n' | ''                         | r.yaml: data.image_size: is required for format folder (the [height, width] images are resized to), e.g. image_size: [32, 32]",
    "one side         | '[32, 24]'             | '[32]'                         | r.yaml: data.image_size: must be [height, width], found [32]",
    "side too large   | '[32, 24]'             | '[32, 2000]'                   | r.yaml: data.image_size: each side must be 1 to 1024 pixels, found [32, 2000]",
    "side zero        | '[32, 24]'             | '[0, 24]'                      | r.yaml: data.image_size: each side must be 1 to 1024 pixels, found [0, 24]",
    "channels 2       | 'channels: 3'          | 'channels: 2'                  | r.yaml: data.channels: must be 1 (grayscale) or 3 (RGB), found 2",
    "classes folder   | 'channels: 3'          | 'channels: 3\n  classes: [a, b]' | r.yaml: data.classes: only for format idx (a folder's classes are its folder names)",
    "test split one   | 'channels: 3'          | 'channels: 3\n  test_split: 1.0' | r.yaml: data.test_split: must be a fraction in (0, 1), found 1.0",
    "test split zero  | 'channels: 3'          | 'channels: 3\n  test_split: 0'   | r.yaml: data.test_split: must be a fraction in (0, 1), found 0.0",
    "skip text        | 'channels: 3'          | 'channels: 3\n  skip_bad_files: maybe' | r.yaml: data.skip_bad_files: expected true or false",
    "skip idx         | 'format: folder'       | 'format: idx\n  skip_bad_files: true' | r.yaml: data.skip_bad_files: only for format folder (a bad IDX file is never skipped)",
    "one idx class    | 'format: folder'       | 'format: idx\n  classes: [a]'  | r.yaml: data.classes: must list 2 to 256 class names, found 1",
    "twice idx class  | 'format: folder'       | 'format: idx\n  classes: [a, b, a]' | r.yaml: data.classes[2]: 'a' is given twice",
    "fashion resized  | 'format: folder'       | 'format: fashion-mnist'        | r.yaml: data.image_size: Fashion-MNIST is 28x28 grayscale; to resize it, read its files with format: idx",
    "blank path       | 'path: ../my-photos'   | 'path: \" \"'                  | r.yaml: data.path: must name a directory, found ' '",
  })
  void badValuesAreOneLineErrorsNamingTheKey(String what, String from, String to, String expected) {
    String yaml = FOLDER.replace(from, to);
    FmnistException e = assertThrows(FmnistException.class, () -> RecipeLoader.parse(yaml, "r.yaml"));
    assertEquals(ExitCode.BAD_INPUT, ExitCode.of(e));
    assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void idxAndFashionMnistSections() {
    DataSpec idx = RecipeLoader.parse(FOLDER.replace("format: folder", "format: idx")
        .replace("  image_size: [32, 24]\n  channels: 3\n", "  classes: [cat, dog, bird]\n"), "r.yaml").data();
    assertEquals(DataSpec.Format.IDX, idx.format());
    assertEquals(0, idx.height()); // the files decide
    assertEquals(1, idx.channels());
    assertEquals(List.of("cat", "dog", "bird"), idx.classes());
    DataSpec fm = RecipeLoader.parse(FOLDER.replace("format: folder", "format: Fashion-MNIST")
        .replace("  image_size: [32, 24]\n  channels: 3\n", "").replace("  path: ../my-photos\n", ""), "r.yaml").data();
    assertEquals(DataSpec.fashionMnist(), fm);
  }
}
