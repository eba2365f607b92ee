#!/usr/bin/python3
"""An independent open-loop reference client for OpenAI-compatible streaming endpoints.

A standing check on poolbench's loadgen (issue 15), in another runtime: Python 3 asyncio with
aiohttp (Debian: apt-get install python3-aiohttp). It shares no code with poolbench. It reads a
generic JSONL trace (one object per line: arrival_ms, prompt_tokens, output_tokens, optional
max_tokens), the same file the loadgen replays with --trace, sends every row at its planned time
whatever the responses do (open loop), streams each response, and measures from the row's planned
send time, as the loadgen does:

  send lag  time the request was handed to aiohttp minus its planned time
  TTFT      first content chunk minus the planned time
  ITL       gaps between content chunks
  E2E       end of the response minus the planned time

Prompts are "hello" repeated prompt_tokens times (one cl100k token each); max_tokens comes from
the row (its output_tokens when it has none) with ignore_eos, so outputs have the planned length.

  refclient.py make-trace --rate 10 --duration 30 --prompt 512 --output 128 -o t.jsonl
  refclient.py run --trace t.jsonl --target http://127.0.0.1:18000 [--json out.json]
"""

import argparse
import asyncio
import json
import os
import resource
import sys
import time

import aiohttp


def make_trace(args):
    n = int(round(args.rate * args.duration))
    gap_ms = 1000.0 / args.rate
    with open(args.output_file, "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps({"arrival_ms": round(i * gap_ms, 6), "prompt_tokens": args.prompt,
                                "output_tokens": args.output, "max_tokens": args.output}) + "\n")
    print(f"wrote {n} rows ({args.rate:g} req/s for {args.duration:g} s, prompt {args.prompt}, "
          f"output {args.output} tokens) to {args.output_file}")


