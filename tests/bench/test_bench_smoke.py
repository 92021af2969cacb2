"""The benchmark harness works end to end: every stack x workload verifies and produces numbers.

Runs `python -m bench smoke`'s plan in-process (about 1.5 minutes on 2 cores): each app under its
production server, exact-answer verification, then a second of load per workload.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from bench import runner, servers, verify
from bench.workloads import BY_NAME, WORKLOADS
from macros.models import BenchmarkRun

if shutil.which("wrk") is None:  # a contributor's machine may lack it; CI must not
    if os.environ.get("CI") == "true":
        pytest.fail("wrk is not installed: .ci/run installs it with apt-get install wrk", pytrace=False)
    pytest.skip("wrk is not installed (apt-get install wrk)", allow_module_level=True)

DATA = servers.REPO / "data" / "benchmarks"


def snapshot() -> set[str]:
    return {p.name for p in DATA.glob("*")} if DATA.exists() else set()


@pytest.fixture(scope="module")
def smoke_report():
    before = snapshot()
    report, failures = runner.execute(runner.smoke_plan(), log=lambda *_: None)
    assert snapshot() == before, "smoke must not write into data/"
    assert failures == [], "\n".join(f"{e['stack']} {e['workload']}: {e['verify_failed']}" for e in failures)
    return report


def test_every_stack_and_workload_verified_with_numbers(smoke_report):
    entries = {(e["stack"], e["workload"]): e for e in smoke_report["results"]}
    assert set(entries) == {(s.id, w.name) for s in servers.STACKS for w in WORKLOADS}
    for (stack, workload), e in entries.items():
        where = f"{stack} {workload}"
        assert e["errors"] == 0 and e["non_2xx"] == 0, f"{where}: {e}"
        assert e["requests_per_second"] > 0, where
        assert all(e["latency_ms"][q] > 0 for q in ("p50", "p90", "p99")), where
        assert e["peak_rss_mb"] > 10, where
        if workload == "sse":
            assert 0 < e["ttft_ms"]["p50"] <= e["stream_ms"]["p50"], where


def test_report_fits_the_sites_data_model(smoke_report):
    assert list(smoke_report) == ["id", "date", "machine", "versions", "method", "commands", "stacks", "results"]
    run = BenchmarkRun.model_validate(smoke_report)
    assert run.versions["fastapi"] and run.versions["django"]
    assert len(run.stacks) == len(servers.STACKS)


def test_a_wrong_answer_fails_verification():
    """The fake upstream answers every path with a chat completion: not what /json must return."""
    tmp = Path(tempfile.mkdtemp())
    try:
        with servers.fake_upstream(tmp) as port:
            with pytest.raises(verify.VerifyError, match="differs"):
                verify.verify(port, BY_NAME["json"])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_cli_smoke_exits_zero_and_writes_nothing():
    before = snapshot()
    done = subprocess.run(
        [sys.executable, "-m", "bench", "smoke", "--stacks", "fastapi-async-def", "--workloads", "json"],
        cwd=servers.REPO, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "checks passed" in done.stdout
    assert snapshot() == before
