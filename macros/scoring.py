"""Decision-matrix arithmetic: weighted scores per use case, a verdict and the facts behind it."""

from __future__ import annotations

from dataclasses import dataclass

from macros.dataset import Dataset
from macros.models import UseCase
from macros.tokens import TOKEN_INFO

CLOSE_CALL = 5.0  # points out of 100: a smaller gap is reported as "either fits"


@dataclass(frozen=True)
class Contribution:
    criterion_id: str
    weight: int
    points: dict[str, float]  # framework id -> weight x token score


@dataclass(frozen=True)
class Score:
    use_case: UseCase
    scores: dict[str, float]  # framework id -> 0..100
    contributions: tuple[Contribution, ...]
    best: tuple[str, ...]  # framework ids; more than one when the gap is within CLOSE_CALL

    def drivers(self, limit: int = 3) -> tuple[Contribution, ...]:
        """The weighted criteria that separate the frameworks most, biggest gap first."""
        spread = [c for c in self.contributions if max(c.points.values()) - min(c.points.values()) > 0]
        spread.sort(key=lambda c: (-(max(c.points.values()) - min(c.points.values())), -c.weight, c.criterion_id))
        return tuple(spread[:limit])


def score_use_case(ds: Dataset, use_case: UseCase, weights: dict[str, int] | None = None) -> Score:
    """Score every framework for a use case; `weights` overrides the use case's own (for what-if views)."""
    weights = weights if weights is not None else use_case.weights
    total = sum(weights.values())
    contributions = []
    for crit_id, weight in weights.items():
        points = {fw.id: weight * TOKEN_INFO[fw.facts[crit_id].value].score for fw in ds.frameworks}
        contributions.append(Contribution(crit_id, weight, points))
    scores = {fw.id: round(100 * sum(c.points[fw.id] for c in contributions) / total, 1) if total else 0.0
              for fw in ds.frameworks}
    top = max(scores.values())
    best = tuple(fw_id for fw_id, s in scores.items() if top - s < CLOSE_CALL)
    return Score(use_case, scores, tuple(contributions), best)


def score_all(ds: Dataset) -> tuple[Score, ...]:
    return tuple(score_use_case(ds, uc) for uc in ds.use_cases)
