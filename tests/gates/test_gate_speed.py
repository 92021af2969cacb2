"""Gate 4, speed budget: Lighthouse (mobile preset) on the key pages of the served site. Performance >= 98;
Accessibility, Best Practices and SEO = 100; transferred bytes within quality/budget.yaml; no score lower
than the one recorded in quality/lighthouse.json. UPDATE_QUALITY=1 (or --update-quality) re-records."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from defects import SITE_DEFECTS
from gatekit import CHROMIUM_ARGS, QUALITY, REPO, lighthouse_pages, node_tool, page_id, require_tool

pytestmark = [pytest.mark.browser, pytest.mark.build]

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MINIMUM = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
# A page whose floor is lower, with the reason. Nothing else may go under MINIMUM. None since the fifth session:
# /comparison/ had a floor of 84 while its 45 rows of cards cost over a second of style and layout on a phone
# under Lighthouse's throttling; its off-screen categories are now skipped until they near the viewport
# (`content-visibility` with an over-estimated stand-in height, guide.css), and it scores 99.
PAGE_MINIMUM: dict[str, dict[str, int]] = {}


def minimum(path: str, category: str) -> int:
    return PAGE_MINIMUM.get(path, {}).get(category, MINIMUM[category])


# Performance is measured on a shared 2-core machine: simulated throttling multiplies the main-thread time
# it observes (x4), so a busy neighbour lowers the score by several points, and never raises it. A run under
# the floor is therefore repeated, up to RUNS_ON_MISS runs in all, and the best run counts: the closest to
# the page's own cost; a real regression misses in every run. The record is compared with SLACK points of
# slack for performance; the other categories are deterministic: no slack.
SLACK = {"performance": 5, "accessibility": 0, "best-practices": 0, "seo": 0}
RUNS_ON_MISS = 3
# Before each run, wait (at most QUIET_WAIT seconds) for a moment when other processes use less than
# QUIET_BUSY of the CPUs, so a neighbour's benchmark or build does not land inside the measurement.
QUIET_BUSY, QUIET_WAIT = 0.5, 60.0
RECORD = QUALITY / "lighthouse.json"
BUDGET = QUALITY / "budget.yaml"
LIGHTHOUSE_FLAGS = ["--headless=new", *CHROMIUM_ARGS]


def _cpu_busy(seconds: float = 1.0) -> float | None:
    """Share of all CPUs busy over `seconds` (from /proc/stat), or None where that cannot be read."""

    def sample():
        with open("/proc/stat", encoding="ascii") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
        return fields[3] + fields[4], sum(fields)  # idle + iowait, total

    try:
        idle1, total1 = sample()
        time.sleep(seconds)
        idle2, total2 = sample()
    except (OSError, ValueError, IndexError):
        return None
    return 1 - (idle2 - idle1) / max(1, total2 - total1)


def wait_for_quiet_cpu() -> float | None:
    """Wait until the machine is mostly idle, or QUIET_WAIT seconds have passed; return the last reading."""
    deadline = time.monotonic() + QUIET_WAIT
    busy = _cpu_busy()
    while busy is not None and busy > QUIET_BUSY and time.monotonic() < deadline:
        busy = _cpu_busy(2.0)
    return busy


def _load_record() -> dict:
    if RECORD.exists():
        return json.loads(RECORD.read_text(encoding="utf-8"))
    return {"pages": {}}


class Lighthouse:
    """Runs Lighthouse once per page per session (more only when performance misses), keeps the results."""

    def __init__(self, base_url: str, tmp: Path, pages: list[str]):
        self.base_url, self.tmp, self.pages = base_url, tmp, pages
        self.binary = node_tool(".bin/lighthouse")
        self.chrome = require_tool(
            os.environ.get("CHROME_PATH", "/usr/bin/chromium"),
            "install Debian's chromium (`apt-get install chromium`) or set CHROME_PATH",
        )
        require_tool("node", "install Node.js 20 or newer (`apt-get install nodejs npm`)")
        self.results: dict[str, dict] = {}
        self.record = _load_record()

    def run_once(self, path: str, n: int) -> dict:
        out = self.tmp / f"{page_id(path).replace('/', '_')}-{n}.json"
        cmd = [
            self.binary,
            self.base_url + path,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            "--only-categories=" + ",".join(CATEGORIES),
            "--chrome-flags=" + " ".join(LIGHTHOUSE_FLAGS),
        ]
        env = dict(os.environ, CHROME_PATH=self.chrome)
        busy = wait_for_quiet_cpu()
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env, cwd=REPO)
        if proc.returncode != 0 or not out.exists():
            pytest.fail(f"lighthouse failed on {path} (exit {proc.returncode}):\n{proc.stderr[-3000:]}", pytrace=False)
        lhr = json.loads(out.read_text(encoding="utf-8"))
        if lhr.get("runtimeError"):
            pytest.fail(f"lighthouse on {path}: {lhr['runtimeError']}", pytrace=False)
        scores = {c: round(100 * (lhr["categories"][c]["score"] or 0)) for c in CATEGORIES}
        failing = {}
        for c in CATEGORIES:
            for ref in lhr["categories"][c]["auditRefs"]:
                audit = lhr["audits"][ref["id"]]
                if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                    items = (audit.get("details") or {}).get("items") or []
                    targets = [(it.get("node") or {}).get("selector", "") for it in items if isinstance(it, dict)]
                    failing.setdefault(c, []).append(
                        {
                            "id": ref["id"],
                            "title": audit.get("title", ""),
                            "score": audit["score"],
                            "value": audit.get("displayValue", ""),
                            "targets": [t for t in targets if t],
                        }
                    )
        return {
            "scores": scores,
            "bytes": int(lhr["audits"]["total-byte-weight"]["numericValue"]),
            "failing": failing,
            "lighthouse": lhr.get("lighthouseVersion"),
            "busy_before": None if busy is None else round(100 * busy),
            "benchmark_index": (lhr.get("environment") or {}).get("benchmarkIndex"),
            "chrome": (lhr.get("environment") or {}).get("hostUserAgent", ""),
        }

    def floor(self, path: str) -> int:
        recorded = self.record.get("pages", {}).get(path, {}).get("performance")
        if recorded is None:
            return minimum(path, "performance")
        return max(minimum(path, "performance"), recorded - SLACK["performance"])

    def result(self, path: str) -> dict:
        if path not in self.results:
            runs = [self.run_once(path, 1)]
            while runs[-1]["scores"]["performance"] < self.floor(path) and len(runs) < RUNS_ON_MISS:
                runs.append(self.run_once(path, len(runs) + 1))
            chosen = max(runs, key=lambda r: r["scores"]["performance"])
            chosen["performance_runs"] = [
                f"{r['scores']['performance']} (CPU {r['busy_before']}% busy before, benchmarkIndex "
                f"{r['benchmark_index']})"
                for r in runs
            ]
            self.results[path] = chosen
        return self.results[path]

    def write_record(self) -> None:
        pages = dict(self.record.get("pages", {}))
        for path, r in self.results.items():
            pages[path] = {**r["scores"], "transferred_bytes": r["bytes"]}
        pages = {p: pages[p] for p in sorted(pages, key=lambda u: (u != "/", u)) if p in self.pages}
        sample = next(iter(self.results.values()))
        RECORD.parent.mkdir(parents=True, exist_ok=True)
        RECORD.write_text(
            json.dumps(
                {
                    "recorded": dt.date.today().isoformat(),
                    "lighthouse": sample["lighthouse"],
                    "preset": "mobile (Lighthouse default), simulated throttling",
                    "server": "tests/gates StaticServer: gzip, Cache-Control max-age=600, HTTP/1.1",
                    "browser": sample["chrome"],
                    "pages": pages,
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )


@pytest.fixture(scope="session")
def lighthouse(base_url, site_pages, tmp_path_factory, update_quality):
    lh = Lighthouse(base_url, tmp_path_factory.mktemp("lighthouse"), lighthouse_pages(site_pages))
    yield lh
    if update_quality and lh.results:
        lh.write_record()


@pytest.fixture(scope="session")
def budget() -> dict:
    data = yaml.safe_load(BUDGET.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and isinstance(data.get("default"), int), (
        f"{BUDGET}: needs `default: <bytes>` and optional `pages: {{/path/: <bytes>}}`"
    )
    return data


def _explain(failing: list[dict]) -> str:
    return "\n".join(
        f"    {a['id']} ({a['title']}): score {a['score']} {a['value']} {a['targets'][:3]}" for a in failing
    )


def _all_known_axe_defects(failing: list[dict], path: str) -> bool:
    """True when every failing accessibility audit is an open axe defect in defects.py (same axe rules)."""
    defects = SITE_DEFECTS["axe"]
    return bool(failing) and all(
        a["targets"] and all(any(d.matches(a["id"], t, path) for d in defects) for t in a["targets"]) for a in failing
    )


@pytest.mark.parametrize("category", CATEGORIES)
def test_lighthouse_category_meets_its_minimum(lighthouse, lighthouse_path: str, category: str):
    path = lighthouse_path
    r = lighthouse.result(path)
    score, failing = r["scores"][category], r["failing"].get(category, [])
    if score < MINIMUM[category] and category == "accessibility" and _all_known_axe_defects(failing, path):
        pytest.xfail(f"accessibility {score} < 100 only because of open axe defects in defects.py")
    runs = f" (performance runs: {r['performance_runs']})" if category == "performance" else ""
    assert score >= minimum(path, category), (
        f"{path}: {category} {score} < {minimum(path, category)}{runs}; failing audits:\n{_explain(failing)}"
    )


def test_lighthouse_transferred_bytes_within_budget(lighthouse, budget, lighthouse_path: str):
    path = lighthouse_path
    limit = (budget.get("pages") or {}).get(path, budget["default"])
    got = lighthouse.result(path)["bytes"]
    assert got <= limit, (
        f"{path} transfers {got} bytes, over its budget of {limit} in quality/budget.yaml: "
        f"find what grew (Lighthouse 'total-byte-weight') before raising the budget"
    )


def test_lighthouse_scores_do_not_drop_below_the_record(lighthouse, update_quality, lighthouse_path: str):
    path = lighthouse_path
    r = lighthouse.result(path)
    if update_quality:
        return  # this run re-records; the minimums above still apply
    recorded = lighthouse.record.get("pages", {}).get(path)
    assert recorded, (
        f"no recorded Lighthouse scores for {path} in quality/lighthouse.json: run "
        f"`UPDATE_QUALITY=1 .venv/bin/python -m pytest tests/gates/test_gate_speed.py` and commit it"
    )
    drops = [
        f"{c} {r['scores'][c]} < recorded {recorded[c]}" + (f" - {SLACK[c]}" if SLACK[c] else "")
        for c in CATEGORIES
        if c in recorded and r["scores"][c] < recorded[c] - SLACK[c]
    ]
    assert not drops, f"{path}: scores dropped: {'; '.join(drops)}"
