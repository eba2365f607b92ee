package io.poolbench.harness.cli;

import io.poolbench.traces.BadInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code poolbench microbench}: the JMH runner over the benchmarks compiled into the jar. */
@Command(
    name = "microbench",
    header = "Run the JMH microbenchmarks compiled into this jar.",
    description = {
      "Every argument goes to JMH: a regex selects benchmarks, and the usual JMH options apply, "
          + "for example: poolbench microbench Route -f 1 -wi 3 -i 5 -prof gc -rf json.",
      "'poolbench microbench -l' lists the benchmarks; 'poolbench microbench -h' shows JMH's "
          + "options. Benchmarks are never part of the test suite."
    })
final class MicrobenchCommand implements Callable<Integer> {

  @Unmatched List<String> jmhArgs = new ArrayList<>();

  @Override
  public Integer call() throws RunnerException, java.io.IOException {
    if (MicrobenchCommand.class.getResource("/META-INF/BenchmarkList") == null) {
      throw new BadInputException("This jar contains no JMH benchmarks (META-INF/BenchmarkList is "
          + "missing); build it with ./mvnw package");
    }
    CommandLineOptions options;
    try {
      options = new CommandLineOptions(jmhArgs.toArray(String[]::new));
    } catch (CommandLineOptionException e) {
      throw new BadInputException("Bad JMH option: " + e.getMessage(), e);
    }
    if (options.shouldHelp()) {
      options.showHelp();
      return ExitCodes.OK;
    }
    Runner runner = new Runner(options);
    if (options.shouldList()) {
      runner.list();
      return ExitCodes.OK;
    }
    return runner.run().isEmpty() ? ExitCodes.BAD_INPUT : ExitCodes.OK;
  }
}
