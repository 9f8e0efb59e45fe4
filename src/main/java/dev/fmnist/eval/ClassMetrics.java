package dev.fmnist.eval;

/**
 * Precision, recall, F1 and support of one class, or an average of them over classes.
 *
 * @param support the number of items whose true class is this one (for averages, all items)
 */
public record ClassMetrics(double precision, double recall, double f1, long support) {}
