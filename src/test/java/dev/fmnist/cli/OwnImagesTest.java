package dev.fmnist.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.fmnist.testing.GeneratedImages;
import dev.fmnist.testing.TinyDataset;
import dev.fmnist.testing.TinyModels;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on and evaluating against the user's own images, end to end through the CLI: a
 * generated RGB folder set a small CNN learns, its manifest, {@code evaluate --images}, {@code
 * data images}, and {@code predict} next to an absurdly large PNG.
 */
class OwnImagesTest {
  static final String RECIPE = """
      name: colours
      description: coloured squares
      model:
        layers:
          - conv: {filters: 8, kernel: 3, padding: same}
          - maxpool: {size: 2}
          - flatten: {}
          - dense: {activation: none}
      data:
        format: folder
        path: photos
        image_size: [16, 16]
        channels: 3
      training:
        epochs: 6
        batch_size: 16
        seed: 3
        validation_split: 0
        adam: {learning_rate: 0.01}
      """;
  static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path tmp;
  static Path recipe;
  static Path model;
  static CliRun train;

  @BeforeAll
  static void trainOnAFolderOfPhotos() throws Exception {
    GeneratedImages.colourSquares(tmp.resolve("photos"), 40, 15, 11);
    Files.writeString(tmp.resolve("photos/train/red/notes.txt"), "ignored: not an image name");
    recipe = Files.writeString(tmp.resolve("colours.yaml"), RECIPE);
    train = CliRun.of("train", "--config", recipe.toString(), "--out", tmp.resolve("savedmodels").toString(),
        "--run-dir", tmp.resolve("runs/colours").toString(), "--threads", "2");
    model = tmp.resolve("savedmodels/colours/1");
  }

  @Test
  void aSmallCnnLearnsTheFolderSetAndItsManifestRecordsTheDataset() throws Exception {
    assertEquals(0, train.code(), train.toString());
    assertTrue(train.out().contains("reading 165 images from " + tmp.resolve("photos")), train.out());
    assertTrue(train.out().contains("dataset: folder " + tmp.resolve("photos") + ": 165 files, 16x16x3 images, 3 classes"
        + " (blue, green, red); 120 training / 45 test images"), train.out());
    assertTrue(train.out().matches("(?s).*\ncontent SHA-256: test [0-9a-f]{64}, train [0-9a-f]{64}\n.*"), train.out());
    JsonNode m = JSON.readTree(model.resolve("assets.extra/fmnist.json").toFile());
    double accuracy = m.path("metrics").path("test_accuracy").asDouble();
    assertTrue(accuracy > 0.9, "test accuracy " + accuracy);
    assertEquals(List.of("blue", "green", "red"), JSON.convertValue(m.get("class_names"), List.class));
    assertEquals(16, m.path("input").path("height").asInt());
    assertEquals(3, m.path("input").path("channels").asInt());
    JsonNode d = m.path("dataset");
    assertEquals("folder", d.path("format").asText());
    assertEquals(tmp.resolve("photos").toString(), d.path("source").asText());
    assertEquals(165, d.path("files").asInt());
    assertEquals(0, d.path("skipped_files").asInt());
    assertEquals(64, m.path("dataset_sha256").path("train").asText().length());
    assertEquals(tmp.resolve("photos").toString(), m.path("config").path("data").path("path").asText());
    assertTrue(m.path("signature").asText().contains("[-1,16,16,3]"), m.path("signature").asText());
  }

  @Test
  void evaluateOnTheTestFolderGivesTheManifestAccuracyAndNamesTheImages() throws Exception {
    Path json = tmp.resolve("eval.json");
    CliRun r = CliRun.of("evaluate", model.toString(), "--images", tmp.resolve("photos/test").toString(),
        "--json", json.toString(), "--report-dir", tmp.resolve("eval-report").toString());
    assertEquals(0, r.code(), r.toString());
    JsonNode j = JSON.readTree(json.toFile());
    JsonNode m = JSON.readTree(model.resolve("assets.extra/fmnist.json").toFile());
    assertEquals(m.path("metrics").path("test_accuracy").asDouble(), j.path("accuracy").asDouble(), 0.0);
    assertEquals("images", j.path("split").asText());
    assertEquals(tmp.resolve("photos/test").toString(), j.path("dataset").asText());
    assertEquals(tmp.resolve("photos/test") + "/ (45 image files)", j.path("test_set").path("files").asText());
    assertFalse(j.path("test_set").path("official").asBoolean(true));
    String html = Files.readString(tmp.resolve("eval-report/report.html"));
    assertTrue(html.contains("on the images of " + tmp.resolve("photos/test")), html.substring(0, 2000));
    assertTrue(Files.exists(tmp.resolve("eval-report/mistakes.png")));
  }

