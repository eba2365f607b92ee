#!/usr/bin/env bash
# poolbench's loadgen beside an independent reference client (docs/bench/refclient.py, Python
# asyncio + aiohttp) on the same mock vLLM instance and the same trace rows, quiet and again beside
# a CPU hog (stress-ng, one worker per core), with the tables side by side (issue 15).
#
#   docs/bench/loadgen-vs-ref.sh                 # 10 req/s, 512 prompt / 128 output tokens, 30 s
#   RATE=10 DURATION=60 PROMPT=512 OUTPUT=128 HOG=2 docs/bench/loadgen-vs-ref.sh
#   CONDITIONS=busy docs/bench/loadgen-vs-ref.sh   # only beside the hog
#   ORDER="ref loadgen" docs/bench/loadgen-vs-ref.sh   # which client runs first in each condition
#   POOLBENCH_JAVA_OPTS=... (the loadgen's JVM), MOCK_JAVA_OPTS=... (the mock's)
#
# Needs: a built ./poolbench, /usr/bin/python3 with aiohttp, stress-ng (Debian:
# apt-get install python3-aiohttp stress-ng). Writes runs under $OUT (default runs/loadgen-vs-ref).
# Each figure comes with the 1-minute load average sampled just before its run.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$here"
RATE="${RATE:-10}"
DURATION="${DURATION:-30}"
PROMPT="${PROMPT:-512}"
OUTPUT="${OUTPUT:-128}"
HOG="${HOG:-$(nproc)}"
PORT="${PORT:-18000}"
CONDITIONS="${CONDITIONS:-quiet busy}"
ORDER="${ORDER:-loadgen ref}"
OUT="${OUT:-runs/loadgen-vs-ref}"
PY="${PY:-/usr/bin/python3}"
MOCK_FLAGS="${MOCK_FLAGS:---max-model-len 8192 --perf affine --max-num-seqs 1024}"
LOADGEN_FLAGS="${LOADGEN_FLAGS:-}"
url="http://127.0.0.1:$PORT"

mkdir -p "$OUT"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# the mock's JVM takes MOCK_JAVA_OPTS, not the loadgen's POOLBENCH_JAVA_OPTS
# shellcheck disable=SC2086
POOLBENCH_JAVA_OPTS="${MOCK_JAVA_OPTS:-}" ./poolbench mock $MOCK_FLAGS --port-base "$PORT" \
  > "$OUT/mock.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
  curl -fsS "$url/v1/models" > /dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "$url/v1/models" > /dev/null || { echo "the mock did not come up; see $OUT/mock.log" >&2; exit 1; }

trace="$OUT/trace.jsonl"
"$PY" docs/bench/refclient.py make-trace --rate "$RATE" --duration "$DURATION" \
  --prompt "$PROMPT" --output "$OUTPUT" -o "$trace"

load() { cut -d' ' -f1 /proc/loadavg; }

# settle the mock's JIT first, so that the first client measured does not meet a cold server
"$PY" docs/bench/refclient.py make-trace --rate "$RATE" --duration 8 --prompt "$PROMPT" \
  --output "$OUTPUT" -o "$OUT/settle.jsonl" > /dev/null
"$PY" docs/bench/refclient.py run --trace "$OUT/settle.jsonl" --target "$url" > "$OUT/settle.txt" 2>&1 || true

for cond in $CONDITIONS; do
  hog=""
  if [ "$cond" = busy ]; then
    stress-ng --cpu "$HOG" --timeout "$((DURATION * 4 + 120))s" > /dev/null 2>&1 &
    hog=$!
    pids+=("$hog")
    sleep 5
  fi
  for client in $ORDER; do
    if [ "$client" = loadgen ]; then
      echo "== $cond: loadgen (load $(load))" >&2
      load > "$OUT/loadgen-$cond.load"
      # shellcheck disable=SC2086
      ./poolbench loadgen --trace "$trace" --target "$url" --status-interval 0s $LOADGEN_FLAGS \
        -o "$OUT/loadgen-$cond" > "$OUT/loadgen-$cond.txt" 2>&1 || true
    else
      echo "== $cond: refclient (load $(load))" >&2
      load > "$OUT/ref-$cond.load"
      "$PY" docs/bench/refclient.py run --trace "$trace" --target "$url" \
        --json "$OUT/ref-$cond.json" > "$OUT/ref-$cond.txt" 2>&1 || true
    fi
    sleep 2
  done
  if [ -n "$hog" ]; then
    kill "$hog" 2>/dev/null || true
    wait "$hog" 2>/dev/null || true
    sleep 5
  fi
done

"$PY" - "$OUT" "$RATE" "$PROMPT" "$OUTPUT" "$DURATION" $CONDITIONS <<'EOF'
import json, os, sys
out, rate, prompt, output, duration, conds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:]
def read(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None
def loadavg(name):
    try:
        return open(os.path.join(out, name + ".load")).read().strip()
    except OSError:
        return "?"
print(f"\n{rate} req/s, {prompt} prompt / {output} output tokens, streaming, {duration} s, one mock")
print("| client | machine (load 1m) | send lag p50 / p99 / max | TTFT p50 / p99 | E2E p50 / p99 | ok / rows | CPU ms/req |")
print("|---|---|---|---|---|---|---|")
for cond in conds:
    s = read(os.path.join(out, f"loadgen-{cond}", "summary.json"))
    if s:
        # summary.json has send_lag_ms since issue 15; older loadgens wrote it to loadgen.json only
        client = read(os.path.join(out, f"loadgen-{cond}", "loadgen.json")) or {}
        lag, ttft, e2e = s.get("send_lag_ms") or client.get("send_lag_ms") or {}, s["ttft_ms"], s["e2e_ms"]
        use = s.get("loadgen") or {}
        print(f"| poolbench loadgen | {cond} ({loadavg('loadgen-' + cond)}) | {lag.get('p50', 0):.2f} / {lag.get('p99', 0):.2f} / {lag.get('max', 0):.2f} ms "
              f"| {ttft['p50']:.1f} / {ttft['p99']:.1f} ms | {e2e['p50']:,.0f} / {e2e['p99']:,.0f} ms "
              f"| {s['requests']['ok']} / {s['requests']['total']} | {use.get('cpu_ms_per_request', float('nan')):.3f} |")
    else:
        print(f"| poolbench loadgen | {cond} | (no summary; see {out}/loadgen-{cond}.txt) | | | | |")
    r = read(os.path.join(out, f"ref-{cond}.json"))
    if r:
        lag, ttft, e2e = r["send_lag_ms"], r["ttft_ms"], r["e2e_ms"]
        print(f"| reference (aiohttp) | {cond} ({loadavg('ref-' + cond)}) | {lag['p50']:.2f} / {lag['p99']:.2f} / {lag['max']:.2f} ms "
              f"| {ttft['p50']:.1f} / {ttft['p99']:.1f} ms | {e2e['p50']:,.0f} / {e2e['p99']:,.0f} ms "
              f"| {r['ok']} / {r['rows']} | {r['cpu_ms_per_request'] or float('nan'):.3f} |")
    else:
        print(f"| reference (aiohttp) | {cond} | (no result; see {out}/ref-{cond}.txt) | | | | |")
EOF
