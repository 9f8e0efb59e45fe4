package dev.fmnist.train.graph;

import dev.fmnist.config.AdamSpec;
import dev.fmnist.model.Initializer;
import dev.fmnist.model.VariableStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Adam (Kingma and Ba) on reference variables, built from {@code ApplyAdam}: the learning rate and
 * the bias-correction powers {@code beta1^t} and {@code beta2^t} are {@link Feeds fed} each step,
 * so a learning-rate schedule needs no graph changes and the step count lives with the training
 * loop (and its checkpoints), not in the graph.
 *
 * <p>Every update waits for every gradient: backprop reads the weights through the variables'
 * references, so an {@code ApplyAdam} that ran early would change weights that other gradients
 * still read.
 *
 * <p>The moment estimates are variables asked of the model's {@link VariableStore} as {@code
 * <variable>/adam_m} and {@code <variable>/adam_v}, zeros at first, so that checkpoints hold them
 * under stable names. TensorFlow Java makes the sub-scope {@code <variable>} unique because the
 * variable already has that name: the slots of {@code l00_conv/kernel} are {@code
 * l00_conv/kernel_1/adam_m} and {@code l00_conv/kernel_1/adam_v}, the keys every fmnist checkpoint
 * has.
 *
 * @param beta1 decay of the first-moment estimate
 * @param beta2 decay of the second-moment estimate
 * @param epsilon added to the root of the second moment
 */
public record Adam(float beta1, float beta2, float epsilon) {
  /** Keras's default decay of the first-moment estimate. */
  public static final float DEFAULT_BETA1 = (float) AdamSpec.DEFAULT_BETA1;
  /** Keras's default decay of the second-moment estimate. */
  public static final float DEFAULT_BETA2 = (float) AdamSpec.DEFAULT_BETA2;
  /** Keras's default epsilon. */
  public static final float DEFAULT_EPSILON = (float) AdamSpec.DEFAULT_EPSILON;
  /** Appended to a variable's name to ask the store for its first-moment slot. */
  public static final String FIRST_MOMENT = "/adam_m";
  /** Appended to a variable's name to ask the store for its second-moment slot. */
  public static final String SECOND_MOMENT = "/adam_v";

  /**
   * What the training loop feeds each step.
   *
   * @param learningRate the step's learning rate, a scalar
   * @param beta1Power {@code beta1^t} for the step's number {@code t} (1 at the first step), a scalar
   * @param beta2Power {@code beta2^t}, a scalar
   */
  public record Feeds(
      Operand<TFloat32> learningRate, Operand<TFloat32> beta1Power, Operand<TFloat32> beta2Power) {}

  /** Adam with Keras's defaults. */
  public Adam() {
    this(DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
  }

  /**
   * Checks the settings.
   *
   * @param beta1 decay of the first-moment estimate
   * @param beta2 decay of the second-moment estimate
   * @param epsilon added to the root of the second moment
   * @throws IllegalArgumentException if {@code beta1} or {@code beta2} is not in [0, 1), or {@code
   *     epsilon} is not a finite number > 0
   */
  public Adam {
    requireUnitInterval("beta1", beta1);
    requireUnitInterval("beta2", beta2);
    if (!(epsilon > 0) || Float.isInfinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be a finite number > 0, found " + epsilon);
    }
  }

  /**
   * The update ops of one step, one per variable; run them together (e.g. as control inputs of one
   * {@code NoOp}).
   *
   * @param feeds the fed learning rate and beta powers
   * @param slots where the moment estimates are created
   * @param variables the variables to update
   * @param gradients the gradient of the loss with respect to each variable, in the same order
   * @param tf the ops of the training graph the updates are added to
   * @return one {@code ApplyAdam} op per variable, in the order of {@code variables}
   * @throws IllegalArgumentException if the lists differ in length
   */
  public List<Op> applyGradients(Ops tf, Feeds feeds, VariableStore slots, List<Variable<TFloat32>> variables,
      List<? extends Operand<TFloat32>> gradients) {
    return applyGradients(tf, feeds, slots, variables, gradients, (afterGradients, v) -> null);
  }

  /**
   * As {@link #applyGradients(Ops, Feeds, VariableStore, List, List)}, with {@code before}
   * building, for a variable, an op that must run after all gradients and before the variable's
   * Adam update (or returning null for none).
   */
  List<Op> applyGradients(Ops tf, Feeds feeds, VariableStore slots, List<Variable<TFloat32>> variables,
      List<? extends Operand<TFloat32>> gradients, BiFunction<Ops, Variable<TFloat32>, Op> before) {
    if (variables.size() != gradients.size()) {
      throw new IllegalArgumentException(
          variables.size() + " variables but " + gradients.size() + " gradients");
    }
    Operand<TFloat32> b1 = tf.constant(beta1);
    Operand<TFloat32> b2 = tf.constant(beta2);
    Operand<TFloat32> eps = tf.constant(epsilon);
    List<Op> allGradients = new ArrayList<>();
    List<Operand<TFloat32>> readGradients = new ArrayList<>();
    for (Operand<TFloat32> gradient : gradients) {
      org.tensorflow.op.core.Identity<TFloat32> g = tf.identity(gradient);
      allGradients.add(g);
      readGradients.add(g);
    }
    Ops afterGradients = tf.withControlDependencies(allGradients);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      Variable<TFloat32> v = variables.get(i);
      String name = v.op().name();
      Variable<TFloat32> m = slots.variable(name + FIRST_MOMENT, v.shape(), Initializer.ZEROS, false);
      Variable<TFloat32> s = slots.variable(name + SECOND_MOMENT, v.shape(), Initializer.ZEROS, false);
      Ops adamOps = afterGradients;
      Op first = before.apply(afterGradients, v);
      if (first != null) {
        List<Op> waitFor = new ArrayList<>(allGradients);
        waitFor.add(first);
        adamOps = tf.withControlDependencies(waitFor);
      }
      updates.add(adamOps.train.applyAdam(v, m, s, feeds.beta1Power(), feeds.beta2Power(), feeds.learningRate(),
          b1, b2, eps, readGradients.get(i)));
    }
    return updates;
  }

  private static void requireUnitInterval(String name, float value) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1), found " + value);
    }
  }
}
