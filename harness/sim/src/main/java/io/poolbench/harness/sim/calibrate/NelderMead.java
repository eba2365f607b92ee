package io.poolbench.harness.sim.calibrate;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;

/**
 * The Nelder–Mead simplex search (reflection 1, expansion 2, contraction ½, shrink ½), a
 * derivative-free minimiser: the replay's error is piecewise smooth in the parameters (a step
 * that ends just before or after an arrival changes the schedule), so gradients are unreliable.
 */
final class NelderMead {

  /**
   * The best point found and its value.
   *
   * @param x the point
   * @param value the function's value there
   * @param evaluations function evaluations spent
   */
  record Minimum(double[] x, double value, int evaluations) {}

  private NelderMead() {}

  /**
   * Minimises {@code f} from {@code start} with an initial simplex of {@code step} along each
   * axis; stops when the simplex spans less than {@code tolerance} in every coordinate and in
   * value, or after {@code maxEvaluations}.
   */
  static Minimum minimise(ToDoubleFunction<double[]> f, double[] start, double step,
      double tolerance, int maxEvaluations) {
    int n = start.length;
    double[][] p = new double[n + 1][];
    double[] v = new double[n + 1];
    p[0] = start.clone();
    for (int i = 0; i < n; i++) {
      p[i + 1] = start.clone();
      p[i + 1][i] += step;
    }
    int evals = 0;
    for (int i = 0; i <= n; i++) {
      v[i] = f.applyAsDouble(p[i]);
      evals++;
    }
    while (evals < maxEvaluations) {
      sort(p, v);
      if (spread(p, v) < tolerance) {
        break;
      }
      double[] centroid = new double[n];
      for (int i = 0; i < n; i++) {
        for (int d = 0; d < n; d++) {
          centroid[d] += p[i][d] / n;
        }
      }
      double[] reflected = along(centroid, p[n], -1);
      double vr = f.applyAsDouble(reflected);
      evals++;
      if (vr < v[0]) {
        double[] expanded = along(centroid, p[n], -2);
        double ve = f.applyAsDouble(expanded);
        evals++;
        if (ve < vr) {
          p[n] = expanded;
          v[n] = ve;
        } else {
          p[n] = reflected;
          v[n] = vr;
        }
      } else if (vr < v[n - 1]) {
        p[n] = reflected;
        v[n] = vr;
      } else {
        boolean outside = vr < v[n];
        double[] contracted = along(centroid, outside ? reflected : p[n], 0.5);
        double vc = f.applyAsDouble(contracted);
        evals++;
        if (vc < Math.min(vr, v[n])) {
          p[n] = contracted;
          v[n] = vc;
        } else {
          for (int i = 1; i <= n; i++) {
            p[i] = along(p[0], p[i], 0.5);
            v[i] = f.applyAsDouble(p[i]);
            evals++;
          }
        }
      }
    }
    sort(p, v);
    return new Minimum(p[0], v[0], evals);
  }

  /** {@code from + t × (to − from)}. */
  private static double[] along(double[] from, double[] to, double t) {
    double[] x = new double[from.length];
    for (int d = 0; d < x.length; d++) {
      x[d] = from[d] + t * (to[d] - from[d]);
    }
    return x;
  }

  private static double spread(double[][] p, double[] v) {
    double s = Math.abs(v[v.length - 1] - v[0]);
    for (int i = 1; i < p.length; i++) {
      for (int d = 0; d < p[0].length; d++) {
        s = Math.max(s, Math.abs(p[i][d] - p[0][d]));
      }
    }
    return s;
  }

  private static void sort(double[][] p, double[] v) {
    Integer[] order = new Integer[v.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
    double[][] ps = new double[p.length][];
    double[] vs = new double[v.length];
    for (int i = 0; i < order.length; i++) {
      ps[i] = p[order[i]];
      vs[i] = v[order[i]];
    }
    System.arraycopy(ps, 0, p, 0, p.length);
    System.arraycopy(vs, 0, v, 0, v.length);
  }
}
