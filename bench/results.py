"""Turn runs into result entries and findings, and write the results file the site renders.

One entry per stack x workload x concurrency. Every measured run is kept with its own numbers and
its noise readings (load, steal, the CPU share the server got, foreign CPU on the server's core);
runs above the noise thresholds are re-run a bounded number of times and, if still noisy, dropped
and counted. The entry reports the median over the accepted runs with a 95% bootstrap interval
(fixed seed), the spread, and flags: `unstable` when the spread exceeds 15% of the median,
`saturated` when the server could not keep up (errors, timeouts, or latency past the run length),
in which case it gets no p99. A stack that cannot do a workload is an entry with `failed: reason`.

Findings compare two stacks of the same class that differ in exactly one named thing (framework,
handler, server or class), on the same workload and concurrency: the ratio of median rates with
a bootstrap interval. Versions are read from the installed packages, never typed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from bench import loadgen
from bench.servers import Stack
from bench.workloads import Workload

PACKAGES = [
    "fastapi",
    "starlette",
    "pydantic",
    "django",
    "django-ninja",
    "djangorestframework",
    "asgiref",
    "anyio",
    "uvicorn",
    "uvloop",
    "httptools",
    "gunicorn",
    "granian",
    "sqlalchemy",
    "sqlmodel",
    "psycopg",
    "psycopg-binary",
    "psycopg-pool",
    "httpx2",
    "h11",
]
SCHEMA_COMMENT = "# yaml-language-server: $schema=../schemas/benchmark.schema.json\n"
SEED = 20261202  # bootstrap resampling: the same runs always give the same interval
BOOTSTRAP = 2000
UNSTABLE_SPREAD = 0.15  # (max - min) / median of the accepted runs above this is flagged
# A run is noisy (re-run, then dropped) when the hypervisor stole more than MAX_STEAL of the server
# CPU's time, or other processes used more than MAX_FOREIGN of it (its busy time minus the server's).
MAX_STEAL, MAX_FOREIGN = 0.02, 0.05


def machine() -> dict[str, Any]:
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kib = int(next(x for x in f if x.startswith("MemTotal:")).split()[1])
    os_name = f"{platform.system()} {platform.release()}"
    with contextlib.suppress(OSError):
        os_name += f" / Debian {Path('/etc/debian_version').read_text().strip()}"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kib / 1024**2),
        "os": os_name,
        "python": platform.python_version(),
        "kernel": f"{platform.release()} {platform.version()}",
        "python_build": sys.version.replace("\n", " "),
    }


def git_commit(repo: Path) -> str:
    """HEAD, with -dirty when the work tree differs from it (the run used uncommitted code)."""
    try:
        head = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (head or "unknown") + ("-dirty" if dirty else "")


def versions(postgres_version: str | None = None) -> dict[str, Any]:
    found = {}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    found["sqlite"] = sqlite3.sqlite_version
    if postgres_version:
        found["postgresql"] = postgres_version
    try:
        wrk = subprocess.run([loadgen.WRK or "wrk", "-v"], capture_output=True, text=True, timeout=10)
        found["wrk"] = (wrk.stdout or wrk.stderr).splitlines()[0].strip()
    except (OSError, IndexError, subprocess.SubprocessError):
        found["wrk"] = "not installed"
    return found


# --- statistics ------------------------------------------------------------------------------------


def bootstrap(samples: list[list[float]], stat: Callable[..., float], seed: int = SEED) -> tuple[float, float]:
    """95% percentile-bootstrap interval of stat(*resampled) over independent samples."""
    rng = random.Random(seed)
    values = sorted(stat(*[[rng.choice(s) for _ in s] for s in samples]) for _ in range(BOOTSTRAP))
    return values[int(0.025 * BOOTSTRAP)], values[int(0.975 * BOOTSTRAP) - 1]


def median_ci(values: list[float]) -> tuple[float, float]:
    return bootstrap([values], statistics.median)


def ratio_ci(a: list[float], b: list[float]) -> tuple[float, float]:
    return bootstrap([a, b], lambda x, y: statistics.median(x) / statistics.median(y))


def _median_quantiles(dicts: list[dict[str, float] | None]) -> dict[str, float] | None:
    present = [d for d in dicts if d]
    if not present:
        return None
    return {q: round(statistics.median(d[q] for d in present), 2) for q in ("p50", "p90", "p99")}


def _stack_fields(stack: Stack) -> dict[str, Any]:
    return {
        "stack": stack.id,
        "framework": stack.framework,
        "server": stack.server,
        "variant": stack.variant,
        "class": stack.cls,
    }


def saturation(runs: list[dict[str, Any]], concurrency: int, duration: float) -> str | None:
    """Why the server could not keep up, or None: socket errors/timeouts, latency past the run
    length, or a mean wait (Little's law: concurrency / rate) longer than the run."""
    errors = sum(r["errors"] for r in runs)
    if errors:
        return f"{errors} socket errors or timeouts"
    for r in runs:
        p99 = (r.get("latency_ms") or {}).get("p99") or 0
        if p99 >= duration * 1000:
            return f"p99 {p99 / 1000:.1f} s is not shorter than the {duration:g} s run"
        rate = r["requests_per_second"]
        if rate and concurrency / rate > duration:
            return f"mean wait {concurrency / rate:.1f} s (concurrency / rate) exceeds the {duration:g} s run"
    return None


def summarize(
    stack: Stack,
    workload: Workload,
    concurrency: int,
    runs: list[dict[str, Any]],
    memory: dict[str, Any],
    startup_s: float,
    duration: float,
) -> dict[str, Any]:
    """runs: every measured run, each with `accepted` (False = above a noise threshold)."""
    accepted = [r for r in runs if r["accepted"]] or runs  # all noisy: keep them, flagged `noisy`
    rates = [r["requests_per_second"] for r in accepted]
    med = statistics.median(rates)
    lo, hi = median_ci(rates)
    spread = (max(rates) - min(rates)) / med if med else 0.0
    entry = {
        "workload": workload.name,
        **_stack_fields(stack),
        "concurrency": concurrency,
        "requests_per_second": round(med, 1),
        "ci95": [round(lo, 1), round(hi, 1)],
        "latency_ms": _median_quantiles([r["latency_ms"] for r in accepted]),
        "errors": sum(r["errors"] for r in accepted),
        "non_2xx": sum(r["non_2xx"] for r in accepted),
        "runs": len(accepted),
        "dropped_runs": len(runs) - len(accepted) if any(r["accepted"] for r in runs) else 0,
        "spread": {"min_rps": round(min(rates), 1), "max_rps": round(max(rates), 1), "pct": round(spread * 100, 1)},
        "unstable": spread > UNSTABLE_SPREAD,
        "noisy": not any(r["accepted"] for r in runs),
        "rps_per_server_cpu_s": round(
            statistics.median(
                r["requests_per_second"] / r["server_cpu_share"] for r in accepted if r["server_cpu_share"] > 0
            ),
            1,
        )
        if any(r["server_cpu_share"] > 0 for r in accepted)
        else None,
        "memory_mb": {k: round(v, 1) for k, v in memory.items()},
        "startup_s": round(startup_s, 3),
    }
    if workload.loadgen == "sse":
        entry["ttft_ms"] = _median_quantiles([r["ttft_ms"] for r in accepted])
        entry["stream_ms"] = _median_quantiles([r["stream_ms"] for r in accepted])
    why = saturation(accepted, concurrency, duration)
    entry["saturated"] = why
    if why:  # latencies cut off at the run length: not a p99
        for key in ("latency_ms", "ttft_ms", "stream_ms"):
            if entry.get(key):
                entry[key]["p99"] = None
    entry["run_values"] = [_run_record(r) for r in runs]
    return entry


def _run_record(r: dict[str, Any]) -> dict[str, Any]:
    out = {
        "rps": round(r["requests_per_second"], 1),
        "p50_ms": round((r["latency_ms"] or {}).get("p50") or 0, 2),
        "p99_ms": round((r["latency_ms"] or {}).get("p99") or 0, 2),
        "errors": r["errors"],
        "non_2xx": r["non_2xx"],
    }
    if r.get("ttft_ms"):
        out["ttft_p50_ms"] = round(r["ttft_ms"]["p50"], 2)
    out.update(
        {
            "load1": round(r["load1"], 2),
            "steal_pct": round(r["steal"] * 100, 2),
            "server_cpu_pct": round(r["server_cpu_share"] * 100, 1),
            "foreign_cpu_pct": round(r["foreign"] * 100, 1),
            "accepted": r["accepted"],
        }
    )
    return out


def failure(stack: Stack, workload: Workload, concurrency: int, reason: str) -> dict[str, Any]:
    """A stack x workload that could not be measured: a result, with the reason."""
    return {"workload": workload.name, **_stack_fields(stack), "concurrency": concurrency, "failed": reason[:500]}


# --- findings ----------------------------------------------------------------------------------------

DIMENSIONS = ("api", "handler", "server", "cls")
DIMENSION_NAMES = {"api": "framework", "handler": "handler", "server": "server", "cls": "class"}


def findings(entries: list[dict[str, Any]], stacks: list[Stack]) -> list[dict[str, Any]]:
    """Every pair of measured entries (same workload, concurrency) whose stacks differ in exactly one
    of framework (API layer), handler (async/sync), server or class, on the same worker model.
    Ratio = faster / slower median rate, with its 95% bootstrap interval."""
    by_id = {s.id: s for s in stacks}
    measured = [e for e in entries if "failed" not in e]
    out = []
    for i, a in enumerate(measured):
        for b in measured[i + 1 :]:
            if (a["workload"], a["concurrency"]) != (b["workload"], b["concurrency"]):
                continue
            sa, sb = by_id[a["stack"]], by_id[b["stack"]]
            differ = [d for d in DIMENSIONS if getattr(sa, d) != getattr(sb, d)]
            if len(differ) != 1 or (differ != ["server"] and sa.worker_model != sb.worker_model):
                continue
            if differ == ["server"] and "gunicorn" in (sa.server, sb.server):
                continue  # a WSGI and an ASGI server also differ in the handler's interface
            fast, slow = (a, b) if a["requests_per_second"] >= b["requests_per_second"] else (b, a)
            fr = [r["rps"] for r in fast["run_values"] if r["accepted"]] or [r["rps"] for r in fast["run_values"]]
            sr = [r["rps"] for r in slow["run_values"] if r["accepted"]] or [r["rps"] for r in slow["run_values"]]
            if not slow["requests_per_second"]:
                continue
            lo, hi = ratio_ci(fr, sr)
            out.append(
                {
                    "differs_in": DIMENSION_NAMES[differ[0]],
                    "workload": a["workload"],
                    "concurrency": a["concurrency"],
                    "class": sa.cls if differ != ["cls"] else None,
                    "server": sa.server if differ != ["server"] else None,
                    "faster": fast["stack"],
                    "slower": slow["stack"],
                    "ratio": round(fast["requests_per_second"] / slow["requests_per_second"], 2),
                    "ci95": [round(lo, 2), round(hi, 2)],
                    "saturated": bool(fast.get("saturated") or slow.get("saturated")),
                }
            )
    return out


class _Dumper(yaml.SafeDumper):
    """Small all-scalar mappings in flow style ({p50: 1.2, ...}), multi-line strings as blocks."""

    def represent_small_dict(self, data: dict[Any, Any]) -> yaml.MappingNode:
        flat = all(
            not isinstance(v, (dict, list))
            or (isinstance(v, list) and len(v) <= 2 and not any(isinstance(x, (dict, list)) for x in v))
            for v in data.values()
        )
        flat = flat and all("\n" not in str(v) for v in data.values()) and len(str(data)) <= 240
        return self.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flat)

    def represent_small_list(self, data: list[Any]) -> yaml.SequenceNode:
        flat = len(data) <= 2 and all(not isinstance(x, (dict, list)) for x in data)  # ci95: [lo, hi]
        return self.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flat)

    def represent_str(self, data: str) -> yaml.ScalarNode:
        style = "|" if "\n" in data else None
        return self.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(dict, _Dumper.represent_small_dict)
_Dumper.add_representer(str, _Dumper.represent_str)
_Dumper.add_representer(list, _Dumper.represent_small_list)


def dump(report: dict[str, Any]) -> str:
    return SCHEMA_COMMENT + yaml.dump(
        report, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120, default_flow_style=False
    )


def write(report: dict[str, Any], directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{report['id']}.yaml"
    path.write_text(dump(report))
    return path


def today() -> dt.date:
    return dt.date.today()
