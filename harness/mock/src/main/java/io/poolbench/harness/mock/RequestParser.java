package io.poolbench.harness.mock;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.IntArrayList;
import io.poolbench.harness.engine.BlockHashes;
import io.poolbench.harness.engine.AdmissionErrors;
import io.poolbench.harness.engine.Outcome;
import io.poolbench.traces.prompt.ChatTemplate;
import java.util.Locale;

/**
 * Turns a request body into a {@link GenerationRequest} or the {@link ApiError} vLLM would send,
 * checking in vLLM's order: JSON and field types (pydantic, 400), {@code stream_options}, the
 * model (404), sampling parameters (400), {@code truncate_prompt_tokens} (left truncation; -1 =
 * to max_model_len), then the context length (400, v0.11 texts). Unknown fields are ignored.
 *
 * <p>Prompt tokens: a text prompt counts as the tokenizer's ordinary encoding (no BOS), a
 * token-id prompt as its length, a chat request as its contents plus the {@link ChatTemplate}
 * overhead ({@value ChatTemplate#TOKENS_PER_REQUEST} + {@value ChatTemplate#TOKENS_PER_MESSAGE}
 * per message), the same rule as {@code PromptSynthesizer.countChatPromptTokens}.
 *
 * <p>Block identities (when the engine caches prefixes): the prompt's token ids, after
 * truncation, hashed per full KV block ({@link BlockHashes#fromTokens}), so two requests with the
 * same leading text share their leading blocks. A chat prompt's template tokens take their place
 * in the stream as Llama 3's template puts them (begin-of-text; per message a header with the
 * role before the content and end-of-turn after it; the assistant header last), as ids no text
 * token has.
 */
public final class RequestParser {
  /** vLLM's default {@code max_tokens} for {@code /v1/completions}. */
  public static final int COMPLETIONS_DEFAULT_MAX_TOKENS = 16;

  static final ObjectMapper JSON = new ObjectMapper();

  private final Encoding encoding;
  private final String modelName;
  private final int maxModelLen;
  /** KV block size for block identities, or 0 when the engine does not cache prefixes. */
  private final int blockSize;

  /** A parser that computes no block identities (an engine without prefix caching). */
  public RequestParser(Encoding encoding, String modelName, int maxModelLen) {
    this(encoding, modelName, maxModelLen, 0);
  }

  /**
   * A parser for an engine of {@code maxModelLen}; with {@code blockSize} > 0 requests carry the
   * identities of their prompts' full blocks of that many tokens.
   */
  public RequestParser(Encoding encoding, String modelName, int maxModelLen, int blockSize) {
    this.encoding = encoding;
    this.modelName = modelName;
    this.maxModelLen = maxModelLen;
    this.blockSize = blockSize;
  }

  // template tokens in the identity stream (negative: no text token has these ids)
  private static final int BEGIN_OF_TEXT = -1;
  private static final int START_HEADER = -2;
  private static final int END_HEADER = -3;
  private static final int HEADER_SEPARATOR = -4;
  private static final int END_OF_TURN = -5;

  /** Thrown with the error response a request earns. */
  public static final class Rejected extends Exception {
    private final ApiError error;

    Rejected(ApiError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }

    public ApiError error() {
      return error;
    }
  }

