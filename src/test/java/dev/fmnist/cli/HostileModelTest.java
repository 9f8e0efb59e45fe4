package dev.fmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.fmnist.cli.ExitCode;
import dev.fmnist.testing.TestImages;
import dev.fmnist.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * SavedModels that would read or write files, run Python or loop, built here by editing the graph
 * of a tiny valid classifier: {@code fmnist predict} refuses each before TensorFlow loads it (exit
 * 2, one line listing the ops), and a canary file is neither read nor written. With {@code
 * --trust-model} the check is skipped, and one of them does write the canary, so the models are
 * real threats. Broken SavedModels (truncated or random {@code saved_model.pb}, no {@code
 * variables/}, a damaged variables index) end in a one-line error with exit code 2.
 */
class HostileModelTest {
  @TempDir static Path tmp;
  static Path canaryDir;
  static Path canary;
  static byte[] canaryBytes = "canary: fmnist must neither read nor write this file\n".getBytes();
  static FileTime canaryAccessed = FileTime.fromMillis(86_400_000L); // 1970-01-02, before its mtime
  static Path image;

  /** A change to the serving MetaGraph of a valid tiny classifier. */
  record Hostile(String name, List<String> expectedOps, Consumer<MetaGraphDef.Builder> edit) {
    @Override
    public String toString() {
      return name;
    }
  }

  @BeforeAll
  static void setUp() throws IOException {
    canaryDir = Files.createDirectories(tmp.resolve("canary"));
    canary = Files.write(canaryDir.resolve("canary.txt"), canaryBytes);
    Files.getFileAttributeView(canary, BasicFileAttributeView.class).setTimes(null, canaryAccessed, null);
    image = TestImages.write(TestImages.bandPhoto(7), "png", tmp.resolve("sneaker.png"));
  }

