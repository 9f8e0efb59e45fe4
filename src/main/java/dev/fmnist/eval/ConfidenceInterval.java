package dev.fmnist.eval;

/**
 * A point estimate with a confidence interval.
 *
 * @param estimate the value on the full sample
 * @param lower the lower bound
 * @param upper the upper bound
 * @param level the confidence level, e.g. 0.95
 */
public record ConfidenceInterval(double estimate, double lower, double upper, double level) {}
