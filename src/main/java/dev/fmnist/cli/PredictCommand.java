package dev.fmnist.cli;

import dev.fmnist.savedmodel.Classifiers;
import dev.fmnist.TerminalText;
import dev.fmnist.config.ConfigException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fmnist.AtomicFiles;
import dev.fmnist.cli.ExitCode;
import dev.fmnist.FmnistException;
import dev.fmnist.data.PreparedImage;
import dev.fmnist.eval.ClassProbabilities;
import dev.fmnist.savedmodel.Classifier;
import dev.fmnist.data.DatasetSpec;
import dev.fmnist.report.ImagePictures;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fmnist predict}: classifies image files. */
@Command(
    name = "predict",
    description = {
      "Classify PNG or JPEG files of any size and colour.",
      "Each file is converted as the model's training images were: for a grayscale Fashion-MNIST model"
          + " like that dataset (negated if its background is light, cropped to the item, fitted to the input"
          + " keeping the aspect ratio); for a model trained on an image folder or IDX dataset, and for RGB models,"
          + " resized to the model's input and converted to its channels. Values are scaled to [0, 1]."
          + " Prints the most probable classes.",
      "A file that cannot be read gets a one-line error and the others are still classified;"
          + " the exit code is then 2.",
      "Example: fmnist predict savedmodels/cnn/1 shoe.jpg shirt.png"
    })
public final class PredictCommand extends FmnistSubcommand {

  @Mixin ModelArgument modelArg;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE", description = "Image files.")
  List<Path> images;

  @Option(names = "--top", paramLabel = "K", defaultValue = "3",
      description = "Classes to show per image (default: ${DEFAULT-VALUE}).")
  int top;

  @Option(names = "--json", description = "Print one JSON document instead of text.")
  boolean json;

  @Option(names = "--save-inputs", paramLabel = "DIR",
      description = "Also write each converted input (the model's input size) as a PNG into DIR.")
  Path saveInputs;

  @Mixin SignatureOption signature;

  @Override
  public Integer call() {
    if (top < 1) {
      throw new ConfigException("--top: must be 1 or more, found " + top);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Classifiers.reading(modelArg.dir);
    images.forEach(AtomicFiles::reading); // no output replaces an input image
    if (saveInputs != null) {
      AtomicFiles.requireWritableDirectory(saveInputs); // before any work
    }
    ClassProbabilities probs;
    List<String> names;
    DatasetSpec input;
    List<PreparedImage> prepared = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    List<PreparedImage> ok;
    try (Classifier model = modelArg.load(signature.key)) {
      input = model.inputSpec();
      WhatWasUsed.version(modelArg.dir, err); // stdout holds the results only
      names = input.classNames();
      for (Path f : images) {
        try {
          prepared.add(ImageInputs.read(f, input, model));
          errors.add(null);
        } catch (FmnistException e) {
          prepared.add(null);
          errors.add(e.getMessage());
        }
      }
      ok = prepared.stream().filter(p -> p != null).toList();
      if (ok.isEmpty()) {
        errors.forEach(e -> err.println("error: " + TerminalText.escape(e)));
        err.flush();
        return ExitCode.BAD_INPUT;
      }
      float[] batch = ImageInputs.batch(ok.stream().map(PreparedImage::pixels).toList(), input);
      probs = ClassProbabilities.of(model.predict(batch, ok.size(), input), names.size());
    }
    ObjectMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    ArrayNode results = mapper.createArrayNode();
    int j = 0;
    for (int i = 0; i < images.size(); i++) {
      Path f = images.get(i);
      if (errors.get(i) != null) {
        err.println("error: " + TerminalText.escape(errors.get(i)));
        results.addObject().put("file", f.toString()).put("error", errors.get(i));
        continue;
      }
      PreparedImage p = prepared.get(i);
      List<ClassProbabilities.Ranked> best = probs.top(j++, top);
      if (saveInputs != null) {
        AtomicFiles.write(saveInputs.resolve(i + "-" + ImageInputs.stem(f) + ".png"), ImagePictures.png(p.pixels(), input));
      }
      if (json) {
        ObjectNode o = results.addObject();
        o.put("file", f.toString());
        o.put("width", p.width());
        o.put("height", p.height());
        o.put("inverted", p.inverted());
        ArrayNode t = o.putArray("top");
        for (ClassProbabilities.Ranked r : best) {
          t.addObject().put("label", r.label()).put("name", names.get(r.label()))
              .put("probability", r.probability());
        }
      } else {
        List<String> parts = new ArrayList<>();
        for (ClassProbabilities.Ranked r : best) {
          parts.add(String.format(Locale.ROOT, "%s %.3f", TerminalText.escape(names.get(r.label())),
              r.probability()));
        }
        out.printf("%s: %s%s%n", TerminalText.escape(f), String.join(", ", parts),
            p.inverted() ? "  (light background, negated)" : "");
      }
    }
    if (json) {
      try {
        out.println(mapper.writeValueAsString(results));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
    out.flush();
    err.flush();
    return errors.stream().anyMatch(e -> e != null) ? ExitCode.BAD_INPUT : ExitCode.OK;
  }
}
