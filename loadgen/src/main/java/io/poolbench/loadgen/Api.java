package io.poolbench.loadgen;

import io.poolbench.traces.BadInputException;
import java.util.Locale;

/** Which OpenAI endpoint the load generator calls ({@code --api}). */
public enum Api {
  /** {@code POST /v1/completions} with a {@code prompt} string. */
  COMPLETIONS("/v1/completions"),
  /** {@code POST /v1/chat/completions} with one user message. */
  CHAT("/v1/chat/completions");

  private final String path;

  Api(String path) {
    this.path = path;
  }

  /** The request path under the target's base URL. */
  public String path() {
    return path;
  }

  /** Maps {@code completions} or {@code chat} (any case). */
  public static Api named(String name) {
    for (Api api : values()) {
      if (api.name().equalsIgnoreCase(name.strip())) {
        return api;
      }
    }
    throw new BadInputException("Unknown --api '" + name + "': expected completions or chat");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
