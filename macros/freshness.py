"""Freshness: a fact verified more than 12 months ago, or checked against an older release than its
framework's newest release in the data, "may be out of date". It is a warning, never an error: the page
marks the cell and lists it on the freshness page, and `make validate` prints it.

Pages use the build's date (SOURCE_DATE_EPOCH, the last commit's time under make), so one commit always
builds the same files; the validator uses today.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from macros.dataset import Dataset
from macros.models import Fact, Framework
from macros.rules import _version_tuple

MAX_AGE = dt.timedelta(days=365)


def reference_date() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def reasons(fw: Framework, fact: Fact, today: dt.date) -> tuple[str, ...]:
    """Why a fact may be out of date; empty when it is fresh."""
    out = []
    if today - fact.verified > MAX_AGE:
        out.append(f"verified {fact.verified.isoformat()}, more than 12 months before {today.isoformat()}")
    checked, newest = _version_tuple(fact.version), _version_tuple(fw.version)
    if checked is not None and newest is not None and checked < newest:
        out.append(f"checked against {fw.name} {fact.version}; the data's newest release is {fw.version}")
    return tuple(out)


@dataclass(frozen=True)
class Stale:
    framework: Framework
    criterion_id: str
    file: str
    line: int
    column: int
    reasons: tuple[str, ...]

    def warning(self) -> str:
        return (
            f"{self.file}:{self.line}:{self.column}: facts.{self.criterion_id}: may be out of date: "
            f"{'; '.join(self.reasons)} (re-check the sources against {self.framework.name} "
            f"{self.framework.version}, then set `verified` and `version`)"
        )


def stale_facts(ds: Dataset, today: dt.date) -> tuple[Stale, ...]:
    out = []
    for fw in ds.frameworks:
        for crit in ds.criteria:
            if ds.origin(fw.id, crit.id) != fw.id:
                continue  # a layer's inherited fact: listed once, under its host
            why = reasons(fw, fw.facts[crit.id], today)
            if why:
                file, pos = ds.fact_location(fw.id, crit.id)
                out.append(Stale(fw, crit.id, file, pos.line, pos.column, why))
    return tuple(out)
