"""Generated pages are committed stubs (docs/tasks/<id>.md) that a check keeps complete, as FastAPI's docs
check their generated files: no hook makes pages, so MkDocs and Zensical read the same docs/ folder."""

from __future__ import annotations

import subprocess
import sys

from macros import pages, paths
from macros.dataset import load_dataset


def test_the_committed_generated_pages_match_the_data():
    found = pages.drift(load_dataset())
    assert found == [], f"out of date: {found} (run `make pages` and commit the result)"


def test_every_task_has_a_stub_that_calls_its_macro_and_hides_the_side_columns(minimal):
    [stub] = [s for s in pages.stubs(minimal) if s.path.startswith("tasks/")]
    assert stub.path == "tasks/demo.md"
    assert stub.text.startswith("---\n" + pages.GENERATED + " from data/tasks/demo.yaml")
    assert "hide:\n  - navigation\n  - toc\n---\n" in stub.text
    assert stub.text.endswith('\n{{ task_page("demo") }}\n')


def test_every_criterion_has_a_stub_with_its_question_as_a_safe_description(minimal, data_dir):
    stubs = {s.path: s.text for s in pages.stubs(minimal)}
    assert [p for p in stubs if p.startswith("criteria/")] == [f"criteria/{c.id}.md" for c in minimal.criteria]
    assert stubs["criteria/asgi.md"].endswith('\n{{ criterion_page("asgi") }}\n')
    data_dir.edit("criteria.yaml", "question: Async server?", 'question: "Is it: \\"fast\\"?\\n{{ x }} # no"')
    text = {s.path: s.text for s in pages.stubs(data_dir.load())}["criteria/asgi.md"]
    import yaml

    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["description"].startswith('Runs under ASGI: Is it: "fast"?\n{{ x }} # no')


def _criteria_stubs(ds, folder) -> None:
    """Every stub but the tasks' (criteria, profiles, pairs)."""
    for stub in pages.stubs(ds):
        if not stub.path.startswith("tasks/"):
            (folder / stub.path).parent.mkdir(parents=True, exist_ok=True)
            (folder / stub.path).write_text(stub.text)


def test_drift_names_missing_stale_and_extra_stubs_and_leaves_hand_written_pages_alone(minimal, tmp_path):
    _criteria_stubs(minimal, tmp_path)
    (tmp_path / "tasks").mkdir()
    (tmp_path / "tasks" / "index.md").write_text("# Tasks\n")
    assert pages.drift(minimal, tmp_path) == [pages.Drift("tasks/demo.md", "missing")]
    (tmp_path / "tasks" / "demo.md").write_text(pages.stubs(minimal)[0].text.replace('demo")', 'other")'))
    (tmp_path / "tasks" / "gone.md").write_text(f"---\n{pages.GENERATED} from data/tasks/gone.yaml\n---\n")
    assert pages.drift(minimal, tmp_path) == [
        pages.Drift("tasks/demo.md", "stale"),
        pages.Drift("tasks/gone.md", "extra"),
    ]
    assert pages.write(minimal, tmp_path) == [
        pages.Drift("tasks/demo.md", "stale"),
        pages.Drift("tasks/gone.md", "extra"),
    ]
    assert pages.drift(minimal, tmp_path) == []
    assert sorted(p.name for p in (tmp_path / "tasks").iterdir()) == ["demo.md", "index.md"]


def test_the_check_command_fails_with_the_fix_when_a_stub_is_missing(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "macros", "pages", "--check", "--docs", str(tmp_path)],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1
    assert "tasks/background-job.md (missing)" in run.stderr and "run `make pages`" in run.stderr
    assert not any(tmp_path.iterdir())


def test_the_navigation_lists_every_task_in_order_under_its_title():
    """Task pages are in the navigation (menu, previous/next); the list must follow data/tasks/."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((paths.ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    section = next(item["Code side by side"] for item in config["nav"] if "Code side by side" in item)
    assert section[0] == "tasks/index.md"
    assert section[1:] == [{t.title: f"tasks/{t.id}.md"} for t in load_dataset().tasks], (
        "mkdocs.yml's Code side by side section must list every task of data/tasks/ in order, with its title"
    )


def test_every_framework_has_a_profile_stub_and_every_pair_a_page(minimal, data_dir):
    stubs = {s.path: s.text for s in pages.stubs(minimal)}
    assert [p for p in stubs if p.startswith("frameworks/")] == ["frameworks/alpha.md", "frameworks/beta.md"]
    assert stubs["frameworks/beta.md"].endswith('\n{{ framework_profile("beta") }}\n')
    assert 'title: "Beta"' in stubs["frameworks/beta.md"]
    assert [p for p in stubs if p.startswith("compare/")] == []
    data_dir.edit("decision.yaml", "questions:", "pairs:\n  - [beta, alpha]\nquestions:")
    data_dir.edit("frameworks/beta.yaml", "name: Beta", 'name: "Beta: \\"{{ x }}\\""')
    stubs = {s.path: s.text for s in pages.stubs(data_dir.load())}
    import yaml

    meta = yaml.safe_load(stubs["compare/beta-vs-alpha.md"].split("---\n")[1])
    assert meta["title"] == 'Beta: "{{ x }}" vs Alpha'
    assert stubs["compare/beta-vs-alpha.md"].endswith('\n{{ pair_page("beta", "alpha") }}\n')


def _nav() -> list:
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    return yaml.load((paths.ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)["nav"]


def test_the_navigation_lists_every_profile_and_every_pair():
    ds = load_dataset()
    nav = _nav()
    frameworks = next(item["Frameworks"] for item in nav if "Frameworks" in item)
    listed = [next(iter(i.items())) for i in frameworks if isinstance(i, dict)]
    assert sorted((t, p) for t, p in listed if p.startswith("frameworks/")) == sorted(
        (fw.name, f"frameworks/{fw.id}.md") for fw in ds.frameworks
    ), "mkdocs.yml's Frameworks section must list every framework's profile under its name"
    compare = next(item["Compare"] for item in nav if "Compare" in item)
    listed = [next(iter(i.items())) for i in compare if isinstance(i, dict)]
    assert [(t, p) for t, p in listed if p.startswith("compare/")] == [
        (f"{ds.framework(a).name} vs {ds.framework(b).name}", pages.pair_path(a, b)) for a, b in ds.decision.pairs
    ], "mkdocs.yml's Compare section must list every pair of data/decision.yaml in order, titled 'A vs B'"
