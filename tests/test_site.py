"""The built site: strict build, every link and anchor, no third-party requests, every fact shown."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from urllib.parse import urlsplit

import jsonschema
import pytest

from macros import paths
from macros.dataset import load_dataset
from macros.export import export_json
from tests.builtsite import Site, make

pytestmark = pytest.mark.build
MKDOCS = [sys.executable, "-m", "mkdocs"]
REPO = "https://github.com/ai-web-framework-guide/guide"
PROJECT_PARTS = ("mkdocs.yml", "requirements.lock", "docs", "data", "macros", "overrides", "samples", "tests")


def _env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> tuple[Site, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("site")
    run = make("build", paths.ROOT, SITE_DIR=out)
    assert run.returncode == 0, run.stdout + run.stderr
    site_url = re.search(r'^site_url: .*"(https://[^"]+)"', (paths.ROOT / "mkdocs.yml").read_text(), re.M).group(1)
    return Site(out, urlsplit(site_url).path), run


@pytest.fixture(scope="session")
def site(built) -> Site:
    return built[0]


def test_strict_build_logs_no_warning(built):
    _, run = built
    assert "WARNING" not in run.stderr, run.stderr


def test_mkdocs_config_validates_anchors_and_links_as_warnings():
    text = (paths.ROOT / "mkdocs.yml").read_text()
    for key in ("omitted_files: warn", "absolute_links: warn", "unrecognized_links: warn", "anchors: warn"):
        assert key in text
    assert "check_paths: true" in text and "on_error_fail: true" in text


def test_every_nav_page_is_built(site):
    for page in (
        "index.html",
        "comparison/index.html",
        "decision-matrix/index.html",
        "use-cases/index.html",
        "frameworks/fastapi/index.html",
        "frameworks/django/index.html",
        "hybrid/index.html",
        "claims/index.html",
        "faq/index.html",
        "methodology/index.html",
        "dataset/index.html",
        "contributing/index.html",
    ):
        assert page in site.pages, page


def test_every_internal_link_and_anchor_resolves(site):
    broken = site.broken_links()
    assert broken == [], "\n".join(map(str, broken))


def test_no_page_fetches_anything_from_another_host(site):
    assert site.third_party_requests() == []


def test_every_fact_appears_in_its_column_of_the_comparison_with_its_sources(site):
    """Each framework's column page (comparison/<id>/) holds its cell for every criterion; the comparison page
    carries the default pair's cells, the same markup but for the notes (a link to the criterion page, which
    compare.js replaces with the column page's notes), and links every column page (compare.js loads them)."""
    ds = load_dataset()
    comparison = site.pages["comparison/index.html"]
    default = ds.decision.pairs[0]
    for fw in ds.frameworks:
        assert comparison.xpath(f"//p[@class='fw-columns']/a[@href='{fw.id}/']"), fw.id
    for crit in ds.criteria:
        row = comparison.xpath(f"//tr[@id='c-{crit.id}']")
        assert len(row) == 1, crit.id
        assert sorted(row[0].xpath("./td/@data-fw")) == sorted(default), crit.id
    for fw in ds.frameworks:
        doc = site.pages[f"comparison/{fw.id}/index.html"]
        for crit in ds.criteria:
            row = doc.xpath(f"//table[@id='fw-column-table']//tr[@id='c-{crit.id}']")
            assert len(row) == 1, (fw.id, crit.id)
            [cell] = row[0].xpath("./td")
            assert cell.get("data-fw") == fw.id
            if fw.id in default:  # the comparison page's own copy is the same cell, its notes left to load
                [same] = comparison.xpath(f"//tr[@id='c-{crit.id}']/td[@data-fw='{fw.id}']")

                def without_notes(td):
                    return " ".join("".join(t for t in td.xpath(".//text()[not(ancestor::details)]")).split())

                assert without_notes(same) == without_notes(cell), (fw.id, crit.id)
                lazy = same.xpath(".//details[@data-notes]/p/a/@href")
                assert lazy == ([f"../criteria/{crit.id}/#fw-{fw.id}"] if fw.facts[crit.id].notes else [])
            fact = fw.facts[crit.id]
            text = " ".join(cell.text_content().split())
            assert " ".join(fact.summary.replace("`", "").split()) in text, (fw.id, crit.id)
            assert set(fact.sources) <= set(cell.xpath(".//a/@href")), (fw.id, crit.id)
            tested = [h for h in cell.xpath(".//span[@class='fw-tested']/a/@href") if "/tasks/" in h]
            assert tested == [f"../../tasks/{t}/" for t in fact.tested_by], (fw.id, crit.id)
            probed = cell.xpath(".//span[contains(@class, 'fw-probed')]/a/@href")
            origin = ds.origin(fw.id, crit.id)  # a layer's inherited fact is probed as its host's
            expected = [f"{REPO}/blob/main/{p.file}#L{p.line}" for p in ds.probes_for(origin, crit.id)]
            assert probed == expected, (fw.id, crit.id)
            since = " ".join(" ".join(cell.xpath(".//span[@class='fw-since']//text()")).split())
            owner = ds.framework(origin).name  # an inherited fact's release is its host's
            assert since == (f"since {owner} {fact.since.version} ({fact.since.date})" if fact.since else ""), since


