package io.poolbench.harness.study;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * A small self-contained prompt generator counted with jtokkit directly: English prose from a
 * word list, Java/Python-like code, Chinese text from common Han characters, and JSON records.
 * The study uses it when the traces module's prompt synthesizer is not available, and tests use
 * it because it is quick; its texts are cruder than the synthesizer's.
 */
public final class VocabularyCorpus implements PromptCorpus {

  private static final String[] WORDS = ("the of and to a in is that for it as was with be by on "
      + "not he this are or his from at which but have an they you were their one all we can her "
      + "has there been if more when will would who so no system model request budget pool "
      + "short long token memory cache engine fleet latency throughput cost schedule queue "
      + "estimate answer question explain describe summary detail example result report "
      + "important because however therefore although during between through against without "
      + "people company government history research development information service problem")
      .split(" ");
  private static final String[] CODE = {
      "public int %s(int[] xs) {\n", "  for (int i = 0; i < xs.length; i++) {\n",
      "    total += xs[i] * %s;\n", "  }\n", "  return total;\n", "}\n",
      "def %s(path, limit=10):\n", "    with open(path) as f:\n",
      "        rows = [line.strip().split(',') for line in f]\n",
      "    return {k: v for k, v in rows[:limit]}\n",
      "if (%s == null || %s.isEmpty()) { throw new IllegalArgumentException(\"empty\"); }\n",
      "const %s = await fetch(`/api/v1/items?id=${id}`).then(r => r.json());\n",
      "// TODO: handle the %s case before merging\n"};
  private static final String HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于"
      + "出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家"
      + "电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外"
      + "天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变"
      + "条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活"
      + "设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被"
      + "干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极";

  private final Encoding encoding;
  private final long seed;
  private final String tokenizerName;

  /** A corpus counted with {@code tokenizer} (cl100k_base or o200k_base). */
  public VocabularyCorpus(EncodingType tokenizer, long seed) {
    this.encoding = Encodings.newDefaultEncodingRegistry().getEncoding(tokenizer);
    this.tokenizerName = tokenizer.getName();
    this.seed = seed;
  }

  @Override
  public String description() {
    return "built-in vocabulary generator, " + tokenizerName + " (jtokkit)";
  }

  @Override
  public Sample sample(String category, int targetTokens, long index) {
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
    String text = text(category, targetTokens, random);
    return new Sample(text.getBytes(StandardCharsets.UTF_8).length,
        encoding.countTokensOrdinary(text));
  }

  /** Generated text of roughly {@code targetTokens} tokens. */
  String text(String category, int targetTokens, SplittableRandom random) {
    StringBuilder b = new StringBuilder();
    switch (category) {
      case "code" -> {
        long chars = Math.round(targetTokens * 3.3);
        while (b.length() < chars) {
          String line = CODE[random.nextInt(CODE.length)];
          b.append(line.replace("%s", identifier(random)));
        }
      }
      case "cjk" -> {
        long chars = Math.round(targetTokens * 0.8);
        for (int i = 0; i < chars; i++) {
          b.append(HAN.charAt(random.nextInt(HAN.length())));
          if (random.nextInt(14) == 0) {
            b.append(random.nextInt(3) == 0 ? '。' : '，');
          }
        }
      }
      case "json" -> {
        long chars = Math.round(targetTokens * 2.8);
        b.append('[');
        while (b.length() < chars) {
          b.append("{\"id\":").append(random.nextInt(100_000)).append(",\"name\":\"")
              .append(WORDS[random.nextInt(WORDS.length)]).append("\",\"score\":")
              .append(random.nextInt(1000) / 10.0).append(",\"ok\":")
              .append(random.nextBoolean()).append("},");
        }
        b.append("{}]");
      }
      default -> {
        long chars = Math.round(targetTokens * 4.6);
        int sentence = 0;
        while (b.length() < chars) {
          String w = WORDS[random.nextInt(WORDS.length)];
          if (sentence == 0) {
            w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
          }
          b.append(w);
          sentence++;
          if (sentence > 6 && random.nextInt(10) == 0) {
            b.append(random.nextInt(4) == 0 ? ".\n" : ". ");
            sentence = 0;
          } else {
            b.append(random.nextInt(12) == 0 ? ", " : " ");
          }
        }
      }
    }
    return b.toString();
  }

  private static String identifier(SplittableRandom random) {
    return WORDS[random.nextInt(WORDS.length)] + (char) ('A' + random.nextInt(26))
        + WORDS[random.nextInt(WORDS.length)];
  }
}