  /** Parses and validates a body for {@code /v1/chat/completions} ({@code chat}) or completions. */
  public GenerationRequest parse(byte[] body, boolean chat) throws Rejected {
    JsonNode root = readObject(body);
    boolean stream = bool(root, "stream", false);
    JsonNode options = root.get("stream_options");
    boolean hasOptions = options != null && !options.isNull();
    if (hasOptions && !options.isObject()) {
      throw typeError("stream_options", "model_type", "Input should be a valid dictionary or "
          + "instance of StreamOptions", options);
    }
    boolean includeUsage = hasOptions && bool(options, "include_usage", true);
    boolean continuous = hasOptions && bool(options, "continuous_usage_stats", false);
    IntArrayList[] ids = blockSize > 0 ? new IntArrayList[chat ? 1 : promptCount(root)] : null;
    int[] prompts = chat ? new int[] {chatPromptTokens(root, ids)} : completionPrompts(root, ids);
    Integer maxTokens = chat ? integer(root, "max_completion_tokens") : null;
    if (maxTokens == null) {
      maxTokens = integer(root, "max_tokens");
    }
    int minTokens = orDefault(integer(root, "min_tokens"), 0);
    int n = orDefault(integer(root, "n"), 1);
    boolean ignoreEos = bool(root, "ignore_eos", false);
    Double temperature = number(root, "temperature");
    if (hasOptions && !stream) {
      throw new Rejected(ApiError.badRequest(
          "Stream options can only be defined when `stream=True`.", "stream_options"));
    }
    JsonNode model = root.get("model");
    if (model != null && !model.isNull()) {
      if (!model.isTextual()) {
        throw typeError("model", "string_type", "Input should be a valid string", model);
      }
      if (!model.asText().equals(modelName)) {
        throw new Rejected(ApiError.unknownModel(model.asText()));
      }
    }
    if (!chat && root.hasNonNull("suffix")) {
      throw new Rejected(ApiError.badRequest("suffix is not currently supported", "suffix"));
    }
    if (n < 1) {
      throw new Rejected(ApiError.badRequest("n must be at least 1, got " + n + ".", "n"));
    }
    if (temperature != null && temperature < 0) {
      throw new Rejected(ApiError.badRequest("temperature must be non-negative, got "
          + pyFloat(temperature) + ".", "temperature"));
    }
    int declared = maxTokens != null ? maxTokens : chat ? -1 : COMPLETIONS_DEFAULT_MAX_TOKENS;
    if (maxTokens != null && maxTokens < 1) {
      throw new Rejected(ApiError.badRequest(
          "max_tokens must be at least 1, got " + maxTokens + ".", "max_tokens"));
    }
    if (minTokens < 0) {
      throw new Rejected(ApiError.badRequest(
          "min_tokens must be greater than or equal to 0, got " + minTokens + ".", "min_tokens"));
    }
    if (declared > 0 && minTokens > declared) {
      throw new Rejected(ApiError.badRequest("min_tokens must be less than or equal to "
          + "max_tokens=" + declared + ", got " + minTokens + ".", "min_tokens"));
    }
    Integer truncate = integer(root, "truncate_prompt_tokens");
    if (truncate != null) {
      int k = truncate < 0 ? maxModelLen : truncate;
      if (k > maxModelLen) {
        throw new Rejected(ApiError.badRequest("truncate_prompt_tokens value is greater than "
            + "max_model_len. Please, select a smaller truncation size.",
            "truncate_prompt_tokens"));
      }
      for (int i = 0; i < prompts.length; i++) {
        prompts[i] = Math.min(prompts[i], k);
      }
    }
    for (int p : prompts) {
      Outcome.ContextRejected tooLong = AdmissionErrors.check(p, Math.max(declared, 0),
          maxModelLen);
      if (tooLong != null) {
        String param = p >= maxModelLen ? "input_tokens" : "max_tokens";
        throw new Rejected(ApiError.badRequest(tooLong.message(), param));
      }
    }
    long[][] blockHashes = null;
    if (ids != null) {
      blockHashes = new long[prompts.length][];
      for (int i = 0; i < prompts.length; i++) {
        int[] t = ids[i].toArray();
        // left truncation keeps the last prompts[i] tokens
        blockHashes[i] = BlockHashes.fromTokens(t, t.length - prompts[i], t.length, blockSize);
      }
    }
    return new GenerationRequest(chat, prompts, declared, minTokens, ignoreEos, n, stream,
        includeUsage, continuous, blockHashes);
  }

  private JsonNode readObject(byte[] body) throws Rejected {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JacksonException e) {
      throw jsonInvalid(e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw jsonInvalid(e.getMessage());
    }
    if (root == null || root.isMissingNode() || !root.isObject()) {
      throw new Rejected(ApiError.badRequest("[{'type': 'model_attributes_type', 'loc': "
          + "('body',), 'msg': 'Input should be a valid dictionary or object to extract fields "
          + "from', 'input': " + repr(root) + "}]"));
    }
    return root;
  }

  private static Rejected jsonInvalid(String detail) {
    return new Rejected(ApiError.badRequest("[{'type': 'json_invalid', 'loc': ('body', 0), "
        + "'msg': 'JSON decode error', 'input': {}, 'ctx': {'error': '" + firstLine(detail)
        + "'}}]"));
  }

  /** How many prompts a completions body carries, for sizing the identity arrays. */
  private static int promptCount(JsonNode root) {
    JsonNode prompt = root.get("prompt");
    if (prompt == null || !prompt.isArray() || prompt.isEmpty() || prompt.get(0).isNumber()) {
      return 1;
    }
    return prompt.size();
  }

  /** Texts longer than this many chars are tokenized in pieces (see {@link #tokens}). */
  static final int PIECE_CHARS = 8192;
  /** A piece without a cut point is cut after this many chars. */
  private static final int RUN_CHARS = 512;

