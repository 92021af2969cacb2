"""View models: what each block shows, computed from the Dataset, free of HTML."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from macros import freshness
from macros.dataset import Dataset
from macros.models import (
    BenchmarkResult,
    BenchmarkRun,
    Category,
    Claim,
    Criterion,
    Fact,
    Finding,
    Framework,
    Package,
    Since,
    Stack,
    Task,
    UseCase,
)
from macros.probes import Probe
from macros.scoring import Explanation, Flip, Model, Need, Option, Ranking, Settings, Split, Term
from macros.tokens import TOKEN_INFO, TokenInfo


@dataclass(frozen=True)
class Source:
    url: str
    host: str
    page: str  # the last path segment (and fragment), to tell two pages on one host apart
    label: str  # what the link is, in words: "Django docs: topics/async", "GitHub fastapi/fastapi: release 0.135.0"


# Sites that sources point to, by host, as a reader names them; any other host is shown as itself.
SITE_NAMES = {
    "fastapi.tiangolo.com": "FastAPI docs",
    "docs.djangoproject.com": "Django docs",
    "djangoproject.com": "Django project",
    "django-ninja.dev": "Django Ninja docs",
    "django-rest-framework.org": "Django REST framework docs",
    "pypi.org": "PyPI",
    "starlette.dev": "Starlette docs",
    "channels.readthedocs.io": "Channels docs",
    "docs.pydantic.dev": "Pydantic docs",
    "sqlalchemy.org": "SQLAlchemy",
    "docs.sqlalchemy.org": "SQLAlchemy docs",
    "alembic.sqlalchemy.org": "Alembic docs",
    "peps.python.org": "PEP",
    "docs.python.org": "Python docs",
    "docs.celeryq.dev": "Celery docs",
    "strawberry.rocks": "Strawberry docs",
}
_DOC_VERSION = re.compile(r"^(en|dev|stable|latest|\d+(\.\d+)*)$")


def _source_label(host: str, segments: list[str], fragment: str) -> str:
    if host == "pypi.org" and len(segments) >= 2 and segments[0] == "project":
        return f"PyPI: {' '.join(segments[1:3])}"
    if host == "github.com" and len(segments) >= 2:
        site, rest = f"GitHub {segments[0]}/{segments[1]}", segments[2:]
        if rest[:2] == ["releases", "tag"] and len(rest) == 3:
            rest = [f"release {rest[2]}"]
        elif rest[:1] in (["blob"], ["tree"]) and len(rest) >= 3:
            rest = ["/".join(rest[2:]) + f" at {rest[1]}"]
    else:
        site = SITE_NAMES.get(host, host)
        rest = [s for s in segments if not _DOC_VERSION.match(s)]
        rest = [s.removesuffix(".html") for s in rest[-2:]] if rest else []
    page = "/".join(rest)
    if fragment:
        page = f"{page} § {fragment.replace('-', ' ')}" if page else f"§ {fragment.replace('-', ' ')}"
    return f"{site}: {page}" if page else site


def source(url: str) -> Source:
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    host = parts.netloc.removeprefix("www.")
    page = segments[-1] if segments else ""
    if parts.fragment:
        page = f"{page}#{parts.fragment}" if page else f"#{parts.fragment}"
    return Source(url, host, page, _source_label(host, segments, parts.fragment))


@dataclass(frozen=True)
class Cell:
    framework: Framework
    criterion: Criterion
    fact: Fact
    token: TokenInfo | None  # None for kind: info
    plugins: tuple[Package, ...]
    sources: tuple[Source, ...]
    file: str
    line: int
    tested_by: tuple[Task, ...] = ()  # tasks whose running sample demonstrates this fact
    probes: tuple[Probe, ...] = ()  # tests in tests/probes that show this fact on the pinned version
    stale: tuple[str, ...] = ()  # why the fact may be out of date (macros/freshness.py); empty when fresh
    host: Framework | None = None  # a layer's inherited fact: the framework whose file holds it

    @property
    def owner(self) -> Framework:
        """The framework the fact was checked against: the host for an inherited fact."""
        return self.host or self.framework


@dataclass(frozen=True)
class Row:
    criterion: Criterion
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Group:
    category: Category
    rows: tuple[Row, ...]


def row_anchor(criterion_id: str) -> str:
    return f"c-{criterion_id}"


def category_anchor(category_id: str) -> str:
    return f"cat-{category_id}"


def use_case_anchor(use_case_id: str) -> str:
    return f"uc-{use_case_id}"


def claim_anchor(claim_id: str) -> str:
    return f"claim-{claim_id}"


def cell(ds: Dataset, fw: Framework, crit: Criterion) -> Cell:
    fact = fw.facts[crit.id]
    file, pos = ds.fact_location(fw.id, crit.id)
    origin = ds.origin(fw.id, crit.id)
    host = ds.framework(origin) if origin != fw.id else None
    return Cell(
        framework=fw,
        criterion=crit,
        fact=fact,
        token=TOKEN_INFO[fact.value] if crit.kind == "support" else None,
        plugins=tuple(ds.package(p) for p in fact.plugins),
        sources=tuple(source(u) for u in fact.sources),
        file=file,
        line=pos.line,
        tested_by=tuple(ds.task(t) for t in fact.tested_by),
        probes=ds.probes_for(origin, crit.id),
        stale=freshness.reasons(host or fw, fact, freshness.reference_date()),
        host=host,
    )


@dataclass(frozen=True)
class Release:
    """A release and the capabilities the data says it brought (facts with `since`)."""

    version: str
    date: dt.date
    source: str
    criteria: tuple[Criterion, ...]


def releases(ds: Dataset, fw: Framework) -> tuple[Release, ...]:
    """The framework's releases named by `since`, newest first, each with its criteria in data order."""
    by_version: dict[str, tuple[Since, list[Criterion]]] = {}
    for crit in ds.criteria:
        since = fw.facts[crit.id].since
        if since is not None and ds.origin(fw.id, crit.id) == fw.id:  # a layer's inherited facts: the host's releases
            by_version.setdefault(since.version, (since, []))[1].append(crit)

    def key(version: str) -> tuple[int, ...]:
        return tuple(int(p) if p.isdigit() else 0 for p in version.split("."))

    return tuple(
        Release(v, since.date, since.source, tuple(crits))
        for v, (since, crits) in sorted(by_version.items(), key=lambda item: key(item[0]), reverse=True)
    )


