"""Typed models of every data file; their JSON Schemas (data/schemas/) are generated from these.

The models check shape and types. Rules that need more than one value (ids that must exist, a cell per
criterion, dates not in the future) live in `macros/rules.py`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

Id = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="lower-case words joined by hyphens")]
Text = Annotated[str, Field(min_length=1)]
Token = Literal["yes", "partial", "plugin", "no", "unknown"]
TOKENS: tuple[str, ...] = Token.__args__  # type: ignore[attr-defined]
Verdict = Literal["true", "partly", "false", "unsupported", "opinion"]
PackageStatus = Literal["active", "maintenance", "deprecated", "archived", "unknown"]
PACKAGE_STATUSES: tuple[str, ...] = PackageStatus.__args__  # type: ignore[attr-defined]


def _https_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme != "https":
        raise ValueError("must be an https:// URL")
    if "." not in parts.netloc or " " in value or parts.netloc.startswith("."):
        raise ValueError("is not a well-formed URL (expected https://host.tld/path)")
    return value


HttpsUrl = Annotated[str, AfterValidator(_https_url), Field(pattern=r"^https://[^\s/]+\.[^\s]+$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- criteria.yaml ----------------------------------------------------------------------------------
class Category(_Model):
    id: Id
    name: Text
    description: Text


class Criterion(_Model):
    id: Id
    name: Text
    category: Id = Field(description="a category id from the same file")
    kind: Literal["support", "info"] = Field(
        description="support: the value is a token and can be weighted; info: a plain value, never scored"
    )
    question: Text = Field(description="the question a reader asks, in their words")
    yes: str | None = Field(default=None, description="kind support only: what a framework must offer for `yes`")


class CriteriaFile(_Model):
    categories: list[Category] = Field(min_length=1)
    criteria: list[Criterion] = Field(min_length=1)


# --- packages.yaml ----------------------------------------------------------------------------------
class Package(_Model):
    id: Id
    name: Text
    pypi: HttpsUrl
    repo: HttpsUrl | None = None
    for_: list[Id] = Field(alias="for", min_length=1, description="framework ids this package is used with")
    status: PackageStatus = Field(
        description=(
            "active: a release in the last 12 months and no word that only fixes are taken; maintenance: the "
            "maintainers take only fixes or name a successor, or no release for 12 months; deprecated: the "
            "maintainers say use something else; archived: the repository is read-only; unknown: not established"
        )
    )
    status_source: HttpsUrl | None = Field(
        default=None, description="the page that shows the status; required unless unknown"
    )
    status_note: str | None = Field(default=None, max_length=300, description="what the source says, in our words")
    latest_release: Text | None = Field(
        default=None, description="the newest release on PyPI when checked (final, unless there has never been one)"
    )
    released: dt.date | None = Field(default=None, description="the upload date of latest_release")
    checked: dt.date = Field(description="the day the status and release were checked")


class PackagesFile(_Model):
    packages: list[Package]


# --- frameworks/<id>.yaml ---------------------------------------------------------------------------
class Since(_Model):
    """The release that brought the capability a fact describes."""

    version: Text = Field(description='the first release with it, e.g. "0.135.0" or "6.0"')
    date: dt.date = Field(description="that release's date")
    source: HttpsUrl = Field(description="its release notes, or a file at its release tag, that say so")


class Fact(_Model):
    """One cell: one framework against one criterion."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "allOf": [
                {
                    "if": {"properties": {"value": {"const": "plugin"}}},
                    "then": {"required": ["plugins"], "properties": {"plugins": {"minItems": 1}}},
                },
                {
                    "if": {"properties": {"value": {"not": {"const": "unknown"}}}},
                    "then": {"properties": {"sources": {"minItems": 1}}},
                },
            ]
        },
    )

    value: Text = Field(
        description="yes | partial | plugin | no | unknown for kind support; a plain value for kind info"
    )
    plugins: list[Id] = Field(default_factory=list, description="ids from packages.yaml; required when value is plugin")
    summary: Text = Field(max_length=300, description="one short sentence in our own words")
    notes: str | None = Field(default=None, description="optional caveats; `code` is the only markup")
    sources: list[HttpsUrl] = Field(description="pages that show the fact; at least one unless the value is unknown")
    verified: dt.date = Field(description="the day the sources were checked")
    version: Text = Field(description="the framework version the fact was checked against")
    tested_by: list[Id] = Field(
        default_factory=list, description="task ids whose sample for this framework demonstrates the fact by running"
    )
    measured_in: list[Id] = Field(
        default_factory=list, description="benchmark workload ids (bench/) whose measurements bear on this fact"
    )
    since: Since | None = Field(default=None, description="optional: the release that brought the capability")


