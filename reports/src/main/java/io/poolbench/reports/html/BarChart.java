package io.poolbench.reports.html;

import static io.poolbench.reports.html.Html.esc;
import static io.poolbench.reports.html.Html.num;

import java.util.ArrayList;
import java.util.List;

/**
 * A grouped bar chart drawn as inline SVG: one group per category along x, one bar per series
 * (a run, in its color) inside each group, a value axis with label and unit, a tooltip on every
 * bar, and an HTML legend.
 */
final class BarChart {
  private static final int WIDTH = LineChart.WIDTH;
  private static final int HEIGHT = LineChart.HEIGHT;
  private static final int LEFT = 64;
  private static final int RIGHT = 16;
  private static final int TOP = 14;
  private static final int BOTTOM = 64;

  /**
   * The bars of one run.
   *
   * @param values one per category; NaN for none
   */
  record Series(String name, int run, double[] values) {}

  private final String title;
  private final List<String> categories;
  private final String xLabel;
  private final String yLabel;
  private final java.util.function.DoubleFunction<String> valueText;
  private final List<Series> series = new ArrayList<>();

  BarChart(String title, List<String> categories, String xLabel, String yLabel,
      java.util.function.DoubleFunction<String> valueText) {
    this.title = title;
    this.categories = categories;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.valueText = valueText;
  }

  BarChart add(Series s) {
    series.add(s);
    return this;
  }

  String html() {
    double max = 0;
    for (Series s : series) {
      for (double v : s.values) {
        if (Double.isFinite(v)) {
          max = Math.max(max, v);
        }
      }
    }
    StringBuilder sb = new StringBuilder(4096);
    sb.append("<figure class=\"chart-box\"><figcaption>").append(esc(title))
        .append("</figcaption>");
    if (categories.isEmpty() || series.isEmpty()) {
      return sb.append("<p class=\"missing\">No data to draw.</p></figure>").toString();
    }
    Axis ay = Axis.of(false, 0, max > 0 ? max : 1, HEIGHT - BOTTOM, TOP);
    sb.append("<svg class=\"chart\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
        .append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\"><g class=\"grid\">");
    for (double t : ay.ticks()) {
      double y = ay.pixel(t);
      sb.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
          .append("\" y1=\"").append(num(y)).append("\" y2=\"").append(num(y)).append("\"/>")
          .append("<text class=\"tick\" x=\"").append(LEFT - 6).append("\" y=\"")
          .append(num(y + 4)).append("\" text-anchor=\"end\">").append(Axis.label(t))
          .append("</text>");
    }
    sb.append("</g>");
    double groupW = (double) (WIDTH - LEFT - RIGHT) / categories.size();
    double barW = groupW * 0.8 / series.size();
    // many groups: every k-th label, turned 35° so neighbours do not overlap
    boolean turn = categories.size() > 8;
    int labelEvery = (int) Math.ceil(categories.size() / 18.0);
    for (int c = 0; c < categories.size(); c++) {
      double gx = LEFT + c * groupW + groupW * 0.1;
      for (int s = 0; s < series.size(); s++) {
        Series ser = series.get(s);
        double v = ser.values[c];
        if (!Double.isFinite(v)) {
          continue;
        }
        double y = ay.pixel(v);
        double h = Math.max(HEIGHT - BOTTOM - y, v > 0 ? 1 : 0);
        sb.append("<rect class=\"bar run-").append(ser.run).append("\" x=\"")
            .append(num(gx + s * barW)).append("\" y=\"").append(num(HEIGHT - BOTTOM - h))
            .append("\" width=\"").append(num(Math.max(barW - 1, 1))).append("\" height=\"")
            .append(num(h)).append("\" fill=\"").append(Palette.color(ser.run))
            .append("\"><title>").append(esc(ser.name)).append(" · ")
            .append(esc(categories.get(c))).append(": ").append(esc(valueText.apply(v)))
            .append("</title></rect>");
      }
      if (c % labelEvery == 0) {
        String x = num(gx + groupW * 0.4);
        int y = HEIGHT - BOTTOM + (turn ? 10 : 16);
        sb.append("<text class=\"tick\" x=\"").append(x).append("\" y=\"").append(y)
            .append(turn ? "\" text-anchor=\"end\" transform=\"rotate(-35 " + x + " " + y + ")\">"
                : "\" text-anchor=\"middle\">")
            .append(esc(shorten(categories.get(c)))).append("</text>");
      }
    }
    sb.append("<g class=\"axis\"><line x1=\"").append(LEFT).append("\" x2=\"")
        .append(WIDTH - RIGHT).append("\" y1=\"").append(HEIGHT - BOTTOM).append("\" y2=\"")
        .append(HEIGHT - BOTTOM).append("\"/></g>");
    sb.append("<text class=\"axis-label\" x=\"").append((LEFT + WIDTH - RIGHT) / 2)
        .append("\" y=\"").append(HEIGHT - 10).append("\" text-anchor=\"middle\">")
        .append(esc(xLabel)).append("</text>");
    sb.append("<text class=\"axis-label\" transform=\"translate(14,")
        .append((TOP + HEIGHT - BOTTOM) / 2).append(") rotate(-90)\" text-anchor=\"middle\">")
        .append(esc(yLabel)).append("</text></svg><div class=\"legend\">");
    for (Series s : series) {
      sb.append("<span class=\"key run-").append(s.run).append("\"><i class=\"swatch ")
          .append(Palette.cssClass(s.run)).append("\"></i>").append(esc(s.name))
          .append("</span>");
    }
    return sb.append("</div></figure>").toString();
  }

  private static String shorten(String s) {
    return s.length() <= 14 ? s : s.substring(0, 13) + "…";
  }
}
