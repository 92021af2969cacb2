"""Renderers: values visible, anchors and links right, and untrusted text always shown as text."""

from __future__ import annotations

import re

import markdown
import pytest
from lxml import html as lxml_html

from macros import render, views
from macros.render import Linker, inline_code, page_url

LINK = Linker(base="comparison/", repo_url="https://github.com/org/repo")


def parse(fragment: str):
    """The block as the page shows it: Markdown (our headings) and raw HTML, converted as MkDocs does."""
    html = markdown.markdown(fragment, extensions=["attr_list", "md_in_html", "toc", "tables"])
    return lxml_html.fragment_fromstring(html, create_parent="div")


HEADING = re.compile(r'^#{2,3} \S.* \{: #[a-z0-9-]+( data-[a-z]+="[a-z0-9-]+")* \}$')


def test_comparison_table_has_one_row_per_criterion_with_an_anchor(minimal):
    doc = parse(render.comparison_table(minimal, LINK))
    rows = doc.xpath("//tbody/tr[starts-with(@id, 'c-')]")
    assert [r.get("id") for r in rows] == ["c-asgi", "c-wsgi", "c-admin-interface", "c-license"]
    assert all(r.xpath(f".//a[@href='#{r.get('id')}']") for r in rows)


def test_every_row_has_a_cell_per_framework_showing_the_value_as_text(minimal):
    doc = parse(render.comparison_table(minimal, LINK))
    row = doc.xpath("//tr[@id='c-asgi']")[0]
    values = [v.text_content().strip() for v in row.xpath("./td//span[contains(@class, 'fw-value ')]")]
    assert values == ["✔ Yes", "◐ Partial"]
    info = doc.xpath("//tr[@id='c-license']/td//span[contains(@class, 'fw-value')]")
    assert [v.text_content().strip() for v in info] == ["MIT", "unknown"]


def test_cells_link_their_sources_and_the_yaml_line_that_holds_them(minimal):
    doc = parse(render.comparison_table(minimal, LINK))
    cell = doc.xpath("//tr[@id='c-admin-interface']/td")[0]
    hrefs = cell.xpath(".//a/@href")
    assert "https://pypi.org/project/addon/" in hrefs
    assert "https://github.com/org/repo/blob/main/data/frameworks/alpha.yaml#L23" in hrefs
    assert "Checked 2026-11-01 against Alpha 2.0.0." in cell.text_content()


def test_plugin_values_name_the_package_with_its_upkeep_status(minimal):
    doc = parse(render.comparison_table(minimal, LINK))
    plugins = doc.xpath("//tr[@id='c-admin-interface']/td[1]//span[@class='fw-plugins']")[0]
    assert plugins.text_content() == "via Add-on active"
    chip = plugins.xpath(".//span[contains(@class, 'fw-status-active')]")[0]
    assert chip.get("title") == "Upkeep: active. Last release 1.0.0 on 2026-10-01; checked 2026-11-01."


def test_a_column_page_holds_one_framework_s_cell_per_criterion_as_the_comparison_shows_it(minimal):
    fw = minimal.frameworks[1]
    column = parse(render.comparison_column(minimal, LINK, fw.id))
    rows = column.xpath("//table[@id='fw-column-table']//tr[starts-with(@id, 'c-')]")
    assert [r.get("id") for r in rows] == ["c-asgi", "c-wsgi", "c-admin-interface", "c-license"]
    table = parse(render.comparison_table(minimal, LINK))
    notes_seen = 0
    for row in rows:
        [cell] = row.xpath("./td")
        [same] = table.xpath(f"//tr[@id='{row.get('id')}']/td[@data-fw='{fw.id}']")
        # The comparison leaves the notes on the column page: its toggle links the criterion page instead.
        crit = row.get("id").removeprefix("c-")
        notes = fw.facts[crit].notes
        full, lazy = cell.xpath(".//details[@class='fw-notes']"), same.xpath(".//details[@class='fw-notes']")
        assert len(full) == len(lazy) == (1 if notes else 0)
        if notes:
            notes_seen += 1
            assert " ".join(full[0].xpath("./p")[0].text_content().split()) == notes.replace("`", "")
            assert lazy[0].get("data-notes") == fw.id
            assert lazy[0].xpath("./p/a/@href") == [f"../criteria/{crit}/#fw-{fw.id}"]
            for d in full + lazy:
                d.getparent().remove(d)
        assert lxml_html.tostring(cell) == lxml_html.tostring(same)
    assert notes_seen == 1


