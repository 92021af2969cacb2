"""`since`: the release that brought a fact's capability, validated, shown in the cell and exported."""

from __future__ import annotations

import json

import pytest
from lxml import html as lxml_html

from macros import render
from macros.export import export_json
from macros.render import Linker
from tests.test_validation import only_error

SINCE = (
    "    version: 2.1.0\n  wsgi:",
    '    version: 2.1.0\n    since:\n      version: "2.0"\n      date: 2026-03-01\n'
    "      source: https://alpha.example.org/docs/releases/2.0/\n  wsgi:",
)


def with_since(data_dir, **change: str):
    old, new = SINCE
    for key, value in change.items():
        default = {"version": '"2.0"', "date": "2026-03-01", "source": "https://alpha.example.org/docs/releases/2.0/"}[
            key
        ]
        new = new.replace(f"{key}: {default}", f"{key}: {value}")
    data_dir.edit("frameworks/alpha.yaml", old, new)


def test_a_valid_since_loads(data_dir):
    with_since(data_dir)
    since = data_dir.load().fact("alpha", "asgi").since
    assert (since.version, since.date.isoformat()) == ("2.0", "2026-03-01")


def test_since_newer_than_the_checked_version(data_dir):
    with_since(data_dir, version='"2.2"')
    assert only_error(data_dir) == (
        "data/frameworks/alpha.yaml:18:16: facts.asgi.since.version: 2.2 is newer than the version this fact was "
        "checked against (2.1.0) (check the fact against a release that has the capability, or fix `since.version`)"
    )


def test_since_date_in_the_future(data_dir):
    with_since(data_dir, date="2027-01-01")
    assert only_error(data_dir).startswith(
        "data/frameworks/alpha.yaml:19:13: facts.asgi.since.date: 2027-01-01 is in the future"
    )


def test_since_source_must_be_release_notes_or_a_tag(data_dir):
    with_since(data_dir, source="https://alpha.example.org/docs/asgi")
    assert only_error(data_dir).startswith(
        "data/frameworks/alpha.yaml:20:15: facts.asgi.since.source: the source is neither release notes nor a file "
        "at a release tag (link the release notes of 2.0"
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/example/alpha/blob/v2.0/CHANGES.md",
        "https://github.com/example/alpha/blob/2.0.0/docs/index.md",
        "https://alpha.example.org/release-notes/",
    ],
)
def test_tags_and_release_notes_are_accepted(data_dir, url):
    with_since(data_dir, source=url)
    assert data_dir.load().fact("alpha", "asgi").since.source == url


def test_a_moving_branch_is_not_a_tag(data_dir):
    with_since(data_dir, source="https://github.com/example/alpha/blob/main/docs/index.md")
    assert "neither release notes nor a file at a release tag" in only_error(data_dir)


def test_cells_show_since_with_version_date_and_link(data_dir):
    with_since(data_dir)
    doc = lxml_html.fragment_fromstring(
        render.comparison_table(data_dir.load(), Linker("comparison/")), create_parent="div"
    )
    alpha, beta = doc.xpath("//tr[@id='c-asgi']/td")
    (since,) = alpha.xpath(".//span[@class='fw-since']")
    assert since.text_content() == "since Alpha 2.0 (2026-03-01)"
    assert since.xpath("./a/@href") == ["https://alpha.example.org/docs/releases/2.0/"]
    assert not beta.xpath(".//span[@class='fw-since']")


def test_the_export_carries_since(data_dir):
    with_since(data_dir)
    facts = {(f["framework"], f["criterion"]): f for f in json.loads(export_json(data_dir.load()))["facts"]}
    assert facts[("alpha", "asgi")]["since"] == {
        "version": "2.0",
        "date": "2026-03-01",
        "source": "https://alpha.example.org/docs/releases/2.0/",
    }
    assert facts[("beta", "asgi")]["since"] is None


def test_the_framework_profile_lists_capabilities_by_release(data_dir):
    with_since(data_dir)
    data_dir.edit(
        "frameworks/alpha.yaml",
        "    version: 2.1.0\n  admin-interface:",
        '    version: 2.1.0\n    since:\n      version: "1.4"\n      date: 2025-01-01\n'
        "      source: https://alpha.example.org/docs/releases/1.4/\n  admin-interface:",
    )
    doc = lxml_html.fragment_fromstring(
        render.framework_profile(data_dir.load(), Linker("frameworks/alpha/"), "alpha"), create_parent="div"
    )
    items = [li.text_content() for li in doc.xpath("//ul[@class='fw-releases']/li")]
    assert items == ["Alpha 2.0 (2026-03-01): Runs under ASGI", "Alpha 1.4 (2025-01-01): Runs under WSGI"]
    beta = lxml_html.fragment_fromstring(
        render.framework_profile(data_dir.load(), Linker("frameworks/beta/"), "beta"), create_parent="div"
    )
    assert not beta.xpath("//ul[@class='fw-releases']")
