package dev.fmnist.savedmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * The saver rules on graphs shaped like TensorFlow 2 (Keras) SavedModels, whose checkpoint ops
 * live in functions called by the saver's own nodes: {@code saver_filename} feeds a restore call
 * and a save call, the signature calls the model function.
 */
class OpAllowlistTest {
  private static final String RESTORE_FN = "__inference__traced_restore_1";
  private static final String SAVE_FN = "__inference__traced_save_1";

  /** A TF2-shaped graph; {@code restorePrefix} is what the restore function's RestoreV2 reads. */
  private static MetaGraphDef keras(String restorePrefix, boolean signatureCallsRestore) {
    return keras(restorePrefix, signatureCallsRestore, false);
  }

  private static MetaGraphDef keras(String restorePrefix, boolean signatureCallsRestore, boolean restoreWrites) {
    GraphDef.Builder g = GraphDef.newBuilder()
        .addNode(node("serving_default_images", "Placeholder"))
        .addNode(node("kernel", "VarHandleOp"))
        .addNode(call("StatefulPartitionedCall", "__inference_call_1", "serving_default_images", "kernel"))
        .addNode(node("saver_filename", "Placeholder"))
        .addNode(call("StatefulPartitionedCall_1", SAVE_FN, "saver_filename", "kernel"))
        .addNode(call("StatefulPartitionedCall_2", RESTORE_FN, "saver_filename", "kernel"));
    if (signatureCallsRestore) {
      g.addNode(call("sneaky", RESTORE_FN, "saver_filename", "kernel"));
    }
    g.getLibraryBuilder()
        .addFunction(function("__inference_call_1", List.of("images", "kernel"),
            node("read", "ReadVariableOp", "kernel"), node("MatMul", "MatMul", "images", "read:value:0")))
        .addFunction(function(SAVE_FN, List.of("file_prefix", "kernel"),
            node("join", "StringJoin", "file_prefix"), node("shard", "ShardedFilename", "join:output:0"),
            node("SaveV2", "SaveV2", "shard:filename:0", "kernel"),
            node("merge", "MergeV2Checkpoints", "shard:filename:0")))
        .addFunction(function(RESTORE_FN, List.of("file_prefix", "kernel"),
            node("other", "Const"), node("RestoreV2", "RestoreV2", restorePrefix),
            node("assign", "AssignVariableOp", "kernel", "RestoreV2:tensors:0"),
            restoreWrites ? node("SaveV2", "SaveV2", "other:output:0", "kernel") : node("done", "NoOp")));
    SignatureDef sig = SignatureDef.newBuilder()
        .putInputs("images", TensorInfo.newBuilder().setName("serving_default_images:0").build())
        .putOutputs("output_0", TensorInfo.newBuilder()
            .setName((signatureCallsRestore ? "sneaky" : "StatefulPartitionedCall") + ":0").build())
        .build();
    return MetaGraphDef.newBuilder().setGraphDef(g)
        .setSaverDef(SaverDef.newBuilder().setFilenameTensorName("saver_filename:0")
            .setSaveTensorName("StatefulPartitionedCall_1:0").setRestoreOpName("StatefulPartitionedCall_2"))
        .putSignatureDef("serving_default", sig).build();
  }

  @Test
  void checkpointOpsInTheSaversFunctionsPass() {
    assertEquals(List.of(), OpAllowlist.check(keras("file_prefix", false)));
  }

  @Test
  void aRestoreThatReadsAnotherFileIsRefused() {
    assertEquals(List.of(new OpAllowlist.Finding("RestoreV2",
            "function '" + RESTORE_FN + "' node 'RestoreV2' reads a file the saver does not name")),
        OpAllowlist.check(keras("other:output:0", false)));
  }

  @Test
  void checkpointOpsReachableFromASignatureAreRefused() {
    List<String> ops = OpAllowlist.check(keras("file_prefix", true)).stream().map(OpAllowlist.Finding::op).toList();
    assertEquals(List.of("RestoreV2"), ops);
  }

  @Test
  void theRestoreRunAtLoadMayNotWrite() {
    assertEquals(List.of(new OpAllowlist.Finding("SaveV2", "function '" + RESTORE_FN + "' node 'SaveV2'")),
        OpAllowlist.check(keras("file_prefix", false, true)));
  }

  @Test
  void aModelWithoutASaverMayNotUseCheckpointOps() {
    MetaGraphDef m = keras("file_prefix", false).toBuilder().clearSaverDef().build();
    assertEquals(List.of("ShardedFilename", "SaveV2", "MergeV2Checkpoints", "RestoreV2"),
        OpAllowlist.check(m).stream().map(OpAllowlist.Finding::op).toList());
  }

  private static NodeDef node(String name, String op, String... inputs) {
    return NodeDef.newBuilder().setName(name).setOp(op).addAllInput(List.of(inputs)).build();
  }

  private static NodeDef call(String name, String function, String... inputs) {
    return node(name, "StatefulPartitionedCall", inputs).toBuilder()
        .putAttr("f", AttrValue.newBuilder().setFunc(NameAttrList.newBuilder().setName(function)).build())
        .build();
  }

  private static FunctionDef function(String name, List<String> args, NodeDef... body) {
    OpDef.Builder sig = OpDef.newBuilder().setName(name);
    args.forEach(a -> sig.addInputArg(OpDef.ArgDef.newBuilder().setName(a)));
    return FunctionDef.newBuilder().setSignature(sig).addAllNodeDef(List.of(body)).build();
  }
}
