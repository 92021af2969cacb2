"""tools/check_versions.py: the weekly comparison with PyPI names the facts to re-verify (no network here)."""

from __future__ import annotations

import importlib.util

from macros import paths

_spec = importlib.util.spec_from_file_location("check_versions", paths.ROOT / "tools" / "check_versions.py")
check_versions = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_versions)


def test_nothing_moved_gives_no_report(minimal):
    current = {"alpha": "2.1.0", "beta": "5.0", "addon": "1.0.0"}
    assert check_versions.moved(minimal, current.__getitem__) == []


def test_a_framework_release_names_its_file_and_the_facts_to_reverify(minimal):
    current = {"alpha": "2.2.0", "beta": "5.0", "addon": "1.0.0"}
    (report,) = check_versions.moved(minimal, current.__getitem__)
    assert report.startswith(
        "data/frameworks/alpha.yaml:9:10: version: Alpha 2.2.0 is on PyPI, the facts were checked against 2.1.0 ("
    )
    assert "re-verify all 4 facts" in report


def test_a_package_release_names_the_facts_that_use_it(minimal):
    current = {"alpha": "2.1.0", "beta": "5.0", "addon": "1.1.0"}
    (report,) = check_versions.moved(minimal, current.__getitem__)
    assert report.startswith("data/packages.yaml:")
    assert "packages.addon: Add-on 1.1.0 is on PyPI, the data records 1.0.0" in report
    assert "data/frameworks/alpha.yaml:23 (alpha/admin-interface)" in report


def test_pypi_names_come_from_the_links():
    assert check_versions.pypi_name("https://pypi.org/project/Django/") == "Django"
