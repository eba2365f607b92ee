#!/usr/bin/env bash
# The loadgen's scale targets of issue 15, against one mock in a separate process:
#
#   docs/bench/loadgen-scale.sh rate      # 2,000 req/s streaming, tiny outputs, fast mock, 30 s:
#                                         # achieved rate vs plan, send lag, errors, CPU per request
#   docs/bench/loadgen-scale.sh streams   # 10,000 concurrent open streams (slow long outputs)
#                                         # under -Xmx512m: in flight at most, heap per stream
#
# rate: the mock is first settled (its JIT warmed) by a loadgen run of SETTLE seconds (10) at the
# same rate, so that the measured run meets a warm server, as it would in staging.
# streams: the loadgen is given a start barrier (--start-at) 15 s after the mock is up; while it
# waits, and again once every row is sent and the streams are open, the script takes a class
# histogram of its live objects (jcmd GC.class_histogram, a full collection), so heap per stream
# is (live with the streams open - live before the start) / streams open, measured, not bounded.
#
# Knobs (environment): RATE, DURATION, PROMPT, OUTPUT, PORT, OUT, MOCK_FLAGS, LOADGEN_FLAGS, SETTLE, and
# POOLBENCH_JAVA_OPTS for the loadgen's JVM (streams: -Xmx512m unless set). Prints the figures
# with the 1-minute load average sampled before the run. Needs a built ./poolbench and
# /usr/bin/python3 (for the trace and the table).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$here"
scenario="${1:-rate}"
PORT="${PORT:-18300}"
OUT="${OUT:-runs/loadgen-scale}"
PY="${PY:-/usr/bin/python3}"
url="http://127.0.0.1:$PORT"
case "$scenario" in
  rate)
    RATE="${RATE:-2000}"; DURATION="${DURATION:-30}"; PROMPT="${PROMPT:-32}"; OUTPUT="${OUTPUT:-4}"
    MOCK_FLAGS="${MOCK_FLAGS:---max-model-len 4096 --perf affine --time-scale 10 --max-num-seqs 1024}"
    LOADGEN_FLAGS="${LOADGEN_FLAGS:---status-interval 5s}"
    ;;
  streams)
    RATE="${RATE:-1000}"; DURATION="${DURATION:-10}"; PROMPT="${PROMPT:-16}"; OUTPUT="${OUTPUT:-32}"
    # model time 50x slower than wall: every stream gets a token about every 0.4 s, so the first
    # rows are still streaming when the last is sent
    MOCK_FLAGS="${MOCK_FLAGS:---max-model-len 4096 --perf affine --time-scale 0.02 --max-num-seqs 16384 --tensor-parallel 2}"
    LOADGEN_FLAGS="${LOADGEN_FLAGS:---status-interval 5s --max-connections 12000 --timeout 5m}"
    export POOLBENCH_JAVA_OPTS="${POOLBENCH_JAVA_OPTS--Xmx512m}"
    ;;
  *) echo "usage: $0 rate|streams" >&2; exit 2 ;;
esac

mkdir -p "$OUT"
mock_pid=""
trap '[ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null || true' EXIT
# shellcheck disable=SC2086
POOLBENCH_JAVA_OPTS="${MOCK_JAVA_OPTS:-}" ./poolbench mock $MOCK_FLAGS --port-base "$PORT" > "$OUT/mock-$scenario.log" 2>&1 &
mock_pid=$!
for _ in $(seq 1 120); do
  curl -fsS "$url/v1/models" > /dev/null 2>&1 && break
  sleep 0.5
done
trace="$OUT/trace-$scenario.jsonl"
"$PY" docs/bench/refclient.py make-trace --rate "$RATE" --duration "$DURATION" \
  --prompt "$PROMPT" --output "$OUTPUT" -o "$trace" >&2
run="$OUT/$scenario"
jcmd_bin="${JAVA_HOME:+$JAVA_HOME/bin/}jcmd"
# the histogram is kept beside the run ($OUT/streams-histogram-<when>.txt) to read what the bytes are
live_bytes() {
  "$jcmd_bin" "$1" GC.class_histogram > "$OUT/$scenario-histogram-$2.txt" 2>&1 || true
  awk '$1 == "Total" { print $3 }' "$OUT/$scenario-histogram-$2.txt"
}
if [ "$scenario" = rate ] && [ "${SETTLE:-10}" != 0 ]; then
  "$PY" docs/bench/refclient.py make-trace --rate "$RATE" --duration "${SETTLE:-10}" \
    --prompt "$PROMPT" --output "$OUTPUT" -o "$OUT/settle-$scenario.jsonl" >&2
  ./poolbench loadgen --trace "$OUT/settle-$scenario.jsonl" --target "$url" --status-interval 0s \
    -o "$OUT/settle-$scenario" > "$OUT/settle-$scenario.txt" 2>&1 || true
  sleep 2
