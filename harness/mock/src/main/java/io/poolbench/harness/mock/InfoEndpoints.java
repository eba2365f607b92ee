package io.poolbench.harness.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.IntArrayList;
import java.util.HexFormat;

/**
 * {@code /v1/models}, {@code /tokenize} and {@code /detokenize} (vllm-api.md §1).
 *
 * <p>{@code /tokenize} counts exactly as generation does: a text prompt is its ordinary encoding;
 * messages are the Llama 3 chat template, whose special tokens carry Llama 3's ids (128000
 * {@code <|begin_of_text|>}, 128006/128007 header start/end, 128009 {@code <|eot_id|>}), role
 * names and the {@code "\n\n"} separator one token each, and the contents their encoding.
 */
final class InfoEndpoints {
  static final int BEGIN_OF_TEXT = 128000;
  static final int START_HEADER = 128006;
  static final int END_HEADER = 128007;
  static final int END_OF_TURN = 128009;

  private final MockInstance instance;
  private final Encoding encoding;

  InfoEndpoints(MockInstance instance) {
    this.instance = instance;
    this.encoding = instance.server().encoding();
  }

  String models() {
    InstanceSpec spec = instance.spec();
    StringBuilder sb = new StringBuilder(512);
    long created = instance.createdSeconds();
    sb.append("{\"object\":\"list\",\"data\":[{\"id\":").append(instance.modelNameJson())
        .append(",\"object\":\"model\",\"created\":").append(created)
        .append(",\"owned_by\":\"vllm\",\"root\":").append(instance.modelNameJson())
        .append(",\"parent\":null,\"max_model_len\":").append(spec.engine().maxModelLen())
        .append(",\"permission\":[{\"id\":\"modelperm-")
        .append(HexFormat.of().formatHex(longBytes(instance.seed())))
        .append("\",\"object\":\"model_permission\",\"created\":").append(created)
        .append(",\"allow_create_engine\":false,\"allow_sampling\":true,\"allow_logprobs\":true,"
            + "\"allow_search_indices\":false,\"allow_view\":true,\"allow_fine_tuning\":false,"
            + "\"organization\":\"*\",\"group\":null,\"is_blocking\":false}]}]}");
    return sb.toString();
  }

  private static byte[] longBytes(long v) {
    byte[] b = new byte[16];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (v >>> (8 * i));
      b[15 - i] = (byte) (v >>> (8 * i) ^ 0x5a);
    }
    return b;
  }

  String tokenize(byte[] body) throws RequestParser.Rejected {
    JsonNode root = readObject(body);
    checkModel(root);
    IntArrayList ids = new IntArrayList();
    JsonNode messages = root.get("messages");
    if (messages != null && messages.isArray()) {
      ids.add(BEGIN_OF_TEXT);
      for (JsonNode m : messages) {
        header(ids, m.path("role").asText("user"));
        JsonNode content = m.get("content");
        if (content != null && content.isTextual()) {
          addAll(ids, encoding.encodeOrdinary(content.asText()));
        } else if (content != null && content.isArray()) {
          for (JsonNode part : content) {
            if (part.path("text").isTextual()) {
              addAll(ids, encoding.encodeOrdinary(part.get("text").asText()));
            }
          }
        }
        ids.add(END_OF_TURN);
      }
      header(ids, "assistant");
    } else if (root.path("prompt").isTextual()) {
      ids = encoding.encodeOrdinary(root.get("prompt").asText());
    } else {
      throw new RequestParser.Rejected(ApiError.badRequest("[{'type': 'missing', 'loc': "
          + "('body', 'prompt'), 'msg': 'Field required', 'input': None}]", "prompt"));
    }
    StringBuilder sb = new StringBuilder(ids.size() * 7 + 64);
    sb.append("{\"count\":").append(ids.size()).append(",\"max_model_len\":")
        .append(instance.spec().engine().maxModelLen()).append(",\"tokens\":[");
    for (int i = 0; i < ids.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(ids.get(i));
    }
    sb.append("],\"token_strs\":");
    if (root.path("return_token_strs").asBoolean(false)) {
      sb.append('[');
      IntArrayList one = new IntArrayList(1);
      one.add(0);
      for (int i = 0; i < ids.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        ApiError.quote(sb, tokenText(one, ids.get(i)));
      }
      sb.append(']');
    } else {
      sb.append("null");
    }
    return sb.append('}').toString();
  }

  private void header(IntArrayList ids, String role) {
    ids.add(START_HEADER);
    addAll(ids, encoding.encodeOrdinary(role));
    ids.add(END_HEADER);
    addAll(ids, encoding.encodeOrdinary("\n\n"));
  }

  private String tokenText(IntArrayList one, int id) {
    return switch (id) {
      case BEGIN_OF_TEXT -> "<|begin_of_text|>";
      case START_HEADER -> "<|start_header_id|>";
      case END_HEADER -> "<|end_header_id|>";
      case END_OF_TURN -> "<|eot_id|>";
      default -> {
        one.set(0, id);
        yield encoding.decode(one);
      }
    };
  }

  String detokenize(byte[] body) throws RequestParser.Rejected {
    JsonNode root = readObject(body);
    checkModel(root);
    JsonNode tokens = root.get("tokens");
    if (tokens == null || !tokens.isArray()) {
      throw new RequestParser.Rejected(ApiError.badRequest("[{'type': 'missing', 'loc': "
          + "('body', 'tokens'), 'msg': 'Field required', 'input': None}]", "tokens"));
    }
    StringBuilder text = new StringBuilder();
    IntArrayList one = new IntArrayList(1);
    one.add(0);
    for (JsonNode t : tokens) {
      try {
        text.append(tokenText(one, t.asInt()));
      } catch (RuntimeException unknownId) {
        throw new RequestParser.Rejected(ApiError.badRequest("Token id " + t.asText()
            + " is out of vocabulary", "tokens"));
      }
    }
    StringBuilder sb = new StringBuilder("{\"prompt\":");
    ApiError.quote(sb, text.toString());
    return sb.append('}').toString();
  }

  private static void addAll(IntArrayList into, IntArrayList from) {
    for (int i = 0; i < from.size(); i++) {
      into.add(from.get(i));
    }
  }

  private static JsonNode readObject(byte[] body) throws RequestParser.Rejected {
    try {
      JsonNode root = RequestParser.JSON.readTree(body);
      if (root != null && root.isObject()) {
        return root;
      }
    } catch (java.io.IOException e) {
      // answered below
    }
    throw new RequestParser.Rejected(ApiError.badRequest("[{'type': 'json_invalid', 'loc': "
        + "('body', 0), 'msg': 'JSON decode error', 'input': {}}]"));
  }

  private void checkModel(JsonNode root) throws RequestParser.Rejected {
    JsonNode model = root.get("model");
    if (model != null && model.isTextual()
        && !model.asText().equals(instance.spec().modelName())) {
      throw new RequestParser.Rejected(ApiError.unknownModel(model.asText()));
    }
  }
}