  /**
   * The text's token count; with {@code ids}, its token ids are appended there. A long text is
   * tokenized in pieces of at most {@link #PIECE_CHARS} chars, each cut just before a space that
   * follows a non-space: byte-pair encoding never merges across such a point (the space opens
   * the next pre-token), so the count is the whole text's. Only a piece without such a space is
   * cut after {@link #RUN_CHARS} chars anywhere, which may change the count by a token there:
   * BPE's cost grows with the square of a pre-token's length, and one 10 MB word held a worker
   * for 40 s.
   */
  private int tokens(String text, IntArrayList ids) {
    if (text.length() <= PIECE_CHARS) {
      return piece(text, ids);
    }
    int total = 0;
    int from = 0;
    while (from < text.length()) {
      int to = Math.min(text.length(), from + PIECE_CHARS);
      if (to < text.length()) {
        int cut = to;
        while (cut > from + 1 && !(text.charAt(cut) == ' ' && !isSpace(text.charAt(cut - 1)))) {
          cut--;
        }
        if (cut > from + 1) {
          to = cut;
        } else {
          to = from + RUN_CHARS;
          if (Character.isLowSurrogate(text.charAt(to))) {
            to--; // never split a surrogate pair
          }
        }
      }
      total += piece(text.substring(from, to), ids);
      from = to;
    }
    return total;
  }

  private static boolean isSpace(char c) {
    return Character.isWhitespace(c);
  }

  private int piece(String text, IntArrayList ids) {
    if (ids == null) {
      return encoding.countTokensOrdinary(text);
    }
    IntArrayList t = encoding.encodeOrdinary(text);
    for (int i = 0; i < t.size(); i++) {
      ids.add(t.get(i));
    }
    return t.size();
  }

  private static void addIds(JsonNode tokenIds, IntArrayList ids) {
    if (ids != null) {
      for (JsonNode id : tokenIds) {
        ids.add(id.asInt());
      }
    }
  }

  private int[] completionPrompts(JsonNode root, IntArrayList[] ids) throws Rejected {
    JsonNode prompt = root.get("prompt");
    if (prompt == null || prompt.isNull()) {
      throw missing("prompt");
    }
    if (ids != null) {
      for (int i = 0; i < ids.length; i++) {
        ids[i] = new IntArrayList();
      }
    }
    if (prompt.isTextual()) {
      return new int[] {tokens(prompt.asText(), ids == null ? null : ids[0])};
    }
    if (!prompt.isArray() || prompt.isEmpty()) {
      throw typeError("prompt", "list_type", "Input should be a non-empty list of strings or "
          + "token ids, or a string", prompt);
    }
    JsonNode first = prompt.get(0);
    if (first.isIntegralNumber()) {
      checkTokenIds(prompt);
      addIds(prompt, ids == null ? null : ids[0]);
      return new int[] {prompt.size()};
    }
    int[] counts = new int[prompt.size()];
    for (int i = 0; i < counts.length; i++) {
      JsonNode p = prompt.get(i);
      if (p.isTextual()) {
        counts[i] = tokens(p.asText(), ids == null ? null : ids[i]);
      } else if (p.isArray() && !p.isEmpty()) {
        checkTokenIds(p);
        addIds(p, ids == null ? null : ids[i]);
        counts[i] = p.size();
      } else {
        throw typeError("prompt", "list_type", "Input should be a string or a non-empty list of "
            + "token ids", p);
      }
    }
    return counts;
  }

  private static void checkTokenIds(JsonNode ids) throws Rejected {
    for (JsonNode id : ids) {
      if (!id.isIntegralNumber() || id.asLong() < 0 || id.asLong() > Integer.MAX_VALUE) {
        throw typeError("prompt", "int_type", "Input should be a valid token id", id);
      }
    }
  }

  private int chatPromptTokens(JsonNode root, IntArrayList[] idsOut) throws Rejected {
    IntArrayList ids = null;
    if (idsOut != null) {
      ids = new IntArrayList();
      idsOut[0] = ids;
      ids.add(BEGIN_OF_TEXT);
    }
    JsonNode messages = root.get("messages");
    if (messages == null || messages.isNull()) {
      throw missing("messages");
    }
    if (!messages.isArray()) {
      throw typeError("messages", "list_type", "Input should be a valid list", messages);
    }
    if (messages.isEmpty()) {
      throw new Rejected(ApiError.badRequest("List should have at least 1 item after "
          + "validation, not 0", "messages"));
    }
    int content = 0;
    for (JsonNode m : messages) {
      if (!m.isObject() || !m.path("role").isTextual()) {
        throw typeError("messages", "model_type", "Input should be an object with a 'role' "
            + "string", m);
      }
      if (ids != null) {
        ids.add(START_HEADER);
        ids.add(roleId(m.path("role").asText()));
        ids.add(END_HEADER);
        ids.add(HEADER_SEPARATOR);
      }
      content += contentTokens(m.get("content"), ids);
      if (ids != null) {
        ids.add(END_OF_TURN);
      }
    }
    if (ids != null) {
      ids.add(START_HEADER);
      ids.add(roleId("assistant"));
      ids.add(END_HEADER);
      ids.add(HEADER_SEPARATOR);
    }
    return ChatTemplate.TOKENS_PER_REQUEST + ChatTemplate.TOKENS_PER_MESSAGE * messages.size()
        + content;
  }