_GROUPS: dict[int, tuple[Dataset, tuple[Group, ...]]] = {}


def groups(
    ds: Dataset, category_ids: list[str] | None = None, criterion_ids: list[str] | None = None
) -> tuple[Group, ...]:
    """Criteria grouped by category, in data order, optionally filtered. The unfiltered grouping (every
    framework's cell of every criterion) is built once per dataset: profiles and indexes all ask for it."""
    if not category_ids and not criterion_ids:
        cached = _GROUPS.get(id(ds))
        if cached is None or cached[0] is not ds:
            cached = _GROUPS[id(ds)] = (ds, _groups(ds, None, None))
        return cached[1]
    return _groups(ds, category_ids, criterion_ids)


def groups_for(
    ds: Dataset,
    frameworks: Sequence[Framework],
    category_ids: list[str] | None = None,
    criterion_ids: list[str] | None = None,
) -> tuple[Group, ...]:
    """The same grouping with a cell for each of `frameworks` only, in the order given (a framework's column
    page, the home page's table of a pair)."""

    def row(r: Row) -> Row:
        return Row(r.criterion, tuple(cell(ds, fw, r.criterion) for fw in frameworks))

    return tuple(Group(g.category, tuple(row(r) for r in g.rows)) for g in groups(ds, category_ids, criterion_ids))


