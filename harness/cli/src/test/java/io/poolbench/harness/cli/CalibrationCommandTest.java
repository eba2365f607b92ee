package io.poolbench.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CalibrationCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void calibration_json_reportsCategoriesAndMisrouteRates() throws Exception {
    assertThat(run("study", "calibration", "--json", "--seed", "5", "--requests", "200"))
        .isEqualTo(ExitCodes.OK);
    JsonNode root = new ObjectMapper().readTree(out.toString());
    assertThat(root.path("categories")).hasSize(3);
    assertThat(root.path("categories").get(2).path("name").asText()).isEqualTo("cjk");
    assertThat(root.path("categories").get(0).path("estimate_at").path("50").asDouble())
        .isPositive();
    assertThat(root.path("misroute_rate").path("static").isNumber()).isTrue();
  }

  @Test
  void calibration_table_comparesWithPaper() {
    assertThat(run("study", "calibration", "--requests", "200")).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).contains("paper: static 4.1%").contains("prose").contains("n=50");
  }

  @Test
  void calibration_badTokenizer_isBadInput() {
    assertThat(run("study", "calibration", "--tokenizer", "gpt2")).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString().trim())
        .isEqualTo("poolbench: Unknown tokenizer 'gpt2'; expected one of cl100k_base, o200k_base");
  }

  @Test
  void calibration_badCorpus_isBadInput() {
    assertThat(run("study", "calibration", "--corpus", "wiki")).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString().trim())
        .isEqualTo("poolbench: --corpus 'wiki' is not one of synthesizer, vocabulary");
  }

  @Test
  void calibration_tooFewRequests_isBadInput() {
    assertThat(run("study", "calibration", "--requests", "50")).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString().trim()).isEqualTo("poolbench: requests per category (50) must be "
        + "at least the largest checkpoint (200)");
  }
}
