package dev.fmnist.model;

/**
 * How a training tower emits convolution + bias + ReLU ({@link FusedConvRelu}): as plain ops, or as
 * one {@code _FusedConv2D} op with an output-based gradient, in float32 or in bfloat16.
 */
public enum ConvFusion {
  /** Plain Conv2D, BiasAdd and Relu (GPU towers, and what inference graphs always use). */
  NONE,
  /** One float32 {@code _FusedConv2D}: CPU float32 training. */
  FLOAT32,
  /**
   * One bfloat16 {@code _FusedConv2D} between explicit casts (input, kernel and bias to bfloat16, the
   * output back to float32): CPU bf16 training, where the bfloat16 rewriter leaves a float32 fused op
   * alone and would otherwise keep the ReLU a separate pass.
   */
  BFLOAT16
}
