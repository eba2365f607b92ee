package io.poolbench.harness.sim;

import io.poolbench.harness.engine.BlockHashes;
import io.poolbench.harness.engine.EngineListener;
import io.poolbench.harness.engine.EngineRequest;
import io.poolbench.harness.engine.Outcome;
import io.poolbench.harness.engine.VirtualClock;
import io.poolbench.harness.engine.VllmEngine;
import io.poolbench.harness.fleet.FaultSetup;
import io.poolbench.harness.fleet.PoolSetup;
import io.poolbench.reports.rundir.OutcomeKind;
import io.poolbench.reports.rundir.RoutingLogWriter;
import io.poolbench.reports.rundir.RunRecorder;
import io.poolbench.router.PoolPressure;
import io.poolbench.traces.TraceDigest;
import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSource;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Runs a trace through a fleet in virtual time. Single-threaded and deterministic for a given
 * trace, fleet, routing and seed: events at equal times are handled in the order they were
 * scheduled, and all randomness (fault times) comes from the seed.
 *
 * <p>Every arrival ends in exactly one outcome, recorded once into the {@link RunRecorder}: the
 * engine's answer (completed, 400, 503, 500 on engine death), connection refused when every
 * instance of the chosen pool is down, or a context fallback to the next larger pool when the
 * chosen one answers 400 (counted as a misroute). The step loop allocates nothing per token or
 * per step; per request it allocates the engine request, its simulator state and the outcome.
 */
public final class FleetSimulator {
  private final List<PoolSetup> pools;
  private final Routing routing;
  private final RunRecorder recorder;
  private RoutingLogWriter routingLog;
  private long routingSampleNanos;
  private long nextRoutingSample;
  private final FaultSetup faults;
  private final boolean sendOutputAsMaxTokens;
  private boolean fastForward = true;
  private long clientTimeoutNanos;
  /** In-flight requests in arrival order, for client timeouts (same timeout for all). */
  private final java.util.ArrayDeque<SimRequest> timeouts = new java.util.ArrayDeque<>();
  private final VirtualClock clock = new VirtualClock();
  private final EventQueue events = new EventQueue();
  private final Instance[] instances;
  private final int[] poolStart;
  private final int[] poolInFlight;
  private final SplittableRandom random;
  private final PoolPressure load;
  private final Routing.Health health;
  private long inFlight;
  private long arrivals;
  private final TraceDigest digest = new TraceDigest();
  private long outputTokens;

  /** One simulated vLLM instance. */
  private final class Instance implements EngineListener {
    final int index;
    final int pool;
    final int indexInPool;
    final VllmEngine engine;

    Instance(int index, int pool, int indexInPool, PoolSetup setup) {
      this.index = index;
      this.pool = pool;
      this.indexInPool = indexInPool;
      this.engine = new VllmEngine(setup.engine(), setup.perf(), clock, this);
      this.engine.setFastForward(fastForward);
    }

    @Override
    public void firstToken(EngineRequest request, long nanos) {}

    @Override
    public void tokens(int count, long interTokenNanos) {
      recorder.recordItl(pool, count, interTokenNanos);
    }

    @Override
    public void preempted(EngineRequest request, long nanos) {}

    @Override
    public void finished(EngineRequest request, Outcome outcome, long nanos) {
      inFlight--;
      poolInFlight[pool]--;
      complete((SimRequest) request.attachment, request, outcome, nanos);
    }

    @Override
    public void engineDied(String cause, long nanos) {
      recorder.recordEngineDeath(pool);
      events.add(nanos + faults.restartNanos(), EventQueue.RESTART, index);
    }
  }

