package io.poolbench.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolbench.reports.rundir.RunDirectory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReportCommandTest {

  private static final String TRACE = "builtin:long-mix?rate=5&duration=20s";

  @TempDir static Path runs;
  @TempDir Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private static int quiet(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(new StringWriter()));
    cli.setErr(new PrintWriter(new StringWriter()));
    return cli.execute(args);
  }

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @BeforeAll
  static void simulateTwoModes() {
    assertThat(quiet("simulate", "--preset", "paper-a100", "--short-instances", "2",
        "--long-instances", "2", "--trace", TRACE, "-o", runs.resolve("two").toString()))
        .isEqualTo(ExitCodes.OK);
    assertThat(quiet("simulate", "--preset", "paper-a100", "--variant", "homogeneous",
        "--policy", "single", "--instances", "4", "--trace", TRACE, "-o",
        runs.resolve("one").toString())).isEqualTo(ExitCodes.OK);
  }

  @Test
  void report_twoSimulatedModes_writesEveryFormatAndPrintsTheTable() throws Exception {
    Path dir = tmp.resolve("report");
    int rc = run("report", runs.resolve("one").toString(), runs.resolve("two").toString(), "-o",
        dir.toString(), "--format", "html,text,csv");

    assertThat(rc).as(err.toString()).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).contains("single", "token-budget", "GPUs", "TTFT p99 (ms)")
        .contains("html report: " + dir.resolve("index.html"));
    assertThat(Files.readString(dir.resolve("index.html"))).contains("Live vs simulated");
    assertThat(dir.resolve("assets/report.js")).exists();
    // golden check: the CSV carries each run's fleet size exactly as run.json states it
    int oneGpus = RunDirectory.open(runs.resolve("one")).readRunInfo().gpus();
    int twoGpus = RunDirectory.open(runs.resolve("two")).readRunInfo().gpus();
    long twoRequests = RunDirectory.open(runs.resolve("two")).readSummary().requests().total();
    assertThat(Files.readString(dir.resolve("summary.csv")))
        .startsWith("metric,group,label,unit,single,token-budget\r\n")
        .contains("\r\ngpus,Fleet,GPUs,," + oneGpus + "," + twoGpus + "\r\n")
        .contains("\r\nrequests,Reliability,Requests,," + twoRequests + "," + twoRequests
            + "\r\n");
    assertThat(dir.resolve("summary.txt")).isNotEmptyFile();
  }

  @Test
  void report_singleFile_inlinesTheAssetsAndTheConsoleStatesTheVerdict() throws Exception {
    Path dir = tmp.resolve("shared");
    int rc = run("report", runs.resolve("one").toString(), runs.resolve("two").toString(), "-o",
        dir.toString(), "--single-file");

    assertThat(rc).as(err.toString()).isEqualTo(ExitCodes.OK);
    assertThat(dir.resolve("assets")).doesNotExist();
    String page = Files.readString(dir.resolve("index.html"));
    assertThat(page).doesNotContain("assets/").contains("<style>").contains("verdict-line");
    // both runs are simulated: one verdict line, naming the better mode and the SLO
    assertThat(out.toString().lines().filter(l -> l.startsWith("verdict: ")).toList())
        .hasSize(1).allSatisfy(l -> assertThat(l).contains("goodput per GPU")
            .contains("P99 TTFT 2 s / TPOT 80 ms"));
  }

  @Test
  void report_textWithoutOutput_printsOnly() {
    assertThat(run("report", runs.resolve("two").toString(), "--format", "text",
        "--label", "two pools")).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).contains("two pools").doesNotContain("report:");
  }

  @Test
  void report_missingDirectory_exitsTwoWithOneLine() {
    Path missing = tmp.resolve("no-such-run");
    assertThat(run("report", missing.toString(), "-o", tmp.resolve("r").toString()))
        .isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).isEqualTo("poolbench: Could not find run directory: " + missing
        + System.lineSeparator());
  }

  @Test
  void report_directoryThatIsNotARun_exitsTwoWithOneLine() throws Exception {
    Path notRun = Files.createDirectories(tmp.resolve("empty"));
    assertThat(run("report", notRun.toString(), "-o", tmp.resolve("r").toString()))
        .isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).isEqualTo("poolbench: Not a run directory (needs run.json and "
        + "summary.json): " + notRun + System.lineSeparator());
  }

  @Test
  void report_badFormatOrMissingOutput_exitsTwo() {
    assertThat(run("report", runs.resolve("two").toString(), "--format", "pdf", "-o",
        tmp.toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).startsWith("poolbench: --format: Unknown report format 'pdf'");
    assertThat(run("report", runs.resolve("two").toString())).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("--output <dir> is required for html and csv reports");
  }
}
