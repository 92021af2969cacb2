"""The procedure: for each stack, for each workload (and concurrency): verify, warm up, measure.

Full runs start a fresh server for every stack x workload x concurrency, so a peak RSS belongs
to one workload and no leftover work from the previous one (a sync worker still draining
abandoned requests) leaks into the next. After every load run a "drain barrier" request waits
until the server has worked through what was queued, for the same reason. The smoke mode keeps
one server per stack and a low concurrency: it checks correctness, not speed.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

import yaml

from bench import loadgen, postgres, results, servers, verify
from bench.apps import common
from bench.servers import Stack
from bench.workloads import WORKLOADS, Workload

UPSTREAM_CHECK_CONNECTIONS = 512
PG_MISSING = "BENCH_PG_MISSING"  # why there is no PostgreSQL, for the failed entries


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
    max_reruns: int = 3  # extra runs per entry when runs are above the noise thresholds
    # smoke: whether to load (stack, workload) after verifying it
    load_only: Callable[[Stack, Workload], bool] | None = None
    # (stack id, workload) pairs whose answer was exact
    verified: list[tuple[str, str]] = field(default_factory=list)
    stacks: list[Stack] = field(default_factory=lambda: list(servers.STACKS))
    workloads: list[Workload] = field(default_factory=lambda: list(WORKLOADS))

    def levels(self, w: Workload) -> tuple[int, ...]:
        return (self.concurrency,) if self.concurrency else w.concurrency


def smoke_plan() -> Plan:
    return Plan(
        "smoke",
        duration=1,
        warmup=0,
        runs=1,
        label="smoke",
        concurrency=8,
        restart_each=False,
        max_reruns=0,
        load_only=smoke_loads,
    )


def smoke_loads(stack: Stack, w: Workload) -> bool:
    """Smoke verifies every stack x workload, but loads only json on every stack and every workload
    on each app's tuned stack on its first server (uvicorn, gunicorn): under 3 minutes on 2 cores."""
    return w.name == "json" or (stack.cls == "tuned" and stack.server in ("uvicorn", "gunicorn"))


def load1() -> float:
    return os.getloadavg()[0]


def drain(port: int) -> None:
    """Wait until the server has answered everything queued before this request."""
    with contextlib.suppress(OSError):
        verify.request(port, "GET", "/json", timeout=120)


def cpu_times(cpu: int | None) -> tuple[int, int, int]:
    """(total, busy, steal) jiffies of one CPU's line in /proc/stat (all CPUs when not pinned).

    busy is user + nice + system only: the time processes ran. irq and softirq are left out because
    the kernel accounts the server's own loopback packet processing there, not in its utime/stime,
    so counting them would call the server's own network work "other processes"."""
    name = "cpu" if cpu is None else f"cpu{cpu}"
    with open("/proc/stat") as f:
        for line in f:
            parts = line.split()
            if parts[0] == name:
                v = [int(x) for x in parts[1:9]]  # user nice system idle iowait irq softirq steal
                return sum(v), v[0] + v[1] + v[2], v[7]
    return 0, 0, 0


class Noise:
    """Readings around one run: the server CPU's steal and busy time (/proc/stat), the CPU time of
    the server's process tree (/proc/PID/stat utime + stime) and the 1-minute load average."""

    def __init__(self, pid: int):
        self.pid = pid
        self.t0, self.cpu0, self.stat0 = time.monotonic(), servers.tree_cpu_seconds(pid), cpu_times(servers.SERVER_CPU)

    def finish(self) -> dict[str, Any]:
        wall = time.monotonic() - self.t0
        used = servers.tree_cpu_seconds(self.pid) - self.cpu0
        total, busy, steal = (b - a for a, b in zip(self.stat0, cpu_times(servers.SERVER_CPU), strict=True))
        share = used / wall if wall > 0 else 0.0
        # Jiffies of the server's CPU that were busy but not with the server: other work.
        cores = 1 if servers.SERVER_CPU is not None else (os.cpu_count() or 1)
        foreign = max(0.0, (busy / servers.CLK_TCK - used) / (wall * cores)) if wall > 0 else 0.0
        noise = {
            "steal": steal / total if total else 0.0,
            "server_cpu_share": share,
            "foreign": foreign,
            "load1": load1(),
        }
        noise["accepted"] = noise["steal"] <= results.MAX_STEAL and noise["foreign"] <= results.MAX_FOREIGN
        return noise


