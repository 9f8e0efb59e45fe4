package dev.fmnist.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One building block of a model, written in YAML as a one-key map: {@code - conv: {filters: 32}}.
 * Sizes are checked here; whether blocks fit together (shapes) is checked when the model is built.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.WRAPPER_OBJECT)
@JsonSubTypes({
  @JsonSubTypes.Type(value = Layer.Conv.class, name = "conv"),
  @JsonSubTypes.Type(value = Layer.MaxPool.class, name = "maxpool"),
  @JsonSubTypes.Type(value = Layer.Dense.class, name = "dense"),
  @JsonSubTypes.Type(value = Layer.Dropout.class, name = "dropout"),
  @JsonSubTypes.Type(value = Layer.BatchNorm.class, name = "batchnorm"),
  @JsonSubTypes.Type(value = Layer.Flatten.class, name = "flatten"),
  @JsonSubTypes.Type(value = Layer.Residual.class, name = "residual"),
  @JsonSubTypes.Type(value = Layer.GlobalAvgPool.class, name = "global_avg_pool")
})
public sealed interface Layer {
  /** Activation applied after a layer. */
  enum Activation {
    /** No activation: the layer's output as it is (the logits layer). */
    NONE,
    /** {@code max(x, 0)}. */
    RELU
  }

  /** Convolution padding, as TensorFlow names it. */
  enum Padding {
    /** Pads so that the output has {@code ceil(input / stride)} positions. */
    SAME,
    /** No padding: the window stays inside the input. */
    VALID
  }

  /** 2-D convolution; with {@code batch_norm} the bias is replaced by batch normalization. */
  record Conv(
      Integer filters,
      Integer kernel,
      Integer stride,
      Padding padding,
      Activation activation,
      Boolean batchNorm) implements Layer {
    /**
     * Checks the values; a null value takes its default.
     *
     * @param filters output channels, &gt;= 1 (required)
     * @param kernel the side of the square kernel in pixels, &gt;= 1 (null: 3)
     * @param stride the step in pixels along each axis, &gt;= 1 (null: 1)
     * @param padding {@code same} or {@code valid} (null: {@code valid})
     * @param activation applied after the convolution (null: {@code relu})
     * @param batchNorm whether batch normalization replaces the bias (null: false)
     * @throws ConfigException naming the key of a value out of range
     */
    public Conv {
      filters = ConfigException.atLeast("filters", filters, 1, 0);
      kernel = ConfigException.atLeast("kernel", kernel, 1, 3);
      stride = ConfigException.atLeast("stride", stride, 1, 1);
      padding = padding == null ? Padding.VALID : padding;
      activation = activation == null ? Activation.RELU : activation;
      batchNorm = batchNorm != null && batchNorm;
    }
  }

  /** Max pooling; the stride defaults to the window size. */
  record MaxPool(Integer size, Integer stride, Padding padding) implements Layer {
    /**
     * Checks the values; a null value takes its default.
     *
     * @param size the side of the square window in pixels, &gt;= 1 (null: 2)
     * @param stride the step in pixels, &gt;= 1 (null: the window size)
     * @param padding {@code same} or {@code valid} (null: {@code valid})
     * @throws ConfigException naming the key of a value out of range
     */
    public MaxPool {
      size = ConfigException.atLeast("size", size, 1, 2);
      stride = ConfigException.atLeast("stride", stride, 1, size);
      padding = padding == null ? Padding.VALID : padding;
    }
  }

  /**
   * Fully connected layer on a flat input. The last layer (the logits) may leave out {@code units}
   * when its activation is {@code none}: it then has one unit per class of the dataset.
   */
  record Dense(@JsonInclude(JsonInclude.Include.NON_NULL) Integer units, Activation activation) implements Layer {
    /**
     * Checks the values; a null activation is {@code relu}.
     *
     * @param units output units, &gt;= 1; may be null only with activation {@code none} (one unit
     *     per class)
     * @param activation applied after the layer (null: {@code relu})
     * @throws ConfigException naming {@code units} when it is missing or below 1
     */
    public Dense {
      activation = activation == null ? Activation.RELU : activation;
      if (units != null || activation != Activation.NONE) {
        units = ConfigException.atLeast("units", units, 1, 0);
      }
    }

    /**
     * The number of units: {@code units}, or {@code classes} when the recipe left it out.
     *
     * @param classes the number of classes of the dataset
     * @return the layer's number of output units
     */
    public int unitsFor(int classes) {
      return units != null ? units : classes;
    }
  }

  /** Inverted dropout, active during training only. */
  record Dropout(Double rate) implements Layer {
    /**
     * Checks the rate; null is 0.5.
     *
     * @param rate the fraction of units dropped during training, in [0, 1) (null: 0.5)
     * @throws ConfigException naming {@code rate} when it is out of range
     */
    public Dropout {
      rate = ConfigException.inUnitInterval("rate", rate, 0.5);
    }
  }

  /** Batch normalization over the last axis, keeping moving statistics for inference. */
  record BatchNorm(Double momentum, Double epsilon) implements Layer {
    /**
     * Checks the values; a null value takes its default.
     *
     * @param momentum decay of the moving mean and variance, in [0, 1) (null: 0.99)
     * @param epsilon added to the variance for numerical stability, &gt; 0 (null: 0.001)
     * @throws ConfigException naming {@code momentum} or {@code epsilon} when it is out of range
     */
    public BatchNorm {
      momentum = ConfigException.inUnitInterval("momentum", momentum, 0.99);
      epsilon = ConfigException.positive("epsilon", epsilon, 1e-3);
    }
  }

  /** Flattens [n, h, w, c] to [n, h*w*c]. */
  record Flatten() implements Layer {}

  /**
   * Basic residual block: conv3x3-BN-ReLU-conv3x3-BN plus a shortcut (identity, or 1x1 conv with
   * BN when the stride or the width changes), then ReLU.
   */
  record Residual(Integer filters, Integer stride) implements Layer {
    /**
     * Checks the values; a null stride is 1.
     *
     * @param filters the output channels of both convolutions, &gt;= 1 (required)
     * @param stride the step of the first convolution and the shortcut, &gt;= 1 (null: 1)
     * @throws ConfigException naming the key of a value out of range
     */
    public Residual {
      filters = ConfigException.atLeast("filters", filters, 1, 0);
      stride = ConfigException.atLeast("stride", stride, 1, 1);
    }
  }

  /** Mean over the spatial axes: [n, h, w, c] to [n, c]. */
  record GlobalAvgPool() implements Layer {}
}
