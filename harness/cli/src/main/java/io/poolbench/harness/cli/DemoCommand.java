package io.poolbench.harness.cli;

import io.poolbench.harness.compare.Comparison;
import io.poolbench.harness.fleet.FleetConfig;
import io.poolbench.harness.fleet.FleetConfigs;
import io.poolbench.reports.rundir.Summary;
import io.poolbench.traces.synthetic.BuiltinWorkloads;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code poolbench demo}: single pool against two pools on builtin:long-mix, live and simulated. */
@Command(
    name = "demo",
    header = "Single pool vs two pools on builtin:long-mix: live mock fleet, router, simulator, report.",
    description = {
      "Starts a small mock vLLM fleet in-process (three 8K instances and one 64K instance, or "
          + "four 64K instances for the single-pool mode: the same GPUs), puts the poolbench router "
          + "in front, replays builtin:long-mix at 30 req/s with 5%% of requests needing 8K-64K "
          + "tokens through each mode with the load generator, simulates the same, and writes an "
          + "HTML report. About 3 minutes on two cores."
    })
final class DemoCommand implements Callable<Integer> {

  @Option(names = {"-o", "--output"}, paramLabel = "<dir>", defaultValue = "runs/demo",
      description = "Where the run directories and the report go. Default: ${DEFAULT-VALUE}.")
  Path output;

  @Option(names = "--duration", paramLabel = "<duration>", defaultValue = "60s",
      description = "Length of the replayed trace per mode. Default: ${DEFAULT-VALUE}.")
  String duration;

  @Option(names = "--rate", paramLabel = "<req/s>", defaultValue = "30",
      description = "Mean request rate. Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(names = "--long-share", paramLabel = "<fraction>", defaultValue = "0.05",
      description = "Share of requests needing 8K-64K tokens. Default: ${DEFAULT-VALUE}.")
  double longShare;

  @Option(names = "--single-file",
      description = "Write the HTML report as one self-contained file (stylesheet and script "
          + "inlined) for sharing.")
  boolean singleFile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    FleetConfig fleet = FleetConfigs.parse(resource("demo-fleet.yaml"), "demo-fleet.yaml");
    Comparison.Plan plan = new Comparison.Plan(fleet, List.of("single", "token-budget"),
        List.of(Comparison.Kind.LIVE, Comparison.Kind.SIM), new Summary.Slo(2000, 80), 1);
    return CompareCommand.run(spec.commandLine().getOut(), plan,
        BuiltinWorkloads.open("long-mix?rate=" + rate + "&duration=" + duration
            + "&seed=1&long-share=" + longShare),
        output, false, singleFile);
  }

  private static String resource(String name) {
    try (InputStream in = DemoCommand.class.getResourceAsStream("/io/poolbench/harness/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
