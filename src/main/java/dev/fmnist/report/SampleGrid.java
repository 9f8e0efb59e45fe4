package dev.fmnist.report;

import dev.fmnist.data.DatasetSpec;
import dev.fmnist.data.ImageSet;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * A picture of example images: one row per class, labelled with the class name, images enlarged
 * with nearest-neighbour scaling so single pixels stay visible.
 */
public final class SampleGrid {
  /** Enlargement of each image. */
  public static final int DEFAULT_SCALE = 3;
  /** Examples per class. */
  public static final int DEFAULT_PER_CLASS = 10;
  /** The most pixels the grid of images may have (labels and title aside): 100 megapixels. */
  public static final long MAX_PIXELS = 100_000_000L;
  /** The widest a class label is drawn; a longer name is cut with an ellipsis. */
  public static final int MAX_LABEL_WIDTH = 320;
  private static final int MARGIN = 16;
  private static final int GAP = 4;
  private static final int LABEL_GAP = 12;
  private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
  private static final Color BACKGROUND = Color.WHITE;
  private static final Color EMPTY_CELL = new Color(0xee, 0xee, 0xee);

  private SampleGrid() {}

  /**
   * The first {@code perClass} images of each class of {@code set}, in set order. A class with
   * fewer images leaves its remaining cells empty. Labels are at most {@link #MAX_LABEL_WIDTH}
   * pixels wide, so the picture is the grid plus a bounded margin.
   *
   * @param set the images
   * @param perClass images per class, &gt;= 1
   * @param scale pixels per image pixel, &gt;= 1
   * @param title the picture's title
   * @return the grid picture
   * @throws IllegalArgumentException when {@code perClass} or {@code scale} is less than 1, or the
   *     grid would have more than {@link #MAX_PIXELS} pixels ({@link #gridPixels})
   */
  public static BufferedImage render(ImageSet set, int perClass, int scale, String title) {
    if (perClass < 1) {
      throw new IllegalArgumentException("perClass must be 1 or more, found " + perClass);
    }
    if (scale < 1) {
      throw new IllegalArgumentException("scale must be 1 or more, found " + scale);
    }
    long pixels = gridPixels(set.spec(), perClass, scale);
    if (pixels > MAX_PIXELS) {
      throw new IllegalArgumentException("a grid of " + pixels + " pixels is more than " + MAX_PIXELS);
    }
    int[][] picks = firstOfEachClass(set, perClass);
    DatasetSpec spec = set.spec();
    int cell = spec.width() * scale;
    int cellHeight = spec.height() * scale;

    BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D pg = probe.createGraphics();
    FontMetrics labelMetrics = pg.getFontMetrics(LABEL_FONT);
    FontMetrics titleMetrics = pg.getFontMetrics(ChartStyle.TITLE);
    String[] labels = new String[spec.classes()];
    int labelWidth = 0;
    for (int c = 0; c < spec.classes(); c++) {
      labels[c] = ChartStyle.fitted(labelMetrics, c + "  " + spec.classNames().get(c), MAX_LABEL_WIDTH);
      labelWidth = Math.max(labelWidth, labelMetrics.stringWidth(labels[c]));
    }
    pg.dispose();

    int titleHeight = titleMetrics.getHeight() + GAP * 2;
    int gridLeft = MARGIN + labelWidth + LABEL_GAP;
    int gridTop = MARGIN + titleHeight;
    int width =
        Math.max(
            gridLeft + perClass * (cell + GAP) - GAP + MARGIN,
            MARGIN * 2 + titleMetrics.stringWidth(title));
    int height = gridTop + spec.classes() * (cellHeight + GAP) - GAP + MARGIN;

    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(BACKGROUND);
      g.fillRect(0, 0, width, height);
      g.setColor(ChartStyle.TEXT);
      g.setFont(ChartStyle.TITLE);
      g.drawString(title, MARGIN, MARGIN + titleMetrics.getAscent());
      g.setFont(LABEL_FONT);
      for (int c = 0; c < spec.classes(); c++) {
        int top = gridTop + c * (cellHeight + GAP);
        int baseline = top + (cellHeight + labelMetrics.getAscent() - labelMetrics.getDescent()) / 2;
        g.setColor(ChartStyle.TEXT);
        g.drawString(labels[c], MARGIN, baseline);
        for (int k = 0; k < perClass; k++) {
          int left = gridLeft + k * (cell + GAP);
          if (k < picks[c].length) {
            drawImage(image, set, picks[c][k], left, top, scale);
          } else {
            g.setColor(EMPTY_CELL);
            g.fillRect(left, top, cell, cellHeight);
          }
        }
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  private static void drawImage(
      BufferedImage target, ImageSet set, int index, int left, int top, int scale) {
    DatasetSpec spec = set.spec();
    int ch = spec.channels();
    for (int y = 0; y < spec.height(); y++) {
      for (int x = 0; x < spec.width(); x++) {
        int k = (y * spec.width() + x) * ch;
        int rgb = ch == 1
            ? set.pixel(index, k) * 0x010101
            : set.pixel(index, k) << 16 | set.pixel(index, k + 1) << 8 | set.pixel(index, k + 2);
        for (int dy = 0; dy < scale; dy++) {
          for (int dx = 0; dx < scale; dx++) {
            target.setRGB(left + x * scale + dx, top + y * scale + dy, rgb);
          }
        }
      }
    }
  }

  /**
   * The pixels of the grid of images {@link #render} draws, labels and title aside: {@code perClass}
   * images of each of {@code spec}'s classes, each enlarged {@code scale} times.
   *
   * @param spec the images
   * @param perClass images per class
   * @param scale pixels per image pixel
   * @return the grid's width times its height
   */
  public static long gridPixels(DatasetSpec spec, int perClass, int scale) {
    long width = (long) perClass * ((long) spec.width() * scale + GAP);
    long height = (long) spec.classes() * ((long) spec.height() * scale + GAP);
    return width * height;
  }

  /** The indices of the first {@code perClass} images of each class (fewer where a class has fewer). */
  static int[][] firstOfEachClass(ImageSet set, int perClass) {
    int[] counts = set.classCounts();
    int[][] picks = new int[counts.length][];
    for (int c = 0; c < counts.length; c++) {
      picks[c] = new int[Math.min(perClass, counts[c])];
    }
    int[] filled = new int[counts.length];
    for (int i = 0; i < set.size(); i++) {
      int c = set.label(i);
      if (filled[c] < picks[c].length) {
        picks[c][filled[c]++] = i;
      }
    }
    return picks;
  }
}
