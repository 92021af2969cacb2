"""Freshness: facts verified more than 12 months ago, or against an older release than the framework's
newest in the data, are marked "may be out of date", listed on their own page and warned about."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from lxml import html as lxml_html

from macros import freshness, render
from macros.render import Linker

TODAY = dt.date(2026, 11, 22)
WARNING = (
    "warning: data/frameworks/alpha.yaml:23:3: facts.admin-interface: may be out of date: checked against "
    "Alpha 2.0.0; the data's newest release is 2.1.0 (re-check the sources against Alpha 2.1.0, then set "
    "`verified` and `version`)"
)


def parse(fragment: str):
    return lxml_html.fragment_fromstring(fragment, create_parent="div")


def test_an_older_release_than_the_files_version_is_stale(minimal):
    (item,) = freshness.stale_facts(minimal, TODAY)
    assert (item.framework.id, item.criterion_id, item.file, item.line, item.column) == (
        "alpha",
        "admin-interface",
        "data/frameworks/alpha.yaml",
        23,
        3,
    )
    assert item.reasons == ("checked against Alpha 2.0.0; the data's newest release is 2.1.0",)


def test_a_fact_verified_more_than_12_months_ago_is_stale(minimal):
    fw = minimal.framework("alpha")
    fact = fw.facts["asgi"]  # verified 2026-11-01
    assert freshness.reasons(fw, fact, dt.date(2027, 11, 1)) == ()
    assert freshness.reasons(fw, fact, dt.date(2027, 11, 2)) == (
        "verified 2026-11-01, more than 12 months before 2027-11-02",
    )


def test_validate_warns_but_passes(data_dir):
    run = subprocess.run(
        [sys.executable, "-m", "macros", "validate", "--data", str(data_dir.path)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr.strip().splitlines() == [WARNING]
    assert run.stdout.strip().endswith("; 1 may be out of date (warnings above)")


def test_a_fresh_dataset_gives_no_warning(data_dir):
    data_dir.edit("frameworks/alpha.yaml", "    version: 2.0.0\n", "    version: 2.1.0\n")
    run = subprocess.run(
        [sys.executable, "-m", "macros", "validate", "--data", str(data_dir.path)], capture_output=True, text=True
    )
    assert run.returncode == 0 and run.stderr == ""


def test_cells_mark_stale_facts_and_link_the_freshness_page(minimal):
    doc = parse(render.comparison_table(minimal, Linker("comparison/")))
    stale_cell = doc.xpath("//tr[@id='c-admin-interface']/td")[0]
    (mark,) = stale_cell.xpath(".//a[@class='fw-stale']")
    assert mark.text_content() == "May be out of date" and mark.get("href") == "../freshness/"
    assert "checked against Alpha 2.0.0; the data's newest release is 2.1.0." in stale_cell.text_content()
    assert not doc.xpath("//tr[@id='c-asgi']//a[@class='fw-stale']")


def test_the_freshness_page_lists_stale_facts(minimal, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 11, 22, tzinfo=dt.UTC).timestamp())))
    doc = parse(render.freshness_list(minimal, Linker("freshness/", "https://github.com/org/repo")))
    assert doc.text_content().strip().startswith("1 fact may be out of date as of 2026-11-22:")
    (row,) = doc.xpath("//tbody/tr")
    cells = [td.text_content() for td in row.xpath("./td")]
    assert cells == [
        "Alpha: Admin interface",
        "checked against Alpha 2.0.0; the data's newest release is 2.1.0",
        "data/frameworks/alpha.yaml line 23",
    ]
    assert row.xpath(".//a/@href") == [
        "../criteria/admin-interface/#fw-alpha",
        "https://github.com/org/repo/blob/main/data/frameworks/alpha.yaml#L23",
    ]


def test_the_freshness_page_says_when_nothing_is_stale(data_dir, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 11, 22, tzinfo=dt.UTC).timestamp())))
    data_dir.edit("frameworks/alpha.yaml", "    version: 2.0.0\n", "    version: 2.1.0\n")
    text = parse(render.freshness_list(data_dir.load(), Linker("freshness/"))).text_content().strip()
    assert text.startswith("No fact is out of date as of 2026-11-22")


def test_the_build_date_comes_from_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert freshness.reference_date() == dt.date(1970, 1, 1)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert freshness.reference_date() == dt.date.today()
