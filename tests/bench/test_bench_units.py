"""The harness's parts that need no server: stacks and their commands, statistics, saturation,
findings, PSS and the Django classes. Fast; runs without wrk or PostgreSQL."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import anyio
import anyio.to_thread
import pytest

from bench import results, servers
from bench.workloads import BY_NAME


def test_wsgi_threads_equal_fastapis_default_thread_pool():
    async def total():
        return anyio.to_thread.current_default_thread_limiter().total_tokens

    assert anyio.run(total) == servers.FASTAPI_THREADS


def test_every_app_runs_on_every_server_of_its_interface_in_both_classes():
    for app in servers.APPS:
        mine = {
            (s.server, s.cls)
            for s in servers.STACKS
            if s.app == app.app and s.api == app.api and s.variant == app.variant
        }
        assert mine == {(srv, c) for srv in servers.SERVERS_FOR[app.interface] for c in servers.CLASSES}, app.id
    assert len({s.id for s in servers.STACKS}) == len(servers.STACKS)


def test_commands_pass_workers_and_use_uvloop_httptools_and_gthread():
    for s in servers.STACKS:
        argv = dataclasses.replace(s, workers=3).argv(8000)
        assert argv[argv.index("--workers") + 1] == "3", s.id
        if s.server in ("uvicorn", "granian"):
            assert argv[argv.index("--loop") + 1] == "uvloop", s.id
        if s.server == "uvicorn":
            assert argv[argv.index("--http") + 1] == "httptools", s.id
        if s.server == "gunicorn":
            assert argv[argv.index("--worker-class") + 1] == "gthread"
            assert argv[argv.index("--threads") + 1] == "40"
        assert ("--no-access-log" in argv) == (s.server == "uvicorn" and s.cls == "tuned"), s.id


def django_settings(variant: str, cls: str) -> dict:
    code = (
        "import json; from bench.apps.django import settings as s; "
        "print(json.dumps({'mw': s.MIDDLEWARE, 'age': s.CONN_MAX_AGE, 'pg': s.DATABASES.get('pg', {})}))"
    )
    env = {
        **os.environ,
        "BENCH_DJANGO_VARIANT": variant,
        "BENCH_CLASS": cls,
        "BENCH_DB": "/tmp/x.sqlite3",
        "BENCH_PG_DSN": "host=127.0.0.1 port=5 dbname=bench user=bench",
        "PYTHONPATH": str(servers.REPO),
    }
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_django_classes():
    stock_asgi, tuned_asgi = django_settings("async", "stock"), django_settings("ninja", "tuned")
    stock_wsgi, tuned_wsgi = django_settings("sync", "stock"), django_settings("drf", "tuned")
    assert len(stock_asgi["mw"]) == 7 and tuned_asgi["mw"] == []
    assert stock_wsgi["mw"] == tuned_wsgi["mw"] == stock_asgi["mw"]  # no thread hops under WSGI
    assert stock_asgi["age"] == stock_wsgi["age"] == tuned_asgi["age"] == 0 and tuned_wsgi["age"] == 60
    assert tuned_asgi["pg"]["OPTIONS"]["pool"] and "OPTIONS" not in stock_asgi["pg"]


def run(rps, p99=10.0, errors=0, accepted=True, p50=5.0):
    return {
        "requests_per_second": rps,
        "latency_ms": {"p50": p50, "p90": p99 / 2, "p99": p99},
        "errors": errors,
        "non_2xx": 0,
        "steal": 0.0,
        "server_cpu_share": 1.0,
        "foreign": 0.0,
        "load1": 1.0,
        "accepted": accepted,
    }


STACK = servers.BY_ID["fastapi-async-def-uvicorn-tuned"]


def test_median_interval_is_reproducible_and_contains_the_median():
    values = [100.0, 104.0, 98.0, 101.0, 130.0]
    lo, hi = results.median_ci(values)
    assert (lo, hi) == results.median_ci(values) and lo <= 101.0 <= hi


def test_summary_drops_noisy_runs_flags_spread_and_saturation():
    runs = [run(100), run(101), run(99), run(500, accepted=False), run(130)]
    e = results.summarize(STACK, BY_NAME["json"], 64, runs, {"idle_pss": 40, "peak_pss": 50}, 0.5, 10)
    assert e["requests_per_second"] == 100.5 and e["runs"] == 4 and e["dropped_runs"] == 1
    assert e["unstable"] and e["spread"]["pct"] == pytest.approx(30.8, abs=0.1)
    assert len(e["run_values"]) == 5 and not e["run_values"][3]["accepted"]
    assert e["saturated"] is None and e["latency_ms"]["p99"] == 10.0
    steady = results.summarize(STACK, BY_NAME["json"], 64, [run(100), run(101)], {"idle_pss": 1, "peak_pss": 1}, 1, 10)
    assert not steady["unstable"]


@pytest.mark.parametrize(
    ("runs", "why"),
    [
        ([run(100, errors=3)], "3 socket errors"),
        ([run(100, p99=10_000)], "p99 10.0 s"),
        ([run(5)], "mean wait 12.8 s"),  # 64 connections / 5 req/s
    ],
)
def test_saturated_entries_get_no_p99(runs, why):
    e = results.summarize(STACK, BY_NAME["json"], 64, runs, {"idle_pss": 1, "peak_pss": 1}, 1, 10)
    assert why in e["saturated"] and e["latency_ms"]["p99"] is None


def test_a_saturated_stream_has_no_first_token_p99_either():
    r = run(3, errors=2) | {
        "ttft_ms": {"p50": 5, "p90": 9, "p99": 40},
        "stream_ms": {"p50": 200, "p90": 300, "p99": 900},
    }
    e = results.summarize(STACK, BY_NAME["sse"], 64, [r], {"idle_pss": 1, "peak_pss": 1}, 1, 10)
    assert e["ttft_ms"]["p99"] is None and e["stream_ms"]["p99"] is None and e["ttft_ms"]["p50"] == 5


def entry(stack, rps):
    e = results.summarize(
        stack, BY_NAME["json"], 64, [run(rps), run(rps * 1.01), run(rps * 0.99)], {"idle_pss": 1, "peak_pss": 1}, 1, 10
    )
    return e


def test_findings_only_pair_stacks_that_differ_in_one_thing():
    ids = [
        "fastapi-async-def-uvicorn-tuned",
        "django-async-uvicorn-tuned",
        "django-async-uvicorn-stock",
        "django-async-granian-tuned",
        "django-sync-gunicorn-tuned",
        "fastapi-sync-def-uvicorn-tuned",
    ]
    stacks = [servers.BY_ID[i] for i in ids]
    found = results.findings([entry(s, 1000 - 100 * i) for i, s in enumerate(stacks)], stacks)
    pairs = {(f["faster"], f["slower"]): f["differs_in"] for f in found}
    assert pairs == {
        ("fastapi-async-def-uvicorn-tuned", "django-async-uvicorn-tuned"): "framework",
        ("django-async-uvicorn-tuned", "django-async-uvicorn-stock"): "class",
        ("django-async-uvicorn-tuned", "django-async-granian-tuned"): "server",
        ("fastapi-async-def-uvicorn-tuned", "fastapi-sync-def-uvicorn-tuned"): "handler",
    }
    f = next(f for f in found if f["differs_in"] == "framework")
    assert f["ratio"] == pytest.approx(1000 / 900, abs=0.01) and f["ci95"][0] <= f["ratio"] <= f["ci95"][1]
    assert f["class"] == "tuned" and f["server"] == "uvicorn"


def test_pss_does_not_count_shared_pages_twice():
    """A parent and a forked child share their pages: PSS sums to about one copy, RSS to two."""
    code = (
        "import os, time; b = bytearray(64 * 1024 * 1024)\n"
        "for i in range(0, len(b), 4096): b[i] = 1\n"
        "pid = os.fork()\nprint('ready', flush=True); time.sleep(30)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().startswith("ready")
        pids = servers.tree(proc.pid)
        assert len(pids) == 2
        rss = (
            sum(
                int(
                    next(
                        x for x in Path(f"/proc/{p}/status").read_text().splitlines() if x.startswith("VmRSS:")
                    ).split()[1]
                )
                for p in pids
            )
            / 1024
        )
        assert rss > 128 and servers.tree_pss_mb(proc.pid) < rss - 50
    finally:
        for p in servers.tree(proc.pid)[::-1]:
            os.kill(p, 9)
        proc.wait()


def test_topup_replaces_only_entries_that_gain_accepted_runs(tmp_path, monkeypatch):
    """`python -m bench topup` re-measures short entries with the file's own method and keeps a new
    measurement only when it has more accepted runs (a noisy one, where no run was accepted, never wins)."""
    from bench import runner

    source = sorted((Path(__file__).resolve().parents[2] / "data" / "benchmarks").glob("*.yaml"))[-1]
    report = runner.yaml.safe_load(source.read_text())
    entries = [e for e in report["results"] if "failed" not in e][:3]
    for e, runs in zip(entries, (3, 4, 5), strict=True):
        e["runs"] = runs
    report["results"] = entries
    path = tmp_path / "run.yaml"
    path.write_text(results.dump(report))
    plans = []

    def fake_execute(plan, log=print, count_hops=True):
        plans.append(plan)
        assert count_hops is False and plan.runs == report["method"]["runs"] and plan.max_reruns == 7
        old = next(e for e in entries if e["stack"] == plan.stacks[0].id and e["workload"] == plan.workloads[0].name)
        new = {**old, "runs": 5, "requests_per_second": 1.0} if old["runs"] == 3 else {**old, "runs": 15, "noisy": True}
        return {"results": [new]}, []

    monkeypatch.setattr(runner, "execute", fake_execute)
    monkeypatch.setattr(servers, "PINNING", "elsewhere")
    with pytest.raises(SystemExit, match="pinned as"):  # a process that would pin differently measures nothing
        runner.topup(path, max_reruns=7, log=lambda _: None)
    assert plans == []
    monkeypatch.setattr(servers, "PINNING", report["method"]["pinning"])
    changed = runner.topup(path, max_reruns=7, log=lambda _: None)
    after = runner.yaml.safe_load(path.read_text())
    assert len(plans) == 2  # the entry with all five runs was not re-measured
    assert [e["runs"] for e in after["results"]] == [5, 4, 5]  # the noisy re-measurement did not replace
    assert after["results"][0]["requests_per_second"] == 1.0
    assert changed == [f"{entries[0]['stack']} {entries[0]['workload']} c={entries[0]['concurrency']} (3 -> 5 runs)"]
    assert "Topped up on" in after["method"]["notes"] and "(3 -> 5 runs)" in after["method"]["notes"]
    assert isinstance(after["findings"], list)
