"""The real data: complete, sourced, and matching the schemas editors use."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from macros import paths
from macros.dataset import load_dataset
from macros.export import editor_schemas
from macros.yaml_source import load_yaml

YAML_FILES = sorted(paths.DATA.glob("*.yaml")) + sorted(paths.DATA.glob("*/*.yaml"))


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


def test_every_fastapi_and_django_cell_is_filled_and_sourced(dataset):
    for fw_id in ("fastapi", "django"):
        fw = dataset.framework(fw_id)
        assert set(fw.facts) == {c.id for c in dataset.criteria}
        missing = [c for c, f in fw.facts.items() if f.value == "unknown" or not f.sources]
        assert missing == [], f"{fw_id}: unsourced or unknown facts {missing}"


def test_there_are_enough_criteria_use_cases_and_claims(dataset):
    assert len(dataset.criteria) >= 30
    assert len(dataset.use_cases) >= 12
    assert {c.category for c in dataset.criteria} == {c.id for c in dataset.categories}


def test_committed_editor_schemas_are_up_to_date(dataset):
    for name, text in editor_schemas(dataset).items():
        assert (paths.SCHEMAS / name).read_text(encoding="utf-8") == text, f"run `make schemas`: {name} is stale"


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: paths.display(p))
def test_each_data_file_names_its_schema_and_satisfies_it(path: Path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema="), "first line must name the schema"
    schema_path = (path.parent / first.split("$schema=", 1)[1].strip()).resolve()
    assert schema_path.is_file(), f"{schema_path} does not exist"
    data, _ = load_yaml(path, paths.display(path))
    instance = json.loads(json.dumps(data, default=str))
    jsonschema.validate(instance, json.loads(schema_path.read_text(encoding="utf-8")))


def test_schema_catches_what_an_editor_should_flag():
    schema = json.loads((paths.SCHEMAS / "framework.schema.json").read_text(encoding="utf-8"))
    fact_schema = {"$defs": schema["$defs"], **schema["$defs"]["Fact"]}
    base = {"value": "yes", "summary": "s", "sources": [], "verified": "2026-11-22", "version": "1.0"}
    with pytest.raises(jsonschema.ValidationError):  # a value other than unknown needs a source
        jsonschema.validate(base, fact_schema)
    with pytest.raises(jsonschema.ValidationError):  # plugin needs plugins
        jsonschema.validate({**base, "value": "plugin", "sources": ["https://a.example/"]}, fact_schema)
    jsonschema.validate({**base, "value": "unknown"}, fact_schema)


EXPECTED_TASKS = {
    "json-validation",
    "openapi-docs",
    "model-at-startup",
    "sse-streaming",
    "llm-fan-out",
    "background-job",
    "websocket-chat",
    "token-auth",
    "database-crud",
    "file-upload",
    "admin-interface",
    "hybrid-asgi",
    "testing-endpoint",
}


def test_every_task_has_a_fastapi_and_a_django_sample_run_by_its_test(dataset):
    assert {t.id for t in dataset.tasks} >= EXPECTED_TASKS
    for task in dataset.tasks:
        assert sorted(s.framework for s in task.samples) == ["django", "fastapi"], task.id
        test_source = (paths.ROOT / task.test).read_text(encoding="utf-8")
        for sample in task.samples:
            for file in sample.files:
                folder = file.path.split("/")[1]  # samples/<folder>/...
                assert f'"{folder}"' in test_source, f"{task.test} does not start samples/{folder}"


SAMPLE_FILES = sorted(p for p in (paths.ROOT / "samples").rglob("*") if p.suffix in {".py", ".html"})


@pytest.mark.parametrize("file", SAMPLE_FILES, ids=lambda p: p.relative_to(paths.ROOT).as_posix())
def test_snippet_markers_are_balanced(file: Path):
    source = file.read_text(encoding="utf-8")
    starts = re.findall(r"--8<-- \[start:([\w-]+)\]", source)
    ends = re.findall(r"--8<-- \[end:([\w-]+)\]", source)
    assert sorted(starts) == sorted(ends) and len(set(starts)) == len(starts)
    for name in starts:
        assert source.index(f"[start:{name}]") < source.index(f"[end:{name}]")