class Links(_Model):
    home: HttpsUrl
    docs: HttpsUrl
    repo: HttpsUrl
    pypi: HttpsUrl


YearMonth = Annotated[
    str, Field(pattern=r"^[0-9]{4}-[0-9]{2}$", description="YYYY-MM, when the project gives only a month")
]


class SupportedRelease(_Model):
    """A release series that still gets fixes, with the end of its support as its project publishes it."""

    release: Text = Field(description='the release series or version, e.g. "5.2" or "0.165.0"')
    lts: bool = Field(default=False, description="true when the project labels it long-term support")
    upcoming: bool = Field(default=False, description="true for a planned release that is not out yet")
    released: dt.date | None = Field(default=None, description="its first release's date, when known")
    until: dt.date | YearMonth | None = Field(
        default=None,
        description="the last day (YYYY-MM-DD) or month (YYYY-MM) of any support; leave out when none is published",
    )
    note: Text | None = Field(default=None, description="what the support covers, or why there is no end date")
    source: HttpsUrl = Field(description="the project's own page that gives the support window")


class Framework(_Model):
    id: Id
    name: Text
    description: Text = Field(max_length=400)
    links: Links
    version: Text = Field(description="the release the facts were checked against")
    api_layers: list[Id] = Field(
        default_factory=list, description="package ids that serve as this framework's API layers"
    )
    extends: Id | None = Field(
        default=None,
        description="a layer on a host framework (e.g. `django`): `facts` then holds only the criteria where the "
        "layer differs from its host; every other fact is inherited and shown as the host's",
    )
    facts: dict[str, Fact] = Field(
        description="one fact per criterion id from criteria.yaml (a layer: only the facts where it differs)"
    )
    supported: list[SupportedRelease] = Field(
        default_factory=list, description="optional: the releases still supported, oldest first, with their end dates"
    )


# --- use_cases.yaml ---------------------------------------------------------------------------------
Weight = Annotated[int, Field(ge=1, le=3, description="1 nice to have, 2 important, 3 essential")]


class UseCase(_Model):
    id: Id
    title: Text
    scenario: Text = Field(description="what is being built, in one or two sentences")
    weights: dict[str, Weight] = Field(min_length=3, description="criterion id -> weight; support criteria only")
    caveat: str | None = Field(default=None, description="what the computed verdict cannot see")


class UseCasesFile(_Model):
    use_cases: list[UseCase] = Field(min_length=1)


# --- decision.yaml ---------------------------------------------------------------------------------
Percent = Annotated[int, Field(ge=0, le=100, multiple_of=5, description="a share of 100, in steps of 5")]


class ValueWorth(_Model):
    """What each value token earns of a criterion's weight, in percent."""

    yes: Percent
    plugin: Percent
    partial: Percent
    no: Percent
    unknown: Percent


class StatusWorth(_Model):
    """How much of the `plugin` worth a companion package keeps, by its status, in percent."""

    active: Percent
    maintenance: Percent
    deprecated: Percent
    archived: Percent
    unknown: Percent


class Scoring(_Model):
    values: ValueWorth
    package_status: StatusWorth
    close_call: int = Field(ge=0, le=50, description="points out of 100: a smaller gap is reported as a close call")


class Question(_Model):
    id: Id
    ask: Text = Field(description="the question, in plain words, answered yes or no")
    need: Text = Field(max_length=60, description="a short name for the need a yes adds, e.g. Streaming to a browser")
    presets: list[Id] = Field(default_factory=list, description="use-case ids whose weights a yes adds")
    weights: dict[str, Weight] = Field(default_factory=dict, description="criterion id -> weight a yes adds")


class Together(_Model):
    frameworks: list[Id] = Field(min_length=2, description="framework ids that can run as one application")
    how: Text = Field(description="how the work is split, in one sentence")
    page: RepoPath = Field(description="the docs page that explains the combination, relative to docs/")
    task: Id | None = Field(default=None, description="the task whose running sample shows the combination")


class Defaults(_Model):
    presets: list[Id] = Field(min_length=1, description="use-case ids the decision page starts with: the common case")


