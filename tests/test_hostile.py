"""Hostile text in every text field of the data never changes the structure of the rendered HTML.

Arbitrary text (HTML, Markdown, table pipes, Jinja braces, snippet markers, unicode, very long words) goes
into each field a contributor can write; the rendered blocks must contain exactly the elements the
templates make, with the same table shape, and rendering must never fail.
"""

from __future__ import annotations

import datetime as dt
import shutil

import markdown
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from macros import render
from macros.dataset import load_dataset
from macros.yaml_source import load_yaml
from tests.conftest import FIXTURE, TODAY

LINK = render.Linker("comparison/", "https://github.com/org/repo")
BLOCKS = (
    lambda ds: render.comparison_table(ds, LINK),
    lambda ds: render.at_a_glance(ds, LINK),
    lambda ds: render.decision_matrix(ds, LINK),
    lambda ds: render.use_case_guide(ds, LINK),
    lambda ds: render.claims_list(ds, LINK),
    lambda ds: render.verdict(ds, LINK),
    lambda ds: render.framework_profile(ds, LINK, "alpha"),
    lambda ds: render.choose_when(ds, LINK, "beta"),
    lambda ds: render.decide(ds, LINK),
)
NASTY = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "a | b | c",
        "{{ config }}",
        "{% raw %}",
        "{# c #}",
        "**bold** _em_",
        "# heading",
        '--8<-- "README.md"',
        "</td></tr></table>",
        "&amp; &lt;",
        "[link](javascript:alert(1))",
        "`code`",
        "\u202e\u200b\U0001f600",
        "x" * 300,
        "\"'",
        "\\",
        "-->",
        "<!--",
    ]
)
TEXT = (
    st.lists(st.one_of(NASTY, st.text(min_size=1, max_size=40)), min_size=1, max_size=4)
    .map(" ".join)
    .filter(lambda s: s.strip() != "")
)


def _structure(fragment: str) -> list[tuple[str, int]]:
    """The elements of a block (tag and number of children), ignoring the <code> spans data may add."""
    html = markdown.markdown(fragment, extensions=["attr_list", "md_in_html", "toc", "tables"])
    doc = lxml_html.fragment_fromstring(html, create_parent="div")
    return [
        (el.tag, len([c for c in el if c.tag != "code"]))
        for el in doc.iter()
        if isinstance(el.tag, str) and el.tag != "code"
    ]


def _write_dataset(root, text: dict[str, str]) -> None:
    src = {p.relative_to(FIXTURE).as_posix(): load_yaml(p, p.name)[0] for p in FIXTURE.rglob("*.yaml")}
    crit = src["criteria.yaml"]
    crit["categories"][0]["name"] = text["name"]
    crit["categories"][0]["description"] = text["description"]
    crit["criteria"][0]["name"] = text["name"]
    crit["criteria"][0]["question"] = text["question"]
    crit["criteria"][0]["yes"] = text["yes"]
    alpha = src["frameworks/alpha.yaml"]
    alpha["name"] = text["name"]
    alpha["description"] = text["description"][:400]
    for fact in alpha["facts"].values():
        fact["summary"] = text["summary"][:300]
        fact["notes"] = text["notes"]
    alpha["facts"]["license"]["value"] = text["summary"][:50]
    src["packages.yaml"]["packages"][0]["name"] = text["name"]
    uc = src["use_cases.yaml"]["use_cases"][0]
    uc["title"], uc["scenario"], uc["caveat"] = text["name"], text["description"], text["notes"]
    src["packages.yaml"]["packages"][0]["status_note"] = text["notes"][:300]
    decision = src["decision.yaml"]
    decision["questions"][0]["ask"], decision["questions"][0]["need"] = text["question"], text["name"][:60]
    decision["together"][0]["how"] = text["description"]
    claim = src["claims.yaml"]["claims"][0]
    claim["claim"], claim["explanation"] = text["summary"], text["notes"]
    shutil.copytree(FIXTURE.parent, root, dirs_exist_ok=True)  # samples/ and tests/ the tasks name
    for name, data in src.items():
        path = root / "data" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


BASELINE = {k: "plain" for k in ("name", "description", "question", "yes", "summary", "notes")}


_PLAIN: dict[str, list] = {}


def _plain_structures(tmp_path_factory) -> list:
    if not _PLAIN:
        plain_dir = tmp_path_factory.mktemp("plain")
        _write_dataset(plain_dir, BASELINE)
        plain = load_dataset(plain_dir / "data", TODAY)
        _PLAIN["blocks"] = [_structure(block(plain)) for block in BLOCKS]
    return _PLAIN["blocks"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.fixed_dictionaries({k: TEXT for k in BASELINE}))
def test_hostile_text_never_adds_elements_or_breaks_tables(tmp_path_factory, text):
    expected = _plain_structures(tmp_path_factory)
    hostile_dir = tmp_path_factory.mktemp("hostile")
    _write_dataset(hostile_dir, text)
    hostile = load_dataset(hostile_dir / "data", TODAY)
    for block, structure in zip(BLOCKS, expected, strict=True):
        got = block(hostile)
        assert _structure(got) == structure


def test_the_fixture_round_trips_through_the_writer(tmp_path):
    _write_dataset(tmp_path, BASELINE)
    ds = load_dataset(tmp_path / "data", TODAY)
    assert ds.framework("alpha").facts["asgi"].verified == dt.date(2026, 11, 1)
