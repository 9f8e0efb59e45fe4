package dev.fmnist.report;

import dev.fmnist.TerminalText;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.fmnist.AtomicFiles;
import dev.fmnist.eval.ClassMetrics;
import dev.fmnist.eval.Evaluation;
import dev.fmnist.data.LabeledImages;
import dev.fmnist.eval.Mistakes;
import dev.fmnist.savedmodel.ModelFormat;
import dev.fmnist.savedmodel.ModelInfo;
import dev.fmnist.savedmodel.ModelManifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.Locale;

/**
 * The charts and the self-contained {@code report.html} of one evaluation: confusion matrices,
 * per-class metrics, learning curves (when the model stores its history), reliability diagram,
 * most confident mistakes, and the model's manifest.
 */
public final class EvaluationReport {
  /** Mistakes shown per class in the gallery. */
  public static final int MISTAKES_PER_CLASS = 8;

  private EvaluationReport() {}

  /**
   * Renders every chart of {@code e}, in report order. The charts are independent, so they render
   * in parallel (common fork-join pool): on 2 cores this halves the report's share of an evaluation.
   *
   * @param e the evaluation
   * @param images the evaluated images, for the mistake gallery
   * @return the rendered charts, in report order
   */
  public static List<ChartFiles.Rendered> charts(Evaluation e, LabeledImages images) {
    String who = e.model().name();
    int k = e.classNames().size();
    int matrixWidth = ClassMatrixCharts.width(k);
    int matrixHeight = ClassMatrixCharts.height(k);
    List<Supplier<ChartFiles.Rendered>> charts = new ArrayList<>();
    charts.add(() -> ChartFiles.render("confusion-matrix", "Confusion matrix, counts",
        ClassMatrixCharts.confusionCounts(e.report().confusionMatrix().toArray(), e.classNames(),
            String.format(Locale.ROOT, "Confusion matrix: %s (%s, %s)", who, e.describeImages(),
                TerminalText.plural(e.count(), "image"))),
        matrixWidth, matrixHeight));
    charts.add(() -> ChartFiles.render("confusion-matrix-normalized",
        "Confusion matrix, row-normalized (diagonal = recall)",
        ClassMatrixCharts.confusionRates(e.report().confusionMatrix().rowNormalized(), e.classNames(),
            "Confusion matrix, % of each true class: " + who),
        matrixWidth, matrixHeight));
    charts.add(() -> ChartFiles.render("per-class-metrics", "Precision, recall and F1 per class",
        MetricCharts.perClass(e.report(), e.classNames(), "Precision, recall and F1 per class: "
            + who), Math.max(960, 200 + 26 * k), 520));
    if (e.model().curves() != null && !e.model().curves().epochs().isEmpty()) {
      charts.add(() -> ChartFiles.render("learning-curves", MetricCharts.learningCurvesTitle(e.model().curves()),
          MetricCharts.learningCurves(e.model().curves(), "Training history: " + who), 820, 640));
    }
    charts.add(() -> ChartFiles.render("reliability", "Reliability diagram and confidence histogram",
        ReliabilityChart.create(e.calibration(), "Calibration: " + who), 820, 680));
    charts.add(() -> ChartFiles.picture("mistakes", "Most confident mistakes per true class",
        MistakeGallery.draw(images, e.predictions(), e.classNames(),
            Mistakes.mostConfidentByClass(e.predictions(), MISTAKES_PER_CLASS),
            "Most confident mistakes: " + who)));
    return charts.parallelStream().map(Supplier::get).toList();
  }

  /**
   * Writes every chart (PNG and SVG) and {@code report.html} into {@code dir}; returns the page.
   *
   * @param dir the report directory
   * @param e the evaluation
   * @param images the evaluated images, for the mistake gallery
   * @return the path of {@code report.html}
   * @throws dev.fmnist.StorageException when a file cannot be written
   */
  public static Path write(Path dir, Evaluation e, LabeledImages images) {
    List<ChartFiles.Rendered> charts = charts(e, images);
    charts.parallelStream().forEach(c -> c.writeTo(dir));
    Path page = dir.resolve("report.html");
    AtomicFiles.write(page, html(e, charts));
    return page;
  }

