package dev.fmnist.train;

import dev.fmnist.config.AdamSpec;
import dev.fmnist.config.Recipe;
import dev.fmnist.config.WeightDecaySpec;
import dev.fmnist.data.DatasetSpec;
import dev.fmnist.model.BuiltModel;
import dev.fmnist.model.Initializer;
import dev.fmnist.model.ModelBuilder;
import dev.fmnist.model.VariableStore;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The training graph: a training tower (batch statistics, dropout) and an evaluation tower
 * (moving statistics, no dropout) sharing one set of weights, the mean sparse softmax
 * cross-entropy, and Adam built from {@code ApplyAdam} so that the learning rate and the bias
 * corrections are fed each step (schedules need no graph changes; the step count lives in the
 * checkpoint).
 */
final class TrainingGraph implements AutoCloseable {
  final Graph graph;
  final Placeholder<TFloat32> images;
  final Placeholder<TInt32> labels;
  final Placeholder<TInt64> dropoutSeed;
  final Placeholder<TFloat32> learningRate;
  final Placeholder<TFloat32> beta1Power;
  final Placeholder<TFloat32> beta2Power;
  /** Mean loss of the training batch. */
  final Operand<TFloat32> loss;
  /** Correct predictions in the training batch (float count). */
  final Operand<TFloat32> correct;
  /** Runs Adam on every trainable variable and the batch-norm updates. */
  final Op trainStep;
  /** Summed loss of an evaluation batch (inference mode). */
  final Operand<TFloat32> evalLossSum;
  /** Correct predictions in an evaluation batch (inference mode). */
  final Operand<TFloat32> evalCorrect;
  /** Evaluation-tower logits. */
  final Operand<TFloat32> evalLogits;
  final int trainableCount;
  /** The variables gradients are computed for, in creation order. */
  final List<Variable<TFloat32>> trainableVariables;