class DecisionFile(_Model):
    scoring: Scoring
    defaults: Defaults
    questions: list[Question] = Field(min_length=1)
    together: list[Together] = Field(default_factory=list)
    pairs: list[Annotated[list[Id], Field(min_length=2, max_length=2)]] = Field(
        default_factory=list,
        description="the pairs readers compare most, each with a page of its own (compare/<a>-vs-<b>.md): [a, b]",
    )


# --- claims.yaml ------------------------------------------------------------------------------------
class Claim(_Model):
    id: Id
    topic: Id = Field(description="a category id from criteria.yaml")
    frameworks: list[Id] = Field(min_length=1)
    claim: Text = Field(description="the claim, paraphrased in our words")
    seen_in: int = Field(ge=1, le=5, description="in how many of the five reviewed articles it appears")
    verdict: Verdict
    explanation: Text
    criteria: list[Id] = Field(default_factory=list)
    sources: list[HttpsUrl] = Field(default_factory=list)
    verified: dt.date


class ClaimsFile(_Model):
    claims: list[Claim] = Field(min_length=1)


# --- tasks/<id>.yaml -------------------------------------------------------------------------------
RepoPath = Annotated[
    str, Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_./-]*$", description="a path relative to the repository root")
]


class SampleFile(_Model):
    path: RepoPath = Field(description="a file under samples/")
    section: Id | None = Field(default=None, description="the snippets section to show (`# --8<-- [start:NAME]`)")


class Sample(_Model):
    framework: Id
    flavour: Text = Field(description="how the sample is written, e.g. Django Ninja or Django async views")
    companions: list[str] = Field(default_factory=list, description="PyPI names of the extra packages it needs")
    follows: list[HttpsUrl] = Field(
        default_factory=list, description="the documentation pages whose approach the sample follows"
    )
    files: list[SampleFile] = Field(min_length=1)


class Task(_Model):
    id: Id
    title: Text
    order: int = Field(ge=1)
    shows: Text = Field(description="what the task demonstrates")
    notice: list[Text] = Field(min_length=1, description="what to notice when comparing the samples")
    criteria: list[Id] = Field(default_factory=list, description="criteria this task is evidence for")
    spec: Text = Field(description="the behaviour the black-box test checks in every sample")
    test: RepoPath = Field(description="the black-box test that runs every sample")
    samples: list[Sample] = Field(min_length=2)


# --- benchmarks/<date>-<label>.yaml -----------------------------------------------------------------
Number = Annotated[float, Field(ge=0)]


class Machine(_Model):
    cpu: Text = Field(description="/proc/cpuinfo's model name")
    cores: int = Field(ge=1)
    memory_gb: Number
    os: Text
    python: Text
    kernel: Text | None = Field(default=None, description="release and build of the running kernel")
    python_build: Text | None = Field(default=None, description="sys.version of the interpreter the stacks ran on")


class Thresholds(_Model):
    max_steal_pct: Number = Field(description="a run with more steal on the server CPU is re-run or dropped")
    max_foreign_cpu_pct: Number = Field(description="... or with more of the server CPU used by other processes")
    unstable_spread_pct: Number = Field(description="an entry whose (max - min) / median exceeds this is flagged")


class Method(_Model):
    duration_s: Number
    warmup_s: Number
    runs: int = Field(ge=1)
    max_reruns: int | None = Field(default=None, ge=0, description="extra runs allowed per entry for noisy runs")
    pinning: Text
    thresholds: Thresholds | None = None
    notes: str | None = None


ClassName = Literal["stock", "tuned"]
Handler = Literal["async", "sync"]


class Stack(_Model):
    id: Id
    framework: Id
    variant: Id
    server: Text
    workers: int = Field(ge=1)
    command: Text
    cls: ClassName | None = Field(
        default=None, alias="class", description="configuration class (absent before classes)"
    )
    api: Id | None = Field(default=None, description="what a framework finding compares: fastapi, django, ninja, drf")
    handler: Handler | None = None
    worker_model: Text | None = None


class Percentiles(_Model):
    p50: Number
    p90: Number
    p99: Number | None = Field(description="null when the entry is saturated: latencies cut off at the run length")


class Spread(_Model):
    min_rps: Number
    max_rps: Number
    pct: Number | None = Field(default=None, description="(max - min) / median of the accepted runs, in percent")


class Load(_Model):
    before: Number
    after: Number


