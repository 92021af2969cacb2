"""The benchmark harness works end to end: every stack x workload verifies, the load path produces
numbers with noise readings and memory, thread hops are counted, and the report fits the site's model.

Runs `python -m bench smoke`'s plan in-process (about 2-4 minutes on 2 cores): each app under each of
its servers and classes, exact-answer verification of every workload (PostgreSQL included), then a
second of load for json on every stack and for every workload on each app's tuned stack.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from bench import postgres, results, runner, servers, verify
from bench.workloads import BY_NAME, WORKLOADS
from macros.models import BenchmarkRun

CI = os.environ.get("CI") == "true"
if shutil.which("wrk") is None:  # a contributor's machine may lack it; CI must not
    if CI:
        pytest.fail("wrk is not installed: .ci/run installs it with apt-get install wrk", pytrace=False)
    pytest.skip("wrk is not installed (apt-get install wrk)", allow_module_level=True)
HAVE_PG = postgres.bindir() is not None
if not HAVE_PG and CI:
    pytest.fail("PostgreSQL is not installed: .ci/run installs it with apt-get install postgresql", pytrace=False)

DATA = servers.REPO / "data" / "benchmarks"
PG_WORKLOADS = {w.name for w in WORKLOADS if w.database == "postgresql"}


def snapshot() -> set[str]:
    return {p.name for p in DATA.glob("*")} if DATA.exists() else set()


@pytest.fixture(scope="module")
def smoke():
    before = snapshot()
    plan = runner.smoke_plan()
    if not HAVE_PG:  # only off CI (see above): the PostgreSQL workload is left out, test_postgresql skips
        plan.workloads = [w for w in plan.workloads if w.name not in PG_WORKLOADS]
    report, failures = runner.execute(plan, log=lambda *_: None)
    assert snapshot() == before, "smoke must not write into data/"
    assert failures == [], "\n".join(
        f"{e.get('stack', e.get('app'))} {e.get('workload', '')}: {e['failed']}" for e in failures
    )
    return plan, report


def test_every_stack_and_workload_verified(smoke):
    plan, _ = smoke
    assert sorted(plan.verified) == sorted((s.id, w.name) for s in servers.STACKS for w in plan.workloads)


def test_loaded_entries_have_numbers_noise_readings_and_memory(smoke):
    plan, report = smoke
    entries = {(e["stack"], e["workload"]): e for e in report["results"]}
    assert set(entries) == {(s.id, w.name) for s in servers.STACKS for w in plan.workloads if runner.smoke_loads(s, w)}
    for (stack, workload), e in entries.items():
        where = f"{stack} {workload}"
        assert e["errors"] == 0 and e["non_2xx"] == 0, f"{where}: {e}"
        assert e["requests_per_second"] > 0 and e["ci95"][0] <= e["requests_per_second"] <= e["ci95"][1], where
        assert e["latency_ms"]["p50"] > 0, where
        assert (e["latency_ms"]["p99"] is None) == bool(e["saturated"]), where
        assert 10 < e["memory_mb"]["idle_pss"] <= e["memory_mb"]["peak_pss"], where
        assert 0 < e["startup_s"] < 60, where
        [run] = e["run_values"]
        assert run["server_cpu_pct"] > 0 and run["load1"] >= 0 and 0 <= run["steal_pct"] <= 100, where
        if workload == "sse":
            assert 0 < e["ttft_ms"]["p50"] <= e["stream_ms"]["p50"], where


def test_report_fits_the_sites_data_model_and_records_the_run(smoke):
    _, report = smoke
    run = BenchmarkRun.model_validate(report)
    for pkg in (
        "fastapi",
        "django",
        "asgiref",
        "anyio",
        "uvloop",
        "httptools",
        "granian",
        "gunicorn",
        "uvicorn",
        "psycopg",
    ):
        assert run.versions[pkg] != "not installed", pkg
    assert run.commit and len(run.commit.split("-")[0]) == 40
    assert run.machine.python_build and run.machine.kernel
    assert len(run.stacks) == len(servers.STACKS)
    assert {s.cls for s in run.stacks} == {"stock", "tuned"}


def test_findings_pair_stacks_that_differ_in_exactly_one_thing(smoke):
    _, report = smoke
    assert report["findings"]
    for f in report["findings"]:
        a, b = servers.BY_ID[f["faster"]], servers.BY_ID[f["slower"]]
        differ = [results.DIMENSION_NAMES[d] for d in results.DIMENSIONS if getattr(a, d) != getattr(b, d)]
        assert differ == [f["differs_in"]], f
        assert f["ratio"] >= 1 and f["ci95"][0] <= f["ci95"][1], f
        assert a.cls == b.cls or f["differs_in"] == "class", f
    kinds = {f["differs_in"] for f in report["findings"]}
    assert {"framework", "class"} <= kinds


def test_django_default_middleware_costs_thread_hops_under_asgi(smoke):
    _, report = smoke
    hops = {(h["app"], h["class"]): h for h in report["thread_hops"]}
    stock, tuned = hops[("django-async", "stock")], hops[("django-async", "tuned")]
    # seven MiddlewareMixin middleware: a hop for each request half and each response half, plus CSRF's view
    assert stock["hops_per_request"] >= tuned["hops_per_request"] + 13
    assert tuned["hops_per_request"] <= 2
    assert hops[("fastapi-async-def", "tuned")]["hops_per_request"] == 0
    assert stock["cpu_us_per_request"] > 0 and tuned["cpu_us_per_request"] > 0


def test_postgresql(smoke):
    if not HAVE_PG:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql): db-read-pg not checked")
    plan, report = smoke
    assert {(s.id, "db-read-pg") for s in servers.STACKS} <= set(plan.verified)
    assert report["versions"]["postgresql"].startswith("postgres")
    left = subprocess.run(["pgrep", "-f", "bench-pg-"], capture_output=True, text=True).stdout.split()
    assert left == [], "the harness must stop its PostgreSQL"


def test_a_wrong_answer_fails_verification():
    """The fake upstream answers every path with a chat completion: not what /json must return."""
    tmp = Path(tempfile.mkdtemp())
    try:
        with servers.fake_upstream(tmp) as port, pytest.raises(verify.VerifyError, match="differs"):
            verify.verify(port, BY_NAME["json"])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_cli_smoke_exits_zero_and_writes_nothing():
    before = snapshot()
    done = subprocess.run(
        [sys.executable, "-m", "bench", "smoke", "--stacks", "fastapi-async-def-uvicorn-tuned", "--workloads", "json"],
        cwd=servers.REPO,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "answers verified" in done.stdout
    assert snapshot() == before
