package dev.fmnist.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.fmnist.testing.TestImages;
import dev.fmnist.testing.TinyModels;
import dev.fmnist.testing.TinyModels.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictCommandTest {
  @TempDir static Path tmp;
  static Path model;
  static Path png;
  static Path jpg;
  static Path txt;

  @BeforeAll
  static void setUp() throws Exception {
    model = TinyModels.export(tmp.resolve("band/1"), Spec.fmnist());
    png = TestImages.write(TestImages.bandPhoto(7), "png", tmp.resolve("sneaker.png"));
    jpg = TestImages.write(TestImages.bandPhoto(2), "jpg", tmp.resolve("pullover.jpg"));
    txt = Files.writeString(tmp.resolve("notes.txt"), "not an image\n");
  }

  @Test
  void printsTheTopThreeClassesPerImage() {
    CliRun r = CliRun.of("predict", model.toString(), png.toString(), jpg.toString());
    assertEquals(0, r.code(), r.toString());
    String[] lines = r.out().split("\n");
    assertEquals(2, lines.length, r.out());
    assertTrue(lines[0].matches(png + ": Sneaker 0\\.[5-9]\\d\\d, [A-Za-z /-]+ 0\\.0\\d\\d, [A-Za-z /-]+ 0\\.0\\d\\d"
        + "  \\(light background, negated\\)"), lines[0]);
    assertTrue(lines[1].startsWith(jpg + ": Pullover "), lines[1]);
  }

  @Test
  void aFileThatIsNotAnImageGetsOneErrorLineAndTheOthersTheirAnswer() throws Exception {
    CliRun r = CliRun.of("predict", model.toString(), txt.toString(), png.toString(), "--json");
    assertEquals(2, r.code(), r.toString());
    assertEquals("error: " + txt + ": not a PNG or JPEG image\n", r.err());
    JsonNode j = JsonMapper.builder().build().readTree(r.out());
    assertEquals(2, j.size());
    assertEquals(txt + ": not a PNG or JPEG image", j.get(0).get("error").asText());
    assertEquals(7, j.get(1).get("top").get(0).get("label").asInt());
    assertEquals("Sneaker", j.get(1).get("top").get(0).get("name").asText());
    assertEquals(3, j.get(1).get("top").size());
    assertTrue(j.get(1).get("inverted").asBoolean());
  }

  @Test
  void savesTheConvertedInputsWhenAsked() {
    Path dir = tmp.resolve("inputs");
    CliRun r = CliRun.of("predict", model.toString(), png.toString(), "--top", "1",
        "--save-inputs", dir.toString());
    assertEquals(0, r.code(), r.toString());
    assertTrue(Files.isRegularFile(dir.resolve("0-sneaker.png")));
  }

  @Test
  void aSavedInputNeverReplacesAnImageBeingClassified() throws Exception {
    // input 0 (x.png) would be saved as 0-x.png, which is input 1
    Path dir = Files.createDirectories(tmp.resolve("clash"));
    Path first = Files.copy(png, dir.resolve("x.png"));
    Path second = Files.copy(png, dir.resolve("0-x.png"));
    byte[] before = Files.readAllBytes(second);
    CliRun r = CliRun.of("predict", model.toString(), first.toString(), second.toString(), "--save-inputs",
        dir.toString());
    assertEquals(ExitCode.IO_FAILURE, r.code(), r.toString());
    assertTrue(r.err().contains(second + ": ") && r.err().contains("which this command reads"), r.err());
    assertArrayEquals(before, Files.readAllBytes(second));
  }
}
