"""python -m bench {smoke,run,calibrate,list}: see bench/README.md."""

from __future__ import annotations

import argparse
import re
import signal
import sys
from pathlib import Path
from typing import Any

from bench import results, runner, servers
from bench.apps import common
from bench.workloads import WORKLOADS

DATA = servers.REPO / "data" / "benchmarks"
COLUMNS = [(w.name, c) for w in WORKLOADS for c in w.concurrency]


def table(entries: list[dict[str, Any]], smoke: bool) -> str:
    """Requests/s per stack (rows) and workload (columns); SSE adds TTFT p50."""
    cols = sorted(
        {(e["workload"], e["concurrency"]) for e in entries},
        key=lambda k: [w.name for w in WORKLOADS].index(k[0]) * 1000 + k[1],
    )
    heads = [f"{w}@{c}" if not smoke and w == "upstream-io" else w for w, c in cols] + ["sse ttft p50 ms"]
    rows: dict[str, dict[tuple[str, int] | str, str]] = {}
    for e in entries:
        row = rows.setdefault(e["stack"], {})
        row[(e["workload"], e["concurrency"])] = (
            "FAILED"
            if "failed" in e
            else f"{e['requests_per_second']:.0f}" + ("!" if e["errors"] or e["non_2xx"] else "")
        )
        if not e.get("failed") and e.get("ttft_ms"):
            row["ttft"] = f"{e['ttft_ms']['p50']:.1f}"
    width = max(len(h) for h in heads)
    lines = ["stack".ljust(36) + "".join(h.rjust(width + 1) for h in heads)]
    for stack, row in rows.items():
        cells = [row.get(k, "-") for k in cols] + [row.get("ttft", "-")]
        lines.append(stack.ljust(36) + "".join(c.rjust(width + 1) for c in cells))
    return "\n".join(lines) + "\n(! = errors or non-2xx responses)"


def problems(entries: list[dict[str, Any]]) -> list[str]:
    bad = []
    for e in entries:
        where = f"{e['stack']} {e['workload']} c={e['concurrency']}"
        if "failed" in e:
            bad.append(f"{where}: {e['failed']}")
        elif e["errors"] or e["non_2xx"] or not e["requests_per_second"] > 0:
            bad.append(f"{where}: {e['errors']} errors, {e['non_2xx']} non-2xx, {e['requests_per_second']} rps")
    return bad


def select(plan: runner.Plan, stacks: str | None, workloads: str | None) -> runner.Plan:
    if stacks:
        plan.stacks = [servers.BY_ID[s] for s in stacks.split(",")]
    if workloads:
        plan.workloads = [w for w in WORKLOADS if w.name in workloads.split(",")]
    return plan


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    smoke = sub.add_parser("smoke", help="every stack x workload briefly; correctness only; writes nothing")
    run = sub.add_parser("run", help="the full benchmark; writes data/benchmarks/<date>-<label>.yaml")
    run.add_argument("--duration", type=int, default=10, help="seconds per measured run (default 10)")
    run.add_argument("--runs", type=int, default=5, help="accepted runs per stack x workload (default 5)")
    run.add_argument("--max-reruns", type=int, default=3, help="extra runs when runs are noisy (default 3)")
    run.add_argument("--warmup", type=int, default=2, help="warm-up seconds (default 2)")
    run.add_argument("--label", default="local", help="file name suffix (default local)")
    run.add_argument("--out", type=Path, default=DATA, help="directory for the results file")
    for p in (smoke, run):
        p.add_argument("--stacks", help="comma-separated stack ids (default all)")
        p.add_argument("--workloads", help="comma-separated workload names (default all)")
    topup = sub.add_parser("topup", help="re-measure the entries of a results file that kept too few runs")
    topup.add_argument("file", type=Path, help="a results file, e.g. data/benchmarks/2026-12-02-local.yaml")
    topup.add_argument("--max-reruns", type=int, default=10, help="extra runs when runs are noisy (default 10)")
    sub.add_parser("calibrate", help="time cpu_work here and suggest a loop count for ~5 ms")
    sub.add_parser("list", help="stacks, workloads and their commands")
    args = parser.parse_args(argv)

    # SIGHUP (a closed terminal) unwinds like SIGTERM does inside runner.execute.
    signal.signal(signal.SIGHUP, lambda signum, frame: sys.exit(128 + signum))

    if args.command == "list":
        for s in servers.STACKS:
            print(f"{s.id} [{s.cls}, {s.worker_model}]: {s.command()}")
        for w in WORKLOADS:
            print(f"{w.name}: {w.method} {w.path} at {w.concurrency} ({w.why})")
        return 0
    if args.command == "topup":
        changed = runner.topup(args.file, args.max_reruns)
        print("\n".join(["replaced:", *changed]) if changed else "nothing replaced")
        return 0
    if args.command == "calibrate":
        ms = runner.cpu_work_ms()
        print(
            f"cpu_work({common.CPU_LOOPS}) takes {ms:.2f} ms here; "
            f"~5 ms would be {round(common.CPU_LOOPS * 5 / ms, -3):.0f} loops (bench/apps/common.py CPU_LOOPS)"
        )
        return 0
    if args.command == "smoke":
        plan = select(runner.smoke_plan(), args.stacks, args.workloads)
    else:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", args.label):
            parser.error("--label: lowercase letters, digits and hyphens")
        plan = select(
            runner.Plan("run", args.duration, args.warmup, args.runs, label=args.label, max_reruns=args.max_reruns),
            args.stacks,
            args.workloads,
        )
    report, failures = runner.execute(plan)
    print(table(report["results"], smoke=plan.mode == "smoke"))
    bad = problems(report["results"]) + [
        f"thread hops {h['app']} {h['class']}: {h['failed']}" for h in report["thread_hops"] if "failed" in h
    ]
    if plan.mode == "run":
        print(f"wrote {results.write(report, args.out)}")
        # Errors under overload are results; a wrong answer, a dead server or no answers are not.
        for b in problems([f for f in failures if "stack" in f]):
            print(f"FAILED {b}", file=sys.stderr)
        return 1 if failures else 0
    for b in bad:
        print(f"FAILED {b}", file=sys.stderr)
    print(
        "smoke: "
        + (
            "FAILED"
            if bad
            else f"all {len(plan.verified)} stack x workload answers verified, "
            f"{len(report['results'])} of them loaded, thread hops counted"
        )
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
