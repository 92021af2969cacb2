"""Read a YAML file into plain Python data plus the line and column of every key and value.

PyYAML's composer gives each node a start mark; we keep those marks by path so that any later error
(schema, integrity, meaning) can point at `file:line:column`. Two YAML 1.1 surprises are switched off:
`yes`/`no`/`on`/`off` stay text (they are our value tokens), and a duplicate key is an error instead of
silently overwriting the first one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from macros.errors import DataError

Path_ = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans (only true/false) and duplicate keys refused."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same rules on libyaml's C parser (about 10x faster on the large benchmark results). Its error
    messages word things differently, so a file it rejects is parsed again by `_Loader` for the message."""


_FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


def _compose(text: str) -> tuple[yaml.SafeLoader, yaml.Node | None]:
    """The document's node tree (None for an empty file) and the loader that made it: libyaml's when it
    accepts the text, else the pure-Python parser's, which raises the error the caller reports."""
    fast = _FastLoader(text)
    try:
        return fast, fast.get_single_node()
    except yaml.YAMLError:
        fast.dispose()
    slow = _Loader(text)
    return slow, slow.get_single_node()  # raises the syntax error with PyYAML's wording


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of one YAML document starts."""

    file: str
    values: dict[Path_, Position] = field(default_factory=dict)
    keys: dict[Path_, Position] = field(default_factory=dict)

    def value(self, path: Path_) -> Position:
        """Position of the value at `path`, or of its nearest enclosing value that exists."""
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.values:
                return self.values[path[:cut]]
        return Position(1, 1)

    def key(self, path: Path_) -> Position:
        """Position of the key that introduces `path` (falls back to the value)."""
        return self.keys.get(path) or self.value(path)


def _mark(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def _index(node: yaml.Node, path: Path_, smap: SourceMap, file: str) -> None:
    smap.values[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            if key in seen:
                first = _mark(seen[key])
                pos = _mark(key_node)
                raise DataError(
                    file,
                    pos.line,
                    pos.column,
                    dotted(path + (key,)),
                    f"duplicate key `{key}` (first defined at line {first.line})",
                    "keep one of the two; YAML would silently drop the first",
                )
            seen[key] = key_node
            smap.keys[path + (key,)] = _mark(key_node)
            _index(value_node, path + (key,), smap, file)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, path + (i,), smap, file)


def dotted(path: Path_) -> str:
    """A path as a contributor reads it: facts.admin.sources[0]."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def load_yaml(path: Path, display_name: str) -> tuple[Any, SourceMap]:
    """Parse one YAML file; raise DataError (never a traceback) when it cannot be read."""
    smap = SourceMap(display_name)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(display_name, 1, 1, "(file)", "file not found", "create it or fix the path") from None
    except UnicodeDecodeError as exc:
        raise DataError(
            display_name, 1, 1, "(file)", f"not UTF-8 text ({exc.reason})", "save the file as UTF-8"
        ) from None
    loader: yaml.SafeLoader | None = None
    try:
        loader, node = _compose(text)
        if node is None:
            raise DataError(display_name, 1, 1, "(file)", "the file is empty", "add the data this file should hold")
        _index(node, (), smap, display_name)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise DataError(
            display_name,
            line,
            col,
            "(syntax)",
            f"YAML syntax error: {problem}",
            "check indentation, colons and quotes around this point",
        ) from None
    except yaml.YAMLError as exc:  # errors without a mark
        raise DataError(display_name, 1, 1, "(syntax)", f"YAML error: {exc}", "fix the file's syntax") from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, smap
