package io.poolbench.traces.format;

import io.poolbench.traces.BadInputException;
import io.poolbench.traces.format.azure.AzureTraceReader;
import io.poolbench.traces.format.burstgpt.BurstGptTraceReader;
import io.poolbench.traces.format.generic.GenericCsvTraceReader;
import io.poolbench.traces.format.generic.JsonlTraceReader;
import io.poolbench.traces.format.mooncake.MooncakeTraceReader;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The trace formats poolbench reads (see {@code ../shared/reference/trace-formats.md}); each
 * constant carries its parser's constructor and the name {@code --format} accepts.
 */
public enum TraceFormat {
  /** Azure LLM inference CSV: 2023 and 2024 week-long, and the 2025 multimodal variant. */
  AZURE("azure", options -> new AzureTraceReader()),
  /** BurstGPT CSV, v1 and v3 columns. */
  BURSTGPT("burstgpt", options -> new BurstGptTraceReader()),
  /** Mooncake JSON Lines with prefix-block hashes. */
  MOONCAKE("mooncake", options -> new MooncakeTraceReader()),
  /** Any CSV with a header, columns mapped by name (poolbench's own names by default). */
  CSV("csv", options -> new GenericCsvTraceReader(options.columns())),
  /** Any JSON Lines, keys mapped by name (poolbench's own JSONL by default). */
  JSONL("jsonl", options -> new JsonlTraceReader(options.columns()));

  private final String formatName;
  private final Function<ReadOptions, RowParser> parserFactory;

  TraceFormat(String formatName, Function<ReadOptions, RowParser> parserFactory) {
    this.formatName = formatName;
    this.parserFactory = parserFactory;
  }

  /** The name {@code --format} accepts. */
  public String formatName() {
    return formatName;
  }

  /** A fresh parser for one file. */
  public RowParser parser(ReadOptions options) {
    return parserFactory.apply(options);
  }

  /** Maps a format name (any case) to the constant, or fails listing the valid names. */
  public static TraceFormat named(String name) {
    for (TraceFormat format : values()) {
      if (format.formatName.equalsIgnoreCase(name.trim())) {
        return format;
      }
    }
    throw new BadInputException("Unknown trace format '" + name + "': expected one of "
        + Arrays.stream(values()).map(TraceFormat::formatName).collect(Collectors.joining(", ")));
  }

  /**
   * Detects the format from the file name and its first non-blank line: a JSON object line is
   * Mooncake when it has {@code input_length}, else generic JSONL; a CSV header with
   * {@code TIMESTAMP}, {@code ContextTokens} and {@code GeneratedTokens} is Azure; one with
   * {@code Request tokens} and {@code Response tokens} is BurstGPT; any other header is generic
   * CSV, except in a {@code .jsonl}/{@code .json} file.
   *
   * @param fileName the file name, possibly ending in {@code .gz}
   * @param firstLine the first non-blank line, or null when the file has none
   */
  public static TraceFormat detect(String fileName, String firstLine) {
    if (firstLine == null) {
      throw new BadInputException("Empty trace file: " + fileName + " has no header or rows");
    }
    String line = firstLine.strip();
    if (line.startsWith("\uFEFF")) {
      line = line.substring(1);
    }
    if (line.startsWith("{")) {
      return line.contains("\"input_length\"") ? MOONCAKE : JSONL;
    }
    String lower = fileName.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".gz")) {
      lower = lower.substring(0, lower.length() - 3);
    }
    List<String> names = Arrays.stream(line.split(",", -1))
        .map(n -> n.strip().replace("\"", "").toLowerCase(Locale.ROOT)).toList();
    if (names.contains("timestamp") && names.contains("contexttokens")
        && names.contains("generatedtokens")) {
      return AZURE;
    }
    if (names.contains("request tokens") && names.contains("response tokens")) {
      return BURSTGPT;
    }
    if (lower.endsWith(".jsonl") || lower.endsWith(".json")) {
      return JSONL;
    }
    return CSV;
  }
}
