package io.poolbench.harness.sim.calibrate;

import io.poolbench.harness.engine.EngineConfig;
import io.poolbench.harness.engine.EngineListener;
import io.poolbench.harness.engine.EngineRequest;
import io.poolbench.harness.engine.MemoryLimit;
import io.poolbench.harness.engine.Outcome;
import io.poolbench.harness.engine.VirtualClock;
import io.poolbench.harness.engine.VllmEngine;
import io.poolbench.harness.fleet.PoolSetup;
import io.poolbench.harness.perf.PerfModel;
import io.poolbench.traces.BadInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Replays a measured run's ok requests through the engine model in virtual time, each request on
 * the instance that served it in the run, so that the replay differs from the run only by the
 * step-time model (not by routing). Instances never share a request, so each one is a separate
 * event loop over its own arrivals and step ends, the same loop as the fleet simulator's (an
 * arrival at the very end of a step is handled after the step). Out-of-memory kills are off: the
 * run completed these requests.
 *
 * <p>Instance mapping: when every row names a pool of the fleet (a simulator run), a row goes to
 * instance {@code instance} of that pool; otherwise (a loadgen run, whose pool column is a target
 * label and whose instance column is the target index) target {@code t} is the fleet's
 * {@code t}-th instance counting pool by pool.
 */
public final class Replay {
  private final RecordedRun run;
  private final List<PoolSetup> pools;
  /** Per fleet instance, the indices of its requests in {@code run.requests()}, by arrival. */
  private final int[][] byInstance;
  /** Per fleet instance, its pool. */
  private final int[] poolOf;

  /**
   * A replay of {@code run} on {@code pools}.
   *
   * @throws BadInputException when the run used more instances than the fleet has
   */
  public Replay(RecordedRun run, List<PoolSetup> pools) {
    this.run = run;
    this.pools = List.copyOf(pools);
    int total = 0;
    int[] start = new int[pools.size()];
    for (int p = 0; p < pools.size(); p++) {
      start[p] = total;
      total += pools.get(p).instances();
    }
    poolOf = new int[total];
    for (int p = 0; p < pools.size(); p++) {
      Arrays.fill(poolOf, start[p], start[p] + pools.get(p).instances(), p);
    }
    List<String> names = pools.stream().map(PoolSetup::name).toList();
    boolean byPoolName = run.requests().stream().allMatch(r -> names.contains(r.pool()));
    Set<Integer> targets = new HashSet<>();
    List<List<Integer>> lists = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      lists.add(new ArrayList<>());
    }
    List<RecordedRequest> requests = run.requests();
    for (int i = 0; i < requests.size(); i++) {
      RecordedRequest r = requests.get(i);
      int target = Math.max(0, r.instance());
      int index;
      if (byPoolName) {
        int p = names.indexOf(r.pool());
        if (target >= pools.get(p).instances()) {
          throw new BadInputException(run.path() + ": request " + r.id() + " ran on instance "
              + target + " of pool '" + r.pool() + "', which has " + pools.get(p).instances()
              + " instances in the given settings (--instances or the fleet file)");
        }
        index = start[p] + target;
      } else {
        targets.add(target);
        index = target;
      }
      if (index >= total) {
        throw new BadInputException(run.path() + ": the run used target " + target + " but the "
            + "given settings have " + total + " instances; give --instances (or a fleet file) "
            + "with one instance per loadgen target");
      }
      lists.get(index).add(i);
    }
    byInstance = new int[total][];
    for (int i = 0; i < total; i++) {
      byInstance[i] = lists.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
  }

  /** The measured run. */
  public RecordedRun run() {
    return run;
  }

  /** The fleet's pools. */
  public List<PoolSetup> pools() {
    return pools;
  }

  /**
   * What a replay produced, per request in {@code run().requests()} order.
   *
   * @param ttftNanos replayed arrival to first token
   * @param e2eNanos replayed arrival to the end
   */
  public record Result(long[] ttftNanos, long[] e2eNanos) {}

  /** Replays every request with the step-time model {@code perf} gives each pool. */
  public Result replay(Function<PoolSetup, PerfModel> perf) {
    List<RecordedRequest> requests = run.requests();
    long[] ttft = new long[requests.size()];
    long[] e2e = new long[requests.size()];
    PerfModel[] models = new PerfModel[pools.size()];
    for (int p = 0; p < pools.size(); p++) {
      models[p] = perf.apply(pools.get(p));
    }
    for (int in = 0; in < byInstance.length; in++) {
      if (byInstance[in].length > 0) {
        replayInstance(byInstance[in], pools.get(poolOf[in]).engine(), models[poolOf[in]], ttft,
            e2e);
      }
    }
    return new Result(ttft, e2e);
  }

  private void replayInstance(int[] indices, EngineConfig config, PerfModel perf, long[] ttft,
      long[] e2e) {
    List<RecordedRequest> requests = run.requests();
    VirtualClock clock = new VirtualClock();
    EngineListener listener = new EngineListener() {
      @Override
      public void firstToken(EngineRequest request, long nanos) {}

      @Override
      public void tokens(int count, long interTokenNanos) {}

      @Override
      public void preempted(EngineRequest request, long nanos) {}

      @Override
      public void finished(EngineRequest request, Outcome outcome, long nanos) {
        int i = (int) request.id();
        e2e[i] = nanos - request.arrivalNanos();
        ttft[i] = request.firstTokenNanos() >= 0 ? request.firstTokenNanos()
            - request.arrivalNanos() : e2e[i];
      }

      @Override
      public void engineDied(String cause, long nanos) {}
    };
    VllmEngine engine = new VllmEngine(config.withMemory(MemoryLimit.NONE), perf, clock, listener);
    engine.setFastForward(true);
    int next = 0;
    while (next < indices.length || engine.inFlight() > 0) {
      boolean stepFirst = engine.stepInFlight() && (next >= indices.length
          || engine.stepEndNanos() <= requests.get(indices[next]).arrivalNanos());
      if (stepFirst) {
        clock.advanceTo(engine.stepEndNanos());
        engine.finishStep();
      } else if (next < indices.length) {
        int i = indices[next++];
        RecordedRequest r = requests.get(i);
        if (r.arrivalNanos() > clock.nowNanos()) {
          clock.advanceTo(r.arrivalNanos());
        }
        int target = r.generatedTokens();
        int max = r.maxTokens() > 0 ? Math.max(r.maxTokens(), target) : target;
        Outcome answer = engine.submit(new EngineRequest(i, r.promptTokens(), target, max,
            r.arrivalNanos()));
        if (answer != null) {
          // the settings reject a request the run served: the settings are not the run's
          throw new BadInputException(run.path() + ": request " + r.id() + " (" + r.promptTokens()
              + " prompt + " + max + " max tokens) completed in the run but the given settings "
              + "reject it (" + answer.kind().key() + "); check --max-model-len");
        }
      } else {
        throw new IllegalStateException(engine.inFlight() + " requests in flight but no step");
      }
      if (!engine.stepInFlight() && engine.inFlight() > 0) {
        engine.beginStep();
      }
    }
  }
}