  static List<Hostile> hostileModels() {
    String c = canaryPath();
    List<Hostile> h = new ArrayList<>();
    h.add(new Hostile("ReadFile before the logits", List.of("ReadFile"), m -> {
      add(m, stringConst("hostile/path", c), node("hostile/read", "ReadFile", "hostile/path"));
      dependOn(m, "logits", "hostile/read");
    }));
    h.add(new Hostile("WriteFile before the logits", List.of("WriteFile"), m -> writeBefore(m, "logits")));
    h.add(new Hostile("WriteFile in the init op run at load", List.of("WriteFile"), m -> {
      add(m, stringConst("hostile/path", c), stringConst("hostile/text", "pwned"),
          node("hostile/write", "WriteFile", "hostile/path", "hostile/text"),
          node("hostile/init", "NoOp", "^hostile/write"));
      m.putCollectionDef("saved_model_main_op", CollectionDef.newBuilder()
          .setNodeList(CollectionDef.NodeList.newBuilder().addValue("hostile/init")).build());
    }));
    h.add(new Hostile("PrintV2 to a file", List.of("PrintV2", "StringFormat"), m -> {
      add(m, stringConst("hostile/msg", "pwned"),
          node("hostile/format", "StringFormat", "hostile/msg"),
          withAttr(node("hostile/print", "PrintV2", "hostile/format"), "output_stream",
              AttrValue.newBuilder().setS(ByteString.copyFromUtf8("file://" + c)).build()));
      dependOn(m, "probabilities", "hostile/print");
    }));
    h.add(new Hostile("MatchingFiles listing a directory", List.of("MatchingFiles"), m -> {
      add(m, stringConst("hostile/glob", canaryDir + "/*"), node("hostile/ls", "MatchingFiles", "hostile/glob"));
      dependOn(m, "logits", "hostile/ls");
    }));
    h.add(new Hostile("a dataset reading the canary", List.of("FixedLengthRecordDatasetV2", "IteratorGetNext",
        "MakeIterator"), m -> {
      add(m, stringConst("hostile/files", c),
          node("hostile/dataset", "FixedLengthRecordDatasetV2", "hostile/files"),
          node("hostile/iterator", "MakeIterator", "hostile/dataset"),
          node("hostile/next", "IteratorGetNext", "hostile/iterator"));
      dependOn(m, "classes", "hostile/next");
    }));
    h.add(new Hostile("py_func", List.of("EagerPyFunc", "PyFunc"), m -> {
      add(m, withAttr(node("hostile/py", "PyFunc"), "token",
              AttrValue.newBuilder().setS(ByteString.copyFromUtf8("pyfunc_0")).build()),
          node("hostile/eager_py", "EagerPyFunc", "hostile/py"));
      dependOn(m, "logits", "hostile/eager_py");
    }));
    h.add(new Hostile("ImmutableConst mapping the canary into memory", List.of("ImmutableConst"), m -> {
      add(m, withAttr(node("hostile/mapped", "ImmutableConst"), "memory_region_name",
          AttrValue.newBuilder().setS(ByteString.copyFromUtf8(c)).build()));
      dependOn(m, "logits", "hostile/mapped");
    }));
    h.add(new Hostile("WriteFile in a function the logits call", List.of("WriteFile"), m -> {
      m.getGraphDefBuilder().getLibraryBuilder().addFunction(function("hostile_fn",
          stringConst("path", c), stringConst("text", "pwned"),
          node("write", "WriteFile", "path:output:0", "text:output:0")));
      add(m, withAttr(node("hostile/call", "StatefulPartitionedCall"), "f",
          AttrValue.newBuilder().setFunc(NameAttrList.newBuilder().setName("hostile_fn")).build()));
      dependOn(m, "logits", "hostile/call");
    }));
    h.add(new Hostile("a node whose op is a function that reads the canary", List.of("ReadFile"), m -> {
      m.getGraphDefBuilder().getLibraryBuilder().addFunction(function("innocent_looking",
          stringConst("path", c), node("read", "ReadFile", "path:output:0")));
      add(m, node("hostile/direct_call", "innocent_looking"));
      dependOn(m, "logits", "hostile/direct_call");
    }));
    h.add(new Hostile("an uncalled function that writes", List.of("WriteFile"), m ->
        m.getGraphDefBuilder().getLibraryBuilder().addFunction(function("dormant",
            stringConst("path", c), stringConst("text", "pwned"),
            node("write", "WriteFile", "path:output:0", "text:output:0")))));
    h.add(new Hostile("SaveV2 outside the saver", List.of("SaveV2"), m -> {
      add(m, stringConst("hostile/prefix", c), stringConst("hostile/names", "bias"),
          stringConst("hostile/slices", ""),
          node("hostile/save", "SaveV2", "hostile/prefix", "hostile/names", "hostile/slices", "bias"));
      dependOn(m, "logits", "hostile/save");
    }));
    h.add(new Hostile("RestoreV2 outside the saver", List.of("RestoreV2"), m -> {
      add(m, stringConst("hostile/prefix", c), stringConst("hostile/names", "bias"),
          stringConst("hostile/slices", ""),
          node("hostile/restore", "RestoreV2", "hostile/prefix", "hostile/names", "hostile/slices"));
      dependOn(m, "logits", "hostile/restore");
    }));
    h.add(new Hostile("the saver restoring from another file", List.of("RestoreV2"), m -> {
      add(m, stringConst("hostile/prefix", c));
      GraphDef.Builder g = m.getGraphDefBuilder();
      for (NodeDef.Builder n : g.getNodeBuilderList()) {
        if (n.getOp().equals("RestoreV2")) {
          n.setInput(0, "hostile/prefix");
        }
      }
    }));
    h.add(new Hostile("a summary file writer", List.of("CreateSummaryFileWriter", "SummaryWriter"), m -> {
      add(m, stringConst("hostile/logdir", canaryDir.toString()),
          node("hostile/writer", "SummaryWriter"),
          node("hostile/create", "CreateSummaryFileWriter", "hostile/writer", "hostile/logdir"));
      dependOn(m, "logits", "hostile/create");
    }));
    h.add(new Hostile("a While loop", List.of("While"), m -> {
      add(m, node("hostile/loop", "While", "bias"));
      dependOn(m, "logits", "hostile/loop");
    }));
    h.add(new Hostile("DebugIdentity with a file URL", List.of("DebugIdentity"), m -> {
      add(m, withAttr(node("hostile/debug", "DebugIdentity", "bias"), "debug_urls",
          AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder()
              .addS(ByteString.copyFromUtf8("file://" + canaryDir))).build()));
      dependOn(m, "logits", "hostile/debug");
    }));
    return h;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileModels")
  void isRefusedBeforeLoadingAndTheCanaryIsUntouched(Hostile hostile) throws IOException {
    Path model = build(tmp.resolve("hostile/" + hostile.name().replaceAll("[^A-Za-z0-9]+", "-")), hostile.edit());
    CliRun r = CliRun.of("predict", model.toString(), image.toString());
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
    String[] lines = r.err().strip().split("\n");
    assertEquals(1, lines.length, r.err());
    assertTrue(lines[0].startsWith("error: " + model + ": refused: the model's graph uses ops"), lines[0]);
    for (String op : hostile.expectedOps()) {
      assertTrue(lines[0].contains(op + " ("), "names " + op + ": " + lines[0]);
    }
    assertTrue(lines[0].endsWith("load it with --trust-model"), lines[0]);
    assertCanaryUntouched();
  }

