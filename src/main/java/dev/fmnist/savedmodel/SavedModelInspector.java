package dev.fmnist.savedmodel;

import dev.fmnist.ModelException;
import dev.fmnist.StorageException;
import dev.fmnist.FmnistException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Reads a SavedModel's {@code saved_model.pb} as a protocol buffer, without loading TensorFlow, and
 * checks that it is an image classifier: a MetaGraph tagged {@code serve}, a signature with one
 * float32 image input ({@link ImageLayout}) and a float32 {@code [-1,K]} output of logits or
 * probabilities for K classes (2 or more). Anything else is refused with a {@link ModelException} naming what was
 * expected and what was found.
 */
public final class SavedModelInspector {
  /** The tag of the serving MetaGraph. */
  public static final String SERVE_TAG = "serve";
  /** The signature used when none is named. */
  public static final String DEFAULT_SIGNATURE = "serving_default";

  private static final String INIT_OP_SIGNATURE = "__saved_model_init_op";
  private static final java.util.Set<String> VARIABLE_OPS = java.util.Set.of("VariableV2", "Variable", "VarHandleOp");

  private SavedModelInspector() {}

  /**
   * The SavedModel directory {@code dir} names: {@code dir} itself when it holds {@code
   * saved_model.pb}, else its highest numbered version subdirectory that does (TF Serving layout,
   * e.g. {@code savedmodels/cnn} resolves to {@code savedmodels/cnn/3}).
   *
   * @param dir a SavedModel directory or a directory of numbered versions
   * @return the directory holding {@code saved_model.pb}
   * @throws ModelException when there is no SavedModel there
   * @throws StorageException when {@code dir} cannot be listed
   */
  public static Path locate(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new ModelException(
          dir + ": " + (Files.exists(dir) ? "not a directory" : "no such directory")
              + " (expected a SavedModel directory, e.g. savedmodels/cnn/1)");
    }
    if (Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      return dir;
    }
    List<Path> versions = versions(dir);
    if (versions.isEmpty()) {
      throw new ModelException(
          dir + ": no saved_model.pb here or in a numbered version directory below"
              + " (expected a SavedModel directory, e.g. savedmodels/cnn/1)");
    }
    return versions.get(versions.size() - 1);
  }

  /**
   * The numbered version subdirectories of {@code dir} that hold {@code saved_model.pb}, lowest
   * version first (TF Serving layout).
   *
   * @param dir a model directory
   * @return the version directories, empty when there are none
   * @throws StorageException when {@code dir} cannot be listed
   */
  public static List<Path> versions(Path dir) {
    try (Stream<Path> children = Files.list(dir)) {
      return children
          .filter(p -> p.getFileName().toString().matches("\\d{1,18}"))
          .filter(p -> Files.isRegularFile(p.resolve("saved_model.pb")))
          .sorted((a, b) -> Long.compare(version(a), version(b)))
          .toList();
    } catch (IOException e) {
      throw new StorageException(dir + ": cannot list directory: " + e.getMessage(), e);
    }
  }

  /**
   * Which version {@link #locate} picks when {@code dir} is a model directory of two or more
   * versions, in words: {@code savedmodels/mlp/2 (newest of 2 versions)}; empty when {@code dir}
   * is a SavedModel itself, holds one version only, or is not a directory.
   *
   * @param dir what the user named
   * @return the choice in words, control characters not escaped
   */
  public static Optional<String> versionChoice(Path dir) {
    if (!Files.isDirectory(dir) || Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      return Optional.empty();
    }
    List<Path> versions = versions(dir);
    if (versions.size() < 2) {
      return Optional.empty();
    }
    return Optional.of(versions.get(versions.size() - 1) + " (newest of " + versions.size() + " versions)");
  }

  private static long version(Path p) {
    return Long.parseLong(p.getFileName().toString());
  }

  /**
   * Checks the SavedModel in {@code modelDir} (already {@linkplain #locate located}), its ops
   * included (see {@link OpAllowlist}).
   *
   * @param signatureKey the signature to use, or null for {@value #DEFAULT_SIGNATURE}
   * @param outputKey the output to use, or null to choose: {@code logits} if present, else the only
   *     {@code [-1,K]} output (K &gt;= 2), else {@code probabilities}
   * @param modelDir the SavedModel directory
   * @return the signature's input, output and layout
   * @throws ModelException naming what was expected and found when the model does not fit
   * @throws StorageException when {@code saved_model.pb} cannot be read
   */
  public static ModelSignature inspect(Path modelDir, String signatureKey, String outputKey) {
    return inspect(modelDir, signatureKey, outputKey, false);
  }

  /**
   * Checks the SavedModel in {@code modelDir} as {@link #inspect(Path, String, String)} does; with
   * {@code trustModel}, without checking its ops against {@link OpAllowlist}.
   *
   * @param modelDir the SavedModel directory
   * @param signatureKey the signature to use, or null for {@value #DEFAULT_SIGNATURE}
   * @param outputKey the output to use, or null to choose
   * @param trustModel true to skip the op allowlist
   * @return the signature's input, output and layout
   * @throws ModelException naming what was expected and found when the model does not fit
   * @throws StorageException when {@code saved_model.pb} cannot be read
   */
  public static ModelSignature inspect(Path modelDir, String signatureKey, String outputKey, boolean trustModel) {
    String sigKey = signatureKey == null ? DEFAULT_SIGNATURE : signatureKey;
    Path pb = modelDir.resolve("saved_model.pb");
    SavedModel model = read(pb);
    MetaGraphDef meta = serving(model, modelDir);
    if (!trustModel) {
      OpAllowlist.requireAllowed(meta, modelDir);
    }
    requireVariables(meta, modelDir);
    SignatureDef sig = meta.getSignatureDefMap().get(sigKey);
    if (sig == null) {
      List<String> found = new ArrayList<>(meta.getSignatureDefMap().keySet());
      found.remove(INIT_OP_SIGNATURE);
      found.sort(null);
      throw new ModelException(
          modelDir + ": no signature '" + sigKey + "' (found: "
              + (found.isEmpty() ? "none" : String.join(", ", found)) + ")"
              + (found.isEmpty() ? "" : "; choose one with --signature"));
    }
    String where = modelDir + ": signature '" + sigKey + "'";
    Map<String, TensorInfo> inputs = new TreeMap<>(sig.getInputsMap());
    if (inputs.size() != 1) {
      throw new ModelException(
          where + ": expected one image input, found " + inputs.size()
              + (inputs.isEmpty() ? "" : " (" + describeAll(inputs) + ")"));
    }
    Map.Entry<String, TensorInfo> in = inputs.entrySet().iterator().next();
    TensorInfo ti = in.getValue();
    long[] inShape = shapeOf(ti);
    ImageLayout layout = inShape == null ? null : ImageLayout.match(inShape);
    if (ti.getEncodingCase() != TensorInfo.EncodingCase.NAME
        || ti.getDtype() != DataType.DT_FLOAT
        || layout == null) {
      throw new ModelException(
          where + ": input '" + in.getKey() + "': expected float32 " + ImageLayout.expected()
              + ", found " + describe(ti));
    }
    int fixedBatch = inShape[0] > 0 ? (int) Math.min(inShape[0], Integer.MAX_VALUE) : 0;

    Map<String, TensorInfo> outputs = new TreeMap<>(sig.getOutputsMap());
    Map<String, String> described = new LinkedHashMap<>();
    List<String> candidates = new ArrayList<>();
    for (Map.Entry<String, TensorInfo> e : outputs.entrySet()) {
      described.put(e.getKey(), describe(e.getValue()));
      if (isClassScores(e.getValue())) {
        candidates.add(e.getKey());
      }
    }
    String chosen = ClassScoreOutputs.choose(where, outputKey, described, candidates);
    return new ModelSignature(
        sigKey,
        sig.getMethodName(),
        in.getKey(),
        ti.getName(),
        layout,
        fixedBatch,
        (int) shapeOf(outputs.get(chosen))[1],
        chosen,
        outputs.get(chosen).getName(),
        Map.copyOf(described),
        meta.hasObjectGraphDef());
  }

  private static boolean isClassScores(TensorInfo t) {
    return t.getEncodingCase() == TensorInfo.EncodingCase.NAME
        && t.getDtype() == DataType.DT_FLOAT
        && ClassScoreOutputs.isClassScores(shapeOf(t));
  }

  /**
   * A graph with variables needs {@code variables/variables.index}: without it TensorFlow loads the
   * model anyway and fails only when predicting ("uninitialized value").
   */
  private static void requireVariables(MetaGraphDef meta, Path dir) {
    boolean hasVariables = meta.getGraphDef().getNodeList().stream()
        .anyMatch(n -> VARIABLE_OPS.contains(n.getOp()));
    Path index = dir.resolve("variables").resolve("variables.index");
    if (hasVariables && !Files.isRegularFile(index)) {
      throw new ModelException(dir + ": no variables/variables.index: the model's weights are missing"
          + " (an incomplete copy of the SavedModel?)");
    }
  }

  private static SavedModel read(Path pb) {
    try (InputStream in = Files.newInputStream(pb)) {
      if (Files.size(pb) == 0) {
        throw new ModelException(pb + ": is empty (expected a SavedModel protocol buffer)");
      }
      return SavedModel.parseFrom(in);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      String why = e.getMessage() == null ? "" : e.getMessage().replaceAll("\\.$", "");
      int stop = why.indexOf(". ");
      throw new ModelException(
          pb + ": not a SavedModel protocol buffer (" + (stop > 0 ? why.substring(0, stop) : why)
              + "; truncated or not a SavedModel)", e);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ModelException(pb + ": no such file (expected a SavedModel directory)", e);
    } catch (IOException e) {
      throw new StorageException(pb + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static MetaGraphDef serving(SavedModel model, Path dir) {
    List<String> tagSets = new ArrayList<>();
    for (MetaGraphDef m : model.getMetaGraphsList()) {
      List<String> tags = m.getMetaInfoDef().getTagsList();
      if (tags.contains(SERVE_TAG)) {
        return m;
      }
      tagSets.add(tags.toString());
    }
    throw new ModelException(
        dir + ": no MetaGraph tagged '" + SERVE_TAG + "' (found "
            + (tagSets.isEmpty() ? "no MetaGraphs" : "tag sets " + String.join(", ", tagSets))
            + ")");
  }

  /** The declared shape, or null when the rank is unknown. */
  static long[] shapeOf(TensorInfo t) {
    if (!t.hasTensorShape() || t.getTensorShape().getUnknownRank()) {
      return null;
    }
    TensorShapeProto s = t.getTensorShape();
    long[] dims = new long[s.getDimCount()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = s.getDim(i).getSize();
    }
    return dims;
  }

  /** E.g. {@code float32 [-1,28,28,1]}, {@code uint8 (unknown shape)}, {@code sparse float32 ...}. */
  static String describe(TensorInfo t) {
    long[] s = shapeOf(t);
    String kind =
        switch (t.getEncodingCase()) {
          case NAME -> "";
          case COO_SPARSE -> "sparse ";
          case COMPOSITE_TENSOR -> "composite ";
          default -> "unnamed ";
        };
    return kind + dtypeName(t.getDtype()) + " " + (s == null ? "(unknown shape)" : ImageLayout.format(s));
  }

  private static String describeAll(Map<String, TensorInfo> tensors) {
    List<String> parts = new ArrayList<>();
    new TreeMap<>(tensors).forEach((k, v) -> parts.add(k + " " + describe(v)));
    return String.join(", ", parts);
  }

  /** {@code DT_FLOAT} as {@code float32}, {@code DT_UINT8} as {@code uint8}. */
  static String dtypeName(DataType t) {
    return switch (t) {
      case DT_FLOAT -> "float32";
      case DT_DOUBLE -> "float64";
      case DT_HALF -> "float16";
      default -> t.name().startsWith("DT_") ? t.name().substring(3).toLowerCase(Locale.ROOT)
          : t.name().toLowerCase(Locale.ROOT);
    };
  }
}
