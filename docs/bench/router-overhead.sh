#!/usr/bin/env bash
# Router overhead against the mock vLLM server: added latency (p50/p99) of the poolbench router
# and of Debian's nginx (plain proxy_pass, keep-alive upstream) versus going direct, at fixed
# open-loop rates; the CPU each proxy spends per request; and each one's maximum request rate
# (wrk, closed loop). Prints a Markdown table.
#
#   docs/bench/router-overhead.sh [seconds-per-run] [rates...]    (defaults: 15 s, 500 2000)
#
# Environment: WARMUP_SECONDS (5) — each load generator JVM sends this long before measuring;
# SETTLE_SECONDS (20) — every target first serves this long at the highest rate, streaming and
# not, before anything is measured (the router is a JVM: its hot paths must be compiled for this
# traffic, not for wrk's one request); MODES ("no-stream stream"); MAX_RATE (1; 0 skips the wrk
# maximum-rate runs); ROUNDS (1) — measure every cell this many times, in rounds, and report the
# median (a p99 on two shared cores moves by a millisecond or two between identical runs);
# ROUTER_JAVA_OPTS, LOADGEN_JAVA_OPTS — extra JVM options.
#
# Needs: ./poolbench (built by the launcher), nginx and wrk (apt-get install -y nginx wrk),
# python3. Everything listens on 127.0.0.1 and is stopped on exit. The load generator, the mock,
# the proxies and nginx share this machine's cores: run it when nothing else is busy.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN="${1:-15}"; shift || true
RATES=("${@:-500 2000}"); RATES=(${RATES[@]})
WARMUP_SECONDS="${WARMUP_SECONDS:-5}"
SETTLE_SECONDS="${SETTLE_SECONDS:-20}"
MODES=(${MODES:-no-stream stream})
ROUNDS="${ROUNDS:-1}"
WORK="$(mktemp -d /tmp/router-overhead.XXXXXX)"
read -r MOCK_PORT ROUTER_PORT NGINX_PORT < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -f "$WORK/nginx.pid" ]; then kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true; fi
  wait 2>/dev/null || true
}
trap cleanup EXIT

./poolbench --version >/dev/null   # builds the jar first if sources changed
./poolbench mock --served-model-name my-model --max-model-len 8192 --max-num-seqs 4096 --time-scale 1000 \
  --output-len fixed:4 --port-base "$MOCK_PORT" >"$WORK/mock.log" 2>&1 &