  @Test
  void trustModelSkipsTheCheckAndThenTheModelDoesWhatItWas() throws IOException {
    Path model = build(tmp.resolve("trusted/1"), m -> writeBefore(m, "logits"));
    Path written = canaryDir.resolve("written-when-trusted.txt");
    rewriteConst(model, "hostile/path", written.toString());
    assertEquals(ExitCode.BAD_INPUT, CliRun.of("predict", model.toString(), image.toString()).code());
    assertFalse(Files.exists(written));
    CliRun trusted = CliRun.of("predict", model.toString(), image.toString(), "--trust-model");
    assertEquals(0, trusted.code(), trusted.toString());
    assertEquals("pwned", Files.readString(written), "the hostile op ran");
    Files.delete(written);
    assertCanaryUntouched();
  }

  @Test
  void evaluateCompareAndExplainRefuseToo() throws IOException {
    Path data = dev.fmnist.testing.TinyDataset.of(20, 6).writeDataset(tmp.resolve("data"));
    Path hostile = build(tmp.resolve("hostile-everywhere/1"), m -> writeBefore(m, "logits"));
    Path benign = TinyModels.export(tmp.resolve("benign-everywhere/1"), TinyModels.Spec.fmnist());
    Path reports = tmp.resolve("reports");
    List<CliRun> runs = List.of(
        CliRun.of("evaluate", hostile.toString(), "--data-dir", data.toString(), "--report-dir", reports.toString()),
        CliRun.of("compare", benign.toString(), hostile.toString(), "--data-dir", data.toString(),
            "--report-dir", reports.toString()),
        CliRun.of("explain", hostile.toString(), image.toString(), "--data-dir", data.toString(),
            "--out", reports.toString()));
    for (CliRun r : runs) {
      assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
      assertTrue(r.err().startsWith("error: " + hostile + ": refused: ") && r.err().strip().split("\n").length == 1,
          r.err());
    }
    assertFalse(Files.exists(reports), "nothing written");
    assertCanaryUntouched();
    CliRun trusted = CliRun.of("evaluate", benign.toString(), "--data-dir", data.toString(), "--trust-model",
        "--report-dir", reports.toString());
    assertEquals(0, trusted.code(), trusted.toString());
  }

  @Test
  void benignModelsPass() {
    Path plain = TinyModels.export(tmp.resolve("benign/1"), TinyModels.Spec.fmnist());
    assertEquals(0, CliRun.of("predict", plain.toString(), image.toString()).code());
    Path keras = TinyModels.export(tmp.resolve("benign-keras/1"),
        TinyModels.Spec.fmnist().withConv().outputs(TinyModels.OutputStyle.KERAS));
    assertEquals(0, CliRun.of("predict", keras.toString(), image.toString()).code());
  }

