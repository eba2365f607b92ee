package io.poolbench.harness.bench;

import io.poolbench.router.RequestView;
import io.poolbench.router.inspect.PrefixHasher;
import io.poolbench.router.inspect.RequestBodyInspector;
import io.poolbench.router.pick.EndpointPicker;
import io.poolbench.router.pick.Endpoints;
import io.poolbench.router.pick.LoadSignal;
import io.poolbench.router.pick.PickerKind;
import io.poolbench.router.pick.PickerSettings;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of prefix affinity for a 16 KiB chat prompt (8 blocks of 2,048 chars):
 * <ul>
 *   <li>{@code pick}: the {@code prefix-affinity} decision over the request's block hashes, the
 *       dispatch record and the acquire/release the service does, in a pool of 8 or 64 loaded
 *       endpoints, for prompts drawn from 256 conversations seen before (hits);
 *   <li>{@code pickLeastRequests}: the same without a prefix (the fallback alone), for reference;
 *   <li>{@code hashPrompt}: hashing the prompt's 16 K chars into blocks;
 *   <li>{@code inspect} / {@code inspectHashing}: the whole body parse the service does, without
 *       and with the hasher fed, so the hasher's share of the hot path shows.
 * </ul>
 *
 * <p>Run: {@code ./poolbench microbench PrefixAffinity -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class PrefixAffinityBenchmark {

  private static final int CONVERSATIONS = 256;
  private static final int PROMPT_CHARS = 16 * 1024;

  @Param({"8", "64"})
  public int endpoints;

  private Endpoints pool;
  private EndpointPicker picker;
  private long nowNanos;
  private long[][] prefixes;
  private int next;
  private char[] prompt;
  private byte[] body;
  private final PrefixHasher hasher = new PrefixHasher();
  private final RequestBodyInspector inspector = new RequestBodyInspector();
  private final RequestView view = new RequestView();

  @Setup(Level.Trial)
  public void setUp() {
    pool = Endpoints.anonymous(endpoints);
    picker = PickerKind.PREFIX_AFFINITY.create(PickerSettings.DEFAULTS);
    nowNanos = 1_000_000_000_000L;
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < endpoints; i++) {
      for (int k = random.nextInt(8); k > 0; k--) {
        pool.acquire(i, random.nextInt(8000));
      }
      pool.signal(i, new LoadSignal(random.nextInt(4), random.nextInt(64),
          random.nextDouble(0.2, 0.9), nowNanos - random.nextLong(500_000_000L)));
    }
    StringBuilder text = new StringBuilder(PROMPT_CHARS);
    while (text.length() < PROMPT_CHARS) {
      text.append("word").append(random.nextInt(100_000)).append(' ');
    }
    prompt = text.substring(0, PROMPT_CHARS).toCharArray();
    body = ("{\"model\":\"m\",\"max_tokens\":256,\"stream\":true,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"" + new String(prompt) + "\"}]}").getBytes(StandardCharsets.UTF_8);
    prefixes = new long[CONVERSATIONS][];
    for (int c = 0; c < CONVERSATIONS; c++) {
      prefixes[c] = new long[8];
      for (int b = 0; b < 8; b++) {
        prefixes[c][b] = random.nextLong();
      }
      int e = picker.pick(pool, 1000, prefixes[c], 8, nowNanos);
      picker.dispatched(e, prefixes[c], 8);
    }
  }

  @Benchmark
  public int pick() {
    long[] prefix = prefixes[next++ & (CONVERSATIONS - 1)];
    int e = picker.pick(pool, 4000, prefix, prefix.length, nowNanos);
    pool.acquire(e, 4000);
    picker.dispatched(e, prefix, prefix.length);
    pool.release(e, 4000);
    return e;
  }

  @Benchmark
  public int pickLeastRequests() {
    next++;
    int e = picker.pick(pool, 4000, nowNanos);
    pool.acquire(e, 4000);
    pool.release(e, 4000);
    return e;
  }

  @Benchmark
  public int hashPrompt() {
    hasher.reset().feed(prompt, 0, prompt.length);
    return hasher.count();
  }

  @Benchmark
  public long inspect() {
    return inspector.inspect(body, 0, body.length, view.clear(), null, null).promptBytes();
  }

  @Benchmark
  public long inspectHashing() {
    inspector.inspect(body, 0, body.length, view.clear(), null, hasher);
    return hasher.blocks()[hasher.count() - 1];
  }
}