def test_legend_lists_only_the_tokens_the_table_uses(minimal):
    doc = parse(render.comparison_table(minimal, LINK))
    labels = [d.text_content().strip() for d in doc.xpath("//dl[@class='fw-legend']/div/dt")]
    assert labels == ["✔ Yes", "+ Via package", "◐ Partial", "✘ No"]


def test_filters_by_category_and_criterion(minimal):
    doc = parse(render.comparison_table(minimal, LINK, categories=["ecosystem"]))
    assert [r.get("id") for r in doc.xpath("//tr[starts-with(@id, 'c-')]")] == ["c-license"]
    doc = parse(render.comparison_table(minimal, LINK, criteria=["wsgi"]))
    assert [r.get("id") for r in doc.xpath("//tr[starts-with(@id, 'c-')]")] == ["c-wsgi"]


def test_output_lines_are_headings_we_make_or_one_line_html_so_no_data_line_can_start_markdown(minimal):
    for block in (render.comparison_table, render.at_a_glance, render.verdict):
        assert "\n" not in block(minimal, LINK)
    for block in (render.decision_matrix, render.use_case_guide, render.claims_list):
        lines = [line for line in block(minimal, LINK).split("\n") if line]
        assert any(HEADING.match(line) for line in lines)
        assert all(HEADING.match(line) or line.startswith("<") for line in lines), lines


def test_headings_escape_markdown_and_html_in_data():
    line = render.heading(3, "# not a heading <b>x</b> {: #evil }", "claim-x", data_verdict="false")
    assert HEADING.match(line)
    html = markdown.markdown(line, extensions=["attr_list", "toc"])
    doc = lxml_html.fragment_fromstring(html, create_parent="div")
    h3 = doc.xpath("//h3")[0]
    assert h3.get("id") == "claim-x" and h3.get("data-verdict") == "false"
    assert "<b>" in h3.text_content() and not doc.xpath("//b")


HOSTILE = '<script>alert(1)</script> | cell | {{ config }} {% raw %} **bold** \n--8<-- "README.md"'


def test_hostile_text_is_escaped_everywhere_it_appears(minimal, data_dir):
    for name, old in (
        ("frameworks/alpha.yaml", "Ships an ASGI app."),
        ("criteria.yaml", "Async server?"),
        ("claims.yaml", "Alpha is fast."),
        ("use_cases.yaml", "Something async."),
    ):
        data_dir.edit(name, old, HOSTILE.replace('"', "'").replace("\n", " "))
    ds = data_dir.load()
    for block in (
        render.comparison_table(ds, LINK),
        render.claims_list(ds, LINK),
        render.use_case_guide(ds, LINK),
        render.decision_matrix(ds, LINK),
    ):
        doc = parse(block)
        assert not doc.xpath("//script[contains(., 'alert')]"), "a <script> element came through"
        assert "<script>alert(1)</script>" in doc.text_content()
        assert "{{ config }}" in doc.text_content()
        assert "--8<--" in doc.text_content()


def test_hostile_text_keeps_the_table_shape(data_dir):
    data_dir.edit("frameworks/alpha.yaml", "Ships an ASGI app.", "a | b | c </td><td> d")
    doc = parse(render.comparison_table(data_dir.load(), LINK))
    for row in doc.xpath("//tbody/tr[starts-with(@id, 'c-')]"):
        assert len(row.xpath("./th | ./td")) == 3


def test_inline_code_is_the_only_markup_and_is_escaped_inside():
    assert str(inline_code("use `a<b>` and <i>x</i>")) == "use <code>a&lt;b&gt;</code> and &lt;i&gt;x&lt;/i&gt;"


def test_links_are_relative_to_the_current_page():
    assert page_url("index.md") == "" and page_url("frameworks/fastapi.md") == "frameworks/fastapi/"
    assert Linker("").page("comparison.md", "c-orm") == "comparison/#c-orm"
    assert Linker("comparison/").page("comparison.md", "c-orm") == "./#c-orm"
    assert Linker("frameworks/django/").page("use-cases.md") == "../../use-cases/"
    assert Linker("frameworks/django/").page("index.md") == "../../"
    assert Linker("frameworks/flask/").criterion("asgi", "flask") == "../../criteria/asgi/#fw-flask"
    assert Linker("criteria/asgi/").criterion("asgi") == "./"


class _MkDocsPage:  # what the Linker reads of mkdocs.structure.pages.Page
    def __init__(self, url: str):
        self.url = url


