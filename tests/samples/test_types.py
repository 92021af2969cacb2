"""The samples pass `mypy --strict` (samples/mypy.ini lists the exemptions, each for a framework idiom that
defeats the checker). Each app folder is checked on its own: every task has its own `fastapi_app` and
`django_app`, so one run over all of them would see the same module name thirteen times."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from macros import paths

SAMPLES = paths.ROOT / "samples"
APPS = sorted(p for p in SAMPLES.glob("*/*_app") if p.is_dir())


def test_every_sample_app_is_checked():
    assert len(APPS) >= 26 and {p.name for p in APPS} == {"fastapi_app", "django_app"}


@pytest.mark.parametrize("app", APPS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_sample_passes_mypy_strict(app, tmp_path):
    env = {**os.environ, "MYPYPATH": f"{SAMPLES}{os.pathsep}{SAMPLES / '_shared'}"}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(SAMPLES / "mypy.ini"),
            "--cache-dir",
            str(paths.ROOT / ".mypy_cache" / "samples"),
            app.name,
        ],
        cwd=app.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, f"mypy on samples/{app.parent.name}/{app.name}:\n{run.stdout}{run.stderr}"
