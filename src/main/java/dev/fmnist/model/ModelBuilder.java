package dev.fmnist.model;

import dev.fmnist.config.ConfigException;
import dev.fmnist.config.Layer;
import dev.fmnist.config.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Builds a model tower from a {@link ModelSpec} with the Ops API: convolution, pooling, dense,
 * dropout, batch normalization, residual blocks and global average pooling. A new architecture is
 * a new recipe, not new Java.
 *
 * <p>A training tower uses batch statistics (and returns the moving-average updates) and applies
 * dropout with stateless masks drawn from a fed [2] seed, so a step's masks depend only on the run
 * seed and the step number. An inference tower uses the moving statistics and no dropout.
 */
public final class ModelBuilder {
  /** Spreads the per-layer dropout seeds apart (a prime, so layers never share a stream). */
  private static final long DROPOUT_LAYER_STRIDE = 1_000_003L;

  private final Ops tf;
  private final VariableStore vars;
  private final boolean training;
  private final ConvFusion fusion;
  private final Operand<TInt64> dropoutSeed;
  private final int classes;
  private final List<Op> updates = new ArrayList<>();
  private Operand<TFloat32> lastFeatureMap;

  private ModelBuilder(
      Ops tf, int classes, VariableStore vars, boolean training, ConvFusion fusion, Operand<TInt64> dropoutSeed) {
    this.tf = tf;
    this.classes = classes;
    this.vars = vars;
    this.training = training;
    this.fusion = fusion;
    this.dropoutSeed = dropoutSeed;
  }

  /**
   * Builds a training tower.
   *
   * @param classes the number of logits the last layer must give (the dataset's classes)
   * @param dropoutSeed a [2] int64 seed fed each step (run seed, step)
   * @param fusion whether conv + bias + ReLU is one op with an output-based gradient, and in which
   *     precision ({@link FusedConvRelu}; CPU training towers)
   * @param tf the ops of the training graph the tower is added to
   * @param spec the architecture
   * @param vars creates and holds the variables
   * @param images [n, height, width, channels] images in [0, 1]
   * @return the tower's logits and its batch-norm updates
   */
  public static BuiltModel training(Ops tf, ModelSpec spec, int classes, VariableStore vars,
      Operand<TFloat32> images, Operand<TInt64> dropoutSeed, ConvFusion fusion) {
    return new ModelBuilder(tf, classes, vars, true, fusion, dropoutSeed).build(spec, images);
  }

  /**
   * Builds a training tower from plain ops.
   *
   * @param tf the ops of the training graph the tower is added to
   * @param spec the architecture
   * @param classes the number of logits the last layer must give
   * @param vars creates and holds the variables
   * @param images [n, height, width, channels] images in [0, 1]
   * @param dropoutSeed a [2] int64 seed fed each step
   * @return the tower's logits and its batch-norm updates
   */
  public static BuiltModel training(Ops tf, ModelSpec spec, int classes, VariableStore vars,
      Operand<TFloat32> images, Operand<TInt64> dropoutSeed) {
    return training(tf, spec, classes, vars, images, dropoutSeed, ConvFusion.NONE);
  }

  /**
   * Builds an inference tower giving {@code classes} logits: moving batch-norm statistics, no dropout.
   *
   * @param tf the ops of the graph the tower is added to
   * @param spec the architecture
   * @param classes the number of logits the last layer must give
   * @param vars creates and holds the variables
   * @param images [n, height, width, channels] images in [0, 1]
   * @return the tower's logits
   */
  public static BuiltModel inference(Ops tf, ModelSpec spec, int classes, VariableStore vars,
      Operand<TFloat32> images) {
    return new ModelBuilder(tf, classes, vars, false, ConvFusion.NONE, null).build(spec, images);
  }

