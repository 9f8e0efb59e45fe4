package dev.fmnist.cli;

import dev.fmnist.TerminalText;
import dev.fmnist.AtomicFiles;
import dev.fmnist.savedmodel.Classifiers;
import dev.fmnist.eval.Evaluation;
import dev.fmnist.eval.Evaluator;
import dev.fmnist.data.LabeledImages;
import dev.fmnist.data.TestSet;
import dev.fmnist.report.EvaluationJson;
import dev.fmnist.report.EvaluationReport;
import dev.fmnist.report.EvaluationText;
import dev.fmnist.report.PredictionsCsv;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fmnist evaluate}: metrics, report, JSON and per-image CSV for one model. */
@Command(
    name = "evaluate",
    description = {
      "Evaluate a model on the test set, or with --images on a folder of labelled image files: report,"
          + " evaluation.json, charts, HTML.",
      "Prints a classification report laid out like scikit-learn's and the prediction time, and"
          + " writes evaluation.json, predictions.csv (one row per image), the charts as PNG and"
          + " SVG, and a self-contained report.html.",
      "Example: fmnist evaluate savedmodels/cnn/1"
    })
public final class EvaluateCommand extends FmnistSubcommand {

  @Mixin ModelArgument modelArg;

  @Mixin ScoringOptions scoring;

  @Option(names = "--report-dir", paramLabel = "DIR",
      description = "Where the report goes (default: beside the model, <MODEL_DIR>-report/).")
  Path reportDir;

  @Option(names = "--json", paramLabel = "FILE",
      description = "evaluation.json path (default: <report-dir>/evaluation.json).")
  Path json;

  @Option(names = "--csv", paramLabel = "FILE",
      description = "Per-image predictions (default: <report-dir>/predictions.csv).")
  Path csv;

  @Option(names = "--no-report",
      description = "Write evaluation.json and predictions.csv only: no charts, no report.html.")
  boolean noReport;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    scoring.requireBatchSize(); // options first, before any model is read
    // Outputs checked before any work: never a device, FIFO, link or directory, never inside the model.
    Path located = Classifiers.reading(modelArg.dir);
    scoring.checkAndRegister(modelArg.dir);
    Path dir = reportDir != null ? reportDir : ReportDirs.besideModel(located);
    Path jsonFile = json != null ? json : dir.resolve("evaluation.json");
    Path csvFile = csv != null ? csv : dir.resolve("predictions.csv");
    AtomicFiles.requireWritableFile(jsonFile);
    AtomicFiles.requireWritableFile(csvFile);
    if (!noReport) {
      AtomicFiles.requireWritableDirectory(dir);
    }
    WhatWasUsed.version(modelArg.dir, out);
    Evaluator.Request request = scoring.request(modelArg.dir, modelArg.trusted());
    Evaluator.preloadInBackground(modelArg.dir); // the runtime's library loads while we check and read
    scoring.checkBeforeReading(request, modelArg.dir);
    TestSet test = scoring.read(modelArg.dir, request.inputSpec(), out);
    LabeledImages images = test.images();
    Evaluation e = Evaluator.evaluate(request, images, scoring.split());
    double evaluatedAt = sinceJvmStart();
    if (e.model().curves() != null && e.model().curves().skipped() != null) {
      spec.commandLine().getErr().println("warning: " + TerminalText.escape(e.model().curves().skipped()));
      spec.commandLine().getErr().flush();
    }
    out.print(EvaluationText.header(e));
    out.println();
    out.print(EvaluationText.body(e));
    String check = EvaluationText.manifestCheck(e);
    if (check != null) {
      out.println(check);
    }
    // The charts render on the other core(s) while this thread writes the JSON and the CSV.
    CompletableFuture<Path> report = noReport ? null
        : CompletableFuture.supplyAsync(() -> EvaluationReport.write(dir, e, images));
    AtomicFiles.write(jsonFile, EvaluationJson.toBytes(e, test));
    AtomicFiles.write(csvFile, PredictionsCsv.toBytes(e.predictions(), e.classNames()));
    Path page = null;
    try {
      page = report == null ? null : report.join();
    } catch (CompletionException ex) {
      if (ex.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw ex;
    }
    out.println();
    out.println("wrote " + jsonFile);
    out.println("wrote " + csvFile);
    if (page != null) {
      out.println("wrote " + page + " (charts as PNG and SVG beside it)");
    }
    out.printf(Locale.ROOT, "timing: evaluated %.2f s, all files written %.2f s after the JVM started%n",
        evaluatedAt, sinceJvmStart());
    out.flush();
    return 0;
  }

  private static double sinceJvmStart() {
    return (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1e3;
  }
}