  /**
   * A simulator for one run.
   *
   * @param pools the fleet's pools, in the router's pool order
   * @param routing the router seam
   * @param recorder where outcomes go
   * @param faults injected faults and the restart delay
   * @param sendOutputAsMaxTokens when a trace row declares no max_tokens, send its output length
   *     as max_tokens (a replay with {@code ignore_eos}); otherwise send none
   * @param seed seed of the fault times
   */
  public FleetSimulator(List<PoolSetup> pools, Routing routing, RunRecorder recorder,
      FaultSetup faults, boolean sendOutputAsMaxTokens, long seed) {
    this.pools = List.copyOf(pools);
    this.routing = routing;
    this.recorder = recorder;
    this.faults = faults;
    this.sendOutputAsMaxTokens = sendOutputAsMaxTokens;
    this.random = new SplittableRandom(seed);
    int total = 0;
    poolStart = new int[pools.size() + 1];
    for (int p = 0; p < pools.size(); p++) {
      poolStart[p] = total;
      total += pools.get(p).instances();
    }
    poolStart[pools.size()] = total;
    instances = new Instance[total];
    for (int p = 0; p < pools.size(); p++) {
      for (int i = 0; i < pools.get(p).instances(); i++) {
        instances[poolStart[p] + i] = new Instance(poolStart[p] + i, p, i, pools.get(p));
      }
    }
    poolInFlight = new int[pools.size()];
    int[] capacity = pools.stream().mapToInt(PoolSetup::capacity).toArray();
    load = pool -> (double) poolInFlight[pool] / capacity[pool];
    health = (pool, instance) -> poolStart[pool] + instance >= poolStart[pool + 1]
        || instances[poolStart[pool] + instance].engine.isDead();
  }

  /** What a finished run measured besides the recorder's files. */
  public record Result(long arrivals, long endNanos, long outputTokens, long preemptions,
      long engineDeaths, long steps, String traceDigest) {}

  /** Runs every request of {@code source} to its outcome. */
  public Result run(TraceSource source) {
    try (Stream<TraceRequest> stream = source.open()) {
      return run(stream.iterator());
    }
  }

  Result run(Iterator<TraceRequest> trace) {
    scheduleFaults();
    TraceRequest next = trace.hasNext() ? trace.next() : null;
    while (next != null || inFlight > 0) {
      long timeoutAt = nextTimeout();
      if (timeoutAt >= 0 && (next == null || timeoutAt < next.arrivalNanos())
          && (events.isEmpty() || timeoutAt < events.peekTime())) {
        if (timeoutAt > clock.nowNanos()) {
          clock.advanceTo(timeoutAt);
          advance(timeoutAt);
        }
        timeOut(timeouts.pollFirst());
        continue;
      }
      if (next != null && (events.isEmpty() || next.arrivalNanos() < events.peekTime())) {
        if (next.arrivalNanos() > clock.nowNanos()) {
          clock.advanceTo(next.arrivalNanos());
          advance(next.arrivalNanos());
        }
        arrive(next);
        next = trace.hasNext() ? trace.next() : null;
        continue;
      }
      if (events.isEmpty()) {
        throw new IllegalStateException(inFlight + " requests in flight but no events at "
            + clock.nowNanos() + " ns");
      }
      events.pop();
      if (events.time > clock.nowNanos()) {
        clock.advanceTo(events.time);
        advance(events.time);
      }
      handle(events.type, instances[events.target], events.time, next != null);
    }
    if (routingLog != null) {
      routing.sampleEstimator(clock.nowNanos() / 1e9, routingLog);
      routing.finishLog(routingLog);
    }
    long preemptions = 0;
    long deaths = 0;
    long steps = 0;
    for (Instance in : instances) {
      preemptions += in.engine.preemptions();
      deaths += in.engine.deaths();
      steps += in.engine.steps();
    }
    return new Result(arrivals, clock.nowNanos(), outputTokens, preemptions, deaths, steps,
        digest.toString());
  }

  /**
   * Samples the estimator into routing.json every {@code intervalNanos} of virtual time, and sets
   * its estimate-error histogram at the end of {@link #run}.
   */
  public FleetSimulator withRoutingLog(RoutingLogWriter log, long intervalNanos) {
    this.routingLog = log;
    this.routingSampleNanos = intervalNanos;
    this.nextRoutingSample = intervalNanos;
    return this;
  }

