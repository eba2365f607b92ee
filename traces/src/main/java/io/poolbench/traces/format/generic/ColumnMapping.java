package io.poolbench.traces.format.generic;

import java.util.Objects;

/**
 * Which column (CSV) or key (JSONL) holds each request field. Arrival, prompt and output are
 * required in every row; the optional ones are read when the header (or row) has them and
 * ignored otherwise (a null name: never read).
 *
 * @param arrival arrival time column, in {@code arrivalUnit}
 * @param arrivalUnit unit of the arrival column
 * @param prompt prompt-token column
 * @param output output-token column
 * @param category optional content-category column
 * @param maxTokens optional declared {@code max_tokens} column
 * @param hashIds optional prefix-block hash list, a JSON list of integers (in CSV, a quoted field
 *     such as {@code "[46, 47]"})
 * @param session optional session (conversation) id: rows of one session are its turns, each
 *     prompt starting with the previous turn's whole prompt
 * @param prefixId optional id of a shared prompt prefix (a system prompt)
 * @param prefixTokens optional length of that prefix in tokens (given together with
 *     {@code prefixId})
 */
public record ColumnMapping(
    String arrival,
    ArrivalUnit arrivalUnit,
    String prompt,
    String output,
    String category,
    String maxTokens,
    String hashIds,
    String session,
    String prefixId,
    String prefixTokens) {

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

  /** poolbench's own names, as {@link JsonlTraceWriter} writes them (and the prefix columns). */
  public static ColumnMapping poolbench() {
    return new ColumnMapping("arrival_ms", ArrivalUnit.MS, "prompt_tokens", "output_tokens",
        "category", "max_tokens", "hash_ids", "session_id", "prefix_id", "prefix_tokens");
  }

  /** Mooncake's keys (FAST 2025 traces). */
  public static ColumnMapping mooncake() {
    return new ColumnMapping("timestamp", ArrivalUnit.MS, "input_length", "output_length", null,
        null, "hash_ids", null, null, null);
  }

  public ColumnMapping withArrival(String column, ArrivalUnit unit) {
    return new ColumnMapping(column, unit, prompt, output, category, maxTokens, hashIds, session,
        prefixId, prefixTokens);
  }

  public ColumnMapping withPrompt(String column) {
    return new ColumnMapping(arrival, arrivalUnit, column, output, category, maxTokens, hashIds,
        session, prefixId, prefixTokens);
  }

  public ColumnMapping withOutput(String column) {
    return new ColumnMapping(arrival, arrivalUnit, prompt, column, category, maxTokens, hashIds,
        session, prefixId, prefixTokens);
  }

  public ColumnMapping withCategory(String column) {
    return new ColumnMapping(arrival, arrivalUnit, prompt, output, column, maxTokens, hashIds,
        session, prefixId, prefixTokens);
  }

  public ColumnMapping withMaxTokens(String column) {
    return new ColumnMapping(arrival, arrivalUnit, prompt, output, category, column, hashIds,
        session, prefixId, prefixTokens);
  }

  public ColumnMapping withHashIds(String column) {
    return new ColumnMapping(arrival, arrivalUnit, prompt, output, category, maxTokens, column,
        session, prefixId, prefixTokens);
  }

  public ColumnMapping withSession(String column) {
    return new ColumnMapping(arrival, arrivalUnit, prompt, output, category, maxTokens, hashIds,
        column, prefixId, prefixTokens);
  }

  /** The prefix id and prefix length columns, which go together. */
  public ColumnMapping withPrefix(String idColumn, String tokensColumn) {
    return new ColumnMapping(arrival, arrivalUnit, prompt, output, category, maxTokens, hashIds,
        session, idColumn, tokensColumn);
  }
}
