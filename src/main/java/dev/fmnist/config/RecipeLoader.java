package dev.fmnist.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.fmnist.AtomicFiles;
import dev.fmnist.FmnistException;
import dev.fmnist.SmallFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads recipes from YAML with a safe loader (plain maps, lists and scalars; no Java types from
 * tags, few aliases, bounded size), and writes them as JSON for manifests and checkpoints. A
 * recipe file's relative {@code data.path} is resolved against the file's directory when it is
 * loaded, so the JSON holds an absolute path and a run resumes or exports from any working
 * directory.
 */
public final class RecipeLoader {
  /** Recipes are small; anything bigger is not a recipe. */
  static final int MAX_RECIPE_BYTES = 1 << 20;

  private static final int MAX_ALIASES = 20;
  /** The tags of YAML's core schema, the only ones a recipe may carry. */
  private static final java.util.Set<String> CORE_TAGS = java.util.Set.of("str", "int", "float", "bool", "null",
      "seq", "map").stream().map(t -> "tag:yaml.org,2002:" + t).collect(Collectors.toUnmodifiableSet());

  private static final ObjectMapper YAML = configure(YAMLMapper.builder(yamlFactory()).build());
  private static final ObjectMapper JSON = configure(JsonMapper.builder().build());

  private RecipeLoader() {}

