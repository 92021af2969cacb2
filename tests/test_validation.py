"""Each kind of data mistake gives one `file:line:column: where: what (how to fix)` message."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from macros.errors import DataErrors


def errors_of(data_dir) -> list[str]:
    with pytest.raises(DataErrors) as exc:
        data_dir.load()
    return [str(e) for e in exc.value.errors]


def only_error(data_dir) -> str:
    errors = errors_of(data_dir)
    assert len(errors) == 1, errors
    return errors[0]


def test_the_minimal_dataset_is_valid(minimal):
    assert [f.id for f in minimal.frameworks] == ["alpha", "beta"]
    assert len(minimal.criteria) == 4


def test_missing_required_field_points_at_its_mapping(data_dir):
    data_dir.edit("frameworks/alpha.yaml", "    summary: ASGI only.\n", "")
    assert only_error(data_dir) == (
        "data/frameworks/alpha.yaml:18:5: facts.wsgi.summary: required field `summary` is missing (add `summary:` here)"
    )


def test_unknown_field_points_at_the_key(data_dir):
    data_dir.edit("frameworks/alpha.yaml", "    summary: ASGI only.\n", "    summary: ASGI only.\n    sumary: typo\n")
    assert only_error(data_dir).startswith("data/frameworks/alpha.yaml:20:5: facts.wsgi.sumary: unknown field `sumary`")


def test_wrong_type_suggests_quoting(data_dir):
    data_dir.edit("frameworks/beta.yaml", 'version: "5.0"\nfacts:', "version: 5.0\nfacts:")
    assert only_error(data_dir) == (
        'data/frameworks/beta.yaml:9:10: version: must be text, not float `5.0` (put it in quotes: "5.0")'
    )


def test_value_must_be_a_token_for_support_criteria(data_dir):
    data_dir.edit("frameworks/alpha.yaml", "    value: no\n", "    value: nope\n")
    assert only_error(data_dir) == (
        "data/frameworks/alpha.yaml:18:12: facts.wsgi.value: `nope` is not a value token "
        "(use one of: yes, partial, plugin, no, unknown (put versions and details in summary or notes))"
    )


def test_fact_for_an_unknown_criterion(data_dir):
    data_dir.edit("frameworks/alpha.yaml", "  license:\n", "  licence:\n")
    errors = errors_of(data_dir)
    assert len(errors) == 2
    assert any(
        e.startswith("data/frameworks/alpha.yaml:30:3: facts.licence: no criterion `licence` in data/criteria.yaml")
        for e in errors
    )
    assert any("missing the fact for criterion `license`" in e for e in errors)


def test_missing_cell_is_reported_at_the_facts_key(data_dir):
    text = (data_dir.path / "frameworks/beta.yaml").read_text()
    data_dir.write("frameworks/beta.yaml", text.split("  license:")[0])
    assert only_error(data_dir).startswith(
        "data/frameworks/beta.yaml:10:1: facts: missing the fact for criterion `license` (add `license:` under facts"
    )


def test_plugin_value_must_name_the_package(data_dir):
    data_dir.edit("frameworks/alpha.yaml", "    plugins: [addon]\n", "")
    assert only_error(data_dir) == (
        "data/frameworks/alpha.yaml:24:12: facts.admin-interface.value: value `plugin` "
        "does not name the package "
        "(add `plugins: [package-id]` with ids from data/packages.yaml)"
    )


def test_plugin_must_exist_in_packages(data_dir):
    data_dir.edit("frameworks/alpha.yaml", "plugins: [addon]", "plugins: [adon]")
    assert only_error(data_dir).startswith(
        "data/frameworks/alpha.yaml:25:15: facts.admin-interface.plugins[0]: no package `adon` in data/packages.yaml"
    )


def test_package_must_be_listed_for_the_framework(data_dir):
    data_dir.edit(
        "frameworks/beta.yaml",
        "    value: yes\n    summary: Built in.\n",
        "    value: plugin\n    plugins: [addon]\n    summary: Built in.\n",
    )
    assert "package `addon` is not listed for `beta`" in only_error(data_dir)


def test_a_value_other_than_unknown_needs_a_source(data_dir):
    data_dir.edit("frameworks/alpha.yaml", "    sources: [https://github.com/example/alpha]\n", "    sources: []\n")
    assert only_error(data_dir) == (
        "data/frameworks/alpha.yaml:33:14: facts.license.sources: at least one source is required "
        "(add the URL of the page that shows this, or set value: unknown)"
    )


def test_unknown_needs_no_source(data_dir, minimal):
    assert minimal.fact("beta", "license").sources == []


def test_sources_must_be_https(data_dir):
    data_dir.edit("frameworks/alpha.yaml", "https://pypi.org/project/addon/]", "http://pypi.org/project/addon/]")
    assert only_error(data_dir) == (
        "data/frameworks/alpha.yaml:27:15: facts.admin-interface.sources[0]: "
        "`http://pypi.org/project/addon/` must be an https:// URL "
        "(use the full https:// address of the page)"
    )


def test_sources_must_be_well_formed(data_dir):
    data_dir.edit("frameworks/alpha.yaml", "https://pypi.org/project/addon/]", "https://localhost/x]")
    assert "`https://localhost/x` is not a well-formed URL (expected https://host.tld/path)" in only_error(data_dir)


def test_verified_date_cannot_be_in_the_future(data_dir):
    data_dir.edit("frameworks/alpha.yaml", "verified: 2026-11-01", "verified: 2027-01-01")
    assert only_error(data_dir) == (
        "data/frameworks/alpha.yaml:15:15: facts.asgi.verified: "
        "2027-01-01 is in the future "
        "(use the day you checked the sources (today is 2026-11-22))"
    )


def test_verified_must_be_a_date(data_dir):
    data_dir.edit("frameworks/alpha.yaml", "verified: 2026-11-01", "verified: last week")
    assert "`last week` is not a date (write the date as YYYY-MM-DD" in only_error(data_dir)


def test_fact_version_cannot_be_newer_than_the_checked_release(data_dir):
    data_dir.edit("frameworks/alpha.yaml", "    version: 2.0.0\n", "    version: 2.2.0\n")
    assert "facts.admin-interface.version: 2.2.0 is newer than the file's checked version 2.1.0" in only_error(data_dir)


def test_duplicate_yaml_key_is_an_error(data_dir):
    data_dir.edit("frameworks/alpha.yaml", "    value: no\n", "    value: no\n    value: yes\n")
    assert only_error(data_dir).startswith(
        "data/frameworks/alpha.yaml:19:5: facts.wsgi.value: duplicate key `value` (first defined at line 18)"
    )


def test_yaml_syntax_error(data_dir):
    data_dir.edit("criteria.yaml", "    name: Performance\n", "    name: [Performance\n")
    error = only_error(data_dir)
    assert error.startswith("data/criteria.yaml:") and "YAML syntax error" in error


def test_duplicate_ids(data_dir):
    data_dir.edit("criteria.yaml", "  - id: wsgi\n", "  - id: asgi\n")
    errors = errors_of(data_dir)
    assert errors[0] == (
        "data/criteria.yaml:15:9: criteria[1].id: id `asgi` is used twice (also at item 1) (give each entry its own id)"
    )


def test_criterion_in_unknown_category(data_dir):
    data_dir.edit("criteria.yaml", "    category: ecosystem\n", "    category: ecosys\n")
    assert only_error(data_dir) == (
        "data/criteria.yaml:29:15: criteria[3].category: unknown category `ecosys` (use one of: performance, ecosystem)"
    )


def test_use_case_can_only_weight_support_criteria(data_dir):
    data_dir.edit("use_cases.yaml", "      wsgi: 1\n", "      license: 1\n")
    assert only_error(data_dir) == (
        "data/use_cases.yaml:7:7: use_cases[0].weights.license: "
        "criterion `license` is kind: "
        "info and cannot be weighted (weight a kind: support criterion instead)"
    )


def test_weight_out_of_range(data_dir):
    data_dir.edit("use_cases.yaml", "      wsgi: 1\n", "      wsgi: 5\n")
    assert "use_cases[0].weights.wsgi: `5` is out of range (the limit is 3)" in only_error(data_dir)


def test_claim_must_name_known_frameworks(data_dir):
    data_dir.edit("claims.yaml", "frameworks: [alpha]", "frameworks: [gamma]")
    assert only_error(data_dir) == (
        "data/claims.yaml:4:18: claims[0].frameworks[0]: no framework `gamma` (use one of: alpha, beta)"
    )


def test_claim_with_a_factual_verdict_needs_evidence(data_dir):
    data_dir.edit("claims.yaml", "    sources: [https://example.org/alpha]\n", "    sources: []\n")
    assert "a `partly` verdict needs evidence" in only_error(data_dir)


def test_framework_id_must_match_its_file_name(data_dir):
    data_dir.edit("frameworks/beta.yaml", "id: beta\n", "id: betta\n")
    assert any(
        e.startswith("data/frameworks/beta.yaml:1:5: id: id `betta` does not match the file name `beta.yaml`")
        for e in errors_of(data_dir)
    )


def test_bad_id_format(data_dir):
    data_dir.edit("packages.yaml", "id: addon", "id: Add_On")
    assert "packages[0].id: `Add_On` is not a valid id" in errors_of(data_dir)[0]


def test_all_problems_are_reported_in_one_run(data_dir):
    data_dir.edit("frameworks/alpha.yaml", "    value: no\n", "    value: nope\n")
    data_dir.edit("frameworks/beta.yaml", "verified: 2026-11-01", "verified: 2030-01-01")
    errors = errors_of(data_dir)
    assert len(errors) == 2
    assert errors[0].startswith("data/frameworks/alpha.yaml") and errors[1].startswith("data/frameworks/beta.yaml")


def test_command_line_exits_1_with_messages_and_no_traceback(data_dir):
    data_dir.edit("frameworks/alpha.yaml", "    value: no\n", "    value: nope\n")
    run = subprocess.run(
        [sys.executable, "-m", "macros", "validate", "--data", str(data_dir.path)], capture_output=True, text=True
    )
    assert run.returncode == 1
    assert "data/frameworks/alpha.yaml:18:12: facts.wsgi.value: `nope` is not a value token" in run.stderr
    assert "1 problem in the data; nothing was built." in run.stderr
    assert "Traceback" not in run.stderr + run.stdout


def test_a_package_no_fact_names_is_an_error(data_dir):
    data_dir.edit(
        "packages.yaml",
        "    checked: 2026-11-01\n",
        "    checked: 2026-11-01\n  - id: spare\n    name: Spare\n    pypi: https://pypi.org/project/spare/\n"
        "    for: [beta]\n    status: unknown\n    checked: 2026-11-01\n",
    )
    assert only_error(data_dir) == (
        "data/packages.yaml:11:9: packages[1].id: package `spare` is not named by any fact "
        "(remove it, or name it in a fact's `plugins`)"
    )


def test_a_package_status_needs_its_source(data_dir):
    data_dir.edit("packages.yaml", "    status_source: https://pypi.org/project/addon/1.0.0/\n", "")
    assert only_error(data_dir) == (
        "data/packages.yaml:6:13: packages[0].status: status `active` has no "
        "`status_source` (add the URL of the page that shows it (the README at the "
        "release tag, release notes), or set status: unknown)"
    )


def test_a_package_status_other_than_active_says_why(data_dir):
    data_dir.edit("packages.yaml", "status: active", "status: maintenance")
    assert only_error(data_dir).startswith(
        "data/packages.yaml:6:13: packages[0].status: status `maintenance` has no `status_note`"
    )


def test_a_package_release_cannot_follow_its_check(data_dir):
    data_dir.edit("packages.yaml", "released: 2026-10-01", "released: 2026-11-02")
    assert only_error(data_dir).startswith(
        "data/packages.yaml:9:15: packages[0].released: released 2026-11-02, after it was checked"
    )


def test_a_package_status_must_be_a_known_word(data_dir):
    data_dir.edit("packages.yaml", "status: active", "status: abandoned")
    assert only_error(data_dir).startswith(
        "data/packages.yaml:6:13: packages[0].status: `abandoned` is not an "
        "allowed value (use one of: 'active', 'maintenance'"
    )


# --- decision.yaml ---------------------------------------------------------------------------------
def test_a_question_must_name_known_use_cases(data_dir):
    data_dir.edit("decision.yaml", "    presets: [api]\n", "    presets: [apy]\n")
    assert only_error(data_dir) == (
        "data/decision.yaml:21:15: questions[0].presets[0]: no use case `apy` (use an id from data/use_cases.yaml)"
    )


def test_a_question_that_changes_nothing_is_an_error(data_dir):
    data_dir.edit("decision.yaml", "    presets: [api]\n", "")
    assert only_error(data_dir) == (
        "data/decision.yaml:18:5: questions[0]: question `async` changes nothing "
        "(give it `presets: [use-case-id]` or `weights: {criterion-id: 1..3}`)"
    )


def test_a_question_weighs_only_support_criteria(data_dir):
    data_dir.edit("decision.yaml", "      asgi: 1\n", "      license: 1\n")
    assert only_error(data_dir).startswith(
        "data/decision.yaml:28:7: questions[1].weights.license: a kind: info "
        "criterion, which cannot be weighted: `license`"
    )


def test_default_presets_must_exist(data_dir):
    data_dir.edit("decision.yaml", "  presets: [api]\n", "  presets: [web]\n")
    assert only_error(data_dir) == (
        "data/decision.yaml:16:13: defaults.presets[0]: no use case `web` "
        "(use an id from data/use_cases.yaml: api, staff-admin)"
    )


def test_a_combination_names_known_frameworks_and_an_existing_page(data_dir):
    data_dir.edit(
        "decision.yaml",
        "  - frameworks: [alpha, beta]\n    how: Alpha mounts Beta.\n    page: both.md\n",
        "  - frameworks: [alpha, gamma]\n    how: Alpha mounts Beta.\n    page: neither.md\n",
    )
    assert errors_of(data_dir) == [
        "data/decision.yaml:30:25: together[0].frameworks[1]: no framework `gamma` (use one of: alpha, beta)",
        "data/decision.yaml:32:11: together[0].page: no page docs/neither.md (name a page under docs/, e.g. hybrid.md)",
    ]


def test_a_worth_must_be_a_step_of_five_percent(data_dir):
    data_dir.edit("decision.yaml", "    plugin: 75\n", "    plugin: 77\n")
    assert only_error(data_dir).startswith("data/decision.yaml:4:13: scoring.values.plugin: ")


# --- tasks (runnable samples) ----------------------------------------------------------------------


def test_task_sample_file_must_exist(data_dir):
    data_dir.edit("tasks/demo.yaml", "samples/demo/beta_app.py", "samples/demo/gamma_app.py")
    assert only_error(data_dir) == (
        "data/tasks/demo.yaml:20:15: samples[1].files[0].path: no file "
        "`samples/demo/gamma_app.py` "
        "(fix the path (relative to the repository root) or add the file)"
    )


def test_task_sample_must_live_under_samples(data_dir):
    data_dir.edit("tasks/demo.yaml", "samples/demo/beta_app.py", "tests/test_demo.py")
    assert "`tests/test_demo.py` is not under samples/" in only_error(data_dir)


def test_task_section_must_be_marked_in_the_file(data_dir):
    data_dir.edit("tasks/demo.yaml", "section: main", "section: setup")
    assert only_error(data_dir) == (
        "data/tasks/demo.yaml:16:18: samples[0].files[0].section: `samples/demo/alpha_app.py` has no section `setup` "
        "(mark it with `# --8<-- [start:setup]` and `# --8<-- [end:setup]`)"
    )


def test_task_names_known_frameworks_once_each(data_dir):
    data_dir.edit("tasks/demo.yaml", "  - framework: beta\n", "  - framework: alpha\n")
    assert "samples[1].framework: a second sample for `alpha`" in only_error(data_dir)


def test_task_test_file_must_exist(data_dir):
    data_dir.edit("tasks/demo.yaml", "test: tests/test_demo.py", "test: tests/test_gone.py")
    assert only_error(data_dir).startswith(
        "data/tasks/demo.yaml:9:7: test: the test file `tests/test_gone.py` does not exist"
    )


def test_fact_can_cite_a_task_that_has_its_sample(data_dir):
    data_dir.edit(
        "frameworks/alpha.yaml",
        "    summary: Ships an ASGI app.\n",
        "    summary: Ships an ASGI app.\n    tested_by: [demo]\n",
    )
    assert data_dir.load().fact("alpha", "asgi").tested_by == ["demo"]


def test_fact_cannot_cite_an_unknown_task(data_dir):
    data_dir.edit(
        "frameworks/alpha.yaml",
        "    summary: Ships an ASGI app.\n",
        "    summary: Ships an ASGI app.\n    tested_by: [demoo]\n",
    )
    assert only_error(data_dir).startswith("data/frameworks/alpha.yaml:14:17: facts.asgi.tested_by[0]: no task `demoo`")


# --- the corpus: each broken file, through the command line, gives one located error and no traceback ----
BROKEN_CORPUS = {
    "yaml-syntax": ("criteria.yaml", "    name: Performance\n", "    name: [Performance\n", "data/criteria.yaml:"),
    "duplicate-key": (
        "frameworks/alpha.yaml",
        "    value: no\n",
        "    value: no\n    value: yes\n",
        "data/frameworks/alpha.yaml:19:5:",
    ),
    "wrong-type": (
        "frameworks/beta.yaml",
        'version: "5.0"\nfacts:',
        "version: 5.0\nfacts:",
        "data/frameworks/beta.yaml:9:10:",
    ),
    "unknown-criterion": ("use_cases.yaml", "      wsgi: 1\n", "      wsgii: 1\n", "data/use_cases.yaml:7:7:"),
    "unknown-package": (
        "frameworks/alpha.yaml",
        "plugins: [addon]",
        "plugins: [adon]",
        "data/frameworks/alpha.yaml:25:15:",
    ),
    "missing-source": (
        "frameworks/alpha.yaml",
        "    sources: [https://github.com/example/alpha]\n",
        "    sources: []\n",
        "data/frameworks/alpha.yaml:33:14:",
    ),
    "bad-url": (
        "frameworks/alpha.yaml",
        "https://pypi.org/project/addon/]",
        "ftp://pypi.org/addon]",
        "data/frameworks/alpha.yaml:27:15:",
    ),
    "future-date": ("claims.yaml", "verified: 2026-11-01", "verified: 2099-01-01", "data/claims.yaml:11:15:"),
    "missing-field": ("frameworks/alpha.yaml", "    summary: ASGI only.\n", "", "data/frameworks/alpha.yaml:18:5:"),
    "bad-token": (
        "frameworks/beta.yaml",
        "    value: partial\n",
        "    value: partly\n",
        "data/frameworks/beta.yaml:12:12:",
    ),
    "not-utf8": ("packages.yaml", "name: Add-on", "name: Add-\udcff-on", "data/packages.yaml:1:1:"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_CORPUS))
def test_broken_corpus_gives_one_located_error_without_traceback(data_dir, case):
    name, old, new, where = BROKEN_CORPUS[case]
    path = data_dir.path / name
    text = path.read_text().replace(old, new)
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    run = subprocess.run(
        [sys.executable, "-m", "macros", "validate", "--data", str(data_dir.path)], capture_output=True, text=True
    )
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 1
    assert "Traceback" not in run.stderr + run.stdout
    assert lines[-1] == "1 problem in the data; nothing was built.", run.stderr
    assert len(lines) == 2 and lines[0].startswith(where), run.stderr
    assert re.fullmatch(r"\S+:\d+:\d+: \S.*: .+ \(.+\)", lines[0]), lines[0]


def test_benchmark_result_must_name_a_listed_stack(data_dir):
    data_dir.edit(
        "benchmarks/2026-11-01-test.yaml", "stack: beta-wsgi, framework: beta", "stack: beta-asgi, framework: beta"
    )
    assert only_error(data_dir).startswith(
        "data/benchmarks/2026-11-01-test.yaml:14:29: results[1].stack: no stack `beta-asgi` in `stacks`"
    )


def test_benchmark_stack_must_name_a_framework(data_dir):
    data_dir.edit(
        "benchmarks/2026-11-01-test.yaml", "{id: beta-wsgi, framework: beta,", "{id: beta-wsgi, framework: gamma,"
    )
    errors = errors_of(data_dir)
    assert any("stacks[1].framework: no framework `gamma`" in e for e in errors)


def test_fact_can_cite_a_measured_workload(data_dir):
    data_dir.edit(
        "frameworks/alpha.yaml",
        "    summary: Ships an ASGI app.\n",
        "    summary: Ships an ASGI app.\n    measured_in: [json, sse]\n",
    )
    assert data_dir.load().fact("alpha", "asgi").measured_in == ["json", "sse"]


def test_fact_cannot_cite_a_workload_the_newest_run_lacks(data_dir):
    data_dir.edit(
        "frameworks/alpha.yaml",
        "    summary: Ships an ASGI app.\n",
        "    summary: Ships an ASGI app.\n    measured_in: [db-read]\n",
    )
    assert only_error(data_dir).startswith(
        "data/frameworks/alpha.yaml:14:19: facts.asgi.measured_in[0]: "
        "the newest benchmark run has no `db-read` result for Alpha"
    )
