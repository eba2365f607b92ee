package io.poolbench.harness.fleet;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.poolbench.harness.catalog.Catalog;
import io.poolbench.harness.catalog.Gpu;
import io.poolbench.traces.BadInputException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A fleet file's {@code gpu:} value as written: a catalog name ({@code gpu: h100-sxm}) or an
 * inline block describing a GPU the catalog lacks:
 *
 * <pre>
 * gpu: {name: my-gpu, memory-gb: 96, bandwidth-gbs: 4000, bf16-tflops: 900, fp8-tflops: 1800,
 *       price: 3.1}
 * </pre>
 *
 * <p>{@code memory-gb} is decimal GB (10^9 bytes) of device memory, {@code bandwidth-gbs} GB/s
 * of peak memory bandwidth, the TFLOP/s dense peaks ({@code fp8-tflops} 0 or absent: no FP8),
 * {@code price} $/GPU-hour (may be left out when the fleet sets {@code gpu-price}).
 *
 * @param node the YAML value ({@code null} when the key is absent)
 */
public record GpuRef(@JsonValue JsonNode node) {
  private static final List<String> KEYS = List.of("name", "memory-gb", "bandwidth-gbs",
      "bf16-tflops", "fp8-tflops", "price");

  /** Jackson's entry: any YAML value, checked by {@link #resolve}. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public GpuRef {}

  /** A reference to the catalog GPU {@code name} ({@code null} stays absent). */
  public static GpuRef named(String name) {
    return name == null ? null : new GpuRef(TextNode.valueOf(name));
  }

  /** The catalog name, or the inline block's {@code name}; {@code null} when there is neither. */
  public String name() {
    if (node == null) {
      return null;
    }
    if (node.isObject()) {
      JsonNode n = node.get("name");
      return n != null && n.isTextual() ? n.asText() : null;
    }
    return node.isTextual() ? node.asText() : null;
  }

  /**
   * The GPU: the catalog's for a name, else built from the block; {@code fleetPrice} (the fleet's
   * {@code gpu-price}, or {@code null}) stands in for a block without {@code price}.
   */
  public Gpu resolve(Double fleetPrice) {
    if (node == null || node.isNull() || node.isTextual() && node.asText().isBlank()) {
      throw new BadInputException("fleet key 'gpu' is required");
    }
    if (node.isTextual()) {
      return Catalog.gpu(node.asText());
    }
    if (!node.isObject()) {
      throw new BadInputException("fleet key 'gpu' is " + node + "; expected a catalog GPU name "
          + "or a block {" + String.join(", ", KEYS) + "}");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      String key = it.next().getKey();
      if (!KEYS.contains(key)) {
        throw new BadInputException("unknown key 'gpu." + key + "'; expected one of "
            + String.join(", ", KEYS));
      }
    }
    JsonNode nameNode = node.get("name");
    if (nameNode == null || !nameNode.isTextual() || nameNode.asText().isBlank()) {
      throw new BadInputException("fleet key 'gpu.name' is required in an inline gpu block; "
          + "expected a name such as 'my-gpu'");
    }
    double memoryGb = number("memory-gb", true, false);
    double bandwidthGbs = number("bandwidth-gbs", true, false);
    double bf16 = number("bf16-tflops", true, false);
    double fp8 = number("fp8-tflops", false, true);
    double price;
    if (node.has("price")) {
      price = number("price", true, true);
    } else if (fleetPrice != null) {
      price = fleetPrice;
    } else {
      throw new BadInputException("fleet key 'gpu.price' is required in an inline gpu block "
          + "(or set 'gpu-price'); expected $/GPU-hour");
    }
    return new Gpu(nameNode.asText(), (long) (memoryGb * 1e9), bf16 * 1e12, fp8 * 1e12,
        bandwidthGbs * 1e9, price, "configured", "configured in the fleet file");
  }

  private double number(String key, boolean required, boolean zeroAllowed) {
    JsonNode n = node.get(key);
    if (n == null || n.isNull()) {
      if (required) {
        throw new BadInputException("fleet key 'gpu." + key + "' is required in an inline gpu "
            + "block; expected a positive number");
      }
      return 0;
    }
    if (!n.isNumber() || !(zeroAllowed ? n.doubleValue() >= 0 : n.doubleValue() > 0)) {
      throw new BadInputException("fleet key 'gpu." + key + "' is " + n + "; expected a "
          + (zeroAllowed ? "non-negative" : "positive") + " number");
    }
    return n.doubleValue();
  }
}
