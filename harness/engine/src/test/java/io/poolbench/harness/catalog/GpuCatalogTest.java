package io.poolbench.harness.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolbench.traces.BadInputException;
import org.junit.jupiter.api.Test;

class GpuCatalogTest {
  private static final long GIB = 1L << 30;

  @Test
  void catalog_holdsTheDataSheetGpus_eachWithASource() {
    assertThat(Catalog.gpus().keySet()).containsExactly("a100-40gb", "a100-80gb",
        "a100-80gb-pcie", "h100-sxm", "h100-pcie", "h100-nvl", "h200", "b200", "l40s", "l4",
        "mi300x", "mi325x");
    for (Gpu g : Catalog.gpus().values()) {
      assertThat(g.source()).as(g.name()).contains("data sheet");
      assertThat(g.memoryBytes()).as(g.name()).isGreaterThan(20 * GIB);
      assertThat(g.bf16Flops()).as(g.name()).isGreaterThan(100e12);
      // Dense FP8 doubles dense BF16 on every GPU that has it.
      if (g.fp8Flops() > 0) {
        assertThat(g.fp8Flops() / g.bf16Flops()).as(g.name()).isBetween(1.99, 2.03);
      }
      assertThat(g.dollarsPerHour()).as(g.name()).isPositive();
      assertThat(g.priceSource()).as(g.name()).isNotBlank();
    }
  }

  @Test
  void dataSheetFigures() {
    Gpu a100 = Catalog.gpu("a100-80gb");
    assertThat(a100.hbmBytesPerSecond()).isEqualTo(2.039e12);
    assertThat(a100.bf16Flops()).isEqualTo(312e12);
    assertThat(a100.fp8Flops()).isZero();
    assertThat(a100.peakFlops(1)).isEqualTo(312e12);
    assertThat(Catalog.gpu("a100-40gb").memoryBytes()).isEqualTo(40 * GIB);
    assertThat(Catalog.gpu("a100-80gb-pcie").hbmBytesPerSecond()).isEqualTo(1.935e12);
    assertThat(Catalog.gpu("h100-pcie").hbmBytesPerSecond()).isEqualTo(2.0e12);
    assertThat(Catalog.gpu("h100-nvl").memoryBytes()).isEqualTo(95_830L << 20);
    assertThat(Catalog.gpu("h200").memoryBytes()).isEqualTo(143_771L << 20);
    assertThat(Catalog.gpu("b200").hbmBytesPerSecond()).isEqualTo(8e12);
    assertThat(Catalog.gpu("mi325x").memoryBytes()).isEqualTo(256 * GIB);
    assertThat(Catalog.gpu("l4").peakFlops(1)).isEqualTo(242.5e12);
  }

  @Test
  void papersPrices_andTheAssumedOnes() {
    assertThat(Catalog.gpu("a100-80gb").dollarsPerHour()).isEqualTo(2.21);
    assertThat(Catalog.gpu("a100-80gb").priceSource()).contains("arXiv 2604.08075");
    assertThat(Catalog.gpu("mi300x").dollarsPerHour()).isEqualTo(3.67);
    assertThat(Catalog.gpu("mi300x").priceSource()).contains("arXiv 2604.08075");
    assertThat(Catalog.gpu("h100-sxm").dollarsPerHour()).isEqualTo(2.99);
    assertThat(Catalog.gpu("b200").priceSource()).startsWith("assumed on-demand list price");
  }

  @Test
  void h100_80gb_isAnAliasOfH100Sxm() {
    Gpu alias = Catalog.gpu("H100-80GB");
    Gpu sxm = Catalog.gpu("h100-sxm");
    assertThat(alias.name()).isEqualTo("h100-80gb");
    assertThat(alias).usingRecursiveComparison().ignoringFields("name").isEqualTo(sxm);
    assertThat(Catalog.gpuAliases()).containsEntry("h100-80gb", "h100-sxm");
    assertThat(alias.withPrice(1.5).source()).isEqualTo(sxm.source());
  }

  @Test
  void unknownGpu_listsNamesAndAliases() {
    assertThatThrownBy(() -> Catalog.gpu("v100"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("Unknown GPU 'v100'; expected one of [a100-40gb,")
        .hasMessageContaining("mi325x]")
        .hasMessageContaining("h100-80gb");
  }
}
