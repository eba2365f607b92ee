package io.poolbench.harness.cli;

import io.poolbench.traces.BadInputException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** Entry point of the {@code poolbench} launcher and of the runnable jar. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    quietNettyLeakDetection();
    System.exit(run(args));
  }

  /**
   * Netty samples buffers for leak reports by default, which costs a captured stack trace now and
   * then on the proxy's and the mock's hot paths. Real runs turn it off unless the user asked for a
   * level with {@code -Dio.netty.leakDetection.level}; the test suite keeps Netty's default.
   */
  static void quietNettyLeakDetection() {
    if (System.getProperty("io.netty.leakDetection.level") == null
        && System.getProperty("io.netty.leakDetectionLevel") == null) {
      io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
    }
  }

  /** Runs the CLI and returns the exit status instead of exiting (used by tests). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** A configured command line, with poolbench's exit codes and error printing. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new PoolbenchCommand());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setUsageHelpAutoWidth(true);
    cli.setParameterExceptionHandler(new UsageErrorHandler());
    cli.setExecutionExceptionHandler(new FailureHandler());
    cli.setExitCodeExceptionMapper(ex -> ex instanceof BadInputException ? ExitCodes.BAD_INPUT
        : ex instanceof UnreachableException ? ExitCodes.UNREACHABLE : ExitCodes.INTERNAL_ERROR);
    return cli;
  }

  /** Bad flags: one line naming the problem, then a hint; the usage text only with {@code -v}. */
  private static final class UsageErrorHandler implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
      CommandLine cmd = ex.getCommandLine();
      PrintWriter err = cmd.getErr();
      err.println("poolbench: " + ex.getMessage());
      if (VerboseOption.isVerbose(args)) {
        cmd.usage(err);
      } else {
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
      }
      return ExitCodes.BAD_INPUT;
    }
  }

  /**
   * Failures while running: user errors exit 2, an unreachable target 4, anything else 1; stack
   * traces only with -v.
   */
  private static final class FailureHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
      PrintWriter err = cmd.getErr();
      boolean verbose = VerboseOption.isVerbose(parsed.originalArgs().toArray(String[]::new));
      if (ex instanceof UnreachableException) {
        err.println("poolbench: " + ex.getMessage());
        if (verbose) {
          ex.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.UNREACHABLE;
      }
      Throwable userError = userError(ex);
      if (userError != null) {
        err.println("poolbench: " + userError.getMessage());
        if (verbose) {
          ex.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.BAD_INPUT;
      }
      err.println("poolbench: internal error: " + ex);
      if (verbose) {
        ex.printStackTrace(err);
      } else {
        err.println("(run again with -v for the stack trace)");
      }
      err.flush();
      return ExitCodes.INTERNAL_ERROR;
    }

    private static Throwable userError(Throwable ex) {
      for (Throwable t = ex; t != null; t = t.getCause()) {
        if (t instanceof BadInputException) {
          return t;
        }
        if (t instanceof UncheckedIOException u && u.getCause() instanceof NoSuchFileException n) {
          return new BadInputException("Could not find file: " + n.getFile());
        }
      }
      return null;
    }
  }
}
