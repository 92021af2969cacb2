"""Check that every external URL in the data still answers (run weekly by CI, needs the internet).

Prints `file:line:column: url: problem` for each failure and exits 1 if there is any. Pull requests do not
run this: another host's outage must not block a data fix.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros import paths  # noqa: E402
from macros.dataset import load_dataset  # noqa: E402
from macros.yaml_source import load_yaml  # noqa: E402

HEADERS = {"User-Agent": "ai-web-framework-guide link check (+https://github.com/ai-web-framework-guide/guide)"}


def _walk(value, path=()):  # noqa: ANN001, ANN202
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(item, path + (i,))
    else:
        yield path, value


def urls_with_places() -> dict[str, str]:
    """Every https URL in the (valid) data, with the first place it is written."""
    ds = load_dataset()  # refuse to check links of data that does not validate
    places: dict[str, str] = {}
    for file in sorted(ds.maps):
        data, smap = load_yaml(paths.ROOT / file, file)
        for path, value in _walk(data):
            if isinstance(value, str) and value.startswith("https://"):
                pos = smap.value(path)
                places.setdefault(value, f"{file}:{pos.line}:{pos.column}")
    return places


def check(url: str) -> str | None:
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url.split("#")[0], method=method, headers=HEADERS)
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                if response.status < 400:
                    return None
        except urllib.error.HTTPError as exc:
            if method == "GET" or exc.code not in (403, 405, 501):
                problem = f"HTTP {exc.code}"
                if method == "GET":
                    return problem
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            return f"unreachable ({exc})"
    return "no successful response"


def main() -> int:
    places = urls_with_places()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = dict(zip(places, pool.map(check, places), strict=True))
    failures = [(places[u], u, p) for u, p in results.items() if p]
    for place, url, problem in sorted(failures):
        print(f"{place}: {url}: {problem}")
    print(f"{len(places)} URLs checked, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
