"""Shared fixtures: a tiny, valid dataset that tests copy and break on purpose."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from macros.dataset import Dataset, load_dataset

FIXTURE = Path(__file__).parent / "fixtures" / "minimal" / "data"
TODAY = dt.date(2026, 11, 22)


class DataDir:
    """A writable copy of the minimal project (data, samples, tests), with helpers to edit one file."""

    def __init__(self, root: Path):
        self.root = root
        self.path = root / "data"
        shutil.copytree(FIXTURE.parent, root, dirs_exist_ok=True)  # data/ plus the samples/ and tests/ it names

    def edit(self, name: str, old: str, new: str, count: int = 1) -> None:
        file = self.path / name
        text = file.read_text()
        assert old in text, f"{old!r} not in {name}"
        file.write_text(text.replace(old, new, count))

    def write(self, name: str, text: str) -> None:
        (self.path / name).write_text(text)

    def load(self) -> Dataset:
        return load_dataset(self.path, TODAY)


@pytest.fixture
def data_dir(tmp_path: Path) -> DataDir:
    return DataDir(tmp_path)


@pytest.fixture
def minimal() -> Dataset:
    return load_dataset(FIXTURE, TODAY)
