package dev.fmnist.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Creates or finds the model's variables by name. Names are stable (layer index and role), so a
 * checkpoint written by the training graph restores into the inference graph built for export.
 *
 * <p>Training graphs use reference variables ({@code VariableV2}), which TensorFlow Java's saver
 * and the optimizer's {@code ApplyAdam} work with. The graphs that are exported use resource
 * variables ({@code VarHandleOp}, read with {@code ReadVariableOp}), as Python TensorFlow 2 and
 * Keras do: Python's loader only exposes resource variables ({@code loaded.variables}, the weights
 * of a Keras {@code TFSMLayer}); reference variables stay hidden inside the graph.
 */
public final class VariableStore {
  /** What {@link #variable} does when asked for a name. */
  public enum Policy {
    /** Create each variable with its seeded initial value (training). */
    INITIALIZE,
    /**
     * Create each variable as a resource variable without an initial value: it will be restored
     * from a checkpoint by a saver built over {@link #resources()}. Only {@link #weight} works.
     */
    RESTORE
  }

  /**
   * A resource variable of a {@link Policy#RESTORE} store.
   *
   * @param name the variable's name, which is also its checkpoint key and its handle op's name
   * @param handle the {@code VarHandleOp}
   * @param value the one {@code ReadVariableOp} that the model reads it through
   * @param shape its shape
   * @param trainable whether training computes gradients for it (batch-norm moving statistics: no)
   */
  public record ResourceVariable(
      String name, VarHandleOp handle, Operand<TFloat32> value, Shape shape, boolean trainable) {}

  private final Ops tf;
  private final Policy policy;
  private final long seed;
  private final Map<String, Variable<TFloat32>> byName = new LinkedHashMap<>();
  private final List<Variable<TFloat32>> trainable = new ArrayList<>();
  private final Map<String, ResourceVariable> resources = new LinkedHashMap<>();
  private final Map<String, Ops> scopes = new java.util.HashMap<>();

  /**
   * @param tf ops at the graph's root scope
   * @param policy create with initial values, or leave for restore
   * @param seed seeds every random initializer
   */
  public VariableStore(Ops tf, Policy policy, long seed) {
    this.tf = tf;
    this.policy = policy;
    this.seed = seed;
  }

  /**
   * The value of the variable called {@code name}, for the model to compute with: the reference
   * variable itself ({@link Policy#INITIALIZE}), or the read of a resource variable ({@link
   * Policy#RESTORE}). Created on first use and returned again afterwards.
   *
   * @param name the variable's name, e.g. {@code l00_conv/kernel}
   * @param shape its shape
   * @param initializer its initial value
   * @param isTrainable whether gradients are computed for it
   * @return the value to compute with
   */
  public Operand<TFloat32> weight(String name, Shape shape, Initializer initializer, boolean isTrainable) {
    if (policy != Policy.RESTORE) {
      return variable(name, shape, initializer, isTrainable);
    }
    ResourceVariable existing = resources.get(name);
    if (existing != null) {
      if (!existing.shape().equals(shape)) {
        throw new IllegalStateException(
            "variable " + name + " exists with shape " + existing.shape() + ", asked for " + shape);
      }
      return existing.value();
    }
    int slash = name.lastIndexOf('/');
    Ops scope = slash < 0 ? tf : scope(name.substring(0, slash));
    String leaf = name.substring(slash + 1);
    VarHandleOp handle =
        scope.withName(leaf).varHandleOp(TFloat32.class, shape, VarHandleOp.sharedName(name));
    Operand<TFloat32> value = scope.withName(leaf + "_read").readVariableOp(handle, TFloat32.class);
    if (!handle.op().name().equals(name)) {
      throw new IllegalStateException("variable " + name + " got the op name " + handle.op().name());
    }
    resources.put(name, new ResourceVariable(name, handle, value, shape, isTrainable));
    return value;
  }

  /**
   * The reference variable called {@code name} ({@link Policy#INITIALIZE} only), created on first
   * use and returned again afterwards (so a second tower in the same graph shares the weights).
   * Training needs the variable itself to update it (batch-norm moving statistics).
   *
   * @param name the variable's name
   * @param shape its shape
   * @param initializer its initial value
   * @param isTrainable whether gradients are computed for it
   * @return the variable
   */
  public Variable<TFloat32> variable(
      String name, Shape shape, Initializer initializer, boolean isTrainable) {
    if (policy == Policy.RESTORE) {
      throw new IllegalStateException("variable " + name + ": a RESTORE store has resource variables only");
    }
    Variable<TFloat32> existing = byName.get(name);
    if (existing != null) {
      if (!existing.shape().equals(shape)) {
        throw new IllegalStateException(
            "variable " + name + " exists with shape " + existing.shape() + ", asked for " + shape);
      }
      return existing;
    }
    int slash = name.lastIndexOf('/');
    Ops scope = slash < 0 ? tf : scope(name.substring(0, slash));
    String leaf = name.substring(slash + 1);
    Variable<TFloat32> v = scope.withName(leaf).variable(shape, TFloat32.class);
    Ops init = scope.withInitScope();
    init.withName(leaf + "_init").assign(v, initialValue(init, name, shape, initializer));
    byName.put(name, v);
    if (isTrainable) {
      trainable.add(v);
    }
    return v;
  }

  /**
   * The Ops for a name prefix like {@code l05_residual/conv1}. Cached: TensorFlow Java makes a
   * second sub-scope of the same name unique ({@code l05_residual_1}), which would break names.
   */
  private Ops scope(String prefix) {
    Ops s = scopes.get(prefix);
    if (s == null) {
      int slash = prefix.lastIndexOf('/');
      Ops parent = slash < 0 ? tf : scope(prefix.substring(0, slash));
      s = parent.withSubScope(prefix.substring(slash + 1));
      scopes.put(prefix, s);
    }
    return s;
  }

  private Operand<TFloat32> initialValue(Ops init, String name, Shape shape, Initializer initializer) {
    Operand<TInt64> dims = init.constant(shape.asArray());
    Operand<TInt64> rngSeed = init.constant(new long[] {seed, name.hashCode()});
    if (initializer instanceof Initializer.HeNormal he) {
      float std = (float) Math.sqrt(2.0 / he.fanIn());
      return init.math.mul(init.random.statelessTruncatedNormal(dims, rngSeed), init.constant(std));
    }
    if (initializer instanceof Initializer.GlorotUniform g) {
      float limit = (float) Math.sqrt(6.0 / (g.fanIn() + g.fanOut()));
      Operand<TFloat32> u01 = init.random.statelessRandomUniform(dims, rngSeed);
      return init.math.mul(
          init.math.sub(init.math.mul(u01, init.constant(2f)), init.constant(1f)), init.constant(limit));
    }
    Initializer.Constant c = (Initializer.Constant) initializer;
    return new org.tensorflow.framework.initializers.Constant<TFloat32>(c.value()).call(init, dims, TFloat32.class);
  }

  /**
   * Variables that gradients are computed for, in creation order.
   *
   * @return the trainable variables
   */
  public List<Variable<TFloat32>> trainable() {
    return Collections.unmodifiableList(trainable);
  }

  /**
   * Every reference variable, in creation order.
   *
   * @return name to variable
   */
  public Map<String, Variable<TFloat32>> all() {
    return Collections.unmodifiableMap(byName);
  }

  /**
   * Every resource variable of a {@link Policy#RESTORE} store, in creation order.
   *
   * @return the resource variables
   */
  public List<ResourceVariable> resources() {
    return List.copyOf(resources.values());
  }

}
