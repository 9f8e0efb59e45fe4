package dev.fmnist.train;

import dev.fmnist.config.AdamSpec;
import dev.fmnist.config.Recipe;
import dev.fmnist.config.WeightDecaySpec;
import dev.fmnist.data.DatasetSpec;
import dev.fmnist.model.BuiltModel;
import dev.fmnist.model.ConvFusion;
import dev.fmnist.model.ModelBuilder;
import dev.fmnist.model.VariableStore;
import dev.fmnist.train.graph.Adam;
import dev.fmnist.train.graph.AdamW;
import dev.fmnist.train.graph.BatchMetrics;
import dev.fmnist.train.graph.L2Regularizer;
import dev.fmnist.train.graph.SparseCrossEntropy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
 * (moving statistics, no dropout) sharing one set of weights, wired to the pieces in {@code
 * dev.fmnist.train.graph}: the mean sparse softmax cross-entropy (with the recipe's label
 * smoothing), the L2 penalty on the kernels, and Adam or AdamW with the learning rate and the bias
 * corrections fed each step (schedules need no graph changes; the step count lives in the
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
  /** The loss's gradient for each of {@link #trainableVariables}, in the same order. */
  final List<Operand<TFloat32>> lossGradients;

  private TrainingGraph(Recipe recipe, DatasetSpec data, String device, ConvFusion fusion) {
    // before any TensorFlow object: the shapes, and whether training fits this machine (a recipe whose
    // image size only the dataset's files tell was not checked before they were read)
    dev.fmnist.model.ModelFootprint.of(recipe.model(), data)
        .checkFits(recipe.training().batchSize(), dev.fmnist.Machine.physicalMemoryBytes());
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
          tf.withSubScope("train"), recipe.model(), data.classes(), vars, images, dropoutSeed, fusion);
      SparseCrossEntropy crossEntropy = new SparseCrossEntropy(recipe.training().labelSmoothing());
      WeightDecaySpec decay = recipe.training().weightDecay();
      List<Variable<TFloat32>> trainable = vars.trainable();
      List<Variable<TFloat32>> kernels = trainable.stream().filter(v -> v.op().name().endsWith("/kernel")).toList();
      Operand<TFloat32> dataLoss = crossEntropy.mean(tf, train.logits(), labels);
      if (decay.type() == WeightDecaySpec.Type.L2 && !kernels.isEmpty()) {
        Operand<TFloat32> penalty = new L2Regularizer(decay.rate().floatValue()).penalty(tf, kernels);
        loss = tf.withName("loss").math.add(dataLoss, penalty);
      } else {
        loss = tf.withName("loss").identity(dataLoss);
      }
      correct = BatchMetrics.correctCount(tf, train.logits(), labels);

      trainableCount = trainable.size();
      trainableVariables = List.copyOf(trainable);
      Output<?>[] xs = new Output<?>[trainable.size()];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = trainable.get(i).asOutput();
      }
      List<Operand<TFloat32>> gradients = new ArrayList<>();
      for (Output<?> grad : graph.addGradients(loss.asOutput(), xs)) {
        @SuppressWarnings("unchecked")
        Operand<TFloat32> g = (Operand<TFloat32>) grad;
        gradients.add(g);
      }
      lossGradients = List.copyOf(gradients);
      AdamSpec spec = recipe.training().adam();
      Adam adam = new Adam(spec.beta1().floatValue(), spec.beta2().floatValue(), spec.epsilon().floatValue());
      Adam.Feeds feeds = new Adam.Feeds(learningRate, beta1Power, beta2Power);
      List<Op> updates = new ArrayList<>(train.updates());
      updates.addAll(decay.type() == WeightDecaySpec.Type.DECOUPLED
          ? new AdamW(adam, decay.rate().floatValue()).applyGradients(tf, feeds, vars, trainable, gradients, Set.copyOf(kernels))
          : adam.applyGradients(tf, feeds, vars, trainable, gradients));
      trainStep = tf.withName("train_step").withControlDependencies(updates).noOp();

      BuiltModel eval = ModelBuilder.inference(tf.withSubScope("eval"), recipe.model(), data.classes(), vars, images);
      evalLogits = eval.logits();
      evalLossSum = BatchMetrics.lossSum(tf, crossEntropy.perExample(tf, evalLogits, labels));
      evalCorrect = BatchMetrics.correctCount(tf, evalLogits, labels);
    } catch (RuntimeException | Error e) {
      graph.close();
      throw e;
    }
  }

  /** Builds the graph for a recipe; {@code gpu} pins every op to the first GPU. */
  static TrainingGraph build(Recipe recipe, DatasetSpec data, boolean gpu) {
    // CPU towers fuse conv + bias + ReLU; GPUs fuse through cuDNN anyway. In bf16 the fused op is
    // oneDNN's bfloat16 one (the bfloat16 rewriter would leave a float32 _FusedConv2D alone: 20.5 ms
    // per cnn step against 15.5 ms unfused; the bfloat16 fusion, tools/bench/levers.sh, see docs/performance.md).
    ConvFusion fusion = gpu ? ConvFusion.NONE
        : recipe.training().precision() == dev.fmnist.config.TrainingSpec.Precision.BF16 ? ConvFusion.BFLOAT16
        : ConvFusion.FLOAT32;
    return build(recipe, data, gpu, fusion);
  }

  static TrainingGraph build(Recipe recipe, DatasetSpec data, boolean gpu, ConvFusion fusion) {
    return new TrainingGraph(recipe, data, gpu ? "gpu" : null, fusion);
  }

  @Override
  public void close() {
    graph.close();
  }
}
