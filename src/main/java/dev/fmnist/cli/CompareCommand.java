package dev.fmnist.cli;

import dev.fmnist.savedmodel.Classifiers;
import dev.fmnist.AtomicFiles;
import dev.fmnist.TerminalText;
import dev.fmnist.config.ConfigException;
import dev.fmnist.data.DatasetSpec;
import dev.fmnist.eval.Bootstrap;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fmnist compare}: several models on the same test images, with significance tests. */
@Command(
    name = "compare",
    description = {
      "Compare models on the test set (or with --images on a folder of labelled image files), with"
          + " confidence intervals and McNemar's test.",
      "Accuracy and macro F1 with bootstrap 95%% intervals, McNemar's exact test for each pair,"
          + " per-class recall changes and confusion-matrix differences against the first model;"
          + " comparison.json, charts and a self-contained report.html.",
      "Example: fmnist compare savedmodels/mlp/1 savedmodels/cnn/1"
    })
public final class CompareCommand extends FmnistSubcommand {

  @Parameters(arity = "2..*", paramLabel = "MODEL_DIR",
      description = "Two or more SavedModel directories or ONNX files (.onnx); the first is the"
          + " baseline.")
  List<Path> models;

  @Mixin TrustModelOption trustModel;

  @Mixin ScoringOptions scoring;

  @Option(names = "--report-dir", paramLabel = "DIR",
      description = "Where the report goes (default: reports/compare-<model>-vs-<model>...).")
  Path reportDir;

  @Option(names = "--resamples", paramLabel = "N", defaultValue = "" + Bootstrap.DEFAULT_RESAMPLES,
      description = "Bootstrap resamples (default: ${DEFAULT-VALUE}).")
  int resamples;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "" + Bootstrap.DEFAULT_SEED,
      description = "Bootstrap seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() {
    if (resamples < 1 || resamples > Bootstrap.MAX_RESAMPLES) {
      throw new ConfigException("--resamples: must be 1 to " + Bootstrap.MAX_RESAMPLES + ", found " + resamples);
    }
    PrintWriter out = spec.commandLine().getOut();
    scoring.requireBatchSize(); // options first, before any model is read
    WhatWasUsed.sameModels(models, spec.commandLine().getErr());
    for (Path m : models) {
      WhatWasUsed.version(m, out);
    }
    List<Evaluator.Request> requests = new ArrayList<>();
    List<DatasetSpec> inputs = new ArrayList<>();
    for (Path m : models) {
      Classifiers.reading(m);
    }
    scoring.checkAndRegister(models.get(0));
    Path dir = reportDir != null ? reportDir : defaultDir(models.stream().map(Classifiers::nameOf).toList());
    AtomicFiles.requireWritableDirectory(dir); // before any work
    for (Path m : models) {
      Evaluator.Request r = scoring.requestEach(m, trustModel.trust);
      scoring.checkBeforeReading(r, models.get(0));
      if (scoring.folder()) {
        inputs.add(r.inputSpec()); // the folder is read at each model's input size
      }
      requests.add(r);
    }
    List<LabeledImages> perModel = scoring.folder() ? labelledImagesFor(inputs, out)
        : java.util.Collections.nCopies(requests.size(), scoring.read(models.get(0), null, out).images());
    LabeledImages images = perModel.get(0);
    List<Evaluation> evaluations = new ArrayList<>();
    for (int k = 0; k < requests.size(); k++) {
      Evaluator.Request r = requests.get(k);
      Evaluation e = Evaluator.evaluate(r, perModel.get(k), scoring.split());
      out.printf(Locale.ROOT, "%s: accuracy %.4f (%.2f s of model time)%n", TerminalText.escape(e.model().name()),
          e.accuracy(), e.timing().modelSeconds());
      out.flush();
      evaluations.add(e);
    }
    ModelComparison c = ModelComparison.of(evaluations, resamples, seed);
    out.printf(Locale.ROOT, "%ncompared on %s; bootstrap %,d resamples, seed %d%n%n", scoring.folder()
        ? TerminalText.plural(images.size(), "image") + " of " + TerminalText.escape(scoring.images.dir)
        : TerminalText.plural(images.size(), "test image"), resamples, seed);
    out.print(ComparisonText.columns(ComparisonText.summary(c)));
    out.printf("%nMcNemar's exact test on the images only one model of the pair gets right:%n");
    out.print(ComparisonText.columns(ComparisonText.mcNemar(c)));
    out.printf("%nRecall per class, change from the baseline %s:%n", TerminalText.escape(c.baseline().model().name()));
    out.print(ComparisonText.columns(
        ComparisonText.recallChanges(c, c.baseline().classNames())));
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
      LabeledImages images = same != null ? same : scoring.read(models.get(k), inputs.get(k), out).images();
      if (k > 0 && !java.util.Arrays.equals(images.labels(), read.get(0).labels())) {
        throw new ConfigException(models.get(k) + ": its class names label the folders of " + scoring.images.dir
            + " differently from " + models.get(0) + "'s; compare models of the same classes");
      }
      read.add(images);
    }
    return read;
  }

  private static Path defaultDir(List<String> modelNames) {
    List<String> names = new ArrayList<>();
    for (String n : modelNames) {
      names.add(n.replaceAll("[^A-Za-z0-9._-]+", "-"));
    }
    String joined = String.join("-vs-", names);
    if (joined.length() > 100) {
      joined = joined.substring(0, 100);
    }
    return Path.of("reports", "compare-" + joined);
  }
}
