package io.poolbench.harness.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;
import org.junit.jupiter.api.Test;

class CalibrationStudyTest {

  /** A corpus with known ratios and ±10% per-prompt noise, so the expectations are exact. */
  private static final PromptCorpus KNOWN = new PromptCorpus() {
    @Override
    public Sample sample(String category, int targetTokens, long index) {
      double ratio = switch (category) {
        case "prose" -> 4.48;
        case "code" -> 3.52;
        default -> 2.01;
      };
      double noise = 1 + 0.1 * Math.sin(index * 12.9898);
      return new Sample(Math.round(targetTokens * ratio * noise), targetTokens);
    }

    @Override
    public String description() {
      return "known ratios";
    }
  };

  private static CalibrationStudy.Settings small(int requests) {
    return new CalibrationStudy.Settings(3, requests, 8192, List.of("prose", "code", "cjk"),
        List.of(10, 50, 200), 2048, 1.0, List.of(128, 512, 2048));
  }

  @Test
  void knownRatios_emaConvergesAndBeatsStaticRule() {
    CalibrationStudy.Result r = CalibrationStudy.run(KNOWN, small(800));
    assertThat(r.categories()).extracting(CalibrationStudy.CategoryResult::name)
        .containsExactly("prose", "code", "cjk");
    double[] truth = {4.48, 3.52, 2.01};
    for (int c = 0; c < 3; c++) {
      CalibrationStudy.CategoryResult result = r.categories().get(c);
      assertThat(result.trueBytesPerToken()).isCloseTo(truth[c], within(truth[c] * 0.01));
      assertThat(result.relativeErrorAt().get(50)).isLessThan(0.05);
      assertThat(result.estimateAt()).containsOnlyKeys(10, 50, 200);
      // the margin makes the routing ratio more conservative than the mean
      assertThat(result.routingRatioAt().get(200)).isLessThan(result.estimateAt().get(200));
    }
    // static 4.0 is wrong for every category, so it misroutes requests near B_short
    assertThat(r.misrouteRate().get("static")).isGreaterThan(0.02);
    assertThat(r.misrouteRate().get("ema")).isLessThan(r.misrouteRate().get("static") / 2);
    // the margin only errs towards the long pool, so overflows into the short pool drop
    assertThat(r.shortOverflowRate().get("ema_margin"))
        .isLessThanOrEqualTo(r.shortOverflowRate().get("ema"));
    assertThat(r.longTrueShare()).isBetween(0.02, 0.3);
  }

  @Test
  void sameSeed_sameResult() {
    assertThat(CalibrationStudy.run(KNOWN, small(200)))
        .isEqualTo(CalibrationStudy.run(KNOWN, small(200)));
  }

  @Test
  void vocabularyCorpus_countsWithRealTokenizer() {
    VocabularyCorpus corpus = new VocabularyCorpus(EncodingType.CL100K_BASE, 1);
    PromptCorpus.Sample prose = corpus.sample("prose", 500, 1);
    PromptCorpus.Sample cjk = corpus.sample("cjk", 500, 1);
    assertThat(prose.tokens()).isBetween(300, 800);
    assertThat((double) prose.bytes() / prose.tokens()).isGreaterThan(3.5);
    assertThat((double) cjk.bytes() / cjk.tokens()).isLessThan(3.2);
    assertThat(corpus.sample("code", 500, 1)).isEqualTo(corpus.sample("code", 500, 1));
  }

  @Test
  void synthesizerCorpus_reportsExactTokenCountsAndChatOverhead() {
    SynthesizerCorpus completions =
        new SynthesizerCorpus(io.poolbench.traces.prompt.TokenizerKind.CL100K_BASE, 9, false);
    SynthesizerCorpus chat =
        new SynthesizerCorpus(io.poolbench.traces.prompt.TokenizerKind.CL100K_BASE, 9, true);
    for (String category : List.of("prose", "code", "cjk")) {
      PromptCorpus.Sample s = completions.sample(category, 700, 4);
      String text = completions.synthesizer().text(700, 
          io.poolbench.traces.prompt.ContentCategory.named(category), 4);
      assertThat(s.tokens()).isEqualTo(700).isEqualTo(completions.synthesizer().countTokens(text));
      assertThat(s.bytes()).isEqualTo(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
      assertThat(chat.sample(category, 700, 4)).isEqualTo(new PromptCorpus.Sample(s.bytes(), 710));
    }
  }

  @Test
  void json_hasTheIssueKeys() {
    var json = CalibrationReport.json(CalibrationStudy.run(KNOWN, small(200)));
    assertThat(json).containsKeys("categories", "misroute_rate");
    @SuppressWarnings("unchecked")
    var first = ((List<java.util.Map<String, Object>>) json.get("categories")).get(0);
    assertThat(first).containsKeys("name", "true_bytes_per_token", "estimate_at",
        "relative_error_at_50");
    assertThat(List.copyOf(((java.util.Map<?, ?>) first.get("estimate_at")).keySet()))
        .asString().isEqualTo("[10, 50, 200]");
    assertThat(List.copyOf(((java.util.Map<?, ?>) json.get("misroute_rate")).keySet()))
        .asString().isEqualTo("[static, ema, ema_margin, single_bucket, single_bucket_no_margin]");
  }
}
