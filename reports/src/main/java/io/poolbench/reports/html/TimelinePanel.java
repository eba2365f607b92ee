package io.poolbench.reports.html;

import io.poolbench.reports.model.LatencyLog;
import io.poolbench.reports.model.ModeRun;
import io.poolbench.reports.model.Report;
import io.poolbench.reports.model.RequestStats;
import io.poolbench.reports.rundir.LatencyMetric;
import java.util.ArrayList;
import java.util.List;

/**
 * Time series per interval: achieved throughput, requests in flight and arrivals per pool (from
 * requests.csv.gz, binned by the latency.hlog interval), and TTFT p99 per interval (from
 * latency.hlog).
 */
final class TimelinePanel implements Panel {
  @Override
  public String id() {
    return "timeline";
  }

  @Override
  public String title() {
    return "Over time";
  }

  @Override
  public String html(Report report) {
    StringBuilder sb = new StringBuilder("<div class=\"charts\">");
    LineChart achieved = new LineChart("Achieved throughput (completed OK per second)",
        "time since start (s)", "requests/s");
    LineChart inFlight = new LineChart("Requests in flight (end of each interval)",
        "time since start (s)", "requests");
    LineChart ttft = new LineChart("TTFT p99 per interval", "time since start (s)", "TTFT p99 (ms)");
    LineChart perPool = new LineChart("Arrivals per pool", "time since start (s)", "requests/s");
    List<String> noRequests = new ArrayList<>();
    List<String> noHlog = new ArrayList<>();
    for (ModeRun r : report.runs()) {
      RequestStats rs = r.run().requests();
      if (rs == null) {
        noRequests.add(r.name());
      } else {
        int n = rs.bins();
        double w = rs.binSeconds();
        double[] t = new double[n];
        double[] ok = new double[n];
        double[] fl = new double[n];
        for (int b = 0; b < n; b++) {
          t[b] = (b + 1) * w;
          ok[b] = rs.completions(b) / w;
          fl[b] = rs.inFlightAtEnd(b);
        }
        achieved.add(new LineChart.Series(r.name(), r.index(), 0, mid(t, w), ok, false));
        inFlight.add(new LineChart.Series(r.name(), r.index(), 0, t, fl, false));
        List<String> pools = rs.pools();
        for (int p = 0; p < pools.size(); p++) {
          if (rs.poolTotal(p) == 0) {
            continue;
          }
          double[] a = new double[n];
          for (int b = 0; b < n; b++) {
            a[b] = rs.arrivals(p, b) / w;
          }
          perPool.add(new LineChart.Series(r.name() + " · " + pools.get(p), r.index(), p,
              mid(t, w), a, false));
        }
      }
      LatencyLog log = r.run().latency();
      List<LatencyLog.Interval> iv = log == null ? List.of() : log.intervals(LatencyMetric.TTFT);
      if (iv.isEmpty()) {
        noHlog.add(r.name());
      } else {
        double[] x = new double[iv.size()];
        double[] y = new double[iv.size()];
        for (int i = 0; i < iv.size(); i++) {
          x[i] = iv.get(i).startS() + iv.get(i).lengthS() / 2;
          y[i] = iv.get(i).p99Ms();
        }
        ttft.add(new LineChart.Series(r.name(), r.index(), 0, x, y, false));
      }
    }
    if (!achieved.isEmpty()) {
      sb.append(achieved.html()).append(inFlight.html());
    }
    if (!ttft.isEmpty()) {
      sb.append(ttft.html());
    }
    if (!perPool.isEmpty()) {
      sb.append(perPool.html());
    }
    sb.append("</div>");
    if (!noRequests.isEmpty()) {
      sb.append(Panel.missing("No requests.csv.gz in " + String.join(", ", noRequests)
          + ": no throughput, in-flight or per-pool series for it."));
    }
    if (!noHlog.isEmpty()) {
      sb.append(Panel.missing("No TTFT intervals in latency.hlog of " + String.join(", ", noHlog)
          + ": no TTFT p99 series for it."));
    }
    sb.append("<p class=\"note\">Rates are per interval (bin width from run.json's hlog "
        + "interval). Throughput counts requests by the time they finished; arrivals by the time "
        + "they arrived; dash patterns tell pools apart.</p>");
    return sb.toString();
  }

  private static double[] mid(double[] ends, double w) {
    double[] m = new double[ends.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = ends[i] - w / 2;
    }
    return m;
  }
}