def measure(
    srv: servers.Running, stack: Stack, w: Workload, c: int, plan: Plan, tmp: Path, log: Callable[[str], None]
) -> dict[str, Any] | None:
    started = time.monotonic()
    try:
        verify.verify(srv.port, w)
    except (verify.VerifyError, OSError) as e:
        log(f"  VERIFY FAILED {stack.id} {w.name}: {e}")
        return results.failure(stack, w, c, f"verification: {e}")
    plan.verified.append((stack.id, w.name))
    if plan.load_only is not None and not plan.load_only(stack, w):
        return None
    srv.rss.peak_mb = 0.0  # peak while this workload runs
    try:
        if plan.warmup:
            loadgen.run(srv.port, w, c, plan.warmup, plan.timeout, tmp)
            drain(srv.port)
        runs: list[dict[str, Any]] = []
        while sum(r["accepted"] for r in runs) < plan.runs and len(runs) < plan.runs + plan.max_reruns:
            noise = Noise(srv.proc.pid)
            run = loadgen.run(srv.port, w, c, plan.duration, plan.timeout, tmp)
            run.update(noise.finish())
            runs.append(run)
            drain(srv.port)
    except servers.ServerError as e:
        log(f"  LOAD FAILED {stack.id} {w.name}: {e}")
        return results.failure(stack, w, c, f"load: {e}")
    if any(r["latency_ms"] is None for r in runs):
        log(f"  NO ANSWERS {stack.id} {w.name}: a run completed no request")
        return results.failure(stack, w, c, "load: a run completed no request (timeouts)")
    non_2xx = sum(r["non_2xx"] for r in runs)
    if non_2xx:
        log(f"  ERRORS {stack.id} {w.name}: {non_2xx} non-2xx responses")
        return results.failure(stack, w, c, f"load: {non_2xx} responses with status >= 400 under load")
    memory = {"idle_pss": srv.idle_pss_mb, "peak_pss": max(srv.rss.peak_mb, srv.idle_pss_mb)}
    entry = results.summarize(stack, w, c, runs, memory, srv.startup_s, plan.duration)
    log(
        f"  {stack.id:<34} {w.name:<15} c={c:<4} {entry['requests_per_second']:>8.1f} rps "
        f"[{entry['ci95'][0]:.0f}-{entry['ci95'][1]:.0f}] spread {entry['spread']['pct']}%  "
        f"p99 {(entry['latency_ms'] or {}).get('p99') or float('nan'):>8.1f} ms  err {entry['errors']}  "
        f"pss {memory['peak_pss']:.0f} MB  runs {entry['runs']} dropped {entry['dropped_runs']}"
        f"{'  SATURATED' if entry['saturated'] else ''}  ({time.monotonic() - started:.0f} s)"
    )
    return entry


def needs_pg(w: Workload) -> bool:
    return w.database == "postgresql"


def measure_stack(
    stack: Stack, plan: Plan, env: dict[str, str], tmp: Path, log: Callable[[str], None]
) -> list[dict[str, Any]]:
    items = [(w, c) for w in plan.workloads for c in plan.levels(w)]
    out: list[dict[str, Any]] = []
    if plan.restart_each:
        for w, c in items:
            if needs_pg(w) and not env.get(common.PG_ENV):
                out.append(results.failure(stack, w, c, env.get(PG_MISSING, "PostgreSQL not available")))
                continue
            try:
                with servers.serve(stack, env, tmp) as srv:
                    entry = measure(srv, stack, w, c, plan, tmp, log)
                if entry is not None:  # None: verified only (smoke's load_only said no)
                    out.append(entry)
            except servers.ServerError as e:
                log(f"  SERVER FAILED {stack.id}: {e}")
                out.append(results.failure(stack, w, c, f"server: {e}"))
        return out
    try:
        with servers.serve(stack, env, tmp) as srv:
            for w, c in items:
                if needs_pg(w) and not env.get(common.PG_ENV):
                    out.append(results.failure(stack, w, c, env.get(PG_MISSING, "PostgreSQL not available")))
                elif (entry := measure(srv, stack, w, c, plan, tmp, log)) is not None:
                    out.append(entry)
    except servers.ServerError as e:
        log(f"  SERVER FAILED {stack.id}: {e}")
        done = {(r["workload"], r["concurrency"]) for r in out}
        out += [results.failure(stack, w, c, f"server: {e}") for w, c in items if (w.name, c) not in done]
    return out


