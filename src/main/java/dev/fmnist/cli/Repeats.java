package dev.fmnist.cli;

import dev.fmnist.config.ConfigException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fmnist.AtomicFiles;
import dev.fmnist.FmnistException;
import dev.fmnist.config.Recipe;
import dev.fmnist.data.FashionMnist;
import dev.fmnist.export.ModelExporter;
import dev.fmnist.train.SessionOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code fmnist train --repeats N}: the same recipe trained with N seeds, each exported, and the
 * mean and sample standard deviation of their test accuracy and loss.
 */
final class Repeats {
  static final String RESULT = "repeat.json";

  /** One seed's outcome. */
  record Outcome(long seed, double accuracy, double loss, int epochs, double seconds, String savedModel) {}

  private Repeats() {}

  static int run(TrainCommand cmd, Recipe recipe, FashionMnist data, Path dataDir, SessionOptions session,
      Path run, PrintWriter outw) {
    if (cmd.repeats < 1) {
      throw new ConfigException("--repeats: must be >= 1, found " + cmd.repeats);
    }
    ObjectMapper json = new ObjectMapper();
    long first = recipe.training().seed();
    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < cmd.repeats; i++) {
      long seed = first + i;
      Path dir = run.resolve("seed-" + seed);
      Path result = dir.resolve(RESULT);
      Outcome o = read(json, result);
      if (o != null) {
        outw.printf(Locale.ROOT, "repeat %d/%d (seed %d): finished before: test accuracy %.4f%n", i + 1, cmd.repeats,
            seed, o.accuracy());
        outcomes.add(o);
        continue;
      }
      outw.printf(Locale.ROOT, "repeat %d/%d (seed %d)%n", i + 1, cmd.repeats, seed);
      Recipe r = new Recipe(recipe.name() + "-seed" + seed, recipe.description(), recipe.model(),
          recipe.training().withSeed(seed));
      ModelExporter.Exported e = cmd.trainOnce(r, data, dataDir, session, dir, outw);
      if (e == null) {
        throw new ConfigException(dir + ": exported before but has no " + RESULT + "; delete " + dir
            + " to train this seed again");
      }
      double seconds = 0;
      int epochs = 0;
      try {
        JsonNode h = json.readTree(dir.resolve("history.json").toFile());
        for (JsonNode ep : h.path("epochs").isArray() ? h.path("epochs") : h) {
          seconds += ep.path("seconds").asDouble(0);
          epochs++;
        }
      } catch (IOException ex) {
        seconds = Double.NaN;
      }
      o = new Outcome(seed, e.test().accuracy(), e.test().loss(), epochs, seconds, e.dir().toString());
      ObjectNode n = json.createObjectNode().put("seed", seed).put("test_accuracy", o.accuracy())
          .put("test_loss", o.loss()).put("epochs", epochs).put("seconds", seconds).put("savedmodel", o.savedModel());
      AtomicFiles.write(result, (n.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8));
      outcomes.add(o);
    }
    String md = markdown(recipe.name(), outcomes);
    ObjectNode summary = json.createObjectNode().put("recipe", recipe.name()).put("repeats", outcomes.size());
    double[] acc = outcomes.stream().mapToDouble(Outcome::accuracy).toArray();
    double[] loss = outcomes.stream().mapToDouble(Outcome::loss).toArray();
    summary.put("test_accuracy_mean", mean(acc)).put("test_accuracy_std", std(acc))
        .put("test_loss_mean", mean(loss)).put("test_loss_std", std(loss));
    ArrayNode runs = summary.putArray("runs");
    for (Outcome o : outcomes) {
      runs.addObject().put("seed", o.seed()).put("test_accuracy", o.accuracy()).put("test_loss", o.loss())
          .put("epochs", o.epochs()).put("seconds", o.seconds()).put("savedmodel", o.savedModel());
    }
    AtomicFiles.write(run.resolve("repeats.json"), (summary.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(run.resolve("repeats.md"), md.getBytes(StandardCharsets.UTF_8));
    outw.println();
    outw.print(md);
    outw.println("wrote " + run.resolve("repeats.md") + " and repeats.json");
    outw.flush();
    return 0;
  }

  static String markdown(String name, List<Outcome> outcomes) {
    StringBuilder sb = new StringBuilder("| seed | test accuracy | test loss | epochs | seconds | SavedModel |\n"
        + "|---:|---:|---:|---:|---:|---|\n");
    for (Outcome o : outcomes) {
      sb.append(String.format(Locale.ROOT, "| %d | %.4f | %.4f | %d | %.0f | %s |%n", o.seed(), o.accuracy(), o.loss(),
          o.epochs(), o.seconds(), o.savedModel()));
    }
    double[] acc = outcomes.stream().mapToDouble(Outcome::accuracy).toArray();
    double[] loss = outcomes.stream().mapToDouble(Outcome::loss).toArray();
    sb.append(String.format(Locale.ROOT, "%n%s over %d seeds: test accuracy %.4f ± %.4f (mean ± sample standard"
        + " deviation), test loss %.4f ± %.4f%n", name, outcomes.size(), mean(acc), std(acc), mean(loss), std(loss)));
    return sb.toString();
  }

  static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }

  /** Sample standard deviation (n - 1); 0 for one value. */
  static double std(double[] x) {
    if (x.length < 2) {
      return 0;
    }
    double m = mean(x);
    double s = 0;
    for (double v : x) {
      s += (v - m) * (v - m);
    }
    return Math.sqrt(s / (x.length - 1));
  }

  private static Outcome read(ObjectMapper json, Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      JsonNode n = json.readTree(file.toFile());
      return new Outcome(n.path("seed").asLong(), n.path("test_accuracy").asDouble(), n.path("test_loss").asDouble(),
          n.path("epochs").asInt(), n.path("seconds").asDouble(), n.path("savedmodel").asText());
    } catch (IOException e) {
      return null; // unreadable: train the seed again
    }
  }
}
