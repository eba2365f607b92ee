package io.poolbench.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CatalogCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int cli(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private List<String> lines() {
    return Arrays.asList(out.toString().split("\\R"));
  }

  private String row(String name) {
    return lines().stream().filter(l -> l.startsWith(name + " ")).findFirst()
        .orElseThrow(() -> new AssertionError("no row " + name + " in\n" + out));
  }

  @Test
  void listsModelsAndGpusAsAlignedTables() {
    assertThat(cli("catalog")).isEqualTo(0);
    assertThat(row("deepseek-v3").split("\\s+")).startsWith("deepseek-v3", "61", "671.03",
        "37.55", "68.63", "fp8", "huggingface.co/deepseek-ai/DeepSeek-V3");
    assertThat(row("llama-3-8b").split("\\s+")).startsWith("llama-3-8b", "32", "8.03", "8.03",
        "128.00", "bf16");
    assertThat(row("mixtral-8x7b").split("\\s+")).startsWith("mixtral-8x7b", "32", "46.70",
        "12.88");
    assertThat(row("h100-sxm").split("\\s+")).startsWith("h100-sxm", "80.0", "3.350", "989.5",
        "1979.0", "2.99", "NVIDIA");
    assertThat(row("a100-80gb").split("\\s+")).startsWith("a100-80gb", "80.0", "2.039", "312.0",
        "0.0", "2.21");
    assertThat(row("mi325x")).contains("AMD Instinct MI325X data sheet");
    assertThat(out.toString()).contains("alias: h100-80gb = h100-sxm");
    // Aligned: the source column starts at the same offset on every model row.
    int at = row("llama-2-7b").indexOf("huggingface.co/");
    assertThat(row("qwen3-235b-a22b-fp8").indexOf("huggingface.co/")).isEqualTo(at);
    assertThat(lines().stream().filter(l -> l.startsWith("name ")).findFirst().orElseThrow()
        .indexOf("source")).isEqualTo(at);
  }

  @Test
  void json_listsEveryEntry() throws Exception {
    assertThat(cli("catalog", "--json")).isEqualTo(0);
    JsonNode root = new ObjectMapper().readTree(out.toString());
    assertThat(root.get("models")).hasSize(9);
    assertThat(root.get("gpus")).hasSize(12);
    assertThat(root.get("models").get(0).get("name").asText()).isEqualTo("llama-2-7b");
    assertThat(root.get("gpus").get(0).get("memory_bytes").asLong()).isEqualTo(40L << 30);
    assertThat(root.at("/gpu_aliases/h100-80gb").asText()).isEqualTo("h100-sxm");
  }

  @Test
  void modelConfig_printsTheDerivedFigures() throws Exception {
    Path cfg = dir.resolve("tiny-moe.json");
    Files.writeString(cfg, """
        {"num_hidden_layers": 4, "hidden_size": 1024, "num_attention_heads": 16,
         "num_key_value_heads": 4, "intermediate_size": 2048, "vocab_size": 32000,
         "num_local_experts": 8, "num_experts_per_tok": 2, "torch_dtype": "bfloat16"}
        """);
    assertThat(cli("catalog", "--model-config", cfg.toString(), "--kv-cache-dtype", "fp8"))
        .isEqualTo(0);
    assertThat(row("name")).endsWith("tiny-moe");
    // 4 layers x 2 (K, V) x 4 heads x 64 x 1 byte.
    assertThat(row("kv_bytes_per_token")).endsWith("2,048 (2.00 KiB)");
    assertThat(row("kv_cache_bytes_per_element")).endsWith(" 1");
    assertThat(row("weight_dtype")).endsWith("bf16");
    // Embeddings 2 x 32000 x 1024; per layer attention 2 x 1024^2 + 2 x 1024 x 256, 8 experts of
    // 3 x 1024 x 2048, router 8 x 1024, two norms; the final norm.
    double total = 2 * 32000.0 * 1024 + 4 * (2 * 1024.0 * 1024 + 2 * 1024.0 * 256
        + 8 * 3 * 1024.0 * 2048 + 8 * 1024 + 2 * 1024) + 1024;
    assertThat(row("total_params")).endsWith(String.format(java.util.Locale.US, "%.3f B",
        total / 1e9));
  }

  @Test
  void badModelConfig_exitsTwoNamingKeyAndFile() throws Exception {
    Path cfg = dir.resolve("broken.json");
    Files.writeString(cfg, "{\"num_hidden_layers\": 2}");
    assertThat(cli("catalog", "--model-config", cfg.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("'hidden_size'").contains(cfg.toString());
    assertThat(cli("catalog", "--model-config", cfg.toString(), "--dtype", "int8"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("dtype 'int8'");
  }
}
