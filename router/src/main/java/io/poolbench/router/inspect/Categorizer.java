package io.poolbench.router.inspect;

import io.poolbench.traces.BadInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Names a request's content category for the estimator: from a request header (default
 * {@value #DEFAULT_HEADER}), from a sniff of a bounded {@link TextSample} (share of CJK code
 * points, density of code-like punctuation, JSON shape), either (header first), or not at all
 * (one bucket). The sniff's cost is bounded by the sample size, not the prompt size, and it
 * returns constant strings, so categorizing does not allocate.
 */
public final class Categorizer {

  /** The default category header. */
  public static final String DEFAULT_HEADER = "x-poolbench-category";

  public static final String PROSE = "prose";
  public static final String CODE = "code";
  public static final String CJK = "cjk";
  public static final String JSON = "json";

  // Thresholds over the non-space chars of the sample. English prose has under 1% of the
  // punctuation counted as code-like; source code typically 8-15%; CJK text is mostly CJK.
  private static final double CJK_SHARE = 0.2;
  private static final double JSON_SHARE = 0.12;
  private static final double CODE_SHARE = 0.04;

  /** Where the category comes from. */
  public enum Mode {
    /** Only the header; requests without it share the default bucket. */
    HEADER("header"),
    /** Only the text sniff. */
    SNIFF("sniff"),
    /** The header when present, else the sniff (the default). */
    HEADER_OR_SNIFF("header-or-sniff"),
    /** Never: every request shares the default bucket. */
    NONE("none");

    private final String modeName;

    Mode(String modeName) {
      this.modeName = modeName;
    }

    public String modeName() {
      return modeName;
    }

    /** The mode called {@code name} (case-insensitive). */
    public static Mode named(String name) {
      if (name != null) {
        String wanted = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Mode m : values()) {
          if (m.modeName.equals(wanted)) {
            return m;
          }
        }
      }
      throw new BadInputException("Unknown categorizer '" + name + "'; valid categorizers: "
          + Arrays.stream(values()).map(Mode::modeName).collect(Collectors.joining(", ")));
    }
  }

  private final Mode mode;
  private final String headerName;

  /** A {@link Mode#HEADER_OR_SNIFF} categorizer on {@value #DEFAULT_HEADER}. */
  public Categorizer() {
    this(Mode.HEADER_OR_SNIFF, DEFAULT_HEADER);
  }

  public Categorizer(Mode mode, String headerName) {
    this.mode = Objects.requireNonNull(mode, "mode");
    this.headerName = Objects.requireNonNull(headerName, "headerName").toLowerCase(Locale.ROOT);
  }

  public Mode mode() {
    return mode;
  }

  /** The header name, lower case (HTTP header names are case-insensitive). */
  public String headerName() {
    return headerName;
  }

  /** True when the categorizer reads the text sample (the inspector need not fill one else). */
  public boolean needsSample() {
    return mode == Mode.SNIFF || mode == Mode.HEADER_OR_SNIFF;
  }

  /**
   * The category of a request with header value {@code headerValue} (null when absent) and text
   * sample {@code sample} (may be null); null means the default bucket.
   */
  public String categorize(String headerValue, TextSample sample) {
    return switch (mode) {
      case NONE -> null;
      case HEADER -> normalize(headerValue);
      case SNIFF -> sniff(sample);
      case HEADER_OR_SNIFF -> {
        String fromHeader = normalize(headerValue);
        yield fromHeader != null ? fromHeader : sniff(sample);
      }
    };
  }

  private static String normalize(String value) {
    if (value == null) {
      return null;
    }
    String trimmed = value.strip();
    if (trimmed.isEmpty()) {
      return null;
    }
    for (int i = 0; i < trimmed.length(); i++) {
      if (Character.isUpperCase(trimmed.charAt(i))) {
        return trimmed.toLowerCase(Locale.ROOT);
      }
    }
    return trimmed;
  }

  /**
   * Sniffs {@code sample}: {@value #CJK} when CJK code points make up at least a fifth of the
   * non-space chars, {@value #JSON} when it starts like JSON and is dense in JSON punctuation,
   * {@value #CODE} when code-like punctuation is dense, else {@value #PROSE}; null for an empty
   * or missing sample.
   */
  public static String sniff(TextSample sample) {
    if (sample == null || sample.length() == 0) {
      return null;
    }
    int n = sample.length();
    int nonSpace = 0;
    int cjk = 0;
    int code = 0;
    int json = 0;
    char first = 0;
    for (int i = 0; i < n; i++) {
      char c = sample.charAt(i);
      if (Character.isWhitespace(c)) {
        continue;
      }
      if (nonSpace == 0) {
        first = c;
      }
      nonSpace++;
      if (isCjk(c)) {
        cjk++;
        continue;
      }
      switch (c) {
        case '{', '}', '[', ']', '"', ':' -> json++;
        default -> { }
      }
      switch (c) {
        case '{', '}', '[', ']', '(', ')', ';', '=', '<', '>', '_', '|', '&', '*', '#', '/',
            '\\', '$', '`', '+' -> code++;
        default -> { }
      }
    }
    if (nonSpace == 0) {
      return null;
    }
    if (cjk >= CJK_SHARE * nonSpace) {
      return CJK;
    }
    if ((first == '{' || first == '[') && json >= JSON_SHARE * nonSpace) {
      return JSON;
    }
    if (code >= CODE_SHARE * nonSpace) {
      return CODE;
    }
    return PROSE;
  }

  /** Han, kana, Hangul, CJK punctuation and full-width forms (BMP only; cheap range checks). */
  static boolean isCjk(char c) {
    return (c >= 0x4E00 && c <= 0x9FFF) // CJK unified ideographs
        || (c >= 0x3400 && c <= 0x4DBF) // extension A
        || (c >= 0x3000 && c <= 0x30FF) // CJK punctuation, hiragana, katakana
        || (c >= 0xAC00 && c <= 0xD7AF) // Hangul syllables
        || (c >= 0xFF00 && c <= 0xFFEF) // half/full-width forms
        || (c >= 0xF900 && c <= 0xFAFF); // compatibility ideographs
  }
}
