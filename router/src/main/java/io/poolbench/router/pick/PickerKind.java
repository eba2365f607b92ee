package io.poolbench.router.pick;

import io.poolbench.traces.BadInputException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The registry of endpoint pickers: each constant has its config name and a factory. */
public enum PickerKind {
  /** The next endpoint in turn. */
  ROUND_ROBIN("round-robin", RoundRobinPicker::new),
  /** Fewest outstanding requests. */
  LEAST_REQUESTS("least-requests", s -> new LeastLoadedPicker(false, s)),
  /** Fewest outstanding estimated tokens (token-aware load). */
  LEAST_TOKENS("least-tokens", s -> new LeastLoadedPicker(true, s)),
  /** The less loaded of two random endpoints. */
  POWER_OF_TWO("power-of-two", PowerOfTwoPicker::new),
  /** The endpoint that served the request's longest known prefix, within a load bound. */
  PREFIX_AFFINITY("prefix-affinity", PrefixAffinityPicker::new);

  private final String pickerName;
  private final Function<PickerSettings, EndpointPicker> factory;

  PickerKind(String pickerName, Function<PickerSettings, EndpointPicker> factory) {
    this.pickerName = pickerName;
    this.factory = factory;
  }

  public String pickerName() {
    return pickerName;
  }

  public EndpointPicker create(PickerSettings settings) {
    return factory.apply(settings);
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(PickerKind::pickerName).toList();
  }

  /** The picker called {@code name} (case-insensitive; {@code _} and {@code -} are the same). */
  public static PickerKind named(String name) {
    if (name != null) {
      String wanted = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
      for (PickerKind kind : values()) {
        if (kind.pickerName.equals(wanted)) {
          return kind;
        }
      }
    }
    throw new BadInputException("Unknown endpoint picker '" + name + "'; valid pickers: "
        + Arrays.stream(values()).map(PickerKind::pickerName).collect(Collectors.joining(", ")));
  }
}
