package dev.fmnist.eval;

/**
 * One confidence bin of a reliability diagram: the items whose top-class probability lies in
 * {@code (lower, upper]}.
 *
 * @param accuracy the fraction of those items classified correctly (0 when the bin is empty)
 * @param meanConfidence their mean top-class probability (0 when the bin is empty)
 */
public record ReliabilityBin(
    double lower, double upper, long count, double accuracy, double meanConfidence) {}
