package io.poolbench.loadgen;

import io.poolbench.loadgen.http.ExchangeResult;
import io.poolbench.loadgen.http.LoadClient;
import io.poolbench.loadgen.http.LoopbackSink;
import io.poolbench.loadgen.metrics.EngineWatch;
import io.poolbench.reports.rundir.OutcomeKind;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.reports.rundir.RunRecorder;
import io.poolbench.reports.rundir.Summary;
import io.poolbench.traces.BadInputException;
import io.poolbench.traces.TraceDigest;
import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.TraceSource;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.util.Arrays;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * One open-loop load run: replays a trace against the targets and writes a run directory.
 *
 * <p>Three kinds of thread: the caller's, which walks the plan ({@link OpenLoopScheduler}); the
 * HTTP client's I/O threads, which time responses as bytes arrive and hand each finished row to a
 * queue; and one recording thread, the only one that touches the run recorder and the statistics.
 * Every row of the (sharded) trace ends in exactly one outcome: rows not sent because the run was
 * stopped are {@code not_sent}; rows still in flight when the stop grace runs out are
 * {@code timeout} (the client gave up on them).
 */
public final class LoadRun {

  /** How long in-flight requests may still finish after a stop before they are abandoned. */
  public static final long STOP_GRACE_SECONDS = 30;

  private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(STOP_GRACE_SECONDS);

  /** Most rows prepared (body built) ahead of their send time. */
  static final int LOOKAHEAD_ROWS = 4096;

  /** Connections opened per target before the start (so the first rows find them open). */
  static final int WARM_CONNECTIONS = 16;

  /**
   * Exchanges sent to a loopback sink in this process before the start (JIT warm-up), by default;
   * {@value #JIT_WARMUP_PROPERTY} sets another number (0: none).
   */
  static final int JIT_WARMUP_EXCHANGES = 6_000;

  /** The system property that sets the number of loopback warm-up exchanges. */
  static final String JIT_WARMUP_PROPERTY = "poolbench.loadgen.jitWarmupExchanges";

  /** The loopback warm-up stops after this long, whatever the number sent. */
  static final long JIT_WARMUP_MAX_NANOS = TimeUnit.SECONDS.toNanos(4);

  /** Loopback warm-up exchanges in flight at once, and content chunks per answer. */
  static final int JIT_WARMUP_WINDOW = 32;

  static final int JIT_WARMUP_CHUNKS = 16;

  /** Most body bytes prepared ahead of their send time. */
  static final long LOOKAHEAD_BYTES = 64L << 20;

  private final LoadgenSettings settings;
  private final TraceSource source;
  private final RequestFactory requests;
  private final Conversations conversations;
  private final RunDirectory dir;
  private final PrintStream status;
  private final OpenLoopScheduler scheduler;
  private final List<String> poolNames;
  private final Map<String, Integer> poolIndex = new HashMap<>();
  private final BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicLong inFlightMax = new AtomicLong();
  private final AtomicLong sentRows = new AtomicLong();
  private final AtomicLong dueRows = new AtomicLong();
  private final AtomicLong unknownPools = new AtomicLong();
  private volatile boolean stopRequested;
  private volatile boolean abandoning;
  private long startNanos;
  private final long warmupNanos;
  private final Map<String, Long> warmupOutcomes = new java.util.TreeMap<>();
  private final Map<String, Long> warmupRequestOutcomes = new java.util.TreeMap<>();
  private EngineWatch engines;
  private Writer itls;
  private Instant startAt;
  private volatile Instant planStart;
  private volatile long plannedSpanNanos = -1;
  private volatile boolean planDone;
  private boolean sharedWithServers;
  private ToolMeter meter;
  private final List<String> preflightProblems = new java.util.concurrent.CopyOnWriteArrayList<>();
  private Map<String, Object> jitWarmup;
  private final int jitWarmupExchanges;

  /**
   * The outcome of a run.
   *
   * @param summary what summary.json holds
   * @param client what loadgen.json holds
   * @param traceDigest the digest of the rows this run planned (its shard)
   * @param plannedRows rows this run planned
   */
  public record Result(Summary summary, Map<String, Object> client, String traceDigest,
      long plannedRows) {}

