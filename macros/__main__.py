"""Command line: `python -m macros validate`, `schemas [--check]`, `pages [--check]` and `export SITE_DIR`."""

from __future__ import annotations

import sys
from pathlib import Path

from macros import pages, paths
from macros.dataset import load_dataset
from macros.errors import DataErrors
from macros.export import editor_schemas, write_site_api


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
    print(
        f"data OK: {len(ds.frameworks)} frameworks x {len(ds.criteria)} criteria = {cells} facts "
        f"({unknown} unknown), {len(ds.use_cases)} use cases, {len(ds.claims)} claims, {len(ds.packages)} packages, "
        f"{len(ds.tasks)} tasks, {len(ds.benchmarks)} benchmark runs"
        + (f"; {len(stale)} may be out of date (warnings above)" if stale else "")
    )
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


def _pages(check: bool, docs_dir: Path) -> int:
    try:
        ds = load_dataset()
    except DataErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    found = pages.drift(ds, docs_dir) if check else pages.write(ds, docs_dir)
    listing = ", ".join(f"{paths.display(docs_dir / d.path)} ({d.problem})" for d in found)
    if check and found:
        print(f"generated pages out of date: {listing} (run `make pages` and commit the result)", file=sys.stderr)
        return 1
    print("generated pages " + ("fixed: " + listing if found else "up to date"))
    return 0


def _export(site_dir: Path) -> int:
    """The build step after the page build (MkDocs or Zensical): the published dataset next to the pages."""
    if not (site_dir / "index.html").is_file():
        print(f"{site_dir}: no built site here (build the pages first, e.g. `make build`)", file=sys.stderr)
        return 1
    try:
        ds = load_dataset()
    except DataErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    written = write_site_api(ds, site_dir)
    print("dataset published: " + ", ".join(p.as_posix() for p in written))
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["validate"]:
        return _validate(Path(argv[argv.index("--data") + 1]) if "--data" in argv else paths.DATA)
    if argv[:1] == ["schemas"]:
        return _schemas(check="--check" in argv)
    if argv[:1] == ["pages"]:
        return _pages("--check" in argv, Path(argv[argv.index("--docs") + 1]) if "--docs" in argv else paths.DOCS)
    if argv[:1] == ["export"] and len(argv) == 2:
        return _export(Path(argv[1]))
    print(
        "usage: python -m macros validate [--data DIR] | schemas [--check] | pages [--check] [--docs DIR]"
        " | export SITE_DIR",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