  /** Moves the recorder (and the routing log's sampling) to {@code nowNanos}. */
  private void advance(long nowNanos) {
    recorder.advanceTo(nowNanos);
    while (routingLog != null && nowNanos >= nextRoutingSample) {
      routing.sampleEstimator(nextRoutingSample / 1e9, routingLog);
      nextRoutingSample += routingSampleNanos;
    }
  }

  /** Deadline of the oldest request still in flight, or -1 (drops finished ones). */
  private long nextTimeout() {
    if (clientTimeoutNanos <= 0) {
      return -1;
    }
    SimRequest head = timeouts.peekFirst();
    while (head != null && head.engineRequest == null) {
      timeouts.pollFirst();
      head = timeouts.peekFirst();
    }
    return head == null ? -1 : head.trace.arrivalNanos() + clientTimeoutNanos;
  }

  /** The client gives up: the engine aborts the request (freeing its blocks). */
  private void timeOut(SimRequest r) {
    Instance in = instances[r.fleetInstance];
    long plannedEnd = in.engine.stepInFlight() ? in.engine.stepEndNanos() : -1;
    in.engine.abort(r.engineRequest);
    if (in.engine.stepInFlight() && in.engine.stepEndNanos() != plannedEnd) {
      events.add(in.engine.stepEndNanos(), EventQueue.STEP, in.index);
    }
  }

  private void handle(byte type, Instance in, long time, boolean arrivalsLeft) {
    switch (type) {
      case EventQueue.STEP -> {
        // a step event is stale when the engine died (and maybe restarted) since it was planned
        if (in.engine.stepInFlight() && in.engine.stepEndNanos() == time) {
          in.engine.finishStep();
          startStep(in);
        }
      }
      case EventQueue.RESTART -> {
        if (in.engine.isDead()) {
          in.engine.restart();
        }
      }
      case EventQueue.FAULT -> {
        if (!in.engine.isDead()) {
          in.engine.kill("injected fault");
        }
        if (faults.mtbfNanos() > 0 && arrivalsLeft) {
          scheduleMtbf(in, faults.restartNanos());
        }
      }
      default -> throw new IllegalStateException("unknown event type " + type);
    }
  }

  private void scheduleFaults() {
    if (faults.mtbfNanos() > 0) {
      for (Instance in : instances) {
        scheduleMtbf(in, 0);
      }
    }
    for (FaultSetup.At at : faults.at()) {
      if (at.pool() >= pools.size() || at.instance() >= pools.get(at.pool()).instances()) {
        throw new IllegalArgumentException("fault target pool " + at.pool() + " instance "
            + at.instance() + " does not exist");
      }
      events.add(at.atNanos(), EventQueue.FAULT, poolStart[at.pool()] + at.instance());
    }
  }

  private void scheduleMtbf(Instance in, long after) {
    double u = random.nextDouble();
    long gap = (long) (-Math.log1p(-u) * faults.mtbfNanos());
    events.add(clock.nowNanos() + after + Math.max(1, gap), EventQueue.FAULT, in.index);
  }

  private void arrive(TraceRequest t) {
    long id = arrivals++;
    digest.add(t);
    int maxTokens = t.hasMaxTokens() ? t.maxTokens() : sendOutputAsMaxTokens
        ? Math.max(1, t.outputTokens()) : 0;
    SimRequest r = new SimRequest(id, t, maxTokens);
    routing.route(r, load);
    if (r.pool < 0) {
      record(r, OutcomeKind.NOT_SENT, 0, null, clock.nowNanos());
      return;
    }
    if (r.spilled) {
      recorder.recordSpillover(r.pool);
    }
    submit(r);
  }

