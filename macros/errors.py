"""The one error type a contributor ever sees: where, what is wrong, how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(order=True, unsafe_hash=True)  # not frozen: raising sets __traceback__ on the instance
class DataError(Exception):
    file: str
    line: int
    column: int
    where: str  # dotted path inside the file, e.g. facts.admin.sources
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.where}: {self.message} ({self.fix})"


class DataErrors(Exception):
    """All problems found in one validation run, sorted by file and position."""

    def __init__(self, errors: list[DataError]):
        self.errors = sorted(set(errors))
        super().__init__(self.report())

    def report(self) -> str:
        n = len(self.errors)
        lines = [str(e) for e in self.errors]
        lines.append(f"{n} problem{'s' if n != 1 else ''} in the data; nothing was built.")
        return "\n".join(lines)
