package io.poolbench.traces.format.generic;

import java.util.Objects;

/**
 * Which column (CSV) or key (JSONL) holds each request field. Arrival, prompt and output are
 * required in every row; the optional ones are read when the header (or row) has them and
 * ignored otherwise.
 *
 * @param arrival arrival time column, in {@code arrivalUnit}
 * @param arrivalUnit unit of the arrival column
 * @param prompt prompt-token column
 * @param output output-token column
 * @param category optional content-category column
 * @param maxTokens optional declared {@code max_tokens} column
 * @param hashIds optional prefix-block hash list (JSONL only)
 */
public record ColumnMapping(
    String arrival,
    ArrivalUnit arrivalUnit,
    String prompt,
    String output,
    String category,
    String maxTokens,
    String hashIds) {

  /** Key of the images count in poolbench's JSONL. */
  public static final String IMAGES = "images";
  /** Key of the failed-in-source flag in poolbench's JSONL. */
  public static final String FAILED = "failed_in_source";

  public ColumnMapping {
    Objects.requireNonNull(arrival, "arrival");
    Objects.requireNonNull(arrivalUnit, "arrivalUnit");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(output, "output");
  }

  /** poolbench's own names, as {@link JsonlTraceWriter} writes them. */
  public static ColumnMapping poolbench() {
    return new ColumnMapping("arrival_ms", ArrivalUnit.MS, "prompt_tokens", "output_tokens",
        "category", "max_tokens", "hash_ids");
  }

  /** Mooncake's keys (FAST 2025 traces). */
  public static ColumnMapping mooncake() {
    return new ColumnMapping("timestamp", ArrivalUnit.MS, "input_length", "output_length", null,
        null, "hash_ids");
  }

  public ColumnMapping withArrival(String column, ArrivalUnit unit) {
    return new ColumnMapping(column, unit, prompt, output, category, maxTokens, hashIds);
  }

  public ColumnMapping withPrompt(String column) {
    return new ColumnMapping(arrival, arrivalUnit, column, output, category, maxTokens, hashIds);
  }

  public ColumnMapping withOutput(String column) {
    return new ColumnMapping(arrival, arrivalUnit, prompt, column, category, maxTokens, hashIds);
  }

  public ColumnMapping withCategory(String column) {
    return new ColumnMapping(arrival, arrivalUnit, prompt, output, column, maxTokens, hashIds);
  }

  public ColumnMapping withMaxTokens(String column) {
    return new ColumnMapping(arrival, arrivalUnit, prompt, output, category, column, hashIds);
  }
}
