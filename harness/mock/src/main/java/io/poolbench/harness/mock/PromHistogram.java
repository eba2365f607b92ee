package io.poolbench.harness.mock;

/** A Prometheus histogram with fixed upper bounds; single-writer (the engine driver's thread). */
final class PromHistogram {
  final String name;
  final String help;
  private final double[] bounds;
  private final long[] counts;
  private double sum;
  private long count;

  PromHistogram(String name, String help, double... bounds) {
    this.name = name;
    this.help = help;
    this.bounds = bounds;
    this.counts = new long[bounds.length];
  }

  void observe(double v) {
    for (int i = 0; i < bounds.length; i++) {
      if (v <= bounds[i]) {
        counts[i]++;
        break;
      }
    }
    sum += v;
    count++;
  }

  long count() {
    return count;
  }

  /** Appends HELP, TYPE, cumulative {@code _bucket} lines, {@code _sum} and {@code _count}. */
  void render(StringBuilder out, String labels) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" histogram\n");
    long cumulative = 0;
    for (int i = 0; i < bounds.length; i++) {
      cumulative += counts[i];
      bucket(out, labels, PromText.number(bounds[i]), cumulative);
    }
    bucket(out, labels, "+Inf", count);
    out.append(name).append("_count{").append(labels).append("} ")
        .append(PromText.number(count)).append('\n');
    out.append(name).append("_sum{").append(labels).append("} ")
        .append(PromText.number(sum)).append('\n');
  }

  private void bucket(StringBuilder out, String labels, String le, long value) {
    out.append(name).append("_bucket{").append(labels).append(",le=\"").append(le).append("\"} ")
        .append(PromText.number(value)).append('\n');
  }

  /** vLLM's 1-2-5 buckets up to {@code max} (1, 2, 5, 10, 20, 50 ...). */
  static double[] oneTwoFive(long max) {
    java.util.List<Double> out = new java.util.ArrayList<>();
    for (long exp = 1; ; exp *= 10) {
      for (int m : new int[] {1, 2, 5}) {
        long v = m * exp;
        if (v > max) {
          return out.stream().mapToDouble(Double::doubleValue).toArray();
        }
        out.add((double) v);
      }
    }
  }
}
