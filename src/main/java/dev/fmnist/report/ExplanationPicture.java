package dev.fmnist.report;

import dev.fmnist.data.DatasetSpec;
import dev.fmnist.data.FashionMnist;

import dev.fmnist.explain.Explanation;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One picture per explained image: a row for Grad-CAM (when the model has convolutions) and a row
 * for the gradient saliency map, each showing the input, the heat map and the heat map laid over
 * the input. Heat uses the inferno colour map: black (no influence) through red to pale yellow
 * (most influence).
 */
public final class ExplanationPicture {
  private static final int SCALE = 6;
  private static final int SIDE = FashionMnist.SPEC.height() * SCALE; // images of other sizes are scaled to fit
  private static final int GAP = 16;
  private static final int LEFT = 110;
  private static final int TOP = 78;
  private static final ColorScale INFERNO = new ColorScale(0, 1,
      new Color(0x000004), new Color(0x420A68), new Color(0x932667), new Color(0xDD513A),
      new Color(0xFCA50A), new Color(0xFCFFA4));

  private ExplanationPicture() {}

  /**
   * Draws {@code e}; {@code caption} names the image (file or test index).
   *
   * @param e the explanation
   * @param names the class names, by label
   * @param caption names the image
   * @param featureMap the op Grad-CAM used, or null when there was none
   * @param graphGradients true when gradients came from the graph, else from finite differences
   * @return the picture
   */
  public static BufferedImage draw(Explanation e, List<String> names, String caption,
      String featureMap, boolean graphGradients) {
    List<String> rowNames = new ArrayList<>();
    List<float[]> maps = new ArrayList<>();
    if (e.gradCam() != null) {
      rowNames.add("Grad-CAM");
      maps.add(e.gradCam());
    }
    rowNames.add("Saliency");
    maps.add(e.saliency());
    int width = LEFT + 3 * SIDE + 2 * GAP + 16;
    int height = TOP + maps.size() * (SIDE + GAP) + 52;
    return ChartStyle.picture(width, height, caption, 24, g -> {
      g.setFont(ChartStyle.LABEL);
      g.drawString(String.format(Locale.ROOT, "predicted %s (%.3f); explaining %s (%.3f)",
          names.get(e.predicted()), e.probabilities()[e.predicted()], names.get(e.target()),
          e.probabilities()[e.target()]), 12, 46);
      String[] heads = {"Input", "Heat map", "Overlay"};
      for (int c = 0; c < 3; c++) {
        g.drawString(heads[c], LEFT + c * (SIDE + GAP), TOP - 8);
      }
      BufferedImage input = ImagePictures.of(e.image(), e.spec());
      for (int r = 0; r < maps.size(); r++) {
        int y = TOP + r * (SIDE + GAP);
        g.setFont(ChartStyle.LABEL.deriveFont(java.awt.Font.BOLD));
        g.drawString(rowNames.get(r), 12, y + SIDE / 2);
        g.drawImage(input, LEFT, y, SIDE, SIDE, null);
        g.drawImage(heat(maps.get(r), e.spec()), LEFT + SIDE + GAP, y, SIDE, SIDE, null);
        g.drawImage(overlay(e.image(), maps.get(r), e.spec()), LEFT + 2 * (SIDE + GAP), y, SIDE, SIDE, null);
      }
      g.setFont(ChartStyle.SMALL);
      g.setColor(new Color(0x555555));
      g.drawString("Pale yellow = most influence on the explained score"
          + " (Grad-CAM: evidence for it; saliency: |gradient|).", 12, height - 30);
      g.drawString(!graphGradients
          ? "The graph cannot be differentiated here: saliency by finite differences, no Grad-CAM."
          : featureMap == null ? "The model has no convolution, so no Grad-CAM."
          : "Grad-CAM on the feature map " + featureMap + ".", 12, height - 12);
    });
  }

  private static BufferedImage heat(float[] map, DatasetSpec spec) {
    int w = spec.width();
    BufferedImage img = new BufferedImage(w, spec.height(), BufferedImage.TYPE_INT_RGB);
    for (int p = 0; p < map.length; p++) {
      img.setRGB(p % w, p / w, INFERNO.colorAt(map[p]).getRGB());
    }
    return img;
  }

  private static BufferedImage overlay(float[] image, float[] map, DatasetSpec spec) {
    int w = spec.width();
    BufferedImage img = new BufferedImage(w, spec.height(), BufferedImage.TYPE_INT_RGB);
    for (int p = 0; p < map.length; p++) {
      double gray = ImagePictures.gray(image, p, spec);
      Color h = INFERNO.colorAt(map[p]);
      double a = 0.65 * Math.max(0, Math.min(1, map[p]));
      int r = (int) Math.round((1 - a) * gray + a * h.getRed());
      int gr = (int) Math.round((1 - a) * gray + a * h.getGreen());
      int b = (int) Math.round((1 - a) * gray + a * h.getBlue());
      img.setRGB(p % w, p / w, new Color(r, gr, b).getRGB());
    }
    return img;
  }
}