  public LoadRun(LoadgenSettings settings, TraceSource source, RequestFactory requests,
      RunDirectory dir, PrintStream status) {
    this.settings = settings;
    this.source = source;
    this.requests = requests;
    this.conversations = settings.actualAnswers()
        ? new Conversations(requests.extraTokensPerTurn()) : null;
    this.dir = dir;
    this.status = status;
    this.scheduler = new OpenLoopScheduler(settings.maxConcurrency());
    this.warmupNanos = settings.warmup().toNanos();
    this.jitWarmupExchanges = jitWarmupExchanges(System.getProperty(JIT_WARMUP_PROPERTY));
    this.poolNames = settings.poolNames();
    for (int i = 0; i < poolNames.size(); i++) {
      poolIndex.put(poolNames.get(i), i);
    }
  }

  /**
   * Instances per pool as far as the settings tell: each target is its own pool (1) when no
   * pools are named; else the engines whose metrics are read in each pool; else unknown (-1),
   * as behind a router whose endpoints the load generator does not see.
   */
  public static int[] instancesPerPool(LoadgenSettings settings) {
    List<String> names = settings.poolNames();
    int[] n = new int[names.size()];
    if (settings.pools().isEmpty()) {
      Arrays.fill(n, 1);
      return n;
    }
    Arrays.fill(n, -1);
    for (var e : settings.scrapeMetrics()) {
      int i = names.indexOf(e.pool());
      if (i >= 0) {
        n[i] = Math.max(n[i], 0) + 1;
      }
    }
    return n;
  }

  /**
   * The {@link System#nanoTime()} of the run's time zero (the first row's planned send time is
   * measured from it); 0 before {@link #run()} fixed it. Read it from the thread that ran the run.
   */
  public long startNanos() {
    return startNanos;
  }

  /**
   * Makes the plan's t=0 the wall-clock instant {@code at} (a start barrier: shards given the same
   * instant line up as far as their clocks agree) instead of just after the preflight. An instant
   * already past when the preflight ends starts the plan at once, with a warning.
   *
   * @param at the shared start, or null for "as soon as ready"
   * @return this run
   */
  public LoadRun startingAt(Instant at) {
    this.startAt = at;
    return this;
  }

  /** The wall-clock instant of the plan's t=0, once the run has fixed it (else null). */
  public Instant planStart() {
    return planStart;
  }

  /** Asks the run to stop (e.g. on Ctrl-C); {@link #run()} still completes the run directory. */
  public void stop() {
    stopRequested = true;
    scheduler.stop();
  }

  /**
   * The plan's length (the last row's offset), for the status line before the whole trace has
   * been read; without it the line shows the length once the last row is prepared.
   */
  public LoadRun plannedSpan(java.time.Duration span) {
    this.plannedSpanNanos = span.toNanos();
    return this;
  }

  /**
   * Says that the mock fleet or router runs in this JVM, so that summary.json's CPU and GC figures
   * are read as the whole process's.
   */
  public LoadRun sharedWithServers(boolean shared) {
    this.sharedWithServers = shared;
    return this;
  }

  /**
   * A row ready to send: its body as synthesized, and for conversations the turn it starts (its
   * ids cover its prompt, so a later row may continue it) and its link to the row it continues,
   * with the new text that goes after that row's answer.
   */
  private record Planned(long index, TraceRequest request, byte[] body, int target,
      Conversations.Turn turn, Conversations.Link link, String continuation, String standIn) {

    long bytes() {
      return (body == null ? 0 : body.length) + (turn == null ? 0 : turn.historyChars())
          + (continuation == null ? 0 : continuation.length())
          + (standIn == null ? 0 : standIn.length()) + 64L;
    }
  }