  static List<String> brokenModels() {
    return List.of("empty saved_model.pb", "saved_model.pb cut to 10 bytes", "saved_model.pb cut in half",
        "saved_model.pb without its last byte", "random saved_model.pb", "saved_model.pb is a directory",
        "no variables directory", "empty variables directory", "variables index cut in half",
        "variables index of random bytes", "variables index bytes flipped", "empty variables index",
        "variables data cut in half", "variables data bytes flipped");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenModels")
  void aBrokenSavedModelIsOneLineWithExitCode2(String what) throws IOException {
    Path model = TinyModels.export(tmp.resolve("broken/" + what.replaceAll("[^A-Za-z0-9]+", "-") + "/1"),
        TinyModels.Spec.fmnist());
    Path pb = model.resolve("saved_model.pb");
    Path index = model.resolve("variables/variables.index");
    Path data = model.resolve("variables/variables.data-00000-of-00001");
    java.util.SplittableRandom rng = new java.util.SplittableRandom(what.hashCode());
    switch (what) {
      case "empty saved_model.pb" -> Files.write(pb, new byte[0]);
      case "saved_model.pb cut to 10 bytes" -> cut(pb, 10);
      case "saved_model.pb cut in half" -> cut(pb, (int) Files.size(pb) / 2);
      case "saved_model.pb without its last byte" -> cut(pb, (int) Files.size(pb) - 1);
      case "random saved_model.pb" -> Files.write(pb, randomBytes(rng, 4096));
      case "saved_model.pb is a directory" -> {
        Files.delete(pb);
        Files.createDirectory(pb);
      }
      case "no variables directory" -> deleteTree(model.resolve("variables"));
      case "empty variables directory" -> {
        deleteTree(model.resolve("variables"));
        Files.createDirectory(model.resolve("variables"));
      }
      case "variables index cut in half" -> cut(index, (int) Files.size(index) / 2);
      case "variables index of random bytes" -> Files.write(index, randomBytes(rng, (int) Files.size(index)));
      case "variables index bytes flipped" -> flip(index, rng, 8);
      case "empty variables index" -> Files.write(index, new byte[0]);
      case "variables data cut in half" -> cut(data, (int) Files.size(data) / 2);
      case "variables data bytes flipped" -> flip(data, rng, 8);
      default -> throw new IllegalArgumentException(what);
    }
    CliRun r = CliRun.of("predict", model.toString(), image.toString());
    assertEquals(ExitCode.BAD_INPUT, r.code(), r.toString());
    String[] lines = r.err().strip().split("\n");
    assertEquals(1, lines.length, r.err());
    assertTrue(lines[0].startsWith("error: " + model), lines[0]);
    assertFalse(r.err().contains("\tat "), r.err());
  }

  /**
   * Every single flipped byte of the variables index: one error line, or (where TensorFlow does not
   * read the byte, or checks nothing there that matters) the same predictions; never a crash.
   */
  @Test
  void everyFlippedByteOfTheVariablesIndexIsHarmlessOrOneErrorLine() throws IOException {
    Path model = TinyModels.export(tmp.resolve("flipped/1"), TinyModels.Spec.fmnist());
    Path index = model.resolve("variables/variables.index");
    byte[] original = Files.readAllBytes(index);
    String expected = CliRun.of("predict", model.toString(), image.toString()).out();
    int refused = 0;
    for (int i = 0; i < original.length; i++) {
      byte[] b = original.clone();
      b[i] ^= (byte) 0x5a;
      Files.write(index, b);
      CliRun r = CliRun.of("predict", model.toString(), image.toString());
      if (r.code() != 0) {
        assertEquals(ExitCode.BAD_INPUT, r.code(), "byte " + i + ": " + r);
        assertEquals(1, r.err().strip().split("\n").length, "byte " + i + ": " + r.err());
        refused++;
      } else {
        assertEquals(expected, r.out(), "byte " + i + " changed the predictions without an error");
      }
    }
    System.out.printf("variables.index: %d single-byte flips, %d refused with exit code 2, the others without effect%n",
        original.length, refused);
    assertTrue(refused > original.length / 2, "most flips are detected: " + refused + " of " + original.length);
  }

  // ---- building hostile graphs ----

  private static String canaryPath() {
    return canary.toString();
  }

  /** Exports the tiny classifier into {@code dir} and applies {@code edit} to its serving MetaGraph. */
  static Path build(Path dir, Consumer<MetaGraphDef.Builder> edit) throws IOException {
    TinyModels.export(dir, TinyModels.Spec.fmnist());
    Path pb = dir.resolve("saved_model.pb");
    SavedModel.Builder sm = SavedModel.parseFrom(Files.readAllBytes(pb)).toBuilder();
    edit.accept(sm.getMetaGraphsBuilder(0));
    Files.write(pb, sm.build().toByteArray());
    return dir;
  }

  /** WriteFile("pwned" to the canary) as a control dependency of {@code target}. */
  static void writeBefore(MetaGraphDef.Builder m, String target) {
    add(m, stringConst("hostile/path", canaryPath()), stringConst("hostile/text", "pwned"),
        node("hostile/write", "WriteFile", "hostile/path", "hostile/text"));
    dependOn(m, target, "hostile/write");
  }

  static void rewriteConst(Path model, String name, String value) throws IOException {
    Path pb = model.resolve("saved_model.pb");
    SavedModel.Builder sm = SavedModel.parseFrom(Files.readAllBytes(pb)).toBuilder();
    for (NodeDef.Builder n : sm.getMetaGraphsBuilder(0).getGraphDefBuilder().getNodeBuilderList()) {
      if (n.getName().equals(name)) {
        n.putAttr("value", stringConst(name, value).getAttrOrThrow("value"));
      }
    }
    Files.write(pb, sm.build().toByteArray());
  }

  static void add(MetaGraphDef.Builder m, NodeDef... nodes) {
    for (NodeDef n : nodes) {
      m.getGraphDefBuilder().addNode(n);
    }
  }

  static void dependOn(MetaGraphDef.Builder m, String target, String dependency) {
    for (NodeDef.Builder n : m.getGraphDefBuilder().getNodeBuilderList()) {
      if (n.getName().equals(target)) {
        n.addInput("^" + dependency);
        return;
      }
    }
    throw new IllegalArgumentException("no node " + target);
  }

  static NodeDef node(String name, String op, String... inputs) {
    return NodeDef.newBuilder().setName(name).setOp(op).addAllInput(List.of(inputs)).build();
  }

  static NodeDef withAttr(NodeDef n, String key, AttrValue v) {
    return n.toBuilder().putAttr(key, v).build();
  }

  static NodeDef stringConst(String name, String value) {
    TensorProto t = TensorProto.newBuilder().setDtype(DataType.DT_STRING)
        .setTensorShape(TensorShapeProto.getDefaultInstance())
        .addStringVal(ByteString.copyFromUtf8(value)).build();
    return node(name, "Const").toBuilder()
        .putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_STRING).build())
        .putAttr("value", AttrValue.newBuilder().setTensor(t).build()).build();
  }

  static FunctionDef function(String name, NodeDef... body) {
    return FunctionDef.newBuilder().setSignature(OpDef.newBuilder().setName(name).setIsStateful(true))
        .addAllNodeDef(List.of(body)).build();
  }

  // ---- the canary ----

  static void assertCanaryUntouched() throws IOException {
    try (Stream<Path> s = Files.list(canaryDir)) {
      assertEquals(List.of(canary), s.toList(), "no file written beside the canary");
    }
    BasicFileAttributes a = Files.readAttributes(canary, BasicFileAttributes.class);
    assertEquals(canaryAccessed, a.lastAccessTime(), "the canary was read");
    byte[] now = Files.readAllBytes(canary);
    Files.getFileAttributeView(canary, BasicFileAttributeView.class).setTimes(null, canaryAccessed, null);
    assertEquals(List.of(), diff(now), "the canary was written");
  }

  private static List<String> diff(byte[] now) {
    return java.util.Arrays.equals(now, canaryBytes) ? List.of() : List.of(new String(now));
  }

  /** Reading a file whose access time is older than its modification time updates it, even under relatime. */
  @Test
  void theCanaryWouldShowAReadOnThisFileSystem() throws IOException {
    Path probe = Files.write(tmp.resolve("probe.txt"), canaryBytes);
    Files.getFileAttributeView(probe, BasicFileAttributeView.class).setTimes(null, canaryAccessed, null);
    Files.readAllBytes(probe);
    FileTime after = Files.readAttributes(probe, BasicFileAttributes.class).lastAccessTime();
    org.junit.jupiter.api.Assumptions.assumeFalse(after.equals(canaryAccessed),
        "this file system does not record reads (noatime): the canary checks only writes here");
  }

  private static void cut(Path f, int length) throws IOException {
    Files.write(f, java.util.Arrays.copyOf(Files.readAllBytes(f), length));
  }

  private static byte[] randomBytes(java.util.SplittableRandom rng, int n) {
    byte[] b = new byte[n];
    rng.nextBytes(b);
    return b;
  }

  private static void flip(Path f, java.util.SplittableRandom rng, int count) throws IOException {
    byte[] b = Files.readAllBytes(f);
    for (int i = 0; i < count; i++) {
      b[rng.nextInt(b.length)] ^= (byte) (1 + rng.nextInt(255));
    }
    Files.write(f, b);
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
