package io.poolbench.harness.mock;

import io.poolbench.harness.engine.EngineClock;
import io.poolbench.harness.engine.EngineListener;
import io.poolbench.harness.engine.EngineRequest;
import io.poolbench.harness.engine.Outcome;
import io.poolbench.harness.engine.VllmEngine;
import io.poolbench.harness.perf.PerfModel;
import io.poolbench.harness.perf.StepShape;
import java.util.ArrayList;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Runs one instance's {@link VllmEngine} on the real clock, on its own platform thread (never on
 * a Netty event loop). Other threads hand it work through {@link #execute}; it plans a step,
 * parks until the step's wall-clock end ({@code model duration / time scale}), applies it and
 * hands each choice's new tokens to its connection's event loop.
 *
 * <p>Model time: while the engine is busy, a step starts exactly where the previous one ended, so
 * wake-up jitter does not accumulate; when the driver falls more than 1 ms (wall) behind, or after
 * an idle spell, the next step starts at the current time. The lateness of every wake-up against
 * its planned end is recorded (the step-timing error).
 */
final class EngineDriver implements EngineListener, Runnable {
  private static final long MAX_LAG_WALL_NANOS = 1_000_000L;

  private final MockInstance instance;
  private final double timeScale;
  private final long originWall = System.nanoTime();
  private final ModelClock clock = new ModelClock();
  private final SlowablePerf perf;
  private final InstanceSpec spec;
  private final MockSettings settings;
  /** Replaced on restart, like a restarted vLLM process; driver thread only. */
  VllmEngine engine;
  /** Replaced on restart (counters start again from 0); driver thread only. */
  MockMetrics metrics;
  private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private final ArrayList<Choice> started = new ArrayList<>();
  private final TokenDeliveries deliveries = new TokenDeliveries();
  private final Histogram timingErrors = new Histogram(60_000_000_000L, 3);
  private final SplittableRandom random;
  private final Thread thread;
  private volatile boolean running = true;
  private boolean continuous;
  private long stepEndModel;
  private long stepEndWall;
  private long slowUntilWall = Long.MAX_VALUE;
  private long nextFaultWall = Long.MAX_VALUE;
  private long nextEngineRequestId;

  /** The engine's clock: model nanoseconds, moved only by the driver. */
  private static final class ModelClock implements EngineClock {
    long now;

    @Override
    public long nowNanos() {
      return now;
    }
  }

  /** Delegates to the instance's perf model, stretched by the slow-down factor. */
  private static final class SlowablePerf implements PerfModel {
    final PerfModel base;
    double factor;
    int lastStepTokens;

    SlowablePerf(PerfModel base, double factor) {
      this.base = base;
      this.factor = factor;
    }

    @Override
    public long stepNanos(StepShape step) {
      lastStepTokens = step.tokens();
      long nanos = base.stepNanos(step);
      return factor == 1.0 ? nanos : (long) (nanos * factor);
    }

    @Override
    public String describe() {
      return base.describe() + (factor == 1.0 ? "" : " x" + factor);
    }
  }

  EngineDriver(MockInstance instance, InstanceSpec spec, MockSettings settings, long seed) {
    this.instance = instance;
    this.timeScale = settings.timeScale();
    this.perf = new SlowablePerf(spec.perf(), settings.faults().slowdown());
    this.spec = spec;
    this.settings = settings;
    this.engine = new VllmEngine(spec.engine(), perf, clock, this);
    this.metrics = new MockMetrics(settings.metricsStyle(), spec.modelName(), spec.engine());
    this.random = new SplittableRandom(seed);
    this.thread = new Thread(this, "mock-engine-" + spec.pool() + "-" + spec.indexInPool());
    this.thread.setDaemon(true);
    // Steps are timed on this thread: with -XX:ThreadPriorityPolicy=1 (root or CAP_SYS_NICE)
    // the JVM maps this to a lower nice value, so a busy machine delays its wake-ups less.
    this.thread.setPriority(Thread.MAX_PRIORITY);
    scheduleFault();
  }

  void start() {
    thread.start();
  }

  void stop() {
    running = false;
    LockSupport.unpark(thread);
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs {@code command} on the driver's thread, soon. */
  void execute(Runnable command) {
    commands.add(command);
    LockSupport.unpark(thread);
  }

  /** Computes {@code value} on the driver's thread. */
  <T> CompletableFuture<T> call(Supplier<T> value) {
    CompletableFuture<T> f = new CompletableFuture<>();
    execute(() -> {
      try {
        f.complete(value.get());
      } catch (RuntimeException e) {
        f.completeExceptionally(e);
      }
    });
    return f;
  }

  /** Model nanoseconds at wall time {@code wallNanos}. */
  long modelNanos(long wallNanos) {
    return (long) ((wallNanos - originWall) * timeScale);
  }

  private long wallNanos(long modelNanos) {
    return originWall + (long) (modelNanos / timeScale);
  }

  @Override
  public void run() {
    while (running) {
      Runnable c;
      while ((c = commands.poll()) != null) {
        c.run();
      }
      deliveries.flush();
      long now = System.nanoTime();
      if (now >= nextFaultWall) {
        nextFaultWall = Long.MAX_VALUE;
        if (!engine.isDead()) {
          engine.kill("injected fault (mean time between faults)");
          deliveries.flush();
        }
      }
      if (now >= slowUntilWall) {
        slowUntilWall = Long.MAX_VALUE;
        perf.factor = 1.0;
      }
      if (!engine.stepInFlight() && !engine.isDead() && engine.inFlight() > 0) {
        long scaledNow = modelNanos(now);
        long start = continuous
            ? Math.max(clock.now, scaledNow - (long) (MAX_LAG_WALL_NANOS * timeScale))
            : Math.max(clock.now, scaledNow);
        clock.now = start;
        long duration = engine.beginStep();
        if (duration > 0) {
          stepEndModel = start + duration;
          stepEndWall = wallNanos(stepEndModel);
          metrics.iterationTokens.observe(perf.lastStepTokens);
        } else {
          continuous = false;
          deliveries.flush();
        }
      }
      if (engine.stepInFlight()) {
        long remaining = stepEndWall - System.nanoTime();
        if (remaining > 0) {
          LockSupport.parkNanos(this, Math.min(remaining, nextTimer(now) - now));
          continue;
        }
        timingErrors.recordValue(Math.min(-remaining, timingErrors.getHighestTrackableValue()));
        clock.now = stepEndModel;
        engine.finishStep();
        deliverStep(stepEndModel);
        deliveries.flush();
        continuous = true;
      } else {
        continuous = false;
        long timer = nextTimer(now);
        if (commands.isEmpty()) {
          if (timer == Long.MAX_VALUE) {
            LockSupport.park(this);
          } else {
            LockSupport.parkNanos(this, timer - now);
          }
        }
      }
    }
  }

  private long nextTimer(long now) {
    long t = Math.min(nextFaultWall, slowUntilWall);
    return t == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(t, now + 1);
  }

  // ---- commands (driver thread) ----

  /** Submits an exchange's choices, or rejects it (engine dead, queue cap). */
  void submit(Exchange ex) {
    if (ex.cancelled) {
      return;
    }
    if (engine.isDead() || !instance.isServing()) {
      ex.postRejected(instance.deadError());
      return;
    }
    int cap = engine.config().maxQueuedRequests();
    if (cap > 0 && engine.inFlight() + ex.choices.length > cap) {
      ex.postRejected(new ApiError(503, "QueueOverflowError",
          io.poolbench.harness.engine.AdmissionErrors.queueFull(cap), null));
      return;
    }
    long arrival = ex.arrivalModelNanos;
    for (Choice c : ex.choices) {
      EngineRequest r = new EngineRequest(nextEngineRequestId++, c.promptTokens, c.target,
          c.maxTokens, arrival);
      if (c.blockHashes != null) {
        r.blockHashes(c.blockHashes);
      }
      r.attachment = c;
      c.engineRequest = r;
      Outcome rejected = engine.submit(r);
      if (rejected != null) {
        c.engineRequest = null;
        abort(ex);
        ex.postRejected(rejected instanceof Outcome.ContextRejected context
            ? ApiError.badRequest(context.message()) : instance.deadError());
        return;
      }
    }
    metrics.nParam.observe(ex.request.n());
    ex.postAccepted();
  }

  /** Aborts an exchange's choices still in the engine (client disconnect). */
  void abort(Exchange ex) {
    if (ex.choices == null) {
      return;
    }
    for (Choice c : ex.choices) {
      if (c.engineRequest != null) {
        engine.abort(c.engineRequest);
      }
    }
  }

  /** A fresh engine and fresh metrics after a death, as a restarted vLLM process has. */
  void restartEngine() {
    started.clear();
    engine = new VllmEngine(spec.engine(), perf, clock, this);
    metrics = new MockMetrics(settings.metricsStyle(), spec.modelName(), spec.engine());
    continuous = false;
  }

  void slowDown(double factor, long forWallNanos) {
    perf.factor = factor;
    slowUntilWall = forWallNanos > 0 ? System.nanoTime() + forWallNanos : Long.MAX_VALUE;
  }

  /** Draws the next random engine death, if the fault plan has a mean time between faults. */
  void scheduleFault() {
    long mtbf = instance.settings().faults().mtbfNanos();
    if (mtbf > 0) {
      double gap = -mtbf * Math.log(1 - random.nextDouble());
      nextFaultWall = System.nanoTime() + (long) gap;
    }
  }

  Histogram timingErrorsCopy() {
    return timingErrors.copy();
  }

  long modelNow() {
    return clock.now;
  }

  // ---- token delivery (driver thread) ----

  private void deliverStep(long nowModel) {
    ArrayList<Choice> list = started;
    for (int i = 0, n = list.size(); i < n; i++) {
      Choice c = list.get(i);
      int g = c.engineRequest.generatedTokens();
      int k = g - c.driverDelivered;
      if (k > 0) {
        account(c, k, nowModel);
        deliveries.add(c, k, null);
      }
    }
  }

  private void account(Choice c, int k, long nowModel) {
    if (c.driverDelivered > 0) {
      double gap = Math.max(0, nowModel - c.driverLastTokenNanos) / 1e9 / k;
      for (int j = 0; j < k; j++) {
        metrics.itl.observe(gap);
      }
    }
    c.driverDelivered += k;
    c.driverLastTokenNanos = nowModel;
    metrics.generationTokens += k;
  }

  @Override
  public void firstToken(EngineRequest request, long nanos) {
    Choice c = (Choice) request.attachment;
    c.cachedTokens = Math.max(0, request.cachedTokens());
    c.driverSlot = started.size();
    started.add(c);
    metrics.ttft.observe(Math.max(0, nanos - request.arrivalNanos()) / 1e9);
    metrics.promptTokens += request.promptTokens();
  }

  @Override
  public void tokens(int count, long interTokenNanos) {}

  @Override
  public void preempted(EngineRequest request, long nanos) {}

  @Override
  public void finished(EngineRequest request, Outcome outcome, long nanos) {
    Choice c = (Choice) request.attachment;
    if (c.driverSlot >= 0) {
      Choice last = started.remove(started.size() - 1);
      if (last != c) {
        started.set(c.driverSlot, last);
        last.driverSlot = c.driverSlot;
      }
      c.driverSlot = -1;
    }
    int k = request.generatedTokens() - c.driverDelivered;
    if (k > 0) {
      account(c, k, nanos);
    }
    switch (outcome) {
      case Outcome.Completed done -> {
        metrics.finished(c.finishReason());
        observeRequest(request, nanos);
      }
      case Outcome.Aborted a -> metrics.finished("abort");
      default -> metrics.finished("error");
    }
    deliveries.add(c, Math.max(k, 0), outcome);
  }

  private void observeRequest(EngineRequest r, long end) {
    long arrival = r.arrivalNanos();
    long scheduled = Math.max(arrival, r.firstScheduledNanos());
    long first = Math.max(scheduled, r.firstTokenNanos());
    metrics.e2e.observe((end - arrival) / 1e9);
    metrics.queue.observe((scheduled - arrival) / 1e9);
    metrics.inference.observe((end - scheduled) / 1e9);
    metrics.prefill.observe((first - scheduled) / 1e9);
    metrics.decode.observe((end - first) / 1e9);
    metrics.promptLen.observe(r.promptTokens());
    metrics.generationLen.observe(r.generatedTokens());
    metrics.maxTokensParam.observe(r.maxTokens());
    if (r.generatedTokens() > 1) {
      metrics.requestTpot.observe((end - first) / 1e9 / (r.generatedTokens() - 1));
    }
  }

  @Override
  public void engineDied(String cause, long nanos) {
    continuous = false;
    instance.engineDied(cause);
  }
}
