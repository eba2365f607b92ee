package io.poolbench.harness.catalog;

/**
 * One accelerator type.
 *
 * @param name catalog name (lower case, e.g. {@code a100-80gb})
 * @param memoryBytes device memory as the runtime reports it
 * @param bf16Flops dense BF16 peak FLOP/s
 * @param fp8Flops dense FP8 peak FLOP/s (0 when the GPU has no FP8 tensor cores)
 * @param hbmBytesPerSecond peak memory bandwidth
 * @param dollarsPerHour default price per GPU-hour
 * @param priceSource where the default price comes from
 * @param source where the memory, bandwidth and FLOP/s figures come from (a data sheet, or
 *     {@code configured} for a GPU described in a fleet file)
 */
public record Gpu(String name, long memoryBytes, double bf16Flops, double fp8Flops,
    double hbmBytesPerSecond, double dollarsPerHour, String priceSource, String source) {

  /** A GPU without a recorded figure source. */
  public Gpu(String name, long memoryBytes, double bf16Flops, double fp8Flops,
      double hbmBytesPerSecond, double dollarsPerHour, String priceSource) {
    this(name, memoryBytes, bf16Flops, fp8Flops, hbmBytesPerSecond, dollarsPerHour, priceSource,
        "");
  }

  /** The peak FLOP/s for weights of this many bytes per parameter (FP8 falls back to BF16). */
  public double peakFlops(double weightBytesPerParam) {
    return weightBytesPerParam <= 1 && fp8Flops > 0 ? fp8Flops : bf16Flops;
  }

  public Gpu withPrice(double price) {
    return new Gpu(name, memoryBytes, bf16Flops, fp8Flops, hbmBytesPerSecond, price, "configured",
        source);
  }
}
