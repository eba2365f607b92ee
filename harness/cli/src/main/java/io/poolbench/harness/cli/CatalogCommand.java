package io.poolbench.harness.cli;

import io.poolbench.harness.catalog.Catalog;
import io.poolbench.harness.catalog.Gpu;
import io.poolbench.harness.catalog.HfModelConfig;
import io.poolbench.harness.catalog.ModelSpec;
import io.poolbench.reports.rundir.RunDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code poolbench catalog}: the built-in models and GPUs, or one config.json's figures. */
@Command(
    name = "catalog",
    header = "List the built-in models and GPUs, or derive one Hugging Face config.json.",
    description = {
      "Models are derived from their Hugging Face config.json (parameters, KV-cache bytes per "
          + "token, weight format); GPU figures are the vendors' data-sheet values (dense peaks). "
          + "With --model-config, prints the figures derived from that file, as a fleet file's "
          + "'model-config:' would use them."
    })
public final class CatalogCommand implements Callable<Integer> {
  private static final double GIB = 1L << 30;

  @Option(names = "--model-config", paramLabel = "<config.json>",
      description = "Derive and print the figures of this Hugging Face config.json.")
  Path modelConfig;

  @Option(names = "--dtype", paramLabel = "<dtype>", defaultValue = "auto",
      description = "Weight format for --model-config: auto, bf16, fp16, fp8. Default: auto.")
  String dtype;

  @Option(names = "--kv-cache-dtype", paramLabel = "<dtype>", defaultValue = "auto",
      description = "KV-cache format for --model-config: auto, bf16, fp16, fp8. Default: auto.")
  String kvCacheDtype;

  @Option(names = "--json", description = "Print JSON instead of tables.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (modelConfig != null) {
      ModelSpec m = HfModelConfig.load(modelConfig, dtype, kvCacheDtype);
      if (json) {
        out.println(RunDirectory.mapper().writeValueAsString(details(m)));
      } else {
        for (Map.Entry<String, Object> e : details(m).entrySet()) {
          out.printf(Locale.US, "%-26s  %s%n", e.getKey(), e.getValue());
        }
      }
      out.flush();
      return ExitCodes.OK;
    }
    List<Map<String, Object>> models = new ArrayList<>();
    for (ModelSpec m : Catalog.models().values()) {
      models.add(summary(m));
    }
    List<Map<String, Object>> gpus = new ArrayList<>();
    for (Gpu g : Catalog.gpus().values()) {
      gpus.add(summary(g));
    }
    if (json) {
      Map<String, Object> all = new LinkedHashMap<>();
      all.put("models", models);
      all.put("gpus", gpus);
      all.put("gpu_aliases", Catalog.gpuAliases());
      out.println(RunDirectory.mapper().writeValueAsString(all));
    } else {
      out.println("Models");
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"name", "layers", "params_B", "active_B", "kv_KiB/token", "weights",
          "source"});
      for (ModelSpec m : Catalog.models().values()) {
        rows.add(new String[] {m.name(), Integer.toString(m.layers()),
            fmt("%.2f", m.totalParams() / 1e9), fmt("%.2f", m.activeParams() / 1e9),
            fmt("%.2f", m.kvBytesPerToken() / 1024.0), m.weightDtype(), m.source()});
      }
      table(out, rows);
      out.println();
      out.println("GPUs");
      rows = new ArrayList<>();
      rows.add(new String[] {"name", "memory_GiB", "bandwidth_TB/s", "bf16_TFLOP/s",
          "fp8_TFLOP/s", "$/h", "source"});
      for (Gpu g : Catalog.gpus().values()) {
        rows.add(new String[] {g.name(), fmt("%.1f", g.memoryBytes() / GIB),
            fmt("%.3f", g.hbmBytesPerSecond() / 1e12), fmt("%.1f", g.bf16Flops() / 1e12),
            fmt("%.1f", g.fp8Flops() / 1e12), fmt("%.2f", g.dollarsPerHour()), g.source()});
      }
      table(out, rows);
      Catalog.gpuAliases().forEach((alias, target) ->
          out.println("alias: " + alias + " = " + target));
      out.println("Prices: a100-80gb and mi300x from arXiv 2604.08075; the others are an assumed "
          + "on-demand list price (override with --gpu-price or gpu-price:).");
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static Map<String, Object> summary(ModelSpec m) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("name", m.name());
    r.put("layers", m.layers());
    r.put("total_params", m.totalParams());
    r.put("active_params", m.activeParams());
    r.put("kv_bytes_per_token", m.kvBytesPerToken());
    r.put("weight_dtype", m.weightDtype());
    r.put("source", m.source());
    return r;
  }

  private static Map<String, Object> summary(Gpu g) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("name", g.name());
    r.put("memory_bytes", g.memoryBytes());
    r.put("bandwidth_bytes_per_s", g.hbmBytesPerSecond());
    r.put("bf16_flops", g.bf16Flops());
    r.put("fp8_flops", g.fp8Flops());
    r.put("dollars_per_hour", g.dollarsPerHour());
    r.put("price_source", g.priceSource());
    r.put("source", g.source());
    return r;
  }

  private static Map<String, Object> details(ModelSpec m) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("name", m.name());
    r.put("source", m.source());
    r.put("layers", m.layers());
    r.put("hidden_size", m.hiddenSize());
    r.put("attention_heads", m.queryHeads());
    r.put("kv_heads", m.kvHeads());
    r.put("head_dim", m.headDim());
    if (m.latentKv()) {
      r.put("v_head_dim", m.valueHeadDim());
      r.put("mla_latent_dim", m.kvLatentDim());
    }
    r.put("intermediate_size", m.intermediateSize());
    r.put("vocab_size", m.vocabSize());
    r.put("sliding_window", m.slidingWindow());
    r.put("total_params", fmt("%.3f B", m.totalParams() / 1e9));
    r.put("active_params", fmt("%.3f B", m.activeParams() / 1e9));
    r.put("weight_dtype", m.weightDtype());
    r.put("weight_bytes", fmt("%.2f GB", m.weightBytes() / 1e9));
    r.put("kv_cache_bytes_per_element", m.kvBytesPerElement());
    r.put("kv_bytes_per_token", fmt("%,d (%.2f KiB)", m.kvBytesPerToken(),
        m.kvBytesPerToken() / 1024.0));
    return r;
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.US, format, args);
  }

  /** Prints rows as columns: text left-aligned, numbers right-aligned, the last column free. */
  private static void table(PrintWriter out, List<String[]> rows) {
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    for (String[] row : rows) {
      for (int c = 0; c < columns; c++) {
        width[c] = Math.max(width[c], row[c].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        if (c > 0) {
          line.append("  ");
        }
        boolean last = c == columns - 1;
        boolean numeric = row != rows.get(0) && row[c].matches("-?[0-9.,]+");
        String cell = last ? row[c] : numeric
            ? " ".repeat(width[c] - row[c].length()) + row[c]
            : row[c] + " ".repeat(width[c] - row[c].length());
        line.append(cell);
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
