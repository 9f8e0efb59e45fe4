package dev.fmnist.workflow;

import dev.fmnist.TerminalText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fmnist.AtomicFiles;
import dev.fmnist.config.Recipe;
import dev.fmnist.export.ModelExporter;
import dev.fmnist.train.EpochRecord;
import dev.fmnist.train.TrainingHistory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The same recipe trained with N seeds ({@code fmnist train --repeats N}): seeds S, S+1, ...,
 * S+N-1 (S the recipe's), each in {@code <run-dir>/seed-<S>/} and exported as {@code
 * <name>-seed<S>}, then the mean and sample standard deviation of their test accuracy and loss,
 * written to {@code repeats.md} and {@code repeats.json}. A seed whose {@code repeat.json} exists
 * is not trained again; an interrupted one resumes from its checkpoints.
 */
public final class SeedRepeats {
  /** Each seed's result file, in its run directory. */
  public static final String RESULT = "repeat.json";
  /** The summary table, in the repeats' run directory. */
  public static final String MARKDOWN = "repeats.md";
  /** The summary as JSON. */
  public static final String JSON_FILE = "repeats.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One seed's outcome. */
  public record Outcome(long seed, double accuracy, double loss, int epochs, double seconds, String savedModel) {}

  /**
   * Every seed's outcome and their statistics.
   *
   * @param recipe the recipe's name
   * @param outcomes one per seed, in seed order
   */
  public record Summary(String recipe, List<Outcome> outcomes) {
    /**
     * The mean test accuracy.
     *
     * @return the mean over the seeds
     */
    public double accuracyMean() {
      return mean(outcomes.stream().mapToDouble(Outcome::accuracy).toArray());
    }

    /**
     * The sample standard deviation (n - 1) of the test accuracy.
     *
     * @return the deviation, 0 for one seed
     */
    public double accuracyStd() {
      return std(outcomes.stream().mapToDouble(Outcome::accuracy).toArray());
    }

    /**
     * The mean test loss.
     *
     * @return the mean over the seeds
     */
    public double lossMean() {
      return mean(outcomes.stream().mapToDouble(Outcome::loss).toArray());
    }

    /**
     * The sample standard deviation (n - 1) of the test loss.
     *
     * @return the deviation, 0 for one seed
     */
    public double lossStd() {
      return std(outcomes.stream().mapToDouble(Outcome::loss).toArray());
    }

    /**
     * The table of seeds and the summary line, as {@code repeats.md} holds them.
     *
     * @return the Markdown text
     */
    public String markdown() {
      StringBuilder sb = new StringBuilder("| seed | test accuracy | test loss | epochs | seconds | SavedModel |\n"
          + "|---:|---:|---:|---:|---:|---|\n");
      for (Outcome o : outcomes) {
        sb.append(String.format(Locale.ROOT, "| %d | %.4f | %.4f | %d | %.0f | %s |%n", o.seed(), o.accuracy(), o.loss(),
            o.epochs(), o.seconds(), o.savedModel()));
      }
      sb.append(String.format(Locale.ROOT, "%n%s over %s: test accuracy %.4f ± %.4f (mean ± sample standard"
          + " deviation), test loss %.4f ± %.4f%n", recipe, TerminalText.plural(outcomes.size(), "seed"),
          accuracyMean(), accuracyStd(), lossMean(), lossStd()));
      return sb.toString();
    }
  }

  private final TrainAndExport trainer;

  /**
   * Repeats that train and export each seed with {@code trainer}.
   *
   * @param trainer trains and exports each seed
   */
  public SeedRepeats(TrainAndExport trainer) {
    this.trainer = trainer;
  }

  /**
   * Trains the seeds not finished before and writes the summary files into {@code runDir}.
   *
   * @param repeats how many seeds, at least 1
   * @param recipe the recipe; each repeat changes only its seed
   * @param runDir the repeats' run directory; each seed gets a subdirectory
   * @param log receives a line per seed
   * @return every seed's outcome and their statistics
   * @throws IllegalArgumentException when {@code repeats} is less than 1
   */
  public Summary run(Recipe recipe, Path runDir, int repeats, PrintWriter log) {
    if (repeats < 1) {
      throw new IllegalArgumentException("repeats must be >= 1, found " + repeats);
    }
    long first = recipe.training().seed();
    List<Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < repeats; i++) {
      long seed = first + i;
      Path dir = runDir.resolve("seed-" + seed);
      Path result = dir.resolve(RESULT);
      Outcome o = read(result);
      if (o != null) {
        log.printf(Locale.ROOT, "repeat %d/%d (seed %d): finished before: test accuracy %.4f%n", i + 1, repeats,
            seed, o.accuracy());
        outcomes.add(o);
        continue;
      }
      log.printf(Locale.ROOT, "repeat %d/%d (seed %d)%n", i + 1, repeats, seed);
      Recipe r = recipe.toBuilder().name(recipe.name() + "-seed" + seed).training(t -> t.seed(seed)).build();
      TrainAndExport.Outcome run = trainer.run(r, dir, true);
      ModelExporter.Exported e = run.export();
      TrainingHistory h = run.training().history();
      double seconds = h.epochs().stream().mapToDouble(EpochRecord::seconds).sum();
      int epochs = h.epochs().size();
      o = new Outcome(seed, e.test().accuracy(), e.test().loss(), epochs, seconds, e.dir().toString());
      ObjectNode n = JSON.createObjectNode().put("seed", seed).put("test_accuracy", o.accuracy())
          .put("test_loss", o.loss()).put("epochs", epochs).put("seconds", seconds).put("savedmodel", o.savedModel());
      AtomicFiles.write(result, (n.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8));
      outcomes.add(o);
    }
    Summary summary = new Summary(recipe.name(), outcomes);
    ObjectNode s = JSON.createObjectNode().put("recipe", recipe.name()).put("repeats", outcomes.size());
    s.put("test_accuracy_mean", summary.accuracyMean()).put("test_accuracy_std", summary.accuracyStd())
        .put("test_loss_mean", summary.lossMean()).put("test_loss_std", summary.lossStd());
    ArrayNode runs = s.putArray("runs");
    for (Outcome o : outcomes) {
      runs.addObject().put("seed", o.seed()).put("test_accuracy", o.accuracy()).put("test_loss", o.loss())
          .put("epochs", o.epochs()).put("seconds", o.seconds()).put("savedmodel", o.savedModel());
    }
    AtomicFiles.write(runDir.resolve(JSON_FILE), (s.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(runDir.resolve(MARKDOWN), summary.markdown().getBytes(StandardCharsets.UTF_8));
    return summary;
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

  private static Outcome read(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(file.toFile());
      return new Outcome(n.path("seed").asLong(), n.path("test_accuracy").asDouble(), n.path("test_loss").asDouble(),
          n.path("epochs").asInt(), n.path("seconds").asDouble(), n.path("savedmodel").asText());
    } catch (IOException e) {
      return null; // unreadable: train the seed again
    }
  }
}
