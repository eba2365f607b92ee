package io.poolbench.harness.bench;

import io.poolbench.router.estimate.TokenBudgetEstimator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The estimator's feedback path ({@link TokenBudgetEstimator#observe}: two CAS-updated EMA
 * words, the category and the default bucket) on one thread, on two threads updating the same
 * category, and with one thread updating while another reads the routing ratio.
 *
 * <p>Run: {@code ./poolbench microbench EstimatorUpdate -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EstimatorUpdateBenchmark {

  private static final int SAMPLES = 1024;

  /** One estimator shared by the threads of a trial. */
  @State(Scope.Benchmark)
  public static class Shared {
    TokenBudgetEstimator estimator;
    int category;

    @Setup(Level.Trial)
    public void setUp() {
      estimator = new TokenBudgetEstimator();
      category = estimator.categoryIndex("prose");
    }
  }

  /** Per-thread observations (bytes, tokens). */
  @State(Scope.Thread)
  public static class Samples {
    long[] bytes;
    int[] tokens;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      SplittableRandom random = new SplittableRandom(Thread.currentThread().threadId());
      bytes = new long[SAMPLES];
      tokens = new int[SAMPLES];
      for (int i = 0; i < SAMPLES; i++) {
        tokens[i] = 50 + random.nextInt(8000);
        bytes[i] = Math.round(tokens[i] * random.nextDouble(4.2, 4.8));
      }
    }
  }

  private static void observe(Shared shared, Samples samples) {
    int i = samples.next++ & (SAMPLES - 1);
    shared.estimator.observe(shared.category, samples.bytes[i], samples.tokens[i]);
  }

  @Benchmark
  public double update(Shared shared, Samples samples) {
    observe(shared, samples);
    return shared.estimator.meanRatio(shared.category);
  }

  @Benchmark
  @Group("contendedUpdates")
  @GroupThreads(2)
  public double updateContended(Shared shared, Samples samples) {
    observe(shared, samples);
    return shared.estimator.meanRatio(shared.category);
  }

  @Benchmark
  @Group("updateWhileReading")
  @GroupThreads(1)
  public double writer(Shared shared, Samples samples) {
    observe(shared, samples);
    return shared.estimator.meanRatio(shared.category);
  }

  @Benchmark
  @Group("updateWhileReading")
  @GroupThreads(1)
  public double reader(Shared shared) {
    return shared.estimator.routingRatio(shared.category);
  }
}
