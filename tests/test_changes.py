"""The change feed: fact changes computed from git history, the page, the Atom feed and the dataset fields."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from macros import render
from macros.changes import UNVERSIONED, atom, history
from macros.export import export_json
from macros.render import Linker

ATOM = "{http://www.w3.org/2005/Atom}"
FACTS = """id: alpha
facts:
  asgi:
    value: {asgi}
    summary: Ships an ASGI app.
    notes: {notes}
    sources: [{source}]
  wsgi:
    value: no
    summary: ASGI only.
    sources: [https://alpha.example.org/docs/asgi]
"""


def commit(repo: Path, when: str, **fields: str) -> str:
    values = {"asgi": "partial", "notes": "first", "source": "https://alpha.example.org/docs/asgi"} | fields
    target = repo / "data" / "frameworks" / "alpha.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(FACTS.format(**values))
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(repo), "commit", "-q", "-m", when], check=True, env=env)
    return subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"], check=True, env=env, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, list[str]]:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    shas = [
        commit(tmp_path, "2026-01-05T10:00:00+00:00"),
        commit(tmp_path, "2026-02-10T10:00:00+00:00", asgi="yes"),
        commit(tmp_path, "2026-03-15T10:00:00+00:00", asgi="yes", notes="second"),  # notes are not tracked
        commit(
            tmp_path,
            "2026-04-20T10:00:00+00:00",
            asgi="yes",
            notes="second",
            source="https://alpha.example.org/docs/releases/2.0/",
        ),
    ]
    return tmp_path, shas


def test_history_lists_additions_and_tracked_changes_only(repo):
    root, shas = repo
    hist = history(root)
    assert [(c.date.isoformat(), c.criterion, c.describe()) for c in hist.changes] == [
        ("2026-01-05", "asgi", "added with value partial"),
        ("2026-01-05", "wsgi", "added with value no"),
        ("2026-02-10", "asgi", "value partial \u2192 yes"),
        ("2026-04-20", "asgi", "sources changed"),
    ]
    assert hist.version == f"2026-04-20.{shas[3][:7]}"
    assert hist.changed("alpha", "asgi") == dt.date(2026, 4, 20)
    assert hist.changed("alpha", "wsgi") == dt.date(2026, 1, 5)
    assert hist.changed("alpha", "nope") is None


def test_outside_a_git_checkout_there_is_no_history(tmp_path):
    assert history(tmp_path) is UNVERSIONED


def test_the_feed_is_atom_with_one_entry_per_changed_fact(repo):
    hist = history(repo[0])
    feed = etree.fromstring(
        atom(hist, "https://example.org/guide/", {"alpha": "Alpha"}, {"asgi": "Runs under ASGI"}).encode()
    )
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    assert feed.findtext(f"{ATOM}updated") == "2026-04-20T10:00:00Z"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "https://example.org/guide/api/changes.atom"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 4
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == 4
    newest = entries[0]
    assert newest.findtext(f"{ATOM}title") == "Alpha \u00b7 Runs under ASGI: sources changed"
    assert newest.findtext(f"{ATOM}updated") == "2026-04-20T10:00:00Z"
    assert newest.find(f"{ATOM}link").get("href") == "https://example.org/guide/criteria/asgi/#fw-alpha"
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert entry.findtext(f"{ATOM}{required}"), required


def test_the_page_groups_changes_by_day_newest_first(repo, minimal):
    hist = history(repo[0])
    doc = lxml_html.fragment_fromstring(
        render.change_list(minimal, Linker("changes/", "https://github.com/o/r"), hist), create_parent="div"
    )
    assert doc.xpath("//h2/text()") == ["2026-04-20", "2026-02-10", "2026-01-05"]
    first = doc.xpath("//ul/li")[0]
    assert first.text_content() == f"Alpha: Runs under ASGI: sources changed ({hist.changes[-1].commit[:7]})"
    assert first.xpath("./a/@href")[0] == "../criteria/asgi/#fw-alpha"
    empty = lxml_html.fragment_fromstring(
        render.change_list(minimal, Linker("changes/"), UNVERSIONED), create_parent="div"
    )
    assert "No history" in empty.text_content()


def test_the_dataset_carries_its_version_and_each_facts_changed_date(repo, minimal):
    hist = history(repo[0])
    data = json.loads(export_json(minimal, hist))
    assert data["dataset_version"] == hist.version
    by_cell = {(f["framework"], f["criterion"]): f["changed"] for f in data["facts"]}
    assert by_cell[("alpha", "asgi")] == "2026-04-20" and by_cell[("beta", "asgi")] is None
