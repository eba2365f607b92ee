package io.poolbench.traces.format.generic;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.poolbench.traces.TraceRequest;
import io.poolbench.traces.format.TraceWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * Writes poolbench JSONL, one object per request:
 * {@code {"arrival_ms":1234.5,"prompt_tokens":812,"output_tokens":95}}, plus
 * {@code max_tokens}, {@code category}, {@code hash_ids}, {@code images} and
 * {@code failed_in_source} when set. {@code arrival_ms} is exact to the nanosecond (up to six
 * fraction digits), so {@link JsonlTraceReader} reads every field back unchanged.
 */
public final class JsonlTraceWriter implements TraceWriter {
  private final Writer out;
  private final StringBuilder line = new StringBuilder(256);

  public JsonlTraceWriter(Writer out) {
    this.out = out;
  }

  @Override
  public void write(TraceRequest r) throws IOException {
    ColumnMapping keys = ColumnMapping.poolbench();
    StringBuilder b = line;
    b.setLength(0);
    b.append("{\"").append(keys.arrival()).append("\":");
    appendMillis(b, r.arrivalNanos());
    b.append(",\"").append(keys.prompt()).append("\":").append(r.promptTokens());
    b.append(",\"").append(keys.output()).append("\":").append(r.outputTokens());
    if (r.hasMaxTokens()) {
      b.append(",\"").append(keys.maxTokens()).append("\":").append(r.maxTokens());
    }
    if (r.category() != null) {
      b.append(",\"").append(keys.category()).append("\":\"");
      JsonStringEncoder.getInstance().quoteAsString(r.category(), b);
      b.append('"');
    }
    if (r.prefixHashes() != null) {
      b.append(",\"").append(keys.hashIds()).append("\":[");
      long[] hashes = r.prefixHashes();
      for (int i = 0; i < hashes.length; i++) {
        if (i > 0) {
          b.append(',');
        }
        b.append(hashes[i]);
      }
      b.append(']');
    }
    if (r.images() > 0) {
      b.append(",\"").append(ColumnMapping.IMAGES).append("\":").append(r.images());
    }
    if (r.failedInSource()) {
      b.append(",\"").append(ColumnMapping.FAILED).append("\":true");
    }
    b.append("}\n");
    out.append(b);
  }

  /** Nanoseconds as decimal milliseconds, without trailing fraction zeros. */
  static void appendMillis(StringBuilder b, long nanos) {
    b.append(nanos / 1_000_000);
    long fraction = nanos % 1_000_000;
    if (fraction != 0) {
      String digits = Long.toString(fraction + 1_000_000).substring(1);
      int end = digits.length();
      while (digits.charAt(end - 1) == '0') {
        end--;
      }
      b.append('.').append(digits, 0, end);
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
