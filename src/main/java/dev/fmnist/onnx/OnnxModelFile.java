package dev.fmnist.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.fmnist.FmnistException;
import dev.fmnist.ModelException;
import dev.fmnist.SmallFiles;
import dev.fmnist.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An ONNX model file read into memory, with the parts of its {@code ModelProto} that fmnist checks
 * before ONNX Runtime sees it: the IR version, producer and opsets, the domain of every node (in the
 * main graph, in subgraphs of {@code If}/{@code Loop}/{@code Scan}, in training graphs and in
 * model-local functions), and the tensors whose data lives in external files. ONNX Runtime's Java
 * API tells none of these, and there is no ONNX protobuf class on the classpath, so the few fields
 * needed are read with protobuf's {@link CodedInputStream}, the field numbers those of {@code
 * onnx/onnx.proto}; everything else is skipped unread. The bytes read are the bytes handed to ONNX
 * Runtime, so what was checked is what runs.
 */
public final class OnnxModelFile {
  /** The largest model fmnist loads: the file and its external data together, 1 GiB. */
  public static final long MAX_BYTES = 1L << 30;

  /**
   * The op domains fmnist runs without {@code trust}: the ONNX standard ({@code ""}, also written
   * {@code ai.onnx}), its classical-ML domain {@code ai.onnx.ml}, and {@code com.microsoft}, ONNX
   * Runtime's own contrib ops (fused kernels its optimizers and exporters emit). All are built into
   * ONNX Runtime; none reads or writes files. Any other domain is a custom op library's or a
   * model-local function's.
   */
  public static final Set<String> STANDARD_DOMAINS = Set.of("", "ai.onnx", "ai.onnx.ml", "com.microsoft");

  private static final int MAX_GRAPH_DEPTH = 32;
  private static final int TENSOR_EXTERNAL = 1;

  private final Path file;
  private final byte[] bytes;
  private long irVersion;
  private String producerName = "";
  private String producerVersion = "";
  private final Map<String, Long> opsets = new TreeMap<>();
  private final Map<String, Integer> nodeOps = new TreeMap<>();
  private final Set<String> functions = new TreeSet<>();
  private final Map<String, ExternalData> externalData = new LinkedHashMap<>();
  private boolean hasGraph;

  /**
   * A tensor whose values are stored outside the model file.
   *
   * @param tensor the tensor's name
   * @param location the file, relative to the model's directory
   */
  public record ExternalData(String tensor, String location) {}

  private OnnxModelFile(Path file, byte[] bytes) {
    this.file = file;
    this.bytes = bytes;
  }

  /**
   * Reads and parses {@code file}, and checks its external data files (below the model's directory,
   * regular files, all together within {@link #MAX_BYTES} with the model).
   *
   * @param file the {@code .onnx} file
   * @return the parsed model
   * @throws ModelException when it is too large, empty, not an ONNX model, or its external data
   *     is not where it may be; {@link StorageException} when it cannot be read
   */
  public static OnnxModelFile read(Path file) {
    return read(file, MAX_BYTES);
  }

  static OnnxModelFile read(Path file, long maxBytes) {
    byte[] bytes = readBytes(file, maxBytes);
    OnnxModelFile m = new OnnxModelFile(file, bytes);
    try {
      m.parseModel(CodedInputStream.newInstance(bytes));
    } catch (InvalidProtocolBufferException | IllegalStateException e) {
      throw new ModelException(file + ": not an ONNX model (" + FmnistException.firstLine(e.getMessage())
          .replaceAll("\\.$", "") + "; truncated, or another kind of file)", e);
    } catch (IOException e) {
      throw new StorageException(file + ": cannot read: " + e.getMessage(), e);
    }
    if (m.irVersion <= 0 || !m.hasGraph) {
      throw new ModelException(file + ": not an ONNX model (no " + (m.irVersion <= 0 ? "IR version" : "graph")
          + " in it; truncated, or another kind of file)");
    }
    m.checkExternalData(maxBytes - bytes.length);
    return m;
  }

