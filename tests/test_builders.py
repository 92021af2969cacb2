"""The published MkDocs build and the Zensical build of the same sources, compared.

Material for MkDocs ends on 2027-05-05; Zensical is the way on. Both builds run from a fresh copy of the
project exactly as `make build` and `make build-zensical` run them, and must give the same pages, the same
table cells, the same text, the same links (all resolving) and the same published dataset. Every
difference the comparison lets through is listed here with its reason.
"""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
import time
from urllib.parse import urlsplit

import pytest

from macros import paths
from macros.dataset import load_dataset
from macros.export import export_json
from tests.builtsite import Site, make

pytestmark = pytest.mark.build
PARTS = (
    "Makefile",
    "mkdocs.yml",
    "pyproject.toml",
    "requirements.lock",
    "data",
    "docs",
    "macros",
    "overrides",
    "samples",
    "tests",
    "tools",
)

# Files only one build writes, with the reason each is allowed.
ONLY_ONE_BUILD = {
    "assets/javascripts/*": "theme bundle: each builder ships its own copy of the theme's scripts",
    "assets/stylesheets/*": "theme bundle: each builder ships its own stylesheets (Zensical: classic/ and modern/)",
    "search/search_index.json": "search index: MkDocs' search plugin (lunr format)",
    "search.json": "search index: Zensical's own search, in its own format",
    "sitemap.xml.gz": "MkDocs also writes a gzipped copy of sitemap.xml; Zensical writes sitemap.xml only",
}
# Links only one build has on every page, with the reason.
SKIP_LINK = (
    "Zensical's skip-to-content link targets an anchor #__skip it adds before the content; "
    "Material's targets the page's first heading"
)
# External links that differ, with the reason.
GENERATOR_CREDIT = {
    "https://squidfunk.github.io/mkdocs-material/": 'footer: "Made with Material for MkDocs"',
    "https://zensical.org/": 'footer: "Made with Zensical"',
}
TASK_EDIT_LINKS = (
    "task, profile and pair pages: under MkDocs `task_page`, `framework_profile` and `pair_page` point the edit "
    "and view buttons at their data file (data/tasks/<id>.yaml, data/frameworks/<id>.yaml, data/decision.yaml); "
    "Zensical 0.0.73 lets no page set its edit URL, so they open the generated stub in docs/"
)


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> tuple[Site, Site]:
    root = tmp_path_factory.mktemp("project")
    for part in PARTS:
        src = paths.ROOT / part
        if src.is_dir():
            shutil.copytree(src, root / part, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3"))
        else:
            shutil.copy(src, root / part)
    timings = {}
    for target in ("build", "build-zensical"):
        start = time.monotonic()
        run = make(target, root)
        timings[target] = time.monotonic() - start
        assert run.returncode == 0, f"make {target} failed:\n{run.stdout}\n{run.stderr}"
    print("wall clock: " + ", ".join(f"make {t} {s:.1f} s" for t, s in timings.items()))
    site_url = re.search(r'^site_url: .*"(https://[^"]+)"', (root / "mkdocs.yml").read_text(), re.M).group(1)
    base = urlsplit(site_url).path
    return Site(root / "site", base), Site(root / "site-zensical", base)


def _files(site: Site) -> set[str]:
    return {p.relative_to(site.root).as_posix() for p in site.root.rglob("*") if p.is_file()}


def _allowed(name: str) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in ONLY_ONE_BUILD)


def test_both_builds_write_the_same_pages(sites):
    mkdocs, zensical = sites
    assert len(mkdocs.pages) > 20
    assert set(mkdocs.pages) == set(zensical.pages)


def test_other_files_differ_only_in_theme_assets_search_index_and_gzipped_sitemap(sites):
    mkdocs, zensical = sites
    assert sorted(n for n in _files(mkdocs) ^ _files(zensical) if not _allowed(n)) == []


def test_every_table_has_the_same_cells(sites):
    mkdocs, zensical = sites
    assert sum(len(mkdocs.tables(page)) for page in mkdocs.pages) > 10
    differing = [page for page in mkdocs.pages if mkdocs.tables(page) != zensical.tables(page)]
    assert differing == []


def test_every_page_has_the_same_title_and_text(sites):
    mkdocs, zensical = sites
    for page, doc in mkdocs.pages.items():
        other = zensical.pages[page]
        assert doc.findtext(".//title") == other.findtext(".//title"), page
        text = [" ".join(d.xpath("string(//article)").split()) for d in (doc, other)]
        assert text[0] == text[1], page


def test_every_page_has_the_same_internal_links(sites):
    mkdocs, zensical = sites
    for page in mkdocs.pages:
        theirs = {link for link in zensical.internal_links(page) if link != (page, "__skip")}  # SKIP_LINK
        assert mkdocs.internal_links(page) == theirs, page


def test_every_internal_link_resolves_in_each_build(sites):
    for site in sites:
        broken = site.broken_links()
        assert broken == [], "\n".join(map(str, broken))


def test_external_links_are_the_same_but_the_generator_credit_and_the_task_pages_edit_buttons(sites):
    mkdocs, zensical = sites

    def external(site: Site, page: str) -> set[str]:
        hrefs = {h for h in site.pages[page].xpath("//a/@href") if h.startswith(("http:", "https:"))}
        return hrefs - set(GENERATOR_CREDIT)

    for page in mkdocs.pages:
        ours, theirs = external(mkdocs, page), external(zensical, page)
        repo = "https://github.com/ai-web-framework-guide/guide"
        stub = re.fullmatch(r"((tasks|frameworks|compare)/([a-z0-9-]+))/index\.html", page)
        if stub and stub.group(3) != "index":  # TASK_EDIT_LINKS: generated pages edit their data file
            data = {
                "tasks": f"data/tasks/{stub.group(3)}.yaml",
                "frameworks": f"data/frameworks/{stub.group(3)}.yaml",
                "compare": "data/decision.yaml",
            }[stub.group(2)]
            assert ours - theirs == {f"{repo}/{a}/main/{data}" for a in ("edit", "raw")}, page
            assert theirs - ours == {f"{repo}/{a}/main/docs/{stub.group(1)}.md" for a in ("edit", "raw")}, page
        else:
            assert ours == theirs, page


def test_the_published_dataset_is_in_both_builds(sites):
    from macros.changes import history

    # the copied project has no git history: both builds publish it "unversioned", as the data says
    expected = export_json(load_dataset(), history(sites[0].root.parent))
    for site in sites:
        assert (site.root / "api" / "data.json").read_text(encoding="utf-8") == expected, site.root
        assert json.loads((site.root / "api" / "data.schema.json").read_text(encoding="utf-8"))["title"]
        assert "../api/data.json" in site.pages["dataset/index.html"].xpath("//a/@href")


def test_the_allowed_differences_are_all_still_needed(sites):
    """An allowance that no longer matches anything is removed, so the list stays the honest one."""
    mkdocs, zensical = sites
    only = _files(mkdocs) ^ _files(zensical)
    unused = [p for p in ONLY_ONE_BUILD if not any(fnmatch.fnmatch(n, p) for n in only)]
    assert unused == []
    assert any((page, "__skip") in zensical.internal_links(page) for page in zensical.pages), SKIP_LINK
    for site, credit in zip(sites, GENERATOR_CREDIT, strict=True):
        assert credit in site.pages["index.html"].xpath("//a/@href"), GENERATOR_CREDIT[credit]
