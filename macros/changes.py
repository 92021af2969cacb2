"""What changed: every change to a fact's value, summary or sources, computed from the git history.

The history is read at build time from the commits that touched data/frameworks/, so a commit always gives
the same list (uncommitted edits are not history yet). Outside a git checkout there is no history: the
page says so and the dataset is "unversioned".
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import yaml

from macros.errors import DataError
from macros.yaml_source import _FastLoader

FOLDER = "data/frameworks"
TRACKED = ("value", "summary", "sources")


@dataclass(frozen=True)
class Change:
    framework: str
    criterion: str
    commit: str
    when: dt.datetime  # the commit's time, UTC
    fields: tuple[str, ...]  # which of value, summary, sources changed; all three when the fact was added
    before: dict[str, Any] | None  # None: the fact was added in this commit
    after: dict[str, Any]

    @property
    def date(self) -> dt.date:
        return self.when.date()

    @property
    def added(self) -> bool:
        return self.before is None

    def describe(self) -> str:
        if self.before is None:  # added
            return f"added with value {self.after['value']}"
        parts = []
        if "value" in self.fields:
            parts.append(f"value {self.before['value']} \u2192 {self.after['value']}")
        parts += [f"{f} changed" for f in self.fields if f != "value"]
        return "; ".join(parts)


@dataclass(frozen=True)
class History:
    changes: tuple[Change, ...]  # oldest first
    version: str  # the dataset version: date and commit of the newest commit that touched data/

    def newest_first(self) -> tuple[Change, ...]:
        return tuple(reversed(self.changes))

    def changed(self, framework: str, criterion: str) -> dt.date | None:
        dates = [c.date for c in self.changes if (c.framework, c.criterion) == (framework, criterion)]
        return dates[-1] if dates else None


UNVERSIONED = History((), "unversioned")


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout


def _when(iso: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso).astimezone(dt.UTC)


def _facts(root: Path, commit: str, path: str) -> dict[str, dict[str, Any]]:
    try:
        data = _FastLoader(_git(root, "show", f"{commit}:{path}")).get_single_data()
    except (subprocess.CalledProcessError, yaml.YAMLError, DataError):
        return {}
    facts = data.get("facts") if isinstance(data, dict) else None
    if not isinstance(facts, dict):
        return {}
    return {k: {f: v.get(f) for f in TRACKED} for k, v in facts.items() if isinstance(v, dict)}


def history(root: Path) -> History:
    """Every tracked change to a fact, from the repository at root; UNVERSIONED outside a git checkout."""
    try:
        top = Path(_git(root, "rev-parse", "--show-toplevel").strip())
        prefix = _git(root, "rev-parse", "--show-prefix").strip()  # root inside the repository, e.g. "" or "tests/x/"
        folder = f"{prefix}{FOLDER}"
        log = _git(top, "log", "--reverse", "--format=%H %cI", "--", folder)
        newest = _git(top, "log", "-1", "--format=%H %cI", "--", f"{prefix}data").split()
    except (OSError, subprocess.CalledProcessError):
        return UNVERSIONED
    if not newest:
        return UNVERSIONED
    root = top
    changes: list[Change] = []
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for line in log.splitlines():
        commit, iso = line.split()
        names = _git(root, "ls-tree", "--name-only", "--full-tree", commit, f"{folder}/").split()
        for path in sorted(n for n in names if n.endswith(".yaml")):
            framework = path.rsplit("/", 1)[-1].removesuffix(".yaml")
            for criterion, fact in _facts(root, commit, path).items():
                before = seen.get((framework, criterion))
                fields = TRACKED if before is None else tuple(f for f in TRACKED if before[f] != fact[f])
                if fields:
                    changes.append(Change(framework, criterion, commit, _when(iso), fields, before, fact))
                seen[(framework, criterion)] = fact
    version = f"{_when(newest[1]).date().isoformat()}.{newest[0][:7]}"
    return History(tuple(changes), version)


def atom(hist: History, site_url: str, names: dict[str, str], criteria: dict[str, str], limit: int = 200) -> str:
    """An Atom feed (RFC 4287) with one entry per changed fact, newest first, each linking its table row."""
    base = site_url.rstrip("/") + "/"
    feed_id = base + "api/changes.atom"
    entries = hist.newest_first()[:limit]
    updated = entries[0].when if entries else dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

    def stamp(when: dt.datetime) -> str:
        return when.strftime("%Y-%m-%dT%H:%M:%SZ")

    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<id>{escape(feed_id)}</id>",
        "<title>AI web framework guide: changed facts</title>",
        f"<updated>{stamp(updated)}</updated>",
        "<author><name>AI web framework guide</name></author>",
        f'<link rel="self" type="application/atom+xml" href="{escape(feed_id)}"/>',
        f'<link rel="alternate" type="text/html" href="{escape(base + "changes/")}"/>',
    ]
    for c in entries:
        title = f"{names.get(c.framework, c.framework)} \u00b7 {criteria.get(c.criterion, c.criterion)}: {c.describe()}"
        row = f"{base}criteria/{c.criterion}/#fw-{c.framework}"
        summary = c.after.get("summary") or ""
        out += [
            "<entry>",
            f"<id>{escape(feed_id)}#{c.commit[:12]}-{escape(c.framework)}-{escape(c.criterion)}</id>",
            f"<title>{escape(title)}</title>",
            f"<updated>{stamp(c.when)}</updated>",
            f'<link rel="alternate" type="text/html" href="{escape(row)}"/>',
            f'<summary type="text">{escape(str(summary))}</summary>',
            "</entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"