  private BuiltModel build(ModelSpec spec, Operand<TFloat32> images) {
    List<Layer> layers = spec.layers();
    Layer last = layers.get(layers.size() - 1);
    if (!(last instanceof Layer.Dense d && d.unitsFor(classes) == classes && d.activation() == Layer.Activation.NONE)) {
      throw new ConfigException("model.layers: the last layer must be '- dense: {units: " + classes
          + ", activation: none}' or '- dense: {activation: none}' (the logits: one per class of the dataset)");
    }
    Shape in = images.shape();
    if (in.numDimensions() != 4 || in.size(1) < 1 || in.size(2) < 1 || in.size(3) < 1) {
      throw new IllegalArgumentException("a model tower needs [n, height, width, channels] images, found " + in);
    }
    // every layer's shape is checked here, from the recipe alone, before any op is added
    ModelFootprint.of(spec, in.size(1), in.size(2), in.size(3), classes);
    Operand<TFloat32> x = images;
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      String name = String.format(Locale.ROOT, "l%02d_%s", i, typeName(layer));
      try {
        if (!keepsBfloat16(layer)) {
          x = float32(x);
        }
        x = apply(layer, x, name, i);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("model.layers[" + i + "] (" + typeName(layer) + "): " + shapeProblem(e.getMessage()),
            e);
      }
    }
    return new BuiltModel(float32(x), List.copyOf(updates), lastFeatureMap);
  }

  /**
   * Whether {@code layer} takes (and gives) bfloat16 activations as they are: with {@link
   * ConvFusion#BFLOAT16}, a fused conv's output stays bfloat16 into max pooling and the next fused
   * conv (a cast back and forth would cost more than the fusion saves); every other layer gets
   * float32 ({@link #float32}), which the bfloat16 rewriter then converts as it does for plain ops.
   */
  private boolean keepsBfloat16(Layer layer) {
    return fusion == ConvFusion.BFLOAT16 && (layer instanceof Layer.MaxPool
        || layer instanceof Layer.Conv c && !c.batchNorm() && c.activation() == Layer.Activation.RELU);
  }

  /**
   * {@code x} as float32. With {@link ConvFusion#BFLOAT16} an activation may be a bfloat16 tensor
   * behind an {@code Operand<TFloat32>} (the ops are typed when the graph runs, Java's generics are
   * not); this is the one place that turns it back.
   */
  @SuppressWarnings("unchecked")
  private Operand<TFloat32> float32(Operand<TFloat32> x) {
    Operand<?> any = x;
    return any.type() == org.tensorflow.types.TBfloat16.class ? tf.dtypes.cast(any, TFloat32.class) : x;
  }

  /**
   * A TensorFlow shape error without the node description it carries ({@code for '{{node ...}} =
   * Op[...](...)'}): {@code Negative dimension size caused by subtracting 40 from 28; input shapes:
   * [?,28,28,1], [40,40,1,4], [4]}.
   */
  static String shapeProblem(String message) {
    String m = String.valueOf(message);
    int node = m.indexOf(" for '{{node ");
    if (node < 0) {
      return m;
    }
    int shapes = m.indexOf(" with input shapes: ", node);
    String rest = shapes < 0 ? "" : "; input shapes: " + m.substring(shapes + " with input shapes: ".length())
        .replaceFirst("\\.$", "");
    return m.substring(0, node) + rest;
  }

  private Operand<TFloat32> apply(Layer layer, Operand<TFloat32> x, String name, int index) {
    if (layer instanceof Layer.Conv c) {
      Operand<TFloat32> y = conv(x, name, c.filters(), c.kernel(), c.stride(), c.padding(), !c.batchNorm(), c.activation());
      if (c.batchNorm()) {
        y = batchNorm(y, name + "/bn", 0.99, 1e-3);
      }
      boolean fused = fusion != ConvFusion.NONE && !c.batchNorm() && c.activation() == Layer.Activation.RELU;
      if (!fused) {
        y = activate(y, c.activation());
      }
      lastFeatureMap = y;
      return y;
    }
    if (layer instanceof Layer.MaxPool p) {
      return maxPool(x, name, p.size(), p.stride(), p.padding().name());
    }
    if (layer instanceof Layer.Dense d) {
      long in = dim(x, 1);
      int units = d.unitsFor(classes);
      Operand<TFloat32> w =
          vars.weight(name + "/kernel", Shape.of(in, units), weightInit(in, units, d.activation()), true);
      Operand<TFloat32> b = vars.weight(name + "/bias", Shape.of(units), Initializer.ZEROS, true);
      return activate(tf.nn.biasAdd(tf.linalg.matMul(x, w), b), d.activation());
    }
    if (layer instanceof Layer.Dropout dr) {
      return training && dr.rate() > 0 ? dropout(x, dr.rate(), index) : x;
    }
    if (layer instanceof Layer.BatchNorm bn) {
      return batchNorm(x, name, bn.momentum(), bn.epsilon());
    }
    if (layer instanceof Layer.Flatten) {
      long features = 1;
      for (int i = 1; i < x.shape().numDimensions(); i++) {
        features *= dim(x, i);
      }
      return tf.withName(name).reshape(x, tf.constant(new long[] {-1, features}));
    }
    if (layer instanceof Layer.Residual r) {
      Operand<TFloat32> y = residual(x, name, r.filters(), r.stride());
      lastFeatureMap = y;
      return y;
    }
    if (layer instanceof Layer.GlobalAvgPool) {
      return tf.withName(name).math.mean(x, tf.constant(new int[] {1, 2}));
    }
    throw new IllegalStateException("unhandled layer " + layer);
  }

  private Operand<TFloat32> conv(
      Operand<TFloat32> x,
      String name,
      int filters,
      int kernel,
      int stride,
      Layer.Padding padding,
      boolean bias,
      Layer.Activation activation) {
    long in = dim(x, 3);
    long fanIn = (long) kernel * kernel * in;
    Operand<TFloat32> k =
        vars.weight(
            name + "/kernel",
            Shape.of(kernel, kernel, in, filters),
            weightInit(fanIn, (long) kernel * kernel * filters, activation),
            true);
    if (fusion != ConvFusion.NONE && bias && activation == Layer.Activation.RELU) {
      Operand<TFloat32> b = vars.weight(name + "/bias", Shape.of(filters), Initializer.ZEROS, true);
      return FusedConvRelu.apply(tf, x, k, b, stride, padding.name(), fusion == ConvFusion.BFLOAT16);
    }
    Operand<TFloat32> y = tf.nn.conv2d(x, k, List.of(1L, (long) stride, (long) stride, 1L), padding.name());
    if (bias) {
      Operand<TFloat32> b = vars.weight(name + "/bias", Shape.of(filters), Initializer.ZEROS, true);
      y = tf.nn.biasAdd(y, b);
    }
    return y;
  }

  private Operand<TFloat32> residual(Operand<TFloat32> x, String name, int filters, int stride) {
    Layer.Activation relu = Layer.Activation.RELU;
    Operand<TFloat32> y = conv(x, name + "/conv1", filters, 3, stride, Layer.Padding.SAME, false, relu);
    y = tf.nn.relu(batchNorm(y, name + "/bn1", 0.99, 1e-3));
    y = conv(y, name + "/conv2", filters, 3, 1, Layer.Padding.SAME, false, Layer.Activation.NONE);
    y = batchNorm(y, name + "/bn2", 0.99, 1e-3);
    Operand<TFloat32> shortcut = x;
    if (stride != 1 || dim(x, 3) != filters) {
      shortcut = conv(x, name + "/proj", filters, 1, stride, Layer.Padding.SAME, false, Layer.Activation.NONE);
      shortcut = batchNorm(shortcut, name + "/proj_bn", 0.99, 1e-3);
    }
    return tf.nn.relu(tf.math.add(y, shortcut));
  }

  private Operand<TFloat32> batchNorm(Operand<TFloat32> x, String name, double momentum, double epsilon) {
    int rank = x.shape().numDimensions();
    if (rank != 2 && rank != 4) {
      throw new IllegalArgumentException("batch norm needs a [n, c] or [n, h, w, c] input, found " + x.shape());
    }
    long c = dim(x, rank - 1);
    Operand<TFloat32> in = rank == 2 ? tf.reshape(x, tf.constant(new long[] {-1, 1, 1, c})) : x;
    Operand<TFloat32> gamma = vars.weight(name + "/gamma", Shape.of(c), Initializer.ONES, true);
    Operand<TFloat32> beta = vars.weight(name + "/beta", Shape.of(c), Initializer.ZEROS, true);
    Operand<TFloat32> y;
    if (training) { // the moving statistics are updated: they must be the variables themselves
      Variable<TFloat32> movingMean = vars.variable(name + "/moving_mean", Shape.of(c), Initializer.ZEROS, false);
      Variable<TFloat32> movingVar = vars.variable(name + "/moving_variance", Shape.of(c), Initializer.ONES, false);
      Operand<TFloat32> empty = tf.constant(new float[0]);
      FusedBatchNorm<TFloat32, TFloat32> bn =
          tf.nn.fusedBatchNorm(
              in, gamma, beta, empty, empty,
              FusedBatchNorm.epsilon((float) epsilon), FusedBatchNorm.isTraining(true));
      Operand<TFloat32> decay = tf.constant((float) (1 - momentum));
      updates.add(tf.assignSub(movingMean, tf.math.mul(tf.math.sub(movingMean, bn.batchMean()), decay)));
      updates.add(tf.assignSub(movingVar, tf.math.mul(tf.math.sub(movingVar, bn.batchVariance()), decay)));
      y = bn.y();
    } else {
      Operand<TFloat32> movingMean = vars.weight(name + "/moving_mean", Shape.of(c), Initializer.ZEROS, false);
      Operand<TFloat32> movingVar = vars.weight(name + "/moving_variance", Shape.of(c), Initializer.ONES, false);
      y = tf.nn.fusedBatchNorm(
              in, gamma, beta, movingMean, movingVar,
              FusedBatchNorm.epsilon((float) epsilon), FusedBatchNorm.isTraining(false))
          .y();
    }
    return rank == 2 ? tf.reshape(y, tf.constant(new long[] {-1, c})) : y;
  }

  /**
   * {@code MaxPool} with the window in attributes. TF Java's {@code nn.maxPool} emits {@code
   * MaxPoolV2} (window as tensors), which TensorFlow's oneDNN rewrite skips: its gradient ran on the
   * plain Eigen kernel, a quarter of a cnn training step. {@code MaxPool} and its gradient run on
   * oneDNN.
   */
  private Operand<TFloat32> maxPool(Operand<TFloat32> x, String name, int size, int stride, String padding) {
    return tf.withName(name).scope().opBuilder("MaxPool", "MaxPool")
        .addInput(x.asOutput())
        .setAttr("ksize", new long[] {1, size, size, 1})
        .setAttr("strides", new long[] {1, stride, stride, 1})
        .setAttr("padding", padding)
        .build()
        .<TFloat32>output(0);
  }

  private Operand<TFloat32> dropout(Operand<TFloat32> x, double rate, int layerIndex) {
    Operand<TInt64> seed =
        tf.math.add(dropoutSeed, tf.constant(new long[] {(layerIndex + 1) * DROPOUT_LAYER_STRIDE, 0}));
    Operand<TFloat32> u = tf.random.statelessRandomUniform(tf.shape(x), seed);
    Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(u, tf.constant((float) rate)), TFloat32.class);
    return tf.math.mul(x, tf.math.mul(keep, tf.constant((float) (1 / (1 - rate)))));
  }

  private Operand<TFloat32> activate(Operand<TFloat32> x, Layer.Activation a) {
    return a == Layer.Activation.RELU ? tf.nn.relu(x) : x;
  }

  private static Initializer weightInit(long fanIn, long fanOut, Layer.Activation activation) {
    return activation == Layer.Activation.RELU
        ? new Initializer.HeNormal(fanIn)
        : new Initializer.GlorotUniform(fanIn, fanOut);
  }

  private static long dim(Operand<?> x, int i) {
    long d = x.shape().size(i);
    if (d < 0) {
      throw new IllegalArgumentException("dimension " + i + " of " + x.shape() + " is unknown");
    }
    return d;
  }

  /** The layer's type as recipes write it ({@code conv}, {@code maxpool}, ...). */
  static String typeName(Layer layer) {
    for (com.fasterxml.jackson.annotation.JsonSubTypes.Type t
        : Layer.class.getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class).value()) {
      if (t.value() == layer.getClass()) {
        return t.name();
      }
    }
    return layer.getClass().getSimpleName().toLowerCase(Locale.ROOT);
  }
}
