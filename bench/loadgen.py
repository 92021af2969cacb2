"""Load generators: wrk for request/response workloads, bench.sse_client for streams.

wrk runs with one thread (it needs far less than a core at these rates) and keep-alive, a
closed loop of `concurrency` connections. A Lua `done()` hook prints the numbers as one JSON
line, so nothing is scraped from wrk's human-readable output. wrk counts a response slower than
--timeout as a timeout error (it does not cancel it); non-2xx here means status >= 400.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from bench import servers
from bench.workloads import Workload

WRK = shutil.which("wrk")
LUA_DONE = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_JSON {\"duration_us\": %.0f, \"requests\": %.0f, \"connect\": %.0f, \"read\": %.0f, " ..
    "\"write\": %.0f, \"status\": %.0f, \"timeout\": %.0f, \"p50\": %.0f, \"p90\": %.0f, \"p99\": %.0f}\n",
    summary.duration, summary.requests, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99)))
end
"""


def wrk_script(w: Workload, directory: Path) -> Path:
    lines = [f'wrk.method = "{w.method}"']
    if w.body is not None:
        lines.append(f"wrk.body = [==[{w.body.decode()}]==]")
    lines += [f'wrk.headers["{k}"] = "{v}"' for k, v in w.headers.items()]
    path = directory / f"{w.name}.lua"
    path.write_text("\n".join(lines) + "\n" + LUA_DONE)
    return path


def wrk_argv(port: int, w: Workload, concurrency: int, duration: int, timeout: int, script: str) -> list[str]:
    return [
        WRK or "wrk",
        "-t1",
        f"-c{concurrency}",
        f"-d{duration}s",
        f"--timeout={timeout}s",
        "--latency",
        "-s",
        script,
        f"http://127.0.0.1:{port}{w.path}",
    ]


def run_wrk(port: int, w: Workload, concurrency: int, duration: int, timeout: int, directory: Path) -> dict[str, Any]:
    if WRK is None:
        raise servers.ServerError("wrk is not installed (apt-get install wrk)")
    argv = wrk_argv(port, w, concurrency, duration, timeout, str(wrk_script(w, directory)))
    out = servers.run_bounded(argv, duration + timeout + 30, servers.LOAD_CPU)
    line = next((x for x in out.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        raise servers.ServerError(f"wrk printed no summary:\n{out[-800:]}")
    r = json.loads(line.removeprefix("BENCH_JSON "))
    return {
        "requests": int(r["requests"]),
        "requests_per_second": r["requests"] / (r["duration_us"] / 1e6),
        "latency_ms": {q: r[q] / 1000 for q in ("p50", "p90", "p99")},
        "errors": int(r["connect"] + r["read"] + r["write"] + r["timeout"]),
        "non_2xx": int(r["status"]),
    }


def sse_argv(port: int, w: Workload, concurrency: int, duration: int, timeout: int) -> list[str]:
    return [
        servers.PYTHON,
        "-m",
        "bench.sse_client",
        "--port",
        str(port),
        "--path",
        w.path,
        "--concurrency",
        str(concurrency),
        "--duration",
        str(duration),
        "--timeout",
        str(timeout),
    ]


def run_sse(port: int, w: Workload, concurrency: int, duration: int, timeout: int, directory: Path) -> dict[str, Any]:
    out = servers.run_bounded(
        sse_argv(port, w, concurrency, duration, timeout), duration + timeout + 30, servers.LOAD_CPU
    )
    r: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    # A stream's latency is the whole stream; TTFT is reported beside it.
    r["latency_ms"] = r["stream_ms"]
    return r


def run(port: int, w: Workload, concurrency: int, duration: int, timeout: int, directory: Path) -> dict[str, Any]:
    fn = run_sse if w.loadgen == "sse" else run_wrk
    return fn(port, w, concurrency, duration, timeout, directory)
