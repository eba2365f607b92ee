package io.poolbench.traces.prompt;

import io.poolbench.traces.BadInputException;
import java.util.List;

/**
 * The token overhead a chat endpoint adds around message contents, modelled on the Llama 3 chat
 * template that vLLM applies for {@code /v1/chat/completions}:
 *
 * <pre>
 * &lt;|begin_of_text|&gt;
 * &lt;|start_header_id|&gt;user&lt;|end_header_id|&gt;\n\n{content}&lt;|eot_id|&gt;
 * &lt;|start_header_id|&gt;assistant&lt;|end_header_id|&gt;\n\n
 * </pre>
 *
 * <p>Derivation of the constants: each message costs {@code <|start_header_id|>}, the role name
 * ({@code system}, {@code user} and {@code assistant} are one token each), {@code <|end_header_id|>},
 * the {@code "\n\n"} separator (one token) and {@code <|eot_id|>}: {@value #TOKENS_PER_MESSAGE}
 * tokens. Each request costs {@code <|begin_of_text|>} plus the generation prompt that opens the
 * assistant's turn ({@code <|start_header_id|>assistant<|end_header_id|>\n\n}, 4 tokens):
 * {@value #TOKENS_PER_REQUEST} tokens. The separator never merges with the content because
 * synthesized content never starts with whitespace, and special tokens are split off before BPE.
 * The counts hold for cl100k_base and o200k_base (the tests tokenize the template's ordinary text)
 * and for Llama 3's own vocabulary, which extends cl100k_base. A one-message chat prompt therefore
 * has {@code content + 10} tokens. The mock server counts chat prompts with the same rule.
 */
public final class ChatTemplate {

  /** Tokens each message adds: header start, role, header end, "\n\n", end of turn. */
  public static final int TOKENS_PER_MESSAGE = 5;

  /** Tokens each request adds: begin-of-text and the 4-token assistant generation prompt. */
  public static final int TOKENS_PER_REQUEST = 5;

  /** Special tokens of the template, spelled as vLLM's Llama 3 tokenizer spells them. */
  public static final String BEGIN_OF_TEXT = "<|begin_of_text|>";
  public static final String START_HEADER = "<|start_header_id|>";
  public static final String END_HEADER = "<|end_header_id|>";
  public static final String END_OF_TURN = "<|eot_id|>";

  static final ChatTemplate LLAMA3 = new ChatTemplate();

  private ChatTemplate() {}

  /** Template tokens for a request with {@code messages} messages (≥ 1). */
  public int overheadTokens(int messages) {
    if (messages < 1) {
      throw new IllegalArgumentException("messages (" + messages + ") must be >= 1");
    }
    return TOKENS_PER_REQUEST + TOKENS_PER_MESSAGE * messages;
  }

  /** Total prompt tokens of a one-message (user) chat request whose content has that many. */
  public int promptTokens(int contentTokens) {
    return promptTokens(1, contentTokens);
  }

  /** Total prompt tokens of a chat request of {@code messages} messages and their contents. */
  public int promptTokens(int messages, int contentTokens) {
    if (contentTokens < 0) {
      throw new IllegalArgumentException("contentTokens (" + contentTokens + ") must be >= 0");
    }
    return overheadTokens(messages) + contentTokens;
  }

  /** The smallest total a one-message chat prompt can have (empty content). */
  public int minPromptTokens() {
    return overheadTokens(1);
  }

  /**
   * The content tokens of a one-message chat request whose total prompt is {@code promptTokens};
   * the inverse of {@link #promptTokens(int)}.
   *
   * @throws BadInputException when the total is below the template overhead
   */
  public int contentTokens(int promptTokens) {
    if (promptTokens < minPromptTokens()) {
      throw new BadInputException("A chat prompt of " + promptTokens + " tokens is below the chat "
          + "template overhead; expected at least " + minPromptTokens() + " tokens");
    }
    return promptTokens - overheadTokens(1);
  }

  /**
   * The template text for a conversation of {@code (role, content)} pairs plus the assistant
   * generation prompt, with special tokens spelled out: what the engine would tokenize.
   */
  public String render(List<Message> messages) {
    StringBuilder sb = new StringBuilder(BEGIN_OF_TEXT);
    for (Message m : messages) {
      sb.append(START_HEADER).append(m.role()).append(END_HEADER).append("\n\n")
          .append(m.content()).append(END_OF_TURN);
    }
    return sb.append(START_HEADER).append("assistant").append(END_HEADER).append("\n\n")
        .toString();
  }

  /**
   * One chat message.
   *
   * @param role {@code system}, {@code user} or {@code assistant}
   * @param content the message text
   */
  public record Message(String role, String content) {}
}
