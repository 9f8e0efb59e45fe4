package dev.fmnist.data;

/**
 * Statistics of every pixel of an image set, on the raw 0-255 scale.
 *
 * @param pixelCount the number of pixels counted (images x values per image: height x width x channels)
 * @param mean the mean pixel value
 * @param standardDeviation the population standard deviation
 * @param median the median (the mean of the two middle values when the count is even)
 * @param histogram the number of pixels of each value 0-255 (a copy is returned)
 */
public record PixelStatistics(
    long pixelCount, double mean, double standardDeviation, double median, long[] histogram) {

  /**
   * Copies the histogram.
   *
   * @param pixelCount the number of pixels counted
   * @param mean the mean pixel value
   * @param standardDeviation the population standard deviation
   * @param median the median
   * @param histogram 256 counts, one per pixel value
   */
  public PixelStatistics {
    histogram = histogram.clone();
  }

  /**
   * The number of pixels of each value.
   *
   * @return a copy of the 256 counts
   */
  @Override
  public long[] histogram() {
    return histogram.clone();
  }

  /**
   * Counts every pixel of {@code set}.
   *
   * @param set the images
   * @return the statistics of all their pixel values
   */
  public static PixelStatistics of(ImageSet set) {
    long[] histogram = new long[ImageSet.MAX_PIXEL + 1];
    for (byte p : set.pixels()) {
      histogram[p & 0xff]++;
    }
    return fromHistogram(histogram);
  }

  /**
   * The statistics of the pixels a histogram of the 256 values describes.
   *
   * @param histogram 256 counts, one per pixel value 0-255
   * @return the statistics; mean, deviation and median are NaN when the histogram counts no pixel
   * @throws IllegalArgumentException when the histogram does not have 256 bins
   */
  public static PixelStatistics fromHistogram(long[] histogram) {
    if (histogram.length != ImageSet.MAX_PIXEL + 1) {
      throw new IllegalArgumentException(
          "histogram must have " + (ImageSet.MAX_PIXEL + 1) + " bins, found " + histogram.length);
    }
    long count = 0;
    double sum = 0;
    for (int v = 0; v < histogram.length; v++) {
      count += histogram[v];
      sum += (double) v * histogram[v];
    }
    if (count == 0) {
      return new PixelStatistics(0, Double.NaN, Double.NaN, Double.NaN, histogram);
    }
    double mean = sum / count;
    double squares = 0;
    for (int v = 0; v < histogram.length; v++) {
      squares += histogram[v] * (v - mean) * (v - mean);
    }
    double median = (valueAtRank(histogram, (count - 1) / 2) + valueAtRank(histogram, count / 2)) / 2.0;
    return new PixelStatistics(count, mean, Math.sqrt(squares / count), median, histogram);
  }

  private static int valueAtRank(long[] histogram, long rank) {
    long seen = 0;
    for (int v = 0; v < histogram.length; v++) {
      seen += histogram[v];
      if (seen > rank) {
        return v;
      }
    }
    throw new IllegalStateException("rank " + rank + " beyond " + seen + " pixels");
  }
}
