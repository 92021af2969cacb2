"""Render blocks of HTML from the Dataset through autoescaping Jinja templates.

Everything that comes from YAML is untrusted text: it is escaped by the templates, and the final HTML is
folded onto one line so that no line of data can start a Markdown construct (a table row, a heading, a
snippet include `--8<--`) when the block is placed in a page.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
from dataclasses import dataclass
from html import escape as html_escape
from html import unescape
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from macros import paths, views
from macros.changes import Change, History
from macros.dataset import Dataset
from macros.tokens import TOKEN_INFO

PAGES = {
    "home": "index.md",
    "comparison": "comparison.md",
    "matrix": "decision-matrix.md",
    "use_cases": "use-cases.md",
    "claims": "claims.md",
    "methodology": "methodology.md",
    "dataset": "dataset.md",
    "decide": "decide.md",
    "criteria": "criteria/index.md",
    "freshness": "freshness.md",
    "changes": "changes.md",
    "benchmarks": "benchmarks.md",
}


def page_url(src: str) -> str:
    """The URL MkDocs gives a page with use_directory_urls (index.md -> its folder)."""
    if src == "index.md":
        return ""
    if src.endswith("/index.md"):
        return src[: -len("index.md")]
    return src[: -len(".md")] + "/"


def source_folder(src: str) -> str:
    """The folder of a page's source file inside docs/, as a URL path: "comparison.md" -> "" (docs/ itself),
    "tasks/index.md" -> "tasks/"."""
    folder = posixpath.dirname(src)
    return folder + "/" if folder else ""


@dataclass(frozen=True)
class Linker:
    """Makes links relative to the page being rendered, so the site works under any base path.

    `base` is what the builder resolves a relative link in the page against. MkDocs leaves the HTML that
    macros emit as it is, so the browser resolves it against the page's URL ("comparison/"); Zensical
    rewrites relative URLs in a page as relative to its source file, like Markdown links, so the base is
    the source folder ("" for docs/comparison.md). `for_page` picks the one that applies.
    """

    base: str = ""  # e.g. "comparison/" (MkDocs) or "" (Zensical) for docs/comparison.md
    repo_url: str = ""
    branch: str = "main"

    @classmethod
    def for_page(cls, page: object | None, repo_url: str) -> Linker:
        """For the page a macro renders into: an MkDocs `Page` (url, file) or a Zensical one (url, path)."""
        if page is None:
            return cls("", repo_url)
        if type(page).__module__.split(".")[0] == "zensical":
            return cls(source_folder(page.path), repo_url)  # type: ignore[attr-defined]
        return cls(page.url, repo_url)  # type: ignore[attr-defined]

    @property
    def _here(self) -> str:
        return self.base if self.base.endswith("/") or not self.base else posixpath.dirname(self.base) + "/"

    def page(self, src: str, anchor: str = "") -> str:
        target = page_url(src)
        here = self._here
        rel = posixpath.relpath("/" + target, "/" + here) if target != here else "."
        rel = "./" if rel == "." else rel + ("/" if target.endswith("/") or target == "" else "")
        return rel + (f"#{anchor}" if anchor else "")

    def criterion(self, criterion_id: str, framework_id: str = "") -> str:
        """A criterion's page, or one framework's fact on it. Links about a fact or a criterion go here rather
        than to the comparison, which carries only its default pair's cells."""
        return self.page(f"criteria/{criterion_id}.md", f"fw-{framework_id}" if framework_id else "")

    def file(self, path: str) -> str:
        """A file of the built site that is not a page, e.g. "api/data.json"."""
        return posixpath.relpath("/" + path, "/" + self._here)

    def source_line(self, file: str, line: int) -> str:
        return f"{self.repo_url}/blob/{self.branch}/{file}#L{line}"

    def edit(self, file: str) -> str:
        return f"{self.repo_url}/edit/{self.branch}/{file}"


VERDICT_LABELS = {
    "true": "True",
    "partly": "Partly true",
    "false": "False",
    "unsupported": "Unsupported",
    "opinion": "Opinion",
}

_CODE = re.compile(r"`([^`]+)`")