  private TrainingGraph(Recipe recipe, DatasetSpec data, String device, boolean fuseConvRelu) {
    SparseCrossEntropyGradient.register();
    graph = new Graph();
    try {
      Ops root = Ops.create(graph);
      Ops tf = device == null ? root : root.withDevice(org.tensorflow.DeviceSpec.newBuilder().deviceType(
          org.tensorflow.DeviceSpec.DeviceType.GPU).deviceIndex(0).build());
      long seed = recipe.training().seed();
      images = tf.withName("images").placeholder(TFloat32.class, Placeholder.shape(Shape.of(data.batchShape(-1))));
      labels = tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
      dropoutSeed = tf.withName("dropout_seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
      learningRate = tf.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      beta1Power = tf.withName("beta1_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      beta2Power = tf.withName("beta2_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));

      VariableStore vars = new VariableStore(tf, VariableStore.Policy.INITIALIZE, seed);
      BuiltModel train = ModelBuilder.training(
          tf.withSubScope("train"), recipe.model(), data.classes(), vars, images, dropoutSeed, fuseConvRelu);
      double smoothing = recipe.training().labelSmoothing();
      WeightDecaySpec decay = recipe.training().weightDecay();
      List<Variable<TFloat32>> trainable = vars.trainable();
      List<Variable<TFloat32>> kernels = trainable.stream().filter(v -> v.op().name().endsWith("/kernel")).toList();
      Operand<TFloat32> dataLoss = tf.math.mean(exampleLoss(tf, train.logits(), smoothing), tf.constant(0));
      if (decay.type() == WeightDecaySpec.Type.L2 && !kernels.isEmpty()) {
        // Keras's kernel_regularizer=l2(rate): rate * sum(w^2) per kernel, added to the loss
        List<Operand<TFloat32>> squares = new ArrayList<>();
        for (Variable<TFloat32> k : kernels) {
          squares.add(tf.sum(tf.math.square(tf.identity(k)), allAxes(tf, k))); // identity: read the ref first
        }
        Operand<TFloat32> penalty = tf.math.mul(tf.constant(decay.rate().floatValue()), tf.math.addN(squares));
        loss = tf.withName("loss").math.add(dataLoss, penalty);
      } else {
        loss = tf.withName("loss").identity(dataLoss);
      }
      correct = correctCount(tf, train.logits());

      trainableCount = trainable.size();
      trainableVariables = List.copyOf(trainable);
      Output<?>[] xs = new Output<?>[trainable.size()];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = trainable.get(i).asOutput();
      }
      Output<?>[] grads = graph.addGradients(loss.asOutput(), xs);
      AdamSpec adam = recipe.training().adam();
      Operand<TFloat32> b1 = tf.constant(adam.beta1().floatValue());
      Operand<TFloat32> b2 = tf.constant(adam.beta2().floatValue());
      Operand<TFloat32> eps = tf.constant(adam.epsilon().floatValue());
      // Updates wait for every gradient: backprop reads the weights through the variables' refs, so
      // an early ApplyAdam would otherwise change weights that other gradients still read.
      List<Op> allGradients = new ArrayList<>();
      List<Operand<TFloat32>> gradients = new ArrayList<>();
      for (Output<?> grad : grads) {
        @SuppressWarnings("unchecked")
        org.tensorflow.op.core.Identity<TFloat32> g = tf.identity((Operand<TFloat32>) grad);
        allGradients.add(g);
        gradients.add(g);
      }
      Ops afterGradients = tf.withControlDependencies(allGradients);
      List<Op> updates = new ArrayList<>(train.updates());
      Operand<TFloat32> decayStep = decay.type() == WeightDecaySpec.Type.DECOUPLED
          ? tf.math.mul(learningRate, tf.constant(decay.rate().floatValue())) : null;
      for (int i = 0; i < xs.length; i++) {
        Variable<TFloat32> v = trainable.get(i);
        String name = v.op().name();
        Variable<TFloat32> m = vars.variable(name + "/adam_m", v.shape(), Initializer.ZEROS, false);
        Variable<TFloat32> s = vars.variable(name + "/adam_v", v.shape(), Initializer.ZEROS, false);
        Operand<TFloat32> g = gradients.get(i);
        Ops adamOps = afterGradients;
        if (decayStep != null && kernels.contains(v)) {
          // AdamW as Keras applies it: w -= lr * rate * w first, then the Adam update
          Op shrink = afterGradients.train.applyGradientDescent(v, decayStep, afterGradients.identity(v));
          List<Op> before = new ArrayList<>(allGradients);
          before.add(shrink);
          adamOps = tf.withControlDependencies(before);
        }
        updates.add(adamOps.train.applyAdam(v, m, s, beta1Power, beta2Power, learningRate, b1, b2, eps, g));
      }
      trainStep = tf.withName("train_step").withControlDependencies(updates).noOp();

      BuiltModel eval = ModelBuilder.inference(tf.withSubScope("eval"), recipe.model(), data.classes(), vars, images);
      evalLogits = eval.logits();
      evalLossSum = tf.sum(exampleLoss(tf, evalLogits, smoothing), tf.constant(0));
      evalCorrect = correctCount(tf, evalLogits);
    } catch (RuntimeException | Error e) {
      graph.close();
      throw e;
    }
  }

  /** Builds the graph for a recipe; {@code gpu} pins every op to the first GPU. */
  static TrainingGraph build(Recipe recipe, DatasetSpec data, boolean gpu) {
    // The fused conv op is CPU float32 only: the bfloat16 rewriter leaves it in float32 (measured:
    // 20.5 ms per cnn step fused vs 15.5 ms unfused in bf16), and GPUs fuse through cuDNN anyway.
    boolean fuse = !gpu && recipe.training().precision() == dev.fmnist.config.TrainingSpec.Precision.FLOAT32;
    return build(recipe, data, gpu, fuse);
  }

  static TrainingGraph build(Recipe recipe, DatasetSpec data, boolean gpu, boolean fuseConvRelu) {
    return new TrainingGraph(recipe, data, gpu ? "gpu" : null, fuseConvRelu);
  }

  /**
   * Cross-entropy per example; with label smoothing e, Keras's loss for targets y(1-e) + e/K:
   * (1-e) * CE(y) + e * mean_k(-log softmax_k).
   */
  private Operand<TFloat32> exampleLoss(Ops tf, Operand<TFloat32> logits, double smoothing) {
    Operand<TFloat32> ce = tf.nn.sparseSoftmaxCrossEntropyWithLogits(logits, labels).loss();
    if (smoothing == 0) {
      return ce;
    }
    Operand<TFloat32> uniform = tf.math.neg(tf.math.mean(tf.nn.logSoftmax(logits), tf.constant(1)));
    return tf.math.add(tf.math.mul(tf.constant((float) (1 - smoothing)), ce),
        tf.math.mul(tf.constant((float) smoothing), uniform));
  }

  private static Operand<TInt32> allAxes(Ops tf, Operand<?> x) {
    int[] axes = new int[x.shape().numDimensions()];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = i;
    }
    return tf.constant(axes);
  }

  private Operand<TFloat32> correctCount(Ops tf, Operand<TFloat32> logits) {
    Operand<TInt32> predicted = tf.math.argMax(logits, tf.constant(1), TInt32.class);
    return tf.sum(tf.dtypes.cast(tf.math.equal(predicted, labels), TFloat32.class), tf.constant(0));
  }

  @Override
  public void close() {
    graph.close();
  }
}
