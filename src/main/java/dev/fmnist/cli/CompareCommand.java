package dev.fmnist.cli;

import dev.fmnist.config.ConfigException;
import dev.fmnist.FmnistException;
import dev.fmnist.data.FashionMnist;
import dev.fmnist.data.DatasetSpec;
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
      "Compare models on the test set (or with --images on a folder of labelled image files), with"
          + " confidence intervals and McNemar's test.",
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

  @Mixin ImagesOption labelledImages;

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
    if (resamples < 1 || resamples > Bootstrap.MAX_RESAMPLES) {
      throw new ConfigException("--resamples: must be 1 to " + Bootstrap.MAX_RESAMPLES + ", found " + resamples);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (labelledImages.given() && data.dataDir != null) {
      throw new ConfigException("--images and --data-dir: give one of them");
    }
    List<Evaluator.Request> requests = new ArrayList<>();
    List<DatasetSpec> inputs = new ArrayList<>();
    for (Path m : models) {
      String sig = Classifiers.formatOf(m) == ModelFormat.ONNX ? null : signature;
      Evaluator.Request r = new Evaluator.Request(m, sig, output, batchSize, trustModel.trust);
      if (labelledImages.given()) {
        inputs.add(r.inputSpec());
      } else if (data.testIsFashionMnist(models.get(0))) {
        r.requireFits(FashionMnist.SPEC); // before the test set is read
      } else {
        r.inspect();
      }
      requests.add(r);
    }
    List<LabeledImages> perModel = labelledImages.given() ? labelledImagesFor(inputs, out)
        : java.util.Collections.nCopies(requests.size(), data.testImagesFor(models.get(0), out));
    LabeledImages images = perModel.get(0);
    List<Evaluation> evaluations = new ArrayList<>();
    for (int k = 0; k < requests.size(); k++) {
      Evaluator.Request r = requests.get(k);
      Evaluation e = Evaluator.evaluate(r, perModel.get(k), labelledImages.given() ? ImagesOption.SPLIT : "test");
      out.printf(Locale.ROOT, "%s: accuracy %.4f (%.2f s of model time)%n", e.model().name(),
          e.accuracy(), e.timing().modelSeconds());
      out.flush();
      evaluations.add(e);
    }
    ModelComparison c = ModelComparison.of(evaluations, resamples, seed);
    out.printf(Locale.ROOT, "%ncompared on %,d %s; bootstrap %,d resamples, seed %d%n%n", images.size(),
        labelledImages.given() ? "images of " + labelledImages.dir : "test images", resamples, seed);
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

  /**
   * The {@code --images} folder read once for each distinct input size among the models; every
   * model must read the same labels from it (its class names map the folders alike).
   */
  private List<LabeledImages> labelledImagesFor(List<DatasetSpec> inputs, PrintWriter out) {
    List<LabeledImages> read = new ArrayList<>();
    for (int k = 0; k < inputs.size(); k++) {
      LabeledImages same = null;
      for (int j = 0; j < k && same == null; j++) {
        if (inputs.get(j).sameImages(inputs.get(k)) && inputs.get(j).classNames().equals(inputs.get(k).classNames())) {
          same = read.get(j);
        }
      }
      LabeledImages images = same != null ? same : labelledImages.read(inputs.get(k), out);
      if (k > 0 && !java.util.Arrays.equals(images.labels(), read.get(0).labels())) {
        throw new ConfigException(models.get(k) + ": its class names label the folders of " + labelledImages.dir
            + " differently from " + models.get(0) + "'s; compare models of the same classes");
      }
      read.add(images);
    }
    return read;
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
