package io.poolbench.harness.bench;

import io.poolbench.router.PoolPressure;
import io.poolbench.router.PoolRouter;
import io.poolbench.router.PoolSpec;
import io.poolbench.router.RequestView;
import io.poolbench.router.RouteDecision;
import io.poolbench.router.RouterSettings;
import io.poolbench.router.estimate.EstimatorSettings;
import io.poolbench.router.policy.PolicySettings;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One routing decision ({@link PoolRouter#decide}: category lookup, estimate, policy, fallback,
 * metrics) per policy, on one thread and on two threads sharing one router. Targets: ≤ 100 ns/op
 * and 0 B/op on one thread, ≤ 300 ns/op contended.
 *
 * <p>Run: {@code ./poolbench microbench RouteDecision -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RouteDecisionBenchmark {

  private static final int REQUESTS = 1024; // a power of two: the index wraps with a mask

  /** The router, shared by all threads of a trial. */
  @State(Scope.Benchmark)
  public static class Fleet {
    @Param({"single", "token-budget", "k-pools", "prompt-only", "oracle", "random",
        "round-robin"})
    public String policy;

    PoolRouter router;
    double[] load;
    PoolPressure pressure;

    @Setup(Level.Trial)
    public void setUp() {
      List<PoolSpec> pools = switch (policy) {
        case "single" -> List.of(new PoolSpec("homogeneous", 65536, 16));
        case "k-pools" -> List.of(new PoolSpec("4k", 4096, 256), new PoolSpec("8k", 8192, 128),
            new PoolSpec("16k", 16384, 64), new PoolSpec("64k", 65536, 16));
        default -> List.of(new PoolSpec("short", 8192, 128), new PoolSpec("long", 65536, 16));
      };
      router = PoolRouter.create(new RouterSettings(pools, policy, PolicySettings.DEFAULTS,
          EstimatorSettings.DEFAULTS));
      // calibrate three categories so decisions use learned ratios, as in steady state
      String[] names = {"prose", "code", "cjk"};
      double[] ratios = {4.48, 3.52, 2.01};
      SplittableRandom random = new SplittableRandom(1);
      for (int c = 0; c < names.length; c++) {
        int index = router.estimator().categoryIndex(names[c]);
        for (int i = 0; i < 200; i++) {
          int tokens = 100 + random.nextInt(8000);
          router.estimator().observe(index, Math.round(tokens * ratios[c]
              * random.nextDouble(0.95, 1.05)), tokens);
          router.estimator().observeCompletion(index, random.nextInt(2000));
        }
      }
      load = new double[pools.size()];
      for (int i = 0; i < load.length; i++) {
        load[i] = 0.5 + 0.2 * i;
      }
      double[] l = load;
      pressure = pool -> l[pool];
    }
  }

  /** Per-thread requests and a reusable decision. */
  @State(Scope.Thread)
  public static class Requests {
    RequestView[] views;
    RouteDecision decision;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      String[] names = {"prose", "code", "cjk", null};
      SplittableRandom random = new SplittableRandom(Thread.currentThread().threadId());
      views = new RequestView[REQUESTS];
      for (int i = 0; i < REQUESTS; i++) {
        int tokens = random.nextInt(10) == 0 ? random.nextInt(8000, 40000) : random.nextInt(4000);
        views[i] = new RequestView()
            .category(names[random.nextInt(names.length)])
            .promptBytes(tokens * 4L)
            .maxTokens(random.nextInt(3) == 0 ? RequestView.UNSET : random.nextInt(4096))
            .oracleTotalTokens(tokens + random.nextInt(2000));
      }
      decision = new RouteDecision();
    }
  }

  private static int route(Fleet fleet, Requests requests) {
    RequestView view = requests.views[requests.next++ & (REQUESTS - 1)];
    view.categoryIndex(RequestView.UNSET); // resolve the category name per request, as a server
    return fleet.router.decide(view, fleet.pressure, requests.decision).pool();
  }

  @Benchmark
  public int decide(Fleet fleet, Requests requests) {
    return route(fleet, requests);
  }

  @Benchmark
  @Group("contended")
  @GroupThreads(2)
  public int decideContended(Fleet fleet, Requests requests) {
    return route(fleet, requests);
  }
}
