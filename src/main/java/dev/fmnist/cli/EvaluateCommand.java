package dev.fmnist.cli;

import dev.fmnist.config.ConfigException;

import dev.fmnist.AtomicFiles;
import dev.fmnist.savedmodel.ClassifierModel;
import dev.fmnist.eval.Evaluation;
import dev.fmnist.eval.Evaluator;
import dev.fmnist.data.FashionMnist;
import dev.fmnist.data.LabeledImages;
import dev.fmnist.report.EvaluationJson;
import dev.fmnist.report.EvaluationReport;
import dev.fmnist.report.EvaluationText;
import dev.fmnist.report.PredictionsCsv;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fmnist evaluate}: metrics, report, JSON and per-image CSV for one model. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate a model on the test set, or with --images on a folder of labelled image files: report,"
          + " evaluation.json, charts, HTML.",
      "Prints a classification report laid out like scikit-learn's and the prediction time, and"
          + " writes evaluation.json, predictions.csv (one row per image), the charts as PNG and"
          + " SVG, and a self-contained report.html.",
      "Example: fmnist evaluate savedmodels/cnn/1"
    })
public final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL_DIR",
      description = "SavedModel directory, a model's directory of numbered versions (the highest"
          + " is used), or an ONNX model file (.onnx).")
  Path modelDir;

  @Mixin DataDirOption data;

  @Mixin TrustModelOption trustModel;

  @Mixin ImagesOption labelledImages;

  @Option(names = "--report-dir", paramLabel = "DIR",
      description = "Where the report goes (default: beside the model, <MODEL_DIR>-report/).")
  Path reportDir;

  @Option(names = "--json", paramLabel = "FILE",
      description = "evaluation.json path (default: <report-dir>/evaluation.json).")
  Path json;

  @Option(names = "--csv", paramLabel = "FILE",
      description = "Per-image predictions (default: <report-dir>/predictions.csv).")
  Path csv;

  @Option(names = "--signature", paramLabel = "KEY",
      description = "Signature to use (default: serving_default; SavedModels only).")
  String signature;

  @Option(names = "--output", paramLabel = "NAME",
      description = "Signature output holding the class scores (default: logits if present, else"
          + " the only [-1,10] output, else probabilities).")
  String output;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + ClassifierModel.DEFAULT_BATCH_SIZE,
      description = "Images per model call (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--no-report",
      description = "Write evaluation.json and predictions.csv only: no charts, no report.html.")
  boolean noReport;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Evaluator.preloadInBackground(modelDir); // the runtime's library loads while we check and read
    Evaluator.Request request = new Evaluator.Request(modelDir, signature, output, batchSize, trustModel.trust);
    LabeledImages images;
    if (labelledImages.given()) {
      if (data.dataDir != null) {
        throw new ConfigException("--images and --data-dir: give one of them");
      }
      images = labelledImages.read(request.inputSpec(), out);
    } else {
      if (data.testIsFashionMnist(modelDir)) {
        request.requireFits(FashionMnist.SPEC); // before the test set is read
      } else {
        request.inspect();
      }
      images = data.testImagesFor(modelDir, out);
    }
    Evaluation e = Evaluator.evaluate(request, images, labelledImages.given() ? ImagesOption.SPLIT : "test");
    double evaluatedAt = sinceJvmStart();
    if (e.model().curves() != null && e.model().curves().skipped() != null) {
      spec.commandLine().getErr().println("warning: " + e.model().curves().skipped());
      spec.commandLine().getErr().flush();
    }
    out.print(EvaluationText.header(e));
    out.println();
    out.print(EvaluationText.body(e));
    String check = EvaluationText.manifestCheck(e);
    if (check != null) {
      out.println(check);
    }
    Path dir = reportDir != null ? reportDir : ReportDirs.besideModel(e.model().location());
    Path jsonFile = json != null ? json : dir.resolve("evaluation.json");
    Path csvFile = csv != null ? csv : dir.resolve("predictions.csv");
    // The charts render on the other core(s) while this thread writes the JSON and the CSV.
    CompletableFuture<Path> report = noReport ? null
        : CompletableFuture.supplyAsync(() -> EvaluationReport.write(dir, e, images));
    AtomicFiles.write(jsonFile, EvaluationJson.toBytes(e));
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
