package dev.fmnist.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Resizes an image fed one source row at a time: each output pixel is the area-weighted mean of
 * the source pixels it covers (a box filter: right for shrinking, bilinear-like when enlarging a
 * few pixels). Only the output and one row are held, so a large photo shrinks without a copy of
 * its pixels. Values are interleaved by channel, row-major.
 */
final class AreaResize {
  private final int inWidth;
  private final int outWidth;
  private final int channels;
  private final Axis columns;
  private final Axis rows;
  private final double[] sums;

  /** The output cells each source index covers, with the covered fraction of the cell. */
  private record Axis(int[][] cells, double[][] weights, double[] totals) {
    static Axis of(int in, int out) {
      double scale = (double) in / out;
      List<List<double[]>> bySource = new ArrayList<>();
      for (int i = 0; i < in; i++) {
        bySource.add(new ArrayList<>(2));
      }
      double[] totals = new double[out];
      for (int o = 0; o < out; o++) {
        double f0 = o * scale;
        double f1 = f0 + scale;
        for (int i = (int) Math.floor(f0); i < Math.min(in, (int) Math.ceil(f1)); i++) {
          double w = Math.min(f1, i + 1) - Math.max(f0, i);
          if (w > 0) {
            bySource.get(i).add(new double[] {o, w});
            totals[o] += w;
          }
        }
      }
      int[][] cells = new int[in][];
      double[][] weights = new double[in][];
      for (int i = 0; i < in; i++) {
        List<double[]> l = bySource.get(i);
        cells[i] = new int[l.size()];
        weights[i] = new double[l.size()];
        for (int k = 0; k < l.size(); k++) {
          cells[i][k] = (int) l.get(k)[0];
          weights[i][k] = l.get(k)[1];
        }
      }
      return new Axis(cells, weights, totals);
    }
  }

  AreaResize(int inWidth, int inHeight, int outWidth, int outHeight, int channels) {
    this.inWidth = inWidth;
    this.outWidth = outWidth;
    this.channels = channels;
    this.columns = Axis.of(inWidth, outWidth);
    this.rows = Axis.of(inHeight, outHeight);
    this.sums = new double[outWidth * outHeight * channels];
  }

  /** Adds source row {@code y}: {@code inWidth * channels} values from {@code offset}. */
  void addRow(int y, double[] row, int offset) {
    int[] outRows = rows.cells()[y];
    double[] rowWeights = rows.weights()[y];
    for (int r = 0; r < outRows.length; r++) {
      int base = outRows[r] * outWidth * channels;
      double wy = rowWeights[r];
      for (int x = 0; x < inWidth; x++) {
        int[] outCols = columns.cells()[x];
        double[] colWeights = columns.weights()[x];
        for (int c = 0; c < outCols.length; c++) {
          double w = wy * colWeights[c];
          int cell = base + outCols[c] * channels;
          int src = offset + x * channels;
          for (int k = 0; k < channels; k++) {
            sums[cell + k] += w * row[src + k];
          }
        }
      }
    }
  }

  /** The resized image, once every source row was added. */
  double[] result() {
    double[] out = new double[sums.length];
    int outHeight = rows.totals().length;
    for (int oy = 0; oy < outHeight; oy++) {
      for (int ox = 0; ox < outWidth; ox++) {
        double area = rows.totals()[oy] * columns.totals()[ox];
        int cell = (oy * outWidth + ox) * channels;
        for (int k = 0; k < channels; k++) {
          out[cell + k] = area > 0 ? sums[cell + k] / area : 0;
        }
      }
    }
    return out;
  }
}
