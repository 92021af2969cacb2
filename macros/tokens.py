"""The value tokens of a `kind: support` fact: label, meaning and decision-matrix score."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TokenInfo:
    token: str
    label: str
    symbol: str  # shown next to the label, never instead of it
    meaning: str
    score: float  # used by the decision matrix (0..1)


TOKEN_INFO: dict[str, TokenInfo] = {t.token: t for t in (
    TokenInfo("yes", "Yes", "✔", "Built in and documented by the framework itself.", 1.0),
    TokenInfo("plugin", "Via package", "+", "Available through a maintained companion package, named in the cell.", 0.75),
    TokenInfo("partial", "Partial", "◐", "Built in, but limited in a way the cell states.", 0.5),
    TokenInfo("no", "No", "✘", "Not available in the framework or a maintained companion package.", 0.0),
    TokenInfo("unknown", "Unknown", "?", "Not verified yet; counts as 0 in scores until someone checks it.", 0.0),
)}
