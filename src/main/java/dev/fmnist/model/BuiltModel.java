package dev.fmnist.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * The ops of one model tower.
 *
 * @param logits [n, classes] unnormalized class scores
 * @param updates ops that must run with each training step (batch-norm moving statistics); empty
 *     for inference towers
 * @param lastFeatureMap output of the last convolution-like layer ([n, h, w, c]), or null for
 *     models without one (used for Grad-CAM)
 */
public record BuiltModel(Operand<TFloat32> logits, List<Op> updates, Operand<TFloat32> lastFeatureMap) {}
