package dev.fmnist.cli;

import static dev.fmnist.testing.TinyOnnxModels.FLOAT;
import static dev.fmnist.testing.TinyOnnxModels.N;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.fmnist.testing.TestImages;
import dev.fmnist.testing.TinyDataset;
import dev.fmnist.testing.TinyModels;
import dev.fmnist.testing.TinyModels.Spec;
import dev.fmnist.testing.TinyOnnxModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate}, {@code compare}, {@code predict} and {@code explain} on {@code .onnx} files. */
class OnnxCommandsTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path tmp;
  static Path data;
  static Path nchw;

  @BeforeAll
  static void setUp() throws Exception {
    // 60 images, every 6th misclassified by the band model: 50 correct
    data = TinyDataset.of(60, 6).writeDataset(tmp.resolve("data"));
    nchw = TinyOnnxModels.write(tmp.resolve("models/band.onnx"),
        TinyOnnxModels.band("input", new Object[] {N, 1L, 28L, 28L}, false));
  }

  @Test
  void evaluatesAnNchwModelWithTheSameReportAsASavedModel() throws Exception {
    CliRun r = CliRun.of("evaluate", nchw.toString(), "--data-dir", data.toString(), "--batch-size", "16");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("model      " + nchw + " (band, ONNX)"), r.out());
    assertTrue(r.out().contains("signature  onnx (IR 8, opset 17, fmnist tests 1): input float32"
        + " [-1,1,28,28] -> logits float32 [-1,10]; the output holds logits"), r.out());
    assertTrue(r.out().contains("    accuracy                         0.8333        60"), r.out());
    Path report = tmp.resolve("models/band-report");
    JsonNode j = JSON.readTree(report.resolve("evaluation.json").toFile());
    assertEquals(nchw.toString(), j.get("model").asText());
    assertEquals(50.0 / 60, j.get("accuracy").asDouble(), 1e-12);
    assertEquals("onnx", j.get("model_format").asText());
    assertEquals(nchw.toString(), j.get("model_file").asText());
    assertFalse(j.has("saved_model_dir"));
    assertFalse(j.has("manifest_test_accuracy"));
    assertEquals("logits", j.get("output_kind").asText());
    assertEquals("Ankle boot", j.get("per_class").get(9).get("name").asText()); // from the dataset
    String html = Files.readString(report.resolve("report.html"));
    assertTrue(html.contains("<h1>Evaluation of band</h1>"), html);
    assertTrue(html.contains("An ONNX model has no fmnist manifest."), html);
    assertTrue(html.contains("<td>Model format</td><td>ONNX</td>"), html);
    for (String chart : List.of("confusion-matrix", "confusion-matrix-normalized", "per-class-metrics",
        "reliability")) {
      assertTrue(Files.size(report.resolve(chart + ".png")) > 1000, chart);
    }
    assertEquals(61, Files.readAllLines(report.resolve("predictions.csv")).size());
  }

  @Test
  void evaluatesAProbabilityModel() {
    Path p = TinyOnnxModels.write(tmp.resolve("p/probabilities.onnx"), TinyOnnxModels.bandProbabilities());
    CliRun r = CliRun.of("evaluate", p.toString(), "--data-dir", data.toString(), "--no-report");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("the output holds probabilities"), r.out());
    assertTrue(r.out().contains("    accuracy                         0.8333        60"), r.out());
  }

  @Test
  void refusesModelsThatDoNotFitWithExitTwoAndOneLine() {
    Path cifar = TinyOnnxModels.write(tmp.resolve("bad/cifar.onnx"),
        TinyOnnxModels.linear(new Object[] {N, 3L, 32L, 32L}, FLOAT));
    Path corrupt = TinyOnnxModels.write(tmp.resolve("bad/corrupt.onnx"), "{\"not\": \"onnx\"}".getBytes());
    Path custom = TinyOnnxModels.write(tmp.resolve("bad/custom.onnx"),
        TinyOnnxModels.bandWithCustomOp("com.example", true));
    record Case(List<String> args, String error) {}
    for (Case c : List.of(
        new Case(List.of("evaluate", cifar.toString()), "error: " + cifar + ": the model's input is"
            + " [-1,3,32,32], the fashion-mnist images are 28x28x1 (height x width x channels)\n"),
        new Case(List.of("evaluate", corrupt.toString()), "error: " + corrupt + ": not an ONNX model ("),
        new Case(List.of("evaluate", custom.toString()), "error: " + custom + ": refused: ops outside the"
            + " standard ONNX domains (ai.onnx, ai.onnx.ml, com.microsoft): com.example:Scale"),
        new Case(List.of("evaluate", nchw.toString(), "--signature", "serving_default"),
            "error: " + nchw + ": an ONNX model has no signatures"),
        new Case(List.of("predict", custom.toString(), "x.png"), "error: " + custom + ": refused: "),
        new Case(List.of("compare", nchw.toString(), corrupt.toString()), "error: " + corrupt + ": not an"))) {
      List<String> args = new java.util.ArrayList<>(c.args());
      if (!args.get(0).equals("predict")) {
        args.addAll(List.of("--data-dir", data.toString()));
      }
      CliRun r = CliRun.of(args.toArray(String[]::new));
      assertEquals(2, r.code(), r.toString());
      assertTrue(r.err().startsWith(c.error()), r.toString());
      assertEquals(1, r.err().lines().count(), r.toString());
    }
    CliRun trusted = CliRun.of("evaluate", custom.toString(), "--trust-model", "--data-dir", data.toString(),
        "--no-report");
    assertEquals(0, trusted.code(), trusted.toString());
    assertTrue(trusted.out().contains("    accuracy                         0.8333        60"), trusted.out());
  }

  @Test
  void comparesAnOnnxModelWithASavedModel() throws Exception {
    Path saved = TinyModels.export(tmp.resolve("savedmodels/band/1"), Spec.fmnist());
    Path out = tmp.resolve("compare");
    CliRun r = CliRun.of("compare", saved.toString(), nchw.toString(), "--data-dir", data.toString(),
        "--report-dir", out.toString(), "--resamples", "50", "--signature", "serving_default");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("band/1: accuracy 0.8333"), r.out());
    assertTrue(r.out().contains("band: accuracy 0.8333"), r.out());
    JsonNode j = JSON.readTree(out.resolve("comparison.json").toFile());
    assertEquals("savedmodel", j.get("models").get(0).get("format").asText());
    assertEquals("onnx", j.get("models").get(1).get("format").asText());
    JsonNode pair = j.get("mcnemar").get(0);
    assertEquals(0, pair.get("only_a_correct").asInt() + pair.get("only_b_correct").asInt(), pair.toString());
  }

  @Test
  void predictsImageFiles() throws Exception {
    Path png = TestImages.write(TestImages.bandPhoto(7), "png", tmp.resolve("sneaker.png"));
    CliRun r = CliRun.of("predict", nchw.toString(), png.toString(), "--json", "--top", "1");
    assertEquals(0, r.code(), r.toString());
    JsonNode top = JSON.readTree(r.out()).get(0).get("top").get(0);
    assertEquals(7, top.get("label").asInt(), r.out());
    assertTrue(top.get("probability").asDouble() > 0.5, r.out());
  }

  @Test
  void explainsWithFiniteDifferencesAndSaysSo() throws Exception {
    Path out = tmp.resolve("explain");
    CliRun r = CliRun.of("explain", nchw.toString(), "--test-index", "3", "--data-dir", data.toString(),
        "--out", out.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("saliency maps by finite differences only: fmnist does not differentiate"
        + " ONNX models, so no Grad-CAM"), r.out());
    assertTrue(Files.size(out.resolve("test-3.png")) > 1000);
  }
}
