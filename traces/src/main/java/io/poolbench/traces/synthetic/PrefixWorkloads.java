package io.poolbench.traces.synthetic;

import io.poolbench.traces.BadInputException;
import io.poolbench.traces.Durations;
import io.poolbench.traces.PrefixIds;
import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The built-in workloads with prefix structure, {@code builtin:shared-prefix} and
 * {@code builtin:multi-turn}. Their requests carry Mooncake-style {@code hash_ids} (one id per
 * 512 prompt tokens): the simulator turns equal ids into equal KV blocks, and the load generator
 * writes equal text for equal ids, so a real engine behind it sees the same cache hits.
 *
 * <p><b>shared-prefix</b>: Poisson arrivals at {@code rate}; each request starts with one of
 * {@code prefixes} system prompts of {@code prefix-tokens} tokens (a multiple of 512: an id stands
 * for 512 tokens), picked uniformly, then {@code user-tokens} of its own (uniform over ½× to
 * 1½× the mean), and asks for {@code output-tokens} (the same spread).
 *
 * <p><b>multi-turn</b>: sessions start as a Poisson process at {@code rate} sessions per second
 * for {@code duration}; a session has 1 to 2 × {@code turns} − 1 turns (mean {@code turns}),
 * {@code think-s} apart on average (exponential, at least one second; the trace fixes arrival
 * times, so a live run does not wait for the previous answer). Turn 1's prompt is one of
 * {@code system-prompts} system prompts of {@code system-tokens} tokens plus a user message; turn
 * k + 1's prompt is turn k's prompt, turn k's output and a new user message, so it starts with
 * the whole of turn k's prompt. A session ends early when the next prompt would pass
 * {@code max-context} tokens. The ids cover every block of every prompt: block b of a session has
 * the same id in all its turns (the system prompt's blocks the same in all sessions that share it).
 */
public final class PrefixWorkloads {

  /** Tokens per hash id. */
  static final int BLOCK = PrefixIds.BLOCK_TOKENS;

  /** The workload names this class serves. */
  public static final List<String> NAMES = List.of("shared-prefix", "multi-turn");

  private PrefixWorkloads() {}

  /** True when {@code name} is one of {@link #NAMES}. */
  public static boolean serves(String name) {
    return NAMES.contains(name.strip().toLowerCase(java.util.Locale.ROOT));
  }

  /** Opens {@code name} with the {@code key=value} parameters of a {@code builtin:} spec. */
  static TraceSource open(String name, Map<String, String> given, String spec) {
    String n = name.strip().toLowerCase(java.util.Locale.ROOT);
    Params p = new Params(n.equals("shared-prefix") ? sharedDefaults() : multiTurnDefaults(),
        spec);
    given.forEach(p::set);
    return n.equals("shared-prefix") ? new SharedPrefix(p, spec) : new MultiTurn(p, spec);
  }

  private static Map<String, String> sharedDefaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("rate", "10");
    d.put("duration", "60s");
    d.put("seed", "42");
    d.put("prefixes", "8");
    d.put("prefix-tokens", "1024");
    d.put("user-tokens", "256");
    d.put("output-tokens", "128");
    return d;
  }

  private static Map<String, String> multiTurnDefaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("rate", "0.5");
    d.put("duration", "300s");
    d.put("seed", "42");
    d.put("turns", "5");
    d.put("think-s", "10");
    d.put("system-prompts", "4");
    d.put("system-tokens", "1024");
    d.put("user-tokens", "200");
    d.put("output-tokens", "200");
    d.put("max-context", "16384");
    return d;
  }

  /** Parsed parameters: every key has a default, and only those keys are accepted. */
  private static final class Params {
    private final Map<String, String> values;
    private final String spec;

    Params(Map<String, String> defaults, String spec) {
      this.values = defaults;
      this.spec = spec;
    }

    void set(String key, String value) {
      if (!values.containsKey(key)) {
        throw new BadInputException("Unknown parameter '" + key + "' in builtin:" + spec
            + ": expected one of " + List.copyOf(values.keySet()));
      }
      values.put(key, value);
    }

    double positive(String key) {
      String v = values.get(key);
      try {
        double d = Double.parseDouble(v.replace("_", ""));
        if (d > 0 && Double.isFinite(d)) {
          return d;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      throw new BadInputException("Bad " + key + " '" + v + "' in builtin:" + spec
          + ": expected a number > 0");
    }

    int count(String key, int min) {
      String v = values.get(key);
      try {
        int i = Integer.parseInt(v.replace("_", ""));
        if (i >= min) {
          return i;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      throw new BadInputException("Bad " + key + " '" + v + "' in builtin:" + spec
          + ": expected an integer >= " + min);
    }

    int blocks(String key, int min) {
      int tokens = count(key, min);
      if (tokens % BLOCK != 0) {
        throw new BadInputException("Bad " + key + " '" + tokens + "' in builtin:" + spec
            + ": expected a multiple of " + BLOCK + " tokens (one hash id stands for " + BLOCK
            + " tokens), e.g. " + Math.max(BLOCK, tokens / BLOCK * BLOCK));
      }
      return tokens;
    }

    long seed() {
      String v = values.get("seed");
      try {
        return Long.parseLong(v.replace("_", ""));
      } catch (NumberFormatException e) {
        throw new BadInputException("Bad seed '" + v + "' in builtin:" + spec
            + ": expected an integer");
      }
    }

    Duration duration() {
      return Durations.parse(values.get("duration"));
    }
  }

  /** Uniform over [mean/2, 3 mean/2], at least 1. */
  private static int spread(SplittableRandom r, int mean) {
    int lo = Math.max(1, mean / 2);
    int hi = Math.max(lo, mean + mean / 2);
    return lo + r.nextInt(hi - lo + 1);
  }

  /** Positive 62-bit ids (what a JSONL writer and reader keep exactly). */
  private static long id(long a, long b) {
    return PrefixIds.id(a, b);
  }

  private static TraceRequest request(long arrival, int prompt, int output, long[] ids,
      String name, long line) {
    return new TraceRequest(arrival, prompt, output, "prose", TraceRequest.NO_MAX_TOKENS, ids,
        false, 0, name, line);
  }

  private static final class SharedPrefix implements TraceSource {
    private final String name;
    private final double rate;
    private final long endNanos;
    private final long seed;
    private final int prefixes;
    private final int prefixTokens;
    private final int userTokens;
    private final int outputTokens;

    SharedPrefix(Params p, String spec) {
      this.name = "builtin:" + spec;
      this.rate = p.positive("rate");
      this.endNanos = p.duration().toNanos();
      this.seed = p.seed();
      this.prefixes = p.count("prefixes", 1);
      this.prefixTokens = p.blocks("prefix-tokens", BLOCK);
      this.userTokens = p.count("user-tokens", 1);
      this.outputTokens = p.count("output-tokens", 1);
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Stream<TraceRequest> open() {
      SplittableRandom root = new SplittableRandom(seed);
      SplittableRandom arrivals = root.split();
      SplittableRandom lengths = root.split();
      int blocks = prefixTokens / BLOCK;
      long[] t = {0};
      long[] line = {0};
      Spliterator<TraceRequest> s = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE,
          Spliterator.ORDERED | Spliterator.NONNULL) {
        @Override
        public boolean tryAdvance(Consumer<? super TraceRequest> action) {
          t[0] += Math.round(-Math.log(1 - arrivals.nextDouble()) / rate * 1e9);
          if (t[0] >= endNanos) {
            return false;
          }
          int prefix = lengths.nextInt(prefixes);
          long[] ids = new long[blocks];
          for (int b = 0; b < blocks; b++) {
            ids[b] = id(0x5EED_0000L + prefix, b);
          }
          action.accept(request(t[0], prefixTokens + spread(lengths, userTokens),
              spread(lengths, outputTokens), ids, name, ++line[0]));
          return true;
        }
      };
      return StreamSupport.stream(s, false);
    }
  }

  private static final class MultiTurn implements TraceSource {
    private final String name;
    private final double rate;
    private final long endNanos;
    private final long seed;
    private final int turns;
    private final double thinkS;
    private final int systemPrompts;
    private final int systemTokens;
    private final int userTokens;
    private final int outputTokens;
    private final int maxContext;

    MultiTurn(Params p, String spec) {
      this.name = "builtin:" + spec;
      this.rate = p.positive("rate");
      this.endNanos = p.duration().toNanos();
      this.seed = p.seed();
      this.turns = p.count("turns", 1);
      this.thinkS = p.positive("think-s");
      this.systemPrompts = p.count("system-prompts", 1);
      this.systemTokens = p.blocks("system-tokens", 0);
      this.userTokens = p.count("user-tokens", 1);
      this.outputTokens = p.count("output-tokens", 1);
      this.maxContext = p.count("max-context", 1);
      if (systemTokens + userTokens + userTokens / 2 >= maxContext) {
        throw new BadInputException("builtin:" + spec + ": max-context (" + maxContext
            + ") must exceed system-tokens + 1.5 × user-tokens (" + (systemTokens + userTokens
            + userTokens / 2) + ")");
      }
    }

    @Override
    public String name() {
      return name;
    }

    /** The next turn of one session. */
    private static final class Turn {
      final long session;
      final int system;
      final long arrival;
      final int index;
      final int last;
      final int prompt;
      final long order;

      Turn(long session, int system, long arrival, int index, int last, int prompt, long order) {
        this.session = session;
        this.system = system;
        this.arrival = arrival;
        this.index = index;
        this.last = last;
        this.prompt = prompt;
        this.order = order;
      }
    }

    @Override
    public Stream<TraceRequest> open() {
      SplittableRandom root = new SplittableRandom(seed);
      SplittableRandom starts = root.split();
      SplittableRandom draws = root.split();
      PriorityQueue<Turn> pending = new PriorityQueue<>((a, b) -> a.arrival != b.arrival
          ? Long.compare(a.arrival, b.arrival) : Long.compare(a.order, b.order));
      long[] nextStart = {Math.round(-Math.log(1 - starts.nextDouble()) / rate * 1e9)};
      long[] counters = {0, 0}; // sessions, emitted rows
      int systemBlocks = systemTokens / BLOCK;
      Spliterator<TraceRequest> s = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE,
          Spliterator.ORDERED | Spliterator.NONNULL) {
        @Override
        public boolean tryAdvance(Consumer<? super TraceRequest> action) {
          while (nextStart[0] < endNanos
              && (pending.isEmpty() || pending.peek().arrival >= nextStart[0])) {
            long session = counters[0]++;
            int last = 1 + draws.nextInt(2 * turns - 1);
            pending.add(new Turn(session, draws.nextInt(systemPrompts), nextStart[0], 1, last,
                systemTokens + spread(draws, userTokens), session << 8));
            nextStart[0] += Math.round(-Math.log(1 - starts.nextDouble()) / rate * 1e9);
          }
          Turn turn = pending.poll();
          if (turn == null) {
            return false;
          }
          int output = spread(draws, outputTokens);
          long[] ids = new long[(turn.prompt + BLOCK - 1) / BLOCK];
          for (int b = 0; b < ids.length; b++) {
            ids[b] = b < systemBlocks ? id(0x5_5E00_0000L + turn.system, b)
                : id(turn.session * 31 + seed, b);
          }
          action.accept(request(turn.arrival, turn.prompt, output, ids, name, ++counters[1]));
          int next = turn.prompt + output + spread(draws, userTokens);
          if (turn.index < turn.last && next + outputTokens <= maxContext) {
            double think = Math.max(1, -Math.log(1 - draws.nextDouble()) * thinkS);
            pending.add(new Turn(turn.session, turn.system,
                turn.arrival + Math.round(think * 1e9), turn.index + 1, turn.last, next,
                turn.order + 1));
          }
          return true;
        }
      };
      return StreamSupport.stream(s, false);
    }
  }
}
