package io.poolbench.traces.format.mooncake;

import io.poolbench.traces.format.Row;
import io.poolbench.traces.format.RowException;
import io.poolbench.traces.format.RowParser;
import io.poolbench.traces.format.generic.ColumnMapping;
import io.poolbench.traces.format.generic.JsonlTraceReader;

/**
 * Parses Mooncake rows such as
 * {@code {"timestamp": 27482, "input_length": 6955, "output_length": 52, "hash_ids": [46, 47]}}:
 * integer milliseconds from the trace start, and prefix-block hashes kept as
 * {@link io.poolbench.traces.TraceRequest#prefixHashes()}.
 */
public final class MooncakeTraceReader implements RowParser {
  private final JsonlTraceReader json = new JsonlTraceReader(ColumnMapping.mooncake());

  @Override
  public boolean hasHeader() {
    return false;
  }

  @Override
  public void header(byte[] b, int start, int end) {
    throw new IllegalStateException("Mooncake traces have no header");
  }

  @Override
  public void parse(byte[] b, int start, int end, Row row) throws RowException {
    json.parse(b, start, end, row);
  }
}