  /** Runs to the end of the trace (or a stop) and writes the run directory. */
  public Result run() {
    int[] gpus = poolNames.stream().mapToInt(p -> settings.gpus().getOrDefault(p, 0)).toArray();
    int[] instances = instancesPerPool(settings);
    requests.warmUp();
    RunRecorder recorder;
    ClientSideStats client = new ClientSideStats();
    int maxConnections = settings.maxConcurrency() > 0
        ? Math.min(settings.maxConcurrency(), settings.maxConnections()) : settings.maxConnections();
    AtomicLong planned = new AtomicLong(-1);
    long sent;
    TraceDigest digest = new TraceDigest();
    Thread recording = null;
    try (LoadClient http = new LoadClient(maxConnections, settings.ioThreads(),
        settings.connectTimeout(), settings.responseTimeout());
        Stream<TraceRequest> rows = source.open()) {
      Sender sender = new Sender(http);
      sender.preflight();
      PlanIterator plan = new PlanIterator(rows.iterator(), digest);
      Planned first = plan.hasNext() ? plan.next : null;
      if (first != null && first.body() != null) {
        sender.readyCheck(first);
        sender.warmUpRequests(first);
      }
      if (settings.perRequestItls()) {
        itls = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(
            Files.newOutputStream(dir.file(LoadgenSettings.ITLS_CSV_GZ)), 1 << 16),
            StandardCharsets.US_ASCII), 1 << 16);
        itls.write("id,itl_ns\n");
      }
      // after the ready check and the warm-ups: the run's clock starts here
      // the latency log's start: the barrier's instant, or now for a run that starts when ready
      // (or got ready after its barrier)
      long startEpochMillis = Math.max(startAt != null ? startAt.toEpochMilli() : 0,
          System.currentTimeMillis());
      recorder = new RunRecorder(dir, poolNames, gpus, instances, settings.slo(),
          settings.hlogInterval().toNanos(), startEpochMillis);
      if (!settings.scrapeMetrics().isEmpty()) {
        // the first engine read happens here, before the start is fixed
        engines = EngineWatch.open(settings.scrapeMetrics(), poolNames,
            dir.file(EngineWatch.CSV), warmupNanos, settings.hlogInterval().toNanos(), status);
      }
      // bodies are built on a thread of their own, ahead of their send time: the scheduler
      // thread only waits and hands rows to the client
      Lookahead<Planned> ahead = new Lookahead<>(plan, LOOKAHEAD_ROWS, LOOKAHEAD_BYTES,
          Planned::bytes, "poolbench-planner");
      jitWarmup = warmUpOnLoopback(first, gpus, instances);
      // the start-up's garbage (tokenizer tables, the warm-up's exchanges) is collected now
      // rather than in a pause during the run's first seconds
      System.gc();
      // before the start is fixed: the first use of the management beans loads their classes,
      // which must not eat into the margin before the first row; the warm-up's CPU and the
      // collection above are not the run's
      meter = new ToolMeter();
      long startNanos = fixStart();
      this.startNanos = startNanos;
      if (engines != null) {
        engines.startSampling(startNanos);
      }
      RunRecorder recording0 = recorder;
      recording = Thread.ofPlatform().name("poolbench-recorder").start(
          () -> record(recording0, client, startNanos, planned));
      try {
        sent = scheduler.run(ahead, p -> p.request().arrivalNanos(), startNanos, sender);
      } finally {
        ahead.close();
      }
      planDone = true;
      planned.set(plan.count);
      if (!awaitInFlight()) {
        abandoning = true;
        http.abort();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + LoadgenSettings.ITLS_CSV_GZ, e);
    } catch (RuntimeException e) {
      if (engines != null) {
        engines.close();
      }
      scheduler.stop();
      if (recording != null) {
        recording.interrupt();
        try {
          recording.join(1_000);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      try {
        closeItls();
      } catch (UncheckedIOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    } finally {
      planned.compareAndSet(-1, 0);
    }
    try {
      recording.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long durationNanos = System.nanoTime() - startNanos;
    closeItls();
    if (engines == null) {
      recorder.preemptionsUnknown();
    } else {
      recorder.enginePreemptions(engines.finish());
    }
    recorder.toolOverhead(client.sendLag(),
        meter.finish(client.sent(), inFlightMax.get(), sharedWithServers));
    Summary summary = recorder.finish(Math.max(1, durationNanos));
    Map<String, Object> clientJson = client.toJson(inFlight.get());
    clientJson.put("rows_sent", sent);
    clientJson.put("unattributed_responses", unknownPools.get());
    clientJson.put("shard", settings.shardIndex() + "/" + settings.shardCount());
    clientJson.put("warmup_s", settings.warmup().toMillis() / 1000.0);
    clientJson.put("start_at", startAt == null ? null : startAt.toString());
    clientJson.put("plan_start", planStart == null ? null : planStart.toString());
    clientJson.put("warmup_outcomes", warmupOutcomes);
    clientJson.put("num_warmups", settings.numWarmups());
    clientJson.put("num_warmups_outcomes", warmupRequestOutcomes);
    clientJson.put("engine_metrics", engines == null ? null : engines.json());
    clientJson.put("preflight_problems", List.copyOf(preflightProblems));
    clientJson.put("jit_warmup", jitWarmup);
    clientJson.put("conversations", conversations == null ? null : conversations.json());
    try {
      RunDirectory.mapper().writeValue(dir.file("loadgen.json").toFile(), clientJson);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write loadgen.json", e);
    }
    return new Result(summary, clientJson, digest.toString(), digest.requests());
  }

  private void closeItls() {
    if (itls != null) {
      try {
        itls.close();
      } catch (IOException e) {
        throw new UncheckedIOException("Could not write " + LoadgenSettings.ITLS_CSV_GZ, e);
      } finally {
        itls = null;
      }
    }
  }

  /**
   * The {@link System#nanoTime()} of the plan's t=0: 200 ms from now, or the start barrier's
   * instant when one was given (at once if that has passed). Records {@link #planStart()}.
   */
  private long fixStart() {
    long nowNanos = System.nanoTime();
    Instant now = Instant.now();
    long delayNanos = TimeUnit.MILLISECONDS.toNanos(200);
    if (startAt != null) {
      delayNanos = Duration.between(now, startAt).toNanos();
      if (delayNanos < 0) {
        status.printf(Locale.US, "poolbench: warning: the start time %s passed %.3f s ago while "
            + "getting ready; starting the plan now, behind the other shards by that much%n",
            startAt, -delayNanos / 1e9);
        delayNanos = 0;
      } else {
        status.printf(Locale.US, "poolbench: waiting %.1f s for the shared start at %s (shards "
            + "line up only as well as their clocks agree)%n", delayNanos / 1e9, startAt);
      }
    }
    planStart = now.plusNanos(delayNanos);
    return nowNanos + delayNanos;
  }

  /**
   * Waits for in-flight requests; after a stop, no longer than the grace period. Returns false
   * when some are still in flight and must be abandoned.
   */
  private boolean awaitInFlight() {
    long deadline = Long.MAX_VALUE;
    while (inFlight.get() > 0) {
      if (stopRequested && deadline == Long.MAX_VALUE) {
        deadline = System.nanoTime() + Math.min(STOP_GRACE_NANOS, settings.responseTimeout().toNanos());
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Walks the trace, keeping this shard's rows and building each body before it is due. */
  private final class PlanIterator implements Iterator<Planned> {
    private final Iterator<TraceRequest> rows;
    private final TraceDigest digest;
    private long index = -1;
    private long count;
    private long lastArrival = -1;
    private Planned next;

    PlanIterator(Iterator<TraceRequest> rows, TraceDigest digest) {
      this.rows = rows;
      this.digest = digest;
    }

    @Override
    public boolean hasNext() {
      while (next == null && rows.hasNext()) {
        TraceRequest r = rows.next();
        index++;
        if (index % settings.shardCount() == settings.shardIndex()) {
          lastArrival = r.arrivalNanos();
          int target = (int) (count % settings.targets().size());
          if (stopRequested) {
            next = new Planned(index, r, null, target, null, null, null, null);
          } else {
            Conversations.Turn turn = Conversations.Turn.first(requests.promptText(index, r));
            byte[] body = requests.body(r, turn);
            Conversations.Link link = conversations == null ? null : conversations.link(index, r);
            String continuation = link == null ? null
                : requests.continuationText(index, r, link.userTokens());
            // text in place of an answer that is not there at send time (its own opener)
            String standIn = link == null ? null
                : requests.continuationText(-1 - index, r, link.previousOutputTokens());
            boolean kept = conversations != null && Conversations.covered(r);
            next = new Planned(index, r, body, target, kept ? turn : null, link, continuation,
                standIn);
          }
          digest.add(r);
          count++;
        }
      }
      if (next == null && plannedSpanNanos < 0) {
        plannedSpanNanos = Math.max(0, lastArrival);
      }
      return next != null;
    }

    @Override
    public Planned next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Planned p = next;
      next = null;
      return p;
    }
  }

  /** Hands due rows to the HTTP client; runs on the scheduler thread. */
  private final class Sender implements OpenLoopScheduler.Sink<Planned> {
    private final LoadClient http;
    private final URI[] uris;
    private final Map<String, String> headers = new LinkedHashMap<>();
    /** Where finished rows go: the recording thread's queue, or a warm-up's account. */
    private final java.util.function.Consumer<Finished> out;
    /** A warm-up sender: it leaves the scheduler's slots and the conversations alone. */
    private final boolean warm;

    Sender(LoadClient http) {
      this(http, settings.targets().stream()
          .map(t -> t.resolve(stripSlash(t.getPath()) + settings.api().path()))
          .toArray(URI[]::new), finished::add, false);
    }

    /**
     * @param uris the URI per target index
     * @param warm true for the JIT warm-up's sender, which sends to a loopback sink
     */
    Sender(LoadClient http, URI[] uris, java.util.function.Consumer<Finished> out, boolean warm) {
      this.http = http;
      this.uris = uris;
      this.out = out;
      this.warm = warm;
      if (warm) {
        return; // the user's key and headers are for the targets only
      }
      if (settings.apiKey() != null) {
        headers.put("Authorization", "Bearer " + settings.apiKey());
      }
      headers.putAll(settings.headers());
    }

    /**
     * Sends the first row to every target until it answers it with an ok outcome, for at most
     * the ready-check timeout in all (none: no check). Nothing of it is recorded.
     */
    void readyCheck(Planned first) {
      long timeout = settings.readyCheckTimeout().toNanos();
      if (timeout <= 0) {
        return;
      }
      long deadline = System.nanoTime() + timeout;
      for (URI uri : uris) {
        while (!stopRequested) {
          CompletableFuture<ExchangeResult> answer = new CompletableFuture<>();
          http.post(uri, first.body(), headers, gap -> { }, answer::complete);
          String last;
          try {
            ExchangeResult r = answer.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (OutcomeClassifier.classify(r) == OutcomeKind.OK) {
              break;
            }
            last = r.status() > 0 ? "HTTP " + r.status()
                : r.transportError() != null ? r.transportError() : "no response";
          } catch (TimeoutException e) {
            last = "no answer yet";
          } catch (ExecutionException e) {
            last = String.valueOf(e.getCause());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new BadInputException("--ready-check-timeout-sec "
                + settings.readyCheckTimeout().toSeconds() + ": " + uri + " did not answer a test "
                + "request within " + settings.readyCheckTimeout().toSeconds() + " s (last: "
                + last + ")");
          }
          try {
            Thread.sleep(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 1_000));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
      status.println("poolbench: ready check passed: every target answered a test request");
    }

    /**
     * Sends {@code numWarmups} copies of the first row before the run (round-robin over the
     * targets, at most {@code maxConcurrency} at once when capped) and waits for all of them;
     * only their outcomes are kept, apart, in loadgen.json.
     */
    void warmUpRequests(Planned first) {
      int n = settings.numWarmups();
      if (n <= 0) {
        return;
      }
      status.println("poolbench: warming up with " + n + " requests");
      Semaphore slots = new Semaphore(settings.maxConcurrency() > 0 ? settings.maxConcurrency() : n);
      CountDownLatch done = new CountDownLatch(n);
      try {
        for (int i = 0; i < n && !stopRequested; i++) {
          slots.acquire();
          http.post(uris[i % uris.length], first.body(), headers, gap -> { }, r -> {
            OutcomeKind kind = OutcomeClassifier.classify(r);
            synchronized (warmupRequestOutcomes) {
              warmupRequestOutcomes.merge(kind.key(), 1L, Long::sum);
            }
            slots.release();
            done.countDown();
          });
        }
        while (!done.await(50, TimeUnit.MILLISECONDS)) {
          if (stopRequested) {
            return;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private static String stripSlash(String path) {
      return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /**
     * One GET /v1/models per target before the plan starts, then {@value #WARM_CONNECTIONS} at
     * once to open pooled connections; failures only warn.
     */
    void preflight() {
      for (URI target : settings.targets()) {
        URI models = target.resolve(stripSlash(target.getPath()) + "/v1/models");
        LoadClient.Preflight answer = http.preflight(models, headers, settings.connectTimeout());
        if (answer.status() != 200) {
          String what = answer.status() == 0 ? answer.failure()
              : models + " answered HTTP " + answer.status();
          preflightProblems.add(what);
          status.println("poolbench: warning: " + what
              + "; the run goes on and records what happens");
        } else {
          http.warmConnections(models, headers, Math.min(WARM_CONNECTIONS, settings.maxConnections()),
              settings.connectTimeout());
        }
      }
    }

    @Override
    public void send(long ignoredPosition, Planned p, long plannedNanos, long slotWaitNanos) {
      dueRows.incrementAndGet();
      long now = inFlight.incrementAndGet();
      if (now > inFlightMax.get()) {
        inFlightMax.set(now); // only this thread raises it
      }
      GapBuffer gaps = new GapBuffer();
      // a later turn of a conversation: its prompt builds on the earlier turn as it was sent
      Conversations.Turn previous = p.link() == null || warm ? null
          : conversations.previous(p.link(), p.standIn());
      Conversations.Turn turn = previous == null ? p.turn() : previous.then(p.continuation());
      byte[] body = previous == null ? p.body() : requests.body(p.request(), turn);
      // a turn a later row may continue: keep its answer
      StringBuilder answer = p.turn() == null ? null : new StringBuilder();
      if (answer != null && !warm) {
        conversations.sent(p.index(), turn);
      }
      sentRows.incrementAndGet();
      http.post(uris[p.target()], body, headers, gaps, answer, result -> {
        if (!warm) {
          scheduler.release();
        }
        Finished f = finish(p, result, plannedNanos, slotWaitNanos, gaps);
        if (answer != null && !warm) {
          conversations.finished(p.index(), turn,
              f.outcome() == OutcomeKind.OK ? answer.toString() : null);
        }
        out.accept(f);
        inFlight.decrementAndGet();
      });
    }

    @Override
    public void notSent(long ignoredPosition, Planned p, long plannedNanos) {
      dueRows.incrementAndGet();
      if (p.turn() != null) {
        conversations.finished(p.index(), p.turn(), null);
      }
      finished.add(Finished.notSent(p.index(), p.request(), plannedNanos, System.nanoTime()));
    }
  }

  /** The number of loopback warm-up exchanges: the property's, else the default. */
  static int jitWarmupExchanges(String property) {
    return (int) TuningProperty.wholeNumber(JIT_WARMUP_PROPERTY, property, 0, Integer.MAX_VALUE,
        JIT_WARMUP_EXCHANGES, "exchanges");
  }


  /**
   * Before the start: sends exchanges like the run's (the first row's body, or a small one when
   * that is large) to a {@link LoopbackSink} in this process, through a client of their own and
   * the run's own {@link Sender} and completion callback, and records their answers through the
   * recording path ({@link #record}, the client-side statistics) into a throwaway run directory.
   * The run's first seconds then find that code compiled: without it, at 2,000 req/s the first
   * second's rows went out up to 0.5 s late while the JIT compiled the send and response paths
   * on the same cores. Nothing reaches the target; the run's own client and pool are untouched.
   * Returns what was done, for loadgen.json.
   */
  private Map<String, Object> warmUpOnLoopback(Planned first, int[] gpus, int[] instances) {
    int n = jitWarmupExchanges;
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("exchanges_planned", n);
    if (n == 0 || first == null) {
      json.put("exchanges", 0);
      return json;
    }
    byte[] body = first.body() != null && first.body().length <= 16 << 10
        ? first.body()
        : ("{\"model\":\"warm\",\"prompt\":\"warm\",\"max_tokens\":" + JIT_WARMUP_CHUNKS
            + ",\"stream\":" + settings.stream() + "}").getBytes(StandardCharsets.UTF_8);
    // the first row with a small body when its own is large, and without a link to an earlier row
    Planned like = new Planned(first.index(), first.request(), body, first.target(), first.turn(),
        null, null, null);
    ClientSideStats account = new ClientSideStats();
    java.util.Queue<Finished> answered = new java.util.concurrent.ConcurrentLinkedQueue<>();
    long began = System.nanoTime();
    long sent = 0;
    Path scratch = null;
    try (LoopbackSink sink = new LoopbackSink(settings.api() == Api.CHAT, settings.stream(),
        JIT_WARMUP_CHUNKS);
        LoadClient warm = new LoadClient(JIT_WARMUP_WINDOW, settings.ioThreads(),
            settings.connectTimeout(), Duration.ofSeconds(10))) {
      URI[] uris = new URI[settings.targets().size()];
      Arrays.fill(uris, sink.uri(settings.api().path()));
      Semaphore window = new Semaphore(JIT_WARMUP_WINDOW);
      // the run's own send path (Sender.send and its completion callback), to the sink
      Sender sender = new Sender(warm, uris, f -> {
        answered.add(f);
        window.release();
      }, true);
      // and the recording thread's path, into a run directory of its own that is deleted after
      scratch = Files.createTempDirectory("poolbench-jit-warmup");
      try (RunRecorder recorder = new RunRecorder(RunDirectory.create(scratch), poolNames, gpus,
          instances, settings.slo(), settings.hlogInterval().toNanos(), System.currentTimeMillis())) {
        for (; sent < n && System.nanoTime() - began < JIT_WARMUP_MAX_NANOS && !stopRequested; sent++) {
          if (!window.tryAcquire(1, TimeUnit.SECONDS)) {
            break;
          }
          sender.send(sent, like, System.nanoTime(), 0);
          drainInto(answered, recorder, account, began);
        }
        window.tryAcquire(JIT_WARMUP_WINDOW, 5, TimeUnit.SECONDS);
        drainInto(answered, recorder, account, began);
      }
      json.put("answered", sink.answered());
    } catch (IOException | UncheckedIOException e) {
      json.put("failed", "could not warm up on loopback: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      deleteQuietly(scratch);
    }
    // the warm-up's sends are not the run's
    dueRows.set(0);
    sentRows.set(0);
    inFlight.set(0);
    inFlightMax.set(0);
    json.put("exchanges", sent);
    json.put("ms", Math.round((System.nanoTime() - began) / 1e5) / 10.0);
    return json;
  }

  private void drainInto(java.util.Queue<Finished> answered, RunRecorder recorder,
      ClientSideStats account, long began) {
    for (Finished f; (f = answered.poll()) != null; ) {
      record(recorder, null, f);
      account.record(f);
    }
    recorder.advanceTo(System.nanoTime() - began);
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try {
      RunDirectory.deleteTree(dir);
    } catch (UncheckedIOException e) {
      // a temporary directory left behind is harmless
    }
  }


  private Finished finish(Planned p, ExchangeResult r, long plannedNanos, long slotWaitNanos,
      GapBuffer gaps) {
    OutcomeKind classified = OutcomeClassifier.classify(r);
    // a request the client abandoned after a stop ended because the client gave up on it
    OutcomeKind outcome = abandoning && classified != OutcomeKind.OK ? OutcomeKind.TIMEOUT : classified;
    int pool;
    if (settings.pools().isEmpty()) {
      pool = poolIndex.get(LoadgenSettings.label(settings.targets().get(p.target())));
    } else if (r.pool() == null) {
      pool = -1;
    } else {
      Integer known = poolIndex.get(r.pool());
      if (known == null) {
        unknownPools.incrementAndGet();
      }
      pool = known == null ? -1 : known;
    }
    long first = r.stream() != null ? r.stream().firstContentNanos() : 0;
    int completion = r.completionTokens() >= 0 ? r.completionTokens()
        : r.stream() != null ? r.stream().contentChunks() : 0;
    return new Finished(p.index(), p.request(), p.target(), pool, outcome, r.status(), plannedNanos,
        r.sentNanos(), slotWaitNanos, first, r.endNanos(), completion, gaps.gaps(), gaps.count(),
        r.cachedTokens());
  }

  /** The recording thread: the only user of the recorder and the statistics. */
  private void record(RunRecorder recorder, ClientSideStats client, long startNanos,
      AtomicLong planned) {
    long statusEvery = settings.statusInterval().toNanos();
    long nextStatus = startNanos + statusEvery;
    StatusLine line = new StatusLine(new StatusLine.Tick(0, 0, 0, 0, 0));
    long nextSample = startNanos;
    long recorded = 0;
    while (true) {
      Finished f;
      try {
        f = finished.poll(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      if (f != null) {
        if (f.request().arrivalNanos() < warmupNanos) {
          warmupOutcomes.merge(f.outcome().key(), 1L, Long::sum);
        } else {
          record(recorder, itls, f);
          client.record(f);
        }
        recorded++;
      }
      if (now > startNanos) {
        recorder.advanceTo(now - startNanos);
      }
      if (now >= nextSample) {
        meter.sample();
        nextSample = now + TimeUnit.SECONDS.toNanos(1);
      }
      if (statusEvery > 0 && now >= nextStatus) {
        status.println(line.next(new StatusLine.Tick(now - startNanos, dueRows.get(),
            sentRows.get(), client.ok(), client.errors()), plannedSpanNanos, planDone,
            inFlight.get(), client.ttftMs(50), client.ttftMs(99), client.sendLagMs(99)));
        nextStatus += statusEvery;
        if (nextStatus <= now) {
          nextStatus = now + statusEvery;
        }
      }
      long total = planned.get();
      if (total >= 0 && recorded >= total && finished.isEmpty()) {
        return;
      }
    }
  }

  private static void record(RunRecorder recorder, Writer itls, Finished f) {
    TraceRequest r = f.request();
    long ttft = f.outcome() == OutcomeKind.OK && f.firstTokenNanos() > 0
        ? f.firstTokenNanos() - f.plannedNanos() : -1;
    long e2e = f.sentNanos() == 0 ? -1 : f.endNanos() - f.plannedNanos();
    long queue = f.sentNanos() == 0 ? -1 : f.sentNanos() - f.plannedNanos();
    if (f.pool() >= 0) {
      for (int i = 0; i < f.gapCount(); i++) {
        recorder.recordItl(f.pool(), 1, f.gaps()[i]);
      }
    }
    if (itls != null) {
      StringBuilder line = new StringBuilder(16 + f.gapCount() * 6).append(f.index()).append(',');
      for (int i = 0; i < f.gapCount(); i++) {
        if (i > 0) {
          line.append(' ');
        }
        line.append(Math.max(0, f.gaps()[i]));
      }
      try {
        itls.write(line.append('\n').toString());
      } catch (IOException e) {
        throw new UncheckedIOException("Could not write " + LoadgenSettings.ITLS_CSV_GZ, e);
      }
    }
    recorder.recordRequest(f.index(), r.arrivalNanos(), f.pool(), f.target(), r.category(),
        r.promptTokens(), r.outputTokens(), RequestFactory.maxTokens(r), f.outcome(), f.status(),
        queue, ttft, e2e, f.completionTokens(), 0, f.cachedTokens());
  }
}