def _groups(ds: Dataset, category_ids: list[str] | None, criterion_ids: list[str] | None) -> tuple[Group, ...]:
    out = []
    for cat in ds.categories:
        if category_ids and cat.id not in category_ids:
            continue
        rows = tuple(
            Row(c, tuple(cell(ds, fw, c) for fw in ds.frameworks))
            for c in ds.criteria
            if c.category == cat.id and (not criterion_ids or c.id in criterion_ids)
        )
        if rows:
            out.append(Group(cat, rows))
    return tuple(out)


def tokens_used(groups_: tuple[Group, ...]) -> tuple[TokenInfo, ...]:
    """The legend shows only the tokens that appear in the table (caniuse/MDN practice)."""
    used = {c.token.token for g in groups_ for r in g.rows for c in r.cells if c.token}
    return tuple(t for t in TOKEN_INFO.values() if t.token in used)


@dataclass(frozen=True)
class Distinction:
    """A criterion where one framework has a better value than another."""

    criterion: Criterion
    ours: Cell
    theirs: tuple[Cell, ...]


def model(ds: Dataset) -> Model:
    """The scoring model of a dataset, built once per dataset."""
    cached = _MODELS.get(id(ds))
    if cached is None or cached[0] is not ds:
        cached = _MODELS[id(ds)] = (ds, Model(ds))
    return cached[1]


_MODELS: dict[int, tuple[Dataset, Model]] = {}


def strengths(ds: Dataset, framework_id: str) -> tuple[Distinction, ...]:
    """Criteria where this framework's fact is worth strictly more than every other's, with default scoring."""
    m = model(ds)
    values, status = m.values(Settings()), m.status_shares(Settings())
    fw = ds.framework(framework_id)
    others = [f for f in ds.frameworks if f.id != framework_id]
    out = []
    for crit in m.criteria:
        mine = m.worth(fw.id, crit.id, values, status)
        if others and all(mine > m.worth(o.id, crit.id, values, status) for o in others):
            out.append(Distinction(crit, cell(ds, fw, crit), tuple(cell(ds, o, crit) for o in others)))
    return tuple(out)


WEIGHT_LABELS = ("ignored", "nice to have", "important", "essential")


@dataclass(frozen=True)
class TermView:
    """A weighted criterion with each framework's cell and points (weight x category weight x worth)."""

    term: Term
    criterion: Criterion
    cells: tuple[Cell, ...]
    points: dict[str, float]  # framework id -> points earned
    possible: int


@dataclass(frozen=True)
class OptionView:
    option: Option
    frameworks: tuple[Framework, ...]
    packages: tuple[tuple[Criterion, tuple[Package, ...]], ...]
    gaps: tuple[Criterion, ...]
    together: object | None  # models.Together when the option is several frameworks


@dataclass(frozen=True)
class Decision:
    """Everything a page shows about one set of choices: needs, ranking, explanation, split."""

    settings: Settings
    needs: tuple[Need, ...]
    ranking: Ranking
    explanation: Explanation
    split: Split | None
    split_options: tuple[OptionView, ...]
    terms: tuple[TermView, ...]
    flips: tuple[tuple[Flip, str], ...]  # each flip with its sentence

    def score(self, fw_id: str) -> str:
        return score_text(self.ranking.scores[fw_id])

    @property
    def ranked(self) -> tuple[str, ...]:
        return self.ranking.order


def score_text(value: int) -> str:
    """A score in tenths as the page shows it (the browser formats it the same way)."""
    return f"{value // 10}.{value % 10}"


