"""Support windows: the releases a framework still supports, validated, shown on its profile and exported."""

from __future__ import annotations

import json

from lxml import html as lxml_html

from macros import render
from macros.export import export_json
from macros.render import Linker
from tests.test_validation import only_error

SUPPORTED = (
    "supported:\n"
    '  - release: "2.0"\n'
    "    lts: true\n"
    "    released: 2026-03-01\n"
    "    until: 2030-04\n"
    "    note: Security fixes only.\n"
    "    source: https://alpha.example.org/docs/support/\n"
    '  - release: "3.0"\n'
    "    upcoming: true\n"
    "    until: 2031-04-30\n"
    "    source: https://alpha.example.org/docs/support/\n"
    "facts:\n"
)


def with_support(data_dir, old: str = "", new: str = "") -> None:
    data_dir.edit("frameworks/alpha.yaml", "facts:\n", SUPPORTED.replace(old, new) if old else SUPPORTED)


def test_the_profile_shows_the_supported_releases(data_dir):
    with_support(data_dir)
    doc = lxml_html.fragment_fromstring(
        render.framework_profile(data_dir.load(), Linker("frameworks/alpha/"), "alpha"), create_parent="div"
    )
    items = [" ".join(li.text_content().split()) for li in doc.xpath("//ul[@class='fw-support']/li")]
    assert items == [
        "Alpha 2.0 LTS (released 2026-03-01): supported until April 2030. Security fixes only.",
        "Alpha 3.0 (upcoming): supported until 2031-04-30.",
    ]
    assert doc.xpath("//ul[@class='fw-support']/li/a/@href")[0] == "https://alpha.example.org/docs/support/"
    beta = lxml_html.fragment_fromstring(
        render.framework_profile(data_dir.load(), Linker("frameworks/beta/"), "beta"), create_parent="div"
    )
    assert not beta.xpath("//ul[@class='fw-support']")


def test_the_export_carries_the_supported_releases(data_dir):
    with_support(data_dir)
    frameworks = {f["id"]: f for f in json.loads(export_json(data_dir.load()))["frameworks"]}
    assert [(s["release"], s["lts"], s["until"]) for s in frameworks["alpha"]["supported"]] == [
        ("2.0", True, "2030-04"),
        ("3.0", False, "2031-04-30"),
    ]
    assert frameworks["beta"]["supported"] == []


def test_a_month_that_does_not_exist_is_an_error(data_dir):
    with_support(data_dir, "until: 2030-04\n", "until: 2030-13\n")
    assert only_error(data_dir) == (
        "data/frameworks/alpha.yaml:14:12: supported[0].until: `2030-13` is not a real month or date "
        "(write the month as YYYY-MM with a month from 01 to 12, or a date as YYYY-MM-DD)"
    )


def test_support_that_has_ended_is_an_error(data_dir):
    with_support(data_dir, "until: 2030-04\n", "until: 2026-05\n")
    assert only_error(data_dir) == (
        "data/frameworks/alpha.yaml:14:12: supported[0].until: support for 2.0 ended in 2026-05 "
        "(remove the entry: only releases still supported belong here)"
    )


def test_support_ending_before_the_release_is_an_error(data_dir):
    with_support(data_dir, "until: 2030-04\n", "until: 2025-01\n")
    assert only_error(data_dir).startswith(
        "data/frameworks/alpha.yaml:14:12: supported[0].until: support ends (2025-01) before the release came out"
    )


def test_the_source_must_be_https(data_dir):
    with_support(
        data_dir,
        "    source: https://alpha.example.org/docs/support/\n  - release",
        "    source: http://alpha.example.org/docs/support/\n  - release",
    )
    assert only_error(data_dir).startswith("data/frameworks/alpha.yaml:16:13: supported[0].source:")
