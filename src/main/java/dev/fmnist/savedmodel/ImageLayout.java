package dev.fmnist.savedmodel;

import dev.fmnist.data.DatasetSpec;
import java.util.Arrays;
import java.util.Locale;

/**
 * How a classifier's image input is laid out, with the sizes it declares ({@code -1}: any). Images
 * are always held row-major with channels last ({@link DatasetSpec}); {@link Kind#NHWC}, {@link Kind#NHW}
 * (grayscale) and {@link Kind#FLAT} hold those values in the same order and differ only in the
 * tensor shape fed; {@link Kind#NCHW} (PyTorch's layout) holds the channels first.
 *
 * @param kind the layout
 * @param height declared rows, or -1 (for {@code FLAT}: -1)
 * @param width declared columns, or -1 (for {@code FLAT}: -1)
 * @param channels declared channels, or -1 ({@code NHW}: 1; {@code FLAT}: -1)
 * @param flatSize for {@code FLAT}, the declared values per image, or -1; else -1
 */
public record ImageLayout(Kind kind, long height, long width, long channels, long flatSize) {
  /** The shapes a classifier's input may have. */
  public enum Kind {
    /** {@code [n, height, width, channels]}: the fmnist, TensorFlow and Keras layout. */
    NHWC,
    /** {@code [n, height, width]}: grayscale without a channel axis. */
    NHW,
    /** {@code [n, height * width * channels]}: flattened images. */
    FLAT,
    /** {@code [n, channels, height, width]}: PyTorch's layout. */
    NCHW
  }

  /**
   * Fashion-MNIST's NHWC layout with every size known, {@code [-1,28,28,1]}.
   *
   * @param spec the images
   * @return {@code [-1, height, width, channels]} with {@code spec}'s sizes
   */
  public static ImageLayout nhwc(DatasetSpec spec) {
    return new ImageLayout(Kind.NHWC, spec.height(), spec.width(), spec.channels(), -1);
  }

  /**
   * The NHWC, NHW or flat layout a declared TensorFlow shape fits, or null. Dimension {@code -1}
   * (unknown) is accepted anywhere; the batch dimension may also be a fixed size; channels must be
   * 1 or 3 where declared.
   *
   * @param declared the input's declared shape, -1 for an unknown dimension
   * @return the layout, or null when the shape fits none
   */
  public static ImageLayout match(long[] declared) {
    if (declared.length < 2 || declared[0] == 0) {
      return null;
    }
    for (int d = 1; d < declared.length; d++) {
      if (declared[d] == 0 || declared[d] < -1) {
        return null;
      }
    }
    return switch (declared.length) {
      case 4 -> channelsOk(declared[3]) ? new ImageLayout(Kind.NHWC, declared[1], declared[2], declared[3], -1) : null;
      case 3 -> new ImageLayout(Kind.NHW, declared[1], declared[2], 1, -1);
      case 2 -> new ImageLayout(Kind.FLAT, -1, -1, -1, declared[1]);
      default -> null;
    };
  }

  /**
   * The layout a declared ONNX input shape fits, or null. As {@link #match} for ranks 2 and 3; a
   * rank-4 shape is {@code [n, channels, height, width]} (ONNX's and PyTorch's convention) or
   * {@code [n, height, width, channels]}, told apart by which of the two axes can hold 1 or 3
   * channels: {@code [n,1,28,28]} is NCHW, {@code [n,28,28,1]} NHWC; where both can, the one that
   * declares its channels wins ({@code [n,1,-1,-1]} NCHW, {@code [n,-1,-1,3]} NHWC), else NCHW.
   *
   * @param declared the input's declared shape, -1 for an unknown dimension
   * @return the layout, or null when the shape fits none
   */
  public static ImageLayout matchChannelsFirstOrLast(long[] declared) {
    if (declared.length != 4) {
      return match(declared);
    }
    if (declared[0] == 0) {
      return null;
    }
    for (int d = 1; d < 4; d++) {
      if (declared[d] == 0 || declared[d] < -1) {
        return null;
      }
    }
    boolean first = channelsOk(declared[1]);
    boolean last = channelsOk(declared[3]);
    if (first && (!last || declared[3] == -1 || declared[1] != -1)) {
      return new ImageLayout(Kind.NCHW, declared[2], declared[3], declared[1], -1);
    }
    return last ? new ImageLayout(Kind.NHWC, declared[1], declared[2], declared[3], -1) : null;
  }

