package io.poolbench.reports.html;

import io.poolbench.reports.model.EngineLoad;
import io.poolbench.reports.model.LatencyLog;
import io.poolbench.reports.model.ModeRun;
import io.poolbench.reports.model.Report;
import io.poolbench.reports.model.RequestStats;
import io.poolbench.reports.rundir.LatencyMetric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Time series per interval: achieved throughput, requests in flight, arrivals per pool and each
 * pool's share of arrivals and the prefix-cache hit rate of the requests arriving in each
 * interval, when any hit (from requests.csv.gz, binned by the latency.hlog interval), TTFT
 * p99 per interval (from latency.hlog), and, for live runs that read their engines, each pool's
 * engine load and KV-cache usage (engine-metrics.csv).
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
    LineChart ttft = new LineChart("TTFT p99 per interval", "time since start (s)",
        "TTFT p99 (ms)");
    LineChart perPool = new LineChart("Arrivals per pool", "time since start (s)", "requests/s");
    LineChart share = new LineChart("Share of arrivals per pool (multi-pool runs)",
        "time since start (s)", "share of arrivals (%)").yRange(0, 100);
    LineChart hitRate = new LineChart("Prefix-cache hit rate per interval (cached ÷ prompt "
        + "tokens of the requests arriving then)", "time since start (s)", "hit rate (%)")
        .yRange(0, 100);
    LineChart engineQueue = new LineChart("Engine load per pool: requests running + waiting "
        + "(engine /metrics)", "time since start (s)", "requests");
    LineChart engineKv = new LineChart("KV-cache usage per pool (engine /metrics, mean of "
        + "engines)", "time since start (s)", "KV-cache usage (%)").yRange(0, 100);
    List<String> noEngines = new ArrayList<>();
    List<String> noRequests = new ArrayList<>();
    List<String> noHlog = new ArrayList<>();
    for (ModeRun r : report.runs()) {
      RequestStats rs = r.run().requests();
      if (rs == null) {
        noRequests.add(r.name());
      } else {
        double w = rs.binSeconds();
        // the last bin usually covers only part of its width: rate it over the covered part,
        // and drop it when that is too short to give a meaningful rate
        double duration = r.run().summary().durationS();
        int n = rs.bins();
        while (n > 1 && duration - (n - 1) * w < 0.25 * w && duration > 0) {
          n--;
        }
        double[] t = new double[n];
        double[] ok = new double[n];
        double[] fl = new double[n];
        double[] width = new double[n];
        for (int b = 0; b < n; b++) {
          width[b] = b == n - 1 && duration > b * w ? Math.min(w, duration - b * w) : w;
          t[b] = b * w + width[b];
          ok[b] = rs.completions(b) / width[b];
          fl[b] = rs.inFlightAtEnd(b);
        }
        achieved.add(new LineChart.Series(r.name(), r.index(), 0, mid(t, width), ok, false));
        if (rs.anyPrefixCacheHits()) {
          double[] hr = new double[n];
          for (int b = 0; b < n; b++) {
            hr[b] = 100 * rs.prefixHitRate(b);
          }
          hitRate.add(new LineChart.Series(r.name(), r.index(), 0, mid(t, width), hr, false));
        }
        inFlight.add(new LineChart.Series(r.name(), r.index(), 0, t, fl, false));
        List<String> pools = rs.pools();
        for (int p = 0; p < pools.size(); p++) {
          if (rs.poolTotal(p) == 0) {
            continue;
          }
          double[] a = new double[n];
          for (int b = 0; b < n; b++) {
            a[b] = rs.arrivals(p, b) / width[b];
          }
          perPool.add(new LineChart.Series(r.name() + " · " + pools.get(p), r.index(), p,
              mid(t, width), a, false));
          if (r.run().facts().poolNames().size() >= 2) {
            double[] pct = new double[n];
            for (int b = 0; b < n; b++) {
              long all = rs.arrivals(b);
              pct[b] = all == 0 ? Double.NaN : 100.0 * rs.arrivals(p, b) / all;
            }
            share.add(new LineChart.Series(r.name() + " · " + pools.get(p), r.index(), p,
                mid(t, width), pct, false));
          }
        }
      }
      engineSeries(r, engineQueue, engineKv, noEngines);
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
    if (!share.isEmpty()) {
      sb.append(share.html());
    }
    if (!hitRate.isEmpty()) {
      sb.append(hitRate.html());
    }
    if (!engineQueue.isEmpty()) {
      sb.append(engineQueue.html());
    }
    if (!engineKv.isEmpty()) {
      sb.append(engineKv.html());
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
    if (!noEngines.isEmpty()) {
      sb.append(Panel.missing("No engine-metrics.csv in live run " + String.join(", ", noEngines)
          + " (its engines' /metrics were not read): no engine load series for it."));
    }
    sb.append("<p class=\"note\">Rates are per interval (bin width from run.json's hlog "
        + "interval). Throughput counts requests by the time they finished; arrivals by the time "
        + "they arrived; dash patterns tell pools apart.</p>");
    return sb.toString();
  }

  /** The engine-metrics.csv series of a live run; simulated runs have none to offer. */
  private static void engineSeries(ModeRun r, LineChart queue, LineChart kv,
      List<String> missing) {
    EngineLoad load = r.run().engines();
    if (load == null) {
      if ("loadgen".equals(r.mode())) {
        missing.add(r.name());
      }
      return;
    }
    int p = 0;
    for (Map.Entry<String, EngineLoad.Series> e : load.pools().entrySet()) {
      EngineLoad.Series s = e.getValue();
      double[] busy = new double[s.tSeconds().length];
      double[] pct = new double[busy.length];
      boolean anyKv = false;
      for (int i = 0; i < busy.length; i++) {
        double running = s.running()[i];
        double waiting = s.waiting()[i];
        busy[i] = Double.isNaN(running) && Double.isNaN(waiting) ? Double.NaN
            : (Double.isNaN(running) ? 0 : running) + (Double.isNaN(waiting) ? 0 : waiting);
        pct[i] = 100 * s.kvUsage()[i];
        anyKv |= !Double.isNaN(pct[i]);
      }
      String name = r.name() + " · " + e.getKey();
      if (busy.length > 0) {
        queue.add(new LineChart.Series(name, r.index(), p, s.tSeconds(), busy, false));
        if (anyKv) {
          kv.add(new LineChart.Series(name, r.index(), p, s.tSeconds(), pct, false));
        }
      }
      p++;
    }
  }

  private static double[] mid(double[] ends, double[] widths) {
    double[] m = new double[ends.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = ends[i] - widths[i] / 2;
    }
    return m;
  }
}
