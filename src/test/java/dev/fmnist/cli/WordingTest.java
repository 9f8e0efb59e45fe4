package dev.fmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.TestData;
import dev.fmnist.report.MetricCharts;
import dev.fmnist.savedmodel.LearningCurves;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.Tick;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.title.Title;
import org.jfree.chart.ui.RectangleEdge;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 17, class 6: messages that say what they mean, in the right number, without library jargon. */
class WordingTest {
  @TempDir static Path tmp;
  static Path data;

  static final String MLP = """
      name: tiny
      model:
        layers:
          - flatten: {}
          - dense: {units: UNITS}
          - dense: {units: 10, activation: none}
      training: {epochs: 1, batch_size: 50, seed: 5, validation_split: 0, adam: {learning_rate: 0.01}}
      """;

  @BeforeAll
  static void setUp() throws Exception {
    data = TestData.writeDataset(tmp.resolve("data"), TestData.separable(100, 1), TestData.separable(50, 2));
  }

  private static Cli train(Path recipe, String run, String... more) {
    List<String> args = new ArrayList<>(List.of("train", "--config", recipe.toString(), "--data-dir", data.toString(),
        "--out", tmp.resolve(run + "-models").toString(), "--run-dir", tmp.resolve(run).toString(), "--threads", "1",
        "--no-tensorboard"));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void oneEpochIsOneEpochAfterTrainingResumingAndExporting() throws Exception {
    Path recipe = Files.writeString(tmp.resolve("one.yaml"), MLP.replace("UNITS", "8"));
    Cli first = train(recipe, "one");
    assertEquals(0, first.code(), first.err());
    assertTrue(first.out().contains("; 1 epoch, batch 50,"), first.out());
    assertTrue(first.out().contains("trained 1 epoch in "), first.out());

    Cli again = train(recipe, "one", "--resume");
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("the 1 epoch of " + tmp.resolve("one") + " was trained before; nothing to train"),
        again.out());
    assertFalse(again.out().contains("1 epochs") || again.out().contains("NaN"), again.out());

    Path manifest = tmp.resolve("one-models/tiny/1/assets.extra/fmnist.json");
    Files.writeString(manifest, Files.readString(manifest).replace("\"chosen_epoch\" : 1", "\"chosen_epoch\" : 5"));
    Cli export = Cli.run("export", "--from-savedmodel", tmp.resolve("one-models/tiny/1").toString(),
        "--data-dir", data.toString(), "--out", tmp.resolve("one-models").toString());
    assertEquals(ExitCode.BAD_INPUT, export.code(), export.err());
    assertTrue(export.errorLine().endsWith(": chosen_epoch 5 is not in its history of 1 epoch"), export.err());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
    "text     | abc          | model.layers[1].units: expected a whole number, found 'abc'",
    "quoted   | `\"8\"`      | model.layers[1].units: expected a whole number, found '8'",
    "bool     | true         | model.layers[1].units: expected a whole number, found true",
    "list     | [8]          | model.layers[1].units: expected a whole number, found a list",
    "map      | `{a: 1}`     | model.layers[1].units: expected a whole number, found a map",
    "too big  | 99999999999  | model.layers[1].units: expected a whole number from -2147483648 to 2147483647, found"
        + " 99999999999",
  })
  void recipeTypeErrorsNameTheFileTheKeyAndTheExpectedType(String what, String units, String problem) throws Exception {
    Path recipe = Files.writeString(tmp.resolve("bad-units.yaml"), MLP.replace("UNITS", units));
    Cli r = train(recipe, "bad-units");
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
    assertEquals("error: " + recipe + ": " + problem, r.errorLine());
    assertFalse(r.err().contains("CoercionConfig") || r.err().contains("java.lang") || r.err().contains("JsonToken"),
        r.err());
  }

  @Test
  void aRecipeThatIsNotUtf8SaysSo() throws Exception {
    Path recipe = Files.write(tmp.resolve("latin1.yaml"), "name: caf\u00e9\n".getBytes("ISO-8859-1"));
    Cli r = train(recipe, "latin1");
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
    assertEquals("error: " + recipe + ": not UTF-8 text (a recipe is a YAML text file)", r.errorLine());
  }

  @Test
  void shapeErrorsNameTheRecipeAndTheLayerWithoutTensorFlowsNodeDump() throws Exception {
    Path noFlatten = Files.writeString(tmp.resolve("no-flatten.yaml"), MLP.replace("- flatten: {}",
        "- conv: {filters: 2, kernel: 3}").replace("UNITS", "8"));
    Cli r = train(noFlatten, "no-flatten");
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
    assertTrue(r.errorLine().startsWith("error: " + noFlatten + ": model.layers[1] (dense, units 8): needs a flat input"),
        r.err());

    Path bigKernel = Files.writeString(tmp.resolve("big-kernel.yaml"), MLP.replace("- flatten: {}",
        "- conv: {filters: 2, kernel: 40}\n    - flatten: {}").replace("UNITS", "8"));
    Cli k = train(bigKernel, "big-kernel");
    assertEquals(ExitCode.BAD_INPUT, k.code(), k.err());
    assertTrue(k.errorLine().startsWith("error: " + bigKernel + ": model.layers[0] (conv, filters 2, kernel 40): the kernel (40x40) is larger than its 28x28 input"),
        k.err());
    assertFalse(k.err().contains("{{node") || k.err().contains("_FusedConv2D"), k.err());
  }

  @Test
  void aOneEpochLearningCurveHasDistinctScoreLabelsAndNoValidationCaption() {
    LearningCurves oneEpoch = new LearningCurves(List.of(
        new LearningCurves.Epoch(1, 2.0699, 0.39, Double.NaN, Double.NaN, 0.001)));
    JFreeChart chart = MetricCharts.learningCurves(oneEpoch, "Training history");
    BufferedImage img = new BufferedImage(820, 640, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    ChartRenderingInfo info = new ChartRenderingInfo();
    chart.draw(g, new Rectangle(820, 640), info);
    CombinedDomainXYPlot plot = (CombinedDomainXYPlot) chart.getXYPlot();
    List<XYPlot> subplots = plot.getSubplots();
    assertEquals(2, subplots.size());
    for (int i = 0; i < subplots.size(); i++) {
      NumberAxis y = (NumberAxis) subplots.get(i).getRangeAxis();
      Rectangle2D area = info.getPlotInfo().getSubplotInfo(i).getDataArea();
      List<String> labels = new ArrayList<>();
      for (Object t : y.refreshTicks(g, new AxisState(), area, RectangleEdge.LEFT)) {
        String text = ((Tick) t).getText();
        if (text != null && !text.isEmpty()) { // minor ticks have no label
          labels.add(text);
        }
      }
      assertTrue(labels.size() >= 2, y.getLabel() + ": " + labels);
      assertEquals(labels.size(), new HashSet<>(labels).size(), y.getLabel() + " repeats a label: " + labels);
    }
    g.dispose();
    String captions = captions(chart);
    assertTrue(captions.contains("No validation split"), captions);
    assertFalse(captions.contains("Validation: measured"), captions);
    assertEquals("Training curves", MetricCharts.learningCurvesTitle(oneEpoch));

    LearningCurves withValidation = new LearningCurves(List.of(
        new LearningCurves.Epoch(1, 2.0, 0.4, 1.9, 0.45, 0.001), new LearningCurves.Epoch(2, 1.5, 0.6, 1.4, 0.62, 0.001)));
    assertTrue(captions(MetricCharts.learningCurves(withValidation, "t")).contains("Validation: measured after the epoch"));
    assertEquals("Training and validation curves", MetricCharts.learningCurvesTitle(withValidation));
  }

  private static String captions(JFreeChart chart) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < chart.getSubtitleCount(); i++) {
      Title t = chart.getSubtitle(i);
      if (t instanceof TextTitle text) {
        sb.append(text.getText()).append('\n');
      }
    }
    return sb.toString();
  }
}
