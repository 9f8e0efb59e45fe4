package dev.fmnist.testing;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Tiny ONNX models written in the test itself (ONNX Runtime's Java API cannot write models): the
 * {@code ModelProto} bytes are put together with protobuf's {@link CodedOutputStream}, field numbers
 * from {@code onnx/onnx.proto}. The classifier is {@link TinyModels}' band model ({@code MatMul} by
 * the band weights, {@code Add} of a bias), behind a {@code Reshape} from whatever input layout is
 * asked for, so its logits are {@link TinyModels#bandLogits} whatever the layout.
 */
public final class TinyOnnxModels {
  /** TensorProto data types. */
  public static final int FLOAT = 1;
  public static final int INT64 = 7;
  public static final int DOUBLE = 11;

  /** The batch dimension's name. */
  public static final String N = "N";

  private TinyOnnxModels() {}

  /** Writes {@code model} to {@code file} (its directory created) and returns the file. */
  public static Path write(Path file, byte[] model) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, model);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The band model taking {@code input} of {@code inputDims} (a {@code Long} size or a {@code
   * String} symbolic dimension each), reshaped to {@code [-1,784]}; outputs {@code logits}, and
   * with {@code allOutputs} also {@code probabilities} (softmax) and {@code classes} (int64 argmax),
   * as tf2onnx converts fmnist's SavedModels.
   */
  public static byte[] band(String input, Object[] inputDims, boolean allOutputs) {
    List<Proto> nodes = new ArrayList<>();
    List<Proto> inits = new ArrayList<>(bandInitializers());
    inits.add(int64Tensor("flat_shape", new long[] {2}, new long[] {-1, 784}));
    nodes.add(node("Reshape", List.of(input, "flat_shape"), List.of("flat"), ""));
    nodes.add(node("MatMul", List.of("flat", "band_weights"), List.of("scores"), ""));
    nodes.add(node("Add", List.of("scores", "band_bias"), List.of("logits"), ""));
    List<Proto> outputs = new ArrayList<>(List.of(valueInfo("logits", FLOAT, N, 10L)));
    if (allOutputs) {
      nodes.add(node("Softmax", List.of("logits"), List.of("probabilities"), "", attrInt("axis", 1)));
      nodes.add(node("ArgMax", List.of("logits"), List.of("classes"), "", attrInt("axis", 1),
          attrInt("keepdims", 0)));
      outputs.add(valueInfo("probabilities", FLOAT, N, 10L));
      outputs.add(valueInfo("classes", INT64, N));
    }
    return model(graph("band", nodes, inits, List.of(valueInfo(input, FLOAT, inputDims)), outputs));
  }

  /** The band model with one output, {@code probabilities}: the softmax of its logits. */
  public static byte[] bandProbabilities() {
    List<Proto> inits = new ArrayList<>(bandInitializers());
    inits.add(int64Tensor("flat_shape", new long[] {2}, new long[] {-1, 784}));
    List<Proto> nodes = List.of(
        node("Reshape", List.of("images", "flat_shape"), List.of("flat"), ""),
        node("MatMul", List.of("flat", "band_weights"), List.of("scores"), ""),
        node("Add", List.of("scores", "band_bias"), List.of("logits"), ""),
        node("Softmax", List.of("logits"), List.of("probabilities"), "", attrInt("axis", 1)));
    return model(graph("band_probabilities", nodes, inits,
        List.of(valueInfo("images", FLOAT, N, 28L, 28L, 1L)),
        List.of(valueInfo("probabilities", FLOAT, N, 10L))));
  }

  /**
   * The band model, its logits put through {@code domain:Scale}; with {@code defineFunction} the
   * model defines {@code Scale} itself (an {@code Identity}), so ONNX Runtime runs it; without, no
   * runtime knows it.
   */
  public static byte[] bandWithCustomOp(String domain, boolean defineFunction) {
    List<Proto> inits = new ArrayList<>(bandInitializers());
    inits.add(int64Tensor("flat_shape", new long[] {2}, new long[] {-1, 784}));
    List<Proto> nodes = List.of(
        node("Reshape", List.of("images", "flat_shape"), List.of("flat"), ""),
        node("MatMul", List.of("flat", "band_weights"), List.of("scores"), ""),
        node("Add", List.of("scores", "band_bias"), List.of("raw_logits"), ""),
        node("Scale", List.of("raw_logits"), List.of("logits"), domain));
    Proto graph = graph("band_custom", nodes, inits, List.of(valueInfo("images", FLOAT, N, 28L, 28L, 1L)),
        List.of(valueInfo("logits", FLOAT, N, 10L)));
    Proto m = modelHeader(graph).message(8, opset(domain, 1));
    if (defineFunction) {
      m.message(25, new Proto().string(1, "Scale").string(4, "x").string(5, "y")
          .message(7, node("Identity", List.of("x"), List.of("y"), ""))
          .message(9, opset("", 17)).string(10, domain));
    }
    return m.bytes();
  }

  /**
   * A model of {@code channels x height x width} images, {@code [N,channels,height,width]}, that
   * transposes its input to channels last and flattens it: its "scores" are the image's values in
   * channels-last order, {@code height * width * channels} of them.
   */
  public static byte[] channelsLastEcho(int channels, int height, int width) {
    long values = (long) channels * height * width;
    List<Proto> nodes = List.of(
        node("Transpose", List.of("input"), List.of("nhwc"), "", attrInts("perm", 0, 2, 3, 1)),
        node("Reshape", List.of("nhwc", "flat_shape"), List.of("scores"), ""));
    return model(graph("echo", nodes,
        List.of(int64Tensor("flat_shape", new long[] {2}, new long[] {-1, values})),
        List.of(valueInfo("input", FLOAT, N, (long) channels, (long) height, (long) width)),
        List.of(valueInfo("scores", FLOAT, N, values))));
  }

  /** A linear classifier of {@code inputDims} images into 10 classes, all weights 0.01. */
  public static byte[] linear(Object[] inputDims, int inputType) {
    long values = 1;
    for (int d = 1; d < inputDims.length; d++) {
      values *= (Long) inputDims[d];
    }
    float[] w = new float[(int) values * 10];
    java.util.Arrays.fill(w, 0.01f);
    List<Proto> nodes = new ArrayList<>();
    String x = "input";
    if (inputType != FLOAT) {
      nodes.add(node("Cast", List.of("input"), List.of("input_float"), "", attrInt("to", FLOAT)));
      x = "input_float";
    }
    nodes.add(node("Flatten", List.of(x), List.of("flat"), "", attrInt("axis", 1)));
    nodes.add(node("MatMul", List.of("flat", "weights"), List.of("logits"), ""));
    return model(graph("linear", nodes, List.of(floatTensor("weights", new long[] {values, 10}, w)),
        List.of(valueInfo("input", inputType, inputDims)), List.of(valueInfo("logits", FLOAT, N, 10L))));
  }

  /**
   * The band model taking {@code [N,28,28,1]} images, its weights stored in {@code dataFile}
   * (written beside {@code file}) but named in the model as {@code location}.
   */
  public static Path bandWithExternalWeights(Path file, String dataFile, String location) {
    float[][] w = TinyModels.bandWeights(10);
    ByteBuffer raw = ByteBuffer.allocate(784 * 10 * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float[] row : w) {
      for (float v : row) {
        raw.putFloat(v);
      }
    }
    Proto weights = new Proto().varint(1, 784).varint(1, 10).varint(2, FLOAT).string(8, "band_weights")
        .message(13, new Proto().string(1, "location").string(2, location))
        .message(13, new Proto().string(1, "offset").string(2, "0"))
        .message(13, new Proto().string(1, "length").string(2, String.valueOf(raw.capacity())))
        .varint(14, 1);
    List<Proto> nodes = List.of(
        node("Reshape", List.of("images", "flat_shape"), List.of("flat"), ""),
        node("MatMul", List.of("flat", "band_weights"), List.of("logits"), ""));
    List<Proto> inits = List.of(weights, int64Tensor("flat_shape", new long[] {2}, new long[] {-1, 784}));
    write(file, model(graph("band_external", nodes, inits,
        List.of(valueInfo("images", FLOAT, N, 28L, 28L, 1L)), List.of(valueInfo("logits", FLOAT, N, 10L)))));
    try {
      Files.write(file.resolveSibling(dataFile), raw.array());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static List<Proto> bandInitializers() {
    float[][] w = TinyModels.bandWeights(10);
    float[] flat = new float[784 * 10];
    for (int p = 0; p < 784; p++) {
      System.arraycopy(w[p], 0, flat, p * 10, 10);
    }
    return List.of(floatTensor("band_weights", new long[] {784, 10}, flat),
        floatTensor("band_bias", new long[] {10}, new float[10]));
  }

  // ModelProto building blocks, onnx.proto's field numbers.

  /** A ModelProto of IR version 8 importing the standard opset 17. */
  public static byte[] model(Proto graph) {
    return modelHeader(graph).bytes();
  }

  private static Proto modelHeader(Proto graph) {
    return new Proto().varint(1, 8).string(2, "fmnist tests").string(3, "1")
        .message(7, graph).message(8, opset("", 17));
  }

  public static Proto opset(String domain, long version) {
    return new Proto().string(1, domain).varint(2, version);
  }

  public static Proto graph(String name, List<Proto> nodes, List<Proto> initializers, List<Proto> inputs,
      List<Proto> outputs) {
    Proto g = new Proto();
    nodes.forEach(n -> g.message(1, n));
    g.string(2, name);
    initializers.forEach(t -> g.message(5, t));
    inputs.forEach(v -> g.message(11, v));
    outputs.forEach(v -> g.message(12, v));
    return g;
  }

  public static Proto node(String op, List<String> inputs, List<String> outputs, String domain,
      Proto... attributes) {
    Proto n = new Proto();
    inputs.forEach(i -> n.string(1, i));
    outputs.forEach(o -> n.string(2, o));
    n.string(3, op + "_" + String.join("_", outputs)).string(4, op);
    for (Proto a : attributes) {
      n.message(5, a);
    }
    if (!domain.isEmpty()) {
      n.string(7, domain);
    }
    return n;
  }

  public static Proto attrInt(String name, long value) {
    return new Proto().string(1, name).varint(3, value).varint(20, 2);
  }

  public static Proto attrInts(String name, long... values) {
    Proto a = new Proto().string(1, name);
    for (long v : values) {
      a.varint(8, v);
    }
    return a.varint(20, 7);
  }

  public static Proto floatTensor(String name, long[] dims, float[] values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      raw.putFloat(v);
    }
    return tensor(name, dims, FLOAT, raw.array());
  }

  public static Proto int64Tensor(String name, long[] dims, long[] values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      raw.putLong(v);
    }
    return tensor(name, dims, INT64, raw.array());
  }

  private static Proto tensor(String name, long[] dims, int type, byte[] raw) {
    Proto t = new Proto();
    for (long d : dims) {
      t.varint(1, d);
    }
    return t.varint(2, type).string(8, name).bytes(9, raw);
  }

  /** A tensor's name, element type and dimensions: a {@code Long} size or a {@code String} name each. */
  public static Proto valueInfo(String name, int elemType, Object... dims) {
    Proto shape = new Proto();
    for (Object d : dims) {
      shape.message(1, d instanceof Long size ? new Proto().varint(1, size) : new Proto().string(2, (String) d));
    }
    Proto tensorType = new Proto().varint(1, elemType).message(2, shape);
    return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
  }

  /** A protobuf message being written, field by field. */
  public static final class Proto {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(buf);

    public Proto varint(int field, long value) {
      return write(() -> out.writeInt64(field, value));
    }

    public Proto string(int field, String value) {
      return write(() -> out.writeString(field, value));
    }

    public Proto bytes(int field, byte[] value) {
      return write(() -> out.writeByteArray(field, value));
    }

    public Proto message(int field, Proto value) {
      return bytes(field, value.bytes());
    }

    public byte[] bytes() {
      write(out::flush);
      return buf.toByteArray();
    }

    private interface Write {
      void run() throws IOException;
    }

    private Proto write(Write w) {
      try {
        w.run();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }
  }
}
