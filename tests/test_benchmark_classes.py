"""Benchmark runs with configuration classes: validated by the model and rules, rendered without
mixing classes, failures shown as results, findings exported with their pairs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import markdown
import pytest
from lxml import html

from macros import render
from macros.errors import DataErrors
from macros.export import export_json
from macros.render import Linker
from macros.rules import check

FIXTURE = Path(__file__).parent / "fixtures" / "benchmark-classes" / "2026-11-02-classes.yaml"
NAME = "benchmarks/2026-11-02-classes.yaml"
LINK = Linker("benchmarks/")


def _page(block: str):
    """The report as the page shows it: its Markdown headings converted, as MkDocs does."""
    return html.fromstring(markdown.markdown(block, extensions=["attr_list", "md_in_html", "toc", "tables"]))


def with_classes(data_dir, old: str = "", new: str = ""):
    data_dir.write(NAME, FIXTURE.read_text())
    if old:
        data_dir.edit(NAME, old, new)
        return data_dir
    return data_dir.load()


def errors(data_dir) -> list[str]:
    with pytest.raises(DataErrors) as exc:
        data_dir.load()
    return [str(e) for e in exc.value.errors]


def test_a_run_with_classes_validates_and_becomes_the_newest(data_dir):
    ds = with_classes(data_dir)
    assert check(ds, dt.date(2026, 12, 2)) == [] and ds.benchmarks[0].id == "2026-11-02-classes"


def test_charts_never_mix_classes_and_failures_are_rows(data_dir):
    doc = _page(render.benchmark_report(with_classes(data_dir), LINK))
    assert [c.get("id") for c in doc.xpath("//figure[@class='fw-chart']")] == [
        "bench-json-requests-per-second-c64-stock",
        "bench-json-requests-per-second-c64-tuned",
    ]
    stock = doc.xpath("//figure[@id='bench-json-requests-per-second-c64-stock']//text[@class='fw-chart-label']")
    assert [t.text for t in stock] == ["Alpha async-def (uvicorn)"]
    failed = doc.xpath("//tr[@class='fw-failed']")
    assert len(failed) == 1 and "failed: verification: /json" in failed[0].text_content()
    text = doc.text_content()
    assert "saturated: 3 socket errors" in text and "unstable: spread 30.0%" in text
    row = doc.xpath("//figure[@id='bench-json-requests-per-second-c64-tuned']/following-sibling::div[1]//tbody/tr")[0]
    assert [td.text_content() for td in row.xpath("./td")][5:7] == ["0.60", "4,100"]  # start-up, req per CPU-s
    assert "This run compares different configurations" not in text


def test_findings_are_shown_per_class_with_intervals(data_dir):
    doc = _page(render.benchmark_report(with_classes(data_dir), LINK))
    assert doc.xpath("//h3[starts-with(@id, 'findings-')]/@id") == ["findings-tuned", "findings-class"]
    row = doc.xpath("//h3[@id='findings-tuned']/following-sibling::div[1]//tbody/tr")[0]
    assert "2.00× (1.88–2.13), a side saturated" in row.text_content()
    assert "factor of" not in doc.text_content()


def test_thread_hops_section(data_dir):
    doc = _page(render.benchmark_report(with_classes(data_dir), LINK))
    rows = doc.xpath("//h2[@id='django-asgi-cost']/following-sibling::div[1]//tbody/tr")
    assert [r.xpath("./td")[1].text for r in rows] == ["15.0", "2.0"]


def test_old_run_is_shown_with_a_caveat(minimal):
    doc = _page(render.benchmark_report(minimal, LINK))
    assert "This run compares different configurations, not frameworks" in doc.text_content()
    assert doc.xpath("//h2[@id='findings']")[0].text_content() == "Best against worst (different configurations)"


def test_findings_are_exported_with_their_pairs(data_dir):
    run = json.loads(export_json(with_classes(data_dir)))["benchmarks"][0]
    assert run["findings"][0] | {} == {
        "differs_in": "framework",
        "workload": "json",
        "concurrency": 64,
        "class": "tuned",
        "server": "uvicorn",
        "faster": "alpha-uvicorn-tuned",
        "slower": "beta-uvicorn-tuned",
        "ratio": 2.0,
        "ci95": [1.88, 2.13],
        "saturated": True,
    }
    assert run["results"][3]["failed"].startswith("verification")


def test_a_finding_across_two_differences_is_rejected(data_dir):
    ds = with_classes(
        data_dir,
        "faster: alpha-uvicorn-tuned,\n     slower: beta-uvicorn-tuned",
        "faster: alpha-uvicorn-tuned,\n     slower: beta-uvicorn-stock",
    )
    assert any("differ in framework, class, not only in framework" in e for e in errors(ds))


def test_a_finding_names_the_one_difference(data_dir):
    ds = with_classes(data_dir, "differs_in: class, workload: json", "differs_in: framework, workload: json")
    assert any("differ in class, not only in framework" in e for e in errors(ds))


def test_a_finding_needs_two_measured_results(data_dir):
    ds = with_classes(
        data_dir,
        "faster: alpha-uvicorn-tuned,\n     slower: alpha-uvicorn-stock",
        "faster: beta-uvicorn-tuned,\n     slower: beta-uvicorn-stock",
    )
    assert any("`beta-uvicorn-stock` has no measured `json` result at concurrency 64" in e for e in errors(ds))


def test_a_measured_result_needs_its_numbers(data_dir):
    ds = with_classes(data_dir, '     failed: "verification: /json: body {} differs from expected"', "")
    assert any("a measured result needs requests_per_second, latency_ms" in e for e in errors(ds))


def test_result_class_must_match_its_stack(data_dir):
    ds = with_classes(
        data_dir,
        "variant: async-def, class: stock, concurrency: 64",
        "variant: async-def, class: tuned, concurrency: 64",
    )
    assert any("framework, variant, server or class differ from stack `alpha-uvicorn-stock`" in e for e in errors(ds))
