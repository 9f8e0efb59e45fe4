package dev.fmnist.cli;

import dev.fmnist.config.ConfigException;
import dev.fmnist.FmnistException;
import dev.fmnist.data.FashionMnist;
import dev.fmnist.eval.Bootstrap;
import dev.fmnist.savedmodel.ClassifierModel;
import dev.fmnist.savedmodel.Classifiers;
import dev.fmnist.savedmodel.ModelFormat;
import dev.fmnist.eval.Evaluation;
import dev.fmnist.eval.Evaluator;
import dev.fmnist.data.LabeledImages;
import dev.fmnist.eval.ModelComparison;
import dev.fmnist.report.ComparisonReport;
import dev.fmnist.report.ComparisonText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fmnist compare}: several models on the same test images, with significance tests. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Compare models on the test set, with confidence intervals and McNemar's test.",
      "Accuracy and macro F1 with bootstrap 95%% intervals, McNemar's exact test for each pair,"
          + " per-class recall changes and confusion-matrix differences against the first model;"
          + " comparison.json, charts and a self-contained report.html.",
      "Example: fmnist compare savedmodels/mlp/1 savedmodels/cnn/1"
    })
public final class CompareCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "2..*", paramLabel = "MODEL_DIR",
      description = "Two or more SavedModel directories or ONNX files (.onnx); the first is the"
          + " baseline.")
  List<Path> models;

  @Mixin DataDirOption data;

  @Mixin TrustModelOption trustModel;

  @Option(names = "--report-dir", paramLabel = "DIR",
      description = "Where the report goes (default: reports/compare-<model>-vs-<model>...).")
  Path reportDir;

  @Option(names = "--resamples", paramLabel = "N", defaultValue = "" + Bootstrap.DEFAULT_RESAMPLES,
      description = "Bootstrap resamples (default: ${DEFAULT-VALUE}).")
  int resamples;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "" + Bootstrap.DEFAULT_SEED,
      description = "Bootstrap seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--signature", paramLabel = "KEY",
      description = "Signature to use in every SavedModel (default: serving_default).")
  String signature;

  @Option(names = "--output", paramLabel = "NAME",
      description = "Output holding the class scores in every model (default: chosen per model as"
          + " in evaluate).")
  String output;

  @Option(names = "--batch-size", paramLabel = "N",
      defaultValue = "" + ClassifierModel.DEFAULT_BATCH_SIZE,
      description = "Images per model call (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Override
  public Integer call() {
    if (resamples < 1) {
      throw new ConfigException("--resamples: must be 1 or more, found " + resamples);
    }
    PrintWriter out = spec.commandLine().getOut();
    List<Evaluator.Request> requests = new ArrayList<>();
    for (Path m : models) {
      String sig = Classifiers.formatOf(m) == ModelFormat.ONNX ? null : signature;
      Evaluator.Request r = new Evaluator.Request(m, sig, output, batchSize, trustModel.trust);
      r.requireFits(FashionMnist.SPEC); // before the test set is read
      requests.add(r);
    }
    LabeledImages images = FashionMnist.loadTest(data.locate());
    List<Evaluation> evaluations = new ArrayList<>();
    for (Evaluator.Request r : requests) {
      Evaluation e = Evaluator.evaluate(r, images, "test");
      out.printf(Locale.ROOT, "%s: accuracy %.4f (%.2f s of model time)%n", e.model().name(),
          e.accuracy(), e.timing().modelSeconds());
      out.flush();
      evaluations.add(e);
    }
    ModelComparison c = ModelComparison.of(evaluations, resamples, seed);
    out.printf(Locale.ROOT, "%ncompared on %,d test images; bootstrap %,d resamples, seed %d%n%n",
        images.size(), resamples, seed);
    out.print(ComparisonText.columns(ComparisonText.summary(c)));
    out.printf("%nMcNemar's exact test on the images only one model of the pair gets right:%n");
    out.print(ComparisonText.columns(ComparisonText.mcNemar(c)));
    out.printf("%nRecall per class, change from the baseline %s:%n", c.baseline().model().name());
    out.print(ComparisonText.columns(
        ComparisonText.recallChanges(c, c.baseline().classNames())));
    Path dir = reportDir != null ? reportDir : defaultDir(evaluations);
    Path page = ComparisonReport.write(dir, c);
    out.println();
    out.println("wrote " + page + " (comparison.json and charts beside it)");
    out.flush();
    return 0;
  }

  private static Path defaultDir(List<Evaluation> evaluations) {
    List<String> names = new ArrayList<>();
    for (Evaluation e : evaluations) {
      names.add(e.model().name().replaceAll("[^A-Za-z0-9._-]+", "-"));
    }
    String joined = String.join("-vs-", names);
    if (joined.length() > 100) {
      joined = joined.substring(0, 100);
    }
    return Path.of("reports", "compare-" + joined);
  }
}