  private void submit(SimRequest r) {
    int picked = routing.pick(r, health, clock.nowNanos());
    TraceRequest t = r.trace;
    if (picked < 0) {
      r.instance = -1;
      record(r, OutcomeKind.TRANSPORT_ERROR, 0, null, clock.nowNanos());
      return;
    }
    Instance in = instances[poolStart[r.pool] + picked];
    r.instance = picked;
    EngineRequest er = new EngineRequest(r.id, t.promptTokens(), t.outputTokens(),
        r.sentMaxTokens, t.arrivalNanos());
    er.attachment = r;
    if (t.prefixHashes() != null && in.engine.config().enablePrefixCaching()) {
      BlockHashes.applyIds(er, t.prefixHashes(), BlockHashes.MOONCAKE_TOKENS_PER_ID,
          in.engine.config().blockSize());
    }
    long plannedEnd = in.engine.stepInFlight() ? in.engine.stepEndNanos() : -1;
    Outcome answer = in.engine.submit(er);
    if (in.engine.stepInFlight() && in.engine.stepEndNanos() != plannedEnd) {
      // a decode run was cut at the step in progress; its old end event goes stale
      events.add(in.engine.stepEndNanos(), EventQueue.STEP, in.index);
    }
    if (answer == null) {
      inFlight++;
      poolInFlight[r.pool]++;
      if (clientTimeoutNanos > 0) {
        r.engineRequest = er;
        r.fleetInstance = in.index;
        timeouts.addLast(r);
      }
      if (!in.engine.stepInFlight()) {
        startStep(in);
      }
      return;
    }
    if (answer instanceof Outcome.ContextRejected) {
      recorder.recordMisroute(r.pool);
      if (routing.fallback(r)) {
        submit(r);
        return;
      }
    }
    complete(r, er, answer, clock.nowNanos());
  }

  private void startStep(Instance in) {
    long d = in.engine.beginStep();
    if (d > 0) {
      events.add(clock.nowNanos() + d, EventQueue.STEP, in.index);
    }
  }

  private void complete(SimRequest r, EngineRequest er, Outcome outcome, long nanos) {
    r.engineRequest = null;
    OutcomeKind kind = outcome.kind();
    long arrival = r.trace.arrivalNanos();
    long queue = er.firstScheduledNanos() >= 0 ? er.firstScheduledNanos() - arrival : -1;
    long ttft = er.firstTokenNanos() >= 0 ? er.firstTokenNanos() - arrival : -1;
    long e2e = nanos - arrival;
    if (kind == OutcomeKind.OK) {
      outputTokens += er.generatedTokens();
    }
    recorder.recordRequest(r.id, arrival, r.pool, r.instance, r.trace.category(),
        r.trace.promptTokens(), r.trace.outputTokens(), r.sentMaxTokens > 0 ? r.sentMaxTokens : -1,
        kind, outcome.httpStatus(), queue, ttft, e2e, er.generatedTokens(), er.preemptions(),
        er.cachedTokens());
    routing.feedback(r, kind, r.trace.promptTokens(), er.generatedTokens(), e2e);
  }

  private void record(SimRequest r, OutcomeKind kind, int status, EngineRequest er, long nanos) {
    recorder.recordRequest(r.id, r.trace.arrivalNanos(), r.pool, r.instance, r.trace.category(),
        r.trace.promptTokens(), r.trace.outputTokens(), r.sentMaxTokens > 0 ? r.sentMaxTokens : -1,
        kind, status, -1, -1, nanos - r.trace.arrivalNanos(), 0, 0);
    routing.feedback(r, kind, r.trace.promptTokens(), 0, nanos - r.trace.arrivalNanos());
  }

  /**
   * Turns the engines' decode runs off (on by default), so that every step is its own event;
   * results are the same either way, only slower.
   */
  public FleetSimulator withoutFastForward() {
    fastForward = false;
    for (Instance in : instances) {
      in.engine.setFastForward(false);
    }
    return this;
  }

  /**
   * Makes clients abort requests still unfinished {@code nanos} after their arrival (outcome
   * {@code timeout}); 0 (the default) waits forever, as vLLM's clients do by default.
   */
  public FleetSimulator withClientTimeout(long nanos) {
    this.clientTimeoutNanos = Math.max(0, nanos);
    return this;
  }

  /** Requests currently inside engines. */
  public long inFlight() {
    return inFlight;
  }
}
