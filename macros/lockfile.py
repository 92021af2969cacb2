"""Versions pinned in requirements.lock, so pages state what the samples actually run on."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from macros import paths

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


def normalise(name: str) -> str:
    """PEP 503 name normalisation: Django, django_ninja and django.ninja all match."""
    return re.sub(r"[-_.]+", "-", name).lower()


@lru_cache(maxsize=4)
def pinned_versions(lock_file: Path = paths.ROOT / "requirements.lock") -> dict[str, str]:
    text = lock_file.read_text(encoding="utf-8") if lock_file.is_file() else ""
    return {normalise(name): version for name, version in _PIN.findall(text)}


def version_of(package: str, lock_file: Path = paths.ROOT / "requirements.lock") -> str | None:
    return pinned_versions(lock_file).get(normalise(package))
