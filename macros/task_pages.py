"""MkDocs hook: one page per task (tasks/<id>.md), generated because hand-written ones would be pure
repetition of the same one-line macro call. The page content is `{{ task_page("<id>") }}`; the edit
button opens the task's YAML file."""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.files import File, Files, InclusionLevel


# Wide code side by side: no navigation or table-of-contents columns on task pages.
_PAGE = '---\nhide:\n  - navigation\n  - toc\n---\n\n{{{{ task_page("{task_id}") }}}}\n'


def on_files(files: Files, config) -> Files:  # noqa: ANN001 - MkDocsConfig
    root = Path(config.config_file_path).parent
    for spec in sorted((root / "data" / "tasks").glob("*.yaml")):
        task_id = spec.stem
        page = File.generated(config, f"tasks/{task_id}.md", content=_PAGE.format(task_id=task_id),
                              inclusion=InclusionLevel.NOT_IN_NAV)
        page.edit_uri = f"../data/tasks/{spec.name}"
        files.append(page)
    return files
