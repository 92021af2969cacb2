"""The procedure: for each stack, for each workload (and concurrency): verify, warm up, measure.

Full runs start a fresh server for every stack x workload x concurrency, so a peak RSS belongs
to one workload and no leftover work from the previous one (a sync worker still draining
abandoned requests) leaks into the next. After every load run a "drain barrier" request waits
until the server has worked through what was queued, for the same reason. The smoke mode keeps
one server per stack and a low concurrency: it checks correctness, not speed.
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import loadgen, results, servers, verify
from bench.apps import common
from bench.servers import Stack
from bench.workloads import WORKLOADS, Workload

UPSTREAM_CHECK_CONNECTIONS = 512


@dataclass
class Plan:
    mode: str  # "smoke" or "run"
    duration: int  # seconds per measured run (wrk takes whole seconds)
    warmup: int
    runs: int
    label: str = "local"
    timeout: int = 10  # a response (or stream) slower than this is an error
    concurrency: int | None = None  # overrides every workload's levels (smoke)
    restart_each: bool = True
    stacks: list[Stack] = field(default_factory=lambda: list(servers.STACKS))
    workloads: list[Workload] = field(default_factory=lambda: list(WORKLOADS))

    def levels(self, w: Workload) -> tuple[int, ...]:
        return (self.concurrency,) if self.concurrency else w.concurrency


def smoke_plan() -> Plan:
    return Plan("smoke", duration=1, warmup=0, runs=1, label="smoke", concurrency=8, restart_each=False)


def load1() -> float:
    return os.getloadavg()[0]


def drain(port: int) -> None:
    """Wait until the server has answered everything queued before this request."""
    try:
        verify.request(port, "GET", "/json", timeout=120)
    except OSError:
        pass


def measure(srv: servers.Running, stack: Stack, w: Workload, c: int, plan: Plan, tmp: Path,
            load_before: float, log) -> dict:
    started = time.monotonic()
    try:
        verify.verify(srv.port, w)
    except (verify.VerifyError, OSError) as e:
        log(f"  VERIFY FAILED {stack.id} {w.name}: {e}")
        return results.failure(stack, w, c, f"verify: {e}", (load_before, load1()))
    try:
        if plan.warmup:
            loadgen.run(srv.port, w, c, plan.warmup, plan.timeout, tmp)
            drain(srv.port)
        runs = []
        for _ in range(plan.runs):
            runs.append(loadgen.run(srv.port, w, c, plan.duration, plan.timeout, tmp))
            drain(srv.port)
    except servers.ServerError as e:
        log(f"  LOAD FAILED {stack.id} {w.name}: {e}")
        return results.failure(stack, w, c, f"load: {e}", (load_before, load1()))
    if any(r["latency_ms"] is None for r in runs):
        log(f"  NO ANSWERS {stack.id} {w.name}: a run completed no request")
        return results.failure(stack, w, c, "load: a run completed no request", (load_before, load1()))
    entry = results.summarize(stack, w, c, runs, srv.rss.peak_mb, (load_before, load1()))
    log(f"  {stack.id:<26} {w.name:<15} c={c:<4} {entry['requests_per_second']:>8.1f} rps  "
        f"p99 {(entry['latency_ms'] or {}).get('p99', float('nan')):>8.1f} ms  "
        f"err {entry['errors']} non2xx {entry['non_2xx']}  rss {entry['peak_rss_mb']} MB  "
        f"({time.monotonic() - started:.0f} s)")
    return entry


def measure_stack(stack: Stack, plan: Plan, env: dict, tmp: Path, log) -> list[dict]:
    items = [(w, c) for w in plan.workloads for c in plan.levels(w)]
    out: list[dict] = []
    if plan.restart_each:
        for w, c in items:
            before = load1()
            try:
                with servers.serve(stack, env, tmp) as srv:
                    out.append(measure(srv, stack, w, c, plan, tmp, before, log))
            except servers.ServerError as e:
                log(f"  SERVER FAILED {stack.id}: {e}")
                out.append(results.failure(stack, w, c, f"server: {e}", (before, load1())))
        return out
    before = load1()
    try:
        with servers.serve(stack, env, tmp) as srv:
            for w, c in items:
                out.append(measure(srv, stack, w, c, plan, tmp, load1(), log))
    except servers.ServerError as e:
        log(f"  SERVER FAILED {stack.id}: {e}")
        done = {(r["workload"], r["concurrency"]) for r in out}
        out += [results.failure(stack, w, c, f"server: {e}", (before, load1()))
                for w, c in items if (w.name, c) not in done]
    return out


def upstream_capacity(port: int, tmp: Path) -> float:
    """Requests/s the fake upstream sustains at 512 connections (ideal: 512 / 50 ms = 10240)."""
    probe = Workload("upstream-check", "/", None)
    return loadgen.run_wrk(port, probe, UPSTREAM_CHECK_CONNECTIONS, 3, 10, tmp)["requests_per_second"]


def cpu_work_ms() -> float:
    samples = []
    for _ in range(20):
        start = time.perf_counter()
        common.cpu_work()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def _exit_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)


def execute(plan: Plan, log=print) -> tuple[dict, list[dict]]:
    """Run the plan; return the report (the results file's content) and the entries that could
    not be measured (verification, server or load failed). Writes nothing."""
    started = time.monotonic()
    # SIGTERM (a CI timeout, `kill`) must unwind through the finally blocks that stop servers.
    on_term = None
    if threading.current_thread() is threading.main_thread():
        on_term = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    affinity = os.sched_getaffinity(0)
    if servers.LOAD_CPU is not None:
        os.sched_setaffinity(0, {servers.LOAD_CPU})  # the harness is load-side too
    failed = False
    try:
        db = tmp / "bench.sqlite3"
        common.seed_database(str(db))
        facts = {"cpu_ms": cpu_work_ms()}
        with servers.fake_upstream(tmp) as up:
            env = {common.DB_ENV: str(db),
                   common.UPSTREAM_URL_ENV: f"http://127.0.0.1:{up}/v1/chat/completions"}
            if plan.mode == "run":
                facts["upstream_rps"] = upstream_capacity(up, tmp)
                log(f"fake upstream: {facts['upstream_rps']:.0f} req/s at {UPSTREAM_CHECK_CONNECTIONS} connections")
            entries = []
            for stack in plan.stacks:
                log(f"{stack.id} (load {load1():.2f})")
                entries += measure_stack(stack, plan, env, tmp, log)
        failures = [e for e in entries if "verify_failed" in e]
        failed = bool(failures)
        facts["elapsed_s"] = time.monotonic() - started
        return build_report(plan, entries, facts), failures
    except BaseException:
        failed = True
        raise
    finally:
        os.sched_setaffinity(0, affinity)
        servers.stop_all()
        if on_term is not None:
            signal.signal(signal.SIGTERM, on_term)
        if failed:
            log(f"server logs kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def notes(plan: Plan, facts: dict, entries: list[dict]) -> str:
    """What a reader needs to interpret the numbers, one point per line."""
    asked = max((e.get("requests_per_second", 0) for e in entries if e["workload"] == "upstream-io"), default=0)
    ideal = UPSTREAM_CHECK_CONNECTIONS / common.UPSTREAM_DELAY_S
    lines = [
        f"Procedure: a fresh server process (workers: 1) for each stack x workload x concurrency; verify (exact "
        f"status, content type and body), {plan.warmup} s warm-up, {plan.runs} runs of {plan.duration} s. Rate and "
        "each latency percentile are medians over the runs; errors and non_2xx are sums.",
        f"Concurrency: {WORKLOADS[0].concurrency[0]} connections, except upstream-io at 64 and 256.",
        "Load: wrk (1 thread, keep-alive, closed loop, so latencies understate queueing) for every workload but "
        f"sse; errors are socket errors plus responses slower than {plan.timeout} s.",
        f"sse: bench/sse_client.py, a new connection per stream with Accept: text/event-stream; {common.SSE_TOKENS} "
        f"events {common.SSE_INTERVAL_S * 1000:.0f} ms apart; ttft_ms = time to the first data line, stream_ms = "
        "latency_ms = the whole stream; requests_per_second = streams finished within the duration; a stream over "
        f"{plan.timeout} s is an error.",
        f"upstream-io: each request makes one call to a fake OpenAI-style upstream answering after "
        f"{common.UPSTREAM_DELAY_S * 1000:.0f} ms (raw asyncio, own process on the load CPU), through one shared "
        "httpx2 client per app with default limits (100 connections, 20 kept alive). httpx 0.28.1 is not used: "
        "its httpcore 1.0.9 pool spends CPU quadratic in the connection count per request.",
    ]
    if "upstream_rps" in facts:
        lines.append(f"Fake upstream capacity, measured at the start: {facts['upstream_rps']:.0f} req/s at "
                     f"{UPSTREAM_CHECK_CONNECTIONS} connections (ideal {ideal:.0f}); the most any stack asked of it "
                     f"was {asked:.0f} req/s.")
    lines += [
        f"cpu-inference: a fixed {common.CPU_LOOPS} iterations of a pure-Python loop, {facts['cpu_ms']:.1f} ms per "
        "call in the harness at the start of this run.",
        f"db-read: {common.DB_READ_LIMIT} of {common.DB_ROWS} seeded SQLite rows through the Django ORM (async "
        "query API in the async variants) or SQLModel (the tutorial's sync session dependency in both FastAPI "
        "variants, no async SQLite driver installed; pool overflow uncapped, since the default 5 + 10 "
        "connections stall both variants at concurrency 64).",
        "Servers: uvicorn runs its pure-Python h11 parser on the asyncio loop (uvloop and httptools are not "
        "installed); gunicorn runs sync workers with 1 thread (one request at a time); FastAPI runs plain def "
        "endpoints in its 40-thread pool. Django: startproject's default middleware, DEBUG=False, CONN_MAX_AGE=0.",
        "peak_rss_mb: the highest sum of VmRSS (MiB) over the server's process tree (gunicorn: master + worker), "
        "sampled every 100 ms from start to the last run.",
        "load: 1-minute load average before and after each entry; this benchmark alone adds about 2 on a 2-core "
        "machine, more means other work shared the CPUs.",
        f"The whole {plan.mode} took {facts['elapsed_s'] / 60:.1f} minutes.",
    ]
    # The results list holds measured entries only; what failed is reported here instead.
    lines += [f"NOT MEASURED {e['stack']} {e['workload']} c={e['concurrency']}: {e['verify_failed']}"
              for e in entries if "verify_failed" in e]
    return "\n".join(lines)


def build_report(plan: Plan, entries: list[dict], facts: dict) -> dict:
    date = results.today()
    wrk_cmd = loadgen.wrk_argv(0, Workload("$WORKLOAD", "$PATH", None), 0, plan.duration, plan.timeout,
                               "$WORKLOAD.lua")
    wrk_cmd = " ".join(wrk_cmd).replace("-c0", "-c$CONCURRENCY").replace(":0$PATH", ":$PORT$PATH")
    wrk_cmd = wrk_cmd.replace(loadgen.WRK or "wrk", "wrk")
    sse_cmd = " ".join(loadgen.sse_argv(0, WORKLOADS[3], 0, plan.duration, plan.timeout))
    sse_cmd = sse_cmd.replace(servers.PYTHON, "python").replace("--port 0", "--port $PORT").replace(
        "--concurrency 0", "--concurrency $CONCURRENCY")
    load_pin = servers.pin_prefix(servers.LOAD_CPU)
    commands = [s.command() for s in plan.stacks] + [
        " ".join(filter(None, [load_pin, "python -m bench.upstream --port $UPSTREAM_PORT"])),
        " ".join(filter(None, [load_pin, wrk_cmd])),
        " ".join(filter(None, [load_pin, sse_cmd])),
    ]
    return {
        "id": f"{date}-{plan.label}",
        "date": date,
        "machine": results.machine(),
        "versions": results.versions(),
        "method": {
            "duration_s": plan.duration,
            "warmup_s": plan.warmup,
            "runs": plan.runs,
            "pinning": servers.PINNING,
            "notes": notes(plan, facts, entries),
        },
        "commands": commands,
        "stacks": [{"id": s.id, "framework": s.framework, "variant": s.variant, "server": s.server,
                    "workers": s.workers, "command": s.command()} for s in plan.stacks],
        "results": [e for e in entries if "verify_failed" not in e],
    }
