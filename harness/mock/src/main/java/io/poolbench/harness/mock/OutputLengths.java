package io.poolbench.harness.mock;

import io.poolbench.traces.BadInputException;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The distribution of a response's natural length (where the model would emit EOS), used when a
 * request neither sets {@code ignore_eos} nor forces its length with {@code min_tokens}. Spelled
 * {@code fixed:N}, {@code uniform:A..B}, {@code exp:MEAN} or {@code lognormal:MEDIAN,SIGMA}.
 *
 * @param kind the family
 * @param a N, A, MEAN or MEDIAN
 * @param b B or SIGMA (unused otherwise)
 */
public record OutputLengths(Kind kind, double a, double b) {

  /** The families of natural output lengths. */
  public enum Kind { FIXED, UNIFORM, EXP, LOGNORMAL }

  /** Default: log-normal, median 180 tokens, sigma 1.0 (a chat-like spread). */
  public static final OutputLengths DEFAULT = new OutputLengths(Kind.LOGNORMAL, 180, 1.0);

  private static final String GRAMMAR =
      "expected fixed:N, uniform:A..B, exp:MEAN or lognormal:MEDIAN,SIGMA with positive numbers";

  /** Parses a spelling such as {@code lognormal:180,1.0}. */
  public static OutputLengths parse(String spec) {
    String s = spec == null ? "" : spec.strip().toLowerCase(Locale.ROOT);
    int colon = s.indexOf(':');
    if (colon < 0) {
      throw new BadInputException("Output length '" + spec + "' is malformed; " + GRAMMAR);
    }
    String family = s.substring(0, colon);
    String args = s.substring(colon + 1);
    try {
      return switch (family) {
        case "fixed" -> check(spec, new OutputLengths(Kind.FIXED, num(args), 0));
        case "exp" -> check(spec, new OutputLengths(Kind.EXP, num(args), 0));
        case "uniform" -> {
          String[] p = args.split("\\.\\.");
          yield check(spec, new OutputLengths(Kind.UNIFORM, num(p[0]), num(p[1])));
        }
        case "lognormal" -> {
          String[] p = args.split(",");
          yield check(spec, new OutputLengths(Kind.LOGNORMAL, num(p[0]), num(p[1])));
        }
        default -> throw new BadInputException("Output length '" + spec + "' has an unknown "
            + "family '" + family + "'; " + GRAMMAR);
      };
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      throw new BadInputException("Output length '" + spec + "' is malformed; " + GRAMMAR);
    }
  }

  private static double num(String s) {
    return Double.parseDouble(s.strip().replace("_", ""));
  }

  private static OutputLengths check(String spec, OutputLengths d) {
    boolean ok = d.a > 0 && (d.kind == Kind.FIXED || d.kind == Kind.EXP || d.b > 0)
        && (d.kind != Kind.UNIFORM || d.b >= d.a);
    if (!ok) {
      throw new BadInputException("Output length '" + spec + "' is out of range; " + GRAMMAR);
    }
    return d;
  }

  /** Draws a natural length (at least 1 token). */
  public int draw(SplittableRandom random) {
    double v = switch (kind) {
      case FIXED -> a;
      case UNIFORM -> a + random.nextDouble() * (b - a + 1);
      case EXP -> -a * Math.log(1 - random.nextDouble());
      case LOGNORMAL -> a * Math.exp(b * gaussian(random));
    };
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE / 2, Math.floor(v)));
  }

  private static double gaussian(SplittableRandom r) {
    double u = 1 - r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** The spelling that {@link #parse} reads back. */
  public String spelling() {
    return switch (kind) {
      case FIXED -> String.format(Locale.US, "fixed:%.0f", a);
      case UNIFORM -> String.format(Locale.US, "uniform:%.0f..%.0f", a, b);
      case EXP -> String.format(Locale.US, "exp:%s", a);
      case LOGNORMAL -> String.format(Locale.US, "lognormal:%s,%s", a, b);
    };
  }
}