fi
load="$(cut -d' ' -f1 /proc/loadavg)"
if [ "$scenario" = streams ]; then
  start_at="$(date -u -d '+15 seconds' +%Y-%m-%dT%H:%M:%S.%3NZ)"
  # shellcheck disable=SC2086
  ./poolbench loadgen --trace "$trace" --target "$url" $LOADGEN_FLAGS --start-at "$start_at" \
    -o "$run" > "$OUT/$scenario.txt" 2>&1 &
  lg=$!
  for _ in $(seq 1 600); do grep -q "waiting .* for the shared start" "$OUT/$scenario.txt" 2>/dev/null && break; sleep 0.05; done
  before="$(live_bytes "$lg" before)"
  for _ in $(seq 1 1200); do grep -q draining "$OUT/$scenario.txt" 2>/dev/null && break; sleep 0.1; done
  open_line="$(grep draining "$OUT/$scenario.txt" | tail -1)"
  open_now="$(sed -n 's/.*in flight \([0-9,]*\).*/\1/p' <<< "$open_line" | tr -d ,)"
  during="$(live_bytes "$lg" open)"
  wait "$lg" || echo "loadgen exited $? (see $OUT/$scenario.txt)" >&2
  echo "{\"live_before_start\": ${before:-0}, \"live_streams_open\": ${during:-0}, \"streams_open\": ${open_now:-0}}" > "$OUT/$scenario-heap.json"
else
  # shellcheck disable=SC2086
  ./poolbench loadgen --trace "$trace" --target "$url" $LOADGEN_FLAGS -o "$run" \
    > "$OUT/$scenario.txt" 2>&1 || echo "loadgen exited $? (see $OUT/$scenario.txt)" >&2
fi

"$PY" - "$run" "$scenario" "$RATE" "$DURATION" "$load" "${POOLBENCH_JAVA_OPTS:-}" "$OUT/$scenario-heap.json" <<'EOF'
import json, os, sys
run, scenario, rate, duration, load, opts, heap = sys.argv[1:8]
s = json.load(open(run + "/summary.json"))
c = json.load(open(run + "/loadgen.json"))
r, lag, use = s["requests"], s.get("send_lag_ms") or {}, s.get("loadgen") or {}
errors = r["total"] - r["ok"]
print(f"{scenario}: {rate} req/s for {duration} s planned, load average {load} before the run, JVM opts '{opts}'")
print(f"  rows {r['total']}, ok {r['ok']}, errors {errors}; planned {c['planned_rate_rps']} req/s, sent "
      f"{c['achieved_rate_rps']} req/s (achieved/planned {c['achieved_vs_planned']})")
print(f"  send lag p50 {lag.get('p50')} ms, p99 {lag.get('p99')} ms, p99.9 {lag.get('p99_9')} ms, max {lag.get('max')} ms")
print(f"  TTFT p50 {s['ttft_ms']['p50']} ms, p99 {s['ttft_ms']['p99']} ms; E2E p50 {s['e2e_ms']['p50']} ms, p99 {s['e2e_ms']['p99']} ms")
print(f"  loadgen CPU {use.get('cpu_s')} s = {use.get('cpu_ms_per_request')} ms per request; GC {use.get('gc_pause_ms')} ms "
      f"in {use.get('gc_count')} collections; threads {use.get('threads')}")
inflight = use.get("in_flight_max") or 0
live = use.get("heap_live_max_mb") or 0
print(f"  in flight at most {inflight}; heap max {use.get('heap_used_max_mb')} MiB, live after GC at most {live} MiB"
      + (f" = {live * 1024 / inflight:.1f} KiB per open stream (upper bound)" if inflight else ""))
if os.path.exists(heap):
    h = json.load(open(heap))
    if h["streams_open"] and h["live_streams_open"] and h["live_before_start"]:
        per = (h["live_streams_open"] - h["live_before_start"]) / h["streams_open"]
        print(f"  live objects (class histogram): {h['live_before_start'] / 2**20:.1f} MiB before the start, "
              f"{h['live_streams_open'] / 2**20:.1f} MiB with {h['streams_open']:,} streams open "
              f"= {per / 1024:.1f} KiB per open stream")
EOF