  @Test
  void noOutputIsWrittenInsideTheImagesFolder() throws Exception {
    assertJsonOverAnImageIsRefused("red", "--images", tmp.resolve("photos/test").toString());
  }

  @Test
  void noOutputIsWrittenInsideTheDatasetTheModelWasTrainedOn() throws Exception {
    assertJsonOverAnImageIsRefused("blue"); // no --images: the model's own test set, photos/test
  }

  /** {@code evaluate --json} naming an image of photos/test/CLASS is refused before the evaluation; the image stays. */
  private static void assertJsonOverAnImageIsRefused(String className, String... more) throws Exception {
    Path image;
    try (var files = Files.list(tmp.resolve("photos/test").resolve(className))) {
      image = files.sorted().findFirst().orElseThrow();
    }
    byte[] before = Files.readAllBytes(image);
    Path csv = tmp.resolve(className + "-inside.csv");
    CliRun r = CliRun.of(TrainCommandTest.concat(new String[] {"evaluate", model.toString(), "--no-report", "--json",
        image.toString(), "--csv", csv.toString()}, more));
    assertEquals(ExitCode.IO_FAILURE, r.code(), r.toString());
    assertTrue(r.err().contains(image + ": ") && r.err().contains("which this command reads"), r.err());
    assertFalse(r.out().contains("accuracy"), "refused before evaluating: " + r.out());
    assertArrayEquals(before, Files.readAllBytes(image));
    assertFalse(Files.exists(csv));
  }

  @Test
  void trainingIntoTheDatasetFolderIsRefusedBeforeItStarts() {
    CliRun r = CliRun.of("train", "--config", recipe.toString(), "--out", tmp.resolve("savedmodels-in").toString(),
        "--run-dir", tmp.resolve("photos/train/red/run").toString(), "--threads", "2");
    assertEquals(ExitCode.IO_FAILURE, r.code(), r.toString());
    assertTrue(r.err().contains("which this command reads"), r.err());
    assertFalse(r.out().contains("Epoch 1/"), r.out());
    assertFalse(Files.exists(tmp.resolve("photos/train/red/run")));
    // beside train/ and test/ is not inside the dataset: a recipe whose data.path is the project folder keeps runs/ there
    CliRun beside = CliRun.of("train", "--config", recipe.toString(), "--out", tmp.resolve("photos/models").toString(),
        "--run-dir", tmp.resolve("photos/runs/colours").toString(), "--threads", "2", "--epochs", "1");
    assertEquals(0, beside.code(), beside.toString());
  }

  @Test
  void withoutImagesTheModelIsEvaluatedOnItsOwnDatasetsTestSet() throws Exception {
    CliRun r = CliRun.of("evaluate", model.toString(), "--no-report", "--json", tmp.resolve("own.json").toString(),
        "--csv", tmp.resolve("own.csv").toString());
    assertEquals(0, r.code(), r.toString());
    JsonNode j = JSON.readTree(tmp.resolve("own.json").toFile());
    assertTrue(j.path("test_set").path("files").asText().startsWith(tmp.resolve("photos").toString()), j.toString());
    assertFalse(j.path("test_set").path("official").asBoolean(true));
    assertTrue(r.out().contains("reading 45 images from " + tmp.resolve("photos/test")), r.out());
    assertTrue(r.out().contains("equals the test_accuracy recorded in the manifest"), r.out());
  }

