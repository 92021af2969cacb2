"""mkdocs-macros entry point: a thin adapter from page calls to the plain modules beside it.

Pages call e.g. `{{ comparison_table() }}`. Loading, validation, view models and rendering live in
dataset.py, rules.py, views.py and render.py, which know nothing of MkDocs and are unit-tested directly.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

# Zensical loads this file by its path and does not put the project root on sys.path, which the imports
# of `macros.*` below need (MkDocs' macros plugin adds it): add it, so no builder relies on the current
# directory.
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)


class MacrosEnv(Protocol):
    """What define_env uses of the environment mkdocs-macros (MacrosPlugin) and Zensical pass in; neither
    ships type information, so this states it."""

    conf: Any  # MkDocs' config (a mapping)
    page: Any  # the page being rendered: MkDocs' Page or Zensical's
    variables: dict[str, Any]

    def macro[F: Callable[..., str]](self, function: F) -> F: ...


def define_env(env: MacrosEnv) -> None:
    from mkdocs.exceptions import PluginError

    from macros import render
    from macros.dataset import load_dataset
    from macros.errors import DataErrors

    try:
        ds = load_dataset()
    except DataErrors as exc:
        raise PluginError("the data has problems; fix them and build again:\n" + exc.report()) from None
    from macros.changes import history

    repo_url = (env.conf.get("repo_url") or "").rstrip("/")
    hist = history(ds.root)
    env.variables["dataset"] = ds
    env.variables["history"] = hist
    env.variables["framework_names"] = " and ".join(fw.name for fw in ds.frameworks)
    env.variables["use_case_count"] = len(ds.use_cases)
    env.variables["criteria_count"] = len(ds.criteria)
    env.variables["last_verified"] = max(f.verified for fw in ds.frameworks for f in fw.facts.values()).isoformat()

    def link() -> render.Linker:
        return render.Linker.for_page(env.page, repo_url)

    def edit_data(file: str) -> None:
        """A generated page's "edit" button opens the data file it is made from, not its stub (MkDocs only:
        Zensical 0.0.73 lets no page set its edit URL)."""
        if getattr(env.page, "edit_url", None):
            env.page.edit_url = link().edit(file)

    @env.macro
    def site_file(path: str) -> str:
        """A link to a built file that is not a page (`api/data.json`), right under MkDocs and Zensical."""
        return link().file(path)

    @env.macro
    def comparison_table(categories: list[str] | None = None, criteria: list[str] | None = None) -> str:
        return render.comparison_table(ds, link(), categories, criteria)

    @env.macro
    def comparison_column(framework_id: str) -> str:
        return render.comparison_column(ds, link(), framework_id)

    @env.macro
    def at_a_glance(criteria: list[str] | None = None, frameworks: list[str] | None = None) -> str:
        return render.at_a_glance(ds, link(), criteria, frameworks)

    @env.macro
    def field() -> str:
        return render.field(ds, link())

    @env.macro
    def verdict() -> str:
        return render.verdict(ds, link())

    @env.macro
    def legend() -> str:
        return render.legend(ds, link())

    @env.macro
    def decision_matrix() -> str:
        return render.decision_matrix(ds, link())

    @env.macro
    def decide() -> str:
        return render.decide(ds, link())

    @env.macro
    def use_case_guide() -> str:
        return render.use_case_guide(ds, link())

    @env.macro
    def framework_profile(framework_id: str) -> str:
        edit_data(ds.files[f"framework:{framework_id}"])
        return render.framework_profile(ds, link(), framework_id)

    @env.macro
    def pair_page(a: str, b: str) -> str:
        edit_data(ds.files["decision"])
        return render.pair_page(ds, link(), a, b)

    @env.macro
    def claims_list(topic: str | None = None) -> str:
        return render.claims_list(ds, link(), topic)

    @env.macro
    def criterion_page(criterion_id: str) -> str:
        return render.criterion_page(ds, link(), criterion_id)

    @env.macro
    def criteria_index() -> str:
        return render.criteria_index(ds, link())

    @env.macro
    def task_page(task_id: str) -> str:
        edit_data(ds.files[f"task:{task_id}"])
        return render.task_page(ds, link(), task_id)

    @env.macro
    def task_index() -> str:
        return render.task_index(ds, link())

    @env.macro
    def benchmark_report() -> str:
        return render.benchmark_report(ds, link())

    @env.macro
    def production_figures() -> str:
        return render.production_figures(ds, link())

    @env.macro
    def change_list() -> str:
        return render.change_list(ds, link(), hist)

    @env.macro
    def freshness_list() -> str:
        return render.freshness_list(ds, link())

    @env.macro
    def claims_summary() -> str:
        return render.claims_summary(ds, link())
