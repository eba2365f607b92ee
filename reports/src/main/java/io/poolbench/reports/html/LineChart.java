package io.poolbench.reports.html;

import static io.poolbench.reports.html.Html.esc;
import static io.poolbench.reports.html.Html.num;

import java.util.ArrayList;
import java.util.List;

/**
 * A line chart drawn as inline SVG: axes with labels and units, grid lines, one path per series
 * (color by run, dash pattern by sub-series) with a tooltip, and an HTML legend below. Points
 * with non-finite coordinates (or non-positive ones on a log axis) are skipped.
 */
final class LineChart {
  static final int WIDTH = 560;
  static final int HEIGHT = 300;
  private static final int LEFT = 64;
  private static final int RIGHT = 16;
  private static final int TOP = 14;
  private static final int BOTTOM = 46;

  /**
   * One line.
   *
   * @param name legend text (escaped when drawn)
   * @param run the run index (color)
   * @param dash the dash index (0 = solid)
   * @param steps draw as a step function (CDFs from a few percentiles)
   */
  record Series(String name, int run, int dash, double[] xs, double[] ys, boolean steps) {}

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private boolean logX;
  private Double yMin;
  private Double yMax;
  private boolean yFromZero = true;
  private final List<Series> series = new ArrayList<>();

  LineChart(String title, String xLabel, String yLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  LineChart logX() {
    this.logX = true;
    return this;
  }

  LineChart yRange(double min, double max) {
    this.yMin = min;
    this.yMax = max;
    return this;
  }

  /** Lets the value axis start near the data instead of at zero (ratios, not amounts). */
  LineChart yFromData() {
    this.yFromZero = false;
    return this;
  }

  LineChart add(Series s) {
    series.add(s);
    return this;
  }

  boolean isEmpty() {
    return series.stream().noneMatch(s -> s.xs.length > 0);
  }

  /** The chart's figure element: title, SVG and legend. */
  String html() {
    double x0 = Double.POSITIVE_INFINITY;
    double x1 = Double.NEGATIVE_INFINITY;
    double y0 = Double.POSITIVE_INFINITY;
    double y1 = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (int i = 0; i < s.xs.length; i++) {
        if (usable(s.xs[i], s.ys[i])) {
          x0 = Math.min(x0, s.xs[i]);
          x1 = Math.max(x1, s.xs[i]);
          y0 = Math.min(y0, s.ys[i]);
          y1 = Math.max(y1, s.ys[i]);
        }
      }
    }
    if (x0 > x1) {
      return "<figure class=\"chart-box\"><figcaption>" + esc(title)
          + "</figcaption><p class=\"missing\">No data points to draw.</p></figure>";
    }
    if (yMin != null) {
      y0 = yMin;
    } else if (yFromZero) {
      y0 = Math.min(0, y0);
    }
    if (yMax != null) {
      y1 = yMax;
    }
    Axis ax = Axis.of(logX, x0, x1, LEFT, WIDTH - RIGHT);
    Axis ay = Axis.of(false, y0, y1, HEIGHT - BOTTOM, TOP);
    StringBuilder sb = new StringBuilder(4096);
    sb.append("<figure class=\"chart-box\"><figcaption>").append(esc(title))
        .append("</figcaption>");
    sb.append("<svg class=\"chart\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
        .append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\">");
    axes(sb, ax, ay);
    for (Series s : series) {
      path(sb, s, ax, ay);
    }
    sb.append("</svg>");
    legend(sb);
    sb.append("</figure>");
    return sb.toString();
  }

  private boolean usable(double x, double y) {
    return Double.isFinite(x) && Double.isFinite(y) && (!logX || x > 0);
  }

