package dev.fmnist.export;

import dev.fmnist.model.VariableStore.ResourceVariable;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.train.Restore;
import org.tensorflow.op.train.Save;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * The save and restore subgraph for resource variables, under the names that TensorFlow Java's
 * {@code Session.save/restore} and SavedModel exporter look for ({@code save/filename}, {@code
 * save/control_dependency}, {@code save/restore_all}; the same as Python's TF1 {@code Saver}).
 * TensorFlow Java only builds one for reference variables ({@code VariableV2}). Checkpoint keys
 * are the variable names, so a training checkpoint restores into it.
 */
final class ResourceSaver {
  static final String SCOPE = "save";
  static final String FILENAME = SCOPE + "/filename";
  static final String SAVE = SCOPE + "/control_dependency";
  static final String RESTORE_ALL = SCOPE + "/restore_all";

  private ResourceSaver() {}

  /**
   * Adds the subgraph for {@code variables} to the graph of {@code root}.
   *
   * @return for each variable, in order, the op that assigns its restored value (what a
   *     VariableDef names as the variable's initializer)
   */
  static List<String> add(Ops root, List<ResourceVariable> variables) {
    if (variables.isEmpty()) {
      throw new IllegalArgumentException("a model without variables has nothing to save");
    }
    Ops tf = root.withSubScope(SCOPE);
    String[] names = variables.stream().map(ResourceVariable::name).toArray(String[]::new);
    String[] slices = new String[names.length];
    java.util.Arrays.fill(slices, "");
    Placeholder<TString> filename = tf.withName("filename").placeholder(TString.class);
    Operand<TString> tensorNames = tf.withName("tensor_names").constant(StdArrays.ndCopyOf(names));
    Operand<TString> shapeAndSlices = tf.withName("shape_and_slices").constant(StdArrays.ndCopyOf(slices));

    List<Operand<?>> values = new ArrayList<>();
    for (ResourceVariable v : variables) {
      values.add(v.value());
    }
    Save save = tf.withName("SaveV2").train.save(filename, tensorNames, shapeAndSlices, values);
    tf.withControlDependencies(List.of(save)).withName("control_dependency").identity(filename);

    List<Class<? extends TType>> types = new ArrayList<>();
    variables.forEach(v -> types.add(TFloat32.class));
    Restore restore = tf.withName("RestoreV2").train.restore(filename, tensorNames, shapeAndSlices, types);
    List<Op> assigns = new ArrayList<>();
    List<String> assignNames = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      Op a = tf.withName("AssignVariableOp" + (i == 0 ? "" : "_" + i))
          .assignVariableOp(variables.get(i).handle(), restore.tensors().get(i));
      assigns.add(a);
      assignNames.add(a.op().name());
    }
    tf.withControlDependencies(assigns).withName("restore_all").noOp();
    return assignNames;
  }
}
