package io.poolbench.harness.mock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InfoEndpointsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final MockFixture mock = MockFixture.start(MockFixture.settings()
      .withServerLoadTracking(true), MockFixture.spec(4096, 8, 512));

  @AfterEach
  void stop() {
    mock.close();
  }

  @Test
  void models_listsTheServedModelWithMaxModelLen() throws Exception {
    JsonNode body = JSON.readTree(mock.get("/v1/models").body());

    assertThat(body.get("object").asText()).isEqualTo("list");
    JsonNode card = body.get("data").get(0);
    assertThat(card.get("id").asText()).isEqualTo("my-model");
    assertThat(card.get("object").asText()).isEqualTo("model");
    assertThat(card.get("owned_by").asText()).isEqualTo("vllm");
    assertThat(card.get("max_model_len").asInt()).isEqualTo(4096);
    assertThat(card.get("permission").get(0).get("id").asText()).startsWith("modelperm-");
  }

  @Test
  void healthVersionLoad_answerAsVllm() {
    HttpResponse<String> health = mock.get("/health");

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEmpty();
    assertThat(mock.get("/version").body()).isEqualTo("{\"version\":\"0.11.0\"}");
    assertThat(mock.get("/load").body()).isEqualTo("{\"server_load\":0}");
  }

  @Test
  void tokenize_countsLikeGeneration() throws Exception {
    String prompt = "The quick brown fox jumps over the lazy dog.";
    JsonNode tok = JSON.readTree(mock.post("/tokenize", "{\"prompt\":\"" + prompt
        + "\",\"return_token_strs\":true}").body());
    JsonNode gen = JSON.readTree(mock.post("/v1/completions", "{\"prompt\":\"" + prompt
        + "\",\"max_tokens\":1}").body());

    assertThat(tok.get("count").asInt()).isEqualTo(gen.get("usage").get("prompt_tokens").asInt())
        .isEqualTo(tok.get("tokens").size());
    assertThat(tok.get("max_model_len").asInt()).isEqualTo(4096);
    assertThat(tok.get("token_strs").get(1).asText()).isEqualTo(" quick");
  }

  @Test
  void tokenize_messages_matchesChatPromptTokens() throws Exception {
    String messages = "[{\"role\":\"system\",\"content\":\"Be brief.\"},"
        + "{\"role\":\"user\",\"content\":\"Why is the sky blue?\"}]";
    JsonNode tok = JSON.readTree(mock.post("/tokenize", "{\"messages\":" + messages + "}")
        .body());
    JsonNode gen = JSON.readTree(mock.post("/v1/chat/completions", "{\"messages\":" + messages
        + ",\"max_tokens\":1}").body());

    assertThat(tok.get("count").asInt())
        .isEqualTo(gen.get("usage").get("prompt_tokens").asInt());
    assertThat(tok.get("tokens").get(0).asInt()).isEqualTo(InfoEndpoints.BEGIN_OF_TEXT);
  }

  @Test
  void detokenize_roundTrips() throws Exception {
    JsonNode tok = JSON.readTree(mock.post("/tokenize", "{\"prompt\":\"hello there\"}").body());
    JsonNode detok = JSON.readTree(mock.post("/detokenize", "{\"tokens\":"
        + tok.get("tokens") + "}").body());

    assertThat(detok.get("prompt").asText()).isEqualTo("hello there");
  }
}
