package dev.fmnist.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fmnist.FmnistException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A hyperparameter sweep: a base recipe, fixed changes applied to every trial, and the values to
 * try, expanded as a grid (every combination, the first parameter varying slowest) or sampled at
 * random without repetition (seeded).
 *
 * <p>Parameter keys are short names ({@link #SHORT_KEYS}) or dotted paths into the recipe, such as
 * {@code training.schedule.type} or {@code model.layers[0].conv.filters}. Every trial's recipe is
 * checked by the recipe loader's rules, so a bad value fails before anything trains.
 *
 * @param name the sweep's name: its run directory and the best trial's SavedModel are named after it
 * @param file the sweep file
 * @param base the base recipe
 * @param mode grid or random
 * @param samples trials to sample in random mode (0 in grid mode)
 * @param seed seeds random sampling
 * @param fixed changes applied to every trial, in order
 * @param parameters the values to try per key, in file order
 */
public record Sweep(
    String name,
    Path file,
    Recipe base,
    Mode mode,
    int samples,
    long seed,
    Map<String, JsonNode> fixed,
    Map<String, List<JsonNode>> parameters) {

  /** How trials are chosen. */
  public enum Mode {
    /** Every combination of the parameter values, the first parameter varying slowest. */
    GRID,
    /** {@code samples} combinations drawn at random without repetition, seeded by {@code seed}. */
    RANDOM
  }

  /** One trial: its number (from 1), the parameter values, and the recipe they give. */
  public record Trial(int number, Map<String, JsonNode> values, Recipe recipe) {
    /**
     * {@code 001}, {@code 002}, ...: directory names that sort in trial order.
     *
     * @return the trial number, three digits with leading zeros
     */
    public String id() {
      return String.format(Locale.ROOT, "%03d", number);
    }

    /**
     * {@code learning_rate=0.001 batch_size=64}.
     *
     * @return the parameter values as {@code key=value} pairs, separated by spaces, in parameter
     *     order
     */
    public String describe() {
      return values.entrySet().stream()
          .map(e -> e.getKey() + "=" + (e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()))
          .collect(Collectors.joining(" "));
    }
  }

  /** Short keys and what they change. */
  public static final Map<String, String> SHORT_KEYS = shortKeys();

  /** The most trials a sweep may expand to, in either mode (checked when the sweep file is loaded). */
  public static final int MAX_TRIALS = 10_000;

  private static final Set<String> TOP_LEVEL =
      Set.of("name", "description", "recipe", "mode", "trials", "seed", "fixed", "parameters");
  private static final Pattern PATH_PART = Pattern.compile("([a-z_0-9]+)((?:\\[[0-9]+\\])*)");
  private static final Pattern INDEX = Pattern.compile("\\[([0-9]+)\\]");

  private static Map<String, String> shortKeys() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("learning_rate", "training.adam.learning_rate");
    m.put("batch_size", "training.batch_size");
    m.put("epochs", "training.epochs");
    m.put("seed", "training.seed");
    m.put("validation_split", "training.validation_split");
    m.put("optimizer", "only adam (the trainer's optimizer)");
    m.put("dropout", "the rate of every dropout layer");
    m.put("kernel", "the kernel size of every conv layer");
    m.put("filters", "the filters of every conv layer (a number), or one per conv layer (a list)");
    m.put("dense_units", "the units of every hidden dense layer (a number), or one per layer (a list)");
    m.put("batch_norm", "batch_norm of every conv layer (true/false)");
    return Collections.unmodifiableMap(m);
  }

  /**
   * Loads a sweep file; the base recipe path is relative to the sweep file's directory.
   *
   * @param file the sweep file (YAML)
   * @return the sweep, every trial's recipe checked
   * @throws ConfigException naming the file and the key when anything is wrong
   */
  public static Sweep load(Path file) {
    JsonNode root = RecipeLoader.readYamlTree(file);
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!TOP_LEVEL.contains(k)) {
        throw bad(file, k, "unknown key; a sweep has " + String.join(", ", new java.util.TreeSet<>(TOP_LEVEL)));
      }
    }
    String stem = file.getFileName().toString().replaceFirst("\\.[yY][aA]?[mM][lL]$", "");
    String name = text(file, root, "name", stem);
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
      throw bad(file, "name", "use letters, digits, '.', '_' or '-', found '" + name + "'");
    }
    if (!root.has("recipe")) {
      throw bad(file, "recipe", "missing: name the base recipe, e.g. 'recipe: cnn.yaml' (relative to this file)");
    }
    Path dir = file.toAbsolutePath().getParent();
    Path recipeFile = dir.resolve(text(file, root, "recipe", null));
    if (!Files.exists(recipeFile) && Files.exists(Path.of(root.get("recipe").asText()))) {
      recipeFile = Path.of(root.get("recipe").asText()); // relative to the working directory
    }
    Recipe base = RecipeLoader.load(recipeFile);
    Mode mode;
    try {
      mode = Mode.valueOf(text(file, root, "mode", "grid").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw bad(file, "mode", "must be grid or random, found '" + root.get("mode").asText() + "'");
    }
    int samples = 0;
    if (mode == Mode.RANDOM) {
      if (!root.has("trials") || !root.get("trials").canConvertToInt() || root.get("trials").asInt() < 1) {
        throw bad(file, "trials", "random mode needs a number of trials >= 1");
      }
      samples = root.get("trials").asInt();
      if (samples > MAX_TRIALS) {
        throw bad(file, "trials", samples + " is more than " + MAX_TRIALS + " (the most trials a sweep may run)");
      }
    } else if (root.has("trials")) {
      throw bad(file, "trials", "only for mode: random (a grid runs every combination)");
    }
    long seed = 42;
    if (root.has("seed")) {
      if (!root.get("seed").isIntegralNumber()) {
        throw bad(file, "seed", "must be a whole number, found " + root.get("seed"));
      }
      seed = root.get("seed").asLong();
    }
    Map<String, JsonNode> fixed = new LinkedHashMap<>();
    JsonNode f = root.path("fixed");
    if (!f.isMissingNode()) {
      if (!f.isObject()) {
        throw bad(file, "fixed", "must be a map of key: value");
      }
      f.fields().forEachRemaining(e -> fixed.put(e.getKey(), e.getValue()));
    }
    JsonNode p = root.path("parameters");
    if (!p.isObject() || p.isEmpty()) {
      throw bad(file, "parameters", "missing or empty: give each key a list of values, e.g. 'learning_rate: [0.001, 0.01]'");
    }
    Map<String, List<JsonNode>> parameters = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isArray() || e.getValue().isEmpty()) {
        throw bad(file, "parameters." + e.getKey(), "must be a non-empty list of values, found " + e.getValue());
      }
      List<JsonNode> values = new ArrayList<>();
      e.getValue().forEach(values::add);
      if (new java.util.HashSet<>(values).size() != values.size()) {
        throw bad(file, "parameters." + e.getKey(), "lists a value twice: " + e.getValue());
      }
      parameters.put(e.getKey(), List.copyOf(values));
    }
    Sweep sweep = new Sweep(name, file, base, mode, samples, seed, fixed, parameters);
    long total = sweep.gridSize();
    if (total > MAX_TRIALS && mode == Mode.GRID) {
      throw bad(file, "parameters", "the grid has " + total + " combinations, more than " + MAX_TRIALS
          + "; use mode: random with a number of trials");
    }
    sweep.trials(); // every trial's recipe is checked now, before anything trains
    return sweep;
  }

  /**
   * The number of combinations of the parameter values.
   *
   * @return the product of the value counts per parameter, or {@link Long#MAX_VALUE} when it
   *     exceeds {@link Integer#MAX_VALUE}
   */
  public long gridSize() {
    long n = 1;
    for (List<JsonNode> v : parameters.values()) {
      n = Math.multiplyExact(n, v.size());
      if (n > Integer.MAX_VALUE) {
        return Long.MAX_VALUE;
      }
    }
    return n;
  }

  /**
   * The trials in order: the whole grid, or the seeded random sample (at most the grid's size).
   *
   * @return the trials, numbered from 1
   */
  public List<Trial> trials() {
    List<String> keys = new ArrayList<>(parameters.keySet());
    long total = gridSize();
    List<Long> picks = new ArrayList<>();
    if (mode == Mode.GRID) {
      for (long i = 0; i < total; i++) {
        picks.add(i);
      }
    } else {
      Random r = new Random(seed);
      int n = (int) Math.min(samples, total);
      Set<Long> seen = new java.util.LinkedHashSet<>();
      while (seen.size() < n) {
        seen.add(total == Long.MAX_VALUE ? r.nextLong() & Long.MAX_VALUE : (long) (r.nextDouble() * total));
      }
      picks.addAll(seen);
    }
    List<Trial> trials = new ArrayList<>();
    for (long index : picks) {
      Map<String, JsonNode> values = new LinkedHashMap<>();
      long rest = index;
      for (int k = keys.size() - 1; k >= 0; k--) { // the last key varies fastest
        List<JsonNode> v = parameters.get(keys.get(k));
        values.put(keys.get(k), v.get((int) (rest % v.size())));
        rest /= v.size();
      }
      Map<String, JsonNode> ordered = new LinkedHashMap<>();
      keys.forEach(k -> ordered.put(k, values.get(k)));
      int number = trials.size() + 1;
      trials.add(new Trial(number, Collections.unmodifiableMap(ordered), recipeFor(number, ordered)));
    }
    return trials;
  }

  private Recipe recipeFor(int number, Map<String, JsonNode> values) {
    ObjectNode tree = (ObjectNode) RecipeLoader.toTree(base).deepCopy();
    tree.put("name", name);
    String where = file + ": ";
    fixed.forEach((k, v) -> set(tree, k, v, where + "fixed." + k));
    values.forEach((k, v) -> set(tree, k, v, where + "parameters." + k));
    String source = file + ": trial " + number + " (" + values.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")) + ")";
    Recipe r = RecipeLoader.fromJson(tree.toString(), source);
    if (!java.util.Objects.equals(r.data(), base.data())) {
      throw new ConfigException(source + ": changes the data section; every trial of a sweep trains on the base"
          + " recipe's images");
    }
    return r;
  }

  /** Applies one key to a recipe tree (short key or dotted path). */
  static void set(ObjectNode recipe, String key, JsonNode value, String where) {
    ArrayNode layers = (ArrayNode) recipe.path("model").path("layers");
    switch (key) {
      case "learning_rate", "batch_size", "epochs", "seed", "validation_split" ->
          setPath(recipe, SHORT_KEYS.get(key), value, where);
      case "optimizer" -> {
        if (!value.isTextual() || !value.asText().equalsIgnoreCase("adam")) {
          throw new ConfigException(where + ": only adam is supported (the trainer's optimizer), found " + value);
        }
      }
      case "dropout" -> setEvery(layers, "dropout", "rate", value, where);
      case "kernel" -> setEvery(layers, "conv", "kernel", value, where);
      case "batch_norm" -> setEvery(layers, "conv", "batch_norm", value, where);
      case "filters" -> setEach(layers, "conv", "filters", value, where, false);
      case "dense_units" -> setEach(layers, "dense", "units", value, where, true);
      default -> {
        if (!key.contains(".")) {
          throw new ConfigException(where + ": unknown key; use one of " + String.join(", ", SHORT_KEYS.keySet())
              + ", or a dotted path into the recipe such as training.schedule.type or model.layers[0].conv.filters");
        }
        setPath(recipe, key, value, where);
      }
    }
  }

  private static void setEvery(ArrayNode layers, String type, String field, JsonNode value, String where) {
    int n = 0;
    for (JsonNode layer : layers) {
      if (layer.has(type)) {
        ((ObjectNode) layer.get(type)).set(field, value);
        n++;
      }
    }
    if (n == 0) {
      throw new ConfigException(where + ": the recipe has no " + type + " layer");
    }
  }

  /** A number sets every matching layer; a list sets them in order (one value per layer). */
  private static void setEach(ArrayNode layers, String type, String field, JsonNode value, String where,
      boolean skipLast) {
    List<ObjectNode> targets = new ArrayList<>();
    for (JsonNode layer : layers) {
      if (layer.has(type)) {
        targets.add((ObjectNode) layer.get(type));
      }
    }
    if (skipLast && !targets.isEmpty()) {
      targets.remove(targets.size() - 1); // the logits layer keeps one unit per class
    }
    if (targets.isEmpty()) {
      throw new ConfigException(where + ": the recipe has no " + (skipLast ? "hidden " : "") + type + " layer");
    }
    if (value.isArray()) {
      if (value.size() != targets.size()) {
        throw new ConfigException(where + ": " + value + " has " + value.size() + " values for "
            + targets.size() + " " + type + " layers");
      }
      for (int i = 0; i < targets.size(); i++) {
        targets.get(i).set(field, value.get(i));
      }
    } else {
      targets.forEach(t -> t.set(field, value));
    }
  }

  private static void setPath(ObjectNode root, String path, JsonNode value, String where) {
    String[] parts = path.split("\\.");
    JsonNode node = root;
    for (int i = 0; i < parts.length; i++) {
      Matcher m = PATH_PART.matcher(parts[i]);
      if (!m.matches()) {
        throw new ConfigException(where + ": '" + path + "' is not a key path (e.g. model.layers[0].conv.filters)");
      }
      boolean last = i == parts.length - 1 && m.group(2).isEmpty();
      if (!node.isObject() || !node.has(m.group(1))) {
        throw new ConfigException(where + ": the recipe has no '" + String.join(".", java.util.Arrays.copyOf(parts, i + 1))
            .replaceAll("\\[[0-9]+\\]$", "") + "'");
      }
      if (last) {
        ((ObjectNode) node).set(m.group(1), value);
        return;
      }
      node = node.get(m.group(1));
      Matcher idx = INDEX.matcher(m.group(2));
      List<Integer> indexes = new ArrayList<>();
      while (idx.find()) {
        indexes.add(Integer.parseInt(idx.group(1)));
      }
      for (int j = 0; j < indexes.size(); j++) {
        int k = indexes.get(j);
        if (!node.isArray() || k >= node.size()) {
          throw new ConfigException(where + ": '" + path + "': index " + k + " is out of range");
        }
        if (i == parts.length - 1 && j == indexes.size() - 1) {
          ((ArrayNode) node).set(k, value);
          return;
        }
        node = node.get(k);
      }
    }
  }

  private static String text(Path file, JsonNode root, String key, String dflt) {
    JsonNode n = root.get(key);
    if (n == null) {
      return dflt;
    }
    if (!n.isTextual()) {
      throw bad(file, key, "must be text, found " + n);
    }
    return n.asText();
  }

  private static FmnistException bad(Path file, String key, String what) {
    return new ConfigException(file + ": " + key + ": " + what);
  }

  /**
   * The trial list as JSON, to recognise the same sweep when it resumes.
   *
   * @param trials the trials, e.g. {@link #trials()}
   * @return pretty-printed JSON, one object per trial with its number, values and recipe
   */
  public static String planJson(List<Trial> trials) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    for (Trial t : trials) {
      ObjectNode o = a.addObject();
      o.put("trial", t.number());
      ObjectNode v = o.putObject("values");
      t.values().forEach(v::set);
      o.set("recipe", RecipeLoader.toTree(t.recipe()));
    }
    return a.toPrettyString() + "\n";
  }
}