  private void axes(StringBuilder sb, Axis ax, Axis ay) {
    sb.append("<g class=\"grid\">");
    for (double t : ay.ticks()) {
      double y = ay.pixel(t);
      sb.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
          .append("\" y1=\"").append(num(y)).append("\" y2=\"").append(num(y)).append("\"/>");
      sb.append("<text class=\"tick\" x=\"").append(LEFT - 6).append("\" y=\"")
          .append(num(y + 4)).append("\" text-anchor=\"end\">").append(Axis.label(t))
          .append("</text>");
    }
    for (double t : ax.ticks()) {
      double x = ax.pixel(t);
      sb.append("<line x1=\"").append(num(x)).append("\" x2=\"").append(num(x))
          .append("\" y1=\"").append(TOP).append("\" y2=\"").append(HEIGHT - BOTTOM)
          .append("\"/>");
      sb.append("<text class=\"tick\" x=\"").append(num(x)).append("\" y=\"")
          .append(HEIGHT - BOTTOM + 16).append("\" text-anchor=\"middle\">")
          .append(Axis.label(t)).append("</text>");
    }
    sb.append("</g><g class=\"axis\"><line x1=\"").append(LEFT).append("\" x2=\"")
        .append(WIDTH - RIGHT).append("\" y1=\"").append(HEIGHT - BOTTOM).append("\" y2=\"")
        .append(HEIGHT - BOTTOM).append("\"/><line x1=\"").append(LEFT).append("\" x2=\"")
        .append(LEFT).append("\" y1=\"").append(TOP).append("\" y2=\"").append(HEIGHT - BOTTOM)
        .append("\"/></g>");
    sb.append("<text class=\"axis-label\" x=\"").append((LEFT + WIDTH - RIGHT) / 2)
        .append("\" y=\"").append(HEIGHT - 8).append("\" text-anchor=\"middle\">")
        .append(esc(xLabel)).append(logX ? " (log scale)" : "").append("</text>");
    sb.append("<text class=\"axis-label\" transform=\"translate(14,")
        .append((TOP + HEIGHT - BOTTOM) / 2).append(") rotate(-90)\" text-anchor=\"middle\">")
        .append(esc(yLabel)).append("</text>");
  }

  private void path(StringBuilder sb, Series s, Axis ax, Axis ay) {
    StringBuilder d = new StringBuilder();
    int points = 0;
    for (int i = 0; i < s.xs.length; i++) {
      if (!usable(s.xs[i], s.ys[i])) {
        continue;
      }
      double px = ax.pixel(s.xs[i]);
      double py = ay.pixel(s.ys[i]);
      if (points == 0) {
        d.append('M').append(num(px)).append(',').append(num(py));
      } else {
        if (s.steps) {
          d.append('H').append(num(px));
        }
        d.append('L').append(num(px)).append(',').append(num(py));
      }
      points++;
    }
    if (points == 0) {
      return;
    }
    String color = Palette.color(s.run);
    sb.append("<path class=\"series run-").append(s.run).append("\" d=\"").append(d)
        .append("\" fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2\"");
    String dash = Palette.dash(s.dash);
    if (!dash.isEmpty()) {
      sb.append(" stroke-dasharray=\"").append(dash).append('"');
    }
    sb.append("><title>").append(esc(s.name)).append("</title></path>");
    if (points == 1 || s.steps) {
      // single points (or a few percentiles) need a marker to be visible
      for (int i = 0; i < s.xs.length; i++) {
        if (usable(s.xs[i], s.ys[i])) {
          sb.append("<circle class=\"run-").append(s.run).append("\" cx=\"")
              .append(num(ax.pixel(s.xs[i]))).append("\" cy=\"").append(num(ay.pixel(s.ys[i])))
              .append("\" r=\"3\" fill=\"").append(color).append("\"><title>")
              .append(esc(s.name)).append("</title></circle>");
        }
      }
    }
  }

  private void legend(StringBuilder sb) {
    sb.append("<div class=\"legend\">");
    for (Series s : series) {
      String dash = Palette.dash(s.dash);
      sb.append("<span class=\"key run-").append(s.run).append("\"><svg width=\"26\" height=\"10\""
          + " aria-hidden=\"true\"><line x1=\"1\" y1=\"5\" x2=\"25\" y2=\"5\" stroke=\"")
          .append(Palette.color(s.run)).append("\" stroke-width=\"2.5\"")
          .append(dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\"")
          .append("/></svg>").append(esc(s.name)).append("</span>");
    }
    sb.append("</div>");
  }
}
