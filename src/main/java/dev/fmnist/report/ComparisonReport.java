package dev.fmnist.report;

import dev.fmnist.TerminalText;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fmnist.AtomicFiles;
import dev.fmnist.eval.Bootstrap;
import dev.fmnist.eval.ConfidenceInterval;
import dev.fmnist.eval.Evaluation;
import dev.fmnist.eval.ModelComparison;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The charts, {@code comparison.json} and self-contained {@code report.html} of a comparison. */
public final class ComparisonReport {
  private ComparisonReport() {}

  /**
   * Renders the charts: scores with intervals, then one difference heat map per non-baseline.
   *
   * @param c the comparison
   * @return the rendered charts, in report order
   */
  public static List<ChartFiles.Rendered> charts(ModelComparison c) {
    List<String> names = c.evaluations().stream().map(e -> e.model().name()).toList();
    List<String> classes = c.baseline().classNames();
    List<ChartFiles.Rendered> charts = new ArrayList<>();
    charts.add(ChartFiles.render("accuracy-f1", "Accuracy and macro F1 with bootstrap 95% intervals",
        ComparisonCharts.accuracyAndF1(c, names), Math.max(760, 220 * names.size()), 520));
    for (int m = 1; m < names.size(); m++) {
      String title = "Confusion matrix difference, " + names.get(m) + " minus " + names.get(0);
      charts.add(ChartFiles.render("difference-" + m, title,
          ClassMatrixCharts.difference(c.differenceFromBaseline(m), classes, title,
              "Orange: more images in the cell than the baseline, purple: fewer. On the diagonal"
                  + " more is better; off it, fewer is better."),
          ClassMatrixCharts.width(classes.size()), ClassMatrixCharts.height(classes.size()) + 20));
    }
    return charts;
  }

  /**
   * Writes the charts, {@code comparison.json} and {@code report.html}; returns the page.
   *
   * @param dir the report directory
   * @param c the comparison
   * @return the path of {@code report.html}
   * @throws dev.fmnist.StorageException when a file cannot be written
   */
  public static Path write(Path dir, ModelComparison c) {
    List<ChartFiles.Rendered> charts = charts(c);
    for (ChartFiles.Rendered r : charts) {
      r.writeTo(dir);
    }
    AtomicFiles.write(dir.resolve("comparison.json"), json(c));
    Path page = dir.resolve("report.html");
    AtomicFiles.write(page, html(c, charts));
    return page;
  }

  static byte[] html(ModelComparison c, List<ChartFiles.Rendered> charts) {
    HtmlPage page = new HtmlPage("fmnist comparison");
    page.h1("Comparison of " + c.evaluations().size() + " models");
    page.p(String.format(Locale.ROOT, "%s, %s; baseline %s; bootstrap: %,d resamples of"
            + " the images, seed %d.", TerminalText.plural(c.baseline().count(), "image"), c.baseline().describeImages(),
        ComparisonText.name(c, 0), c.resamples(), c.seed()), "muted");
    page.h2("Scores");
    page.table(head(ComparisonText.summary(c)), tail(ComparisonText.summary(c)));
    page.h2("McNemar's exact test");
    page.p("For each pair, the images only one of the two classifies correctly; under the null"
        + " hypothesis of equal accuracy they split like fair coin flips. Two-sided exact"
        + " binomial p-value.", "muted");
    page.table(head(ComparisonText.mcNemar(c)), tail(ComparisonText.mcNemar(c)));
    page.h2("Recall per class, change from the baseline");
    List<List<String>> recall = ComparisonText.recallChanges(c, c.baseline().classNames());
    page.table(head(recall), tail(recall));
    page.h2("Charts");
    for (ChartFiles.Rendered r : charts) {
      page.figure(r);
    }
    page.h2("Models");
    List<List<String>> models = new ArrayList<>();
    for (Evaluation e : c.evaluations()) {
      models.add(List.of(e.model().name(), e.model().location().toString(),
          e.model().format().displayName(), e.model().signature(), e.predictions().kind().label(),
          e.model().manifest() == null ? "" : e.model().manifest().text("created")));
    }
    page.table(List.of("Model", "Path", "Format", "Signature", "Output", "Created"), models);
    return page.toBytes();
  }

  static byte[] json(ModelComparison c) {
    var mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    ObjectNode root = mapper.createObjectNode();
    root.put("split", c.baseline().split());
    root.put("dataset", c.baseline().dataset());
    root.put("count", c.baseline().count());
    root.put("bootstrap_resamples", c.resamples());
    root.put("bootstrap_seed", c.seed());
    ArrayNode models = root.putArray("models");
    for (int m = 0; m < c.evaluations().size(); m++) {
      Evaluation e = c.evaluations().get(m);
      Bootstrap.Intervals i = c.intervals().get(m);
      ObjectNode o = models.addObject();
      o.put("model", e.model().directory());
      o.put("name", e.model().name());
      o.put("format", e.model().format().label());
      o.put("accuracy", e.accuracy());
      o.set("accuracy_ci95", ci(mapper.createArrayNode(), i.accuracy()));
      o.put("macro_f1", e.report().macroAverage().f1());
      o.set("macro_f1_ci95", ci(mapper.createArrayNode(), i.macroF1()));
      o.put("log_loss", e.logLoss());
      o.put("ece", e.calibration().expectedCalibrationError());
      ArrayNode recall = o.putArray("recall_per_class");
      e.report().perClass().forEach(k -> recall.add(k.recall()));
    }
    ArrayNode pairs = root.putArray("mcnemar");
    for (ModelComparison.Pair p : c.pairs()) {
      ObjectNode o = pairs.addObject();
      o.put("a", ComparisonText.name(c, p.first()));
      o.put("b", ComparisonText.name(c, p.second()));
      o.put("both_correct", p.test().bothCorrect());
      o.put("only_a_correct", p.test().onlyFirst());
      o.put("only_b_correct", p.test().onlySecond());
      o.put("both_wrong", p.test().bothWrong());
      o.put("p_value", p.test().pValue());
    }
    try {
      return mapper.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write comparison JSON", e);
    }
  }

  private static ArrayNode ci(ArrayNode a, ConfidenceInterval i) {
    return a.add(i.lower()).add(i.upper());
  }

  private static List<String> head(List<List<String>> rows) {
    return rows.get(0);
  }

  private static List<List<String>> tail(List<List<String>> rows) {
    return rows.subList(1, rows.size());
  }
}
