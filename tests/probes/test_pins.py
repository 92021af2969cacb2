"""The probes run on the versions the facts name: when requirements.lock moves a framework, this says so.

Not a probe of one fact: it guards them all. After a version bump, the probes that fail name the facts to
revisit; once they pass and the facts are re-checked, raise `version:` in the framework's data file.
"""

from importlib import metadata

import pytest

from macros import paths
from macros.yaml_source import load_yaml


@pytest.mark.parametrize("framework", sorted(p.stem for p in (paths.DATA / "frameworks").glob("*.yaml")))
def test_installed_release_is_the_one_the_facts_were_checked_against(framework: str) -> None:
    file = f"data/frameworks/{framework}.yaml"
    raw, smap = load_yaml(paths.ROOT / file, file)
    pypi = raw["links"]["pypi"].rstrip("/").rsplit("/", 1)[-1]
    installed = metadata.version(pypi)
    pos = smap.value(("version",))
    assert installed == raw["version"], (
        f"{file}:{pos.line}:{pos.column}: version: the facts were checked against {raw['version']}, but "
        f"requirements.lock installs {installed} (run tests/probes, re-check the facts whose probes fail, "
        f"then set `version: {installed}`)"
    )
