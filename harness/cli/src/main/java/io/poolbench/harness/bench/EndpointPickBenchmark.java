package io.poolbench.harness.bench;

import io.poolbench.router.pick.EndpointPicker;
import io.poolbench.router.pick.Endpoints;
import io.poolbench.router.pick.LoadSignal;
import io.poolbench.router.pick.PickerKind;
import io.poolbench.router.pick.PickerSettings;
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
 * Picking an endpoint in a pool of 8, 64 or 512 engines, each with outstanding work and a fresh
 * engine signal, then counting the dispatch and its completion ({@code acquire} + {@code release},
 * as the service does); on one thread and on two threads sharing the pool.
 *
 * <p>Run: {@code ./poolbench microbench EndpointPick -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EndpointPickBenchmark {

  /** The pool and picker shared by the threads of a trial. */
  @State(Scope.Benchmark)
  public static class Pool {
    @Param({"8", "64", "512"})
    public int endpoints;

    @Param({"round-robin", "least-requests", "least-tokens", "power-of-two"})
    public String picker;

    Endpoints pool;
    EndpointPicker chooser;
    long nowNanos;

    @Setup(Level.Trial)
    public void setUp() {
      pool = Endpoints.anonymous(endpoints);
      chooser = PickerKind.named(picker).create(PickerSettings.DEFAULTS);
      nowNanos = 1_000_000_000_000L;
      SplittableRandom random = new SplittableRandom(3);
      for (int i = 0; i < endpoints; i++) {
        for (int k = random.nextInt(8); k > 0; k--) {
          pool.acquire(i, random.nextInt(8000));
        }
        pool.signal(i, new LoadSignal(random.nextInt(4), random.nextInt(64),
            random.nextDouble(0.2, 0.99), nowNanos - random.nextLong(500_000_000L)));
      }
    }
  }

  /** Per-thread request sizes. */
  @State(Scope.Thread)
  public static class Sizes {
    long[] tokens;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      SplittableRandom random = new SplittableRandom(Thread.currentThread().threadId());
      tokens = new long[256];
      for (int i = 0; i < tokens.length; i++) {
        tokens[i] = 100 + random.nextInt(8000);
      }
    }
  }

  private static int pickAndDispatch(Pool pool, Sizes sizes) {
    long tokens = sizes.tokens[sizes.next++ & 255];
    int endpoint = pool.chooser.pick(pool.pool, tokens, pool.nowNanos);
    pool.pool.acquire(endpoint, tokens);
    pool.pool.release(endpoint, tokens);
    return endpoint;
  }

  @Benchmark
  public int pick(Pool pool, Sizes sizes) {
    return pickAndDispatch(pool, sizes);
  }

  @Benchmark
  @Group("contended")
  @GroupThreads(2)
  public int pickContended(Pool pool, Sizes sizes) {
    return pickAndDispatch(pool, sizes);
  }
}
