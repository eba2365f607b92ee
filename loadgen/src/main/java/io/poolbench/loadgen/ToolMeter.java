package io.poolbench.loadgen;

import io.poolbench.reports.rundir.Summary;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;

/**
 * What the loadgen's JVM spends over a run: process CPU time (user + system, from
 * {@link ProcessHandle}), the collection time and count the garbage collectors report, the most
 * heap in use at the samples taken, and the live threads at the end.
 */
final class ToolMeter {
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final long cpuStartNanos;
  private final long gcStartMillis;
  private final long gcStartCount;
  private final java.util.Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
      .map(java.lang.management.MemoryPoolMXBean::getName)
      .collect(java.util.stream.Collectors.toSet());
  private volatile long heapUsedMax;
  private volatile long heapLiveMax;

  ToolMeter() {
    this.cpuStartNanos = processCpuNanos();
    this.gcStartMillis = gcMillis();
    this.gcStartCount = gcCount();
    sample();
  }

  /** Notes the heap in use now (cheap; called at status intervals and at the end). */
  void sample() {
    long used = memory.getHeapMemoryUsage().getUsed();
    if (used > heapUsedMax) {
      heapUsedMax = used;
    }
    // the heap left in use just after each collector's last collection: the live set, plus
    // garbage already promoted
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof com.sun.management.GarbageCollectorMXBean sun && sun.getLastGcInfo() != null) {
        long live = 0;
        for (var e : sun.getLastGcInfo().getMemoryUsageAfterGc().entrySet()) {
          if (heapPools.contains(e.getKey())) {
            live += e.getValue().getUsed();
          }
        }
        if (live > heapLiveMax) {
          heapLiveMax = live;
        }
      }
    }
  }

  /** Heap in use now, in bytes. */
  long heapUsed() {
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** The use from construction to now; {@code requests}: requests sent (for CPU per request). */
  Summary.ToolUse finish(long requests, long inFlightMax, boolean sharedWithServers) {
    sample();
    double cpuS = Math.max(0, processCpuNanos() - cpuStartNanos) / 1e9;
    return new Summary.ToolUse(round(cpuS),
        requests == 0 ? null : round(cpuS * 1000 / requests),
        Math.max(0, gcMillis() - gcStartMillis), Math.max(0, gcCount() - gcStartCount),
        ManagementFactory.getThreadMXBean().getThreadCount(),
        round(heapUsedMax / (1024.0 * 1024.0)), round(heapLiveMax / (1024.0 * 1024.0)),
        inFlightMax, sharedWithServers);
  }

  static long processCpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  private static long gcMillis() {
    long sum = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, gc.getCollectionTime());
    }
    return sum;
  }

  private static long gcCount() {
    long sum = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, gc.getCollectionCount());
    }
    return sum;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