def thread_hops(plan: Plan, env: dict[str, str], log: Callable[[str], None]) -> list[dict[str, Any]]:
    """bench.hops for every ASGI app in the plan, stock and tuned, each in a fresh process."""
    out = []
    seen = set()
    for s in plan.stacks:
        if s.server != "uvicorn" or (s.app, tuple(sorted(s.env.items()))) in seen:
            continue
        seen.add((s.app, tuple(sorted(s.env.items()))))
        argv = [servers.PYTHON, "-m", "bench.hops", s.app] + (["--django"] if "DJANGO_SETTINGS_MODULE" in s.env else [])
        if plan.mode == "smoke":
            argv += ["--requests", "100"]
        try:
            line = servers.run_bounded(argv, 120, servers.SERVER_CPU, {**env, **s.env}).strip().splitlines()[-1]
        except servers.ServerError as e:
            log(f"  HOPS FAILED {s.id}: {e}")
            out.append({"app": s.id.rsplit("-", 2)[0], "class": s.cls, "failed": str(e)[:500]})
            continue
        row = {"app": s.id.rsplit("-", 2)[0], "class": s.cls, **json.loads(line)}
        log(f"  hops {row}")
        out.append(row)
    return out


def upstream_capacity(port: int, tmp: Path) -> float:
    """Requests/s the fake upstream sustains at 512 connections (ideal: 512 / 50 ms = 10240)."""
    probe = Workload("upstream-check", "/", None)
    rate: float = loadgen.run_wrk(port, probe, UPSTREAM_CHECK_CONNECTIONS, 3, 10, tmp)["requests_per_second"]
    return rate


def cpu_work_ms() -> float:
    samples = []
    for _ in range(20):
        start = time.perf_counter()
        common.cpu_work()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> NoReturn:
    raise SystemExit(128 + signum)


