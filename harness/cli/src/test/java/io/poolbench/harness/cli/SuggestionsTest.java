package io.poolbench.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

  @Test
  void distance_countsInsertionsDeletionsSubstitutionsAndAdjacentSwaps() {
    assertThat(Suggestions.distance("loadgen", "loadgen")).isZero();
    assertThat(Suggestions.distance("lodgen", "loadgen")).isEqualTo(1); // insertion
    assertThat(Suggestions.distance("loadgenn", "loadgen")).isEqualTo(1); // deletion
    assertThat(Suggestions.distance("lxadgen", "loadgen")).isEqualTo(1); // substitution
    assertThat(Suggestions.distance("laodgen", "loadgen")).isEqualTo(1); // swap
    assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
    // optimal string alignment: a swapped pair is not edited again (true Damerau gives 2)
    assertThat(Suggestions.distance("ca", "abc")).isEqualTo(3);
  }

  @Test
  void closest_prefersTheNearestThenAbbreviations() {
    List<String> commands = List.of("trace", "loadgen", "merge", "catalog", "mock", "report",
        "router", "compare", "completion");
    assertThat(Suggestions.closest("lodgen", commands)).containsExactly("loadgen");
    assertThat(Suggestions.closest("ruoter", commands)).containsExactly("router");
    assertThat(Suggestions.closest("comp", commands)).containsExactly("compare", "completion");
    assertThat(Suggestions.closest("xyzzy", commands)).isEmpty();
    List<String> flags = List.of("--request-rate", "--duration", "--target", "--trace");
    assertThat(Suggestions.closest("--rat", flags)).containsExactly("--request-rate");
    assertThat(Suggestions.closest("--durashun", flags)).containsExactly("--duration");
    assertThat(Suggestions.closest("--tarce", flags)).containsExactly("--trace");
  }

  @Test
  void didYouMean_listsNamesInQuotes() {
    assertThat(Suggestions.didYouMean(List.of())).isEmpty();
    assertThat(Suggestions.didYouMean(List.of("a"))).isEqualTo(" Did you mean 'a'?");
    assertThat(Suggestions.didYouMean(List.of("a", "b", "c")))
        .isEqualTo(" Did you mean 'a', 'b' or 'c'?");
  }
}
