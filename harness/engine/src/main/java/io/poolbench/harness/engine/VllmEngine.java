package io.poolbench.harness.engine;

import io.poolbench.harness.perf.PerfModel;
import io.poolbench.harness.perf.StepShape;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * One vLLM V1 instance, step by step (see {@code vllm-api.md} §4.5 and §5).
 *
 * <p>Each step starts with a budget of {@code max_num_batched_tokens}. Running requests are
 * served first, oldest first: a decoding request takes one token, a request still in (re)prefill
 * takes the next chunk that fits the budget. KV blocks are allocated for the tokens each request
 * will have computed after the step; when a running request cannot get its blocks, the most
 * recently admitted running request is preempted (all its blocks freed, its computed tokens reset
 * to 0, and put at the front of the waiting queue to be recomputed), repeatedly, until it fits or
 * it was itself the victim. Then, unless this step preempted, waiting requests are admitted FCFS
 * while budget, {@code max_num_seqs} and free blocks allow, their prompts chunked to the budget.
 * A request samples a token when a step brings its computed tokens up to all its tokens; the
 * first such token is its first output token.
 *
 * <p>Time: {@link #beginStep()} plans a step at the clock's now and returns its duration; the
 * driver calls {@link #finishStep()} once the clock reached the end of it (a simulator schedules
 * an event, a server sleeps). Not thread-safe; the listener must not call back into the engine.
 *
 * <p>Over 400 lines on purpose: the step loop and decode runs are the simulator's hot path and
 * share the scheduler's private state; splitting them would add an indirection per step.
 */
public final class VllmEngine {
  private static final Outcome ABORTED = new Outcome.Aborted();
  private static final Outcome UNAVAILABLE = new Outcome.Unavailable();

  private final EngineConfig config;
  private final PerfModel perf;
  private final EngineClock clock;
  private final EngineListener listener;
  private final int blockSize;
  /** log2(blockSize) when it is a power of two (the usual 16), else -1. */
  private final int blockShift;
  private final ArrayDeque<EngineRequest> waiting = new ArrayDeque<>();
  private final EngineRequest[] running;
  private final StepShape shape = new StepShape();
  private int runningCount;
  private int freeBlocks;
  private boolean dead;
  private boolean stepInFlight;
  private long stepStartNanos;
  private long stepEndNanos;
  private long steps;
  private long preemptions;
  private long deaths;
  private long completed;
  private long generatedTokens;
  private long busyNanos;
  private boolean fastForward;
  private final DecodeRun run = new DecodeRun();
  /** Cached block identities; created on the first request with identities (caching on). */
  private PrefixCache cache;
  private long prefixQueries;
  private long prefixHits;

  public VllmEngine(EngineConfig config, PerfModel perf, EngineClock clock,
      EngineListener listener) {
    this.config = Objects.requireNonNull(config, "config");
    this.perf = Objects.requireNonNull(perf, "perf");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.blockSize = config.blockSize();
    this.blockShift = Integer.bitCount(blockSize) == 1 ? Integer.numberOfTrailingZeros(blockSize)
        : -1;
    this.running = new EngineRequest[config.maxNumSeqs()];
    this.freeBlocks = config.numGpuBlocks();
  }

  /**
   * Offers a new request. Returns null when it was queued; otherwise the immediate answer (400
   * context, 503 queue cap, or connection refused while dead) and the request never enters the
   * engine, so the listener hears nothing about it.
   */
  public Outcome submit(EngineRequest request) {
    if (request.state != EngineRequest.NEW) {
      throw new IllegalStateException("request " + request.id + " was already submitted");
    }
    interruptDecodeRun();
    if (dead) {
      request.state = EngineRequest.DONE;
      return UNAVAILABLE;
    }
    Outcome.ContextRejected tooLong =
        AdmissionErrors.check(request.promptTokens, request.maxTokens, config.maxModelLen());
    if (tooLong != null) {
      request.state = EngineRequest.DONE;
      return tooLong;
    }
    int cap = config.maxQueuedRequests();
    if (cap > 0 && waiting.size() + runningCount >= cap) {
      request.state = EngineRequest.DONE;
      return new Outcome.QueueFull(AdmissionErrors.queueFull(cap));
    }
    request.outputTarget =
        Math.min(request.outputTarget, config.maxModelLen() - request.promptTokens);
    request.state = EngineRequest.WAITING;
    waiting.addLast(request);
    return null;
  }

  /**
   * Plans one step at the clock's current time. Returns its duration in nanoseconds, or -1 when
   * there is nothing to run (idle, dead, or the step ran the GPUs out of memory and killed the
   * engine).
   */
  public long beginStep() {
    if (stepInFlight) {
      throw new IllegalStateException("a step is already in flight");
    }
    if (dead || (runningCount == 0 && waiting.isEmpty())) {
      return -1;
    }
    long now = clock.nowNanos();
    if (fastForward && waiting.isEmpty() && startDecodeRun(now)) {
      return stepEndNanos - now;
    }
    StepShape s = shape;
    s.reset();
    int budget = config.maxNumBatchedTokens();
    boolean preempted = false;
    for (int i = 0; i < runningCount && budget > 0; i++) {
      EngineRequest r = running[i];
      int need = r.tokens() - r.computed;
      int n = Math.min(need, budget);
      int blocksNeeded = ceilDiv(r.computed + n) - r.blocks;
      boolean victimWasSelf = false;
      while (blocksNeeded > freeBlocks) {
        EngineRequest victim = running[runningCount - 1];
        preempt(victim, now);
        preempted = true;
        if (victim == r) {
          victimWasSelf = true;
          break;
        }
      }
      if (victimWasSelf) {
        break;
      }
      allocate(blocksNeeded);
      r.blocks += blocksNeeded;
      r.scheduledTokens = n;
      budget -= n;
      s.add(r.computed, n, need == 1 && r.generated > 0);
    }
    if (!preempted) {
      while (budget > 0 && runningCount < running.length && !waiting.isEmpty()) {
        EngineRequest r = waiting.peekFirst();
        int hits = 0;
        int hitFree = 0;
        if (r.runHashes != null && r.computed == 0 && config.enablePrefixCaching()) {
          if (cache == null) {
            cache = new PrefixCache(config.numGpuBlocks(), r.runWidth);
          } else if (cache.width() != r.runWidth) {
            throw new IllegalArgumentException("request " + r.id + " has block runs of "
                + r.runWidth + ", this engine's cache holds runs of " + cache.width());
          }
          // vLLM get_computed_blocks: a fully cached prompt still recomputes its last token
          int max = Math.min(r.identifiedBlocks,
              Math.min(r.promptTokens, r.tokens() - 1) / blockSize);
          int width = r.runWidth;
          if (r.cacheEntries == null) {
            r.cacheEntries = new int[r.runHashes.length];
          }
          for (int u = 0; hits < max; u++) {
            int e = cache.find(r.runHashes[u]);
            if (e < 0) {
              break;
            }
            int got = Math.min(Math.min(width, max - hits), cache.fill(e));
            hitFree += cache.evictableAmong(e, got);
            r.cacheEntries[u] = e;
            hits += got;
            if (got < width) {
              break;
            }
          }
        }
        int start = hits * blockSize;
        int n = Math.min(r.tokens() - start, budget);
        int blocksNeeded = ceilDiv(start + n) - hits;
        if (blocksNeeded + hitFree > freeBlocks) {
          break;
        }
        waiting.pollFirst();
        if (r.runHashes != null && r.computed == 0 && config.enablePrefixCaching()) {
          takeHits(r, hits);
        }
        allocate(blocksNeeded);
        r.blocks += blocksNeeded;
        r.scheduledTokens = n;
        r.state = EngineRequest.RUNNING;
        if (r.cachedTokens < 0) {
          r.cachedTokens = r.computed;
        }
        if (r.firstScheduledNanos < 0) {
          r.firstScheduledNanos = now;
        }
        running[runningCount++] = r;
        budget -= n;
        s.add(r.computed, n, false);
      }
    }
    if (s.sequences == 0) {
      return -1;
    }
    if (config.memory().overflows(config.numGpuBlocks() - freeBlocks, s.tokens())) {
      kill("torch.OutOfMemoryError: CUDA out of memory (step of " + s.tokens()
          + " tokens with " + (config.numGpuBlocks() - freeBlocks) + " KV blocks in use)");
      return -1;
    }
    long duration = Math.max(1, perf.stepNanos(s));
    stepInFlight = true;
    stepStartNanos = now;
    stepEndNanos = now + duration;
    steps++;
    busyNanos += duration;
    return duration;
  }

  /** Applies the step planned by {@link #beginStep()}: tokens appear at the clock's now. */
  public void finishStep() {
    if (!stepInFlight) {
      throw new IllegalStateException("no step in flight");
    }
    stepInFlight = false;
    long now = clock.nowNanos();
    if (run.active) {
      finishDecodeRun();
      return;
    }
    long stepStart = stepStartNanos;
    int contiguous = 0;
    int kept = 0;
    EngineRequest[] run = running;
    int count = runningCount;
    for (int i = 0; i < count; i++) {
      EngineRequest r = run[i];
      int n = r.scheduledTokens;
      if (n > 0) {
        r.scheduledTokens = 0;
        r.computed += n;
        if (r.runHashes != null && !r.cacheStopped && cache != null) {
          registerBlocks(r);
        }
        if (r.computed == r.promptTokens + r.generated) {
          r.generated++;
          generatedTokens++;
          if (r.firstTokenNanos < 0) {
            r.firstTokenNanos = now;
            listener.firstToken(r, now);
          } else if (r.lastTokenNanos == stepStart) {
            contiguous++;
          } else {
            listener.tokens(1, now - r.lastTokenNanos);
          }
          r.lastTokenNanos = now;
          if (r.generated >= r.outputTarget) {
            freeRequestBlocks(r);
            r.state = EngineRequest.DONE;
            completed++;
            listener.finished(r, new Outcome.Completed(r.generated), now);
            continue;
          }
        }
      }
      run[kept++] = r;
    }
    for (int i = kept; i < count; i++) {
      run[i] = null;
    }
    runningCount = kept;
    if (contiguous > 0) {
      listener.tokens(contiguous, now - stepStart);
    }
  }

  /** Client abort: frees the request's blocks and ends it; false if it is no longer here. */
  public boolean abort(EngineRequest request) {
    interruptDecodeRun();
    if (request.state == EngineRequest.WAITING) {
      waiting.remove(request);
    } else if (request.state == EngineRequest.RUNNING) {
      int at = indexOfRunning(request);
      System.arraycopy(running, at + 1, running, at, runningCount - at - 1);
      running[--runningCount] = null;
      freeRequestBlocks(request);
      request.scheduledTokens = 0;
    } else {
      return false;
    }
    request.state = EngineRequest.DONE;
    listener.finished(request, ABORTED, clock.nowNanos());
    return true;
  }

  /**
   * Kills the engine (an injected fault, or CUDA OOM): every request it holds fails with vLLM's
   * EngineDeadError, and new ones are refused until {@link #restart()}.
   */
  public void kill(String cause) {
    if (dead) {
      return;
    }
    long now = clock.nowNanos();
    interruptDecodeRun();
    dead = true;
    deaths++;
    stepInFlight = false;
    listener.engineDied(cause, now);
    Outcome failed = new Outcome.EngineDead(cause);
    for (int i = 0; i < runningCount; i++) {
      EngineRequest r = running[i];
      running[i] = null;
      r.blocks = 0;
      r.cacheCount = 0;
      r.scheduledTokens = 0;
      r.state = EngineRequest.DONE;
      listener.finished(r, failed, now);
    }
    runningCount = 0;
    for (EngineRequest r = waiting.pollFirst(); r != null; r = waiting.pollFirst()) {
      r.blocks = 0;
      r.state = EngineRequest.DONE;
      listener.finished(r, failed, now);
    }
    freeBlocks = config.numGpuBlocks();
    if (cache != null) {
      cache.clear();
    }
  }

  /** Brings a dead engine back (after the driver's restart delay) with an empty cache. */
  public void restart() {
    dead = false;
  }

  /**
   * Lets the engine plan a run of pure decode steps as one event when nothing else can change
   * the batch: no request waits, every running request decodes, nobody finishes and the blocks
   * suffice. The steps, their durations and their tokens are exactly those of stepping one at a
   * time; any interaction in between (submit, abort, kill, reading the KV state) first brings the
   * engine to the step in progress. For simulation only: a real-time server streams each token.
   */
  public void setFastForward(boolean enabled) {
    interruptDecodeRun();
    this.fastForward = enabled;
  }

  /** Plans a decode run of at least two steps at {@code now}; false when one is not possible. */
  private boolean startDecodeRun(long now) {
    int n = runningCount;
    if (n == 0 || n > config.maxNumBatchedTokens() || config.memory() != MemoryLimit.NONE) {
      return false;
    }
    EngineRequest[] r = running;
    int steps = Integer.MAX_VALUE;
    long context = 0;
    for (int i = 0; i < n; i++) {
      EngineRequest q = r[i];
      if (q.generated == 0 || q.computed != q.promptTokens + q.generated - 1) {
        return false;
      }
      steps = Math.min(steps, q.outputTarget - q.generated);
      context += q.computed + 1;
    }
    steps = Math.min(steps - 1, DecodeRun.MAX_STEPS);
    if (steps < 2) {
      return false;
    }
    long blocksNeeded = 0;
    for (int i = 0; i < n; i++) {
      blocksNeeded += ceilDiv(r[i].computed + steps) - r[i].blocks;
    }
    if (blocksNeeded > freeBlocks) {
      return false;
    }
    StepShape s = shape;
    long end = now;
    for (int k = 0; k < steps; k++) {
      s.reset();
      s.sequences = n;
      s.decodeTokens = n;
      s.contextTokens = context + (long) n * k;
      s.attendedTokens = s.contextTokens;
      end += Math.max(1, perf.stepNanos(s));
      run.ends[k] = end;
    }
    run.active = true;
    run.steps = steps;
    run.startNanos = now;
    stepInFlight = true;
    stepStartNanos = now;
    stepEndNanos = end;
    return true;
  }

  /** The whole run ended: applies all its steps. */
  private void finishDecodeRun() {
    applyDecodeSteps(run.steps);
    run.active = false;
  }

  /**
   * Something interacts with the engine during a run: applies the steps completed by now and
   * leaves the step in progress in flight as an ordinary step (its end becomes
   * {@link #stepEndNanos()}).
   */
  private void interruptDecodeRun() {
    if (!run.active) {
      return;
    }
    long now = clock.nowNanos();
    int done = 0;
    while (done < run.steps && run.ends[done] <= now) {
      done++;
    }
    run.active = false;
    if (done == run.steps) {
      done--; // the last step ends right now: it stays in flight and its event finishes it
    }
    applyDecodeSteps(done);
    long start = done == 0 ? run.startNanos : run.ends[done - 1];
    int n = runningCount;
    for (int i = 0; i < n; i++) {
      EngineRequest q = running[i];
      int blocksNeeded = ceilDiv(q.computed + 1) - q.blocks;
      allocate(blocksNeeded);
      q.blocks += blocksNeeded;
      q.scheduledTokens = 1;
    }
    stepInFlight = true;
    stepStartNanos = start;
    stepEndNanos = run.ends[done];
    steps++;
    busyNanos += stepEndNanos - start;
  }

  /** Applies the first {@code count} decode steps of the run: tokens, blocks, ITL, counters. */
  private void applyDecodeSteps(int count) {
    if (count == 0) {
      return;
    }
    int n = runningCount;
    long firstEnd = run.ends[0];
    long last = run.ends[count - 1];
    int contiguous = 0;
    for (int i = 0; i < n; i++) {
      EngineRequest q = running[i];
      if (q.lastTokenNanos == run.startNanos) {
        contiguous++;
      } else {
        listener.tokens(1, firstEnd - q.lastTokenNanos);
      }
      q.computed += count;
      q.generated += count;
      q.lastTokenNanos = last;
      int blocksNeeded = ceilDiv(q.computed) - q.blocks;
      allocate(blocksNeeded);
      q.blocks += blocksNeeded;
    }
    if (contiguous > 0) {
      listener.tokens(contiguous, firstEnd - run.startNanos);
    }
    for (int k = 1; k < count; k++) {
      listener.tokens(n, run.ends[k] - run.ends[k - 1]);
    }
    steps += count;
    busyNanos += last - run.startNanos;
    generatedTokens += (long) n * count;
    run.startNanos = last;
  }

  private void preempt(EngineRequest victim, long now) {
    running[--runningCount] = null;
    freeRequestBlocks(victim);
    victim.computed = 0;
    victim.scheduledTokens = 0;
    victim.preemptions++;
    victim.state = EngineRequest.WAITING;
    preemptions++;
    waiting.addFirst(victim);
    listener.preempted(victim, now);
  }

  /**
   * Takes {@code blocks} free blocks: truly free ones first, then evicting the least recently
   * freed cached blocks (vLLM evicts on allocate).
   */
  private void allocate(int blocks) {
    freeBlocks -= blocks;
    if (cache != null && cache.evictable() > freeBlocks) {
      cache.evict(cache.evictable() - freeBlocks);
    }
  }

  /**
   * Takes the request's first {@code hits} blocks from the cache (the runs the admission scan
   * found, in {@code cacheEntries}); counts the query.
   */
  private void takeHits(EngineRequest r, int hits) {
    int width = r.runWidth;
    for (int u = 0, at = 0; at < hits; u++, at += width) {
      freeBlocks -= cache.acquire(r.cacheEntries[u], Math.min(width, hits - at));
    }
    r.cacheCount = hits;
    r.cacheStopped = false;
    r.blocks = hits;
    r.computed = hits * blockSize;
    prefixQueries += r.tokens();
    prefixHits += (long) hits * blockSize;
  }

  /** Gives the request's newly computed full prompt blocks their identity in the cache. */
  private void registerBlocks(EngineRequest r) {
    int full = Math.min(r.identifiedBlocks, Math.min(r.computed, r.promptTokens) / blockSize);
    int width = r.runWidth;
    while (r.cacheCount < full) {
      int u = r.cacheCount / width;
      int start = u * width;
      int j = r.cacheCount - start;
      int k = Math.min(width, full - start);
      if (j == 0) {
        long h = r.runHashes[u];
        if (cache.find(h) >= 0) {
          // computed concurrently by another request: this copy stays private
          r.cacheStopped = true;
          return;
        }
        r.cacheEntries[u] = cache.insert(h, k);
      } else {
        int e = r.cacheEntries[u];
        if (cache.fill(e) > j) {
          r.cacheStopped = true;
          return;
        }
        cache.extend(e, j, k);
      }
      r.cacheCount = start + k;
    }
  }

  /** Frees all blocks of the request; its cached ones stay cached (evictable when unheld). */
  private void freeRequestBlocks(EngineRequest r) {
    int cached = r.cacheCount;
    freeBlocks += r.blocks - cached;
    if (cached > 0) {
      int width = r.runWidth;
      // tail blocks first, so a prefix outlives its suffix (vLLM frees in reverse order)
      for (int u = (cached - 1) / width; u >= 0; u--) {
        freeBlocks += cache.release(r.cacheEntries[u], Math.min(width, cached - u * width));
      }
    }
    r.cacheCount = 0;
    r.blocks = 0;
  }

  private int indexOfRunning(EngineRequest request) {
    for (int i = 0; i < runningCount; i++) {
      if (running[i] == request) {
        return i;
      }
    }
    throw new IllegalStateException("request " + request.id + " is not running");
  }

  private int ceilDiv(int tokens) {
    return blockShift >= 0 ? (tokens + blockSize - 1) >>> blockShift
        : (tokens + blockSize - 1) / blockSize;
  }

  /** Checks the KV accounting; throws if blocks went negative, over capacity or astray. */
  public void checkInvariants() {
    interruptDecodeRun();
    long held = 0;
    for (int i = 0; i < runningCount; i++) {
      EngineRequest r = running[i];
      if (r.blocks < 0 || r.blocks < ceilDiv(r.computed) || r.cacheCount > r.blocks) {
        throw new IllegalStateException("bad block count for " + r);
      }
      held += r.blocks - r.cacheCount;
    }
    for (EngineRequest r : waiting) {
      if (r.blocks != 0 || r.cacheCount != 0) {
        throw new IllegalStateException("waiting request holds blocks: " + r);
      }
    }
    if (cache != null) {
      cache.check();
      held += cache.held();
      if (cache.evictable() > freeBlocks) {
        throw new IllegalStateException("evictable " + cache.evictable() + " > free "
            + freeBlocks);
      }
    }
    if (freeBlocks < 0 || freeBlocks > config.numGpuBlocks()
        || held + freeBlocks != config.numGpuBlocks()) {
      throw new IllegalStateException("KV accounting broken: free " + freeBlocks + ", held " + held
          + ", capacity " + config.numGpuBlocks());
    }
  }

  public EngineConfig config() {
    return config;
  }

  public PerfModel perf() {
    return perf;
  }

  public boolean isDead() {
    return dead;
  }

  public boolean stepInFlight() {
    return stepInFlight;
  }

  /** End time of the step in flight (valid while {@link #stepInFlight()}). */
  public long stepEndNanos() {
    return stepEndNanos;
  }

  public int waitingCount() {
    return waiting.size();
  }

  public int runningCount() {
    return runningCount;
  }

  /** Requests held: waiting plus running. */
  public int inFlight() {
    return waiting.size() + runningCount;
  }

  public int freeBlocks() {
    interruptDecodeRun();
    return freeBlocks;
  }

  public int usedBlocks() {
    return config.numGpuBlocks() - freeBlocks;
  }

  /**
   * {@code vllm:kv_cache_usage_perc}: the fraction of KV blocks in use by requests; evictable
   * cached blocks count as free, as in vLLM's {@code BlockPool.get_usage}.
   */
  public double kvCacheUsage() {
    return (double) usedBlocks() / config.numGpuBlocks();
  }

  /** {@code vllm:prefix_cache_queries}: prompt tokens looked up in the prefix cache. */
  public long prefixCacheQueries() {
    return prefixQueries;
  }

  /** {@code vllm:prefix_cache_hits}: of those, tokens found cached. */
  public long prefixCacheHits() {
    return prefixHits;
  }

  /** Cached blocks no request holds (free, but evicted only when needed). */
  public int evictableBlocks() {
    interruptDecodeRun();
    return cache == null ? 0 : cache.evictable();
  }

  public long steps() {
    return steps;
  }

  /** {@code vllm:num_preemptions_total}. */
  public long preemptions() {
    return preemptions;
  }

  public long deaths() {
    return deaths;
  }

  public long completed() {
    return completed;
  }

  /** {@code vllm:generation_tokens_total}. */
  public long generatedTokens() {
    return generatedTokens;
  }

  /** Total time spent in steps, in nanoseconds. */
  public long busyNanos() {
    return busyNanos;
  }
}
