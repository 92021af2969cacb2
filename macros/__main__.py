"""Command line: `python -m macros validate` and `python -m macros schemas [--check]`."""

from __future__ import annotations

import sys
from pathlib import Path

from macros import paths
from macros.dataset import load_dataset
from macros.errors import DataErrors
from macros.export import editor_schemas


def _validate(data_dir: Path) -> int:
    import datetime as dt

    from macros.freshness import stale_facts

    try:
        ds = load_dataset(data_dir)
    except DataErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    stale = stale_facts(ds, dt.date.today())
    for item in stale:
        print(f"warning: {item.warning()}", file=sys.stderr)
    cells = len(ds.frameworks) * len(ds.criteria)
    unknown = sum(1 for fw in ds.frameworks for f in fw.facts.values() if f.value == "unknown")
    print(f"data OK: {len(ds.frameworks)} frameworks x {len(ds.criteria)} criteria = {cells} facts "
          f"({unknown} unknown), {len(ds.use_cases)} use cases, {len(ds.claims)} claims, {len(ds.packages)} packages, "
          f"{len(ds.tasks)} tasks, {len(ds.benchmarks)} benchmark runs"
          + (f"; {len(stale)} may be out of date (warnings above)" if stale else ""))
    return 0


def _schemas(check: bool) -> int:
    try:
        ds = load_dataset()
    except DataErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    stale = []
    paths.SCHEMAS.mkdir(parents=True, exist_ok=True)
    for name, text in editor_schemas(ds).items():
        target = paths.SCHEMAS / name
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue
        stale.append(paths.display(target))
        if not check:
            target.write_text(text, encoding="utf-8")
    if check and stale:
        print("out of date: " + ", ".join(stale) + " (run `make schemas` and commit the result)", file=sys.stderr)
        return 1
    print("schemas written: " + (", ".join(stale) if stale else "none changed"))
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["validate"]:
        return _validate(Path(argv[argv.index("--data") + 1]) if "--data" in argv else paths.DATA)
    if argv[:1] == ["schemas"]:
        return _schemas(check="--check" in argv)
    print("usage: python -m macros validate [--data DIR] | schemas [--check]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
