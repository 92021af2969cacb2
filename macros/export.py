"""The published dataset (site/api/data.json), its JSON Schema, and the editor schemas of data/*.yaml."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from macros import paths
from macros.changes import History, history
from macros.dataset import Dataset
from macros.models import (
    FILE_MODELS,
    BenchmarkRun,
    Category,
    Claim,
    Criterion,
    DecisionFile,
    Framework,
    Links,
    Package,
    Since,
    SupportedRelease,
    Verdict,
)
from macros.scoring import Settings
from macros.tokens import TOKEN_INFO
from macros.views import model, task_samples

# 2: token scores moved to `decision.scoring`; packages carry their status;
# 3: dataset_version, each fact's changed date, since and probes
FORMAT_VERSION = 3


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FrameworkOut(_Out):
    id: str
    name: str
    description: str
    version: str = Field(description="the release the facts were checked against")
    license: str = Field(description="from the framework's `license` fact")
    first_release: str = Field(description="from the framework's `first-release` fact")
    interface: str = Field(description="ASGI, WSGI or both, from the `asgi` and `wsgi` facts")
    links: Links
    api_layers: list[str]
    extends: str | None = Field(description="a layer: the framework it runs inside (its other facts are that one's)")
    supported: list[SupportedRelease] = Field(
        description="the releases still supported, with the end of support as the project publishes it "
        "(YYYY-MM or a date)"
    )
    file: str = Field(description="the data file, relative to the repository root")


class ProbeOut(_Out):
    test: str = Field(description="the pytest id, file::function")
    file: str = Field(description="the probe file, relative to the repository root")
    line: int = Field(description="the line of the test function")


class FactOut(_Out):
    framework: str
    criterion: str
    value: str
    plugins: list[str]
    summary: str
    notes: str | None
    sources: list[str]
    verified: dt.date
    version: str
    tested_by: list[str] = Field(description="task ids whose running sample demonstrates the fact")
    measured_in: list[str] = Field(description="benchmark workload ids whose measurements bear on the fact")
    changed: dt.date | None = Field(
        default=None,
        description="the day the value, summary or sources last changed "
        "(from the repository's history; null outside a git checkout)",
    )
    since: Since | None = Field(default=None, description="the release that brought the capability, when known")
    probes: list[ProbeOut] = Field(
        default_factory=list, description="tests in tests/probes that show the fact on the pinned version"
    )
    inherited_from: str | None = Field(
        default=None,
        description="a layer's fact that it inherits: the id of the framework whose file holds it (null: its own)",
    )


class SampleOut(_Out):
    framework: str
    flavour: str
    path: str = Field(description="the sample's main file, relative to the repository root")
    files: list[str]
    companions: list[str]
    follows: list[str] = Field(description="documentation pages whose approach the sample follows")
    lines: int = Field(description="non-blank lines of the code the task page shows, each shown section once")
    runs_on: dict[str, str] = Field(description="package -> version pinned in requirements.lock")


class TaskOut(_Out):
    id: str
    title: str
    shows: str
    notice: list[str]
    criteria: list[str]
    spec: str
    test: str
    samples: list[SampleOut]


class TokenOut(_Out):
    token: str
    label: str
    meaning: str


class UseCaseOut(_Out):
    id: str
    title: str
    scenario: str
    weights: dict[str, int]
    caveat: str | None
    scores: dict[str, float] = Field(description="framework id -> score out of 100 with the default scoring, computed")
    best: list[str] = Field(description="framework ids within the close-call margin of the top score, computed")


class ClaimOut(Claim):
    verdict: Verdict


class DatasetOut(_Out):
    """The dataset's public format: everything the site shows, validated."""

    model_config = ConfigDict(extra="forbid", title="AI web framework guide dataset")
    format_version: int
    dataset_version: str = Field(
        description="the date and commit of the newest change to data/, e.g. 2026-12-02.ffb5148"
    )
    last_verified: dt.date = Field(description="the most recent `verified` date in the data")
    tokens: list[TokenOut]
    categories: list[Category]
    criteria: list[Criterion]
    frameworks: list[FrameworkOut]
    packages: list[Package]
    facts: list[FactOut]
    use_cases: list[UseCaseOut]
    decision: DecisionFile = Field(description="the scoring model's defaults, the questions and the combinations")
    claims: list[ClaimOut]
    tasks: list[TaskOut]
    benchmarks: list[BenchmarkRun] = Field(description="runs of the harness in bench/, newest first")


def _interface(asgi: str, wsgi: str) -> str:
    both = [name for name, value in (("ASGI", asgi), ("WSGI", wsgi)) if value == "yes"]
    return " and ".join(both) or "unknown"


def _value(fw: Framework, criterion_id: str) -> str:
    fact = fw.facts.get(criterion_id)
    return fact.value if fact else "unknown"


