"""Integrity and meaning rules: small, named, one concern each (the MDN browser-compat-data lint style).

Each rule yields DataErrors that point at the exact key or value in the YAML file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Protocol
from urllib.parse import urlsplit

from macros.dataset import Dataset
from macros.errors import DataError
from macros.models import TOKENS, BenchmarkRun, Stack
from macros.yaml_source import Path_, dotted

Rule = Callable[[Dataset, dt.date], Iterator[DataError]]
RULES: list[tuple[str, Rule]] = []


def rule(name: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        RULES.append((name, fn))
        return fn

    return register


def _error(ds: Dataset, file_key: str, path: Path_, message: str, fix: str, *, at_key: bool = False) -> DataError:
    file = ds.files[file_key]
    smap = ds.maps[file]
    pos = smap.key(path) if at_key else smap.value(path)
    return DataError(file, pos.line, pos.column, dotted(path), message, fix)


def _fw_key(fw_id: str) -> str:
    return f"framework:{fw_id}"


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


@rule("unique-ids")
def unique_ids(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    groups: tuple[tuple[str, str, Sequence[_Identified]], ...] = (
        ("criteria", "categories", ds.categories),
        ("criteria", "criteria", ds.criteria),
        ("packages", "packages", ds.packages),
        ("use_cases", "use_cases", ds.use_cases),
        ("claims", "claims", ds.claims),
    )
    for file_key, field, items in groups:
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            if item.id in seen:
                yield _error(
                    ds,
                    file_key,
                    (field, i, "id"),
                    f"id `{item.id}` is used twice (also at item {seen[item.id] + 1})",
                    "give each entry its own id",
                )
            seen.setdefault(item.id, i)


@rule("framework-id-matches-file")
def framework_id_matches_file(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    for fw in ds.frameworks:
        file = ds.files[_fw_key(fw.id)]
        stem = file.rsplit("/", 1)[-1].removesuffix(".yaml")
        if stem != fw.id:
            yield _error(
                ds,
                _fw_key(fw.id),
                ("id",),
                f"id `{fw.id}` does not match the file name `{stem}.yaml`",
                f"rename the file to `{fw.id}.yaml` or set `id: {stem}`",
            )


@rule("criterion-category-exists")
def criterion_category_exists(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    known = [c.id for c in ds.categories]
    for i, crit in enumerate(ds.criteria):
        if crit.category not in known:
            yield _error(
                ds,
                "criteria",
                ("criteria", i, "category"),
                f"unknown category `{crit.category}`",
                f"use one of: {', '.join(known)}",
            )


@rule("support-criteria-define-yes")
def support_criteria_define_yes(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    for i, crit in enumerate(ds.criteria):
        if crit.kind == "support" and not crit.yes:
            yield _error(
                ds,
                "criteria",
                ("criteria", i),
                f"criterion `{crit.id}` has no `yes:` line",
                "say what a framework must offer, on its own, to get the value yes",
            )
        if crit.kind == "info" and crit.yes:
            yield _error(
                ds,
                "criteria",
                ("criteria", i, "yes"),
                "a `yes:` line on a kind: info criterion",
                "remove it: info values are plain values, not tokens",
            )


@rule("one-fact-per-cell")
def one_fact_per_cell(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    known = {c.id for c in ds.criteria}
    for fw in ds.frameworks:
        for crit_id in fw.facts:
            if crit_id not in known:
                yield _error(
                    ds,
                    _fw_key(fw.id),
                    ("facts", crit_id),
                    f"no criterion `{crit_id}` in data/criteria.yaml",
                    "fix the id, or add the criterion to data/criteria.yaml first",
                    at_key=True,
                )
        for crit in ds.criteria:
            if crit.id not in fw.facts and fw.extends is None:
                yield _error(
                    ds,
                    _fw_key(fw.id),
                    ("facts",),
                    f"missing the fact for criterion `{crit.id}`",
                    f"add `{crit.id}:` under facts (use value: unknown if it is not verified yet)",
                    at_key=True,
                )


def _host_chain(ds: Dataset, fw_id: str) -> tuple[list[str], str]:
    """The frameworks fw_id extends, nearest first, and how the chain ends: "ok", "unknown" (a host that does
    not exist) or "loop" (it comes back to a framework already in it)."""
    by_id = {f.id: f for f in ds.frameworks}
    chain: list[str] = []
    current = by_id[fw_id].extends
    while current is not None:
        if current not in by_id:
            return chain, "unknown"
        if current == fw_id or current in chain:
            chain.append(current)
            return chain, "loop"
        chain.append(current)
        current = by_id[current].extends
    return chain, "ok"


@rule("layers-extend-a-framework")
def layers_extend_a_framework(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    known = [f.id for f in ds.frameworks]
    for fw in ds.frameworks:
        if fw.extends is None:
            continue
        chain, end = _host_chain(ds, fw.id)
        if fw.extends not in known:
            yield _error(
                ds,
                _fw_key(fw.id),
                ("extends",),
                f"no framework `{fw.extends}` to extend",
                f"use one of: {', '.join(f for f in known if f != fw.id)} (the id of data/frameworks/<id>.yaml)",
            )
        elif end == "loop" and chain[-1] == fw.id:
            yield _error(
                ds,
                _fw_key(fw.id),
                ("extends",),
                f"layers form a loop: {' -> '.join([fw.id, *chain])}",
                "a layer cannot extend, directly or through other layers, itself: fix one `extends`",
            )


@rule("layer-overrides-differ")
def layer_overrides_differ(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    known = {f.id: f for f in ds.frameworks}
    for fw in ds.frameworks:
        if fw.extends is None:
            continue
        chain, end = _host_chain(ds, fw.id)
        if end != "ok":
            continue
        for crit_id, fact in fw.facts.items():
            host = next((known[h] for h in chain if crit_id in known[h].facts), None)
            if host is None:
                continue
            inherited = host.facts[crit_id]
            if (fact.value, fact.plugins) == (inherited.value, inherited.plugins):
                yield _error(
                    ds,
                    _fw_key(fw.id),
                    ("facts", crit_id),
                    f"says what {host.name} says (`{fact.value}`"
                    + (f" via {', '.join(fact.plugins)}" if fact.plugins else "")
                    + f"), so it is inherited from `{host.id}`",
                    f"remove it: a layer states only the facts where it differs from {host.name}",
                    at_key=True,
                )


@rule("value-matches-kind")
def value_matches_kind(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    kinds = {c.id: c.kind for c in ds.criteria}
    for fw in ds.frameworks:
        for crit_id, fact in fw.facts.items():
            if kinds.get(crit_id) == "support" and fact.value not in TOKENS:
                yield _error(
                    ds,
                    _fw_key(fw.id),
                    ("facts", crit_id, "value"),
                    f"`{fact.value}` is not a value token",
                    f"use one of: {', '.join(TOKENS)} (put versions and details in summary or notes)",
                )


@rule("plugin-names-package")
def plugin_names_package(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    packages = {p.id: p for p in ds.packages}
    for fw in ds.frameworks:
        for crit_id, fact in fw.facts.items():
            path = ("facts", crit_id)
            if fact.value == "plugin" and not fact.plugins:
                yield _error(
                    ds,
                    _fw_key(fw.id),
                    path + ("value",),
                    "value `plugin` does not name the package",
                    "add `plugins: [package-id]` with ids from data/packages.yaml",
                )
            for i, pid in enumerate(fact.plugins):
                if pid not in packages:
                    yield _error(
                        ds,
                        _fw_key(fw.id),
                        path + ("plugins", i),
                        f"no package `{pid}` in data/packages.yaml",
                        "fix the id, or add the package to data/packages.yaml",
                    )
                elif fw.id not in packages[pid].for_:
                    yield _error(
                        ds,
                        _fw_key(fw.id),
                        path + ("plugins", i),
                        f"package `{pid}` is not listed for `{fw.id}`",
                        f"add `{fw.id}` to its `for:` list in data/packages.yaml, or name another package",
                    )


@rule("sources-required")
def sources_required(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    for fw in ds.frameworks:
        for crit_id, fact in fw.facts.items():
            if fact.value != "unknown" and not fact.sources:
                yield _error(
                    ds,
                    _fw_key(fw.id),
                    ("facts", crit_id, "sources"),
                    "at least one source is required",
                    "add the URL of the page that shows this, or set value: unknown",
                )
            if len(set(fact.sources)) != len(fact.sources):
                yield _error(
                    ds,
                    _fw_key(fw.id),
                    ("facts", crit_id, "sources"),
                    "the same source is listed twice",
                    "list each URL once",
                )
    for i, claim in enumerate(ds.claims):
        if claim.verdict in ("true", "partly", "false") and not claim.sources:
            yield _error(
                ds,
                "claims",
                ("claims", i, "sources"),
                f"a `{claim.verdict}` verdict needs evidence",
                "add the URL of a page that settles the claim",
            )


@rule("dates-not-in-future")
def dates_not_in_future(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    for fw in ds.frameworks:
        for crit_id, fact in fw.facts.items():
            if fact.verified > today:
                yield _error(
                    ds,
                    _fw_key(fw.id),
                    ("facts", crit_id, "verified"),
                    f"{fact.verified} is in the future",
                    f"use the day you checked the sources (today is {today})",
                )
    for i, claim in enumerate(ds.claims):
        if claim.verified > today:
            yield _error(
                ds,
                "claims",
                ("claims", i, "verified"),
                f"{claim.verified} is in the future",
                f"use the day you checked the sources (today is {today})",
            )


def _version_tuple(text: str) -> tuple[int, ...] | None:
    match = re.fullmatch(r"(\d+)(?:\.(\d+))?(?:\.(\d+))?", text)
    return tuple(int(p) for p in match.groups() if p is not None) if match else None


@rule("versions-well-formed")
def versions_well_formed(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    for fw in ds.frameworks:
        checked = _version_tuple(fw.version)
        if checked is None:
            yield _error(
                ds,
                _fw_key(fw.id),
                ("version",),
                f"`{fw.version}` is not a release number",
                'write the release as digits and dots, e.g. "6.1.3"',
            )
            continue
        for crit_id, fact in fw.facts.items():
            version = _version_tuple(fact.version)
            if version is None:
                yield _error(
                    ds,
                    _fw_key(fw.id),
                    ("facts", crit_id, "version"),
                    f"`{fact.version}` is not a release number",
                    'write the release as digits and dots, e.g. "6.1.3"',
                )
            elif version > checked:
                yield _error(
                    ds,
                    _fw_key(fw.id),
                    ("facts", crit_id, "version"),
                    f"{fact.version} is newer than the file's checked version {fw.version}",
                    "raise `version:` at the top of the file after checking the other facts, or fix this one",
                )


_RELEASE_NOTES = re.compile(r"release|changelog|changes|history|news", re.IGNORECASE)
_AT_TAG = re.compile(r"^https://github\.com/[^/]+/[^/]+/(?:blob|tree|releases/tag)/v?\d[^/]*(?:/|$)")


@rule("since-is-consistent")
def since_is_consistent(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    for fw in ds.frameworks:
        for crit_id, fact in fw.facts.items():
            since = fact.since
            if since is None:
                continue
            path = ("facts", crit_id, "since")
            version, checked = _version_tuple(since.version), _version_tuple(fact.version)
            if version is None:
                yield _error(
                    ds,
                    _fw_key(fw.id),
                    path + ("version",),
                    f"`{since.version}` is not a release number",
                    'write the release as digits and dots, e.g. "6.0"',
                )
            elif checked is not None and version > checked:
                yield _error(
                    ds,
                    _fw_key(fw.id),
                    path + ("version",),
                    f"{since.version} is newer than the version this fact was checked against ({fact.version})",
                    "check the fact against a release that has the capability, or fix `since.version`",
                )
            if since.date > today:
                yield _error(
                    ds,
                    _fw_key(fw.id),
                    path + ("date",),
                    f"{since.date} is in the future",
                    f"use the date the release was published (today is {today})",
                )
            if not (_AT_TAG.match(since.source) or _RELEASE_NOTES.search(urlsplit(since.source).path)):
                yield _error(
                    ds,
                    _fw_key(fw.id),
                    path + ("source",),
                    "the source is neither release notes nor a file at a release tag",
                    f"link the release notes of {since.version} or a file at its tag "
                    "(https://github.com/<owner>/<repo>/blob/<tag>/...)",
                )


def _end_of(until: dt.date | str) -> dt.date | None:
    """The last day an `until` (a date, or a YYYY-MM month) covers, or None when the month does not exist."""
    if isinstance(until, dt.date):
        return until
    year, month = int(until[:4]), int(until[5:])
    if not 1 <= month <= 12:
        return None
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


@rule("support-windows-make-sense")
def support_windows_make_sense(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    for fw in ds.frameworks:
        for i, entry in enumerate(fw.supported):
            path = ("supported", i)
            if entry.released is not None and entry.released > today:
                yield _error(
                    ds,
                    _fw_key(fw.id),
                    path + ("released",),
                    f"{entry.released} is in the future",
                    f"leave `released` out for a planned release and set `upcoming: true` (today is {today})",
                )
            if entry.until is None:
                continue
            end = _end_of(entry.until)
            if end is None:
                yield _error(
                    ds,
                    _fw_key(fw.id),
                    path + ("until",),
                    f"`{entry.until}` is not a real month or date",
                    "write the month as YYYY-MM with a month from 01 to 12, or a date as YYYY-MM-DD",
                )
            elif entry.released is not None and end < entry.released:
                yield _error(
                    ds,
                    _fw_key(fw.id),
                    path + ("until",),
                    f"support ends ({entry.until}) before the release came out ({entry.released})",
                    "check the end date on the project's support page",
                )
            elif not entry.upcoming and end < today:
                yield _error(
                    ds,
                    _fw_key(fw.id),
                    path + ("until",),
                    f"support for {entry.release} ended in {entry.until}",
                    "remove the entry: only releases still supported belong here",
                )


@rule("api-layers-exist")
def api_layers_exist(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    packages = {p.id for p in ds.packages}
    for fw in ds.frameworks:
        for i, pid in enumerate(fw.api_layers):
            if pid not in packages:
                yield _error(
                    ds,
                    _fw_key(fw.id),
                    ("api_layers", i),
                    f"no package `{pid}` in data/packages.yaml",
                    "fix the id, or add the package to data/packages.yaml",
                )


@rule("packages-are-used")
def packages_are_used(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    used = {p for fw in ds.frameworks for f in fw.facts.values() for p in f.plugins}
    used |= {p for fw in ds.frameworks for p in fw.api_layers}
    for i, pkg in enumerate(ds.packages):
        if pkg.id not in used:
            yield _error(
                ds,
                "packages",
                ("packages", i, "id"),
                f"package `{pkg.id}` is not named by any fact",
                "remove it, or name it in a fact's `plugins`",
            )


@rule("packages-name-known-frameworks")
def packages_name_known_frameworks(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    known = [f.id for f in ds.frameworks]
    for i, pkg in enumerate(ds.packages):
        for j, fw_id in enumerate(pkg.for_):
            if fw_id not in known:
                yield _error(
                    ds,
                    "packages",
                    ("packages", i, "for", j),
                    f"no framework `{fw_id}`",
                    f"use one of: {', '.join(known)}",
                )


@rule("use-case-weights-support-criteria")
def use_case_weights(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    kinds = {c.id: c.kind for c in ds.criteria}
    for i, uc in enumerate(ds.use_cases):
        for crit_id in uc.weights:
            path = ("use_cases", i, "weights", crit_id)
            if crit_id not in kinds:
                yield _error(
                    ds, "use_cases", path, f"no criterion `{crit_id}`", "use an id from data/criteria.yaml", at_key=True
                )
            elif kinds[crit_id] != "support":
                yield _error(
                    ds,
                    "use_cases",
                    path,
                    f"criterion `{crit_id}` is kind: info and cannot be weighted",
                    "weight a kind: support criterion instead",
                    at_key=True,
                )


@rule("package-status-sourced")
def package_status_sourced(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    for i, pkg in enumerate(ds.packages):
        path = ("packages", i)
        if pkg.status != "unknown" and not pkg.status_source:
            yield _error(
                ds,
                "packages",
                path + ("status",),
                f"status `{pkg.status}` has no `status_source`",
                "add the URL of the page that shows it (the README at the release tag, release notes), "
                "or set status: unknown",
            )
        if pkg.status not in ("active", "unknown") and not pkg.status_note:
            yield _error(
                ds,
                "packages",
                path + ("status",),
                f"status `{pkg.status}` has no `status_note`",
                "say in one sentence what the source says (e.g. security fixes only)",
            )
        if pkg.checked > today:
            yield _error(
                ds,
                "packages",
                path + ("checked",),
                f"{pkg.checked} is in the future",
                f"use the day you checked the package (today is {today})",
            )
        if (pkg.latest_release is None) != (pkg.released is None):
            yield _error(
                ds,
                "packages",
                path,
                "`latest_release` and `released` go together",
                "give both the version and its upload date on PyPI, or neither",
            )
        elif pkg.released is not None and pkg.released > pkg.checked:
            yield _error(
                ds,
                "packages",
                path + ("released",),
                f"released {pkg.released}, after it was checked",
                f"the release date cannot be later than `checked` ({pkg.checked})",
            )


def _use_case_ids(ds: Dataset) -> list[str]:
    return [u.id for u in ds.use_cases]


@rule("decision-references-exist")
def decision_references_exist(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    presets = _use_case_ids(ds)
    kinds = {c.id: c.kind for c in ds.criteria}
    frameworks = [f.id for f in ds.frameworks]
    for j, preset in enumerate(ds.decision.defaults.presets):
        if preset not in presets:
            yield _error(
                ds,
                "decision",
                ("defaults", "presets", j),
                f"no use case `{preset}`",
                f"use an id from data/use_cases.yaml: {', '.join(presets)}",
            )
    seen: set[str] = set()
    for i, q in enumerate(ds.decision.questions):
        path = ("questions", i)
        if q.id in seen:
            yield _error(
                ds, "decision", path + ("id",), f"question id `{q.id}` is used twice", "give each question its own id"
            )
        seen.add(q.id)
        if not q.presets and not q.weights:
            yield _error(
                ds,
                "decision",
                path,
                f"question `{q.id}` changes nothing",
                "give it `presets: [use-case-id]` or `weights: {criterion-id: 1..3}`",
                at_key=True,
            )
        for j, preset in enumerate(q.presets):
            if preset not in presets:
                yield _error(
                    ds,
                    "decision",
                    path + ("presets", j),
                    f"no use case `{preset}`",
                    "use an id from data/use_cases.yaml",
                )
        for crit_id in q.weights:
            if kinds.get(crit_id) != "support":
                what = "no criterion" if crit_id not in kinds else "a kind: info criterion, which cannot be weighted:"
                yield _error(
                    ds,
                    "decision",
                    path + ("weights", crit_id),
                    f"{what} `{crit_id}`",
                    "weight a kind: support criterion from data/criteria.yaml",
                    at_key=True,
                )
    tasks = {t.id for t in ds.tasks}
    for i, combo in enumerate(ds.decision.together):
        path = ("together", i)
        for j, fw_id in enumerate(combo.frameworks):
            if fw_id not in frameworks:
                yield _error(
                    ds,
                    "decision",
                    path + ("frameworks", j),
                    f"no framework `{fw_id}`",
                    f"use one of: {', '.join(frameworks)}",
                )
        if len(set(combo.frameworks)) != len(combo.frameworks):
            yield _error(
                ds,
                "decision",
                path + ("frameworks",),
                "a framework is listed twice",
                "list two or more different frameworks",
            )
        if not (ds.root / "docs" / combo.page).is_file():
            yield _error(
                ds,
                "decision",
                path + ("page",),
                f"no page docs/{combo.page}",
                "name a page under docs/, e.g. hybrid.md",
            )
        if combo.task is not None and combo.task not in tasks:
            yield _error(ds, "decision", path + ("task",), f"no task `{combo.task}`", "use an id from data/tasks/")
    seen_pairs: set[frozenset[str]] = set()
    for i, pair in enumerate(ds.decision.pairs):
        for j, fw_id in enumerate(pair):
            if fw_id not in frameworks:
                yield _error(
                    ds, "decision", ("pairs", i, j), f"no framework `{fw_id}`", f"use one of: {', '.join(frameworks)}"
                )
        if pair[0] == pair[1]:
            yield _error(ds, "decision", ("pairs", i), "a pair of one framework", "name two different frameworks")
        elif frozenset(pair) in seen_pairs:
            yield _error(ds, "decision", ("pairs", i), "this pair is listed twice", "remove one of them")
        seen_pairs.add(frozenset(pair))


@rule("claims-reference-known-ids")
def claims_reference_known_ids(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    categories = [c.id for c in ds.categories]
    criteria = {c.id for c in ds.criteria}
    frameworks = [f.id for f in ds.frameworks]
    for i, claim in enumerate(ds.claims):
        if claim.topic not in categories:
            yield _error(
                ds,
                "claims",
                ("claims", i, "topic"),
                f"unknown topic `{claim.topic}`",
                f"use a category id: {', '.join(categories)}",
            )
        for j, fw_id in enumerate(claim.frameworks):
            if fw_id not in frameworks:
                yield _error(
                    ds,
                    "claims",
                    ("claims", i, "frameworks", j),
                    f"no framework `{fw_id}`",
                    f"use one of: {', '.join(frameworks)}",
                )
        for j, crit_id in enumerate(claim.criteria):
            if crit_id not in criteria:
                yield _error(
                    ds,
                    "claims",
                    ("claims", i, "criteria", j),
                    f"no criterion `{crit_id}`",
                    "use an id from data/criteria.yaml",
                )


def _task_key(task_id: str) -> str:
    return f"task:{task_id}"


@rule("task-id-matches-file")
def task_id_matches_file(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    for task in ds.tasks:
        stem = ds.files[_task_key(task.id)].rsplit("/", 1)[-1].removesuffix(".yaml")
        if stem != task.id:
            yield _error(
                ds,
                _task_key(task.id),
                ("id",),
                f"id `{task.id}` does not match the file name `{stem}.yaml`",
                f"rename the file to `{task.id}.yaml` or set `id: {stem}`",
            )


@rule("task-references-exist")
def task_references_exist(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    criteria = {c.id for c in ds.criteria}
    frameworks = [f.id for f in ds.frameworks]
    for task in ds.tasks:
        key = _task_key(task.id)
        for i, crit_id in enumerate(task.criteria):
            if crit_id not in criteria:
                yield _error(ds, key, ("criteria", i), f"no criterion `{crit_id}`", "use an id from data/criteria.yaml")
        seen: set[str] = set()
        for i, sample in enumerate(task.samples):
            if sample.framework not in frameworks:
                yield _error(
                    ds,
                    key,
                    ("samples", i, "framework"),
                    f"no framework `{sample.framework}`",
                    f"use one of: {', '.join(frameworks)}",
                )
            elif sample.framework in seen:
                yield _error(
                    ds,
                    key,
                    ("samples", i, "framework"),
                    f"a second sample for `{sample.framework}`",
                    "keep one sample per framework; list more files under `files`",
                )
            seen.add(sample.framework)
        if not (ds.root / task.test).is_file():
            yield _error(
                ds,
                key,
                ("test",),
                f"the test file `{task.test}` does not exist",
                "point `test:` at the black-box test that runs every sample",
            )


def _sections(text: str) -> set[str]:
    starts = set(re.findall(r"--8<-- \[start:([a-z0-9-_]+)\]", text))
    ends = set(re.findall(r"--8<-- \[end:([a-z0-9-_]+)\]", text))
    return starts & ends


@rule("sample-files-exist")
def sample_files_exist(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    for task in ds.tasks:
        for i, sample in enumerate(task.samples):
            for j, file in enumerate(sample.files):
                path = ("samples", i, "files", j)
                target = ds.root / file.path
                if not file.path.startswith("samples/") or ".." in file.path.split("/"):
                    yield _error(
                        ds,
                        _task_key(task.id),
                        path + ("path",),
                        f"`{file.path}` is not under samples/",
                        "samples live in samples/<task>/...; give the path from the repository root",
                    )
                elif not target.is_file():
                    yield _error(
                        ds,
                        _task_key(task.id),
                        path + ("path",),
                        f"no file `{file.path}`",
                        "fix the path (relative to the repository root) or add the file",
                    )
                elif file.section and file.section not in _sections(target.read_text(encoding="utf-8")):
                    yield _error(
                        ds,
                        _task_key(task.id),
                        path + ("section",),
                        f"`{file.path}` has no section `{file.section}`",
                        f"mark it with `# --8<-- [start:{file.section}]` and `# --8<-- [end:{file.section}]`",
                    )


@rule("tested-by-names-a-sample")
def tested_by_names_a_sample(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    tasks = {t.id: t for t in ds.tasks}
    for fw in ds.frameworks:
        for crit_id, fact in fw.facts.items():
            for i, task_id in enumerate(fact.tested_by):
                path = ("facts", crit_id, "tested_by", i)
                if task_id not in tasks:
                    yield _error(
                        ds,
                        _fw_key(fw.id),
                        path,
                        f"no task `{task_id}` in data/tasks/",
                        "use the id of a task whose sample shows this fact",
                    )
                elif fw.id not in {s.framework for s in tasks[task_id].samples}:
                    yield _error(
                        ds,
                        _fw_key(fw.id),
                        path,
                        f"task `{task_id}` has no {fw.name} sample",
                        "cite a task with a sample for this framework",
                    )


@rule("benchmark-references-exist")
def benchmark_references_exist(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    frameworks = {f.id for f in ds.frameworks}
    for run in ds.benchmarks:
        key = f"benchmark:{run.id}"
        stem = ds.files[key].rsplit("/", 1)[-1].removesuffix(".yaml")
        if stem != run.id:
            yield _error(
                ds,
                key,
                ("id",),
                f"id `{run.id}` does not match the file name `{stem}.yaml`",
                f"rename the file to `{run.id}.yaml` or set `id: {stem}`",
            )
        if run.date > today:
            yield _error(ds, key, ("date",), f"{run.date} is in the future", "use the day the run was made")
        stacks = {s.id: s for s in run.stacks}
        for i, stack in enumerate(run.stacks):
            if stack.framework not in frameworks:
                yield _error(
                    ds,
                    key,
                    ("stacks", i, "framework"),
                    f"no framework `{stack.framework}`",
                    "use an id from data/frameworks/",
                )
        for i, result in enumerate(run.results):
            listed = stacks.get(result.stack)
            if listed is None:
                yield _error(
                    ds,
                    key,
                    ("results", i, "stack"),
                    f"no stack `{result.stack}` in `stacks`",
                    "list the stack under `stacks` or fix the id",
                )
            elif (result.framework, result.variant, result.server, result.cls) != (
                listed.framework,
                listed.variant,
                listed.server,
                listed.cls,
            ):
                yield _error(
                    ds,
                    key,
                    ("results", i),
                    f"framework, variant, server or class differ from stack `{listed.id}`",
                    "a result must repeat its stack's framework, variant, server and class",
                )
            if result.failed is None:
                missing = [f for f in MEASURED_FIELDS if getattr(result, f) is None]
                if result.peak_rss_mb is None and result.memory_mb is None:
                    missing.append("memory_mb")
                if missing:
                    yield _error(
                        ds,
                        key,
                        ("results", i),
                        f"a measured result needs {', '.join(missing)}",
                        "add the measurements, or mark the result `failed: <reason>`",
                    )
        yield from _findings_like_with_like(ds, key, run, stacks)


MEASURED_FIELDS = ("requests_per_second", "latency_ms", "errors", "non_2xx", "runs", "spread")
FINDING_DIMENSIONS = {"framework": "api", "handler": "handler", "server": "server", "class": "cls"}


def _findings_like_with_like(ds: Dataset, key: str, run: BenchmarkRun, stacks: dict[str, Stack]) -> Iterator[DataError]:
    """A finding's two stacks exist, were measured on its workload and concurrency, and differ in
    exactly the one thing it names (framework/API layer, handler, server or class)."""
    measured = {(r.stack, r.workload, r.concurrency) for r in run.results if r.failed is None}
    for i, f in enumerate(run.findings or ()):
        a, b = stacks.get(f.faster), stacks.get(f.slower)
        if a is None or b is None:
            yield _error(
                ds,
                key,
                ("findings", i),
                f"no stack `{f.faster if a is None else f.slower}` in `stacks`",
                "a finding names two listed stacks",
            )
            continue
        pair = (a, b)
        if any(getattr(x, d) is None for x in pair for d in FINDING_DIMENSIONS.values()):
            yield _error(
                ds,
                key,
                ("findings", i),
                "a finding's stacks need class, api and handler",
                "findings exist only for runs with configuration classes",
            )
            continue
        differ = [name for name, attr in FINDING_DIMENSIONS.items() if getattr(a, attr) != getattr(b, attr)]
        if differ != [f.differs_in]:
            yield _error(
                ds,
                key,
                ("findings", i),
                f"`{a.id}` and `{b.id}` differ in {', '.join(differ) or 'nothing'}, not only in {f.differs_in}",
                "compare stacks that differ in exactly one thing",
            )
        elif f.differs_in != "server" and a.worker_model != b.worker_model:
            yield _error(
                ds,
                key,
                ("findings", i),
                f"`{a.id}` and `{b.id}` run different worker models",
                "compare stacks on the same server and worker model",
            )
        for s in pair:
            if (s.id, f.workload, f.concurrency) not in measured:
                yield _error(
                    ds,
                    key,
                    ("findings", i),
                    f"`{s.id}` has no measured `{f.workload}` result at concurrency {f.concurrency}",
                    "a finding compares two measured results",
                )


@rule("measured-in-names-a-workload")
def measured_in_names_a_workload(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    measured = {(r.workload, r.framework) for run in ds.benchmarks[:1] for r in run.results if r.failed is None}
    for fw in ds.frameworks:
        for crit_id, fact in fw.facts.items():
            for i, workload in enumerate(fact.measured_in):
                if (workload, fw.id) not in measured:
                    yield _error(
                        ds,
                        _fw_key(fw.id),
                        ("facts", crit_id, "measured_in", i),
                        f"the newest benchmark run has no `{workload}` result for {fw.name}",
                        "use a workload id from data/benchmarks/ (json, upstream-io, sse, ...) or remove it",
                    )


@rule("probes-name-facts")
def probes_name_facts(ds: Dataset, today: dt.date) -> Iterator[DataError]:
    frameworks = [f.id for f in ds.frameworks]
    criteria = {c.id for c in ds.criteria}
    seen: dict[tuple[str, str], int] = {}
    for p in ds.probes:
        where = f"{p.function}"
        if p.framework not in frameworks:
            yield DataError(
                p.file,
                p.name_line,
                p.column,
                where,
                f"probe `{p.name}` names no framework `{p.framework}`",
                f"use a framework id from data/frameworks/: {', '.join(frameworks)}",
            )
        elif p.criterion not in criteria:
            yield DataError(
                p.file,
                p.name_line,
                p.column,
                where,
                f"probe `{p.name}` names no criterion `{p.criterion}`",
                "use a criterion id from data/criteria.yaml",
            )
        key = (p.file, p.function)
        if seen.get(key) == p.line:
            yield DataError(
                p.file,
                p.name_line,
                p.column,
                where,
                "one test is marked as the probe of two facts",
                "write one probe per fact, so a failure names the one fact to revisit",
            )
        elif key in seen:
            yield DataError(
                p.file,
                p.line,
                1,
                where,
                f"`{p.function}` is defined twice in this file",
                "give each probe its own function name (pytest runs only the last one)",
            )
        seen[key] = p.line


def check(ds: Dataset, today: dt.date) -> list[DataError]:
    """Run every rule; return all errors found."""
    return [error for _, fn in RULES for error in fn(ds, today)]
