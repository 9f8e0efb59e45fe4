package dev.fmnist.data;

import dev.fmnist.FmnistException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Turns PNG or JPEG files of any size and colour into model inputs of a {@link DatasetSpec}. For
 * grayscale inputs, the way Fashion-MNIST was made: grayscale (transparent pixels count as white),
 * negated when the background is light so the item is light on black, cropped to the item, the
 * longer side scaled to fit by area averaging with the aspect ratio kept, centred on black, and
 * scaled to [0, 1]. For RGB inputs: transparent pixels over white, the whole image resized to the
 * input size by area averaging (aspect ratio not kept), scaled to [0, 1].
 */
public final class ImageFiles {
  /** Border mean (0-255) above which the background counts as light. */
  static final double LIGHT_BACKGROUND = 127.5;
  /** A pixel belongs to the item when it differs from black by more than this (0-255), after negation. */
  static final double ITEM_THRESHOLD = 24;

  private ImageFiles() {}

  /**
   * Reads and converts one file.
   *
   * @throws FmnistException (bad input) naming the file when it is missing or not a readable image
   */
  public static PreparedImage read(Path file, DatasetSpec spec) {
    BufferedImage img;
    try {
      if (!Files.isRegularFile(file)) {
        throw new NoSuchFileException(file.toString());
      }
      img = ImageIO.read(file.toFile());
    } catch (NoSuchFileException e) {
      throw new DatasetException(file + ": no such file", e);
    } catch (IOException e) {
      throw new DatasetException(file + ": not a readable image (" + e.getMessage() + ")", e);
    }
    if (img == null) {
      throw new DatasetException(file + ": not a PNG or JPEG image");
    }
    return prepare(img, spec);
  }

  /** Converts a decoded image to an input of {@code spec}. */
  public static PreparedImage prepare(BufferedImage img, DatasetSpec spec) {
    return spec.channels() == 1 ? prepareGray(img, spec.height(), spec.width()) : prepareRgb(img, spec);
  }

  private static PreparedImage prepareRgb(BufferedImage img, DatasetSpec spec) {
    int w = img.getWidth();
    int h = img.getHeight();
    double[][] planes = new double[3][w * h];
    boolean alpha = img.getColorModel().hasAlpha();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int argb = img.getRGB(x, y);
        double a = alpha ? ((argb >>> 24) & 0xff) / 255.0 : 1.0;
        for (int c = 0; c < 3; c++) {
          int v = (argb >> (16 - 8 * c)) & 0xff;
          planes[c][y * w + x] = a * v + (1 - a) * 255;
        }
      }
    }
    int outW = spec.width();
    int outH = spec.height();
    float[] out = new float[outW * outH * 3];
    for (int c = 0; c < 3; c++) {
      double[] r = areaResize(planes[c], w, new int[] {0, 0, w, h}, outW, outH);
      for (int p = 0; p < outW * outH; p++) {
        out[p * 3 + c] = (float) (Math.max(0, Math.min(255, r[p])) / 255.0);
      }
    }
    return new PreparedImage(out, w, h, false);
  }

  private static PreparedImage prepareGray(BufferedImage img, int outHeight, int outWidth) {
    int w = img.getWidth();
    int h = img.getHeight();
    double[] gray = grayscale(img);
    boolean invert = borderMean(gray, w, h) > LIGHT_BACKGROUND;
    if (invert) {
      for (int i = 0; i < gray.length; i++) {
        gray[i] = 255 - gray[i];
      }
    }
    int[] box = itemBounds(gray, w, h);
    int bw = box[2] - box[0];
    int bh = box[3] - box[1];
    double scale = Math.min((double) outWidth / bw, (double) outHeight / bh);
    int outW = Math.max(1, Math.min(outWidth, (int) Math.round(bw * scale)));
    int outH = Math.max(1, Math.min(outHeight, (int) Math.round(bh * scale)));
    double[] resized = areaResize(gray, w, box, outW, outH);
    float[] out = new float[outWidth * outHeight];
    int offX = (outWidth - outW) / 2;
    int offY = (outHeight - outH) / 2;
    for (int y = 0; y < outH; y++) {
      for (int x = 0; x < outW; x++) {
        double v = Math.max(0, Math.min(255, resized[y * outW + x]));
        out[(offY + y) * outWidth + offX + x] = (float) (v / 255.0);
      }
    }
    return new PreparedImage(out, w, h, invert);
  }

  /** Luminance 0-255 (ITU-R BT.601), alpha composited over white. */
  private static double[] grayscale(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    double[] g = new double[w * h];
    boolean alpha = img.getColorModel().hasAlpha();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int argb = img.getRGB(x, y);
        double a = alpha ? ((argb >>> 24) & 0xff) / 255.0 : 1.0;
        double lum = 0.299 * ((argb >> 16) & 0xff) + 0.587 * ((argb >> 8) & 0xff)
            + 0.114 * (argb & 0xff);
        g[y * w + x] = a * lum + (1 - a) * 255;
      }
    }
    return g;
  }

  private static double borderMean(double[] g, int w, int h) {
    double sum = 0;
    long n = 0;
    for (int x = 0; x < w; x++) {
      sum += g[x] + g[(h - 1) * w + x];
      n += 2;
    }
    for (int y = 1; y < h - 1; y++) {
      sum += g[y * w] + g[y * w + w - 1];
      n += 2;
    }
    return sum / n;
  }

  /** {x0, y0, x1, y1} (exclusive ends) of the pixels brighter than the threshold; all if none. */
  private static int[] itemBounds(double[] g, int w, int h) {
    int x0 = w;
    int y0 = h;
    int x1 = -1;
    int y1 = -1;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (g[y * w + x] > ITEM_THRESHOLD) {
          x0 = Math.min(x0, x);
          x1 = Math.max(x1, x);
          y0 = Math.min(y0, y);
          y1 = Math.max(y1, y);
        }
      }
    }
    return x1 < 0 ? new int[] {0, 0, w, h} : new int[] {x0, y0, x1 + 1, y1 + 1};
  }

  /**
   * Resizes the box of {@code g} to {@code outW x outH}; each output pixel is the area-weighted
   * mean of the source pixels it covers (a box filter, right for shrinking; bilinear-like when
   * enlarging a few pixels).
   */
  private static double[] areaResize(double[] g, int w, int[] box, int outW, int outH) {
    int bw = box[2] - box[0];
    int bh = box[3] - box[1];
    double sx = (double) bw / outW;
    double sy = (double) bh / outH;
    double[] out = new double[outW * outH];
    for (int oy = 0; oy < outH; oy++) {
      double fy0 = oy * sy;
      double fy1 = fy0 + sy;
      for (int ox = 0; ox < outW; ox++) {
        double fx0 = ox * sx;
        double fx1 = fx0 + sx;
        double sum = 0;
        double area = 0;
        for (int y = (int) Math.floor(fy0); y < Math.min(bh, (int) Math.ceil(fy1)); y++) {
          double cy = Math.min(fy1, y + 1) - Math.max(fy0, y);
          for (int x = (int) Math.floor(fx0); x < Math.min(bw, (int) Math.ceil(fx1)); x++) {
            double cx = Math.min(fx1, x + 1) - Math.max(fx0, x);
            double a = cx * cy;
            sum += a * g[(box[1] + y) * w + box[0] + x];
            area += a;
          }
        }
        out[oy * outW + ox] = area > 0 ? sum / area : 0;
      }
    }
    return out;
  }
}