def test_probed_facts_are_shown_as_checked_by_code(site):
    ds = load_dataset()
    assert len(ds.probes) >= 70
    probed = {(p.framework, p.criterion) for p in ds.probes}
    shown = [(fw.id, c.id) for fw in ds.frameworks for c in ds.criteria if (ds.origin(fw.id, c.id), c.id) in probed]
    assert len(shown) > len(probed), "a layer's inherited facts show their host's probes too"
    assert sum(site.text(f"comparison/{fw.id}/index.html").count("Checked by code:") for fw in ds.frameworks) == len(
        shown
    )


def test_the_change_feed_is_atom_and_links_each_fact_on_its_criterion_page(site):
    from lxml import etree

    atom = "{http://www.w3.org/2005/Atom}"
    feed = etree.parse(str(site.root / "api" / "changes.atom")).getroot()
    assert feed.tag == f"{atom}feed" and feed.findtext(f"{atom}updated")
    entries = feed.findall(f"{atom}entry")
    assert entries, "the feed has no entry"
    for entry in entries:
        href = entry.find(f"{atom}link").get("href")
        path, anchor = re.fullmatch(r"https?://[^#]+?/(criteria/[a-z0-9-]+/)#(fw-[a-z0-9-]+)", href).groups()
        assert f"{path}index.html" in site.pages, href
        assert anchor in site.ids(f"{path}index.html"), href
    assert "../api/changes.atom" in site.pages["changes/index.html"].xpath("//a/@href")
    assert json.loads((site.root / "api" / "data.json").read_text())["dataset_version"] != "unversioned"


def test_every_claim_and_use_case_appears(site):
    ds = load_dataset()
    claims = site.pages["claims/index.html"]
    assert {c.id for c in ds.claims} == {i.removeprefix("claim-") for i in claims.xpath("//h3[@data-verdict]/@id")}
    uses = site.pages["use-cases/index.html"]
    headings = uses.xpath("//h2[starts-with(@id, 'uc-')]/@id")
    assert [u.id for u in ds.use_cases] == [i.removeprefix("uc-") for i in headings]


def test_make_build_publishes_the_dataset(site):
    """`make build` is the page build, then `python -m macros export`: no plugin event carries the data."""
    for name in ("data.json", "data.schema.json"):
        assert (site.root / "api" / name).is_file(), f"make build published no api/{name}"


def test_export_refuses_a_folder_without_a_built_site(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "macros", "export", str(tmp_path)],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1 and "no built site here" in run.stderr
    assert not (tmp_path / "api").exists()


def test_published_dataset_matches_the_data_and_its_schema(site):
    data = json.loads((site.root / "api" / "data.json").read_text())
    schema = json.loads((site.root / "api" / "data.schema.json").read_text())
    jsonschema.validate(data, schema)
    assert data == json.loads(export_json(load_dataset()))
    assert "../api/data.json" in site.pages["dataset/index.html"].xpath("//a/@href")


def test_pages_have_descriptions(site):
    for page, doc in site.pages.items():
        if page in ("404.html",):
            continue
        desc = doc.xpath("//meta[@name='description']/@content")
        assert desc and len(desc[0]) > 40, page


# --- a broken data file stops the build ----------------------------------------------------------