def test_links_are_relative_to_what_each_builder_resolves_them_against():
    """MkDocs keeps the macros' HTML as is (the browser resolves it against the page URL); Zensical rewrites
    it as relative to the source file, so docs/comparison.md links from docs/ and it adds the "../"."""
    zensical_page = pytest.importorskip("zensical.extensions.context").Page
    for src, url, mkdocs_link, zensical_link in [
        ("comparison.md", "comparison/", "../tasks/demo/#top", "tasks/demo/#top"),
        ("frameworks/django.md", "frameworks/django/", "../../tasks/demo/#top", "../tasks/demo/#top"),
        ("tasks/index.md", "tasks/", "demo/#top", "demo/#top"),
        ("index.md", "", "tasks/demo/#top", "tasks/demo/#top"),
    ]:
        assert Linker.for_page(_MkDocsPage(url), "").page("tasks/demo.md", "top") == mkdocs_link
        assert Linker.for_page(zensical_page(url, src), "").page("tasks/demo.md", "top") == zensical_link
    assert Linker.for_page(_MkDocsPage("dataset/"), "").file("api/data.json") == "../api/data.json"
    assert Linker.for_page(zensical_page("dataset/", "dataset.md"), "").file("api/data.json") == "api/data.json"
    assert Linker.for_page(None, "").page("comparison.md") == "comparison/"


def test_decision_matrix_shows_weights_points_and_scores(minimal):
    doc = parse(render.decision_matrix(minimal, LINK))
    section = doc.xpath("//h2[@id='uc-api']")[0].getnext()
    text = section.text_content()
    # asgi 3 x (1, 0.5), wsgi 1 x (0, 1), admin 2 x (0.75, 1): Alpha 4.5/6 = 75.0, Beta 4.5/6 = 75.0
    assert text.count("75.0 / 100") == 2
    assert "A tie: Alpha and Beta both score 75.0." in text
    deciding = section.xpath(".//ul[@class='fw-deciding']/li")
    assert [li.text_content().split(" (")[0] for li in deciding] == ["Runs under ASGI"]
    against = section.xpath(".//ul[@class='fw-against']/li")
    assert [li.text_content().split(" (")[0] for li in against] == ["Runs under WSGI", "Admin interface"]
    assert "Ties (0): none." in text
    flips = [li.text_content() for li in section.xpath(".//ul[@class='fw-flips']/li")]
    assert "Alpha leads if Runs under WSGI weighs 0 (ignored; now 1)." in flips


def test_choose_when_lists_strengths_computed_from_values(minimal):
    text = parse(render.choose_when(minimal, LINK, "beta")).text_content()
    assert "Runs under WSGI: yes, Alpha no." in text
    assert "Admin interface: yes, Alpha via package." in text
    assert "Runs under ASGI" not in text


def test_claims_show_verdict_evidence_and_related_rows(minimal):
    doc = parse(render.claims_list(minimal, Linker("claims/")))
    heading = doc.xpath("//h3[@id='claim-alpha-is-fast']")[0]
    assert heading.get("data-verdict") == "partly" and heading.get("data-topic") == "performance"
    claim = heading.getnext()
    assert claim.xpath(".//span[contains(@class,'fw-verdict-partly')]")[0].text == "Partly true"
    assert claim.xpath(".//a[@href='../criteria/asgi/']")
    evidence = claim.xpath(".//a[@href='https://example.org/alpha']")[0]
    assert evidence.text == "example.org: alpha"
    meta = claim.xpath(".//p[@class='fw-meta']")[0].text_content()
    assert "reviewed. Related:" in meta and ". Evidence:" in meta  # no words run together


def test_sources_are_labelled_by_site_and_page():
    from macros.views import source

    assert source("https://docs.djangoproject.com/en/6.1/topics/async/").label == "Django docs: topics/async"
    assert source("https://github.com/fastapi/fastapi/releases/tag/0.135.0").label == (
        "GitHub fastapi/fastapi: release 0.135.0"
    )
    assert source("https://github.com/o/r/blob/1.2.0/docs/x.md").label == "GitHub o/r: docs/x.md at 1.2.0"
    assert source("https://fastapi.tiangolo.com/advanced/events/#lifespan").label == (
        "FastAPI docs: advanced/events § lifespan"
    )
    assert source("https://pypi.org/project/a2wsgi/1.10.10/").label == "PyPI: a2wsgi 1.10.10"


def test_task_page_includes_the_real_files_in_linked_tabs(minimal):
    page = render.task_page(minimal, Linker("tasks/demo/", "https://github.com/org/repo"), "demo")
    lines = page.splitlines()
    assert lines[0] == "# Echo a body"
    assert '=== "Alpha"' in lines and '=== "Beta"' in lines
    assert '    --8<-- "samples/demo/alpha_app.py:main"' in lines
    assert '    --8<-- "samples/demo/beta_app.py"' in lines
    assert '    ```python title="samples/demo/alpha_app.py"' in lines
    assert "Alpha: Alpha, 2 lines shown in 1 file" in page and "Beta: Beta views, 2 lines shown in 1 file" in page