def execute(
    plan: Plan, log: Callable[[str], None] = print, count_hops: bool = True
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
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
        facts = {"cpu_ms": cpu_work_ms(), "postgresql": postgres.version()}
        with contextlib.ExitStack() as cleanup:
            up = cleanup.enter_context(servers.fake_upstream(tmp))
            env = {common.DB_ENV: str(db), common.UPSTREAM_URL_ENV: f"http://127.0.0.1:{up}/v1/chat/completions"}
            if any(needs_pg(w) for w in plan.workloads):
                try:
                    env[common.PG_ENV] = cleanup.enter_context(postgres.postgres())
                    log(f"PostgreSQL: {facts['postgresql']} at {env[common.PG_ENV]}")
                except (postgres.PostgresMissing, servers.ServerError) as e:
                    env[PG_MISSING] = f"PostgreSQL: {e}"
                    log(f"NO POSTGRESQL: {e}")
            if plan.mode == "run":
                facts["upstream_rps"] = upstream_capacity(up, tmp)
                log(f"fake upstream: {facts['upstream_rps']:.0f} req/s at {UPSTREAM_CHECK_CONNECTIONS} connections")
            entries = []
            for stack in plan.stacks:
                log(f"{stack.id} (load {load1():.2f})")
                entries += measure_stack(stack, plan, env, tmp, log)
            hops = thread_hops(plan, env, log) if count_hops else []
        failures = [e for e in entries if "failed" in e] + [h for h in hops if "failed" in h]
        failed = bool(failures)
        facts["elapsed_s"] = time.monotonic() - started
        return build_report(plan, entries, hops, facts), failures
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


def topup(path: Path, max_reruns: int, log: Callable[[str], None] = print) -> list[str]:
    """Re-measure, with the run's own method and up to `max_reruns` extra runs, every entry of the results
    file at `path` that kept fewer accepted runs than its method asks; replace an entry when the new
    measurement kept more, recompute the findings and say so in the method's notes. Returns what changed."""
    report = yaml.safe_load(path.read_text())
    method = report["method"]
    if method.get("pinning") != servers.PINNING:  # e.g. a shell limited to one CPU: nothing would be pinned
        raise SystemExit(
            f"{path}: the run was pinned as {method.get('pinning')!r}, this process would pin as "
            f"{servers.PINNING!r} (check `taskset -p $$`: the harness needs two allowed CPUs)"
        )
    stacks = {s.id: s for s in servers.STACKS}
    workloads = {w.name: w for w in WORKLOADS}
    changed = []
    for i, old in enumerate(report["results"]):
        if "failed" in old or old["runs"] >= method["runs"]:
            continue
        plan = Plan(
            "run",
            method["duration_s"],
            method["warmup_s"],
            method["runs"],
            label="topup",
            concurrency=old["concurrency"],
            max_reruns=max_reruns,
            stacks=[stacks[old["stack"]]],
            workloads=[workloads[old["workload"]]],
        )
        new = execute(plan, log, count_hops=False)[0]["results"][0]
        what = f"{old['stack']} {old['workload']} c={old['concurrency']}"
        kept = 0 if "failed" in new or new.get("noisy") else new["runs"]  # noisy: no run was accepted
        if kept <= old["runs"]:
            log(f"kept {what}: {old['runs']} runs (the new measurement kept {kept})")
            continue
        report["results"][i] = new
        changed.append(f"{what} ({old['runs']} -> {new['runs']} runs)")
    if changed:
        report["findings"] = results.findings(report["results"], [stacks[s["id"]] for s in report["stacks"]])
        report["method"]["notes"] = method["notes"].rstrip("\n") + (
            f"\nTopped up on {results.today()} at commit {results.git_commit(servers.REPO)[:12]} with "
            f"`python -m bench topup --max-reruns {max_reruns}` (same method, same machine type, a fresh server): "
            f"re-measured and replaced {len(changed)} entries that had kept fewer than {method['runs']} accepted "
            f"runs: {'; '.join(changed)}. Findings recomputed.\n"
        )
        path.write_text(results.dump(report))
    return changed


def notes(plan: Plan, facts: dict[str, Any], entries: list[dict[str, Any]]) -> str:
    """What a reader needs to interpret the numbers, one point per line."""
    asked = max((e.get("requests_per_second", 0) for e in entries if e["workload"] == "upstream-io"), default=0)
    ideal = UPSTREAM_CHECK_CONNECTIONS / common.UPSTREAM_DELAY_S
    lines = [
        f"Procedure: a fresh server process for each stack x workload x concurrency; verify (exact status, content "
        f"type and body), {plan.warmup} s warm-up, then runs of {plan.duration} s until {plan.runs} runs pass the "
        f"noise thresholds (at most {plan.max_reruns} extra runs; runs still above them are dropped and counted in "
        "dropped_runs). Rate: the median of the accepted runs with a 95% percentile-bootstrap interval "
        f"({results.BOOTSTRAP} resamples, seed {results.SEED}); each latency percentile is the median of the runs' "
        "percentiles; every run's values are in run_values.",
        f"Noise thresholds per run: steal above {results.MAX_STEAL:.0%} of the server CPU's time, or other processes "
        f"using more than {results.MAX_FOREIGN:.0%} of the server CPU (its busy time in /proc/stat minus the server "
        "process tree's utime + stime). server_cpu_pct is the CPU the server got over the run (100 = one core); "
        "load1 is recorded but not a threshold (the benchmark itself adds about 2 on 2 cores). An entry whose "
        f"spread (max - min) / median exceeds {results.UNSTABLE_SPREAD:.0%} is flagged unstable.",
        "Saturated: socket errors or timeouts, a p99 not shorter than the run, or a mean wait (concurrency / rate, "
        "Little's law) longer than the run; such an entry gets no p99. A verification failure, a dead server, "
        "non-2xx answers or a run with no answer make the entry failed, with the reason.",
        "Classes: " + "; ".join(f"{k}: {v}" for k, v in servers.CLASS_WHY.items()) + ". Findings compare two "
        "stacks of one class that differ in exactly one of framework, handler, server or class, on the same "
        "workload and concurrency.",
        f"Servers: every ASGI app on uvicorn (--loop uvloop --http httptools) and on Granian (--loop uvloop, 1 "
        f"runtime thread); every WSGI app on gunicorn gthread with {servers.FASTAPI_THREADS} threads (FastAPI's "
        "default thread pool: AnyIO's CapacityLimiter(40)) and keep-alive; 1 worker each, pinned to one CPU.",
        f"Concurrency: {WORKLOADS[0].concurrency[0]} connections, except upstream-io at 64 and 256.",
        "Load: wrk (1 thread, keep-alive, closed loop, so latencies understate queueing) for every workload but "
        f"sse; errors are socket errors plus responses slower than {plan.timeout} s.",
        f"sse: bench/sse_client.py, a new connection per stream with Accept: text/event-stream; {common.SSE_TOKENS} "
        f"events {common.SSE_INTERVAL_S * 1000:.0f} ms apart; ttft_ms = time to the first data line, stream_ms = "
        "latency_ms = the whole stream; requests_per_second = streams finished within the duration; a stream over "
        f"{plan.timeout} s is an error.",
        f"upstream-io: each request makes one call to a fake OpenAI-style upstream answering after "
        f"{common.UPSTREAM_DELAY_S * 1000:.0f} ms (raw asyncio, own process on the load CPU), through one shared "
        "httpx2 client per app with default limits (100 connections, 20 kept alive).",
    ]
    if "upstream_rps" in facts:
        lines.append(
            f"Fake upstream capacity, measured at the start: {facts['upstream_rps']:.0f} req/s at "
            f"{UPSTREAM_CHECK_CONNECTIONS} connections (ideal {ideal:.0f}); the most any stack asked of it "
            f"was {asked:.0f} req/s."
        )
    lines += [
        f"cpu-inference: a fixed {common.CPU_LOOPS} iterations of a pure-Python loop, {facts['cpu_ms']:.1f} ms per "
        "call in the harness at the start of this run.",
        f"db-read: {common.DB_READ_LIMIT} of {common.DB_ROWS} seeded SQLite rows through the Django ORM (async "
        "query API in the async variants) or SQLModel (the tutorial's sync session dependency, pool overflow "
        "uncapped). db-read-pg: the same rows from " + facts.get("postgresql", "PostgreSQL") + " (Debian's package, "
        "started by the harness on a temporary directory, loopback TCP, trust auth, on the load CPU) through psycopg "
        f"3; Django stock: a new connection per request (CONN_MAX_AGE=0); Django tuned: CONN_MAX_AGE=60 under WSGI, "
        f"psycopg's pool (max {common.PG_POOL_MAX}) under ASGI; SQLModel: SQLAlchemy's QueuePool "
        f"({common.PG_POOL_MAX}, overflow uncapped) in both classes.",
        "memory_mb: PSS (from /proc/PID/smaps_rollup) summed over the server's processes: idle_pss right after "
        "start-up, peak_pss sampled every 250 ms while the workload ran. startup_s: process start to the first "
        "answered GET /json.",
        "thread_hops: bench/hops.py drives GET /json through each ASGI app in-process and counts thread hand-offs "
        "(ThreadPoolExecutor.submit, AnyIO to_thread.run_sync), new executors and new threads, and CPU per request.",
        f"The whole {plan.mode} took {facts['elapsed_s'] / 60:.1f} minutes.",
    ]
    return "\n".join(lines)


def build_report(
    plan: Plan, entries: list[dict[str, Any]], hops: list[dict[str, Any]], facts: dict[str, Any]
) -> dict[str, Any]:
    date = results.today()
    wrk_argv = loadgen.wrk_argv(
        0, Workload("$WORKLOAD", "$PATH", None), 0, plan.duration, plan.timeout, "$WORKLOAD.lua"
    )
    wrk_cmd = " ".join(wrk_argv).replace("-c0", "-c$CONCURRENCY").replace(":0$PATH", ":$PORT$PATH")
    wrk_cmd = wrk_cmd.replace(loadgen.WRK or "wrk", "wrk")
    sse_cmd = " ".join(loadgen.sse_argv(0, WORKLOADS[3], 0, plan.duration, plan.timeout))
    sse_cmd = (
        sse_cmd.replace(servers.PYTHON, "python")
        .replace("--port 0", "--port $PORT")
        .replace("--concurrency 0", "--concurrency $CONCURRENCY")
    )
    load_pin = servers.pin_prefix(servers.LOAD_CPU)
    commands = [s.command() for s in plan.stacks] + [
        " ".join(filter(None, [load_pin, "python -m bench.upstream --port $UPSTREAM_PORT"])),
        " ".join(filter(None, [load_pin, wrk_cmd])),
        " ".join(filter(None, [load_pin, sse_cmd])),
        "python -m bench.hops $APP [--django]  (with each stack's environment)",
    ]
    return {
        "id": f"{date}-{plan.label}",
        "date": date,
        "commit": results.git_commit(servers.REPO),
        "machine": results.machine(),
        "versions": results.versions(facts.get("postgresql")),
        "method": {
            "duration_s": plan.duration,
            "warmup_s": plan.warmup,
            "runs": plan.runs,
            "max_reruns": plan.max_reruns,
            "pinning": servers.PINNING,
            "thresholds": {
                "max_steal_pct": results.MAX_STEAL * 100,
                "max_foreign_cpu_pct": results.MAX_FOREIGN * 100,
                "unstable_spread_pct": results.UNSTABLE_SPREAD * 100,
            },
            "notes": notes(plan, facts, entries),
        },
        "classes": dict(servers.CLASS_WHY),
        "commands": commands,
        "stacks": [
            {
                "id": s.id,
                "framework": s.framework,
                "variant": s.variant,
                "server": s.server,
                "class": s.cls,
                "api": s.api,
                "handler": s.handler,
                "worker_model": s.worker_model,
                "workers": s.workers,
                "command": s.command(),
            }
            for s in plan.stacks
        ],
        "results": entries,
        "findings": results.findings(entries, plan.stacks),
        "thread_hops": hops,
    }
