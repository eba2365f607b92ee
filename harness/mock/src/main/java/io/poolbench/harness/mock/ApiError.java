package io.poolbench.harness.mock;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * An error answer in vLLM's shape: HTTP {@code status} with the error envelope, nested
 * ({@code {"error":{...}}}, v0.10.1 on) or flat ({@code {"object":"error",...}}, up to v0.10.0).
 *
 * @param status HTTP status (also the envelope's {@code code})
 * @param type {@code BadRequestError}, {@code NotFoundError}, {@code InternalServerError} ...
 * @param message the human-readable text, as vLLM words it
 * @param param the offending parameter, or null
 */
public record ApiError(int status, String type, String message, String param) {

  /** HTTP 400 {@code BadRequestError}. */
  public static ApiError badRequest(String message) {
    return new ApiError(400, "BadRequestError", message, null);
  }

  /** HTTP 400 {@code BadRequestError} naming the parameter. */
  public static ApiError badRequest(String message, String param) {
    return new ApiError(400, "BadRequestError", message, param);
  }

  /** HTTP 404 for a model that is not served. */
  public static ApiError unknownModel(String model) {
    return new ApiError(404, "NotFoundError", "The model `" + model + "` does not exist.",
        "model");
  }

  /** HTTP 500 after the engine died (vLLM's EngineDeadError). */
  public static ApiError engineDead() {
    return new ApiError(500, "InternalServerError", io.poolbench.harness.engine.Outcome.EngineDead
        .MESSAGE, null);
  }

  /** The JSON body in the given envelope style. */
  public String json(ErrorStyle style) {
    StringBuilder sb = new StringBuilder(128);
    if (style == ErrorStyle.NESTED) {
      sb.append("{\"error\":");
      appendFields(sb, false);
      return sb.append('}').toString();
    }
    appendFields(sb, true);
    return sb.toString();
  }

  /** The object of the in-stream error event ({@code data: {"error":{...}}}). */
  public String streamEventJson(ErrorStyle style) {
    StringBuilder sb = new StringBuilder(128).append("{\"error\":");
    appendFields(sb, style == ErrorStyle.FLAT);
    return sb.append('}').toString();
  }

  private void appendFields(StringBuilder sb, boolean withObject) {
    sb.append('{');
    if (withObject) {
      sb.append("\"object\":\"error\",");
    }
    sb.append("\"message\":");
    quote(sb, message);
    sb.append(",\"type\":");
    quote(sb, type);
    sb.append(",\"param\":");
    if (param == null) {
      sb.append("null");
    } else {
      quote(sb, param);
    }
    sb.append(",\"code\":").append(status).append('}');
  }

  /** Appends {@code s} as a JSON string literal. */
  static void quote(StringBuilder sb, String s) {
    sb.append('"');
    JsonStringEncoder.getInstance().quoteAsString(s, sb);
    sb.append('"');
  }
}
