#!/usr/bin/env bash
# Reproduces the papers' fleet-sizing tables with the simulator (see docs/paper-reproduction.md).
# Usage: docs/paper-reproduction.sh [output-dir] ; prints every table and the total wall time.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$(mktemp -d /tmp/poolbench-repro.XXXXXX)}"
shared="${POOLBENCH_SHARED:-$here/../shared}"
pb="$here/poolbench"
start=$(date +%s.%N)
run() { echo; echo "\$ poolbench $*"; "$pb" "$@"; }
retime=(--arrival poisson --request-rate 1000 --duration 60s --seed 1)

run size --preset paper-a100 --trace "$shared/traces/AzureLLMInferenceTrace_conv.csv" "${retime[@]}" -o "$out/a100-conv"
run size --preset paper-a100 --trace "$shared/traces/AzureLLMInferenceTrace_code.csv" "${retime[@]}" -o "$out/a100-code"
run size --preset paper-a100 --trace builtin:long-mix "${retime[@]}" -o "$out/a100-long-mix"
run size --preset paper-a100-grounded --trace builtin:long-mix --arrival poisson --request-rate 100 --duration 60s --seed 1 \
  --slo-ttft-p99 30s --slo-tpot-p99 500ms -o "$out/a100g-long-mix"
run size --preset paper-a100 --trace builtin:long-mix --arrival poisson --request-rate 1000 --duration 10s --seed 1 \
  --sweep-b-short 2048,4096,8192,16384,32768 --sweep-rate 100,500,1000,2000
run size --preset paper-mi300x --trace builtin:long-mix --arrival poisson --request-rate 10000 --duration 10s --seed 1 -o "$out/mi300x-long-mix"
run size --preset paper-mi300x-grounded --trace builtin:long-mix --arrival poisson --request-rate 1000 --duration 30s --seed 1 \
  --slo-ttft-p99 30s --slo-tpot-p99 500ms -o "$out/mi300xg-long-mix"
run cost --alpha 0.8 --rho 4 --gpus 358
end=$(date +%s.%N)
echo
printf 'paper reproduction wall time: %.1f s (runs in %s)\n' "$(echo "$end - $start" | bc)" "$out"
