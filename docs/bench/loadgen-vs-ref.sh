#!/usr/bin/env bash
# poolbench's loadgen beside an independent reference client (docs/bench/refclient.py, Python
# asyncio + aiohttp) on the same mock vLLM instance and the same trace rows, quiet and again beside
# a CPU hog (stress-ng, one worker per core), with the tables side by side (issue 15).
#
#   docs/bench/loadgen-vs-ref.sh                 # 10 req/s, 512 prompt / 128 output tokens, 30 s
#   RATE=10 DURATION=60 PROMPT=512 OUTPUT=128 HOG=2 docs/bench/loadgen-vs-ref.sh
#   CONDITIONS=busy docs/bench/loadgen-vs-ref.sh   # only beside the hog
#   ORDER="ref loadgen" docs/bench/loadgen-vs-ref.sh   # which client runs first in the first round
#   ROUNDS=2 (default): each condition runs both clients ROUNDS times, the order swapped every
#   round, because the client measured first after the hog starts fares worse (seen here: whichever
#   client went first beside a fresh stress-ng had the higher TTFT p99)
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
ROUNDS="${ROUNDS:-2}"
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
    stress-ng --cpu "$HOG" --timeout "$(((DURATION + 5) * 2 * ROUNDS + 120))s" > /dev/null 2>&1 &
    hog=$!
    pids+=("$hog")
    sleep 5
  fi
  for round in $(seq 1 "$ROUNDS"); do
    order="$ORDER"
    if [ $((round % 2)) = 0 ]; then
      order="$(tr ' ' '\n' <<< "$ORDER" | tac | tr '\n' ' ')"
    fi
    for client in $order; do
      if [ "$client" = loadgen ]; then
        echo "== $cond round $round: loadgen (load $(load))" >&2
        load > "$OUT/loadgen-$cond-$round.load"
        # shellcheck disable=SC2086
        ./poolbench loadgen --trace "$trace" --target "$url" --status-interval 0s $LOADGEN_FLAGS \
          -o "$OUT/loadgen-$cond-$round" > "$OUT/loadgen-$cond-$round.txt" 2>&1 || true
      else
        echo "== $cond round $round: refclient (load $(load))" >&2
        load > "$OUT/ref-$cond-$round.load"
        "$PY" docs/bench/refclient.py run --trace "$trace" --target "$url" \
          --json "$OUT/ref-$cond-$round.json" > "$OUT/ref-$cond-$round.txt" 2>&1 || true
      fi
      sleep 2
    done
  done
  if [ -n "$hog" ]; then
    kill "$hog" 2>/dev/null || true
    wait "$hog" 2>/dev/null || true
    sleep 5
  fi
done

"$PY" - "$OUT" "$RATE" "$PROMPT" "$OUTPUT" "$DURATION" "$ROUNDS" "$ORDER" $CONDITIONS <<'EOF'
import json, os, sys
out, rate, prompt, output, duration, rounds, order = sys.argv[1:8]
conds = sys.argv[8:]
first = order.split()[0]
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
print("| client | machine (load 1m), round | send lag p50 / p99 / max | TTFT p50 / p99 | E2E p50 / p99 | ok / rows | CPU ms/req |")
print("|---|---|---|---|---|---|---|")
for cond in conds:
    for rnd in range(1, int(rounds) + 1):
        went_first = first if rnd % 2 else ("ref" if first == "loadgen" else "loadgen")
        for client in (["loadgen", "ref"] if went_first == "loadgen" else ["ref", "loadgen"]):
            where = f"{cond} ({loadavg(client + '-' + cond + '-' + str(rnd))}), {rnd}{' first' if client == went_first else ''}"
            if client == "loadgen":
                s = read(os.path.join(out, f"loadgen-{cond}-{rnd}", "summary.json"))
                if not s:
                    print(f"| poolbench loadgen | {where} | (no summary; see {out}/loadgen-{cond}-{rnd}.txt) | | | | |")
                    continue
                lag, ttft, e2e = s.get("send_lag_ms") or {}, s["ttft_ms"], s["e2e_ms"]
                use = s.get("loadgen") or {}
                print(f"| poolbench loadgen | {where} | {lag.get('p50', 0):.2f} / {lag.get('p99', 0):.2f} / {lag.get('max', 0):.2f} ms "
                      f"| {ttft['p50']:.1f} / {ttft['p99']:.1f} ms | {e2e['p50']:,.0f} / {e2e['p99']:,.0f} ms "
                      f"| {s['requests']['ok']} / {s['requests']['total']} | {use.get('cpu_ms_per_request', float('nan')):.3f} |")
            else:
                r = read(os.path.join(out, f"ref-{cond}-{rnd}.json"))
                if not r:
                    print(f"| reference (aiohttp) | {where} | (no result; see {out}/ref-{cond}-{rnd}.txt) | | | | |")
                    continue
                lag, ttft, e2e = r["send_lag_ms"], r["ttft_ms"], r["e2e_ms"]
                print(f"| reference (aiohttp) | {where} | {lag['p50']:.2f} / {lag['p99']:.2f} / {lag['max']:.2f} ms "
                      f"| {ttft['p50']:.1f} / {ttft['p99']:.1f} ms | {e2e['p50']:,.0f} / {e2e['p99']:,.0f} ms "
                      f"| {r['ok']} / {r['rows']} | {r['cpu_ms_per_request'] or float('nan'):.3f} |")
EOF
