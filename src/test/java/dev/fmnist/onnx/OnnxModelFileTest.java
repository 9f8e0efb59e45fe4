package dev.fmnist.onnx;

import static dev.fmnist.testing.TinyOnnxModels.FLOAT;
import static dev.fmnist.testing.TinyOnnxModels.N;
import static dev.fmnist.testing.TinyOnnxModels.graph;
import static dev.fmnist.testing.TinyOnnxModels.node;
import static dev.fmnist.testing.TinyOnnxModels.valueInfo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fmnist.ModelException;
import dev.fmnist.testing.TinyOnnxModels;
import dev.fmnist.testing.TinyOnnxModels.Proto;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelFileTest {
  @TempDir Path tmp;

  @Test
  void readsTheHeaderAndEveryNodesOp() {
    Path file = TinyOnnxModels.write(tmp.resolve("band.onnx"),
        TinyOnnxModels.band("images", new Object[] {N, 28L, 28L, 1L}, true));
    OnnxModelFile m = OnnxModelFile.read(file);
    assertEquals(8, m.irVersion());
    assertEquals("fmnist tests 1", m.producer());
    assertEquals(Map.of("", 17L), m.opsets());
    assertEquals(Map.of(":Reshape", 1, ":MatMul", 1, ":Add", 1, ":Softmax", 1, ":ArgMax", 1), m.ops());
    assertEquals(List.of(), m.nonStandardOps());
    assertEquals(List.of(), m.externalData());
  }

  @Test
  void findsOpsInSubgraphsAndInTheStandardDomainsSpelledOut() {
    // If(cond) { then: com.example:Leak(x) } else { Identity(x) }, then ai.onnx.ml and com.microsoft ops
    Proto then = graph("then", List.of(node("Leak", List.of("x"), List.of("y_then"), "com.example")),
        List.of(), List.of(), List.of(valueInfo("y_then", FLOAT, N, 10L)));
    Proto otherwise = graph("else", List.of(node("Identity", List.of("x"), List.of("y_else"), "")),
        List.of(), List.of(), List.of(valueInfo("y_else", FLOAT, N, 10L)));
    Proto ifNode = node("If", List.of("cond"), List.of("y"), "",
        new Proto().string(1, "then_branch").message(6, then).varint(20, 5),
        new Proto().string(1, "else_branch").message(6, otherwise).varint(20, 5));
    Proto g = graph("nested", List.of(ifNode,
            node("Normalizer", List.of("y"), List.of("z"), "ai.onnx.ml"),
            node("FusedMatMul", List.of("z", "z"), List.of("w"), "com.microsoft"),
            node("Relu", List.of("w"), List.of("out"), "ai.onnx")),
        List.of(), List.of(valueInfo("x", FLOAT, N, 10L)), List.of(valueInfo("out", FLOAT, N, 10L)));
    Path file = TinyOnnxModels.write(tmp.resolve("nested.onnx"), TinyOnnxModels.model(g));
    OnnxModelFile m = OnnxModelFile.read(file);
    assertEquals(Map.of(":If", 1, "com.example:Leak", 1, ":Identity", 1, "ai.onnx.ml:Normalizer", 1,
        "com.microsoft:FusedMatMul", 1, ":Relu", 1), m.ops());
    assertEquals(List.of("com.example:Leak"), m.nonStandardOps());
    ModelException e = assertThrows(ModelException.class, m::requireStandardOps);
    assertTrue(e.getMessage().contains(": com.example:Leak (1 node)."), e.getMessage());
  }

  @Test
  void refusesFieldsOfTheWrongWireType() {
    // field 7 (graph) as a varint: a protobuf, but not a ModelProto
    byte[] bytes = new Proto().varint(1, 8).varint(7, 3).bytes();
    Path file = TinyOnnxModels.write(tmp.resolve("wire.onnx"), bytes);
    assertEquals(file + ": not an ONNX model (field 7 has wire type 0, expected 2; truncated, or another"
        + " kind of file)", assertThrows(ModelException.class, () -> OnnxModelFile.read(file)).getMessage());
    Path noGraph = TinyOnnxModels.write(tmp.resolve("nograph.onnx"), new Proto().varint(1, 8).bytes());
    assertEquals(noGraph + ": not an ONNX model (no graph in it; truncated, or another kind of file)",
        assertThrows(ModelException.class, () -> OnnxModelFile.read(noGraph)).getMessage());
  }
}
