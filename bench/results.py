"""Turn runs into result entries and write the results file the site renders.

One entry per stack x workload x concurrency: the median of the measured runs for rate and for
each latency percentile, errors and non-2xx summed over the measured runs, the min/max rate as
the spread, the peak RSS of the server's process tree, and the load average around it so noise
from a shared machine is visible. Versions are read from the installed packages, never typed.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import subprocess
from importlib import metadata
from pathlib import Path

import yaml

from bench import loadgen

PACKAGES = ["fastapi", "starlette", "pydantic", "django", "django-ninja", "djangorestframework",
            "uvicorn", "gunicorn", "granian", "sqlalchemy", "sqlmodel", "httpx2", "h11"]
SCHEMA_COMMENT = "# yaml-language-server: $schema=../schemas/benchmark.schema.json\n"


def machine() -> dict:
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kib = int(next(x for x in f if x.startswith("MemTotal:")).split()[1])
    os_name = f"{platform.system()} {platform.release()}"
    try:
        os_name += f" / Debian {Path('/etc/debian_version').read_text().strip()}"
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(mem_kib / 1024**2),
            "os": os_name, "python": platform.python_version()}


def versions() -> dict:
    found = {name: metadata.version(name) for name in PACKAGES}
    try:
        wrk = subprocess.run([loadgen.WRK or "wrk", "-v"], capture_output=True, text=True, timeout=10)
        found["wrk"] = (wrk.stdout or wrk.stderr).splitlines()[0].strip()
    except (OSError, IndexError, subprocess.SubprocessError):
        found["wrk"] = "not installed"
    return found


def _median_quantiles(dicts: list[dict | None]) -> dict | None:
    dicts = [d for d in dicts if d]
    if not dicts:
        return None
    return {q: round(statistics.median(d[q] for d in dicts), 2) for q in ("p50", "p90", "p99")}


def summarize(stack, workload, concurrency: int, runs: list[dict], peak_rss_mb: float,
              load: tuple[float, float]) -> dict:
    rates = [r["requests_per_second"] for r in runs]
    entry = {
        "workload": workload.name,
        "stack": stack.id,
        "framework": stack.framework,
        "server": stack.server,
        "variant": stack.variant,
        "concurrency": concurrency,
        "requests_per_second": round(statistics.median(rates), 1),
        "latency_ms": _median_quantiles([r["latency_ms"] for r in runs]),
        "errors": sum(r["errors"] for r in runs),
        "non_2xx": sum(r["non_2xx"] for r in runs),
        "peak_rss_mb": round(peak_rss_mb, 1),
        "runs": len(runs),
        "spread": {"min_rps": round(min(rates), 1), "max_rps": round(max(rates), 1)},
    }
    if workload.loadgen == "sse":
        entry["ttft_ms"] = _median_quantiles([r["ttft_ms"] for r in runs])
        entry["stream_ms"] = _median_quantiles([r["stream_ms"] for r in runs])
    entry["load"] = {"before": round(load[0], 2), "after": round(load[1], 2)}
    return entry


def failure(stack, workload, concurrency: int, reason: str, load: tuple[float, float]) -> dict:
    """A stack x workload that was not measured: verification or the server failed."""
    return {
        "workload": workload.name, "stack": stack.id, "framework": stack.framework,
        "server": stack.server, "variant": stack.variant, "concurrency": concurrency,
        "verify_failed": reason[:500],
        "load": {"before": round(load[0], 2), "after": round(load[1], 2)},
    }


class _Dumper(yaml.SafeDumper):
    """Small all-scalar mappings in flow style ({p50: 1.2, ...}), multi-line strings as blocks."""

    def represent_dict(self, data):
        flat = all(not isinstance(v, (dict, list)) and "\n" not in str(v) for v in data.values())
        flat = flat and len(str(data)) <= 120
        return self.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flat)

    def represent_str(self, data):
        style = "|" if "\n" in data else None
        return self.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(dict, _Dumper.represent_dict)
_Dumper.add_representer(str, _Dumper.represent_str)


def dump(report: dict) -> str:
    return SCHEMA_COMMENT + yaml.dump(report, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                                      width=120, default_flow_style=False)


def write(report: dict, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{report['id']}.yaml"
    path.write_text(dump(report))
    return path


def today() -> dt.date:
    return dt.date.today()
