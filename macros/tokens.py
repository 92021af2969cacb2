"""The value tokens of a `kind: support` fact: label and meaning. What each is worth is data (data/decision.yaml)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TokenInfo:
    token: str
    label: str
    symbol: str  # shown next to the label, never instead of it
    meaning: str


TOKEN_INFO: dict[str, TokenInfo] = {
    t.token: t
    for t in (
        TokenInfo("yes", "Yes", "✔", "Built in and documented by the framework itself."),
        TokenInfo(
            "plugin",
            "Via package",
            "+",
            "Available through a companion package, named in the cell with its upkeep status.",
        ),
        TokenInfo("partial", "Partial", "◐", "Built in, but limited in a way the cell states."),
        TokenInfo("no", "No", "✘", "Not available in the framework or a maintained companion package."),
        TokenInfo("unknown", "Unknown", "?", "Not verified yet; earns nothing in scores until someone checks it."),
    )
}
