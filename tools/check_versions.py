"""Compare the releases the data was checked against with the newest releases on PyPI (weekly in CI).

For a framework whose newest release differs from its file's `version`, and for a companion package whose
newest release differs from its `latest_release` in data/packages.yaml, print `file:line:column:` lines
naming the facts to re-verify, and exit 1. Needs the internet (PyPI's JSON API); `make check-versions`.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros.dataset import Dataset, load_dataset  # noqa: E402

HEADERS = {
    "User-Agent": "ai-web-framework-guide version check (+https://github.com/ai-web-framework-guide/guide)",
    "Accept": "application/json",
}


def pypi_name(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def newest_on_pypi(name: str) -> str:
    request = urllib.request.Request(f"https://pypi.org/pypi/{name}/json", headers=HEADERS)
    with urllib.request.urlopen(request, timeout=20) as response:
        return json.load(response)["info"]["version"]


def moved(ds: Dataset, newest: Callable[[str], str]) -> list[str]:
    """One report per framework or package whose newest PyPI release is not the one the data records."""
    reports = []
    for fw in ds.frameworks:
        latest = newest(pypi_name(fw.links.pypi))
        if latest != fw.version:
            file = ds.files[f"framework:{fw.id}"]
            pos = ds.maps[file].value(("version",))
            probed = sorted({p.criterion for p in ds.probes if p.framework == fw.id})
            reports.append(
                f"{file}:{pos.line}:{pos.column}: version: {fw.name} {latest} is on PyPI, the facts were "
                f"checked against {fw.version} (pin {latest} in requirements.lock and run tests/probes: "
                f"the failing probes name facts to revisit; re-verify all {len(fw.facts)} facts, "
                f"{len(probed)} of them probed, then raise `version:`)"
            )
    for i, pkg in enumerate(ds.packages):
        latest = newest(pypi_name(pkg.pypi))
        if pkg.latest_release is not None and latest == pkg.latest_release:
            continue
        file = ds.files["packages"]
        pos = ds.maps[file].value(("packages", i, "latest_release" if pkg.latest_release else "id"))
        facts = [
            f"{ds.fact_location(fw.id, c)[0]}:{ds.fact_location(fw.id, c)[1].line} ({fw.id}/{c})"
            for fw in ds.frameworks
            for c, fact in fw.facts.items()
            if pkg.id in fact.plugins
        ]
        reports.append(
            f"{file}:{pos.line}:{pos.column}: packages.{pkg.id}: {pkg.name} {latest} is on PyPI, the data "
            f"records {pkg.latest_release or 'no release'} (update latest_release, released, status and "
            f"checked, and re-verify: {', '.join(facts) or 'no fact names it'})"
        )
    return reports


def main() -> int:
    reports = moved(load_dataset(), newest_on_pypi)
    for line in reports:
        print(line)
    print(f"{len(reports)} release{'s' if len(reports) != 1 else ''} moved since the data was checked")
    return 1 if reports else 0


if __name__ == "__main__":
    sys.exit(main())
