package dev.fmnist.export;

/** Loss and accuracy of a model on a labelled set. */
public record TestMetrics(double loss, double accuracy, int correct, int count) {}