  private static boolean channelsOk(long c) {
    return c == -1 || c == 1 || c == 3;
  }

  /**
   * The accepted shapes, for messages.
   *
   * @return the shapes {@link #match} accepts, e.g. {@code [-1,H,W,C]}
   */
  public static String expected() {
    return "[-1,height,width,channels] (channels 1 or 3), [-1,height,width] or [-1,values]";
  }

  /**
   * The shapes {@link #matchChannelsFirstOrLast} accepts, for messages.
   *
   * @return the shapes, for messages
   */
  public static String expectedChannelsFirstOrLast() {
    return "[-1,channels,height,width] or [-1,height,width,channels] (channels 1 or 3),"
        + " [-1,height,width] or [-1,values]";
  }

  /**
   * Whether images of {@code spec} can be fed as they are: every declared size matches.
   *
   * @param spec the images
   * @return true when no declared size differs from {@code spec}'s
   */
  public boolean accepts(DatasetSpec spec) {
    return switch (kind) {
      case FLAT -> flatSize == -1 || flatSize == spec.valuesPerImage();
      case NHW -> spec.channels() == 1 && fits(height, spec.height()) && fits(width, spec.width());
      case NHWC, NCHW -> fits(height, spec.height()) && fits(width, spec.width()) && fits(channels, spec.channels());
    };
  }

  private static boolean fits(long declared, int actual) {
    return declared == -1 || declared == actual;
  }

  /**
   * Whether height, width and channels are all declared (not -1), so the model alone says its image size.
   *
   * @return true when the model's input alone gives height, width and channels
   */
  public boolean fullyDeclared() {
    return kind != Kind.FLAT && height > 0 && width > 0 && channels > 0;
  }

  /**
   * The shape of a batch of {@code n} images of {@code spec} in this layout, e.g. {@code [n, 28, 28, 1]}.
   *
   * @param n the number of images
   * @param spec the images' height, width and channels
   * @return the shape to feed
   */
  public long[] batchShape(long n, DatasetSpec spec) {
    return switch (kind) {
      case NHWC -> new long[] {n, spec.height(), spec.width(), spec.channels()};
      case NHW -> new long[] {n, spec.height(), spec.width()};
      case FLAT -> new long[] {n, spec.valuesPerImage()};
      case NCHW -> new long[] {n, spec.channels(), spec.height(), spec.width()};
    };
  }

  /**
   * The values of {@code n} images of {@code spec}, held row-major with channels last, in this
   * layout's order: {@code values} itself, except for {@link Kind#NCHW} with more than one channel,
   * whose channels are moved first (a copy).
   *
   * @param values {@code n * spec.valuesPerImage()} values
   * @param n the number of images
   * @param spec their height, width and channels
   * @return the values in the layout's order
   */
  public float[] arrange(float[] values, int n, DatasetSpec spec) {
    int ch = spec.channels();
    if (kind != Kind.NCHW || ch == 1) {
      return values;
    }
    int pixels = spec.height() * spec.width();
    int per = pixels * ch;
    float[] out = new float[n * per];
    for (int i = 0; i < n; i++) {
      int base = i * per;
      for (int p = 0; p < pixels; p++) {
        for (int c = 0; c < ch; c++) {
          out[base + c * pixels + p] = values[base + p * ch + c];
        }
      }
    }
    return out;
  }

  /**
   * The declared shape, e.g. {@code [-1,28,28,1]}.
   *
   * @return the shape as {@link #format} writes it
   */
  public String describe() {
    long[] s = switch (kind) {
      case NHWC -> new long[] {-1, height, width, channels};
      case NHW -> new long[] {-1, height, width};
      case FLAT -> new long[] {-1, flatSize};
      case NCHW -> new long[] {-1, channels, height, width};
    };
    return format(s);
  }

  /**
   * {@code nhwc}, {@code nhw}, {@code flat}, {@code nchw}.
   *
   * @return the kind in lower case
   */
  public String label() {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  /**
   * A shape as {@code [-1,28,28,1]}.
   *
   * @param shape the dimensions, -1 for unknown
   * @return the dimensions in brackets, separated by commas
   */
  public static String format(long[] shape) {
    return Arrays.toString(shape).replace(" ", "");
  }
}
