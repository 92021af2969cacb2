"""Layers (`extends`): a framework that runs inside another states only where it differs and inherits the rest."""

from __future__ import annotations

from macros.changes import UNVERSIONED
from macros.export import build_export
from tests.test_validation import errors_of, only_error

GAMMA = """id: gamma
name: Gamma
description: An API layer on Beta.
links:
  home: https://gamma.example.org/
  docs: https://gamma.example.org/docs/
  repo: https://github.com/example/gamma
  pypi: https://pypi.org/project/gamma/
version: "2.0"
extends: {host}
facts:
  asgi:
    value: yes
    summary: Async views all the way.
    sources: [https://gamma.example.org/docs/async]
    verified: 2026-11-01
    version: "2.0"
"""


def test_a_layer_inherits_every_fact_it_does_not_state(data_dir):
    data_dir.write("frameworks/gamma.yaml", GAMMA.format(host="beta"))
    ds = data_dir.load()
    gamma, beta = ds.framework("gamma"), ds.framework("beta")
    assert [c.id for c in ds.criteria] == list(gamma.facts)
    assert gamma.facts["asgi"].value == "yes"  # its own
    assert gamma.facts["wsgi"] == beta.facts["wsgi"]  # inherited, with Beta's sources
    assert ds.origin("gamma", "wsgi") == "beta" and ds.origin("gamma", "asgi") == "gamma"
    file, pos = ds.fact_location("gamma", "wsgi")  # edit links open the host's line
    assert file == "data/frameworks/beta.yaml" and pos.line == 18


def test_inherited_facts_are_exported_with_their_origin(data_dir):
    data_dir.write("frameworks/gamma.yaml", GAMMA.format(host="beta"))
    out = build_export(data_dir.load(), UNVERSIONED).model_dump(mode="json")
    facts = {(f["framework"], f["criterion"]): f for f in out["facts"]}
    assert facts[("gamma", "wsgi")]["inherited_from"] == "beta"
    assert facts[("gamma", "wsgi")]["sources"] == ["https://beta.example.org/docs/wsgi"]
    assert facts[("gamma", "asgi")]["inherited_from"] is None
    assert facts[("beta", "asgi")]["inherited_from"] is None
    assert {f["id"]: f["extends"] for f in out["frameworks"]} == {"alpha": None, "beta": None, "gamma": "beta"}


def test_a_layer_of_a_layer_inherits_through_both(data_dir):
    data_dir.write("frameworks/gamma.yaml", GAMMA.format(host="beta"))
    delta = GAMMA.format(host="gamma").replace("id: gamma", "id: delta").replace("Async views all the way.", "x")
    delta = delta.replace("asgi:\n    value: yes", "admin-interface:\n    value: no")
    data_dir.write("frameworks/delta.yaml", delta)
    ds = data_dir.load()
    assert ds.origin("delta", "asgi") == "gamma" and ds.origin("delta", "wsgi") == "beta"
    assert ds.framework("delta").facts["admin-interface"].value == "no"


def test_unknown_host(data_dir):
    data_dir.write("frameworks/gamma.yaml", GAMMA.format(host="betta"))
    assert only_error(data_dir) == (
        "data/frameworks/gamma.yaml:10:10: extends: no framework `betta` to extend "
        "(use one of: alpha, beta (the id of data/frameworks/<id>.yaml))"
    )


def test_layers_that_form_a_loop(data_dir):
    data_dir.write("frameworks/gamma.yaml", GAMMA.format(host="delta"))
    delta = GAMMA.format(host="gamma").replace("id: gamma", "id: delta").replace("value: yes", "value: no")
    data_dir.write("frameworks/delta.yaml", delta)
    assert errors_of(data_dir) == [
        "data/frameworks/delta.yaml:10:10: extends: layers form a loop: delta -> gamma -> delta "
        "(a layer cannot extend, directly or through other layers, itself: fix one `extends`)",
        "data/frameworks/gamma.yaml:10:10: extends: layers form a loop: gamma -> delta -> gamma "
        "(a layer cannot extend, directly or through other layers, itself: fix one `extends`)",
    ]


def test_a_layer_cannot_extend_itself(data_dir):
    data_dir.write("frameworks/gamma.yaml", GAMMA.format(host="gamma"))
    assert "extends: layers form a loop: gamma -> gamma" in only_error(data_dir)


def test_an_override_that_says_what_the_host_says_is_an_error(data_dir):
    data_dir.write("frameworks/gamma.yaml", GAMMA.format(host="beta").replace("value: yes", "value: partial"))
    assert only_error(data_dir) == (
        "data/frameworks/gamma.yaml:12:3: facts.asgi: says what Beta says (`partial`), so it is inherited from "
        "`beta` (remove it: a layer states only the facts where it differs from Beta)"
    )


def test_a_framework_that_is_not_a_layer_still_needs_every_fact(data_dir):
    data_dir.write("frameworks/gamma.yaml", GAMMA.format(host="beta").replace("extends: beta\n", ""))
    errors = errors_of(data_dir)
    assert len(errors) == 3 and all("missing the fact for criterion" in e for e in errors)
