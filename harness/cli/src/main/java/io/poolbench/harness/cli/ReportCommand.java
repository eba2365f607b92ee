package io.poolbench.harness.cli;

import io.poolbench.reports.ReportFormat;
import io.poolbench.reports.html.HtmlReporter;
import io.poolbench.reports.model.Report;
import io.poolbench.reports.model.RunData;
import io.poolbench.reports.model.RunLoadException;
import io.poolbench.reports.model.RunLoader;
import io.poolbench.reports.text.TextReporter;
import io.poolbench.traces.BadInputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code poolbench report}: HTML, text or CSV reports from run directories. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Report on one or more run directories, side by side.",
    description = {
      "Reads only run directories (run.json, summary.json, and when present latency.hlog, "
          + "requests.csv.gz and routing.json) written by 'poolbench simulate' or the load "
          + "generator. Several directories are shown side by side, one column and one color "
          + "per run, labelled by run.json's policy (or --label).",
      "html writes <dir>/index.html with its assets (works offline; --single-file inlines them "
          + "for sharing); text prints the summary "
          + "table (and writes <dir>/summary.txt with -o); csv writes <dir>/summary.csv.",
      "A missing directory, or one without run.json and summary.json, is an error (exit 2)."
    },
    sortOptions = false)
final class ReportCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "<rundir>",
      description = "Run directories to report on, in the order of the report's columns.")
  List<Path> runDirs;

  @Option(names = {"-o", "--output"}, paramLabel = "<dir>",
      description = "The directory to write the report into (created if missing); required "
          + "for html and csv.")
  Path output;

  @Option(names = "--format", paramLabel = "<format>", split = ",", defaultValue = "html",
      description = "html, text or csv; several may be given, comma-separated. "
          + "Default: ${DEFAULT-VALUE}.")
  List<String> formats;

  @Option(names = "--label", paramLabel = "<label>", split = ",",
      description = "Labels for the runs, one per run directory in order (comma-separated or "
          + "repeated). Default: each run's policy from run.json.")
  List<String> labels;

  @Option(names = "--gpu-price", paramLabel = "<dollars>",
      description = "Price per GPU-hour for $/year, overriding run.json's (which simulated and "
          + "compare runs take from the GPU catalog or the fleet file's gpu-price).")
  Double gpuPrice;

  @Option(names = "--single-file",
      description = "html: inline the stylesheet and script into index.html, so the one file "
          + "can be shared (no assets/ directory).")
  boolean singleFile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Set<ReportFormat> chosen = new LinkedHashSet<>();
    for (String f : formats) {
      try {
        chosen.add(ReportFormat.named(f));
      } catch (IllegalArgumentException e) {
        throw new BadInputException("--format: " + e.getMessage());
      }
    }
    if (output == null && (chosen.contains(ReportFormat.HTML)
        || chosen.contains(ReportFormat.CSV))) {
      throw new BadInputException("--output <dir> is required for html and csv reports");
    }
    if (gpuPrice != null && !(gpuPrice >= 0 && Double.isFinite(gpuPrice))) {
      throw new BadInputException("--gpu-price '" + gpuPrice + "' is not a non-negative number");
    }
    Report report;
    try {
      // each directory streams its own files; load them side by side
      List<RunData> data = runDirs.parallelStream().map(RunLoader::load).toList();
      report = Report.of(data, labels, gpuPrice);
    } catch (RunLoadException e) {
      throw new BadInputException(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(TextReporter.render(report));
    for (ReportFormat f : chosen) {
      if (output != null) {
        Path written = (f == ReportFormat.HTML && singleFile ? new HtmlReporter(true)
            : f.reporter()).write(report, output);
        out.println(f.name().toLowerCase(java.util.Locale.ROOT) + " report: " + written);
      }
    }
    out.flush();
    return ExitCodes.OK;
  }
}
