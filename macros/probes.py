"""Fact probes: small tests in tests/probes/ that show a fact on the pinned versions.

A probe is a test function decorated with `@probe("framework/criterion")`. The decorator is the only link
between the probe and its fact: the validator finds probes by reading the files (with `ast`, so validating
and building never import a framework), checks that each one names a fact that exists, and the cell of that
fact shows "Checked by code" with a link to the probe. When a probe fails, its message names the fact to
revisit, with the value the data gives and the version installed now.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from macros.errors import DataError

FOLDER = "tests/probes"  # relative to the repository root
NAME = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)/([a-z0-9]+(?:-[a-z0-9]+)*)$")


@dataclass(frozen=True, order=True)
class Probe:
    framework: str
    criterion: str
    file: str  # relative to the repository root, e.g. tests/probes/test_probes_fastapi.py
    line: int  # the line of the test function's `def`
    column: int  # where the name string starts (for errors)
    function: str
    name_line: int

    @property
    def name(self) -> str:
        return f"{self.framework}/{self.criterion}"


def _decorator_names(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.expr]:
    """The first argument of every `@probe(...)` on a function (also `@probes.probe(...)`)."""
    out = []
    for deco in node.decorator_list:
        if isinstance(deco, ast.Call):
            target = deco.func
            called = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", None)
            if called == "probe":
                out.append(deco.args[0] if deco.args else deco)
    return out


def discover(root: Path) -> tuple[tuple[Probe, ...], list[DataError]]:
    """Every probe under root/tests/probes, and the problems that keep a probe from counting."""
    probes: list[Probe] = []
    errors: list[DataError] = []
    folder = root / FOLDER
    if not folder.is_dir():
        return (), errors
    for path in sorted(folder.glob("*.py")):
        file = path.relative_to(root).as_posix()
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=file)
        except SyntaxError as exc:
            errors.append(
                DataError(
                    file,
                    exc.lineno or 1,
                    exc.offset or 1,
                    "(probe file)",
                    f"not valid Python: {exc.msg}",
                    "fix the syntax; probes are read before they run",
                )
            )
            continue
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for arg in _decorator_names(node):
                where = f"{node.name}"
                if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                    errors.append(
                        DataError(
                            file,
                            arg.lineno,
                            arg.col_offset + 1,
                            where,
                            "the probe's name is not written as a string",
                            'write the fact it proves as text, e.g. @probe("fastapi/wsgi")',
                        )
                    )
                    continue
                match = NAME.fullmatch(arg.value)
                if not match:
                    errors.append(
                        DataError(
                            file,
                            arg.lineno,
                            arg.col_offset + 1,
                            where,
                            f"`{arg.value}` does not name a fact",
                            'write framework/criterion with ids from data/, e.g. "django/async-orm"',
                        )
                    )
                    continue
                if not path.name.startswith("test_") or not node.name.startswith("test_"):
                    errors.append(
                        DataError(
                            file,
                            node.lineno,
                            node.col_offset + 1,
                            where,
                            "pytest does not collect this probe, so it never runs",
                            "name the file test_*.py and the function test_*",
                        )
                    )
                    continue
                probes.append(
                    Probe(match.group(1), match.group(2), file, node.lineno, arg.col_offset + 1, node.name, arg.lineno)
                )
    return tuple(sorted(probes)), errors


# --- at test time ------------------------------------------------------------------------------------
def _installed(framework: str, root: Path) -> str:
    from macros.yaml_source import load_yaml

    raw, _ = load_yaml(root / "data" / "frameworks" / f"{framework}.yaml", f"data/frameworks/{framework}.yaml")
    pypi = str(raw.get("links", {}).get("pypi", "")).rstrip("/").rsplit("/", 1)[-1] or framework
    try:
        return metadata.version(pypi)
    except metadata.PackageNotFoundError:
        return "not installed"


def revisit(name: str, problem: BaseException | str, root: Path | None = None) -> str:
    """The failure message of a probe: which fact to revisit, its value, and what the code did."""
    from macros import paths
    from macros.yaml_source import load_yaml

    root = root or paths.ROOT
    framework, criterion = name.split("/", 1)
    file = f"data/frameworks/{framework}.yaml"
    try:
        raw, smap = load_yaml(root / file, file)
        fact = raw["facts"][criterion]
        pos = smap.key(("facts", criterion))
        where = f"{file}:{pos.line}:{pos.column}: facts.{criterion}"
        value, checked = fact.get("value"), fact.get("version")
    except (OSError, KeyError, TypeError, DataError):
        return f"{file}: facts.{criterion}: no such fact, but probe `{name}` names it: {problem}"
    return (
        f"{where}: the probe no longer supports value `{value}` (checked against {checked}; installed: "
        f"{_installed(framework, root)}): {problem} (re-check the fact's value, summary and notes, then the probe)"
    )


class ProbeFailed(AssertionError):
    """A probe's evidence no longer holds; the message says which fact to revisit."""


def probe(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a test as the evidence for one fact, `framework/criterion`."""
    if not NAME.fullmatch(name):
        raise ValueError(f"probe name {name!r} is not framework/criterion")

    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - any failure means the evidence no longer holds
                raise ProbeFailed(revisit(name, f"{type(exc).__name__}: {exc}")) from exc

        run.probe = name  # type: ignore[attr-defined]
        return run

    return mark
