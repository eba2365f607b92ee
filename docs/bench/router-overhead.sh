#!/usr/bin/env bash
# Router overhead against the mock vLLM server: added latency (p50/p99) of the poolbench router
# and of Debian's nginx (plain proxy_pass, keep-alive upstream) versus going direct, at fixed
# open-loop rates, plus each one's maximum request rate (wrk, closed loop).
#
#   docs/bench/router-overhead.sh [seconds-per-run] [rates...]    (defaults: 8 s, 500 2000)
#
# Needs: ./poolbench (built by the launcher), nginx and wrk (apt-get install -y nginx wrk),
# python3. Everything listens on 127.0.0.1 and is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN="${1:-8}"; shift || true
RATES=("${@:-500 2000}"); RATES=(${RATES[@]})
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
PIDS+=($!)
cat >"$WORK/router.yaml" <<YAML
listen: 127.0.0.1:$ROUTER_PORT
io-threads: 2
pools:
  - name: only
    max-model-len: 8192
    capacity: 4096
    endpoints: [http://127.0.0.1:$MOCK_PORT]
YAML
./poolbench router --config "$WORK/router.yaml" >"$WORK/router.log" 2>&1 &
PIDS+=($!)
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
echo "ports: mock $MOCK_PORT, router $ROUTER_PORT, nginx $NGINX_PORT; logs in $WORK"
for port in $MOCK_PORT $ROUTER_PORT $NGINX_PORT; do
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2
  done
done

declare -A TARGET=([direct]=$MOCK_PORT [router]=$ROUTER_PORT [nginx]=$NGINX_PORT)
summary() {  # run dir -> "p50_ms p99_ms ok total"
  python3 - "$1/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
def find(node, key):
    if isinstance(node, dict):
        if key in node: return node[key]
        for v in node.values():
            r = find(v, key)
            if r is not None: return r
    return None
e2e = find(s, "e2e_ms") or find(s, "e2e")
req = s.get("requests", {})
print(json.dumps({"e2e": e2e, "requests": req}))
PY
}
BODY='{"model":"my-model","prompt":"Say hello to the router benchmark please.","max_tokens":4,"ignore_eos":true}'
printf 'wrk.method = "POST"\nwrk.body = [[%s]]\nwrk.headers["Content-Type"] = "application/json"\n' "$BODY" >"$WORK/post.lua"
for t in direct router nginx; do   # warm-up: JIT-compile the JVMs' hot paths before measuring
  wrk -t2 -c16 -d5s -s "$WORK/post.lua" "http://127.0.0.1:${TARGET[$t]}/v1/completions" >/dev/null
done
echo "machine: $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg) (shared with other work)"
for mode in no-stream stream; do
  flag=$([ "$mode" = no-stream ] && echo --no-stream || echo "")
  for rate in "${RATES[@]}"; do
    for t in direct router nginx; do
      out="$WORK/run-$mode-$rate-$t"
      ./poolbench loadgen --status-interval 0s $flag --trace "builtin:azure-conv?rate=$rate&duration=${SECONDS_PER_RUN}s&seed=1" \
        --arrival constant --request-rate "$rate" --max-prompt-tokens 64 --max-output-tokens 4 \
        --target "http://127.0.0.1:${TARGET[$t]}" -o "$out" >"$out.log" 2>&1 || true
      echo "$mode rate=$rate $t $(summary "$out")"
    done
  done
done
for t in direct router nginx; do
  wrk -t2 -c64 -d"${SECONDS_PER_RUN}s" -s "$WORK/post.lua" "http://127.0.0.1:${TARGET[$t]}/v1/completions" \
    >"$WORK/wrk-$t.txt"
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk-$t.txt")
  bad=$(awk '/Non-2xx/ {print $NF}' "$WORK/wrk-$t.txt")
  echo "max-rate $t ${rps} req/s, non-2xx: ${bad:-0} (wrk -t2 -c64, closed loop, non-streaming)"
done