def names(ds: Dataset, fw_ids: tuple[str, ...]) -> str:
    items = [ds.framework(f).name for f in fw_ids]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def flip_text(ds: Dataset, flip: Flip) -> str:
    """One sentence: who leads after one control moves. The browser builds the same sentence."""
    who = names(ds, flip.top) + (" leads" if len(flip.top) == 1 else " tie for the lead")
    if flip.kind == "weight":
        what = f"{ds.criterion(flip.key).name} weighs {flip.to} ({WEIGHT_LABELS[flip.to]}; now {flip.now})"
    elif flip.kind == "category":
        what = f"the {ds.category(flip.key).name} category weighs {flip.to} (now {flip.now})"
    elif flip.kind == "value":
        what = f"\u201c{TOKEN_INFO[flip.key].label}\u201d is worth {flip.to}% (now {flip.now}%)"
        if flip.key == "plugin" and flip.to == 100:
            what += ": companion packages count as built in"
    else:
        what = f"a package in {flip.key} status keeps {flip.to}% of its worth (now {flip.now}%)"
    return f"{who} if {what}."


def decision(ds: Dataset, settings: Settings) -> Decision:
    m = model(ds)
    ranking = m.rank(settings)
    explanation = m.explain(settings)
    split = m.split(settings)
    terms = tuple(
        TermView(
            t,
            ds.criterion(t.criterion),
            tuple(cell(ds, fw, ds.criterion(t.criterion)) for fw in ds.frameworks),
            {fw: t.weight * t.factor * t.worth[fw] / 10000 for fw in m.frameworks},
            t.weight * t.factor,
        )
        for t in ranking.terms
    )
    together = {tuple(c.frameworks): c for c in ds.decision.together}
    options = tuple(
        OptionView(
            o,
            tuple(ds.framework(f) for f in o.frameworks),
            tuple((ds.criterion(c), tuple(ds.package(p) for p in ps)) for c, ps in o.packages),
            tuple(ds.criterion(c) for c in o.gaps),
            together.get(o.frameworks),
        )
        for o in (split.options if split else ())
    )
    return Decision(
        settings,
        m.needs(settings),
        ranking,
        explanation,
        split,
        options,
        terms,
        tuple((f, flip_text(ds, f)) for f in explanation.flips),
    )


def preset_decisions(ds: Dataset) -> tuple[tuple[UseCase, Decision], ...]:
    """Every use case ranked on its own, with the default scoring; computed once per dataset (six blocks on
    five pages show them, and each decision runs the sensitivity search)."""
    cached = _PRESETS.get(id(ds))
    if cached is None or cached[0] is not ds:
        items = tuple((uc, decision(ds, Settings(presets=(uc.id,)))) for uc in ds.use_cases)
        cached = _PRESETS[id(ds)] = (ds, items)
    return cached[1]


_PRESETS: dict[int, tuple[Dataset, tuple[tuple[UseCase, Decision], ...]]] = {}


def default_decision(ds: Dataset) -> Decision:
    return decision(ds, Settings(presets=tuple(ds.decision.defaults.presets)))


def claims_by_topic(ds: Dataset, topic: str | None = None) -> tuple[tuple[Category, tuple[Claim, ...]], ...]:
    out = []
    for cat in ds.categories:
        if topic and cat.id != topic:
            continue
        items = tuple(c for c in ds.claims if c.topic == cat.id)
        if items:
            out.append((cat, items))
    return tuple(out)


# --- tasks (runnable samples) -----------------------------------------------------------------------
@dataclass(frozen=True)
class SampleView:
    framework: Framework
    flavour: str
    files: tuple[str, ...]
    sections: tuple[str | None, ...]
    lines: int  # non-blank lines shown on the task page: each listed section (or whole file) once, markers excluded
    runs_on: dict[str, str]  # package -> version pinned in the lock file


def _pypi_name(fw: Framework) -> str:
    return [p for p in urlsplit(fw.links.pypi).path.split("/") if p][-1]


