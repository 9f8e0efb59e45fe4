package dev.fmnist.report;

import java.awt.Color;
import java.awt.Paint;
import org.jfree.chart.renderer.PaintScale;

/** A paint scale interpolating linearly between colour stops spread evenly over a range. */
final class ColorScale implements PaintScale {
  /** Sequential blues (ColorBrewer Blues), for counts and rates. */
  static final Color[] BLUES = {
    new Color(0xF7FBFF), new Color(0xC6DBEF), new Color(0x6BAED6), new Color(0x2171B5),
    new Color(0x08306B)
  };
  /** Diverging purple-white-orange (ColorBrewer PuOr), for signed differences. */
  static final Color[] PURPLE_ORANGE = {
    new Color(0x542788), new Color(0xB2ABD2), new Color(0xF7F7F7), new Color(0xFDB863),
    new Color(0xB35806)
  };

  private final double lower;
  private final double upper;
  private final Color[] stops;

  ColorScale(double lower, double upper, Color... stops) {
    this.lower = lower;
    this.upper = upper > lower ? upper : lower + 1;
    this.stops = stops.clone();
  }

  @Override
  public double getLowerBound() {
    return lower;
  }

  @Override
  public double getUpperBound() {
    return upper;
  }

  @Override
  public Paint getPaint(double value) {
    return colorAt(value);
  }

  /** The colour of {@code value}, clamped to the range. */
  Color colorAt(double value) {
    double t = Math.max(0, Math.min(1, (value - lower) / (upper - lower)));
    double pos = t * (stops.length - 1);
    int i = Math.min(stops.length - 2, (int) Math.floor(pos));
    double f = pos - i;
    Color a = stops[i];
    Color b = stops[i + 1];
    return new Color(
        (int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
        (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
        (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
  }

  /** Black or white, whichever reads better on {@code background}. */
  static Color textOn(Color background) {
    double luminance =
        0.2126 * background.getRed() + 0.7152 * background.getGreen()
            + 0.0722 * background.getBlue();
    return luminance < 140 ? Color.WHITE : new Color(0x222222);
  }
}
