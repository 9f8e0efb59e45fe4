package dev.fmnist.explain;

/** Arithmetic of explanation maps. */
final class GradCam {
  private GradCam() {}

  /**
   * The Grad-CAM map of image {@code i}: feature maps {@code a} and their gradients {@code g}, both
   * {@code [n, h, w, k]}; weights are the mean gradient per channel; the ReLU of the weighted sum
   * is upsampled to {@code outH x outW} and scaled to [0, 1].
   */
  static float[] gradCam(float[] a, float[] g, int i, int h, int w, int k, int outH, int outW) {
    int base = i * h * w * k;
    double[] weight = new double[k];
    for (int p = 0; p < h * w; p++) {
      for (int c = 0; c < k; c++) {
        weight[c] += g[base + p * k + c];
      }
    }
    float[] cam = new float[h * w];
    for (int p = 0; p < h * w; p++) {
      double sum = 0;
      for (int c = 0; c < k; c++) {
        sum += weight[c] / (h * w) * a[base + p * k + c];
      }
      cam[p] = (float) Math.max(0, sum);
    }
    return normalize(upsample(cam, h, w, outH, outW));
  }

  /** Bilinear resize with pixel centres aligned (as {@code tf.image.resize} does). */
  static float[] upsample(float[] src, int h, int w, int outH, int outW) {
    if (h == outH && w == outW) {
      return src.clone();
    }
    float[] out = new float[outH * outW];
    for (int y = 0; y < outH; y++) {
      double sy = Math.max(0, Math.min(h - 1, (y + 0.5) * h / outH - 0.5));
      int y0 = (int) Math.floor(sy);
      int y1 = Math.min(h - 1, y0 + 1);
      double fy = sy - y0;
      for (int x = 0; x < outW; x++) {
        double sx = Math.max(0, Math.min(w - 1, (x + 0.5) * w / outW - 0.5));
        int x0 = (int) Math.floor(sx);
        int x1 = Math.min(w - 1, x0 + 1);
        double fx = sx - x0;
        double top = src[y0 * w + x0] * (1 - fx) + src[y0 * w + x1] * fx;
        double bottom = src[y1 * w + x0] * (1 - fx) + src[y1 * w + x1] * fx;
        out[y * outW + x] = (float) (top * (1 - fy) + bottom * fy);
      }
    }
    return out;
  }

  /** Divided by the maximum (unchanged when all are 0). */
  static float[] normalize(float[] v) {
    float max = 0;
    for (float x : v) {
      max = Math.max(max, x);
    }
    if (max > 0) {
      for (int i = 0; i < v.length; i++) {
        v[i] /= max;
      }
    }
    return v;
  }
}