  /** Tokens of a message's content: a string, or the text parts of a list of parts. */
  int contentTokens(JsonNode content) throws Rejected {
    return contentTokens(content, null);
  }

  /** A role's id in the identity stream: negative, below the template's own. */
  private static int roleId(String role) {
    return -16 - (role.hashCode() & 0x3FFFFFFF);
  }

  private int contentTokens(JsonNode content, IntArrayList ids) throws Rejected {
    if (content == null || content.isNull()) {
      return 0;
    }
    if (content.isTextual()) {
      return tokens(content.asText(), ids);
    }
    if (content.isArray()) {
      int sum = 0;
      for (JsonNode part : content) {
        JsonNode text = part.get("text");
        if (text != null && text.isTextual()) {
          sum += tokens(text.asText(), ids);
        }
      }
      return sum;
    }
    throw typeError("messages", "string_type", "Input should be a valid string or a list of "
        + "content parts", content);
  }

  private static boolean bool(JsonNode obj, String field, boolean dflt) throws Rejected {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isTextual()) {
      switch (v.asText().toLowerCase(Locale.ROOT)) {
        case "true", "1", "yes", "on" -> {
          return true;
        }
        case "false", "0", "no", "off" -> {
          return false;
        }
        default -> { }
      }
    }
    if (v.isIntegralNumber() && (v.asLong() == 0 || v.asLong() == 1)) {
      return v.asLong() == 1;
    }
    throw typeError(field, "bool_parsing", "Input should be a valid boolean", v);
  }

  private static Integer integer(JsonNode obj, String field) throws Rejected {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber() && v.canConvertToInt()) {
      return v.asInt();
    }
    if (v.isFloatingPointNumber() && v.asDouble() == Math.rint(v.asDouble())
        && Math.abs(v.asDouble()) <= Integer.MAX_VALUE) {
      return (int) v.asDouble();
    }
    if (v.isTextual()) {
      try {
        return Integer.parseInt(v.asText().strip());
      } catch (NumberFormatException e) {
        throw typeError(field, "int_parsing", "Input should be a valid integer, unable to parse "
            + "string as an integer", v);
      }
    }
    throw typeError(field, "int_type", "Input should be a valid integer", v);
  }

  private static Double number(JsonNode obj, String field) throws Rejected {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isNumber()) {
      return v.asDouble();
    }
    if (v.isTextual()) {
      try {
        return Double.parseDouble(v.asText().strip());
      } catch (NumberFormatException e) {
        throw typeError(field, "float_parsing", "Input should be a valid number, unable to parse "
            + "string as a number", v);
      }
    }
    throw typeError(field, "float_type", "Input should be a valid number", v);
  }

  private static int orDefault(Integer v, int dflt) {
    return v == null ? dflt : v;
  }

  private static Rejected missing(String field) {
    return new Rejected(ApiError.badRequest("[{'type': 'missing', 'loc': ('body', '" + field
        + "'), 'msg': 'Field required', 'input': None}]", field));
  }

  private static Rejected typeError(String field, String type, String msg, JsonNode input) {
    return new Rejected(ApiError.badRequest("[{'type': '" + type + "', 'loc': ('body', '" + field
        + "'), 'msg': '" + msg + "', 'input': " + repr(input) + "}]", field));
  }

  private static String repr(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return "None";
    }
    String s = v.isTextual() ? "'" + v.asText() + "'" : v.toString();
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "Expecting value";
    }
    int nl = s.indexOf('\n');
    // Jackson names its own limit classes ("..., from `StreamReadConstraints.getMaxNestingDepth()`)"):
    // a client needs the limit, not the library's internals
    return (nl < 0 ? s : s.substring(0, nl)).replaceAll(", from `?\\w+\\.\\w+\\(\\)`?", "")
        .replace('\'', '"');
  }

  /** Python's repr of a float ({@code -1.0}, {@code 0.5}). */
  static String pyFloat(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e16 ? String.format(Locale.US, "%.1f", v)
        : Double.toString(v);
  }
}
