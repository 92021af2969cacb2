"""View models: what each block shows, computed from the Dataset, free of HTML."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from macros.dataset import Dataset
from macros.models import Category, Claim, Criterion, Fact, Framework, Package
from macros.scoring import Score, score_all
from macros.tokens import TOKEN_INFO, TokenInfo


@dataclass(frozen=True)
class Source:
    url: str
    host: str
    page: str  # the last path segment (and fragment), to tell two pages on one host apart


def source(url: str) -> Source:
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    page = segments[-1] if segments else ""
    if parts.fragment:
        page = f"{page}#{parts.fragment}" if page else f"#{parts.fragment}"
    return Source(url, parts.netloc.removeprefix("www."), page)


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
    tested_by: tuple = ()  # tasks whose running sample demonstrates this fact


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
    return Cell(
        framework=fw, criterion=crit, fact=fact,
        token=TOKEN_INFO[fact.value] if crit.kind == "support" else None,
        plugins=tuple(ds.package(p) for p in fact.plugins),
        sources=tuple(source(u) for u in fact.sources),
        file=file, line=pos.line,
        tested_by=tuple(ds.task(t) for t in fact.tested_by),
    )


def groups(ds: Dataset, category_ids: list[str] | None = None, criterion_ids: list[str] | None = None) -> tuple[Group, ...]:
    """Criteria grouped by category, in data order, optionally filtered."""
    out = []
    for cat in ds.categories:
        if category_ids and cat.id not in category_ids:
            continue
        rows = tuple(Row(c, tuple(cell(ds, fw, c) for fw in ds.frameworks))
                     for c in ds.criteria if c.category == cat.id and (not criterion_ids or c.id in criterion_ids))
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


def strengths(ds: Dataset, framework_id: str) -> tuple[Distinction, ...]:
    """Criteria where this framework scores strictly higher than every other framework."""
    fw = ds.framework(framework_id)
    others = [f for f in ds.frameworks if f.id != framework_id]
    out = []
    for crit in ds.criteria:
        if crit.kind != "support":
            continue
        mine = TOKEN_INFO[fw.facts[crit.id].value].score
        if others and all(mine > TOKEN_INFO[o.facts[crit.id].value].score for o in others):
            out.append(Distinction(crit, cell(ds, fw, crit), tuple(cell(ds, o, crit) for o in others)))
    return tuple(out)


@dataclass(frozen=True)
class UseCaseView:
    score: Score
    winners: tuple[Framework, ...]
    drivers: tuple[tuple[Criterion, int, tuple[Cell, ...]], ...]  # criterion, weight, one cell per framework


def use_case_views(ds: Dataset) -> tuple[UseCaseView, ...]:
    out = []
    for s in score_all(ds):
        drivers = tuple((ds.criterion(c.criterion_id), c.weight,
                         tuple(cell(ds, fw, ds.criterion(c.criterion_id)) for fw in ds.frameworks))
                        for c in s.drivers())
        out.append(UseCaseView(s, tuple(ds.framework(f) for f in s.best), drivers))
    return tuple(out)


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


def task_samples(ds: Dataset, task) -> tuple[SampleView, ...]:  # noqa: ANN001 - a models.Task
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
                shown = shown[start + 1:end]
            lines += sum(1 for line in shown if line.strip() and "--8<--" not in line)
        packages = [_pypi_name(fw), *sample.companions]
        runs_on = {p: v for p in packages if (v := version_of(p)) is not None}
        out.append(SampleView(fw, sample.flavour, tuple(f.path for f in sample.files),
                              tuple(f.section for f in sample.files), lines, runs_on))
    return tuple(out)


# --- benchmarks ------------------------------------------------------------------------------------
WORKLOAD_TITLES = {
    "json": "Small JSON response",
    "validated-post": "Validated JSON POST",
    "upstream-io": "Awaiting a 50 ms upstream (I/O-bound)",
    "sse": "Streaming 20 tokens as server-sent events",
    "cpu-inference": "About 5 ms of Python CPU work (CPU-bound)",
    "db-read": "Reading rows through the ORM (SQLite)",
}


@dataclass(frozen=True)
class Bar:
    label: str
    framework: Framework
    value: float
    low: float
    high: float
    result: object  # models.BenchmarkResult


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

    @property
    def anchor(self) -> str:
        return f"bench-{self.workload}-{self.metric.replace(' ', '-')}-c{self.concurrency}"


def _stack_label(result) -> str:  # noqa: ANN001
    return f"{result.variant} ({result.server})"


def benchmark_charts(ds: Dataset, run) -> tuple[Chart, ...]:  # noqa: ANN001 - a models.BenchmarkRun
    """One throughput chart per workload and concurrency, plus time-to-first-token for streaming."""
    order = list(WORKLOAD_TITLES) + sorted({r.workload for r in run.results} - set(WORKLOAD_TITLES))
    charts = []
    for workload in order:
        for concurrency in sorted({r.concurrency for r in run.results if r.workload == workload}):
            results = [r for r in run.results if r.workload == workload and r.concurrency == concurrency]
            title = WORKLOAD_TITLES.get(workload, workload)
            bars = sorted((Bar(_stack_label(r), ds.framework(r.framework), r.requests_per_second,
                               r.spread.min_rps, r.spread.max_rps, r) for r in results), key=lambda b: -b.value)
            charts.append(Chart(workload, title, concurrency, "requests per second", "req/s", "higher", tuple(bars),
                                max(b.high for b in bars) or 1.0))
            streamed = [r for r in results if r.ttft_ms is not None]
            if streamed:
                bars = sorted((Bar(_stack_label(r), ds.framework(r.framework), r.ttft_ms.p50, r.ttft_ms.p50,
                                   r.ttft_ms.p99, r) for r in streamed), key=lambda b: b.value)
                charts.append(Chart(workload, title, concurrency, "time to first token", "ms", "lower",
                                    tuple(bars), max(b.high for b in bars) or 1.0))
    return tuple(charts)
