package io.poolbench.harness.cli;

import io.poolbench.traces.BadInputException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.RunLast;
import picocli.CommandLine.UnmatchedArgumentException;

/** Entry point of the {@code poolbench} launcher and of the runnable jar. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    quietNettyLeakDetection();
    java.util.concurrent.atomic.AtomicBoolean told = new java.util.concurrent.atomic.AtomicBoolean();
    Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
      if (e instanceof OutOfMemoryError) {
        if (told.compareAndSet(false, true)) { // one line, not a stack trace per thread
          System.err.println(outOfMemory(e) + " [thread " + thread.getName() + "]");
        }
      } else {
        System.err.print("Exception in thread \"" + thread.getName() + "\" ");
        e.printStackTrace();
      }
    });
    int code;
    try {
      code = run(args);
    } catch (OutOfMemoryError e) {
      System.err.println(outOfMemory(e));
      code = ExitCodes.INTERNAL_ERROR;
    }
    System.exit(code);
  }

  /** The one line for a run that ran out of heap, with what to change. */
  static String outOfMemory(Throwable e) {
    return String.format(java.util.Locale.US, "poolbench: out of memory (%s) with a %d MiB heap; "
        + "give the JVM more (POOLBENCH_JAVA_OPTS=-Xmx<size>, e.g. -Xmx4g) or ask for less "
        + "(fewer open streams: --max-concurrency, --max-connections; a shorter run)",
        e.getMessage() == null ? "Java heap space" : e.getMessage(),
        Runtime.getRuntime().maxMemory() >> 20);
  }

  /** The OutOfMemoryError behind {@code ex}, in its causes or suppressed ones, or null. */
  static OutOfMemoryError outOfMemoryIn(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof OutOfMemoryError oom) {
        return oom;
      }
      for (Throwable s : t.getSuppressed()) {
        if (s instanceof OutOfMemoryError oom) {
          return oom;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
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
    cli.setExecutionStrategy(Main::executeUnlessUnmatched);
    cli.setExecutionExceptionHandler(new FailureHandler());
    cli.setExitCodeExceptionMapper(ex -> ex instanceof BadInputException ? ExitCodes.BAD_INPUT
        : ex instanceof UnreachableException ? ExitCodes.UNREACHABLE : ExitCodes.INTERNAL_ERROR);
    return cli;
  }

  /**
   * Picocli skips its unmatched-argument check when help was asked for, so {@code poolbench
   * lodgen --help} would print the main help and exit 0; any unmatched argument (outside a
   * command that collects them, as microbench does for JMH) is a usage error instead, help or not.
   */
  private static int executeUnlessUnmatched(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (!p.unmatched().isEmpty() && p.commandSpec().unmatchedArgsBindings().isEmpty()) {
        throw new UnmatchedArgumentException(p.commandSpec().commandLine(), p.unmatched());
      }
    }
    return new RunLast().execute(parsed);
  }

  private static final Pattern HELP_UNKNOWN = Pattern.compile("Unknown subcommand '(.*)'\\.");

  /**
   * The lines that name unknown commands and flags with a "did you mean", or an empty list when
   * {@code ex} is about something else. An unknown argument explains a missing required option
   * that follows from it ({@code loadgen --rat 5}), so it is reported instead.
   */
  static List<String> unknownArguments(ParameterException ex) {
    CommandLine cmd = ex.getCommandLine();
    Matcher help = HELP_UNKNOWN.matcher(String.valueOf(ex.getMessage()));
    if (help.matches()) { // 'poolbench help lodgen'
      return List.of(unknownCommand(cmd, help.group(1)));
    }
    List<CommandLine> chain = new ArrayList<>();
    for (CommandLine c = cmd; c != null; c = c.getParent()) {
      chain.add(0, c);
    }
    for (CommandLine c : chain) {
      List<String> unmatched = c.getUnmatchedArguments();
      if (unmatched.isEmpty() || !c.getCommandSpec().unmatchedArgsBindings().isEmpty()) {
        continue;
      }
      String first = unmatched.get(0);
      if (!looksLikeOption(first)) {
        if (!c.getSubcommands().isEmpty()) {
          return List.of(unknownCommand(c, first));
        }
        return List.of("Unexpected argument '" + first + "' for '"
            + c.getCommandSpec().qualifiedName() + "' (it takes no further arguments here)");
      }
      List<String> lines = new ArrayList<>();
      for (String arg : unmatched) {
        if (looksLikeOption(arg)) {
          lines.add(unknownOption(c, arg));
        }
      }
      return lines;
    }
    return List.of();
  }

  private static boolean looksLikeOption(String arg) {
    return arg.length() > 1 && arg.charAt(0) == '-' && !Character.isDigit(arg.charAt(1));
  }

  private static String unknownCommand(CommandLine parent, String typed) {
    String where = parent.getParent() == null ? ""
        : " for '" + parent.getCommandSpec().qualifiedName() + "'";
    return "Unknown command '" + typed + "'" + where + "."
        + Suggestions.didYouMean(Suggestions.closest(typed, parent.getSubcommands().keySet()));
  }

  private static String unknownOption(CommandLine cmd, String arg) {
    int eq = arg.indexOf('=');
    String name = eq > 0 ? arg.substring(0, eq) : arg;
    List<String> names = new ArrayList<>();
    for (OptionSpec o : cmd.getCommandSpec().options()) {
      if (!o.hidden()) {
        for (String n : o.names()) {
          if (n.length() > 2) { // long names only: a one-letter typo has too many neighbours
            names.add(n);
          }
        }
      }
    }
    return "Unknown option '" + name + "' for '" + cmd.getCommandSpec().qualifiedName() + "'."
        + Suggestions.didYouMean(Suggestions.closest(name, names));
  }

  /** Bad flags: one line naming the problem, then a hint; the usage text only with {@code -v}. */
  private static final class UsageErrorHandler implements IParameterExceptionHandler {
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
      CommandLine cmd = ex.getCommandLine();
      PrintWriter err = cmd.getErr();
      List<String> unknown = unknownArguments(ex);
      if (unknown.isEmpty()) {
        err.println("poolbench: " + ex.getMessage());
      } else {
        for (String line : unknown) {
          err.println("poolbench: " + line);
        }
      }
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
      String outputError = outputError(ex);
      if (outputError != null) {
        err.println("poolbench: " + outputError);
        if (verbose) {
          ex.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.OUTPUT_FAILED;
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
      OutOfMemoryError oom = outOfMemoryIn(ex);
      if (oom != null) {
        // a preallocated OutOfMemoryError thrown again by a close() ends as "Self-suppression
        // not permitted"; name the cause instead
        err.println(outOfMemory(oom));
        if (verbose) {
          ex.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.INTERNAL_ERROR;
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

    /**
     * The line for a failure to write an output because of the machine, not of poolbench or its
     * input (a full disk, a file-size limit, a read-only file system): the outermost message that
     * says what was being written, and the system's reason. Null for any other failure.
     */
    static String outputError(Throwable ex) {
      String reason = null;
      for (Throwable t = ex; t != null && t.getCause() != t; t = t.getCause()) {
        String m = t.getMessage();
        if (t instanceof java.io.IOException && m != null) {
          Matcher r = OUTPUT_REASON.matcher(m);
          if (r.find()) {
            reason = r.group();
          }
        }
      }
      if (reason == null) {
        return null;
      }
      String what = ex.getMessage();
      if (what == null || what.isBlank()) {
        return "could not write the output: " + reason;
      }
      // "Cannot write x: java.io.IOException: No space left on device" -> without the class name
      what = what.replaceAll("(?:[a-z]+\\.)+[A-Za-z]*(?:Exception|Error): ", "");
      return what.contains(reason) ? what : what + ": " + reason;
    }

    private static final Pattern OUTPUT_REASON = Pattern.compile(
        "No space left on device|Disk quota exceeded|File too large|Read-only file system");

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
