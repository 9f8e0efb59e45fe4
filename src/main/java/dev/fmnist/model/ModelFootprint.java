package dev.fmnist.model;

import dev.fmnist.Machine;
import dev.fmnist.config.ConfigException;
import dev.fmnist.config.DataSpec;
import dev.fmnist.config.Layer;
import dev.fmnist.config.ModelSpec;
import dev.fmnist.config.Recipe;
import dev.fmnist.data.DatasetSpec;
import dev.fmnist.data.FashionMnist;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a model takes before a graph is built: each layer's output shape, parameter count and
 * activations per image, worked out from the recipe's layers and the input image size alone. The
 * one place where the shapes of a recipe are checked: {@link ModelBuilder} computes it first, so a
 * kernel larger than its input is a one-line recipe error naming the layer, never a TensorFlow node
 * description; and {@link #checkFits} refuses a model whose training would need more memory than
 * the machine has, in milliseconds, before any dataset is read or any TensorFlow object is made.
 *
 * @param layers one entry per recipe layer, in order
 */
public record ModelFootprint(List<LayerFootprint> layers) {
  /** Bytes of a float32 value. */
  private static final int FLOAT_BYTES = 4;
  /**
   * Copies of each trainable value training keeps: the weight, its gradient and Adam's two moments.
   */
  private static final int TRAINABLE_COPIES = 4;
  /**
   * Copies of each activation a training step keeps: the forward value (kept for the backward
   * pass), its gradient, and one for the intermediates (bias, batch norm, ReLU) between them.
   */
  private static final int ACTIVATION_COPIES = 3;
  /** The batch size the limit assumes when the recipe does not say (never below this). */
  private static final int LEAST_BATCH = 1;

  /**
   * One layer's share.
   *
   * @param index the layer's index in {@code model.layers}
   * @param describe the layer as messages name it, e.g. {@code dense, units 128}
   * @param outputShape the output shape without the batch axis: {@code [h, w, c]} or {@code [features]}
   * @param trainable trainable values (kernels, biases, batch-norm scale and offset)
   * @param moving non-trainable values (batch-norm moving statistics)
   * @param activations values the layer produces per image (all of its intermediate outputs)
   */
  public record LayerFootprint(
      int index, String describe, long[] outputShape, double trainable, double moving, double activations) {
    /** Bytes this layer's weights and activations take in a training step at {@code batch}. */
    double trainingBytes(int batch) {
      return (trainable * TRAINABLE_COPIES + moving) * FLOAT_BYTES
          + activations * ACTIVATION_COPIES * FLOAT_BYTES * (double) batch;
    }
  }

  /**
   * Copies the list.
   *
   * @param layers one entry per layer, in recipe order
   */
  public ModelFootprint {
    layers = List.copyOf(layers);
  }

  /**
   * Works out the footprint of {@code spec} on {@code height x width x channels} images.
   *
   * @param spec the architecture
   * @param height input rows
   * @param width input columns
   * @param channels input channels
   * @param classes the logits of a last {@code dense} layer that leaves out {@code units}
   * @return each layer's shape, parameters and activations
   * @throws ConfigException (exit 2) {@code model.layers[i] (type, ...): problem} when a layer does
   *     not fit its input (a kernel or pooling window larger than the image, a dense layer on an
   *     image-shaped input, ...)
   */
  public static ModelFootprint of(ModelSpec spec, long height, long width, long channels, int classes) {
    List<LayerFootprint> out = new ArrayList<>();
    long[] shape = {height, width, channels};
    for (int i = 0; i < spec.layers().size(); i++) {
      Layer layer = spec.layers().get(i);
      Shaper s = new Shaper(shape);
      try {
        apply(layer, s, classes);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("model.layers[" + i + "] (" + describe(layer) + "): " + e.getMessage(), e);
      }
      out.add(new LayerFootprint(i, describe(layer), s.shape, s.trainable, s.moving, s.activations));
      shape = s.shape;
    }
    return new ModelFootprint(out);
  }

  /**
   * The footprint of {@code spec} on images of {@code data}.
   *
   * @param spec the architecture
   * @param data the images' size and classes
   * @return the footprint
   */
  public static ModelFootprint of(ModelSpec spec, DatasetSpec data) {
    return of(spec, data.height(), data.width(), data.channels(), data.classes());
  }

  /**
   * The footprint of a recipe from its own text, when the recipe fixes the image size (Fashion-MNIST,
   * or an {@code image_size}); empty when only the dataset's files tell it ({@code idx} without
   * {@code image_size}). A folder dataset's classes are not known yet: a last layer without {@code
   * units} is then counted with two logits, which is a lower bound.
   *
   * @param recipe the recipe
   * @return the footprint, or empty when the image size is not in the recipe
   */
  public static Optional<ModelFootprint> ofRecipe(Recipe recipe) {
    DataSpec d = recipe.data() == null ? DataSpec.fashionMnist() : recipe.data();
    int classes = d.classes() != null ? d.classes().size() : 2;
    if (d.format() == DataSpec.Format.FASHION_MNIST) {
      return Optional.of(of(recipe.model(), FashionMnist.SPEC));
    }
    if (d.height() == 0) {
      return Optional.empty();
    }
    return Optional.of(of(recipe.model(), d.height(), d.width(), d.channels(), classes));
  }

  /**
   * Checks a recipe before any work: its shapes and whether training it fits this machine's memory.
   * Does nothing more when the image size is known only from the dataset's files (then training
   * checks once they are read, before its graph is built).
   *
   * @param recipe the recipe (with any command-line overrides applied)
   * @param source the recipe file, for the message
   * @throws ConfigException (exit 2) {@code source: model.layers[i] (...): problem}
   */
  public static void checkRecipe(Recipe recipe, String source) {
    try {
      ofRecipe(recipe).ifPresent(f -> f.checkFits(recipe.training().batchSize(), Machine.physicalMemoryBytes()));
    } catch (ConfigException e) {
      throw new ConfigException(source + ": " + e.getMessage(), e);
    }
  }

  /**
   * Trainable values (what {@code model.parameters} counts), summed over the layers.
   *
   * @return the count, as a double (it may exceed a long's range for a refused recipe)
   */
  public double trainableParameters() {
    return layers.stream().mapToDouble(LayerFootprint::trainable).sum();
  }

  /**
   * Values per image the layers produce, summed.
   *
   * @return the count, as a double
   */
  public double activationsPerImage() {
    return layers.stream().mapToDouble(LayerFootprint::activations).sum();
  }

  /**
   * Bytes a training step at {@code batch} takes, estimated: four float32 copies of every trainable
   * value (weight, gradient, Adam's moments), the moving statistics, and three of every activation
   * per image of the batch. The real figure is higher (TensorFlow's workspace, the dataset): this is
   * a lower bound that catches a model that cannot fit, not a promise that one does.
   *
   * @param batch the training batch size
   * @return the estimate in bytes
   */
  public double trainingBytes(int batch) {
    int b = Math.max(LEAST_BATCH, batch);
    return layers.stream().mapToDouble(l -> l.trainingBytes(b)).sum();
  }

  /**
   * Refuses a model whose training at {@code batch} needs more than {@code memoryBytes}, naming the
   * layer that takes the most.
   *
   * @param batch the training batch size
   * @param memoryBytes the memory there is (see {@link Machine#physicalMemoryBytes()})
   * @throws ConfigException (exit 2) e.g. {@code model.layers[2] (dense, units 2000000000): 1.6e+12
   *     parameters; training the model at batch 64 needs about 25.1 TB; this machine has 128 GB}
   */
  public void checkFits(int batch, long memoryBytes) {
    double need = trainingBytes(batch);
    if (need <= memoryBytes) {
      return;
    }
    LayerFootprint worst = layers.get(0);
    for (LayerFootprint l : layers) {
      if (l.trainingBytes(batch) > worst.trainingBytes(batch)) {
        worst = l;
      }
    }
    boolean weights = worst.trainable * TRAINABLE_COPIES > worst.activations * ACTIVATION_COPIES * Math.max(1, batch);
    String what = weights
        ? String.format(Locale.ROOT, "%.2g parameters", worst.trainable)
        : String.format(Locale.ROOT, "%.2g activation values per image", worst.activations);
    throw new ConfigException(String.format(Locale.ROOT,
        "model.layers[%d] (%s): %s; training the model at batch %d needs about %s (weights, gradients, Adam state"
            + " and activations); this machine has %s",
        worst.index, worst.describe, what, batch, Machine.bytes(need), Machine.bytes(memoryBytes)));
  }

  /** The layer as messages name it: its type and the sizes that decide its cost. */
  static String describe(Layer layer) {
    String type = ModelBuilder.typeName(layer);
    if (layer instanceof Layer.Conv c) {
      return type + ", filters " + c.filters() + ", kernel " + c.kernel();
    }
    if (layer instanceof Layer.Dense d) {
      return d.units() == null ? type : type + ", units " + d.units();
    }
    if (layer instanceof Layer.MaxPool p) {
      return type + ", size " + p.size();
    }
    if (layer instanceof Layer.Residual r) {
      return type + ", filters " + r.filters();
    }
    return type;
  }

  private static void apply(Layer layer, Shaper s, int classes) {
    if (layer instanceof Layer.Conv c) {
      s.conv(c.filters(), c.kernel(), c.stride(), c.padding(), !c.batchNorm());
      if (c.batchNorm()) {
        s.batchNorm();
      }
    } else if (layer instanceof Layer.MaxPool p) {
      s.requireImage();
      long h = s.spatial(s.shape[0], p.size(), p.stride(), p.padding(), "pooling window");
      long w = s.spatial(s.shape[1], p.size(), p.stride(), p.padding(), "pooling window");
      s.produce(new long[] {h, w, s.shape[2]});
    } else if (layer instanceof Layer.Dense d) {
      if (s.shape.length != 1) {
        throw new IllegalArgumentException("needs a flat input [n, features]; add '- flatten: {}' before it, found shape "
            + show(s.shape));
      }
      long units = d.unitsFor(classes);
      s.trainable += (double) s.shape[0] * units + units;
      s.produce(new long[] {units});
    } else if (layer instanceof Layer.BatchNorm) {
      s.batchNorm();
    } else if (layer instanceof Layer.Flatten) {
      long features = 1;
      for (long d : s.shape) {
        features *= d;
      }
      s.shape = new long[] {features};
    } else if (layer instanceof Layer.Residual r) {
      s.requireImage();
      long in = s.shape[2];
      long[] input = s.shape;
      s.conv(r.filters(), 3, r.stride(), Layer.Padding.SAME, false);
      s.batchNorm();
      s.conv(r.filters(), 3, 1, Layer.Padding.SAME, false);
      s.batchNorm();
      if (r.stride() != 1 || in != r.filters()) {
        long[] out = s.shape;
        s.shape = input;
        s.conv(r.filters(), 1, r.stride(), Layer.Padding.SAME, false);
        s.batchNorm();
        s.shape = out;
      }
      s.produce(s.shape); // the sum and its ReLU
    } else if (layer instanceof Layer.GlobalAvgPool) {
      s.requireImage();
      s.produce(new long[] {s.shape[2]});
    }
    // dropout: the same shape, its mask counted with the activations' intermediates
  }

  /** A layer's output shape and costs, worked out step by step. */
  private static final class Shaper {
    long[] shape;
    double trainable;
    double moving;
    double activations;

    Shaper(long[] in) {
      shape = in;
    }

    void produce(long[] out) {
      shape = out;
      double n = 1;
      for (long d : out) {
        n *= d;
      }
      activations += n;
    }

    void requireImage() {
      if (shape.length != 3) {
        throw new IllegalArgumentException("needs an image-shaped input [n, h, w, c], found shape " + show(shape));
      }
    }

    void conv(int filters, int kernel, int stride, Layer.Padding padding, boolean bias) {
      requireImage();
      long h = spatial(shape[0], kernel, stride, padding, "kernel");
      long w = spatial(shape[1], kernel, stride, padding, "kernel");
      trainable += (double) kernel * kernel * shape[2] * filters + (bias ? filters : 0);
      produce(new long[] {h, w, filters});
    }

    void batchNorm() {
      long c = shape[shape.length - 1];
      trainable += 2.0 * c;
      moving += 2.0 * c;
      produce(shape);
    }

    /** One output side of a window over {@code in}, as TensorFlow computes it. */
    long spatial(long in, int window, int stride, Layer.Padding padding, String what) {
      if (padding == Layer.Padding.SAME) {
        return (in + stride - 1) / stride;
      }
      if (window > in) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "the %s (%dx%d) is larger than its %dx%d input with padding: valid; use a smaller one or padding: same",
            what, window, window, shape[0], shape[1]));
      }
      return (in - window) / stride + 1;
    }
  }

  /** A shape with the batch axis, as TensorFlow prints it: {@code [-1, 28, 28, 1]}. */
  private static String show(long[] shape) {
    StringBuilder sb = new StringBuilder("[-1");
    for (long d : shape) {
      sb.append(", ").append(d);
    }
    return sb.append(']').toString();
  }
}