  private static byte[] readBytes(Path file, long maxBytes) {
    try {
      byte[] bytes = SmallFiles.read(file, maxBytes, "an ONNX model", ModelException::new);
      if (bytes.length == 0) {
        throw new ModelException(file + ": is empty (expected an ONNX model)");
      }
      return bytes;
    } catch (NoSuchFileException e) {
      throw new ModelException(file + ": no such file (expected an ONNX model)", e);
    } catch (IOException e) {
      throw new StorageException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * The model file.
   *
   * @return the path read
   */
  public Path file() {
    return file;
  }

  /** The file's bytes, as read and checked. */
  byte[] bytes() {
    return bytes;
  }

  /**
   * The ONNX IR version, e.g. 8.
   *
   * @return the IR version
   */
  public long irVersion() {
    return irVersion;
  }

  /**
   * Who wrote the model, e.g. {@code tf2onnx 1.17.0} or {@code pytorch 2.5.0}; empty if unsaid.
   *
   * @return the producer's name and version, or ""
   */
  public String producer() {
    return (producerName + " " + producerVersion).trim();
  }

  /**
   * The opset version imported per domain ({@code ""} for the standard one).
   *
   * @return domain to opset version
   */
  public Map<String, Long> opsets() {
    return Map.copyOf(opsets);
  }

  /**
   * Every op the model's nodes use, as {@code domain:op_type} ({@code :Conv} for standard ops), with its node count.
   *
   * @return op to node count
   */
  public Map<String, Integer> ops() {
    return Map.copyOf(nodeOps);
  }

  /**
   * The tensors whose data lives in external files.
   *
   * @return the external data entries, or an empty list
   */
  public List<ExternalData> externalData() {
    return List.copyOf(externalData.values());
  }

  /**
   * The ops of domains outside {@link #STANDARD_DOMAINS}, as {@code domain:op_type}.
   *
   * @return the ops, or an empty list
   */
  public List<String> nonStandardOps() {
    List<String> found = new ArrayList<>();
    for (String op : nodeOps.keySet()) {
      if (!STANDARD_DOMAINS.contains(op.substring(0, op.lastIndexOf(':')))) {
        found.add(op);
      }
    }
    return found;
  }

  /**
   * Refuses a model with ops outside {@link #STANDARD_DOMAINS}: they come from a custom op library
   * or a function the model defines, whose code fmnist has not vetted.
   *
   * @throws ModelException naming them
   */
  public void requireStandardOps() {
    List<String> found = nonStandardOps();
    if (found.isEmpty()) {
      return;
    }
    List<String> parts = new ArrayList<>();
    for (String op : found) {
      int n = nodeOps.get(op);
      String what = functions.contains(op) ? ", a function the model defines" : "";
      parts.add(op + " (" + n + (n == 1 ? " node" : " nodes") + what + ")");
    }
    throw new ModelException(file + ": refused: ops outside the standard ONNX domains (ai.onnx,"
        + " ai.onnx.ml, com.microsoft): " + String.join(", ", parts) + ". If you trust where this"
        + " model came from, load it with --trust-model");
  }

  private void checkExternalData(long budget) {
    if (externalData.isEmpty()) {
      return;
    }
    Path dir = file.toAbsolutePath().getParent();
    Map<Path, Long> sizes = new TreeMap<>();
    for (ExternalData d : externalData.values()) {
      String where = file + ": tensor '" + d.tensor() + "' has its data in '" + d.location() + "'";
      Path loc;
      try {
        loc = Path.of(d.location());
      } catch (java.nio.file.InvalidPathException e) {
        throw new ModelException(where + ": not a file name");
      }
      boolean climbs = false;
      for (Path part : loc) {
        climbs |= part.toString().equals("..");
      }
      if (d.location().isEmpty() || loc.isAbsolute() || climbs) {
        throw new ModelException(where + ": external data must lie in the model's directory or below");
      }
      Path data = dir.resolve(loc).normalize();
      try {
        Path real = data.toRealPath();
        if (!real.startsWith(dir.toRealPath()) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
          throw new ModelException(where + ": not a regular file in the model's directory or below");
        }
        sizes.put(real, Files.size(real));
        dev.fmnist.AtomicFiles.reading(real); // read with the model: no output may replace it
      } catch (NoSuchFileException e) {
        throw new ModelException(where + ", which does not exist", e);
      } catch (IOException e) {
        throw new StorageException(data + ": cannot read: " + e.getMessage(), e);
      }
    }
    long total = sizes.values().stream().mapToLong(Long::longValue).sum();
    if (total > budget) {
      throw new ModelException(file + ": the model and its external data are " + (total + bytes.length)
          + " bytes, more than the " + (budget + bytes.length) + " bytes fmnist loads");
    }
  }

  // The parsers below follow onnx.proto's field numbers.

  private void parseModel(CodedInputStream in) throws IOException {
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> irVersion = varint(in, tag); // ir_version
        case 2 -> producerName = string(in, tag); // producer_name
        case 3 -> producerVersion = string(in, tag); // producer_version
        case 7 -> { // graph
          hasGraph = true;
          nested(in, tag, () -> parseGraph(in, 0));
        }
        case 8 -> nested(in, tag, () -> parseOpset(in)); // opset_import
        case 20 -> nested(in, tag, () -> parseTrainingInfo(in)); // training_info
        case 25 -> nested(in, tag, () -> parseFunction(in)); // functions
        default -> in.skipField(tag);
      }
    }
  }

  private void parseOpset(CodedInputStream in) throws IOException {
    Map.Entry<String, Long> opset = parsePair(in, 0L, OnnxModelFile::varint); // domain, version
    opsets.put(opset.getKey(), opset.getValue());
  }