MOCK_PID=$!; PIDS+=($MOCK_PID)
cat >"$WORK/router.yaml" <<YAML
listen: 127.0.0.1:$ROUTER_PORT
io-threads: 2
pools:
  - name: only
    max-model-len: 8192
    capacity: 4096
    endpoints: [http://127.0.0.1:$MOCK_PORT]
YAML
POOLBENCH_JAVA_OPTS="${ROUTER_JAVA_OPTS:-}" ./poolbench router --config "$WORK/router.yaml" >"$WORK/router.log" 2>&1 &
ROUTER_PID=$!; PIDS+=($ROUTER_PID)
cat >"$WORK/nginx.conf" <<CONF
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  upstream mock { server 127.0.0.1:$MOCK_PORT; keepalive 256; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    client_body_temp_path $WORK/nginx-body;
    proxy_temp_path $WORK/nginx-proxy;
    location / {
      proxy_pass http://mock;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
CONF
nginx -c "$WORK/nginx.conf" -p "$WORK"
echo "ports: mock $MOCK_PORT, router $ROUTER_PORT, nginx $NGINX_PORT; logs and runs in $WORK"
for port in $MOCK_PORT $ROUTER_PORT $NGINX_PORT; do
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2
  done
done
NGINX_PIDS=$(pgrep -P "$(cat "$WORK/nginx.pid")" | tr '\n' ' ')
declare -A TARGET=([direct]=$MOCK_PORT [router]=$ROUTER_PORT [nginx]=$NGINX_PORT)
declare -A PROXY_PIDS=([direct]="" [router]="$ROUTER_PID" [nginx]="$NGINX_PIDS")
ticks() {  # user+system CPU ticks of the given processes, all threads
  local sum=0 t
  for p in "$@"; do t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0); sum=$((sum + t)); done
  echo "$sum"
}
loadgen() {  # mode rate seconds target outdir
  local flag; flag=$([ "$1" = no-stream ] && echo --no-stream || echo "")
  POOLBENCH_JAVA_OPTS="${LOADGEN_JAVA_OPTS:-}" ./poolbench loadgen --status-interval 0s $flag \
    --trace "builtin:azure-conv?rate=$2&duration=$(($3 + WARMUP_SECONDS))s&seed=1" --warmup "${WARMUP_SECONDS}s" \
    --arrival constant --request-rate "$2" --max-prompt-tokens 64 --max-output-tokens 4 \
    --target "http://127.0.0.1:${TARGET[$4]}" -o "$5" >"$5.log" 2>&1
}

BODY='{"model":"my-model","prompt":"Say hello to the router benchmark please.","max_tokens":4,"ignore_eos":true}'
printf 'wrk.method = "POST"\nwrk.body = [[%s]]\nwrk.headers["Content-Type"] = "application/json"\n' "$BODY" >"$WORK/post.lua"
TOP_RATE=$(printf '%s\n' "${RATES[@]}" | sort -n | tail -1)
echo "settling: wrk 5 s, then ${SETTLE_SECONDS} s of streaming and non-streaming load at $TOP_RATE req/s per target (not measured)"
for t in direct router nginx; do
  wrk -t2 -c16 -d5s -s "$WORK/post.lua" "http://127.0.0.1:${TARGET[$t]}/v1/completions" >/dev/null
  for mode in "${MODES[@]}"; do
    loadgen "$mode" "$TOP_RATE" "$((SETTLE_SECONDS / 2))" "$t" "$WORK/settle-$mode-$t" || true
  done
done
echo "machine: $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
  for mode in "${MODES[@]}"; do
    for rate in "${RATES[@]}"; do
      for t in direct router nginx; do
        out="$WORK/run-$mode-$rate-$t-r$round"
        loadgen "$mode" "$rate" "$SECONDS_PER_RUN" "$t" "$out" &
        lg=$!
        sleep "$WARMUP_SECONDS"   # CPU counted over the measured stretch only
        c0=$(ticks ${PROXY_PIDS[$t]}); m0=$(ticks "$MOCK_PID"); t0=$(date +%s.%N)
        wait "$lg" || true
        c1=$(ticks ${PROXY_PIDS[$t]}); m1=$(ticks "$MOCK_PID"); t1=$(date +%s.%N)
        printf '%s %s %s %s %s %s\n' "$t" "$((c1 - c0))" "$((m1 - m0))" "$t0" "$t1" "$(getconf CLK_TCK)" >"$out.cpu"
      done
    done
  done
done
for t in $([ "${MAX_RATE:-1}" = 0 ] || echo direct router nginx); do
  wrk -t2 -c64 -d"${SECONDS_PER_RUN}s" -s "$WORK/post.lua" "http://127.0.0.1:${TARGET[$t]}/v1/completions" \
    >"$WORK/wrk-$t.txt"
done
echo "machine at the end: load average: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$WORK" "$ROUNDS" "${MODES[*]}" "${RATES[@]}" <<'PY'
import json, os, re, statistics, sys
work, rounds, modes, rates = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(), sys.argv[4:]
def run(mode, rate, t, k):
    d = f"{work}/run-{mode}-{rate}-{t}-r{k}"
    s = json.load(open(f"{d}/summary.json"))
    lg = json.load(open(f"{d}/loadgen.json"))
    e = s["e2e_ms"]
    name, cpu, mock, t0, t1, hz = open(d + ".cpu").read().split()
    measured_s = float(t1) - float(t0)   # open loop: the rate is the plan's, whatever the responses do
    per_req_us = int(cpu) / int(hz) / (float(rate) * measured_s) * 1e6
    return e, s["requests"], lg, per_req_us
def fmt(x): return f"{x:,.2f}"
def added(a, b): return ("+" if a - b >= 0 else "−") + f"{abs(a - b):,.2f}"
print()
med = statistics.median
print("| mode | rate | direct p50 / p99 | router p50 / p99 (added) | nginx p50 / p99 (added) | proxy CPU per request: router / nginx |")
print("|---|---|---|---|---|---|")
per_round = []
for mode in modes:
    for rate in rates:
        rs = [{t: run(mode, rate, t, k) for t in ("direct", "router", "nginx")} for k in range(1, rounds + 1)]
        def m(t, q): return med(r[t][0][q] for r in rs)
        def add(t, q): return med(r[t][0][q] - r["direct"][0][q] for r in rs)
        def sign(x): return ("+" if x >= 0 else "−") + f"{abs(x):,.2f}"
        cells = [f"{fmt(m(t, 'p50'))} / {fmt(m(t, 'p99'))} ({sign(add(t, 'p50'))} / {sign(add(t, 'p99'))})"
                 for t in ("router", "nginx")]
        cpu = " / ".join(f"{med(r[t][3] for r in rs):,.0f} µs" for t in ("router", "nginx"))
        bad = {f"{t} r{k + 1}": r[t][1]["total"] - r[t][1]["ok"] for k, r in enumerate(rs) for t in r
               if r[t][1]["total"] != r[t][1]["ok"]}
        note = f" (not ok: {bad})" if bad else ""
        label = "streaming" if mode == "stream" else "non-streaming"
        print(f"| {label} | {int(rate):,}/s | {fmt(m('direct', 'p50'))} / {fmt(m('direct', 'p99'))} | {cells[0]} | {cells[1]}{note} | {cpu} |")
        if rounds > 1:
            per_round.append(f"{label} {int(rate):,}/s, added p99 per round: router "
                + ", ".join(sign(r['router'][0]['p99'] - r['direct'][0]['p99']) for r in rs)
                + "; nginx " + ", ".join(sign(r['nginx'][0]['p99'] - r['direct'][0]['p99']) for r in rs))
if rounds > 1:
    print(f"\nMedians over {rounds} rounds (added = median of each round's difference to direct).")
    for line in per_round:
        print("- " + line)
print()
for t in ("direct", "router", "nginx"):
    if not os.path.exists(f"{work}/wrk-{t}.txt"):
        continue
    txt = open(f"{work}/wrk-{t}.txt").read()
    rps = re.search(r"Requests/sec:\s+([\d.]+)", txt).group(1)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", txt)
    print(f"max rate {t}: {float(rps):,.0f} req/s (wrk -t2 -c64, closed loop, non-streaming), non-2xx: {bad.group(1) if bad else 0}")
PY