class Memory(_Model):
    idle_pss: Number = Field(description="MiB of PSS summed over the server's processes right after start-up")
    peak_pss: Number = Field(description="the highest such sum while the workload ran")


class RunValue(_Model):
    rps: Number
    p50_ms: Number
    p99_ms: Number
    errors: int = Field(ge=0)
    non_2xx: int = Field(ge=0)
    ttft_p50_ms: Number | None = None
    load1: Number
    steal_pct: Number
    server_cpu_pct: Number = Field(description="CPU the server's processes got over the run; 100 = one core")
    foreign_cpu_pct: Number = Field(description="server CPU time used by other processes")
    accepted: bool = Field(description="false: above a noise threshold, not in the median")


class BenchmarkResult(_Model):
    """One stack x workload x concurrency: measured, or `failed` with the reason."""

    workload: Id
    stack: Id
    framework: Id
    server: Text
    variant: Id
    cls: ClassName | None = Field(default=None, alias="class")
    concurrency: int = Field(ge=1)
    failed: Text | None = Field(default=None, description="why this stack could not do this workload")
    requests_per_second: Number | None = None
    ci95: tuple[Number, Number] | None = Field(default=None, description="95% bootstrap interval of the median rate")
    latency_ms: Percentiles | None = None
    errors: int | None = Field(default=None, ge=0)
    non_2xx: int | None = Field(default=None, ge=0)
    peak_rss_mb: Number | None = Field(default=None, description="old format: summed VmRSS")
    memory_mb: Memory | None = None
    startup_s: Number | None = Field(default=None, description="process start to the first answered request")
    runs: int | None = Field(default=None, ge=1)
    dropped_runs: int | None = Field(default=None, ge=0)
    spread: Spread | None = None
    unstable: bool | None = Field(default=None, description="spread above the threshold")
    noisy: bool | None = Field(default=None, description="no run passed the noise thresholds")
    saturated: str | None = Field(default=None, description="why the server could not keep up; no p99 then")
    rps_per_server_cpu_s: Number | None = None
    ttft_ms: Percentiles | None = Field(default=None, description="sse workload: time to first token")
    stream_ms: Percentiles | None = Field(default=None, description="sse workload: time to the last token")
    load: Load | None = Field(default=None, description="old format: the load average before and after")
    run_values: list[RunValue] | None = Field(default=None, description="every measured run, dropped ones too")


class Finding(_Model):
    """Two stacks that differ in exactly one thing, on one workload and concurrency."""

    differs_in: Literal["framework", "handler", "server", "class"]
    workload: Id
    concurrency: int = Field(ge=1)
    cls: ClassName | None = Field(alias="class", description="the class both stacks share (null: they differ in it)")
    server: Text | None = Field(description="the server both share (null: they differ in it)")
    faster: Id
    slower: Id
    ratio: Number = Field(description="median rate of `faster` / median rate of `slower`")
    ci95: tuple[Number, Number]
    saturated: bool = Field(description="either entry saturated")


class ThreadHops(_Model):
    app: Id
    cls: ClassName = Field(alias="class")
    failed: Text | None = None
    hops_per_request: Number | None = None
    new_executors_per_request: Number | None = None
    new_threads_per_request: Number | None = None
    cpu_us_per_request: Number | None = None
    requests: int | None = Field(default=None, ge=1)


class BenchmarkRun(_Model):
    """One full run of the harness in bench/, as written by `make bench`."""

    id: Id
    date: dt.date
    commit: Text | None = Field(default=None, description="git HEAD of the harness (-dirty: uncommitted changes)")
    machine: Machine
    versions: dict[str, str] = Field(description="package -> version, read from the installed packages")
    method: Method
    classes: dict[ClassName, Text] | None = Field(default=None, description="what each configuration class means")
    commands: list[Text] = Field(min_length=1)
    stacks: list[Stack] = Field(min_length=1)
    results: list[BenchmarkResult] = Field(min_length=1)
    findings: list[Finding] | None = Field(default=None, description="absent in runs made before classes")
    thread_hops: list[ThreadHops] | None = None


FILE_MODELS: dict[str, type[_Model]] = {
    "criteria": CriteriaFile,
    "packages": PackagesFile,
    "framework": Framework,
    "use-cases": UseCasesFile,
    "decision": DecisionFile,
    "claims": ClaimsFile,
    "task": Task,
    "benchmark": BenchmarkRun,
}