def task_samples(ds: Dataset, task: Task) -> tuple[SampleView, ...]:
    """Each sample of a task with its size and the versions it runs on, in framework order."""
    from macros.lockfile import version_of

    out = []
    by_framework = {s.framework: s for s in task.samples}
    for fw in ds.frameworks:
        sample = by_framework.get(fw.id)
        if sample is None:
            continue
        lines = 0
        for path, section in dict.fromkeys((f.path, f.section) for f in sample.files):  # each shown part once
            shown = (ds.root / path).read_text(encoding="utf-8").splitlines()
            if section:  # only what pymdownx.snippets includes: the lines between the section's markers
                start = next(i for i, line in enumerate(shown) if f"--8<-- [start:{section}]" in line)
                end = next(i for i, line in enumerate(shown) if f"--8<-- [end:{section}]" in line)
                shown = shown[start + 1 : end]
            lines += sum(1 for line in shown if line.strip() and "--8<--" not in line)
        packages = [_pypi_name(fw), *sample.companions]
        runs_on = {p: v for p in packages if (v := version_of(p)) is not None}
        out.append(
            SampleView(
                fw,
                sample.flavour,
                tuple(f.path for f in sample.files),
                tuple(f.section for f in sample.files),
                lines,
                runs_on,
            )
        )
    return tuple(out)


# --- benchmarks ------------------------------------------------------------------------------------
WORKLOAD_TITLES = {
    "json": "Small JSON response",
    "validated-post": "Validated JSON POST",
    "upstream-io": "Awaiting a 50 ms upstream (I/O-bound)",
    "sse": "Streaming 20 tokens as server-sent events",
    "cpu-inference": "About 5 ms of Python CPU work (CPU-bound)",
    "db-read": "Reading rows through the ORM (SQLite)",
    "db-read-pg": "Reading rows through the ORM (PostgreSQL)",
}
CLASS_TITLES = {"stock": "Stock configuration", "tuned": "Tuned configuration"}


@dataclass(frozen=True)
class Bar:
    label: str
    framework: Framework
    value: float
    low: float
    high: float
    result: BenchmarkResult


@dataclass(frozen=True)
class Chart:
    workload: str
    title: str
    concurrency: int
    metric: str  # what the bars measure
    unit: str
    better: str  # "higher" or "lower"
    bars: tuple[Bar, ...]
    scale: float  # the value at the right edge
    cls: str | None = None  # the configuration class every bar shares (None: a run from before classes)
    failed: tuple[BenchmarkResult, ...] = ()  # results of this workload, concurrency and class that failed

    @property
    def anchor(self) -> str:
        base = f"bench-{self.workload}-{self.metric.replace(' ', '-')}-c{self.concurrency}"
        return f"{base}-{self.cls}" if self.cls else base

    @property
    def whiskers(self) -> str:
        if self.better == "lower":
            return "lines: median to 99th percentile"
        return (
            "lines: 95% interval of the median"
            if any(b.result.ci95 for b in self.bars)
            else "lines: slowest to fastest run"
        )


def _stack_label(result: BenchmarkResult) -> str:
    return f"{result.variant} ({result.server})"


def _bar(ds: Dataset, r: BenchmarkResult) -> Bar:
    # A measured result has its rate and spread (rules.benchmark_runs checks MEASURED_FIELDS).
    if r.requests_per_second is None:
        raise ValueError(f"result of `{r.stack}` on `{r.workload}` is measured but has no requests_per_second")
    if r.ci95:
        low, high = r.ci95
    elif r.spread is not None:
        low, high = r.spread.min_rps, r.spread.max_rps
    else:
        raise ValueError(f"result of `{r.stack}` on `{r.workload}` is measured but has neither ci95 nor spread")
    return Bar(_stack_label(r), ds.framework(r.framework), r.requests_per_second, low, high, r)


