package io.poolbench.reports.rundir;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * run.json: what ran, so a run directory explains itself.
 *
 * @param mode {@code simulate} or {@code loadgen}
 * @param version tool version
 * @param commit git commit of the tool
 * @param startedAt ISO-8601 wall-clock start
 * @param seed random seed of the run
 * @param trace the trace and its digest
 * @param fleet pools with their instances and GPUs
 * @param gpus GPUs of the whole fleet
 * @param config the effective configuration (flags and files merged)
 * @param environment JVM and host facts
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunInfo(
    @JsonProperty("mode") String mode,
    @JsonProperty("version") String version,
    @JsonProperty("commit") String commit,
    @JsonProperty("started_at") String startedAt,
    @JsonProperty("seed") long seed,
    @JsonProperty("trace") Trace trace,
    @JsonProperty("fleet") List<Pool> fleet,
    @JsonProperty("gpus") int gpus,
    @JsonProperty("config") Map<String, Object> config,
    @JsonProperty("environment") Map<String, String> environment) {

  /**
   * The trace of a run.
   *
   * @param digest {@code fnv1a64:<hex>} over every request's arrival and token counts
   */
  public record Trace(
      @JsonProperty("name") String name,
      @JsonProperty("digest") String digest,
      @JsonProperty("requests") long requests) {}

  /**
   * One pool of the fleet.
   *
   * @param gpusPerInstance tensor-parallel GPUs of each instance
   * @param gpus instances × GPUs per instance
   * @param settings engine settings (max_model_len, max_num_seqs, ...)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Pool(
      @JsonProperty("name") String name,
      @JsonProperty("instances") int instances,
      @JsonProperty("gpu") String gpu,
      @JsonProperty("gpus_per_instance") int gpusPerInstance,
      @JsonProperty("gpus") int gpus,
      @JsonProperty("model") String model,
      @JsonProperty("settings") Map<String, Object> settings) {}

  /** The JVM and host facts every run records. */
  public static Map<String, String> currentEnvironment() {
    Runtime rt = Runtime.getRuntime();
    return Map.of(
        "java_version", System.getProperty("java.version", "?"),
        "java_vendor", System.getProperty("java.vendor", "?"),
        "os", System.getProperty("os.name", "?") + " " + System.getProperty("os.arch", "?"),
        "cpus", Integer.toString(rt.availableProcessors()),
        "max_heap_mib", Long.toString(rt.maxMemory() >> 20));
  }
}
