package io.poolbench.harness.cli;

import io.poolbench.harness.catalog.Catalog;
import io.poolbench.harness.sizing.CostModel;
import io.poolbench.reports.rundir.RunDirectory;
import io.poolbench.traces.BadInputException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code poolbench cost}: the papers' closed form and the $ arithmetic. */
@Command(
    name = "cost",
    header = "Compute the closed-form savings alpha(1 - 1/rho) and GPU dollars per year.",
    description = {
      "savings = alpha(1 - 1/rho): alpha is the share of requests within B_short, rho the short "
          + "pool's per-instance throughput over the long pool's. With --gpus, the homogeneous "
          + "fleet's GPUs, it also prints the two-pool GPUs the closed form implies and the "
          + "dollars per year of both."
    })
public final class CostCommand implements Callable<Integer> {

  @Option(names = "--alpha", paramLabel = "<a>", required = true,
      description = "Share of requests within B_short, in [0, 1].")
  double alpha;

  @Option(names = "--rho", paramLabel = "<r>", required = true,
      description = "Short-pool over long-pool per-instance throughput, > 0.")
  double rho;

  @Option(names = "--gpus", paramLabel = "<n>",
      description = "GPUs of the homogeneous fleet.")
  Integer gpus;

  @Option(names = "--gpu", paramLabel = "<name>", defaultValue = "a100-80gb",
      description = "Catalog GPU for the default price. Default: a100-80gb ($2.21/h).")
  String gpu;

  @Option(names = "--gpu-price", paramLabel = "<dollars>",
      description = "Price per GPU-hour (overrides the catalog's).")
  Double gpuPrice;

  @Option(names = "--hours-per-year", paramLabel = "<hours>", defaultValue = "8760",
      description = "Hours per year. Default: 8760.")
  double hoursPerYear;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (alpha < 0 || alpha > 1) {
      throw new BadInputException("--alpha (" + alpha + ") must be in [0, 1]");
    }
    if (!(rho > 0)) {
      throw new BadInputException("--rho (" + rho + ") must be > 0");
    }
    double price = gpuPrice != null ? gpuPrice : Catalog.gpu(gpu).dollarsPerHour();
    double savings = CostModel.closedFormSavings(alpha, rho);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("alpha", alpha);
    m.put("rho", rho);
    m.put("closed_form_savings", savings);
    m.put("gpu_price", price);
    m.put("hours_per_year", hoursPerYear);
    PrintWriter out = spec.commandLine().getOut();
    if (gpus != null) {
      int two = (int) Math.ceil(gpus * (1 - savings) - 1e-9);
      m.put("homogeneous_gpus", gpus);
      m.put("two_pool_gpus", two);
      m.put("homogeneous_cost_per_year", CostModel.dollarsPerYear(gpus, price, hoursPerYear));
      m.put("two_pool_cost_per_year", CostModel.dollarsPerYear(two, price, hoursPerYear));
      m.put("savings_per_year", CostModel.dollarsPerYear(gpus - two, price, hoursPerYear));
    }
    if (json) {
      out.println(RunDirectory.mapper().writeValueAsString(m));
    } else {
      out.printf(Locale.US, "savings = alpha(1 - 1/rho) = %.4f x (1 - 1/%.4f) = %.2f%%%n", alpha,
          rho, 100 * savings);
      if (gpus != null) {
        out.printf(Locale.US, "homogeneous %,d GPUs = $%,.0f/yr; two-pool %,d GPUs = $%,.0f/yr; "
            + "saved $%,.0f/yr (at $%.2f/GPU-h, %.0f h/yr)%n", gpus,
            (double) m.get("homogeneous_cost_per_year"), (int) m.get("two_pool_gpus"),
            (double) m.get("two_pool_cost_per_year"), (double) m.get("savings_per_year"), price,
            hoursPerYear);
      }
    }
    out.flush();
    return ExitCodes.OK;
  }
}
