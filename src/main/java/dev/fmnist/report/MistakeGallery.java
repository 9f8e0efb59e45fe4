package dev.fmnist.report;

import dev.fmnist.data.FashionMnist;
import dev.fmnist.data.LabeledImages;
import dev.fmnist.eval.Predictions;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * A picture of the most confident mistakes: one row per true class, each image shown enlarged
 * (light item on black, as in the dataset) with the predicted class and its probability below.
 */
public final class MistakeGallery {
  private static final int SCALE = 3;
  private static final int SIDE = FashionMnist.SPEC.height() * SCALE; // the cell; images of other sizes are scaled to fit
  private static final int CELL_W = SIDE + 24;
  private static final int CAPTION = 34;
  private static final int ROW_H = SIDE + CAPTION + 10;
  private static final int LABEL_W = 120;
  private static final int HEADER = 64;
  private static final Color MISTAKE = new Color(0xB2182B);

  private MistakeGallery() {}

  /**
   * Draws the gallery.
   *
   * @param picks per true class, the indices to show (see {@code Mistakes.mostConfidentByClass})
   * @param images the evaluated images
   * @param p the model's predictions of them
   * @param names the class names, by label
   * @param title the picture's title
   * @return the picture
   */
  public static BufferedImage draw(LabeledImages images, Predictions p, List<String> names,
      List<List<Integer>> picks, String title) {
    int columns = 1;
    for (List<Integer> row : picks) {
      columns = Math.max(columns, row.size());
    }
    int width = LABEL_W + columns * CELL_W + 12;
    int height = HEADER + picks.size() * ROW_H + 8;
    return ChartStyle.picture(width, height, title, 26, g -> {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
          RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
      g.setFont(ChartStyle.SMALL);
      g.setColor(new Color(0x555555));
      g.drawString("Rows: true class. Below each image: predicted class and its probability.",
          12, 46);
      float[] buf = new float[images.spec().valuesPerImage()];
      for (int row = 0; row < picks.size(); row++) {
        int y = HEADER + row * ROW_H;
        g.setFont(ChartStyle.LABEL.deriveFont(Font.BOLD));
        g.setColor(ChartStyle.TEXT);
        drawFitted(g, names.get(row), 12, y + SIDE / 2 + 5, LABEL_W - 16);
        List<Integer> items = picks.get(row);
        if (items.isEmpty()) {
          g.setFont(ChartStyle.SMALL);
          g.setColor(new Color(0x777777));
          g.drawString("no mistakes", LABEL_W, y + SIDE / 2 + 5);
        }
        for (int col = 0; col < items.size(); col++) {
          int i = items.get(col);
          int x = LABEL_W + col * CELL_W;
          images.copyScaled(i, buf, 0);
          g.drawImage(ImagePictures.of(buf, images.spec()), x, y, SIDE, SIDE, null);
          g.setFont(ChartStyle.SMALL);
          g.setColor(MISTAKE);
          drawFitted(g, names.get(p.predicted(i)), x, y + SIDE + 14, CELL_W - 6);
          g.setColor(new Color(0x555555));
          g.drawString(String.format(Locale.ROOT, "p=%.2f  #%d", p.confidence(i), i), x,
              y + SIDE + 28);
        }
      }
    });
  }

  private static void drawFitted(Graphics2D g, String s, int x, int y, int maxWidth) {
    g.drawString(ChartStyle.fitted(g.getFontMetrics(), s, maxWidth), x, y);
  }
}
