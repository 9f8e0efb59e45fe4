package dev.fmnist.savedmodel;

import dev.fmnist.ModelException;
import dev.fmnist.FmnistException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * The ops a Fashion-MNIST classifier needs at inference, and the check that a SavedModel uses no
 * others. A SavedModel is a program: loading it runs its restore and init ops, predicting runs
 * whatever its outputs depend on, and TensorFlow has ops that read and write files (ReadFile,
 * WriteFile, PrintV2 to a file, MatchingFiles, dataset readers, ImmutableConst, summary writers),
 * run Python (PyFunc) or loop (While). So before any load, every node of the serving graph and of
 * its function library must be an {@linkplain #INFERENCE_OPS inference op} or a call of a library
 * function. Checkpoint ops are allowed only where the saver puts them: in the part of the graph,
 * or the functions, that only the saver's restore op or save tensor reach; the restore side (run
 * at load) may only read ({@link #SAVER_READ_OPS}), and every restore must read the file name the
 * loader feeds the saver; writing ({@link #SAVER_WRITE_OPS}) is allowed only on the save side,
 * which fmnist never runs.
 */
public final class OpAllowlist {
  /** Ops that compute a classifier's outputs from its inputs and variables, and nothing else. */
  static final Set<String> INFERENCE_OPS = Set.of(
      // graph structure, constants, variables
      "Placeholder", "PlaceholderWithDefault", "Const", "Identity", "IdentityN", "NoOp", "StopGradient",
      "PreventGradient", "Snapshot", "VariableV2", "Variable", "VarHandleOp", "ReadVariableOp",
      "AssignVariableOp", "Assign", "VarIsInitializedOp", "IsVariableInitialized", "DisableCopyOnRead",
      "PartitionedCall", "StatefulPartitionedCall",
      // shapes and layout
      "Shape", "ShapeN", "Size", "Rank", "Reshape", "Squeeze", "ExpandDims", "Pack", "Unpack", "Concat",
      "ConcatV2", "Split", "SplitV", "Slice", "StridedSlice", "Tile", "Transpose", "Pad", "PadV2",
      "MirrorPad", "Fill", "ZerosLike", "OnesLike", "Range", "Cast", "GatherV2", "Gather", "GatherNd",
      "Where", "Select", "SelectV2", "BroadcastTo", "BroadcastArgs", "Reverse", "ReverseV2", "OneHot",
      "Einsum", "CheckNumerics", "EnsureShape",
      // arithmetic
      "Add", "AddV2", "AddN", "Sub", "Mul", "Div", "RealDiv", "DivNoNan", "MulNoNan", "FloorDiv",
      "FloorMod", "Mod", "Maximum", "Minimum", "Neg", "Abs", "Sign", "Square", "Sqrt", "Rsqrt", "Exp",
      "Log", "Log1p", "Expm1", "Pow", "Reciprocal", "Tanh", "Sigmoid", "Erf", "Floor", "Ceil", "Round",
      "Rint", "Sin", "Cos", "SquaredDifference", "ClipByValue", "MatMul", "BatchMatMul", "BatchMatMulV2",
      "BatchMatMulV3", "Sum", "Mean", "Max", "Min", "Prod", "ArgMax", "ArgMin", "Cumsum", "TopKV2",
      "Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual", "LogicalAnd", "LogicalOr",
      "LogicalNot", "All", "Any", "IsNan", "IsInf", "IsFinite",
      // neural network layers
      "BiasAdd", "BiasAddV1", "Conv2D", "DepthwiseConv2dNative", "Conv2DBackpropInput", "MaxPool",
      "MaxPoolV2", "AvgPool", "FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3",
      "BatchNormWithGlobalNormalization", "LRN", "Relu", "Relu6", "LeakyRelu", "Elu", "Selu",
      "Softplus", "Softsign", "Softmax", "LogSoftmax", "ResizeBilinear", "ResizeNearestNeighbor",
      // strings the TF2 saver uses to build shard names (harmless on their own)
      "StringJoin", "StaticRegexFullMatch");

  /**
   * Checkpoint ops that read (or name) files: allowed only in the saver, and a restore only when it
   * reads the file name the loader feeds the saver.
   */
  static final Set<String> SAVER_READ_OPS = Set.of("RestoreV2", "Restore", "RestoreSlice", "ShardedFilename",
      "ShardedFilespec");
  /** Checkpoint ops that write, rename or delete files: allowed only in the saver's save path. */
  static final Set<String> SAVER_WRITE_OPS = Set.of("SaveV2", "Save", "SaveSlices", "MergeV2Checkpoints");

  private static final Set<String> RESTORE_OPS = Set.of("RestoreV2", "Restore", "RestoreSlice");
  private static final int LOCATIONS_SHOWN = 3;

  /** An op the check refused and where it is. */
  public record Finding(String op, String where) {}

  private OpAllowlist() {}

  /**
   * Refuses a SavedModel whose serving graph uses ops inference does not need.
   *
   * @param dir the SavedModel directory, for the message
   * @param meta the serving MetaGraph
   * @throws ModelException listing the ops found and where
   */
  public static void requireAllowed(MetaGraphDef meta, Path dir) {
    List<Finding> findings = check(meta);
    if (findings.isEmpty()) {
      return;
    }
    Map<String, List<String>> byOp = new TreeMap<>();
    for (Finding f : findings) {
      byOp.computeIfAbsent(f.op(), k -> new ArrayList<>()).add(f.where());
    }
    List<String> parts = new ArrayList<>();
    byOp.forEach((op, where) -> parts.add(op + " (" + String.join(", ", where.subList(0,
        Math.min(LOCATIONS_SHOWN, where.size()))) + (where.size() > LOCATIONS_SHOWN
        ? " and " + (where.size() - LOCATIONS_SHOWN) + " more" : "") + ")"));
    throw new ModelException(dir + ": refused: the model's graph uses ops that classifying images"
        + " does not need: " + String.join(", ", parts) + ". A SavedModel is a program; if you trust"
        + " where this one came from, load it with --trust-model");
  }

  /**
   * Every node of the serving graph and its function library that the allowlist refuses.
   *
   * @param meta the serving MetaGraph
   * @return one finding per refused node, or an empty list
   */
  public static List<Finding> check(MetaGraphDef meta) {
    Map<String, NodeDef> nodes = new LinkedHashMap<>();
    for (NodeDef n : meta.getGraphDef().getNodeList()) {
      nodes.put(n.getName(), n);
    }
    Map<String, FunctionDef> library = new LinkedHashMap<>();
    for (FunctionDef f : meta.getGraphDef().getLibrary().getFunctionList()) {
      library.put(f.getSignature().getName(), f);
    }
    SaverDef saver = meta.getSaverDef();
    Set<String> restoreRoots = new HashSet<>();
    Set<String> saveRoots = new HashSet<>();
    if (meta.hasSaverDef()) {
      addNode(restoreRoots, saver.getRestoreOpName());
      addNode(saveRoots, saver.getSaveTensorName());
    }
    Set<String> runRoots = new HashSet<>();
    for (SignatureDef sig : meta.getSignatureDefMap().values()) {
      sig.getInputsMap().values().forEach(t -> addTensor(runRoots, t));
      sig.getOutputsMap().values().forEach(t -> addTensor(runRoots, t));
    }
    for (CollectionDef c : meta.getCollectionDefMap().values()) {
      c.getNodeList().getValueList().forEach(name -> addNode(runRoots, name));
    }
    Set<String> run = closure(nodes, runRoots);
    Set<String> restoreOnly = closure(nodes, restoreRoots);
    restoreOnly.removeAll(run);
    Set<String> saveOnly = closure(nodes, saveRoots);
    saveOnly.removeAll(run);
    saveOnly.removeAll(restoreOnly);
    Map<String, Region> nodeRegion = new HashMap<>();
    nodes.keySet().forEach(name -> nodeRegion.put(name,
        restoreOnly.contains(name) ? Region.RESTORE : saveOnly.contains(name) ? Region.SAVE : Region.OTHER));

    Set<String> otherFns = reachableFunctions(library, nodesIn(nodes, nodeRegion, Region.OTHER));
    Set<String> restoreFns = reachableFunctions(library, nodesIn(nodes, nodeRegion, Region.RESTORE));
    Set<String> saveFns = reachableFunctions(library, nodesIn(nodes, nodeRegion, Region.SAVE));
    Set<String> saverNodes = new HashSet<>(restoreOnly);
    saverNodes.addAll(saveOnly);

    List<Finding> findings = new ArrayList<>();
    String filenameNode = meta.hasSaverDef() ? nodeName(saver.getFilenameTensorName()) : null;
    for (NodeDef n : nodes.values()) {
      if (!allowed(n.getOp(), nodeRegion.get(n.getName()), library)) {
        findings.add(new Finding(n.getOp(), "node '" + n.getName() + "'"));
      } else if (RESTORE_OPS.contains(n.getOp())
          && (filenameNode == null || !filenameNode.equals(throughIdentity(nodes, dataInput(n, 0))))) {
        findings.add(new Finding(n.getOp(), "node '" + n.getName() + "' reads a file the saver does not name"));
      }
    }
    for (FunctionDef f : library.values()) {
      String fn = f.getSignature().getName();
      Region region = otherFns.contains(fn) ? Region.OTHER
          : restoreFns.contains(fn) ? Region.RESTORE
          : saveFns.contains(fn) ? Region.SAVE
          : Region.OTHER; // called by nothing
      for (NodeDef n : f.getNodeDefList()) {
        if (!allowed(n.getOp(), region, library)) {
          findings.add(new Finding(n.getOp(), "function '" + fn + "' node '" + n.getName() + "'"));
        } else if (RESTORE_OPS.contains(n.getOp())) {
          checkRestoreInFunction(f, n, nodes, saverNodes, library, filenameNode, findings);
        }
      }
    }
    return findings;
  }

  /**
   * Where a node or function sits: reached only from the saver's restore op (run when the model is
   * loaded), only from its save tensor (never run by fmnist), or anywhere else.
   */
  private enum Region {
    RESTORE,
    SAVE,
    OTHER
  }

  private static boolean allowed(String op, Region region, Map<String, FunctionDef> library) {
    if (INFERENCE_OPS.contains(op) || library.containsKey(op)) {
      return true;
    }
    return switch (region) {
      case RESTORE -> SAVER_READ_OPS.contains(op);
      case SAVE -> SAVER_READ_OPS.contains(op) || SAVER_WRITE_OPS.contains(op);
      case OTHER -> false;
    };
  }

  private static List<NodeDef> nodesIn(Map<String, NodeDef> nodes, Map<String, Region> regions, Region r) {
    return nodes.values().stream().filter(n -> regions.get(n.getName()) == r).toList();
  }

  /**
   * A restore inside a function must read the function's argument, and every call of the function
   * from the graph must pass the saver's file name there; calls from other functions are not
   * followed and so refused.
   */
  private static void checkRestoreInFunction(FunctionDef f, NodeDef restore, Map<String, NodeDef> nodes,
      Set<String> saverNodes, Map<String, FunctionDef> library, String filenameNode, List<Finding> findings) {
    String fn = f.getSignature().getName();
    String where = "function '" + fn + "' node '" + restore.getName() + "'";
    String prefix = functionInputNode(dataInput(restore, 0));
    int arg = -1;
    List<OpDef.ArgDef> args = f.getSignature().getInputArgList();
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).getName().equals(prefix)) {
        arg = i;
      }
    }
    boolean calledFromAFunction = library.values().stream()
        .flatMap(g -> g.getNodeDefList().stream())
        .anyMatch(n -> callees(n, library).contains(fn));
    List<NodeDef> callers = nodes.values().stream()
        .filter(n -> saverNodes.contains(n.getName()) && callees(n, library).contains(fn)).toList();
    boolean ok = arg >= 0 && !calledFromAFunction && !callers.isEmpty() && filenameNode != null;
    for (NodeDef call : callers) {
      ok &= filenameNode != null && filenameNode.equals(throughIdentity(nodes, dataInput(call, arg)));
    }
    if (!ok) {
      findings.add(new Finding(restore.getOp(), where + " reads a file the saver does not name"));
    }
  }

  /** Names of the nodes that {@code roots} depend on, through data and control inputs. */
  private static Set<String> closure(Map<String, NodeDef> nodes, Set<String> roots) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(roots);
    while (!todo.isEmpty()) {
      String name = todo.pop();
      NodeDef n = nodes.get(name);
      if (n == null || !seen.add(name)) {
        continue;
      }
      for (String in : n.getInputList()) {
        todo.push(nodeName(in));
      }
    }
    return seen;
  }

  /** The library functions that {@code from} call, directly or through other functions. */
  private static Set<String> reachableFunctions(Map<String, FunctionDef> library, List<NodeDef> from) {
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    from.forEach(n -> todo.addAll(callees(n, library)));
    while (!todo.isEmpty()) {
      String fn = todo.pop();
      if (seen.add(fn)) {
        library.get(fn).getNodeDefList().forEach(n -> todo.addAll(callees(n, library)));
      }
    }
    return seen;
  }

  /** Functions a node calls: its op when that names a library function, and function-valued attributes. */
  private static Set<String> callees(NodeDef n, Map<String, FunctionDef> library) {
    Set<String> out = new HashSet<>();
    if (library.containsKey(n.getOp())) {
      out.add(n.getOp());
    }
    for (AttrValue v : n.getAttrMap().values()) {
      if (v.hasFunc()) {
        out.add(v.getFunc().getName());
      }
      v.getList().getFuncList().forEach(f -> out.add(f.getName()));
    }
    out.retainAll(library.keySet());
    return out;
  }

  /** The {@code index}-th data input of a node (control inputs, {@code ^name}, are not counted). */
  private static String dataInput(NodeDef n, int index) {
    int i = 0;
    for (String in : n.getInputList()) {
      if (!in.startsWith("^")) {
        if (i++ == index) {
          return in;
        }
      }
    }
    return "";
  }

  /** Follows Identity nodes up from a graph input; returns the node name reached. */
  private static String throughIdentity(Map<String, NodeDef> nodes, String input) {
    String name = nodeName(input);
    for (int hops = 0; hops < 100; hops++) {
      NodeDef n = nodes.get(name);
      if (n == null || !n.getOp().equals("Identity")) {
        return name;
      }
      name = nodeName(dataInput(n, 0));
    }
    return name;
  }

  /** A graph input {@code ^name}, {@code name:1} or {@code name} as the node name. */
  private static String nodeName(String input) {
    String s = input.startsWith("^") ? input.substring(1) : input;
    int colon = s.lastIndexOf(':');
    return colon > 0 && s.substring(colon + 1).chars().allMatch(Character::isDigit) ? s.substring(0, colon) : s;
  }

  /** A function-body input {@code arg} or {@code node:output:0} as the argument or node name. */
  private static String functionInputNode(String input) {
    String s = input.startsWith("^") ? input.substring(1) : input;
    int colon = s.indexOf(':');
    return colon < 0 ? s : s.substring(0, colon);
  }

  private static void addNode(Set<String> into, String nameOrTensor) {
    if (!nameOrTensor.isEmpty()) {
      into.add(nodeName(nameOrTensor));
    }
  }

  private static void addTensor(Set<String> into, TensorInfo t) {
    switch (t.getEncodingCase()) {
      case NAME -> addNode(into, t.getName());
      case COO_SPARSE -> {
        addNode(into, t.getCooSparse().getValuesTensorName());
        addNode(into, t.getCooSparse().getIndicesTensorName());
        addNode(into, t.getCooSparse().getDenseShapeTensorName());
      }
      case COMPOSITE_TENSOR -> t.getCompositeTensor().getComponentsList().forEach(c -> addTensor(into, c));
      default -> { }
    }
  }
}