  private static YAMLFactory yamlFactory() {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setAllowRecursiveKeys(false);
    options.setCodePointLimit(MAX_RECIPE_BYTES);
    options.setNestingDepthLimit(50);
    options.setAllowDuplicateKeys(false);
    return YAMLFactory.builder()
        .loaderOptions(options)
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(50).build())
        .build();
  }

  private static ObjectMapper configure(ObjectMapper m) {
    m.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    m.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    m.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    m.configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS, true);
    m.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
    m.enable(SerializationFeature.INDENT_OUTPUT);
    m.configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    return m;
  }

  /**
   * Loads and checks a recipe file.
   *
   * @param file a YAML recipe, at most the recipe size limit; relative {@code data.path} is
   *     resolved against its directory
   * @return the checked recipe
   * @throws ConfigException naming the file and the key when anything is wrong
   */
  public static Recipe load(Path file) {
    Recipe r = parse(readText(file, "recipe", "no such recipe file (see configs/ for examples)"), file.toString());
    if (r.data() == null) {
      return r;
    }
    Path dir = file.toAbsolutePath().getParent();
    return r.toBuilder().data(r.data().resolvedAgainst(dir)).build();
  }

  /**
   * A small YAML file's content, or a one-line error naming it ({@code kind}: what it should be).
   * The file is registered as read ({@link AtomicFiles#reading}): no output of the command replaces it.
   */
  private static String readText(Path file, String kind, String missing) {
    try {
      byte[] bytes = SmallFiles.read(file, MAX_RECIPE_BYTES, "a YAML " + kind, ConfigException::new);
      AtomicFiles.reading(file);
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": " + missing);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new ConfigException(file + ": not UTF-8 text (a " + kind + " is a YAML text file)", e);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Reads a YAML file (a sweep file) as a tree with the recipe loader's safety rules: core tags
   * only, no keys without values, size and alias limits.
   *
   * @param file the YAML file
   * @return the YAML tree, a map at the top
   * @throws ConfigException naming the file when it is missing, too large, not valid YAML, not a
   *     map or uses a refused construct
   */
  public static com.fasterxml.jackson.databind.JsonNode readYamlTree(Path file) {
    String text = readText(file, "sweep file", "no such file");
    refuseTagsAndNulls(text, file.toString());
    try {
      com.fasterxml.jackson.databind.JsonNode n = YAML.readTree(text);
      if (n == null || !n.isObject()) {
        throw new ConfigException(file + ": expected a YAML map of keys and values");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new ConfigException(file + ": " + describe(e), e);
    }
  }

  /**
   * Parses recipe YAML; {@code source} names it in errors.
   *
   * @param yaml the recipe's YAML text
   * @param source the file name or other label to start error messages with
   * @return the checked recipe; a relative {@code data.path} is left as written
   * @throws ConfigException naming the source and the key when anything is wrong
   */
  public static Recipe parse(String yaml, String source) {
    try {
      refuseTagsAndNulls(yaml, source);
      Recipe r = YAML.readValue(yaml, Recipe.class);
      if (r == null) {
        throw new ConfigException(source + ": empty recipe");
      }
      return r;
    } catch (JsonProcessingException e) {
      throw new ConfigException(source + ": " + describe(e), e);
    } catch (ConfigException e) { // thrown outside Jackson's instantiation wrapping
      throw new ConfigException(source + ": " + e.getMessage(), e);
    }
  }

  /**
   * Refuses explicit YAML tags other than the core schema's ({@code !!str}, {@code !!int}, ...):
   * Jackson would ignore a tag such as {@code !!java.util.HashMap} rather than construct the type,
   * but a recipe that asks for one is not what it seems. Refuses keys without a value ({@code
   * learning_rate:}) too, which would otherwise silently take the default.
   */
  private static void refuseTagsAndNulls(String yaml, String source) {
    try (JsonParser p = YAML.getFactory().createParser(yaml)) {
      while (p.nextToken() != null) {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
          String key = key(p.getParsingContext(), p.currentToken());
          throw new ConfigException(source + ": " + (key.isEmpty() ? "" : key + ": ")
              + "no value (give one, or leave the key out for the default)");
        }
        Object id = p.getTypeId();
        String tag = id == null ? null : id.toString();
        if (tag != null && !CORE_TAGS.contains(tag)) {
          String key = key(p.getParsingContext(), p.currentToken());
          throw new ConfigException(source + ": " + (key.isEmpty() ? "" : key + ": ") + "YAML tag '" + showTag(tag)
              + "' refused: a recipe holds plain maps, lists and values");
        }
      }
    } catch (IOException e) {
      // not YAML (a string has no other I/O): the parse proper says where
    }
  }

  /** The dotted path of the value at the parser's position, e.g. {@code model.layers[2].dense}. */
  private static String key(JsonStreamContext c, JsonToken t) {
    if (t != null && t.isStructStart()) {
      c = c.getParent(); // a map or list just opened: name it by where it sits in its parent
    }
    java.util.Deque<String> parts = new java.util.ArrayDeque<>();
    for (; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inObject()) {
        parts.push("." + c.getCurrentName());
      } else if (c.inArray()) {
        parts.push("[" + c.getCurrentIndex() + "]");
      }
    }
    String k = String.join("", parts);
    return k.startsWith(".") ? k.substring(1) : k;
  }

  private static String showTag(String tag) {
    String core = "tag:yaml.org,2002:";
    return tag.startsWith(core) ? "!!" + tag.substring(core.length()) : "!" + tag;
  }

  /**
   * {@code e} with the recipe file named in front when its message starts with a recipe key
   * ({@code model.layers[1] (dense): ...}, {@code training.validation_split: ...}), as an error
   * found while building or training from the recipe is; {@code e} itself otherwise.
   *
   * @param recipeFile the recipe file the run was loaded from
   * @param e the error
   * @return the error to report
   */
  public static ConfigException naming(Path recipeFile, ConfigException e) {
    String m = String.valueOf(e.getMessage());
    if (m.matches("(?s)(model|training|data)[.\\[:].*")) {
      return new ConfigException(recipeFile + ": " + m, e);
    }
    return e;
  }

  /**
   * The recipe as JSON (snake_case keys), as stored in manifests and checkpoints.
   *
   * @param recipe the recipe
   * @return compact JSON of every recipe value
   */
  public static String toJson(Recipe recipe) {
    try {
      return JSON.writeValueAsString(recipe);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write recipe as JSON", e);
    }
  }

  /**
   * Reads a recipe written by {@link #toJson}.
   *
   * @param json JSON from {@link #toJson}
   * @param source the file name to start error messages with
   * @return the checked recipe
   * @throws ConfigException naming the source when the JSON is not a valid recipe
   */
  public static Recipe fromJson(String json, String source) {
    try {
      return JSON.readValue(json, Recipe.class);
    } catch (JsonProcessingException e) {
      throw new ConfigException(source + ": " + describe(e), e);
    } catch (ConfigException e) {
      throw new ConfigException(source + ": " + e.getMessage(), e);
    }
  }

  /**
   * The recipe as a JSON tree, for embedding in other JSON documents.
   *
   * @param recipe the recipe
   * @return the JSON tree {@link #toJson} would write
   */
  public static com.fasterxml.jackson.databind.JsonNode toTree(Recipe recipe) {
    return JSON.valueToTree(recipe);
  }

  /**
   * SHA-256 of the architecture alone: two recipes that build the same variables share it
   * (test-time flip averaging changes only the exported function, so it is left out).
   *
   * @param model the architecture
   * @return the SHA-256 of its JSON without test-time flip, as 64 lowercase hex digits
   */
  public static String architectureFingerprint(ModelSpec model) {
    try {
      byte[] json = JSON.writeValueAsBytes(model.withTestTimeFlip(false));
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot fingerprint the architecture", e);
    }
  }

  private static String describe(JsonProcessingException e) {
    if (!(e instanceof JsonMappingException me)) {
      String loc = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ": ";
      return loc + "not valid YAML: " + FmnistException.firstLine(e.getOriginalMessage());
    }
    String path = path(me);
    String where = path.isEmpty() ? "" : path + ": ";
    if (me instanceof UnrecognizedPropertyException u) {
      String known =
          u.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
      return where + "unknown key (known keys here: " + known + ")";
    }
    if (me instanceof InvalidTypeIdException t) {
      return where
          + "unknown layer type '"
          + t.getTypeId()
          + "' (known: conv, maxpool, dense, dropout, batchnorm, flatten, residual, global_avg_pool)";
    }
    if (me instanceof ValueInstantiationException && me.getCause() instanceof ConfigException c) {
      return (path.isEmpty() ? "" : path + ".") + c.key() + ": " + c.problem();
    }
    if (me instanceof InvalidFormatException f) {
      return where
          + "expected "
          + typeName(f.getTargetType())
          + ", found '"
          + f.getValue()
          + "'";
    }
    if (me.getCause() instanceof InputCoercionException c && c.getTargetType() != null) {
      boolean isLong = c.getTargetType() == Long.class || c.getTargetType() == long.class;
      return where + "expected " + typeName(c.getTargetType()) + " from " + (isLong ? Long.MIN_VALUE : Integer.MIN_VALUE)
          + " to " + (isLong ? Long.MAX_VALUE : Integer.MAX_VALUE) + ", found " + found(c.getProcessor());
    }
    if (me instanceof MismatchedInputException m && m.getTargetType() != null) {
      return where + "expected " + typeName(m.getTargetType()) + ", found " + found(m.getProcessor());
    }
    return where + FmnistException.firstLine(me.getOriginalMessage());
  }

  /** The value a parser stopped at, in words: {@code 'abc'}, {@code true}, {@code a list}, {@code a map}. */
  private static String found(Object processor) {
    if (!(processor instanceof JsonParser p) || p.currentToken() == null) {
      return "another kind of value";
    }
    try {
      return switch (p.currentToken()) {
        case VALUE_STRING -> p.getText().isEmpty() ? "nothing" : "'" + p.getText() + "'";
        case START_ARRAY -> "a list";
        case START_OBJECT -> "a map";
        case VALUE_TRUE, VALUE_FALSE, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getText();
        default -> "another kind of value";
      };
    } catch (IOException e) {
      return "another kind of value";
    }
  }


  private static String typeName(Class<?> t) {
    if (t == null) {
      return "another value";
    }
    if (t == Integer.class || t == int.class || t == Long.class || t == long.class) {
      return "a whole number";
    }
    if (t == Double.class || t == double.class) {
      return "a number";
    }
    if (t == Boolean.class || t == boolean.class) {
      return "true or false";
    }
    if (t.isEnum()) {
      StringBuilder sb = new StringBuilder("one of");
      for (Object c : t.getEnumConstants()) {
        sb.append(' ').append(c.toString().toLowerCase(java.util.Locale.ROOT));
      }
      return sb.toString();
    }
    if (t == String.class) {
      return "text";
    }
    if (java.util.Collection.class.isAssignableFrom(t) || t.isArray()) {
      return "a list";
    }
    if (t.getEnclosingClass() == Layer.class) {
      return "a map (the " + t.getSimpleName().toLowerCase(java.util.Locale.ROOT) + " layer's settings, {} for none)";
    }
    return "a map of keys and values";
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

}
