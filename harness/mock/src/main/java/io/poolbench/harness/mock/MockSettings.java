package io.poolbench.harness.mock;

import io.poolbench.traces.prompt.TokenizerKind;
import java.util.Objects;

/**
 * Settings shared by every instance of one mock process.
 *
 * @param bindHost address to listen on
 * @param timeScale model time runs this many times faster than wall time (1 = real time)
 * @param apiKey the key {@code /v1} paths require as {@code Authorization: Bearer}, or null
 * @param tokenizer the BPE tokenizer that counts prompts and spells output tokens
 * @param errorStyle nested (v0.10.1+) or flat (≤ v0.10.0) error envelope
 * @param metricsStyle metric names of v0.11 or v0.10
 * @param streamInterval {@code --stream-interval}: tokens per streamed chunk (the first token and
 *     the last chunk always go out at once)
 * @param outputLengths natural response lengths when EOS is not ignored
 * @param restartNanos wall time from an engine death until the instance serves again
 * @param deadLingerNanos wall time from an engine death until the port closes (vLLM: ≤ 5 s)
 * @param serverLoadTracking {@code --enable-server-load-tracking}: {@code /load} counts requests
 * @param seed seed of output lengths, output text and random faults
 * @param faults faults injected from the start
 * @param version what {@code /version} answers
 * @param promptTokensDetails {@code --enable-prompt-tokens-details}: usage carries
 *     {@code prompt_tokens_details.cached_tokens} (vLLM sends null without it)
 */
public record MockSettings(
    String bindHost,
    double timeScale,
    String apiKey,
    TokenizerKind tokenizer,
    ErrorStyle errorStyle,
    MetricsStyle metricsStyle,
    int streamInterval,
    OutputLengths outputLengths,
    long restartNanos,
    long deadLingerNanos,
    boolean serverLoadTracking,
    long seed,
    FaultPlan faults,
    String version,
    boolean promptTokensDetails) {

  /** The vLLM version the mock imitates by default. */
  public static final String DEFAULT_VERSION = "0.11.0";

  public MockSettings {
    Objects.requireNonNull(bindHost, "bindHost");
    Objects.requireNonNull(tokenizer, "tokenizer");
    Objects.requireNonNull(errorStyle, "errorStyle");
    Objects.requireNonNull(metricsStyle, "metricsStyle");
    Objects.requireNonNull(outputLengths, "outputLengths");
    Objects.requireNonNull(faults, "faults");
    Objects.requireNonNull(version, "version");
    if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
      throw new IllegalArgumentException("time-scale (" + timeScale + ") must be > 0");
    }
    if (streamInterval < 1) {
      throw new IllegalArgumentException("stream-interval (" + streamInterval + ") must be >= 1");
    }
    if (deadLingerNanos < 0 || restartNanos < deadLingerNanos) {
      throw new IllegalArgumentException("restart delay (" + restartNanos + " ns) must be >= the "
          + "time the dead port stays open (" + deadLingerNanos + " ns) >= 0");
    }
    if (apiKey != null && apiKey.isEmpty()) {
      apiKey = null;
    }
  }

  /** Loopback, real time, no key, cl100k_base, v0.11 behaviour, 60 s restart, 1 s linger. */
  public static MockSettings defaults() {
    return new MockSettings("127.0.0.1", 1.0, null, TokenizerKind.CL100K_BASE, ErrorStyle.NESTED,
        MetricsStyle.V0_11, 1, OutputLengths.DEFAULT, 60_000_000_000L, 1_000_000_000L, false, 1L,
        FaultPlan.NONE, DEFAULT_VERSION, false);
  }

  public MockSettings withBindHost(String v) {
    return new MockSettings(v, timeScale, apiKey, tokenizer, errorStyle, metricsStyle,
        streamInterval, outputLengths, restartNanos, deadLingerNanos, serverLoadTracking, seed,
        faults, version, promptTokensDetails);
  }

  public MockSettings withTimeScale(double v) {
    return new MockSettings(bindHost, v, apiKey, tokenizer, errorStyle, metricsStyle,
        streamInterval, outputLengths, restartNanos, deadLingerNanos, serverLoadTracking, seed,
        faults, version, promptTokensDetails);
  }

  public MockSettings withApiKey(String v) {
    return new MockSettings(bindHost, timeScale, v, tokenizer, errorStyle, metricsStyle,
        streamInterval, outputLengths, restartNanos, deadLingerNanos, serverLoadTracking, seed,
        faults, version, promptTokensDetails);
  }

  public MockSettings withTokenizer(TokenizerKind v) {
    return new MockSettings(bindHost, timeScale, apiKey, v, errorStyle, metricsStyle,
        streamInterval, outputLengths, restartNanos, deadLingerNanos, serverLoadTracking, seed,
        faults, version, promptTokensDetails);
  }

  public MockSettings withErrorStyle(ErrorStyle v) {
    return new MockSettings(bindHost, timeScale, apiKey, tokenizer, v, metricsStyle,
        streamInterval, outputLengths, restartNanos, deadLingerNanos, serverLoadTracking, seed,
        faults, version, promptTokensDetails);
  }

  public MockSettings withMetricsStyle(MetricsStyle v) {
    return new MockSettings(bindHost, timeScale, apiKey, tokenizer, errorStyle, v,
        streamInterval, outputLengths, restartNanos, deadLingerNanos, serverLoadTracking, seed,
        faults, version, promptTokensDetails);
  }

  public MockSettings withStreamInterval(int v) {
    return new MockSettings(bindHost, timeScale, apiKey, tokenizer, errorStyle, metricsStyle, v,
        outputLengths, restartNanos, deadLingerNanos, serverLoadTracking, seed, faults, version,
        promptTokensDetails);
  }

  public MockSettings withOutputLengths(OutputLengths v) {
    return new MockSettings(bindHost, timeScale, apiKey, tokenizer, errorStyle, metricsStyle,
        streamInterval, v, restartNanos, deadLingerNanos, serverLoadTracking, seed, faults,
        version, promptTokensDetails);
  }

  public MockSettings withRestart(long restart, long linger) {
    return new MockSettings(bindHost, timeScale, apiKey, tokenizer, errorStyle, metricsStyle,
        streamInterval, outputLengths, restart, linger, serverLoadTracking, seed, faults,
        version, promptTokensDetails);
  }

  public MockSettings withServerLoadTracking(boolean v) {
    return new MockSettings(bindHost, timeScale, apiKey, tokenizer, errorStyle, metricsStyle,
        streamInterval, outputLengths, restartNanos, deadLingerNanos, v, seed, faults, version,
        promptTokensDetails);
  }

  public MockSettings withSeed(long v) {
    return new MockSettings(bindHost, timeScale, apiKey, tokenizer, errorStyle, metricsStyle,
        streamInterval, outputLengths, restartNanos, deadLingerNanos, serverLoadTracking, v,
        faults, version, promptTokensDetails);
  }

  public MockSettings withFaults(FaultPlan v) {
    return new MockSettings(bindHost, timeScale, apiKey, tokenizer, errorStyle, metricsStyle,
        streamInterval, outputLengths, restartNanos, deadLingerNanos, serverLoadTracking, seed, v,
        version, promptTokensDetails);
  }

  public MockSettings withPromptTokensDetails(boolean v) {
    return new MockSettings(bindHost, timeScale, apiKey, tokenizer, errorStyle, metricsStyle,
        streamInterval, outputLengths, restartNanos, deadLingerNanos, serverLoadTracking, seed,
        faults, version, v);
  }
}
