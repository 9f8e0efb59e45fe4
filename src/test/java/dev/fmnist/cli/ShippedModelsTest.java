package dev.fmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.fmnist.data.FashionMnist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fmnist evaluate} on every model shipped in {@code savedmodels/} reproduces the test
 * accuracy its manifest recorded at export, exactly. Skipped when no model is shipped or the real
 * dataset is not installed.
 */
class ShippedModelsTest {
  private static final List<Path> DATA_DIRS =
      List.of(Path.of("data/fashion-mnist"), Path.of("/usr/share/datasets/fashion-mnist"));

  @TempDir Path tmp;

  @TestFactory
  Stream<DynamicTest> evaluateReproducesTheManifestAccuracy() throws Exception {
    Path data = DATA_DIRS.stream().filter(FashionMnist::isComplete).findFirst().orElse(null);
    assumeTrue(data != null, "the Fashion-MNIST test set is not installed");
    Path root = Path.of("savedmodels");
    List<Path> manifests;
    try (Stream<Path> s = Files.exists(root) ? Files.walk(root, 4) : Stream.empty()) {
      manifests = s.filter(p -> p.endsWith(Path.of("assets.extra", "fmnist.json"))).sorted().toList();
    }
    assumeTrue(!manifests.isEmpty(), "no models shipped in savedmodels/");
    return manifests.stream().map(m -> DynamicTest.dynamicTest(m.getParent().getParent().toString(),
        () -> {
          Path model = m.getParent().getParent();
          double recorded = JsonMapper.builder().build().readTree(m.toFile())
              .path("metrics").path("test_accuracy").asDouble(Double.NaN);
          Path json = tmp.resolve(model.toString().replace('/', '_') + ".json");
          CliRun r = CliRun.of("evaluate", model.toString(), "--data-dir", data.toString(),
              "--report-dir", tmp.resolve("r").toString(), "--json", json.toString());
          assertEquals(0, r.code(), r.toString());
          JsonNode j = JsonMapper.builder().build().readTree(json.toFile());
          assertEquals(recorded, j.get("accuracy").asDouble(), 0.0, r.out());
        }));
  }

  /**
   * The test set written as PNG files by {@code data images} and read back by {@code evaluate
   * --images} gives the shipped cnn exactly its test-set accuracy and confusion matrix: the same
   * pixels, the same labels, the same predictions.
   */
  @org.junit.jupiter.api.Test
  void evaluateOnThePngExportOfTheTestSetGivesTheTestAccuracyExactly() throws Exception {
    Path data = DATA_DIRS.stream().filter(FashionMnist::isComplete).findFirst().orElse(null);
    assumeTrue(data != null, "the Fashion-MNIST test set is not installed");
    Path model = Path.of("savedmodels/cnn/1");
    assumeTrue(Files.isDirectory(model), "savedmodels/cnn/1 is not shipped");
    Path images = tmp.resolve("fm-images");
    CliRun w = CliRun.of("data", "images", "--data-dir", data.toString(), "--out", images.toString(), "--split", "test");
    assertEquals(0, w.code(), w.toString());
    Path direct = tmp.resolve("direct.json");
    Path viaPng = tmp.resolve("png.json");
    CliRun a = CliRun.of("evaluate", model.toString(), "--data-dir", data.toString(), "--no-report",
        "--json", direct.toString(), "--csv", tmp.resolve("direct.csv").toString());
    assertEquals(0, a.code(), a.toString());
    CliRun b = CliRun.of("evaluate", model.toString(), "--images", images.resolve("test").toString(), "--no-report",
        "--json", viaPng.toString(), "--csv", tmp.resolve("png.csv").toString());
    assertEquals(0, b.code(), b.toString());
    JsonNode ja = JsonMapper.builder().build().readTree(direct.toFile());
    JsonNode jb = JsonMapper.builder().build().readTree(viaPng.toFile());
    assertEquals(10_000, jb.get("count").asInt());
    assertEquals(ja.get("accuracy").asDouble(), jb.get("accuracy").asDouble(), 0.0);
    assertEquals(ja.get("confusion_matrix"), jb.get("confusion_matrix"));
  }
}
