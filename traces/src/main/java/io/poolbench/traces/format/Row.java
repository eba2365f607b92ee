package io.poolbench.traces.format;

/**
 * Scratch space a {@link RowParser} fills for one row; reused across rows so that parsing
 * allocates nothing but the final record.
 */
public final class Row {
  /** Arrival in the source's own time base (epoch or trace offset), nanoseconds. */
  public long timeNanos;
  public int promptTokens;
  public int outputTokens;
  public int maxTokens;
  public int images;
  public String category;
  public long[] prefixHashes;
  public boolean failedInSource;
  /** 1-based line number of the row being parsed (set by the reader before parsing; 0 if none). */
  public long line;

  void reset() {
    timeNanos = 0;
    promptTokens = 0;
    outputTokens = 0;
    maxTokens = io.poolbench.traces.TraceRequest.NO_MAX_TOKENS;
    images = 0;
    category = null;
    prefixHashes = null;
    failedInSource = false;
  }
}
