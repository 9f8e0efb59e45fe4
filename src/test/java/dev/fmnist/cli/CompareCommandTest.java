package dev.fmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.fmnist.testing.TinyDataset;
import dev.fmnist.testing.TinyModels;
import dev.fmnist.testing.TinyModels.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {
  @TempDir static Path tmp;
  static Path data;
  static Path a;
  static Path b;

  @BeforeAll
  static void setUp() throws Exception {
    // 60 images; images 11 and 41 (class Trouser) are the baseline's only Trouser mistakes
    data = TinyDataset.of(60, 6).writeDataset(tmp.resolve("data"));
    a = TinyModels.export(tmp.resolve("a/1"), Spec.fmnist());
    b = TinyModels.export(tmp.resolve("b/1"), Spec.fmnist().favouring(1));
  }

  @Test
  void comparesTwoModelsWithIntervalsAndMcNemar() throws Exception {
    Path report = tmp.resolve("cmp");
    CliRun r = CliRun.of("compare", a.toString(), b.toString(), "--data-dir", data.toString(),
        "--report-dir", report.toString(), "--resamples", "200");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().contains("a/1: accuracy 0.8333"), r.out());
    assertTrue(r.out().contains("b/1: accuracy 0.8667"), r.out());
    // b fixes two images and breaks none: exact p = 2 * (1/2)^2 = 0.5
    assertTrue(r.out().matches("(?s).*a/1\\s+b/1\\s+50\\s+0\\s+2\\s+8\\s+0\\.5000\\n.*"), r.out());
    assertTrue(r.out().matches("(?s).*Trouser\\s+0\\.6667\\s+1\\.0000\\s+\\+0\\.3333\\n.*"), r.out());

    JsonNode j = JsonMapper.builder().build().readTree(report.resolve("comparison.json").toFile());
    assertEquals(200, j.get("bootstrap_resamples").asInt());
    assertEquals(2, j.get("models").size());
    JsonNode ci = j.get("models").get(1).get("accuracy_ci95");
    assertTrue(ci.get(0).asDouble() <= 52.0 / 60 && 52.0 / 60 <= ci.get(1).asDouble(), ci.toString());
    assertEquals(0.5, j.get("mcnemar").get(0).get("p_value").asDouble(), 1e-12);
    String html = Files.readString(report.resolve("report.html"));
    assertTrue(html.contains("McNemar"), html);
    assertEquals(2, html.split("data:image/svg\\+xml;base64,", -1).length - 1);
    assertTrue(Files.size(report.resolve("accuracy-f1.png")) > 1000);
    assertTrue(Files.size(report.resolve("difference-1.svg")) > 1000);
  }

  @Test
  void needsTwoModels() {
    CliRun r = CliRun.of("compare", a.toString(), "--data-dir", data.toString());
    assertEquals(2, r.code(), r.toString());
    assertTrue(r.err().startsWith("error: "), r.err());
  }

  /** The same option, the same check and message as in evaluate, before any model is read. */
  @Test
  void batchSizeBelowOneIsRefusedNamingTheOption() {
    Cli r = Cli.run("compare", a.toString(), tmp.resolve("no-such-model").toString(), "--batch-size", "0");
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
    assertEquals("error: --batch-size: must be 1 to 65536, found 0", r.errorLine());
  }

  @Test
  void refusesAnyMalformedModelBeforeEvaluating() {
    Path bad = TinyModels.export(tmp.resolve("bad"), Spec.fmnist().signature("other"));
    CliRun r = CliRun.of("compare", a.toString(), bad.toString(), "--data-dir", data.toString());
    assertEquals(2, r.code(), r.toString());
    assertEquals("error: " + bad + ": no signature 'serving_default' (found: other); choose one"
        + " with --signature\n", r.err());
    assertEquals("", r.out());
  }
}