def build_export(ds: Dataset, hist: History | None = None) -> DatasetOut:
    hist = hist if hist is not None else history(ds.root)
    facts = [
        FactOut(
            framework=fw.id,
            criterion=c.id,
            **ds.fact(fw.id, c.id).model_dump(),
            changed=hist.changed(ds.origin(fw.id, c.id), c.id),
            probes=[
                ProbeOut(test=f"{p.file}::{p.function}", file=p.file, line=p.line)
                for p in ds.probes_for(ds.origin(fw.id, c.id), c.id)
            ],
            inherited_from=None if ds.origin(fw.id, c.id) == fw.id else ds.origin(fw.id, c.id),
        )
        for fw in ds.frameworks
        for c in ds.criteria
    ]
    m = model(ds)
    rankings = {uc.id: m.rank(Settings(presets=(uc.id,))) for uc in ds.use_cases}
    return DatasetOut(
        format_version=FORMAT_VERSION,
        dataset_version=hist.version,
        last_verified=max(f.verified for f in facts),
        tokens=[TokenOut(token=t.token, label=t.label, meaning=t.meaning) for t in TOKEN_INFO.values()],
        categories=list(ds.categories),
        criteria=list(ds.criteria),
        packages=list(ds.packages),
        frameworks=[
            FrameworkOut(
                id=fw.id,
                name=fw.name,
                description=fw.description,
                version=fw.version,
                license=_value(fw, "license"),
                first_release=_value(fw, "first-release"),
                interface=_interface(_value(fw, "asgi"), _value(fw, "wsgi")),
                links=fw.links,
                api_layers=fw.api_layers,
                extends=fw.extends,
                supported=fw.supported,
                file=ds.files[f"framework:{fw.id}"],
            )
            for fw in ds.frameworks
        ],
        facts=facts,
        use_cases=[
            UseCaseOut(
                **uc.model_dump(),
                scores={f: v / 10 for f, v in rankings[uc.id].scores.items()},
                best=list(rankings[uc.id].close),
            )
            for uc in ds.use_cases
        ],
        decision=ds.decision,
        claims=[ClaimOut(**c.model_dump()) for c in ds.claims],
        tasks=[
            TaskOut(
                id=t.id,
                title=t.title,
                shows=t.shows,
                notice=t.notice,
                criteria=t.criteria,
                spec=t.spec,
                test=t.test,
                samples=[
                    SampleOut(
                        framework=s.framework,
                        flavour=s.flavour,
                        path=s.files[0].path,
                        files=list(dict.fromkeys(f.path for f in s.files)),
                        companions=s.companions,
                        follows=s.follows,
                        lines=views[s.framework].lines,
                        runs_on=views[s.framework].runs_on,
                    )
                    for s in t.samples
                ],
            )
            for t in ds.tasks
            for views in [{v.framework.id: v for v in task_samples(ds, t)}]
        ],
        benchmarks=list(ds.benchmarks),
    )


def export_json(ds: Dataset, hist: History | None = None) -> str:
    return build_export(ds, hist).model_dump_json(indent=2, by_alias=True) + "\n"


def export_schema() -> str:
    schema = DatasetOut.model_json_schema(by_alias=True, mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def configured_site_url(config: Path = paths.ROOT / "mkdocs.yml") -> str:
    """The site's public URL: $SITE_URL (as `make serve` sets it) or the default written in mkdocs.yml."""
    if os.environ.get("SITE_URL"):
        return os.environ["SITE_URL"]
    match = re.search(r'^site_url: .*"(https?://[^"]+)"', config.read_text(encoding="utf-8"), re.M)
    return match.group(1) if match else "/"


def write_site_api(ds: Dataset, site_dir: Path, site_url: str | None = None) -> list[Path]:
    """Publish in a built site: SITE_DIR/api/data.json, data.schema.json and the change feed changes.atom."""
    from macros.changes import atom

    hist = history(ds.root)
    out = site_dir / paths.SITE_API_DIR
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "data.json", out / "data.schema.json", out / "changes.atom"]
    written[0].write_text(export_json(ds, hist), encoding="utf-8")
    written[1].write_text(export_schema(), encoding="utf-8")
    written[2].write_text(
        atom(
            hist,
            site_url or configured_site_url(),
            {f.id: f.name for f in ds.frameworks},
            {c.id: c.name for c in ds.criteria},
        ),
        encoding="utf-8",
    )
    return written


def editor_schemas(ds: Dataset | None = None) -> dict[str, str]:
    """data/schemas/<kind>.schema.json for each YAML kind; framework facts list the criterion ids."""
    out: dict[str, str] = {}
    for kind, file_model in FILE_MODELS.items():
        schema: dict[str, Any] = file_model.model_json_schema(by_alias=True)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"data file: {kind}"
        if kind == "framework" and ds is not None:
            ids = [c.id for c in ds.criteria]
            schema["properties"]["facts"]["propertyNames"] = {"enum": ids}
            # every criterion, except in a layer (`extends`), which states only where it differs from its host
            schema["if"] = {"required": ["extends"], "properties": {"extends": {"type": "string"}}}
            schema["else"] = {"properties": {"facts": {"required": ids}}}
        out[f"{kind}.schema.json"] = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return out