def test_line_counts_count_each_shown_section_once_and_nothing_outside_it(data_dir):
    # alpha_app.py listed three times (sections setup, main, main again): 1 + 2 lines in one file; the code
    # outside every section is not shown, so it is not counted.
    data_dir.edit(
        "tasks/demo.yaml",
        "        section: main\n",
        "        section: setup\n"
        "      - path: samples/demo/alpha_app.py\n        section: main\n"
        "      - path: samples/demo/alpha_app.py\n        section: main\n",
    )
    app = data_dir.root / "samples" / "demo" / "alpha_app.py"
    app.write_text(
        app.read_text().replace("import json\n", "# --8<-- [start:setup]\nimport json\n# --8<-- [end:setup]\n")
        + "\n\ndef not_shown():\n    return 1\n"
    )
    ds = data_dir.load()
    alpha = views.task_samples(ds, ds.task("demo"))[0]
    assert alpha.lines == 3
    assert "Alpha: Alpha, 3 lines shown in 1 file," in render.task_page(ds, LINK, "demo")


def test_task_footer_links_the_documentation_a_sample_follows(data_dir):
    data_dir.edit(
        "tasks/demo.yaml",
        "    companions: [addon]\n",
        "    companions: [addon]\n    follows: [https://alpha.example.org/docs/body/]\n",
    )
    ds = data_dir.load()
    doc = parse(render.task_page(ds, LINK, "demo").split("</div>", 1)[-1])
    footer = doc.xpath("//div[contains(@class,'fw-task-footer')]")[0]
    assert footer.xpath(".//a[@href='https://alpha.example.org/docs/body/']")
    assert "Written as the documentation shows it: Alpha, " in footer.text_content()


def test_task_title_is_escaped_for_markdown_and_html():
    assert render.markdown_text("Stream <b>{{ x }}</b> | *now*") == (
        "Stream &lt;b&gt;\\{\\{ x \\}\\}&lt;/b&gt; \\| \\*now\\*"
    )


def test_task_index_counts_lines_per_framework(minimal):
    doc = parse(render.task_index(minimal, LINK))
    row = doc.xpath("//tr[@id='task-demo']")[0]
    assert [td.text_content().split()[0] for td in row.xpath("./td")] == ["2", "2"]  # alpha: its main section
    assert row.xpath(".//a/@href") == ["../tasks/demo/"]


def test_benchmark_report_draws_svg_charts_with_tables_and_ratios(minimal):
    out = render.benchmark_report(minimal, LINK)
    doc = parse(out)
    charts = doc.xpath("//figure[@class='fw-chart']")
    # json rps, sse rps, sse time to first token
    assert [c.get("id") for c in charts] == [
        "bench-json-requests-per-second-c64",
        "bench-sse-requests-per-second-c64",
        "bench-sse-time-to-first-token-c64",
    ]
    svg = charts[0].xpath(".//svg")[0]
    assert svg.get("role") == "img" and svg.xpath("./title")
    widths = [float(r.get("width")) for r in svg.xpath("./rect")]
    assert widths == [pytest.approx(330 * 4000 / 4100, abs=0.05), pytest.approx(330 * 2000 / 4100, abs=0.05)]
    findings = doc.xpath("//ul[@class='fw-findings']/li")
    assert "a factor of 2.0" in findings[0].text_content()
    assert "a factor of 10.0" in findings[2].text_content()  # 50 ms vs 5 ms to the first token
    assert not doc.xpath("//script")


def test_benchmark_report_without_runs_says_how_to_make_one(data_dir):
    (data_dir.path / "benchmarks" / "2026-11-01-test.yaml").unlink()
    assert "make bench" in render.benchmark_report(data_dir.load(), LINK)


def test_measured_facts_link_to_their_benchmark_section(data_dir):
    data_dir.edit(
        "frameworks/alpha.yaml",
        "    summary: Ships an ASGI app.\n",
        "    summary: Ships an ASGI app.\n    measured_in: [sse]\n",
    )
    ds = data_dir.load()
    cell = parse(render.comparison_table(ds, LINK)).xpath("//tr[@id='c-asgi']/td")[0]
    assert cell.xpath(".//span[@class='fw-tested']/a/@href") == ["../benchmarks/#bench-sse"]
    report = parse(render.benchmark_report(ds, Linker("benchmarks/")))
    assert report.xpath("//h3[@id='bench-sse']")
