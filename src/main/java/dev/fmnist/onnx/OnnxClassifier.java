package dev.fmnist.onnx;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import dev.fmnist.FmnistException;
import dev.fmnist.ModelException;
import dev.fmnist.savedmodel.AbstractClassifier;
import dev.fmnist.savedmodel.ClassScoreOutputs;
import dev.fmnist.savedmodel.ClassifierIo;
import dev.fmnist.savedmodel.ImageLayout;
import dev.fmnist.savedmodel.ModelFormat;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An ONNX model run by ONNX Runtime's Java API (CPU). Before a session is created the file is read
 * and checked ({@link OnnxModelFile}: size, structure, op domains, external data); then the session
 * says the input and outputs: one float image input, {@code [n,channels,height,width]} as PyTorch
 * exports, {@code [n,height,width,channels]} as tf2onnx converts, {@code [n,height,width]} or
 * {@code [n,values]}, any dimension dynamic ({@link ImageLayout#matchChannelsFirstOrLast}); and a
 * float {@code [n,K]} output of logits or probabilities, chosen as for SavedModels ({@link
 * ClassScoreOutputs}). Every tensor and result is closed as soon as it has been read. An ONNX model
 * has no manifest: class names come from the dataset, else {@code class 0}, {@code class 1}, ...
 */
public final class OnnxClassifier extends AbstractClassifier {
  /** Session option: read the bytes as an ONNX protobuf, never as ONNX Runtime's own format. */
  private static final String LOAD_MODEL_FORMAT = "session.load_model_format";
  /** Session option: where a model loaded from bytes finds its external data files. */
  private static final String EXTERNAL_DATA_FOLDER = "session.model_external_initializers_file_folder_path";

  private final OrtSession session;
  private final String inputName;
  private final String outputName;

  private OnnxClassifier(Path file, OrtSession session, String inputName, String outputName, ClassifierIo io) {
    super(ModelFormat.ONNX, file, io, null); // ONNX models carry no fmnist manifest
    this.session = session;
    this.inputName = inputName;
    this.outputName = outputName;
  }

  /**
   * Checks the model file without creating a session ({@link OnnxModelFile}); with {@code
   * trustModel}, without checking its op domains.
   *
   * @param signature must be null: an ONNX model has no signatures
   * @param file the {@code .onnx} file
   * @param trustModel true to skip the op-domain check
   * @return the file as read
   * @throws ModelException when it is refused
   */
  public static OnnxModelFile inspect(Path file, String signature, boolean trustModel) {
    if (signature != null) {
      throw new ModelException(file + ": an ONNX model has no signatures (asked for '" + signature
          + "'); name its output with --output instead");
    }
    OnnxModelFile model = OnnxModelFile.read(file);
    if (!trustModel) {
      model.requireStandardOps();
    }
    return model;
  }

  /**
   * Checks the model file and loads it into an ONNX Runtime session.
   *
   * @param signature must be null: an ONNX model has no signatures
   * @param output the output holding the class scores, or null to choose ({@link ClassScoreOutputs})
   * @param trustModel load it without checking its op domains: the user vouches for the model
   * @param file the {@code .onnx} file
   * @return the loaded model; the caller closes it
   * @throws ModelException when the model is refused, ONNX Runtime cannot load it, or its input or
   *     outputs do not fit an image classifier
   */
  public static OnnxClassifier load(Path file, String signature, String output, boolean trustModel) {
    OnnxModelFile model = inspect(file, signature, trustModel);
    OrtSession session = createSession(model);
    try {
      OnnxClassifier c = describe(model, session, output);
      session = null;
      return c;
    } catch (OrtException e) {
      throw new ModelException(file + ": ONNX Runtime cannot describe the model: " + message(e), e);
    } finally {
      if (session != null) {
        closeSession(session);
      }
    }
  }

  /** Loads ONNX Runtime's native library (tens of milliseconds), as {@link #load} would. */
  public static void preloadRuntime() {
    environment();
  }

  private static OrtEnvironment environment() {
    return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "fmnist");
  }

  private static OrtSession createSession(OnnxModelFile model) {
    Path file = model.file();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
      options.addConfigEntry(LOAD_MODEL_FORMAT, "ONNX");
      if (!model.externalData().isEmpty()) {
        options.addConfigEntry(EXTERNAL_DATA_FOLDER, file.toAbsolutePath().getParent().toString());
      }
      return environment().createSession(model.bytes(), options);
    } catch (OrtException e) {
      throw new ModelException(file + ": ONNX Runtime cannot load the model: " + message(e), e);
    }
  }

  private static OnnxClassifier describe(OnnxModelFile model, OrtSession session, String output)
      throws OrtException {
    Path file = model.file();
    Map<String, NodeInfo> inputs = session.getInputInfo();
    if (inputs.size() != 1) {
      throw new ModelException(file + ": expected one image input, found " + inputs.size()
          + (inputs.isEmpty() ? "" : " (" + ClassScoreOutputs.describeAll(describeAll(inputs)) + ")"));
    }
    NodeInfo in = inputs.values().iterator().next();
    long[] inShape = in.getInfo() instanceof TensorInfo t ? t.getShape() : null;
    ImageLayout layout = isFloat(in.getInfo()) ? ImageLayout.matchChannelsFirstOrLast(inShape) : null;
    if (layout == null) {
      throw new ModelException(file + ": input '" + in.getName() + "': expected float32 "
          + ImageLayout.expectedChannelsFirstOrLast() + ", found " + describe(in.getInfo()));
    }
    int fixedBatch = inShape[0] > 0 ? (int) Math.min(inShape[0], Integer.MAX_VALUE) : 0;

    Map<String, NodeInfo> outputs = new TreeMap<>(session.getOutputInfo());
    Map<String, String> described = describeAll(outputs);
    List<String> candidates = new ArrayList<>();
    for (NodeInfo o : outputs.values()) {
      if (isFloat(o.getInfo()) && ClassScoreOutputs.isClassScores(((TensorInfo) o.getInfo()).getShape())) {
        candidates.add(o.getName());
      }
    }
    String chosen = ClassScoreOutputs.choose(file.toString(), output, described, candidates);
    int classes = (int) ((TensorInfo) outputs.get(chosen).getInfo()).getShape()[1];
    String producer = model.producer().isEmpty() ? "" : ", " + model.producer();
    Long opset = model.opsets().get("");
    String description = "onnx (IR " + model.irVersion() + (opset == null ? "" : ", opset " + opset)
        + producer + "): " + in.getName() + " " + describe(in.getInfo()) + " -> " + chosen + " "
        + described.get(chosen);
    return new OnnxClassifier(file, session, in.getName(), chosen,
        new ClassifierIo(layout, fixedBatch, classes, description));
  }

  private static boolean isFloat(ValueInfo info) {
    return info instanceof TensorInfo t
        && t.onnxType == TensorInfo.OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT;
  }

  private static Map<String, String> describeAll(Map<String, NodeInfo> values) {
    Map<String, String> out = new LinkedHashMap<>();
    new TreeMap<>(values).forEach((name, info) -> out.put(name, describe(info.getInfo())));
    return out;
  }

  /** E.g. {@code float32 [-1,1,28,28]}, {@code uint8 [-1,784]}, {@code sequence}. */
  static String describe(ValueInfo info) {
    if (info instanceof TensorInfo t) {
      String type = switch (t.onnxType) {
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> "float32";
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> "float64";
        default -> t.onnxType.name().replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", "").toLowerCase(Locale.ROOT);
      };
      return type + " " + (t.getShape().length == 0 ? "(scalar or unknown shape)" : ImageLayout.format(t.getShape()));
    }
    if (info instanceof SequenceInfo) {
      return "sequence";
    }
    return info instanceof MapInfo ? "map" : String.valueOf(info);
  }

  @Override
  public long runBatch(float[] values, long[] shape, float[] out) {
    long fed = shape[0];
    int classes = classes();
    try (OnnxTensor input = OnnxTensor.createTensor(environment(), FloatBuffer.wrap(values), shape)) {
      long t0 = System.nanoTime();
      try (OrtSession.Result result = session.run(Map.of(inputName, input), Set.of(outputName))) {
        long elapsed = System.nanoTime() - t0;
        OnnxValue v = result.get(0);
        long[] s = v.getInfo() instanceof TensorInfo t ? t.getShape() : null;
        if (!isFloat(v.getInfo()) || s.length != 2 || s[0] != fed || s[1] != classes) {
          throw new ModelException(location() + ": output '" + outputName + "' gave " + describe(v.getInfo())
              + " for a batch of " + fed + ", expected float32 [" + fed + "," + classes + "]");
        }
        ((OnnxTensor) v).getFloatBuffer().get(out, 0, (int) (fed * classes));
        return elapsed;
      }
    } catch (OrtException e) {
      throw new ModelException(location() + ": the model failed to run on a batch of " + fed + ": " + message(e), e);
    }
  }

  @Override
  public void close() {
    closeSession(session);
  }

  private static void closeSession(OrtSession s) {
    try {
      s.close();
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime could not close a session: " + message(e), e);
    }
  }

  /** ONNX Runtime's message without its {@code Error code - ORT_FAIL - message: } prefix. */
  static String message(OrtException e) {
    String m = FmnistException.firstLine(e.getMessage());
    return m.replaceFirst("^Error code - ORT_[A-Z_]+ - message: ", "")
        .replaceFirst("^\\[ONNXRuntimeError\\] : \\d+ : [A-Z_]+ : ", "");
  }
}
