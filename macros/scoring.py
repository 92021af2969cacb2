"""The decision model: the reader's needs and weights in, a ranking that explains itself out.

The same arithmetic runs in the browser (docs/javascripts/decide.js); a browser test makes the two agree
exactly. To make that possible every number is an integer until the last step:

- a value's worth and a package status's share are percents (data/decision.yaml, steps of 5), so a fact
  is worth `value% x status%` (0..10000; the status share applies to `plugin` values only);
- a criterion counts `weight (0..3) x category weight (0..3)` times its fact's worth;
- a score is the points earned over the points possible, in tenths of a point out of 100, rounded half up
  with integer arithmetic (`tenths`), so no float rounding differs between the two runtimes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from macros.dataset import Dataset
from macros.models import PACKAGE_STATUSES

VALUE_ORDER = ("plugin", "partial", "no", "unknown", "yes")  # the order flips of equal distance are listed in
WEIGHTS = range(0, 4)  # a criterion's or a category's weight: 0 ignored, 1 nice to have ... 3 essential
PERCENTS = range(0, 101, 5)  # the steps a value's worth or a status's share can take
DEFAULT_CATEGORY_WEIGHT = 1
FULL = 100 * 100  # the worth of a fact that earns all of its weight


@dataclass(frozen=True)
class Settings:
    """What the reader chose. Empty mappings mean the defaults from data."""

    presets: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()
    weights: Mapping[str, int] = field(default_factory=dict)  # criterion id -> 0..3, overrides the needs
    categories: Mapping[str, int] = field(default_factory=dict)  # category id -> 0..3 (default 1)
    values: Mapping[str, int] = field(default_factory=dict)  # token -> percent
    status: Mapping[str, int] = field(default_factory=dict)  # package status -> percent


@dataclass(frozen=True)
class Need:
    """One thing the product needs: a use case, or a question answered yes that adds weights of its own."""

    id: str
    title: str
    weights: Mapping[str, int]


@dataclass(frozen=True)
class Term:
    """One weighted criterion in a ranking."""

    criterion: str
    weight: int  # the criterion's weight (0..3)
    factor: int  # its category's weight (0..3)
    worth: Mapping[str, int]  # framework id -> worth of its fact, 0..FULL


@dataclass(frozen=True)
class Ranking:
    terms: tuple[Term, ...]
    scores: Mapping[str, int]  # framework id -> tenths of a point out of 100
    order: tuple[str, ...]  # framework ids, best first (ties by framework order in the data)
    close_call: int  # in tenths

    @property
    def top(self) -> tuple[str, ...]:
        """The frameworks with the highest score: one, or several when they tie exactly."""
        best = self.scores[self.order[0]]
        return tuple(f for f in self.order if self.scores[f] == best)

    @property
    def close(self) -> tuple[str, ...]:
        """The frameworks within the close-call margin of the top score."""
        best = self.scores[self.order[0]]
        return tuple(f for f in self.order if best - self.scores[f] < self.close_call)


@dataclass(frozen=True)
class Flip:
    """One change of one control that changes who leads."""

    kind: str  # "weight" (criterion), "category", "value" (token), "status" (package status)
    key: str
    now: int
    to: int
    top: tuple[str, ...]  # who leads after the change


@dataclass(frozen=True)
class Explanation:
    leader: str
    runner_up: str | None
    gap: int  # tenths
    deciding: tuple[Term, ...]  # criteria where the leader earns more than the runner-up, biggest first
    against: tuple[Term, ...]  # criteria where the runner-up earns more
    ties: tuple[Term, ...]  # weighted criteria where both earn the same
    flips: tuple[Flip, ...]


@dataclass(frozen=True)
class Option:
    """A way to build the product: one framework, or several together."""

    frameworks: tuple[str, ...]
    score: int  # tenths
    packages: tuple[tuple[str, tuple[str, ...]], ...]  # (criterion id, its package ids), weighted criteria only
    gaps: tuple[str, ...]  # weighted criteria where it earns less than half


@dataclass(frozen=True)
class Split:
    """Needs whose own leaders differ, and the options that cover them."""

    leaders: tuple[tuple[Need, tuple[str, ...]], ...]  # each need and who leads it alone
    options: tuple[Option, ...]


def tenths(num: int, den: int) -> int:
    """100 * num / den in tenths of a point, rounded half up, in integers (the browser does the same)."""
    return (2000 * num + den) // (2 * den) if den else 0


class Model:
    """The scoring model over one dataset; every method is a pure function of the Settings passed."""

    def __init__(self, ds: Dataset):
        self.ds = ds
        self.frameworks = tuple(fw.id for fw in ds.frameworks)
        self.criteria = tuple(c for c in ds.criteria if c.kind == "support")
        self.category_of = {c.id: c.category for c in self.criteria}
        self.categories = tuple(cat.id for cat in ds.categories if any(c.category == cat.id for c in self.criteria))
        status = {p.id: p.status for p in ds.packages}
        # framework -> criterion -> (token, statuses of the packages the fact names)
        self.facts = {
            fw.id: {
                c.id: (fw.facts[c.id].value, tuple(status[p] for p in fw.facts[c.id].plugins)) for c in self.criteria
            }
            for fw in ds.frameworks
        }
        scoring = ds.decision.scoring
        self.default_values = dict(scoring.values.model_dump())
        self.default_status = dict(scoring.package_status.model_dump())
        self.close_call = scoring.close_call * 10
        self.presets = {u.id: u for u in ds.use_cases}
        self.questions = {q.id: q for q in ds.decision.questions}

    # --- needs and weights ----------------------------------------------------------------------------
    def needs(self, s: Settings) -> tuple[Need, ...]:
        """The presets chosen and the questions answered yes, as needs; a question that names presets
        contributes those presets (once), plus a need of its own when it adds weights."""
        out: dict[str, Need] = {}
        presets = list(s.presets)
        for q_id in s.answers:
            presets += [p for p in self.questions[q_id].presets if p not in presets]
        for p in presets:
            uc = self.presets[p]
            out[p] = Need(p, uc.title, dict(uc.weights))
        for q_id in s.answers:
            q = self.questions[q_id]
            if q.weights:
                out[f"q-{q.id}"] = Need(f"q-{q.id}", q.need, dict(q.weights))
        return tuple(out.values())

    def weights(self, s: Settings) -> dict[str, int]:
        """Each criterion's weight: the highest any need gives it, then the reader's own overrides."""
        merged = {c.id: 0 for c in self.criteria}
        for need in self.needs(s):
            for crit, w in need.weights.items():
                merged[crit] = max(merged[crit], w)
        merged.update({k: v for k, v in s.weights.items() if k in merged})
        return merged

    def category_weights(self, s: Settings) -> dict[str, int]:
        return {cat: s.categories.get(cat, DEFAULT_CATEGORY_WEIGHT) for cat in self.categories}

    def values(self, s: Settings) -> dict[str, int]:
        return {**self.default_values, **{k: v for k, v in s.values.items() if k in self.default_values}}

    def status_shares(self, s: Settings) -> dict[str, int]:
        return {**self.default_status, **{k: v for k, v in s.status.items() if k in self.default_status}}

    def worth(self, fw: str, crit: str, values: Mapping[str, int], status: Mapping[str, int]) -> int:
        token, statuses = self.facts[fw][crit]
        share = max((status[st] for st in statuses), default=100) if token == "plugin" else 100
        return values[token] * share

    # --- ranking ----------------------------------------------------------------------------------------
    def rank(self, s: Settings, weights: Mapping[str, int] | None = None) -> Ranking:
        weights = self.weights(s) if weights is None else weights
        cats = self.category_weights(s)
        values, status = self.values(s), self.status_shares(s)
        terms = tuple(
            Term(
                c.id,
                weights[c.id],
                cats[c.category],
                {fw: self.worth(fw, c.id, values, status) for fw in self.frameworks},
            )
            for c in self.criteria
            if weights.get(c.id, 0) and cats[c.category]
        )
        den = sum(t.weight * t.factor * FULL for t in terms)
        scores = {fw: tenths(sum(t.weight * t.factor * t.worth[fw] for t in terms), den) for fw in self.frameworks}
        order = tuple(sorted(self.frameworks, key=lambda f: (-scores[f], self.frameworks.index(f))))
        return Ranking(terms, scores, order, self.close_call)

    # --- explanation ----------------------------------------------------------------------------------
    def explain(self, s: Settings) -> Explanation:
        ranking = self.rank(s)
        leader = ranking.order[0]
        runner = ranking.order[1] if len(ranking.order) > 1 else None
        deciding: list[Term] = []
        against: list[Term] = []
        ties: list[Term] = []
        for t in ranking.terms:
            diff = t.worth[leader] - (t.worth[runner] if runner else 0)
            (deciding if diff > 0 else against if diff < 0 else ties).append(t)

        def size(t: Term) -> int:
            return abs(t.weight * t.factor * (t.worth[leader] - (t.worth[runner] if runner else 0)))

        order = {c.id: i for i, c in enumerate(self.criteria)}
        deciding.sort(key=lambda t: (-size(t), order[t.criterion]))
        against.sort(key=lambda t: (-size(t), order[t.criterion]))
        gap = ranking.scores[leader] - ranking.scores[runner] if runner else 0
        return Explanation(leader, runner, gap, tuple(deciding), tuple(against), tuple(ties), self.flips(s, ranking))

    def flips(self, s: Settings, ranking: Ranking | None = None) -> tuple[Flip, ...]:
        """For every control, the nearest setting that changes who leads (one control moved at a time)."""
        ranking = ranking or self.rank(s)
        top = ranking.top
        weights = self.weights(s)
        cats = self.category_weights(s)
        values, status = self.values(s), self.status_shares(s)
        found: list[Flip] = []

        def nearest(kind: str, key: str, now: int, steps: Iterable[int], change: Callable[[int], Settings]) -> None:
            for to in sorted((x for x in steps if x != now), key=lambda x: (abs(x - now), x)):
                new_top = self.rank(change(to)).top
                if new_top != top:
                    found.append(Flip(kind, key, now, to, new_top))
                    return

        # Each change is called by `nearest` before the loop moves on; the default binds the key anyway.
        for c in self.criteria:

            def weight(to: int, key: str = c.id) -> Settings:
                return replace(s, weights={**s.weights, key: to})

            nearest("weight", c.id, weights[c.id], WEIGHTS, weight)
        for cat in self.categories:

            def category(to: int, key: str = cat) -> Settings:
                return replace(s, categories={**s.categories, key: to})

            nearest("category", cat, cats[cat], WEIGHTS, category)
        for token in VALUE_ORDER:
            low, high = value_bounds(token, values)

            def value(to: int, key: str = token) -> Settings:
                return replace(s, values={**s.values, key: to})

            nearest("value", token, values[token], [p for p in PERCENTS if low <= p <= high], value)
        for st in PACKAGE_STATUSES:

            def share(to: int, key: str = st) -> Settings:
                return replace(s, status={**s.status, key: to})

            nearest("status", st, status[st], PERCENTS, share)
        kinds = {"weight": 0, "category": 1, "value": 2, "status": 3}
        return tuple(sorted(found, key=lambda f: (_distance(f), kinds[f.kind])))

    # --- split verdicts -------------------------------------------------------------------------------
    def split(self, s: Settings) -> Split | None:
        """When the needs, each ranked alone, are led by different frameworks: the options that cover them."""
        needs = self.needs(s)
        if len(needs) < 2:
            return None
        leaders = tuple((n, self.rank(s, {c.id: n.weights.get(c.id, 0) for c in self.criteria}).top) for n in needs)
        distinct = [fw for fw in self.frameworks if any(fw in top for _, top in leaders)]
        if len(distinct) < 2:
            return None
        ranking = self.rank(s)
        options = [self.option(ranking, (fw,)) for fw in distinct]
        for combo in self.ds.decision.together:
            if set(combo.frameworks) <= set(distinct):
                options.append(self.option(ranking, tuple(combo.frameworks)))
        return Split(leaders, tuple(options))

    def option(self, ranking: Ranking, frameworks: tuple[str, ...]) -> Option:
        """One framework, or several serving one application, each criterion from the best of them."""
        num = den = 0
        packages: list[tuple[str, tuple[str, ...]]] = []
        gaps: list[str] = []
        for t in ranking.terms:
            best = max(frameworks, key=lambda fw: t.worth[fw])
            num += t.weight * t.factor * t.worth[best]
            den += t.weight * t.factor * FULL
            token = self.facts[best][t.criterion][0]
            if token == "plugin":
                packages.append((t.criterion, tuple(self.ds.fact(best, t.criterion).plugins)))
            if 2 * t.worth[best] < FULL:
                gaps.append(t.criterion)
        return Option(frameworks, tenths(num, den), tuple(packages), tuple(gaps))


# The order values keep while the sensitivity search moves one of them: a value is never worth more than a
# better one (yes >= plugin >= partial >= no, and unknown at most partial).
_ABOVE = {"yes": None, "plugin": "yes", "partial": "plugin", "no": "partial", "unknown": "partial"}
_BELOW = {"yes": "plugin", "plugin": "partial", "partial": "no", "no": None, "unknown": None}


def value_bounds(token: str, values: Mapping[str, int]) -> tuple[int, int]:
    """The range a token's worth can move in without passing its neighbours in the order of values."""
    above, below = _ABOVE[token], _BELOW[token]
    return (values[below] if below else 0), (values[above] if above else 100)


def _distance(flip: Flip) -> float:
    """How far a flip is from the current settings: one weight step counts like 25 percentage points."""
    step = 1 if flip.kind in ("weight", "category") else 25
    return abs(flip.to - flip.now) / step


def preset_settings(preset: str) -> Settings:
    return Settings(presets=(preset,))