  static byte[] html(Evaluation e, List<ChartFiles.Rendered> charts) {
    HtmlPage page = new HtmlPage("fmnist evaluation: " + e.model().name());
    page.h1("Evaluation of " + e.model().name());
    page.p(e.model().location() + " on " + e.describeImages() + " (" + e.count()
        + " images)", "muted");
    page.table(List.of("Metric", "Value"), List.of(
        row("Accuracy", f4(e.accuracy())),
        row("Top-2 accuracy", f4(e.top2Accuracy())),
        row("Macro F1", f4(e.report().macroAverage().f1())),
        row("Weighted F1", f4(e.report().weightedAverage().f1())),
        row("Log loss", f4(e.logLoss())),
        row("Expected calibration error (15 bins)",
            f4(e.calibration().expectedCalibrationError())),
        row("Model output", e.predictions().kind().label()
            + (e.predictions().kind().name().equals("LOGITS") ? " (softmax applied here)" : "")),
        row("Model format", e.model().format().displayName()),
        row("Signature", e.model().signature()),
        row("Prediction time", String.format(Locale.ROOT,
            "%.2f s of model time, %.2f s in all, batches of %d (%,.0f images/s)",
            e.timing().modelSeconds(), e.timing().totalSeconds(), e.timing().batchSize(),
            e.timing().imagesPerSecond()))));
    String check = EvaluationText.manifestCheck(e);
    if (check != null) {
      page.p(check, check.startsWith("warning") ? "bad" : "good");
    }
    page.h2("Classification report");
    List<List<String>> rows = new ArrayList<>();
    for (int c = 0; c < e.classNames().size(); c++) {
      rows.add(metricsRow(c + " " + e.classNames().get(c), e.report().of(c)));
    }
    rows.add(metricsRow("macro avg", e.report().macroAverage()));
    rows.add(metricsRow("weighted avg", e.report().weightedAverage()));
    page.table(List.of("Class", "Precision", "Recall", "F1", "Support"), rows);
    page.p("Zero divisions count as 0, as scikit-learn's zero_division=0: precision of a class"
        + " never predicted, recall of a class with no images.", "muted");
    page.h2("Charts");
    for (ChartFiles.Rendered c : charts) {
      page.figure(c);
    }
    manifest(page, e.model());
    return page.toBytes();
  }

  private static void manifest(HtmlPage page, ModelInfo model) {
    page.h2("Model manifest");
    ModelManifest m = model.manifest();
    if (m == null) {
      page.p(model.format() == ModelFormat.ONNX ? "An ONNX model has no fmnist manifest."
          : "This model has no " + ModelManifest.PATH + " (not exported by fmnist).", "muted");
      return;
    }
    JsonNode j = m.json();
    List<List<String>> rows = new ArrayList<>();
    for (String key : List.of("name", "description", "seed", "epochs_run", "chosen_epoch",
        "stopped_early", "device", "training_seconds", "created")) {
      if (j.has(key) && j.get(key).isValueNode()) {
        rows.add(row(key, j.get(key).asText()));
      }
    }
    j.path("versions").fields().forEachRemaining(
        f -> rows.add(row("version of " + f.getKey(), f.getValue().asText())));
    j.path("metrics").fields().forEachRemaining(
        f -> rows.add(row("recorded " + f.getKey(), f.getValue().asText())));
    page.table(List.of("Field", "Value"), rows);
    List<List<String>> hashes = new ArrayList<>();
    j.path("dataset_sha256").fields().forEachRemaining(
        f -> hashes.add(row(f.getKey(), f.getValue().asText())));
    if (!hashes.isEmpty()) {
      page.p("Dataset files (SHA-256 of the decompressed bytes):", null);
      page.table(List.of("File", "SHA-256"), hashes);
    }
    if (j.has("config")) {
      page.p("Training recipe:", null);
      try {
        page.pre(JsonMapper.builder().build().writerWithDefaultPrettyPrinter()
            .writeValueAsString(j.get("config")));
      } catch (JsonProcessingException ex) {
        page.pre(j.get("config").toString());
      }
    }
  }

  private static List<String> metricsRow(String name, ClassMetrics m) {
    return List.of(name, f4(m.precision()), f4(m.recall()), f4(m.f1()),
        Long.toString(m.support()));
  }

  private static List<String> row(String a, String b) {
    return List.of(a, b);
  }

  static String f4(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
