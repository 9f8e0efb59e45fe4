/**
 * The pieces of a training graph, each a small immutable class whose methods take {@code Ops}: the
 * loss ({@link dev.fmnist.train.graph.SparseCrossEntropy}), the regularizer ({@link
 * dev.fmnist.train.graph.L2Regularizer}), the optimizers ({@link dev.fmnist.train.graph.Adam},
 * {@link dev.fmnist.train.graph.AdamW}) and the batch metrics ({@link
 * dev.fmnist.train.graph.BatchMetrics}). {@code dev.fmnist.train.TrainingGraph} wires them from a
 * recipe. docs/design-graph.md says which parts come from tensorflow-framework and why the others
 * do not.
 */
package dev.fmnist.train.graph;
