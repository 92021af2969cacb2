"""Load every data file, check it against its model, then against the rules; return one Dataset.

All problems of a stage are collected and raised together as DataErrors, so a contributor fixes them in
one pass. Rules run only once every file has the right shape (otherwise one broken file would cascade
into dozens of follow-on errors).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import BaseModel, ValidationError

from macros import paths
from macros.errors import DataError, DataErrors
from macros.models import (
    BenchmarkRun,
    Category,
    Claim,
    ClaimsFile,
    CriteriaFile,
    Criterion,
    DecisionFile,
    Fact,
    Framework,
    Package,
    PackagesFile,
    Task,
    UseCase,
    UseCasesFile,
)
from macros.probes import Probe, discover
from macros.yaml_source import Position, SourceMap, dotted, load_yaml


@dataclass(frozen=True)
class Dataset:
    categories: tuple[Category, ...]
    criteria: tuple[Criterion, ...]
    packages: tuple[Package, ...]
    frameworks: tuple[Framework, ...]
    use_cases: tuple[UseCase, ...]
    claims: tuple[Claim, ...]
    decision: DecisionFile
    tasks: tuple[Task, ...] = ()
    benchmarks: tuple[BenchmarkRun, ...] = ()  # newest first
    root: Path = paths.ROOT  # the repository the data belongs to (sample files are read from it)
    files: dict[str, str] = field(default_factory=dict)  # "framework:<id>", "criteria", ... -> display path
    maps: dict[str, SourceMap] = field(default_factory=dict)  # display path -> its source map
    probes: tuple[Probe, ...] = ()  # tests/probes: each names the fact it shows (macros/probes.py)
    # layers (`extends`): framework id -> {criterion id: the framework whose file holds the inherited fact}.
    # After loading, every framework's `facts` holds all criteria; this says which ones a layer inherited.
    inherited: dict[str, dict[str, str]] = field(default_factory=dict)

    def criterion(self, criterion_id: str) -> Criterion:
        return next(c for c in self.criteria if c.id == criterion_id)

    def framework(self, framework_id: str) -> Framework:
        return next(f for f in self.frameworks if f.id == framework_id)

    def package(self, package_id: str) -> Package:
        return next(p for p in self.packages if p.id == package_id)

    def category(self, category_id: str) -> Category:
        return next(c for c in self.categories if c.id == category_id)

    def use_case(self, use_case_id: str) -> UseCase:
        return next(u for u in self.use_cases if u.id == use_case_id)

    def task(self, task_id: str) -> Task:
        return next(t for t in self.tasks if t.id == task_id)

    def fact(self, framework_id: str, criterion_id: str) -> Fact:
        return self.framework(framework_id).facts[criterion_id]

    def probes_for(self, framework_id: str, criterion_id: str) -> tuple[Probe, ...]:
        return tuple(p for p in self.probes if (p.framework, p.criterion) == (framework_id, criterion_id))

    def origin(self, framework_id: str, criterion_id: str) -> str:
        """The framework whose file holds this fact: the framework itself, or the host a layer inherits from."""
        return self.inherited.get(framework_id, {}).get(criterion_id, framework_id)

    def fact_location(self, framework_id: str, criterion_id: str) -> tuple[str, Position]:
        """The file and position where a fact is written (for 'edit this fact' links)."""
        file = self.files[f"framework:{self.origin(framework_id, criterion_id)}"]
        return file, self.maps[file].key(("facts", criterion_id))


def resolve_layers(ds: Dataset) -> Dataset:
    """Give every layer (`extends`) its host's facts where it states none; remember which ones it inherited.

    Rules have checked that every host exists and no layers loop (rules.layers_extend_a_framework)."""
    by_id = {f.id: f for f in ds.frameworks}
    resolved: dict[str, Framework] = {}
    inherited: dict[str, dict[str, str]] = {}

    def resolve(fw: Framework) -> Framework:
        if fw.id in resolved:
            return resolved[fw.id]
        if fw.extends is None:
            resolved[fw.id] = fw
            return fw
        host = resolve(by_id[fw.extends])
        origin = {c: inherited.get(host.id, {}).get(c, host.id) for c in host.facts if c not in fw.facts}
        facts = {c.id: fw.facts[c.id] if c.id in fw.facts else host.facts[c.id] for c in ds.criteria}
        inherited[fw.id] = origin
        resolved[fw.id] = fw.model_copy(update={"facts": facts})
        return resolved[fw.id]

    frameworks = tuple(resolve(f) for f in ds.frameworks)
    return replace(ds, frameworks=frameworks, inherited=inherited)


def _schema_errors(exc: ValidationError, smap: SourceMap) -> list[DataError]:
    errors = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        kind = err["type"]
        name = loc[-1] if loc else ""
        got = err.get("input")
        pos = smap.value(loc)
        ctx = err.get("ctx") or {}
        if kind == "missing":
            pos = smap.value(loc[:-1])
            msg, fix = f"required field `{name}` is missing", f"add `{name}:` here"
        elif kind == "extra_forbidden":
            pos = smap.key(loc)
            msg, fix = (
                f"unknown field `{name}`",
                "remove it or correct its spelling (the schema on line 1 lists the fields)",
            )
        elif kind == "literal_error":
            msg, fix = f"`{got}` is not an allowed value", f"use one of: {ctx.get('expected', '')}"
        elif kind == "string_type":
            msg, fix = f"must be text, not {type(got).__name__} `{got}`", f'put it in quotes: "{got}"'
        elif kind.startswith("date"):
            msg, fix = f"`{got}` is not a date", "write the date as YYYY-MM-DD, e.g. 2026-11-22"
        elif kind == "string_pattern_mismatch" and str(ctx.get("pattern", "")).startswith("^https"):
            msg, fix = f"`{got}` is not an https URL", "use the full https:// address of the page"
        elif kind == "string_pattern_mismatch":
            msg, fix = (
                f"`{got}` is not a valid id",
                "use lower-case letters and digits joined by hyphens, e.g. `django-ninja`",
            )
        elif kind == "value_error":
            msg, fix = (
                f"`{got}` {str(err['msg']).removeprefix('Value error, ')}",
                "use the full https:// address of the page",
            )
        elif kind == "too_short":
            msg, fix = f"needs at least {ctx.get('min_length')} item(s)", "add the missing entries"
        elif kind == "string_too_short":
            msg, fix = "must not be empty", "write the text or remove the field if it is optional"
        elif kind == "string_too_long":
            msg, fix = (
                f"is too long ({len(str(got))} characters, at most {ctx.get('max_length')})",
                "shorten it; put details in `notes`",
            )
        elif kind in ("int_type", "int_parsing", "int_from_float"):
            msg, fix = f"`{got}` is not a whole number", "write a whole number"
        elif kind in ("less_than_equal", "greater_than_equal"):
            lo_hi = ctx.get("le", ctx.get("ge"))
            msg, fix = f"`{got}` is out of range", f"the limit is {lo_hi}"
        elif kind in ("model_type", "dict_type", "model_attributes_type"):
            msg, fix = (
                f"must be a mapping of `key: value` lines, not {type(got).__name__}",
                "indent the fields under this key",
            )
        elif kind == "list_type":
            msg, fix = (
                f"must be a list, not {type(got).__name__}",
                "write it as `[a, b]` or as lines starting with `- `",
            )
        else:
            msg, fix = str(err["msg"]), "see the schema named on the file's first line"
        errors.append(DataError(smap.file, pos.line, pos.column, dotted(loc), msg, fix))
    return errors


def _read[M: BaseModel](
    path: Path, model: type[M], root: Path, errors: list[DataError], maps: dict[str, SourceMap]
) -> M | None:
    name = paths.display(path, root)
    try:
        raw, smap = load_yaml(path, name)
    except DataError as exc:
        errors.append(exc)
        return None
    maps[name] = smap
    if not isinstance(raw, dict):
        errors.append(
            DataError(
                name,
                1,
                1,
                "(top level)",
                "the file must hold a mapping of fields",
                "start with the fields the schema on line 1 describes",
            )
        )
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        errors.extend(_schema_errors(exc, smap))
        return None


def load_dataset(data_dir: Path = paths.DATA, today: dt.date | None = None) -> Dataset:
    """Read and check everything under data_dir; raise DataErrors listing every problem found."""
    from macros import rules  # rules need Dataset; imported here to keep the module graph acyclic

    root = data_dir.parent
    errors: list[DataError] = []
    maps: dict[str, SourceMap] = {}
    files: dict[str, str] = {}
    criteria = _read(data_dir / "criteria.yaml", CriteriaFile, root, errors, maps)
    packages = _read(data_dir / "packages.yaml", PackagesFile, root, errors, maps)
    use_cases = _read(data_dir / "use_cases.yaml", UseCasesFile, root, errors, maps)
    claims = _read(data_dir / "claims.yaml", ClaimsFile, root, errors, maps)
    decision = _read(data_dir / "decision.yaml", DecisionFile, root, errors, maps)
    for key, path in (
        ("criteria", "criteria.yaml"),
        ("packages", "packages.yaml"),
        ("use_cases", "use_cases.yaml"),
        ("claims", "claims.yaml"),
        ("decision", "decision.yaml"),
    ):
        files[key] = paths.display(data_dir / path, root)

    def read_folder[F: (Framework, Task, BenchmarkRun)](folder: str, model: type[F], kind: str) -> list[F]:
        """Every <folder>/*.yaml as `model`; files[f"{kind}:{id}"] remembers where each one came from."""
        items: list[F] = []
        for path in sorted((data_dir / folder).glob("*.yaml")):
            item = _read(path, model, root, errors, maps)
            if item is not None:
                items.append(item)
                files[f"{kind}:{item.id}"] = paths.display(path, root)
        return items

    if not any((data_dir / "frameworks").glob("*.yaml")):
        errors.append(
            DataError(
                paths.display(data_dir / "frameworks", root),
                1,
                1,
                "(folder)",
                "no framework files found",
                "add data/frameworks/<id>.yaml",
            )
        )
    frameworks: list[Framework] = read_folder("frameworks", Framework, "framework")
    tasks: list[Task] = read_folder("tasks", Task, "task")
    benchmarks: list[BenchmarkRun] = read_folder("benchmarks", BenchmarkRun, "benchmark")
    probes, probe_errors = discover(root)
    errors.extend(probe_errors)
    if errors:
        raise DataErrors(errors)
    # _read reports every file it returns None for, so without errors every file was read.
    assert criteria is not None and packages is not None and use_cases is not None
    assert claims is not None and decision is not None
    dataset = Dataset(
        categories=tuple(criteria.categories),
        criteria=tuple(criteria.criteria),
        packages=tuple(packages.packages),
        frameworks=tuple(sorted(frameworks, key=lambda f: f.id)),
        use_cases=tuple(use_cases.use_cases),
        claims=tuple(claims.claims),
        decision=decision,
        tasks=tuple(sorted(tasks, key=lambda t: (t.order, t.id))),
        benchmarks=tuple(sorted(benchmarks, key=lambda b: (b.date, b.id), reverse=True)),
        root=root,
        files=files,
        maps=maps,
        probes=probes,
    )
    errors = rules.check(dataset, today or dt.date.today())
    if errors:
        raise DataErrors(errors)
    return resolve_layers(dataset)