  @Test
  void compareTakesTheImagesOptionToo() {
    CliRun r = CliRun.of("compare", model.toString(), model.toString(), "--images",
        tmp.resolve("photos/test").toString(), "--report-dir", tmp.resolve("compare").toString(), "--resamples", "50");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("compared on 45 images of " + tmp.resolve("photos/test")), r.out());
  }

  @Test
  void unknownFolderNamesAreAnErrorNamingThem() throws Exception {
    Path dir = tmp.resolve("unknown");
    GeneratedImages.colourSquares(dir, 2, 0, 1);
    Files.move(dir.resolve("train/green"), dir.resolve("train/purple"));
    CliRun r = CliRun.of("evaluate", model.toString(), "--images", dir.resolve("train").toString());
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
    assertEquals("error: " + dir.resolve("train") + ": folder purple matches no class of the model (name each folder"
        + " by a label 0-2 or a class name: blue, green, red)\n", r.err());
  }

  @Test
  void aBadFileInTheRecipesFolderIsOneLineAndExitCode2() throws Exception {
    Path photos = GeneratedImages.colourSquares(tmp.resolve("bad-photos"), 3, 2, 2);
    Path bad = Files.writeString(photos.resolve("test/blue/001.png"), "<html>not an image</html>");
    Path r2 = Files.writeString(tmp.resolve("bad.yaml"), RECIPE.replace("path: photos", "path: bad-photos"));
    CliRun r = CliRun.of("train", "--config", r2.toString(), "--out", tmp.resolve("bad-out").toString(),
        "--run-dir", tmp.resolve("runs/bad").toString());
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
    assertEquals("error: " + bad + ": not a PNG or JPEG image (data.skip_bad_files: true skips such files)\n", r.err());
    assertFalse(Files.exists(tmp.resolve("bad-out")));
  }

  @Test
  void skippedFilesAreListedInTheLogAndCountedInTheManifest() throws Exception {
    Path photos = GeneratedImages.colourSquares(tmp.resolve("skip-photos"), 4, 0, 4);
    Path bad = Files.writeString(photos.resolve("train/green/001.png"), "truncated");
    Path r2 = Files.writeString(tmp.resolve("skip.yaml"), RECIPE.replace("path: photos", "path: skip-photos")
        .replace("channels: 3", "channels: 3\n  skip_bad_files: true\n  test_split: 0.25").replace("epochs: 6",
            "epochs: 1"));
    CliRun r = CliRun.of("train", "--config", r2.toString(), "--out", tmp.resolve("skip-out").toString(),
        "--run-dir", tmp.resolve("runs/skip").toString(), "--threads", "2");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("test set: 25% of each class of train/ held out (no test/ folder), split seed 0\n"
        + "skipped 1 bad file (data.skip_bad_files):\n  " + bad + ": not a PNG or JPEG image\n"), r.out());
    JsonNode d = JSON.readTree(tmp.resolve("skip-out/colours/1/assets.extra/fmnist.json").toFile()).path("dataset");
    assertEquals(1, d.path("skipped_files").asInt());
    assertEquals(bad + ": not a PNG or JPEG image", d.path("skipped").get(0).asText());
    assertEquals(0.25, d.path("test_split").path("fraction").asDouble());
    assertEquals(11, d.path("files").asInt());
    assertEquals(3, d.path("test_count").asInt());
  }

  @Test
  void predictAnswersTheOtherFilesWhenOneIsA30000x30000Png() throws Exception {
    Path huge = GeneratedImages.hugePng(tmp.resolve("huge.png"), 30000, 30000);
    Path red = tmp.resolve("photos/test/red/000.png");
    CliRun r = CliRun.of("predict", model.toString(), huge.toString(), red.toString(), "--top", "1");
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
    assertEquals("error: " + huge + ": image is 30000x30000 pixels (width x height); fmnist reads images of at most"
        + " 16384 pixels per side and 100 megapixels\n", r.err());
    assertTrue(r.out().startsWith(red + ": red "), r.out());
  }

  @Test
  void dataSamplesDrawsTheRecipesOwnDatasetInColour() throws Exception {
    Path out = tmp.resolve("colour-samples");
    CliRun r = CliRun.of("data", "samples", "--config", recipe.toString(), "--out", out.toString(), "--per-class", "4");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("wrote " + out.resolve("samples.png")), r.out());
    BufferedImage grid = ImageIO.read(out.resolve("samples.png").toFile());
    // three rows of 16x16 images enlarged 3 times, not Fashion-MNIST's ten rows of 28x28
    assertTrue(grid.getHeight() > 3 * 16 * 3 && grid.getHeight() < 10 * 28 * 3, grid.getWidth() + "x" + grid.getHeight());
    int[] saturated = new int[3]; // pixels of the squares' blue, green and red, as drawn
    for (int y = 0; y < grid.getHeight(); y++) {
      for (int x = 0; x < grid.getWidth(); x++) {
        int rgb = grid.getRGB(x, y);
        int red = rgb >> 16 & 0xff;
        int green = rgb >> 8 & 0xff;
        int blue = rgb & 0xff;
        saturated[0] += blue > 150 && red < 90 && green < 110 ? 1 : 0;
        saturated[1] += green > 140 && red < 90 && blue < 110 ? 1 : 0;
        saturated[2] += red > 150 && green < 90 && blue < 90 ? 1 : 0;
      }
    }
    assertTrue(saturated[0] > 0 && saturated[1] > 0 && saturated[2] > 0, java.util.Arrays.toString(saturated));
    assertEquals(900, ImageIO.read(out.resolve("pixel-histogram.png").toFile()).getWidth());
  }

  @Test
  void dataSamplesRefusesAGridOverTheLimitBeforeDrawingAndANoRecipeInOneLine() throws Exception {
    Path root = GeneratedImages.colourSquares(tmp.resolve("big-photos"), 1, 1, 5);
    Path big = Files.writeString(tmp.resolve("big.yaml"), RECIPE.replace("path: photos", "path: big-photos")
        .replace("image_size: [16, 16]", "image_size: [1024, 1024]"));
    Path out = tmp.resolve("big-samples");
    CliRun r = CliRun.of("data", "samples", "--config", big.toString(), "--out", out.toString(), "--per-class", "100",
        "--scale", "10");
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
    assertEquals("error: --per-class 100, --scale 10: 3 classes of 1024x1024x3 images make a grid of 31,481,860,800"
        + " pixels, more than 100,000,000; lower --scale or --per-class\n", r.err());
    assertFalse(r.out().contains("reading "), r.out()); // refused from the folders and the recipe: no image read
    assertFalse(Files.exists(out.resolve("samples.png")));
    // the recipe is an input: an output at its path is refused and the recipe stays as it was
    Path asOutput = Files.createDirectories(tmp.resolve("outputs"));
    Path recipe = Files.copy(big, asOutput.resolve("pixel-histogram.png"));
    CliRun over = CliRun.of("data", "samples", "--config", recipe.toString(), "--out", asOutput.toString());
    assertEquals(ExitCode.IO_FAILURE, over.code(), over.toString());
    assertEquals(Files.readString(big), Files.readString(recipe));
    CliRun missing = CliRun.of("data", "samples", "--config", tmp.resolve("no-such.yaml").toString(), "--out",
        out.toString());
    assertEquals(ExitCode.BAD_INPUT, missing.code(), missing.toString());
    assertEquals(1, missing.err().lines().count(), missing.err());
    CliRun inside = CliRun.of("data", "samples", "--config", big.toString(), "--out", root.resolve("train").toString());
    assertEquals(ExitCode.IO_FAILURE, inside.code(), inside.toString());
    assertFalse(Files.exists(root.resolve("train/samples.png")));
  }

  @Test
  void dataImagesThenEvaluateImagesGivesTheTestSetAccuracyExactly() throws Exception {
    Path data = TinyDataset.of(60, 6).writeDataset(tmp.resolve("tiny-data"));
    Path band = TinyModels.export(tmp.resolve("tiny-models/band/1"), TinyModels.Spec.fmnist());
    Path out = tmp.resolve("tiny-images");
    CliRun w = CliRun.of("data", "images", "--data-dir", data.toString(), "--out", out.toString(), "--split", "test");
    assertEquals(0, w.code(), w.toString());
    assertEquals("wrote 60 images of 28x28x1 to " + out.resolve("test") + "/ (10 class folders)\n", w.out());
    assertTrue(Files.isRegularFile(out.resolve("test/T-shirt_top/00000.png")));
    assertTrue(Files.isRegularFile(out.resolve("test/Trouser/00001.png")));
    assertFalse(Files.exists(out.resolve("train")));
    CliRun again = CliRun.of("data", "images", "--data-dir", data.toString(), "--out", out.toString(), "--split", "test");
    assertEquals(ExitCode.BAD_INPUT, again.code());
    assertEquals("error: --out: " + out.resolve("test") + " exists already; remove it or choose another --out\n",
        again.err());

    Path a = tmp.resolve("a.json");
    Path b = tmp.resolve("b.json");
    assertEquals(0, CliRun.of("evaluate", band.toString(), "--data-dir", data.toString(), "--json", a.toString(),
        "--no-report", "--csv", tmp.resolve("a.csv").toString()).code());
    CliRun e = CliRun.of("evaluate", band.toString(), "--images", out.resolve("test").toString(), "--json",
        b.toString(), "--no-report", "--csv", tmp.resolve("b.csv").toString());
    assertEquals(0, e.code(), e.toString());
    JsonNode ja = JSON.readTree(a.toFile());
    JsonNode jb = JSON.readTree(b.toFile());
    assertEquals(ja.path("accuracy").asDouble(), jb.path("accuracy").asDouble(), 0.0);
    assertEquals(ja.path("confusion_matrix"), jb.path("confusion_matrix"));
    assertEquals(ja.path("log_loss").asDouble(), jb.path("log_loss").asDouble(), 1e-12);
  }

  @Test
  void theDataSectionsPathIsRelativeToTheRecipeNotTheWorkingDirectory() throws Exception {
    Path elsewhere = Files.createDirectories(tmp.resolve("configs/nested"));
    Path moved = Files.writeString(elsewhere.resolve("colours.yaml"), RECIPE.replace("path: photos",
        "path: ../../photos").replace("epochs: 6", "epochs: 1"));
    CliRun r = CliRun.of("train", "--config", moved.toString(), "--out", tmp.resolve("rel-out").toString(),
        "--run-dir", tmp.resolve("runs/rel").toString(), "--threads", "2");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("from " + tmp.resolve("photos")), r.out());
    // export from the run directory reads the recipe's (absolute) path from the checkpoint
    CliRun x = CliRun.of("export", "--run-dir", tmp.resolve("runs/rel").toString(), "--out",
        tmp.resolve("rel-out2").toString());
    assertEquals(0, x.code(), x.toString());
  }
}
