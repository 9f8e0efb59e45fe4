package dev.fmnist.data;

import dev.fmnist.FmnistException;
import dev.fmnist.SmallFiles;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads PNG or JPEG files and turns them into images of a {@link DatasetSpec}, by one of two rules
 * ({@link Conversion}):
 *
 * <ul>
 *   <li>{@link Conversion#RESIZE}, the rule for datasets of image files: the whole image is
 *       resized to the spec's height and width by area averaging (a box filter; the aspect ratio
 *       is not kept, as Keras's {@code image_dataset_from_directory} does by default) and
 *       converted to its channels: colour to grayscale by luminance (ITU-R BT.601), grayscale to
 *       RGB by repeating the value; transparent pixels count as white. An image of the spec's
 *       size and channels keeps its exact pixel values.
 *   <li>{@link Conversion#FASHION_MNIST}, for grayscale models of Fashion-MNIST, the way that
 *       dataset was made from product photos: grayscale, negated when the background is light so
 *       the item is light on black, cropped to the item, the longer side fitted by area averaging
 *       with the aspect ratio kept, centred on black. For RGB inputs it is {@code RESIZE}.
 * </ul>
 *
 * <p>A file's width and height are read from its header before it is decoded: files over {@value
 * #MAX_SIDE} pixels per side or {@value #MAX_MEGAPIXELS} megapixels, or over {@value
 * #MAX_FILE_MEGABYTES} MB, are refused without decoding them.
 */
public final class ImageFiles {
  /** The largest width or height of an image file that is decoded. */
  public static final int MAX_SIDE = 16_384;
  /** The most pixels (in millions) of an image file that is decoded. */
  public static final int MAX_MEGAPIXELS = 100;
  /** The largest image file read, in megabytes. */
  public static final int MAX_FILE_MEGABYTES = 256;
  /** Border mean (0-255) above which the background counts as light. */
  static final double LIGHT_BACKGROUND = 127.5;
  /** A pixel belongs to the item when it differs from black by more than this (0-255), after negation. */
  static final double ITEM_THRESHOLD = 24;
  private static final double WHITE = 255;

  /** How an image file becomes a model input; see {@link ImageFiles}. */
  public enum Conversion {
    /** Resize the whole image to the input size and convert its channels (datasets of image files). */
    RESIZE,
    /** Fashion-MNIST's rule for grayscale inputs: negate a light background, crop to the item, fit. */
    FASHION_MNIST;

    /**
     * The rule for a model trained on a dataset of {@code format} ({@code folder}, {@code idx},
     * {@code fashion-mnist}, or null when its manifest does not say): {@code RESIZE} for folder
     * and IDX datasets, else Fashion-MNIST's.
     *
     * @param format the dataset format from the model's manifest, or null
     * @return {@link #RESIZE} or {@link #FASHION_MNIST}
     */
    public static Conversion forDatasetFormat(String format) {
      return "folder".equals(format) || "idx".equals(format) ? RESIZE : FASHION_MNIST;
    }
  }

  private ImageFiles() {}

  /**
   * Reads and converts one file by Fashion-MNIST's rule ({@link Conversion#FASHION_MNIST}).
   *
   * @param file a PNG or JPEG file
   * @param spec the model input the image is converted to
   * @return the converted image, and whether it was negated
   * @throws DatasetException naming the file when it is missing, too large or not a readable image
   */
  public static PreparedImage read(Path file, DatasetSpec spec) {
    return read(file, spec, Conversion.FASHION_MNIST);
  }

  /**
   * Reads and converts one file by {@code rule}.
   *
   * @param file a PNG or JPEG file
   * @param spec the model input the image is converted to
   * @param rule how to convert it
   * @return the converted image, and whether it was negated
   * @throws DatasetException naming the file when it is missing, too large or not a readable image
   */
  public static PreparedImage read(Path file, DatasetSpec spec, Conversion rule) {
    BufferedImage img = decode(file, readBytes(file));
    return rule == Conversion.FASHION_MNIST ? prepare(img, spec) : resized(img, spec);
  }

  /**
   * The bytes of an image file, after checking that it is a regular file of at most {@value
   * #MAX_FILE_MEGABYTES} MB.
   *
   * @param file the file
   * @return its content
   * @throws DatasetException naming the file otherwise, or when it cannot be read
   */
  public static byte[] readBytes(Path file) {
    try {
      return SmallFiles.read(file, (long) MAX_FILE_MEGABYTES << 20, "an image", DatasetException::new);
    } catch (NoSuchFileException e) {
      throw new DatasetException(file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new DatasetException(file + ": permission denied", e);
    } catch (IOException e) {
      throw new DatasetException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Decodes the content of an image file: its width and height are read from the header and
   * checked first ({@value #MAX_SIDE} pixels per side, {@value #MAX_MEGAPIXELS} megapixels).
   *
   * @param file names the file in errors
   * @param content the file's bytes
   * @return the decoded image
   * @throws DatasetException naming the file when it is not an image, too large, or corrupt
   */
  public static BufferedImage decode(Path file, byte[] content) {
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(content))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new DatasetException(file + ": not a PNG or JPEG image");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        checkSize(file, reader.getWidth(0), reader.getHeight(0));
        BufferedImage img = reader.read(0);
        if (img == null) {
          throw new DatasetException(file + ": not a PNG or JPEG image");
        }
        return img;
      } finally {
        reader.dispose();
      }
    } catch (DatasetException e) {
      throw e;
    } catch (IOException | RuntimeException e) { // decoders throw unchecked exceptions on corrupt data too
      throw new DatasetException(file + ": not a readable image (" + describe(e) + ")", e);
    }
  }

  private static void checkSize(Path file, int width, int height) {
    if (width > MAX_SIDE || height > MAX_SIDE || (long) width * height > MAX_MEGAPIXELS * 1_000_000L) {
      throw new DatasetException(String.format(Locale.ROOT, "%s: image is %dx%d pixels (width x height);"
          + " fmnist reads images of at most %d pixels per side and %d megapixels", file, width, height, MAX_SIDE,
          MAX_MEGAPIXELS));
    }
    if (width < 1 || height < 1) {
      throw new DatasetException(file + ": image is " + width + "x" + height + " pixels, nothing to read");
    }
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : FmnistException.firstLine(m);
  }

  /**
   * Converts a decoded image by Fashion-MNIST's rule ({@link Conversion#FASHION_MNIST}).
   *
   * @param img the decoded image
   * @param spec the model input
   * @return the converted image, and whether it was negated
   */
  public static PreparedImage prepare(BufferedImage img, DatasetSpec spec) {
    return spec.channels() == 1 ? prepareGray(img, spec.height(), spec.width()) : resized(img, spec);
  }

  private static PreparedImage resized(BufferedImage img, DatasetSpec spec) {
    byte[] b = new byte[spec.valuesPerImage()];
    toDatasetPixels(img, spec.height(), spec.width(), spec.channels(), b, 0);
    float[] out = new float[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (b[i] & 0xff) / (float) ImageSet.MAX_PIXEL;
    }
    return new PreparedImage(out, img.getWidth(), img.getHeight(), false);
  }

  /**
   * Converts a decoded image by the dataset rule ({@link Conversion#RESIZE}) into {@code height x
   * width x channels} unsigned bytes at {@code dst[offset]}.
   *
   * @param img the decoded image
   * @param height the output rows
   * @param width the output columns
   * @param channels 1 or 3
   * @param dst receives {@code height * width * channels} bytes
   * @param offset where in {@code dst} the image starts
   */
  public static void toDatasetPixels(BufferedImage img, int height, int width, int channels, byte[] dst, int offset) {
    int w = img.getWidth();
    int h = img.getHeight();
    double[] row = new double[w * channels];
    PixelRows rows = new PixelRows(img, channels);
    if (w == width && h == height) {
      for (int y = 0; y < h; y++) {
        rows.read(y, row);
        for (int k = 0; k < row.length; k++) {
          dst[offset + y * row.length + k] = toByte(row[k]);
        }
      }
      return;
    }
    AreaResize resize = new AreaResize(w, h, width, height, channels);
    for (int y = 0; y < h; y++) {
      rows.read(y, row);
      resize.addRow(y, row, 0);
    }
    double[] out = resize.result();
    for (int k = 0; k < out.length; k++) {
      dst[offset + k] = toByte(out[k]);
    }
  }

  /**
   * Resizes {@code srcHeight x srcWidth} grayscale bytes at {@code src[srcOffset]} by the dataset
   * rule to {@code height x width x channels} bytes at {@code dst[dstOffset]} (an IDX dataset read
   * at another size, or as RGB).
   *
   * @param src the source pixels
   * @param srcOffset where in {@code src} the image starts
   * @param srcHeight the source rows
   * @param srcWidth the source columns
   * @param height the output rows
   * @param width the output columns
   * @param channels 1, or 3 to repeat each gray value
   * @param dst receives {@code height * width * channels} bytes
   * @param dstOffset where in {@code dst} the image starts
   */
  public static void resizeGray(byte[] src, int srcOffset, int srcHeight, int srcWidth, int height, int width,
      int channels, byte[] dst, int dstOffset) {
    double[] row = new double[srcWidth * channels];
    AreaResize resize = srcHeight == height && srcWidth == width ? null
        : new AreaResize(srcWidth, srcHeight, width, height, channels);
    for (int y = 0; y < srcHeight; y++) {
      for (int x = 0; x < srcWidth; x++) {
        double v = src[srcOffset + y * srcWidth + x] & 0xff;
        for (int k = 0; k < channels; k++) {
          row[x * channels + k] = v;
        }
      }
      if (resize == null) {
        for (int k = 0; k < row.length; k++) {
          dst[dstOffset + y * row.length + k] = toByte(row[k]);
        }
      } else {
        resize.addRow(y, row, 0);
      }
    }
    if (resize != null) {
      double[] out = resize.result();
      for (int k = 0; k < out.length; k++) {
        dst[dstOffset + k] = toByte(out[k]);
      }
    }
  }

  private static byte toByte(double v) {
    return (byte) Math.round(Math.max(0, Math.min(WHITE, v)));
  }

  private static PreparedImage prepareGray(BufferedImage img, int outHeight, int outWidth) {
    int w = img.getWidth();
    int h = img.getHeight();
    double[] gray = new double[w * h];
    PixelRows rows = new PixelRows(img, 1);
    double[] row = new double[w];
    for (int y = 0; y < h; y++) {
      rows.read(y, row);
      System.arraycopy(row, 0, gray, y * w, w);
    }
    boolean invert = borderMean(gray, w, h) > LIGHT_BACKGROUND;
    if (invert) {
      for (int i = 0; i < gray.length; i++) {
        gray[i] = WHITE - gray[i];
      }
    }
    int[] box = itemBounds(gray, w, h);
    int bw = box[2] - box[0];
    int bh = box[3] - box[1];
    double scale = Math.min((double) outWidth / bw, (double) outHeight / bh);
    int outW = Math.max(1, Math.min(outWidth, (int) Math.round(bw * scale)));
    int outH = Math.max(1, Math.min(outHeight, (int) Math.round(bh * scale)));
    AreaResize resize = new AreaResize(bw, bh, outW, outH, 1);
    for (int y = 0; y < bh; y++) {
      resize.addRow(y, gray, (box[1] + y) * w + box[0]);
    }
    double[] resized = resize.result();
    float[] out = new float[outWidth * outHeight];
    int offX = (outWidth - outW) / 2;
    int offY = (outHeight - outH) / 2;
    for (int y = 0; y < outH; y++) {
      for (int x = 0; x < outW; x++) {
        double v = Math.max(0, Math.min(WHITE, resized[y * outW + x]));
        out[(offY + y) * outWidth + offX + x] = (float) (v / WHITE);
      }
    }
    return new PreparedImage(out, w, h, invert);
  }

  /**
   * Reads a decoded image row by row as values 0-255 in 1 or 3 channels, transparent pixels over
   * white. Grayscale images are read from their samples: {@code getRGB} would pass them through a
   * linear-to-sRGB conversion and change every value (64 reads as 137).
   */
  private static final class PixelRows {
    private final BufferedImage img;
    private final int channels;
    private final boolean gray;
    private final boolean alpha;
    private final double maxSample;
    private final double maxAlpha;
    private final int[] samples;
    private final int[] alphas;
    private final int[] argb;

    PixelRows(BufferedImage img, int channels) {
      this.img = img;
      this.channels = channels;
      ColorModel cm = img.getColorModel();
      this.gray = cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(cm instanceof IndexColorModel)
          && img.getRaster().getNumBands() == cm.getNumComponents();
      this.alpha = cm.hasAlpha();
      int w = img.getWidth();
      this.maxSample = gray ? (1L << cm.getComponentSize(0)) - 1 : WHITE;
      this.maxAlpha = gray && alpha ? (1L << cm.getComponentSize(1)) - 1 : WHITE;
      this.samples = gray ? new int[w] : null;
      this.alphas = gray && alpha ? new int[w] : null;
      this.argb = gray ? null : new int[w];
    }

    void read(int y, double[] out) {
      int w = img.getWidth();
      if (gray) {
        img.getRaster().getSamples(0, y, w, 1, 0, samples);
        if (alphas != null) {
          img.getRaster().getSamples(0, y, w, 1, 1, alphas);
        }
        for (int x = 0; x < w; x++) {
          double v = samples[x] * WHITE / maxSample;
          if (alphas != null) {
            double a = alphas[x] / maxAlpha;
            v = a * v + (1 - a) * WHITE;
          }
          for (int k = 0; k < channels; k++) {
            out[x * channels + k] = v;
          }
        }
        return;
      }
      img.getRGB(0, y, w, 1, argb, 0, w);
      for (int x = 0; x < w; x++) {
        int p = argb[x];
        double a = alpha ? ((p >>> 24) & 0xff) / WHITE : 1.0;
        double r = a * ((p >> 16) & 0xff) + (1 - a) * WHITE;
        double g = a * ((p >> 8) & 0xff) + (1 - a) * WHITE;
        double b = a * (p & 0xff) + (1 - a) * WHITE;
        if (channels == 1) {
          out[x] = 0.299 * r + 0.587 * g + 0.114 * b;
        } else {
          out[x * 3] = r;
          out[x * 3 + 1] = g;
          out[x * 3 + 2] = b;
        }
      }
    }
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
}