def test_broken_data_stops_the_build_with_a_located_message_and_publishes_nothing(tmp_path):
    for part in PROJECT_PARTS:
        src = paths.ROOT / part
        if src.is_dir():
            shutil.copytree(src, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3"))
        else:
            shutil.copy(src, tmp_path / part)
    django = tmp_path / "data" / "frameworks" / "django.yaml"
    lines = django.read_text().splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("value: yes"))
    lines[index] = lines[index].replace("value: yes", "value: maybe")
    django.write_text("".join(lines))
    out = tmp_path / "out"
    run = subprocess.run(
        [*MKDOCS, "build", "--strict", "--site-dir", str(out)],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode != 0
    column = lines[index].index("maybe") + 1
    assert f"data/frameworks/django.yaml:{index + 1}:{column}:" in run.stderr
    assert "`maybe` is not a value token" in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert not (out / "index.html").exists()


def test_two_builds_of_the_same_commit_are_identical(tmp_path):
    env = {**_env(), "SOURCE_DATE_EPOCH": "1700000000"}
    outs = []
    for name in ("one", "two"):
        out = tmp_path / name
        run = subprocess.run(
            [*MKDOCS, "build", "--strict", "--site-dir", str(out)],
            cwd=paths.ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert run.returncode == 0, run.stderr
        outs.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert outs[0].keys() == outs[1].keys()
    differing = [name for name in outs[0] if outs[0][name] != outs[1][name]]
    assert differing == []


def test_task_pages_are_in_the_menu_with_previous_and_next_and_criterion_pages_are_not(site):
    """Tasks: a menu entry each and previous/next links; the criterion pages are reached from the criteria
    index and the comparison instead (not_in_nav), so the menu stays short. The menu is pruned
    (`navigation.prune`): a page carries its own section's entries and the other sections' first pages, so the
    task menu is read on the task index, and the home page's menu links the task index, not every task."""
    ds = load_dataset()

    def menu(page: str) -> list[str]:
        return site.pages[page].xpath("//nav[contains(@class, 'md-nav--primary')]//a/@href")

    tasks_menu = menu("tasks/index.html")
    assert [h for h in tasks_menu if h.rstrip("/") in {t.id for t in ds.tasks}] == [f"{t.id}/" for t in ds.tasks]
    home = menu("index.html")
    assert "tasks/" in home and not [h for h in home if h.startswith("tasks/") and h != "tasks/"]
    criteria_menu = menu("criteria/index.html")
    assert "./" in criteria_menu
    assert [h for h in criteria_menu if h.rstrip("/") in {c.id for c in ds.criteria}] == []
    middle = ds.tasks[1].id
    footer = site.pages[f"tasks/{middle}/index.html"].xpath("//nav[contains(@class, 'md-footer__inner')]//a/@href")
    assert f"../{ds.tasks[0].id}/" in footer and f"../{ds.tasks[2].id}/" in footer


def _section(text: str, name: str | None) -> list[str]:
    lines = text.splitlines()
    if name:
        start = next(i for i, line in enumerate(lines) if f"--8<-- [start:{name}]" in line)
        end = next(i for i, line in enumerate(lines) if f"--8<-- [end:{name}]" in line)
        lines = lines[start + 1 : end]
    return [line.strip() for line in lines if line.strip() and "--8<--" not in line]


def test_every_task_page_shows_the_real_sample_files(site):
    ds = load_dataset()
    assert ds.tasks, "no tasks in data/tasks"
    for task in ds.tasks:
        page = f"tasks/{task.id}/index.html"
        assert page in site.pages, page
        code = " ".join(" ".join(pre.text_content().split()) for pre in site.pages[page].xpath("//pre"))
        for sample in task.samples:
            for file in sample.files:
                wanted = _section((paths.ROOT / file.path).read_text(encoding="utf-8"), file.section)
                missing = [line for line in wanted if " ".join(line.split()) not in code]
                assert missing == [], f"{page}: {file.path} lines not shown: {missing[:3]}"
        assert site.pages[page].xpath("//div[contains(@class,'tabbed-set')]"), page
        edit = site.pages[page].xpath("//a[@rel='edit']/@href")
        assert edit == [f"https://github.com/ai-web-framework-guide/guide/edit/main/data/tasks/{task.id}.yaml"]


def test_search_indexes_claims_as_entries_but_not_sample_code_or_arithmetic(site):
    import gzip

    raw = (site.root / "search" / "search_index.json").read_bytes()
    docs = json.loads(raw)["docs"]
    by_location = {d["location"]: d for d in docs}
    dataset = load_dataset()
    for claim in dataset.claims:
        entry = by_location.get(f"claims/#claim-{claim.id}")
        assert entry and entry["title"], f"claim {claim.id} is not its own search entry"
    task_text = " ".join(d["text"] for d in docs if d["location"].startswith("tasks/"))
    assert "import " not in task_text, "sample code is in the search index"
    matrix_text = " ".join(d["text"] for d in docs if d["location"].startswith("decision-matrix/"))
    assert " pt " not in matrix_text and "What would change the verdict" not in matrix_text
    import yaml

    budget = yaml.safe_load((paths.ROOT / "quality" / "budget.yaml").read_text(encoding="utf-8"))["search_index"]
    assert len(gzip.compress(raw)) <= budget, (
        "the search index, fetched at a reader's first search, is over its budget in quality/budget.yaml: "
        "exclude repeated or generated blocks from search (data-search-exclude) before raising it"
    )


def test_every_criterion_has_its_page_and_the_comparison_links_to_it(site):
    ds = load_dataset()
    comparison = site.pages["comparison/index.html"]
    for crit in ds.criteria:
        page = site.pages[f"criteria/{crit.id}/index.html"]
        assert page.xpath("//h1")[0].text_content().strip().rstrip("¶") == crit.name
        text = page.text_content()
        assert crit.question.replace("`", "") in text
        for fw in ds.frameworks:
            assert fw.facts[crit.id].summary.replace("`", "") in text, f"{crit.id}: {fw.id}'s summary missing"
        header = comparison.xpath(f"//tr[@id='c-{crit.id}']/th//a[@href='../criteria/{crit.id}/']")
        assert header, f"the comparison's row {crit.id} does not link its criterion page"
        for claim in (c for c in ds.claims if crit.id in c.criteria):
            assert page.xpath(f"//a[@href='../../claims/#claim-{claim.id}']"), f"{crit.id}: claim {claim.id} missing"


def test_task_headers_count_the_code_lines_each_tab_shows(site):
    # The header's "N lines shown in M files" is read from the built page and compared with the
    # non-blank lines of the code blocks in that framework's tab (each block counted once).
    ds = load_dataset()
    order = [fw.id for fw in ds.frameworks]
    for task in ds.tasks:
        page = site.pages[f"tasks/{task.id}/index.html"]
        meta = " ".join(page.xpath("string(//p[contains(@class,'fw-meta')])").split())
        tabs = page.xpath("//div[contains(@class,'tabbed-set')][1]/div[contains(@class,'tabbed-content')]/div")
        for sample, tab in zip(sorted(task.samples, key=lambda s: order.index(s.framework)), tabs, strict=True):
            blocks = dict.fromkeys(pre.text_content() for pre in tab.xpath(".//pre"))
            shown = sum(1 for block in blocks for line in block.splitlines() if line.strip())
            files = len({f.path for f in sample.files})
            said = re.search(rf"{re.escape(sample.flavour)}, (\d+) lines shown in (\d+) files?,", meta)
            assert said, (task.id, meta)
            assert (int(said[1]), int(said[2])) == (shown, files), (task.id, sample.framework)


def test_no_text_is_escaped_twice(site):
    """Text from data is escaped once: a heading's apostrophe or ampersand must not reach the table of contents
    (or anywhere else) as a visible entity."""
    for page in site.pages:
        raw = (site.root / page).read_text(encoding="utf-8")
        doubled = re.findall(r"&amp;(?:#\d+|#x[0-9a-fA-F]+|amp|lt|gt|quot);", raw)
        assert not doubled, f"{page}: text escaped twice: {doubled[:3]}"


def test_every_framework_has_a_profile_with_every_fact_and_layers_say_what_they_inherit(site):
    ds = load_dataset()
    for fw in ds.frameworks:
        page = site.pages[f"frameworks/{fw.id}/index.html"]
        assert page.xpath("//h1")[0].text_content().strip().rstrip("\u00b6") == fw.name
        text = " ".join(page.text_content().split())
        for crit in ds.criteria:
            assert " ".join(fw.facts[crit.id].summary.replace("`", "").split()) in text, (fw.id, crit.id)
        inherited = ds.inherited.get(fw.id, {})
        marks = page.xpath("//ul[@class='fw-profile-facts']//span[@class='fw-inherited']")
        assert len(marks) == len(inherited), fw.id
        if fw.extends:
            host = ds.framework(fw.extends)
            assert f"{fw.name} runs inside {host.name}: {len(inherited)} of its {len(ds.criteria)} facts" in text
            assert all(m.text_content().strip() == f"from {host.name}" for m in marks)


def test_every_pair_page_shows_the_differences_and_the_leads_computed_from_the_model(site):
    from macros.scoring import Model, Settings

    ds = load_dataset()
    model = Model(ds)
    margin = ds.decision.scoring.close_call * 10
    assert ds.decision.pairs, "data/decision.yaml lists no pairs"
    for a_id, b_id in ds.decision.pairs:
        a, b = ds.framework(a_id), ds.framework(b_id)
        page = site.pages[f"compare/{a_id}-vs-{b_id}/index.html"]
        differ = [
            f"c-{c.id}"
            for c in ds.criteria
            if (a.facts[c.id].value, a.facts[c.id].plugins) != (b.facts[c.id].value, b.facts[c.id].plugins)
        ]
        assert page.xpath("//table[contains(@class, 'fw-pair-diff')]/tbody/tr/@id") == differ, (a_id, b_id)
        leads = {a_id: 0, b_id: 0}
        for uc in ds.use_cases:
            scores = model.rank(Settings(presets=(uc.id,))).scores
            if abs(scores[a_id] - scores[b_id]) >= margin:
                leads[a_id if scores[a_id] > scores[b_id] else b_id] += 1
        text = " ".join(page.text_content().split())
        assert f"{a.name} leads by {ds.decision.scoring.close_call} points or more for {leads[a_id]} of the " in text
        assert f"{b.name} leads for {leads[b_id]}" in text
        assert f"Both give the same answer on {len(ds.criteria) - len(differ)} of {len(ds.criteria)} criteria" in text