def read_trace(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                r = json.loads(line)
                rows.append((float(r["arrival_ms"]) / 1000.0, int(r["prompt_tokens"]),
                             int(r.get("max_tokens") or r["output_tokens"])))
            except (ValueError, KeyError, TypeError) as e:
                sys.exit(f"refclient: {path}:{line_no}: expected a JSON object with arrival_ms, "
                         f"prompt_tokens and output_tokens ({e})")
    rows.sort(key=lambda r: r[0])
    return rows


def percentile(values, p):
    """Nearest-rank percentile of a list (p in 0..100); NaN when empty."""
    if not values:
        return float("nan")
    s = sorted(values)
    rank = max(1, int(-(-p * len(s) // 100)))  # ceil(p/100 * n)
    return s[min(rank, len(s)) - 1]


class Stats:
    def __init__(self):
        self.send_lag = []
        self.ttft = []
        self.e2e = []
        self.itl = []
        self.ok = 0
        self.errors = {}
        self.first_send = None
        self.last_send = None
        self.sent = 0

    def error(self, kind):
        self.errors[kind] = self.errors.get(kind, 0) + 1


async def one(session, url, model, prompt_tokens, max_tokens, planned, stats):
    now = time.monotonic()
    stats.send_lag.append(now - planned)
    stats.sent += 1
    stats.first_send = now if stats.first_send is None else stats.first_send
    stats.last_send = now
    body = {"model": model, "prompt": "hello" + " hello" * (prompt_tokens - 1),
            "max_tokens": max_tokens, "ignore_eos": True, "temperature": 0, "stream": True,
            "stream_options": {"include_usage": True}}
    first = None
    last = None
    done = False
    try:
        async with session.post(url, json=body) as resp:
            if resp.status != 200:
                await resp.read()
                stats.error(f"http_{resp.status}")
                return
            async for raw in resp.content:
                line = raw.strip()
                if not line.startswith(b"data:"):
                    continue
                data = line[5:].strip()
                if data == b"[DONE]":
                    done = True
                    break
                event = json.loads(data)
                if event.get("error"):
                    stats.error("error_event")
                    return
                choices = event.get("choices") or []
                if choices and choices[0].get("text"):
                    t = time.monotonic()
                    if first is None:
                        first = t
                    else:
                        stats.itl.append(t - last)
                    last = t
        end = time.monotonic()
    except asyncio.TimeoutError:
        stats.error("timeout")
        return
    except aiohttp.ClientError as e:
        stats.error(type(e).__name__)
        return
    if not done or first is None:
        stats.error("incomplete_stream")
        return
    stats.ok += 1
    stats.ttft.append(first - planned)
    stats.e2e.append(end - planned)


async def run(args):
    rows = read_trace(args.trace)
    base = args.target.rstrip("/")
    connector = aiohttp.TCPConnector(limit=0, ttl_dns_cache=None)
    timeout = aiohttp.ClientTimeout(total=None, sock_read=args.timeout)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        try:
            async with session.get(base + "/v1/models") as resp:
                models = await resp.json()
        except aiohttp.ClientConnectorError as e:
            sys.exit(f"refclient: connection refused or unreachable: {base}/v1/models ({e})")
        model = args.model or models["data"][0]["id"]
        url = base + "/v1/completions"
        stats = Stats()
        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        start = time.monotonic() + 0.2
        tasks = []
        for offset, prompt_tokens, max_tokens in rows:
            planned = start + offset
            delay = planned - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(
                one(session, url, model, prompt_tokens, max_tokens, planned, stats)))
        await asyncio.gather(*tasks)
        wall = time.monotonic() - start
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    planned_rate = (len(rows) - 1) / (rows[-1][0] - rows[0][0]) if len(rows) > 1 else 0
    achieved = ((stats.sent - 1) / (stats.last_send - stats.first_send)
                if stats.sent > 1 and stats.last_send > stats.first_send else 0)
    ms = lambda values, p: round(percentile(values, p) * 1000, 3)
    summary = {
        "client": "refclient.py (python %s, aiohttp %s)" % (sys.version.split()[0],
                                                             aiohttp.__version__),
        "rows": len(rows), "sent": stats.sent, "ok": stats.ok, "errors": stats.errors,
        "planned_rate_rps": round(planned_rate, 3), "achieved_rate_rps": round(achieved, 3),
        "send_lag_ms": {"p50": ms(stats.send_lag, 50), "p99": ms(stats.send_lag, 99),
                        "max": ms(stats.send_lag, 100)},
        "ttft_ms": {"p50": ms(stats.ttft, 50), "p99": ms(stats.ttft, 99)},
        "itl_ms": {"p50": ms(stats.itl, 50), "p99": ms(stats.itl, 99)},
        "e2e_ms": {"p50": ms(stats.e2e, 50), "p99": ms(stats.e2e, 99)},
        "cpu_s": round(cpu, 3),
        "cpu_ms_per_request": round(cpu * 1000 / stats.sent, 4) if stats.sent else None,
        "wall_s": round(wall, 3),
        "load_avg_1m": os.getloadavg()[0],
    }
    lag, ttft, e2e = summary["send_lag_ms"], summary["ttft_ms"], summary["e2e_ms"]
    print(f"refclient: {stats.sent} sent, {stats.ok} ok, errors {stats.errors or 0}; "
          f"rate planned {planned_rate:.2f} req/s, sent {achieved:.2f} req/s")
    print(f"send lag: p50 {lag['p50']:.2f} ms, p99 {lag['p99']:.2f} ms, max {lag['max']:.2f} ms")
    print(f"TTFT p50 {ttft['p50']:.1f} ms, p99 {ttft['p99']:.1f} ms; "
          f"E2E p50 {e2e['p50']:.1f} ms, p99 {e2e['p99']:.1f} ms; CPU {cpu:.2f} s")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=2)
    return 0 if stats.ok == len(rows) else 1


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("make-trace", help="write a constant-rate JSONL trace")
    t.add_argument("--rate", type=float, required=True, help="requests per second")
    t.add_argument("--duration", type=float, required=True, help="seconds")
    t.add_argument("--prompt", type=int, default=512, help="prompt tokens")
    t.add_argument("--output", type=int, default=128, help="output tokens (max_tokens)")
    t.add_argument("-o", dest="output_file", required=True)
    r = sub.add_parser("run", help="replay a JSONL trace open-loop against a target")
    r.add_argument("--trace", required=True)
    r.add_argument("--target", required=True, help="base URL, e.g. http://127.0.0.1:18000")
    r.add_argument("--model", help="default: the first model at /v1/models")
    r.add_argument("--timeout", type=float, default=600, help="longest silence in a response (s)")
    r.add_argument("--json", help="also write the summary as JSON here")
    args = p.parse_args()
    if args.cmd == "make-trace":
        make_trace(args)
        return 0
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