def benchmark_charts(ds: Dataset, run: BenchmarkRun) -> tuple[Chart, ...]:
    """One throughput chart per workload, concurrency and class (never mixing classes), plus
    time-to-first-token for streaming. Failed results are listed with their chart, not drawn."""
    order = list(WORKLOAD_TITLES) + sorted({r.workload for r in run.results} - set(WORKLOAD_TITLES))
    classes: list[str | None] = [c for c in CLASS_TITLES if any(r.cls == c for r in run.results)] or [None]
    charts = []
    for workload in order:
        for concurrency in sorted({r.concurrency for r in run.results if r.workload == workload}):
            for cls in classes:
                here = [
                    r for r in run.results if r.workload == workload and r.concurrency == concurrency and r.cls == cls
                ]
                results = [r for r in here if r.failed is None]
                failed = tuple(r for r in here if r.failed is not None)
                if not here:
                    continue
                title = WORKLOAD_TITLES.get(workload, workload)
                bars = sorted((_bar(ds, r) for r in results), key=lambda b: -b.value)
                charts.append(
                    Chart(
                        workload,
                        title,
                        concurrency,
                        "requests per second",
                        "req/s",
                        "higher",
                        tuple(bars),
                        max((b.high for b in bars), default=0) or 1.0,
                        cls,
                        failed,
                    )
                )
                streamed = [(r, t) for r in results if (t := r.ttft_ms) is not None]
                if streamed:
                    bars = sorted(
                        (
                            Bar(
                                _stack_label(r),
                                ds.framework(r.framework),
                                t.p50,
                                t.p50,
                                t.p99 if t.p99 is not None else t.p50,
                                r,
                            )
                            for r, t in streamed
                        ),
                        key=lambda b: b.value,
                    )
                    charts.append(
                        Chart(
                            workload,
                            title,
                            concurrency,
                            "time to first token",
                            "ms",
                            "lower",
                            tuple(bars),
                            max(b.high for b in bars) or 1.0,
                            cls,
                        )
                    )
    return tuple(charts)


@dataclass(frozen=True)
class FindingView:
    finding: Finding
    faster: Stack
    slower: Stack
    title: str

    @property
    def group(self) -> str:
        return self.finding.cls or "class"


def benchmark_findings(ds: Dataset, run: BenchmarkRun) -> dict[str, list[FindingView]]:
    """The run's findings grouped: one list per class, and "class" for stock-against-tuned pairs.
    Empty for a run from before classes (it has no like-for-like findings)."""
    stacks = {s.id: s for s in run.stacks}
    groups: dict[str, list[FindingView]] = {}
    order = list(WORKLOAD_TITLES)
    for f in sorted(
        run.findings or (),
        key=lambda f: (order.index(f.workload) if f.workload in order else 99, f.concurrency, f.differs_in, -f.ratio),
    ):
        view = FindingView(f, stacks[f.faster], stacks[f.slower], WORKLOAD_TITLES.get(f.workload, f.workload))
        groups.setdefault(view.group, []).append(view)
    return {k: groups[k] for k in [*CLASS_TITLES, "class"] if k in groups}


# --- production page ----------------------------------------------------------------------------------
# The tuned stacks that show how one worker on one core behaves: an event loop (async handlers), the
# same loop handing `def` handlers to its 40-thread pool, and gunicorn's gthread worker with 40 threads.
PRODUCTION_STACKS = (
    "fastapi-async-def-uvicorn-tuned",
    "fastapi-sync-def-uvicorn-tuned",
    "django-async-uvicorn-tuned",
    "django-ninja-uvicorn-tuned",
    "django-sync-gunicorn-tuned",
    "django-drf-gunicorn-tuned",
)
PRODUCTION_COLUMNS = (("upstream-io", 64), ("upstream-io", 256), ("cpu-inference", 64))


@dataclass(frozen=True)
class ProductionRow:
    stack: Stack
    framework: Framework
    cells: tuple[BenchmarkResult | None, ...]  # one per PRODUCTION_COLUMNS
    idle_pss_mb: float | None
    startup_s: float | None


def production_rows(ds: Dataset, run: BenchmarkRun) -> tuple[ProductionRow, ...]:
    """One row per stack of PRODUCTION_STACKS that the run measured: its results for I/O-bound and CPU-bound
    work on one worker, and its idle memory and start-up (from its upstream-io c=64 entry)."""
    stacks = {s.id: s for s in run.stacks}
    found = {(r.stack, r.workload, r.concurrency): r for r in run.results if r.failed is None}
    rows = []
    for sid in PRODUCTION_STACKS:
        if sid not in stacks:
            continue
        cells = tuple(found.get((sid, w, c)) for w, c in PRODUCTION_COLUMNS)
        first = next((c for c in cells if c is not None), None)
        rows.append(
            ProductionRow(
                stacks[sid],
                ds.framework(site_framework(stacks[sid])),
                cells,
                first.memory_mb.idle_pss if first and first.memory_mb else None,
                first.startup_s if first else None,
            )
        )
    return tuple(rows)


