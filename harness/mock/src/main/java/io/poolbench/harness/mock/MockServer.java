package io.poolbench.harness.mock;

import com.knuddels.jtokkit.api.Encoding;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.poolbench.router.server.NettyTransport;
import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One mock process: many independent {@link MockInstance}s, each on its own port with its own
 * engine driver thread, sharing one accepting event loop, the connection event loops (one per
 * core) and a small pool of worker threads that parse and tokenize request bodies off the event
 * loops.
 */
public final class MockServer implements Closeable {
  private final MockSettings settings;
  private final EventLoopGroup acceptors;
  private final EventLoopGroup group;
  private final NettyTransport transport = NettyTransport.chosen();
  private final ExecutorService workers;
  private final ScheduledExecutorService lifecycle;
  private final Encoding encoding;
  private final Vocabulary vocabulary;
  private final Consumer<String> log;
  private final List<MockInstance> instances = new ArrayList<>();
  private int warmedUp;

  private MockServer(MockSettings settings, Consumer<String> log) {
    this.settings = settings;
    this.log = log;
    int cores = Runtime.getRuntime().availableProcessors();
    this.acceptors = new MultiThreadIoEventLoopGroup(1, transport.ioHandlerFactory());
    this.group = new MultiThreadIoEventLoopGroup(cores, transport.ioHandlerFactory());
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newFixedThreadPool(Math.max(2, cores), r -> {
      Thread t = new Thread(r, "mock-worker-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.lifecycle = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mock-lifecycle");
      t.setDaemon(true);
      return t;
    });
    this.encoding = settings.tokenizer().encoding();
    this.vocabulary = Vocabulary.of(settings.tokenizer());
  }

  /**
   * Starts one instance per spec, each listening before this returns.
   *
   * @param log receives one line per lifecycle event (engine death, port closed, restarted)
   */
  public static MockServer start(MockSettings settings, List<InstanceSpec> specs,
      Consumer<String> log) {
    return start(settings, specs, log, Duration.ZERO);
  }

  /**
   * As {@link #start(MockSettings, List, Consumer)}, after warming the process up for at most
   * {@code warmup} (zero: none) before any served instance listens, as vLLM warms its engine
   * before it reports ready (see {@link MockWarmup}); the served instances' caches, counters and
   * metrics start untouched. {@link #warmedUp()} tells how many warm-up requests succeeded.
   */
  public static MockServer start(MockSettings settings, List<InstanceSpec> specs,
      Consumer<String> log, Duration warmup) {
    MockServer server = new MockServer(settings, log);
    try {
      if (!warmup.isZero() && !specs.isEmpty()) {
        server.warmedUp = MockWarmup.run(server, specs.get(0), settings.seed() - 1, warmup);
      }
      long seed = settings.seed();
      for (InstanceSpec spec : specs) {
        MockInstance instance = new MockInstance(server, spec, seed++);
        server.instances.add(instance);
        instance.start();
      }
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** Starts the instances with lifecycle lines going nowhere. */
  public static MockServer start(MockSettings settings, List<InstanceSpec> specs) {
    return start(settings, specs, line -> { });
  }

  /** Warm-up requests answered with 200 before the instances started (0: no warm-up). */
  public int warmedUp() {
    return warmedUp;
  }

  public List<MockInstance> instances() {
    return List.copyOf(instances);
  }

  public MockSettings settings() {
    return settings;
  }

  EventLoopGroup group() {
    return group;
  }

  NettyTransport transport() {
    return transport;
  }

  /** The event loop that accepts connections for every instance (kept free of stream work). */
  EventLoopGroup acceptors() {
    return acceptors;
  }

  /** Runs port closes and restarts, which block on binds (never on an event loop). */
  ScheduledExecutorService lifecycle() {
    return lifecycle;
  }

  ExecutorService workers() {
    return workers;
  }

  Encoding encoding() {
    return encoding;
  }

  Vocabulary vocabulary() {
    return vocabulary;
  }

  void log(String line) {
    log.accept(line);
  }

  /**
   * Kills {@code instance}'s engine after {@code delayNanos} of wall time (a fault planned in a
   * fleet file); it restarts after the restart delay as after any death.
   */
  public void scheduleKill(MockInstance instance, long delayNanos, String cause) {
    lifecycle.schedule(() -> instance.kill(cause), delayNanos, TimeUnit.NANOSECONDS);
  }

  /** Stops every instance, then the event loops and workers. */
  @Override
  public void close() {
    for (MockInstance i : instances) {
      i.close();
    }
    lifecycle.shutdownNow();
    workers.shutdownNow();
    acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    acceptors.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
