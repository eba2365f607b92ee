package io.poolbench.reports.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AxisTest {

  @Test
  void linear_roundsOutToNiceTicks() {
    Axis a = Axis.of(false, 3, 97, 0, 100);
    assertThat(a.ticks()).containsExactly(0.0, 20.0, 40.0, 60.0, 80.0, 100.0);
    assertThat(a.pixel(50)).isCloseTo(50, within(1e-9));
  }

  @Test
  void log_roundsOutToOneTwoFiveAndTicksThemWhenNarrow() {
    Axis a = Axis.of(true, 8, 74, 0, 100);
    assertThat(a.min).isEqualTo(5);
    assertThat(a.max).isEqualTo(100);
    assertThat(a.ticks()).containsExactly(5.0, 10.0, 20.0, 50.0, 100.0);
    assertThat(a.pixel(0)).isEqualTo(0); // non-positive values clamp to the axis start
    assertThat(a.pixel(100)).isCloseTo(100, within(1e-9));
  }

  @Test
  void log_wideRange_ticksDecadesOnly() {
    Axis a = Axis.of(true, 0.001, 12_000, 0, 100);
    assertThat(a.ticks()).containsExactly(0.001, 0.01, 0.1, 1.0, 10.0, 100.0, 1_000.0,
        10_000.0);
    assertThat(a.max).isEqualTo(20_000);
  }

  @Test
  void label_isShortAndLocaleIndependent() {
    assertThat(Axis.label(0.5)).isEqualTo("0.5");
    assertThat(Axis.label(2500)).isEqualTo("2,500");
    assertThat(Axis.label(20_000)).isEqualTo("20k");
    assertThat(Axis.label(3_000_000)).isEqualTo("3M");
  }

  @Test
  void esc_escapesMarkupAndQuotes() {
    assertThat(Html.esc("<a href='x'>\"&</a>"))
        .isEqualTo("&lt;a href=&#39;x&#39;&gt;&quot;&amp;&lt;/a&gt;");
    assertThat(Html.esc(null)).isEmpty();
    assertThat(Html.esc("plain")).isEqualTo("plain");
  }
}