  private void parseGraph(CodedInputStream in, int depth) throws IOException {
    if (depth > MAX_GRAPH_DEPTH) {
      throw new InvalidProtocolBufferException("subgraphs nested deeper than " + MAX_GRAPH_DEPTH);
    }
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> nested(in, tag, () -> parseNode(in, depth)); // node
        case 5 -> nested(in, tag, () -> parseTensor(in)); // initializer
        case 15 -> nested(in, tag, () -> parseSparseTensor(in)); // sparse_initializer
        default -> in.skipField(tag);
      }
    }
  }

  private void parseTrainingInfo(CodedInputStream in) throws IOException {
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1, 2 -> nested(in, tag, () -> parseGraph(in, 1)); // initialization, algorithm
        default -> in.skipField(tag);
      }
    }
  }

  private void parseFunction(CodedInputStream in) throws IOException {
    String name = "";
    String domain = "";
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> name = string(in, tag);
        case 7 -> nested(in, tag, () -> parseNode(in, 1)); // node
        case 10 -> domain = string(in, tag);
        default -> in.skipField(tag);
      }
    }
    functions.add(opName(domain, name));
  }

  private void parseNode(CodedInputStream in, int depth) throws IOException {
    String opType = "";
    String domain = "";
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 4 -> opType = string(in, tag); // op_type
        case 7 -> domain = string(in, tag); // domain
        case 5 -> nested(in, tag, () -> parseAttribute(in, depth)); // attribute
        default -> in.skipField(tag);
      }
    }
    nodeOps.merge(opName(domain, opType), 1, Integer::sum);
  }

  private static String opName(String domain, String opType) {
    return ("ai.onnx".equals(domain) ? "" : domain) + ":" + opType;
  }

  private void parseAttribute(CodedInputStream in, int depth) throws IOException {
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 5, 10 -> nested(in, tag, () -> parseTensor(in)); // t, tensors
        case 6, 11 -> nested(in, tag, () -> parseGraph(in, depth + 1)); // g, graphs
        case 22, 23 -> nested(in, tag, () -> parseSparseTensor(in)); // sparse_tensor(s)
        default -> in.skipField(tag);
      }
    }
  }

  private void parseSparseTensor(CodedInputStream in) throws IOException {
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1, 2 -> nested(in, tag, () -> parseTensor(in)); // values, indices
        default -> in.skipField(tag);
      }
    }
  }

  private void parseTensor(CodedInputStream in) throws IOException {
    String name = "";
    long dataLocation = 0;
    Map<String, String> external = new LinkedHashMap<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 8 -> name = string(in, tag); // name
        case 13 -> nested(in, tag, () -> parseEntry(in, external)); // external_data
        case 14 -> dataLocation = varint(in, tag); // data_location
        default -> in.skipField(tag);
      }
    }
    if (dataLocation == TENSOR_EXTERNAL) {
      String key = externalData.containsKey(name) ? name + "#" + externalData.size() : name;
      externalData.put(key, new ExternalData(name, external.getOrDefault("location", "")));
    }
  }

  private static void parseEntry(CodedInputStream in, Map<String, String> into) throws IOException {
    Map.Entry<String, String> entry = parsePair(in, "", OnnxModelFile::string); // key, value
    into.put(entry.getKey(), entry.getValue());
  }

  /**
   * A message of a string key (field 1) and a value (field 2) that {@code value} reads, as
   * OperatorSetIdProto and StringStringEntryProto are; {@code absent} where the value is missing.
   */
  private static <V> Map.Entry<String, V> parsePair(CodedInputStream in, V absent, FieldReader<V> value)
      throws IOException {
    String key = "";
    V v = absent;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> key = string(in, tag);
        case 2 -> v = value.read(in, tag);
        default -> in.skipField(tag);
      }
    }
    return Map.entry(key, v);
  }

  private interface Body {
    void parse() throws IOException;
  }

  private interface FieldReader<V> {
    V read(CodedInputStream in, int tag) throws IOException;
  }

  /** Parses the embedded message the length-delimited field {@code tag} holds. */
  private static void nested(CodedInputStream in, int tag, Body body) throws IOException {
    wireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    int length = in.readRawVarint32();
    if (length < 0) {
      throw new InvalidProtocolBufferException("negative length");
    }
    int outer = in.pushLimit(length);
    body.parse();
    in.popLimit(outer);
  }

  private static long varint(CodedInputStream in, int tag) throws IOException {
    wireType(tag, WireFormat.WIRETYPE_VARINT);
    return in.readInt64();
  }

  private static String string(CodedInputStream in, int tag) throws IOException {
    wireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    return in.readStringRequireUtf8();
  }

  private static void wireType(int tag, int expected) throws InvalidProtocolBufferException {
    if (WireFormat.getTagWireType(tag) != expected) {
      throw new InvalidProtocolBufferException(String.format(Locale.ROOT,
          "field %d has wire type %d, expected %d", WireFormat.getTagFieldNumber(tag),
          WireFormat.getTagWireType(tag), expected));
    }
  }
}
