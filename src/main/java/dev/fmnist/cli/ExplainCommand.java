package dev.fmnist.cli;

import dev.fmnist.savedmodel.Classifiers;
import dev.fmnist.TerminalText;
import dev.fmnist.config.ConfigException;
import dev.fmnist.AtomicFiles;
import dev.fmnist.FmnistException;
import dev.fmnist.data.ImageSet;
import dev.fmnist.savedmodel.Classifier;
import dev.fmnist.explain.Explainer;
import dev.fmnist.explain.Explanation;
import dev.fmnist.data.DatasetSpec;
import dev.fmnist.report.ChartFiles;
import dev.fmnist.report.ExplanationPicture;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fmnist explain}: Grad-CAM and saliency pictures. */
@Command(
    name = "explain",
    description = {
      "Show which pixels drive a prediction (Grad-CAM and saliency maps).",
      "Grad-CAM on the last convolution (convolutional models) and a gradient saliency map (any"
          + " model), each as heat map and overlay, in one PNG per image. ONNX models and TF2"
          + " SavedModels get saliency maps by finite differences, and no Grad-CAM.",
      "Example: fmnist explain savedmodels/cnn/1 --test-index 0,42 shoe.jpg"
    })
public final class ExplainCommand extends FmnistSubcommand {

  @Mixin ModelArgument modelArg;

  @Mixin DataDirOption data;

  @Parameters(index = "1..*", arity = "0..*", paramLabel = "IMAGE",
      description = "PNG or JPEG files, converted as by predict.")
  List<Path> images = new ArrayList<>();

  @Option(names = "--test-index", paramLabel = "N", split = ",",
      description = "Test-set images to explain (0-9999); repeat or separate with commas.")
  List<Integer> testIndices = new ArrayList<>();

  @Option(names = "--class", paramLabel = "C",
      description = "Class to explain, label or name (default: the predicted class).")
  String targetClass;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Where the PNGs go (default: <MODEL_DIR>-report/explain/).")
  Path outDir;

  @Override
  public Integer call() {
    if (images.isEmpty() && testIndices.isEmpty()) {
      throw new ConfigException("explain: name IMAGE files or --test-index N (or both)");
    }
    PrintWriter out = spec.commandLine().getOut();
    Path located = Classifiers.reading(modelArg.dir);
    Path dir = outDir != null ? outDir : ReportDirs.besideModel(located).resolve("explain");
    images.forEach(AtomicFiles::reading); // no output replaces an input image
    if (!testIndices.isEmpty()) {
      data.registerReading(modelArg.dir);
    }
    AtomicFiles.requireWritableDirectory(dir); // before any work, as each picture's file
    List<String> planned = new ArrayList<>(images.stream().map(ImageInputs::stem).toList());
    testIndices.forEach(n -> planned.add("test-" + n));
    distinct(planned).forEach(name -> AtomicFiles.requireWritableFile(dir.resolve(name + ".png")));
    WhatWasUsed.version(modelArg.dir, out);
    int failed = 0;
    try (Classifier model = modelArg.load(null)) {
      DatasetSpec input = model.inputSpec();
      List<String> names = input.classNames();
      List<float[]> inputs = new ArrayList<>();
      List<String> captions = new ArrayList<>();
      List<String> stems = new ArrayList<>();
      PrintWriter err = spec.commandLine().getErr();
      for (Path f : images) { // a file that cannot be read gets its own error; the others are explained
        try {
          inputs.add(ImageInputs.read(f, input, model).pixels());
        } catch (FmnistException e) {
          err.println("error: " + TerminalText.escape(e.getMessage()));
          err.flush();
          failed++;
          continue;
        }
        captions.add(f.getFileName().toString());
        stems.add(ImageInputs.stem(f));
      }
      if (!testIndices.isEmpty()) {
        ImageSet test = data.testImagesFor(modelArg.dir, out).images();
        model.requireAccepts(test.spec());
        for (int n : testIndices) {
          if (n < 0 || n >= test.size()) {
            throw new ConfigException("--test-index: must be in [0, " + test.size()
                + "), found " + n);
          }
          inputs.add(test.image(n));
          captions.add("test image #" + n + ", true class " + names.get(test.label(n)));
          stems.add("test-" + n);
        }
      }
      if (inputs.isEmpty()) {
        return ExitCode.BAD_INPUT;
      }
      float[] batch = ImageInputs.batch(inputs, input);
      int target = targetClass == null ? -1 : parseClass(targetClass, names);
      int[] targets = new int[inputs.size()];
      java.util.Arrays.fill(targets, target);
      Explainer explainer = Explainer.of(model);
      Explanation[] ex = explainer.explain(batch, inputs.size(), input, targets);
      List<String> fileNames = distinct(stems);
      for (int i = 0; i < ex.length; i++) {
        Path png = dir.resolve(fileNames.get(i) + ".png");
        AtomicFiles.write(png, ChartFiles.png(ExplanationPicture.draw(ex[i], names,
            captions.get(i), explainer.featureMapName(), explainer.graphGradients())));
        out.printf(Locale.ROOT, "%s: predicted %s %.3f%s -> %s%n", TerminalText.escape(captions.get(i)),
            TerminalText.escape(names.get(ex[i].predicted())), ex[i].probabilities()[ex[i].predicted()],
            ex[i].target() == ex[i].predicted() ? ""
                : String.format(Locale.ROOT, ", explaining %s %.3f", TerminalText.escape(names.get(ex[i].target())),
                    ex[i].probabilities()[ex[i].target()]), TerminalText.escape(png));
      }
      out.println(!explainer.graphGradients()
          ? "saliency maps by finite differences only: " + explainer.whyFiniteDifferences()
              + ", so no Grad-CAM"
          : explainer.featureMapName() == null
              ? "saliency maps only: the model has no convolution"
              : "Grad-CAM on " + explainer.featureMapName() + ", and saliency maps");
    }
    out.flush();
    return failed > 0 ? ExitCode.BAD_INPUT : ExitCode.OK;
  }

  /**
   * The output names for {@code stems}, in order: each stem, with {@code -2}, {@code -3}, ... added
   * to a stem already taken (two inputs {@code a/shirt.png} and {@code b/shirt.png} give {@code
   * shirt} and {@code shirt-2}), so no picture overwrites another.
   */
  static List<String> distinct(List<String> stems) {
    java.util.Set<String> taken = new java.util.HashSet<>(stems);
    java.util.Set<String> used = new java.util.HashSet<>();
    List<String> names = new ArrayList<>();
    for (String stem : stems) {
      String name = stem;
      for (int k = 2; used.contains(name) || (!name.equals(stem) && taken.contains(name)); k++) {
        name = stem + "-" + k; // not another input's own stem either
      }
      used.add(name);
      names.add(name);
    }
    return names;
  }

  static int parseClass(String s, List<String> names) {
    if (s.matches("\\d+")) {
      int c = Integer.parseInt(s);
      if (c < names.size()) {
        return c;
      }
    }
    for (int c = 0; c < names.size(); c++) {
      if (names.get(c).equalsIgnoreCase(s)) {
        return c;
      }
    }
    throw new ConfigException("--class: expected a label 0-" + (names.size() - 1)
        + " or one of " + String.join(", ", names) + "; found '" + s + "'");
  }
}
