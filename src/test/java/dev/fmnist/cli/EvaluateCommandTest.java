package dev.fmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.fmnist.testing.TinyDataset;
import dev.fmnist.testing.TinyModels;
import dev.fmnist.testing.TinyModels.OutputStyle;
import dev.fmnist.testing.TinyModels.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {
  @TempDir static Path tmp;
  static Path data;
  static Path model;

  @BeforeAll
  static void setUp() throws Exception {
    // 60 images, every 6th misclassified: 50 correct
    data = TinyDataset.of(60, 6).writeDataset(tmp.resolve("data"));
    model = TinyModels.export(tmp.resolve("savedmodels/band/1"), Spec.fmnist());
  }

  @Test
  void printsTheReportAndWritesJsonAndCsv() throws Exception {
    Path report = tmp.resolve("report");
    CliRun r = CliRun.of("evaluate", model.toString(), "--data-dir", data.toString(),
        "--report-dir", report.toString(), "--batch-size", "16");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("the output holds logits"), r.out());
    assertTrue(r.out().contains("predicted  60 test images in "), r.out());
    assertTrue(r.out().contains("    accuracy                         0.8333        60"), r.out());
    // images 5, 11, 17, ... (every 6th, all of odd classes) have the next class's band brighter
    assertTrue(r.out().contains(" T-shirt/top     0.7500    1.0000    0.8571         6"), r.out());
    assertTrue(r.out().contains("     Trouser     1.0000    0.6667    0.8000         6"), r.out());

    JsonNode j = JsonMapper.builder().build().readTree(report.resolve("evaluation.json").toFile());
    assertEquals(model.toString(), j.get("model").asText());
    assertEquals("test", j.get("split").asText());
    assertEquals(60, j.get("count").asInt());
    assertEquals(50.0 / 60, j.get("accuracy").asDouble(), 1e-12);
    assertEquals(10, j.get("per_class").size());
    assertEquals("Ankle boot", j.get("per_class").get(9).get("name").asText());
    assertEquals(6, j.get("per_class").get(9).get("support").asInt());
    // two of the six Trouser images are predicted as Pullover
    assertEquals(4, j.get("confusion_matrix").get(1).get(1).asInt());
    assertEquals(2, j.get("confusion_matrix").get(1).get(2).asInt());
    for (String key : List.of("macro", "weighted")) {
      assertTrue(j.get(key).has("precision") && j.get(key).has("recall") && j.get(key).has("f1"));
    }
    assertTrue(j.get("log_loss").asDouble() > 0);
    assertTrue(j.has("ece") && j.has("top2_accuracy"));
    // the tiny generated files are not Fashion-MNIST's: the JSON says which files and what they are
    assertTrue(j.path("test_set").path("files").asText().startsWith(data.toString()), j.path("test_set").toString());
    assertFalse(j.path("test_set").path("official").asBoolean(true));
    assertTrue(j.path("test_set").path("verdict").asText().startsWith("not the official test set"), j.toString());
    assertEquals("logits", j.get("output_kind").asText());

    String html = Files.readString(report.resolve("report.html"));
    assertTrue(html.contains("<h1>Evaluation of band/1</h1>"), html);
    assertEquals(4, html.split("data:image/svg\\+xml;base64,", -1).length - 1, "SVG charts");
    assertEquals(1, html.split("data:image/png;base64,", -1).length - 1, "gallery PNG");
    assertTrue(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"),
        "the report must not reach the network");
    for (String chart : List.of("confusion-matrix", "confusion-matrix-normalized",
        "per-class-metrics", "reliability")) {
      assertTrue(Files.size(report.resolve(chart + ".png")) > 1000, chart);
      assertTrue(Files.readString(report.resolve(chart + ".svg")).startsWith("<?xml"), chart);
    }
    assertTrue(Files.size(report.resolve("mistakes.png")) > 1000);

    List<String> csv = Files.readAllLines(report.resolve("predictions.csv"));
    assertEquals(61, csv.size());
    assertTrue(csv.get(0).startsWith("index,true_label,true_name,predicted_label,predicted_name,"
        + "confidence,correct,p_0,"), csv.get(0));
    assertTrue(csv.get(6).startsWith("5,5,Sandal,6,Shirt,"), csv.get(6));
    assertTrue(csv.get(0).endsWith(",p_9,logit_0,logit_1,logit_2,logit_3,logit_4,logit_5,logit_6,logit_7,logit_8,logit_9"),
        "a logits model's CSV carries the logits: " + csv.get(0));
    assertEquals(csv.get(0).split(",").length, csv.get(6).split(",").length);
  }

  @Test
  void noReportWritesOnlyJsonAndCsv() throws Exception {
    Path report = tmp.resolve("report-only-numbers");
    CliRun r = CliRun.of("evaluate", model.toString(), "--data-dir", data.toString(),
        "--report-dir", report.toString(), "--no-report");
    assertEquals(0, r.code(), r.toString());
    try (var files = Files.list(report)) {
      assertEquals(List.of("evaluation.json", "predictions.csv"),
          files.map(f -> f.getFileName().toString()).sorted().toList());
    }
    assertTrue(r.out().matches("(?s).*\ntiming: evaluated [0-9.]+ s, all files written [0-9.]+ s after the JVM started\n"),
        r.out());
  }

  @Test
  void readsAKerasStyleProbabilityOutput() {
    Path keras = TinyModels.export(tmp.resolve("keras"), Spec.fmnist().outputs(OutputStyle.KERAS));
    CliRun r = CliRun.of("evaluate", keras.toString(), "--data-dir", data.toString(),
        "--report-dir", tmp.resolve("keras-report").toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("keras_tensor float32 [-1,28,28,1] -> output_0 float32 [-1,10];"
        + " the output holds probabilities"), r.out());
  }

  @Test
  void refusesAMalformedModelBeforeReadingData() {
    Path bad = TinyModels.export(tmp.resolve("bad"), Spec.fmnist().width(5));
    CliRun r = CliRun.of("evaluate", bad.toString(), "--data-dir", tmp.resolve("nodata").toString());
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().startsWith("error: " + bad + ": the model scores 5 classes, fashion-mnist has 10"), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
  }

  @Test
  void writesTheReportBesideTheModelByDefault() {
    CliRun r = CliRun.of("evaluate", tmp.resolve("savedmodels/band").toString(),
        "--data-dir", data.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(Files.isRegularFile(tmp.resolve("savedmodels/band/1-report/evaluation.json")));
  }
}
