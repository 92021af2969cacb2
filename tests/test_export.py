"""The published dataset: flat facts, same field names as the YAML, valid against its own schema."""

import json

import jsonschema

from macros.export import build_export, export_json, export_schema


def test_export_satisfies_its_published_schema(minimal):
    jsonschema.validate(json.loads(export_json(minimal)), json.loads(export_schema()))


def test_schema_rejects_a_fact_with_an_unknown_field(minimal):
    data = json.loads(export_json(minimal))
    data["facts"][0]["colour"] = "red"
    try:
        jsonschema.validate(data, json.loads(export_schema()))
    except jsonschema.ValidationError as err:
        assert "colour" in err.message
    else:
        raise AssertionError("an extra field passed the schema")


def test_facts_are_flat_one_per_framework_and_criterion(minimal):
    data = json.loads(export_json(minimal))
    assert len(data["facts"]) == 2 * 4
    assert set(data["facts"][0]) == {
        "framework",
        "criterion",
        "value",
        "plugins",
        "summary",
        "notes",
        "sources",
        "verified",
        "version",
        "tested_by",
        "measured_in",
        "changed",
        "since",
        "probes",
        "inherited_from",
    }
    assert {(f["framework"], f["criterion"]) for f in data["facts"]} == {
        (fw, c) for fw in ("alpha", "beta") for c in ("asgi", "wsgi", "admin-interface", "license")
    }


def test_framework_entries_derive_licence_and_interface_from_facts(minimal):
    alpha = build_export(minimal).frameworks[0]
    assert (alpha.id, alpha.license, alpha.interface, alpha.first_release) == ("alpha", "MIT", "ASGI", "unknown")


def test_use_cases_carry_computed_scores(minimal):
    uc = json.loads(export_json(minimal))["use_cases"][0]
    assert uc["scores"] == {"alpha": 75.0, "beta": 75.0} and uc["best"] == ["alpha", "beta"]


def test_benchmarks_are_exported_with_machine_versions_and_results(minimal):
    run = json.loads(export_json(minimal))["benchmarks"][0]
    assert run["id"] == "2026-11-01-test" and run["machine"]["cores"] == 2
    assert run["versions"]["wrk"] == "4.1.0" and len(run["results"]) == 4


def test_the_decision_model_and_package_upkeep_are_published(minimal):
    data = json.loads(export_json(minimal))
    assert data["decision"]["scoring"]["values"]["plugin"] == 75
    assert data["decision"]["scoring"]["package_status"]["maintenance"] == 75
    assert [q["id"] for q in data["decision"]["questions"]] == ["async", "staff"]
    addon = data["packages"][0]
    assert (addon["status"], addon["latest_release"], addon["checked"]) == ("active", "1.0.0", "2026-11-01")


def test_the_decision_page_computes_from_the_published_data(minimal):
    """What the page's script reads (embedded in the page) is the published data, reduced: no value differs.
    The summaries are not embedded (the script fetches them from the column pages)."""
    from macros import render

    data = json.loads(export_json(minimal))
    page = render.decide_model(minimal, render.Linker("decide/"))
    facts = {(f["framework"], f["criterion"]): f for f in data["facts"]}
    for fw, cells in page["facts"].items():
        for crit, (value, plugins) in cells.items():
            assert [value, plugins] == [facts[fw, crit][k] for k in ("value", "plugins")]
    assert page["scoring"]["values"] == data["decision"]["scoring"]["values"]
    assert page["scoring"]["status"] == data["decision"]["scoring"]["package_status"]
    assert page["scoring"]["close_call"] == 10 * data["decision"]["scoring"]["close_call"]
    assert {p: v["status"] for p, v in page["packages"].items()} == {p["id"]: p["status"] for p in data["packages"]}
    assert page["presets"] == [{"id": u["id"], "title": u["title"], "weights": u["weights"]} for u in data["use_cases"]]
    assert page["defaults"] == data["decision"]["defaults"]["presets"]


def test_embedded_json_cannot_close_its_script_element():
    from macros.render import script_json

    text = str(script_json({"summary": "</script><script>alert(1)</script> & more"}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"summary": "</script><script>alert(1)</script> & more"}


def test_each_exported_sample_carries_its_own_frameworks_line_count():
    # The export once paired samples (YAML order) with counts (framework order), swapping them.
    from macros.dataset import load_dataset
    from macros.views import task_samples

    ds = load_dataset()
    exported = {t["id"]: t for t in json.loads(export_json(ds))["tasks"]}
    for task in ds.tasks:
        counts = {v.framework.id: v.lines for v in task_samples(ds, task)}
        for sample in exported[task.id]["samples"]:
            assert sample["lines"] == counts[sample["framework"]], (task.id, sample["framework"])
            assert len(sample["files"]) == len(set(sample["files"]))
