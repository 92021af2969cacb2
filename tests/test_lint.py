"""`make lint` (the first step of `make test`) fails on a lint error, a format error and a type error.

Each error is introduced in a scratch copy of macros/ with the project's pyproject.toml, and the tools the
Makefile's lint target runs are run on it, as the target runs them. A few seconds."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CLEAN = "macros/paths.py"  # small, and clean under every check


def _lint_recipe() -> str:
    makefile = (REPO / "Makefile").read_text()
    return re.search(r"^lint:.*?\n((?:\t.*\n|#.*\n)+)", makefile, re.M).group(1)


def test_make_test_runs_lint_and_lint_runs_every_check():
    makefile = (REPO / "Makefile").read_text()
    test_recipe = re.search(r"^test:.*?\n((?:\t.*\n)+)", makefile, re.M).group(1)
    assert test_recipe.splitlines()[0].strip().endswith("lint"), "make test must run lint before anything else"
    recipe = _lint_recipe()
    for command in ("ruff check .", "ruff format --check .", "mypy", "node --check"):
        assert command in recipe, command


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "macros", tmp_path / "macros", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _run(scratch: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=scratch, capture_output=True, text=True, timeout=120)


def test_the_scratch_copy_starts_clean(scratch):
    assert _run(scratch, "ruff", "check", CLEAN).returncode == 0
    assert _run(scratch, "mypy", CLEAN).returncode == 0


def test_a_lint_error_fails(scratch):
    with (scratch / CLEAN).open("a") as f:
        f.write("\n\ndef unused_variable() -> None:\n    answer = 42\n")
    result = _run(scratch, "ruff", "check", CLEAN)
    assert result.returncode == 1
    assert "F841 Local variable `answer` is assigned to but never used" in result.stdout, result.stdout


def test_a_format_error_fails(scratch):
    (scratch / "macros" / "untidy.py").write_text("x = {  'a':1 }\n")
    result = _run(scratch, "ruff", "format", "--check", "macros/untidy.py")
    assert result.returncode == 1
    assert "unformatted: File would be reformatted" in result.stdout, result.stdout
    assert '+ x = {"a": 1}' in result.stdout, result.stdout


def test_a_type_error_fails(scratch):
    with (scratch / CLEAN).open("a") as f:
        f.write('\n\ndef count() -> int:\n    return "three"\n')
    result = _run(scratch, "mypy", CLEAN)
    assert result.returncode == 1
    assert 'error: Incompatible return value type (got "str", expected "int")  [return-value]' in result.stdout


def test_an_untyped_function_fails_under_strict(scratch):
    with (scratch / CLEAN).open("a") as f:
        f.write("\n\ndef untyped(x):\n    return x\n")
    result = _run(scratch, "mypy", CLEAN)
    assert result.returncode == 1
    assert "error: Function is missing a type annotation  [no-untyped-def]" in result.stdout, result.stdout


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node (apt-get install nodejs)")
def test_a_browser_script_syntax_error_fails(tmp_path):
    script = tmp_path / "broken.js"
    script.write_text((REPO / "docs/javascripts/claims.js").read_text() + "\nfunction (\n")
    result = subprocess.run(["node", "--check", str(script)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "SyntaxError" in result.stderr