# --- pair pages -------------------------------------------------------------------------------------
def site_framework(stack: Stack) -> str:
    """The framework a benchmark stack measures, as the site names it: a Django Ninja or DRF stack is that
    layer's (its `api`), not Django's."""
    layers = {"ninja": "django-ninja", "drf": "drf"}
    return layers.get(stack.api or "", stack.framework)


@dataclass(frozen=True)
class PairOutcome:
    use_case: UseCase
    a: int  # tenths
    b: int
    leader: str | None  # framework id, or None for a close call


@dataclass(frozen=True)
class Pair:
    a: Framework
    b: Framework
    differences: tuple[Row, ...]  # criteria whose value or packages differ, cells (a, b)
    a_better: tuple[Row, ...]  # of those, where a's fact is worth more with default scoring
    b_better: tuple[Row, ...]
    same: int  # criteria with the same value and packages
    outcomes: tuple[PairOutcome, ...]
    tasks: tuple[Task, ...]  # tasks with a sample for both
    findings: tuple[FindingView, ...]  # the newest run's like-for-like pairs of these two frameworks
    run: BenchmarkRun | None
    layer_of: Framework | None  # when one runs inside the other: the host

    def wins(self, fw_id: str) -> tuple[PairOutcome, ...]:
        return tuple(o for o in self.outcomes if o.leader == fw_id)

    @property
    def close(self) -> tuple[PairOutcome, ...]:
        return tuple(o for o in self.outcomes if o.leader is None)


def pair(ds: Dataset, a_id: str, b_id: str) -> Pair:
    a, b = ds.framework(a_id), ds.framework(b_id)
    m = model(ds)
    values, status = m.values(Settings()), m.status_shares(Settings())
    differences, a_better, b_better, same = [], [], [], 0
    for crit in ds.criteria:
        fa, fb = a.facts[crit.id], b.facts[crit.id]
        if (fa.value, fa.plugins) == (fb.value, fb.plugins):
            same += 1
            continue
        row = Row(crit, (cell(ds, a, crit), cell(ds, b, crit)))
        differences.append(row)
        if crit.kind == "support":
            wa, wb = m.worth(a.id, crit.id, values, status), m.worth(b.id, crit.id, values, status)
            if wa > wb:
                a_better.append(row)
            elif wb > wa:
                b_better.append(row)
    close_call = ds.decision.scoring.close_call * 10
    outcomes = []
    for uc in ds.use_cases:
        scores = m.rank(Settings(presets=(uc.id,))).scores
        sa, sb = scores[a.id], scores[b.id]
        leader = None if abs(sa - sb) < close_call else (a.id if sa > sb else b.id)
        outcomes.append(PairOutcome(uc, sa, sb, leader))
    tasks = tuple(t for t in ds.tasks if {a.id, b.id} <= {s.framework for s in t.samples})
    run = ds.benchmarks[0] if ds.benchmarks else None
    findings: list[FindingView] = []
    if run is not None:
        for views_ in benchmark_findings(ds, run).values():
            for v in views_:
                pair_ids = {site_framework(v.faster), site_framework(v.slower)}
                if v.finding.differs_in == "framework" and pair_ids == {a.id, b.id}:
                    findings.append(v)
    host = b if a.extends == b.id else a if b.extends == a.id else None
    return Pair(
        a,
        b,
        tuple(differences),
        tuple(a_better),
        tuple(b_better),
        same,
        tuple(outcomes),
        tasks,
        tuple(findings),
        run,
        host,
    )