def inline_code(text: str | None) -> Markup:
    """Escape text, then show `backticked` spans as code: the only markup data may use."""
    escaped = str(escape(text or ""))
    return Markup(_CODE.sub(lambda m: f"<code>{m.group(1)}</code>", escaped))


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(paths.TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["inline_code"] = inline_code
    env.filters["host"] = lambda url: urlsplit(url).netloc.removeprefix("www.")
    env.filters["source"] = views.source
    env.filters["title_of"] = lambda fw_id, ds: ds.framework(fw_id).name
    env.globals.update(
        row_anchor=views.row_anchor,
        category_anchor=views.category_anchor,
        use_case_anchor=views.use_case_anchor,
        claim_anchor=views.claim_anchor,
        pages=PAGES,
        token_info=TOKEN_INFO,
        verdict_labels=VERDICT_LABELS,
        weight_labels=views.WEIGHT_LABELS,
        workload_titles=views.WORKLOAD_TITLES,
        score=views.score_text,
    )
    return env


_ENV = _environment()


def _render(template: str, **context: object) -> str:
    html = _ENV.get_template(template).render(**context)
    return " ".join(line.strip() for line in html.splitlines() if line.strip())


def comparison_table(
    ds: Dataset, link: Linker, categories: list[str] | None = None, criteria: list[str] | None = None
) -> str:
    """The default pair's full cells; compare.js lets the reader pick 2 to 4 and loads the other frameworks'
    cells from their column pages (comparison_column), each framework's column once."""
    default = ds.decision.pairs[0] if ds.decision.pairs else [f.id for f in ds.frameworks[:2]]
    shown = [ds.framework(i) for i in default]  # in the pair's order, the order compare.js shows picks in
    return _render(
        "comparison_table.html",
        ds=ds,
        groups=views.groups_for(ds, shown, categories, criteria),
        legend=views.tokens_used(views.groups(ds, categories, criteria)),  # a reader may pick any framework
        default=default,
        shown=shown,
        link=link,
    )


def comparison_column(ds: Dataset, link: Linker, framework_id: str) -> str:
    """One framework's full cells for every criterion: a page of its own, and what compare.js loads."""
    fw = ds.framework(framework_id)
    groups = views.groups_for(ds, (fw,))
    return _render("comparison_column.html", fw=fw, groups=groups, legend=views.tokens_used(groups), link=link)


def at_a_glance(
    ds: Dataset, link: Linker, criteria: list[str] | None = None, frameworks: list[str] | None = None
) -> str:
    """Values and limits only, for the named frameworks (all by default), in the order named."""
    picked = tuple(ds.framework(f) for f in frameworks) if frameworks else ds.frameworks
    groups = views.groups_for(ds, picked, None, criteria)
    return _render(
        "at_a_glance.html", ds=ds, frameworks=picked, groups=groups, legend=views.tokens_used(groups), link=link
    )


def field(ds: Dataset, link: Linker) -> str:
    """Every framework in the data, one line each: what it is, its interface and licence, its profile."""
    return _render("field.html", ds=ds, link=link)


def legend(ds: Dataset, link: Linker) -> str:
    return _render("legend.html", legend=tuple(TOKEN_INFO.values()), worth=views.model(ds).default_values)


def decision_matrix(ds: Dataset, link: Linker) -> str:
    """The scores of every use case, then each use case under its own heading with its arithmetic."""
    items = views.preset_decisions(ds)
    parts = [_render("decision_matrix.html", ds=ds, items=items, link=link)]
    for uc, d in items:
        parts += [
            heading(2, uc.title, views.use_case_anchor(uc.id)),
            _render("decision_matrix_use_case.html", ds=ds, uc=uc, d=d, link=link),
        ]
    return blocks(*parts)


def use_case_guide(ds: Dataset, link: Linker) -> str:
    """Each use case under its own heading (contents, search), with its computed fit."""
    parts = []
    for uc, d in views.preset_decisions(ds):
        parts += [
            heading(2, uc.title, views.use_case_anchor(uc.id)),
            _render("use_cases.html", ds=ds, uc=uc, d=d, link=link),
        ]
    return blocks(*parts)


def choose_when(ds: Dataset, link: Linker, framework_id: str) -> str:
    fw = ds.framework(framework_id)
    close_call = ds.decision.scoring.close_call
    wins = [(uc, d) for uc, d in views.preset_decisions(ds) if d.ranking.close == (framework_id,)]
    return _render(
        "choose_when.html",
        ds=ds,
        fw=fw,
        wins=wins,
        strengths=views.strengths(ds, framework_id),
        close_call=close_call,
        link=link,
    )


def freshness_list(ds: Dataset, link: Linker) -> str:
    """Every fact that may be out of date, as of the build's date."""
    from macros import freshness

    today = freshness.reference_date()
    return _render("freshness.html", ds=ds, items=freshness.stale_facts(ds, today), today=today, link=link)


def change_list(ds: Dataset, link: Linker, hist: History) -> str:
    """Every change to a fact, newest first, grouped by day."""
    days: dict[dt.date, list[Change]] = {}
    for change in hist.newest_first():
        days.setdefault(change.date, []).append(change)
    names = {fw.id: fw.name for fw in ds.frameworks}
    criteria = {c.id: c.name for c in ds.criteria}
    return _render("changes.html", days=days, names=names, criteria=criteria, hist=hist, link=link)


def framework_profile(ds: Dataset, link: Linker, framework_id: str) -> str:
    """A framework's page: what it is, its facts by category, its releases, and when to choose it."""
    fw = ds.framework(framework_id)
    facts = {c.id: views.cell(ds, fw, c) for c in ds.criteria}
    profile = _render(
        "framework_profile.html",
        ds=ds,
        fw=fw,
        facts=facts,
        host=ds.framework(fw.extends) if fw.extends else None,
        inherited=len(ds.inherited.get(fw.id, {})),
        layers=[f for f in ds.frameworks if f.extends == fw.id],
        file=ds.files[f"framework:{fw.id}"],
        groups=views.groups(ds),
        releases=views.releases(ds, fw),
        link=link,
    )
    return blocks(
        f"# {markdown_text(fw.name)}",
        _sections(profile, '<div class="fw-block fw-profile">'),
        heading(2, f"Choose {fw.name} when", "choose"),
        choose_when(ds, link, framework_id),
    )


def pair_page(ds: Dataset, link: Linker, a: str, b: str) -> str:
    """A page for a pair readers compare most: a verdict computed from the facts, the differences, the
    code that runs in both and the benchmark pairs that differ only in the framework."""
    p = views.pair(ds, a, b)
    close_call = ds.decision.scoring.close_call
    ctx = {"p": p, "link": link, "close_call": close_call}
    return blocks(
        f"# {markdown_text(p.a.name)} vs {markdown_text(p.b.name)}",
        _render("pair_page.html", **ctx),
        heading(2, "Verdict", "verdict"),
        _render("pair_verdict.html", **ctx),
        heading(2, "Where they differ", "differences"),
        _render("pair_differences.html", **ctx),
        heading(2, "Code side by side", "code"),
        _render("pair_more.html", kind="code", **ctx),
        heading(2, "Measured", "measured"),
        _render("pair_more.html", kind="measured", **ctx),
    )


def heading(level: int, text: str, anchor: str, **attrs: str) -> str:
    """A Markdown heading (so it reaches the table of contents and the search index as its own entry), its
    text escaped for Markdown and HTML; `attrs` are ids and data attributes, never text from data."""
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return f"{'#' * level} {markdown_text(text)} {{: #{anchor}{extra} }}"


def blocks(*parts: str) -> str:
    """Headings and one-line HTML blocks, each on its own line with blank lines between."""
    return "\n\n".join(p for p in parts if p)


def claims_list(ds: Dataset, link: Linker, topic: str | None = None) -> str:
    """Claims by topic: the topic and each claim are headings (contents, search), the rest one-line HTML."""
    topics = views.claims_by_topic(ds, topic)
    parts = [
        _render("claims_filter.html", ds=ds, topics=topics, link=link),
        '<div class="fw-claims" id="fw-claims" markdown>',
    ]
    for cat, claims in topics:
        parts.append(heading(2, cat.name, f"claims-{cat.id}", data_topic=cat.id))
        for claim in claims:
            parts.append(
                heading(3, claim.claim, views.claim_anchor(claim.id), data_verdict=claim.verdict, data_topic=cat.id)
            )
            parts.append(_render("claims.html", ds=ds, claim=claim, link=link))
    parts.append("</div>")
    return blocks(*parts)


def claims_summary(ds: Dataset, link: Linker) -> str:
    counts: dict[str, int] = {}
    for claim in ds.claims:
        counts[claim.verdict] = counts.get(claim.verdict, 0) + 1
    return _render("claims_summary.html", counts=counts, total=len(ds.claims))


def verdict(ds: Dataset, link: Linker) -> str:
    """The home page answer for the common case (the decision page's default needs), computed."""
    d = views.default_decision(ds)
    needs = " plus ".join(n.title for n in d.needs)
    pair = ds.decision.pairs[0] if ds.decision.pairs else None
    return _render("verdict.html", ds=ds, d=d, needs=needs, pair=pair, link=link)


def script_json(data: object) -> Markup:
    """JSON that is safe inside <script type="application/json">: no `<`, `>` or `&` can end the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


def decide_model(ds: Dataset, link: Linker) -> dict[str, object]:
    """What the decision page's script needs: the published data, reduced to what it computes with. The facts'
    summaries, which only an explanation quotes, stay on the column pages the script fetches when it needs them
    (450 summaries are 18 kB gzip, a sixth of the page)."""
    m = views.model(ds)
    return {
        "frameworks": [{"id": fw.id, "name": fw.name} for fw in ds.frameworks],
        "categories": [{"id": c.id, "name": c.name} for c in ds.categories if c.id in m.categories],
        "criteria": [{"id": c.id, "name": c.name, "category": c.category} for c in m.criteria],
        "facts": {
            fw.id: {c.id: [fw.facts[c.id].value, list(fw.facts[c.id].plugins)] for c in m.criteria}
            for fw in ds.frameworks
        },
        "packages": {p.id: {"name": p.name, "status": p.status} for p in ds.packages},
        "tokens": {t.token: t.label for t in TOKEN_INFO.values()},
        "scoring": {"values": m.default_values, "status": m.default_status, "close_call": m.close_call},
        "defaults": list(ds.decision.defaults.presets),
        "presets": [{"id": u.id, "title": u.title, "weights": dict(u.weights)} for u in ds.use_cases],
        "questions": [
            {"id": q.id, "need": q.need, "presets": list(q.presets), "weights": dict(q.weights)}
            for q in ds.decision.questions
        ],
        "together": [
            {"frameworks": list(t.frameworks), "how": t.how, "task": t.task is not None} for t in ds.decision.together
        ],
    }


def decide(ds: Dataset, link: Linker) -> str:
    """The decision page: needs, weights and scoring controls, and the default decision rendered statically."""
    d = views.default_decision(ds)
    m = views.model(ds)
    return _render(
        "decide.html",
        ds=ds,
        d=d,
        model=m,
        weights=m.weights(d.settings),
        presets=views.preset_decisions(ds),
        model_json=script_json(decide_model(ds, link)),
        link=link,
    )


_LANGUAGES = {
    ".py": "python",
    ".html": "html+django",
    ".txt": "text",
    ".toml": "toml",
    ".yaml": "yaml",
    ".ini": "ini",
    ".cfg": "ini",
    ".sql": "sql",
    ".json": "json",
    ".md": "markdown",
}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def markdown_text(text: str) -> str:
    """Text that Markdown shows literally: `&`, `<` and `>` HTML-escaped, Markdown punctuation backslash-escaped,
    one line. Quotes stay as they are: a heading's `&#39;` would reach the table of contents escaped twice."""
    return _MD_SPECIAL.sub(r"\\\1", html_escape(" ".join(text.split()), quote=False))


def criterion_page(ds: Dataset, link: Linker, criterion_id: str) -> str:
    """A page per criterion: the question, every framework's fact, and what cites, weighs or shows it."""
    crit = ds.criterion(criterion_id)
    criteria_file = ds.files["criteria"]
    i = next(i for i, c in enumerate(ds.criteria) if c.id == crit.id)
    line = ds.maps[criteria_file].key(("criteria", i)).line
    parts = [
        f"# {markdown_text(crit.name)}",
        _render(
            "criterion_page.html",
            ds=ds,
            crit=crit,
            category=ds.category(crit.category),
            cells=tuple(views.cell(ds, fw, crit) for fw in ds.frameworks),
            criteria_file=criteria_file,
            criteria_line=line,
            link=link,
        ),
    ]
    related = (
        ("claims", "Claims that cite it", [c for c in ds.claims if crit.id in c.criteria]),
        (
            "use_cases",
            "Use cases that weigh it",
            [(uc, uc.weights[crit.id]) for uc in ds.use_cases if crit.id in uc.weights],
        ),
        ("tasks", "Running code that shows it", [t for t in ds.tasks if crit.id in t.criteria]),
    )
    for kind, title, items in related:
        if items:
            parts += [
                heading(2, title, kind.replace("_", "-")),
                _render("criterion_related.html", kind=kind, items=items, link=link),
            ]
    return blocks(*parts)


def criteria_index(ds: Dataset, link: Linker) -> str:
    return _render("criteria_index.html", ds=ds, groups=views.groups(ds), link=link)


def task_page(ds: Dataset, link: Linker, task_id: str) -> str:
    """A task page: the samples side by side (tabs on narrow screens), included from the real files."""
    task = ds.task(task_id)
    samples = views.task_samples(ds, task)
    parts = [
        f"# {markdown_text(task.title)}",
        "",
        _render("task_header.html", task=task, samples=samples),
        "",
        # a <section>: Material's search skips an excluded element up to the first closing tag of its name
        '<section class="fw-side-by-side" markdown data-search-exclude>',
        "",
    ]
    for v in samples:
        parts += [f'=== "{v.framework.name}"', ""]
        for path, section in zip(v.files, v.sections, strict=True):
            language = _LANGUAGES.get(posixpath.splitext(path)[1], "text")
            include = f"{path}:{section}" if section else path
            parts += [f'    ```{language} title="{path}"', f'    --8<-- "{include}"', "    ```", ""]
    parts += ["</section>", "", _render("task_footer.html", ds=ds, task=task, samples=samples, link=link), ""]
    return "\n".join(parts)


def task_index(ds: Dataset, link: Linker) -> str:
    items = [(t, views.task_samples(ds, t)) for t in ds.tasks]
    with_samples = {s.framework for t in ds.tasks for s in t.samples}
    frameworks = [fw for fw in ds.frameworks if fw.id in with_samples]
    without = [fw for fw in ds.frameworks if fw.id not in with_samples]
    return _render("task_index.html", ds=ds, items=items, frameworks=frameworks, without=without, link=link)


def benchmark_report(ds: Dataset, link: Linker) -> str:
    """The newest benchmark run: findings, SVG charts and tables, stacks, versions and commands."""
    if not ds.benchmarks:
        return _render("benchmark_none.html")
    run = ds.benchmarks[0]
    html = _render(
        "benchmark_report.html",
        ds=ds,
        run=run,
        charts=views.benchmark_charts(ds, run),
        findings=views.benchmark_findings(ds, run),
        class_titles=views.CLASS_TITLES,
        file=ds.files[f"benchmark:{run.id}"],
        link=link,
    )
    return _sections(html, '<div class="fw-block fw-bench">')


def production_figures(ds: Dataset, link: Linker) -> str:
    """One worker on one core, from the newest run with classes: I/O-bound and CPU-bound work, memory."""
    run = next((r for r in ds.benchmarks if r.findings is not None), None)
    rows = views.production_rows(ds, run) if run else ()
    if run is None or not rows:
        return _render("benchmark_none.html")
    return _render(
        "production_figures.html",
        run=run,
        rows=rows,
        columns=views.PRODUCTION_COLUMNS,
        short={"upstream-io": "Waiting 50 ms on an upstream", "cpu-inference": "5 ms of Python CPU work"},
        file=ds.files[f"benchmark:{run.id}"],
        link=link,
    )


_H2 = re.compile(r'<h2 id="([a-z0-9-]+)">([^<]+)</h2>')


def _sections(html: str, reopen: str) -> str:
    """A long block's top-level <h2> become Markdown headings between its parts, so they reach the page's
    table of contents (which only Markdown headings do). Only for templates whose <h2> sit directly in the
    block's outer element, `reopen`."""
    parts = []
    last = 0
    for m in _H2.finditer(html):
        parts += [html[last : m.start()] + "</div>", heading(2, unescape(m.group(2)), m.group(1)), reopen]
        last = m.end()
    parts.append(html[last:])
    return blocks(*parts)
