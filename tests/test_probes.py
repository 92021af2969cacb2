"""The probe mechanism (macros/probes.py): discovery, validation, the failure message, the cell and the export.

The probes themselves live in tests/probes/ and run against the pinned frameworks.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import html as lxml_html

from macros import paths, render
from macros.dataset import load_dataset
from macros.errors import DataErrors
from macros.export import export_json
from macros.probes import ProbeFailed, discover, probe, revisit
from macros.render import Linker

PROBE_FILE = "tests/probes/test_probes_alpha.py"
GOOD = """from macros.probes import probe


@probe("alpha/asgi")
def test_alpha_speaks_asgi():
    assert True
"""


def write_probe(data_dir, text: str = GOOD) -> Path:
    target = data_dir.root / PROBE_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    return target


def errors_of(data_dir) -> list[str]:
    with pytest.raises(DataErrors) as exc:
        data_dir.load()
    return [str(e) for e in exc.value.errors]


def test_a_probe_is_found_and_attached_to_its_fact(data_dir):
    write_probe(data_dir)
    ds = data_dir.load()
    (found,) = ds.probes
    assert (found.name, found.file, found.line, found.function) == (
        "alpha/asgi",
        PROBE_FILE,
        5,
        "test_alpha_speaks_asgi",
    )
    assert ds.probes_for("alpha", "asgi") == (found,)
    assert ds.probes_for("beta", "asgi") == ()


def test_a_probe_naming_an_unknown_criterion_is_an_error_in_the_probe_file(data_dir):
    write_probe(data_dir, GOOD.replace("alpha/asgi", "alpha/asgii"))
    assert errors_of(data_dir) == [
        f"{PROBE_FILE}:4:8: test_alpha_speaks_asgi: probe `alpha/asgii` names no criterion `asgii` "
        "(use a criterion id from data/criteria.yaml)"
    ]


def test_a_probe_naming_an_unknown_framework_is_an_error(data_dir):
    write_probe(data_dir, GOOD.replace("alpha/asgi", "gamma/asgi"))
    (error,) = errors_of(data_dir)
    assert error.startswith(f"{PROBE_FILE}:4:8: test_alpha_speaks_asgi: probe `gamma/asgi` names no framework `gamma`")
    assert "alpha, beta" in error


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('"alpha/asgi"', "NAME", "4:8: test_alpha_speaks_asgi: the probe's name is not written as a string"),
        ('"alpha/asgi"', '"alpha-asgi"', "4:8: test_alpha_speaks_asgi: `alpha-asgi` does not name a fact"),
        ("def test_alpha", "def check_alpha", "5:1: check_alpha_speaks_asgi: pytest does not collect this probe"),
        ("def test_alpha", '@probe("alpha/wsgi")\ndef test_alpha', "5:8: test_alpha_speaks_asgi: one test is marked"),
    ],
)
def test_probes_that_would_not_count_are_errors(data_dir, old, new, expected):
    write_probe(data_dir, GOOD.replace(old, new))
    errors = errors_of(data_dir)
    assert len(errors) == 1 and errors[0].startswith(f"{PROBE_FILE}:{expected}"), errors


def test_a_probe_file_that_is_not_python_is_an_error(data_dir):
    write_probe(data_dir, GOOD + "def broken(:\n")
    (error,) = errors_of(data_dir)
    assert error.startswith(f"{PROBE_FILE}:7:12: (probe file): not valid Python"), error


def test_a_failing_probe_names_the_fact_to_revisit():
    @probe("fastapi/wsgi")
    def failing() -> None:
        raise AssertionError("ASGIMiddleware is gone")

    with pytest.raises(ProbeFailed) as exc:
        failing()
    message = str(exc.value)
    ds = load_dataset()
    file, pos = ds.fact_location("fastapi", "wsgi")
    assert message.startswith(
        f"{file}:{pos.line}:{pos.column}: facts.wsgi: the probe no longer supports value "
        f"`{ds.fact('fastapi', 'wsgi').value}` (checked against 0.165.0; installed: "
    )
    assert message.endswith(
        "AssertionError: ASGIMiddleware is gone (re-check the fact's value, summary and notes, then the probe)"
    )


def test_a_passing_probe_returns_what_the_test_returns():
    @probe("django/orm")
    def passing() -> int:
        return 7

    assert passing() == 7 and passing.probe == "django/orm"


def test_revisit_a_fact_that_does_not_exist():
    assert revisit("django/no-such", "boom").startswith("data/frameworks/django.yaml: facts.no-such: no such fact")


def test_cells_show_checked_by_code_with_a_link_to_the_probe_line(data_dir):
    write_probe(data_dir)
    ds = data_dir.load()
    doc = lxml_html.fragment_fromstring(
        render.comparison_table(ds, Linker("comparison/", "https://github.com/org/repo")), create_parent="div"
    )
    alpha, beta = doc.xpath("//tr[@id='c-asgi']/td")
    (link,) = alpha.xpath(".//span[contains(@class, 'fw-probed')]/a")
    assert link.get("href") == f"https://github.com/org/repo/blob/main/{PROBE_FILE}#L5"
    assert link.getparent().text_content() == "Checked by code: test_alpha_speaks_asgi"
    assert not beta.xpath(".//span[contains(@class, 'fw-probed')]")


def test_the_export_carries_each_facts_probes(data_dir):
    write_probe(data_dir)
    facts = json.loads(export_json(data_dir.load()))["facts"]
    by_cell = {(f["framework"], f["criterion"]): f["probes"] for f in facts}
    assert by_cell[("alpha", "asgi")] == [
        {"test": f"{PROBE_FILE}::test_alpha_speaks_asgi", "file": PROBE_FILE, "line": 5}
    ]
    assert by_cell[("beta", "asgi")] == []


NOT_PROBEABLE = {"long-term-support"}  # a release policy; tests/probes/README.md says why


def test_every_support_criterion_of_fastapi_and_django_has_a_probe():
    probes, errors = discover(paths.ROOT)
    assert errors == []
    ds = load_dataset()
    for fw in ("fastapi", "django"):
        named = {p.criterion for p in probes if p.framework == fw}
        missing = [c.id for c in ds.criteria if c.kind == "support" and c.id not in named | NOT_PROBEABLE]
        assert missing == [], f"{fw}: no probe for {missing} (add one in tests/probes/, or say why not in its README)"
