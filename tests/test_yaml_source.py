"""Reading YAML: positions for every key and value, YAML 1.2 booleans, duplicate keys refused."""

from pathlib import Path

import pytest

from macros.errors import DataError
from macros.yaml_source import load_yaml


def _load(tmp_path: Path, text: str):
    file = tmp_path / "f.yaml"
    file.write_text(text)
    return load_yaml(file, "data/f.yaml")


def test_yes_and_no_stay_text_because_they_are_value_tokens(tmp_path):
    data, _ = _load(tmp_path, "a: yes\nb: no\nc: on\nd: true\n")
    assert data == {"a": "yes", "b": "no", "c": "on", "d": True}


def test_every_key_and_value_has_a_one_based_position(tmp_path):
    _, smap = _load(tmp_path, "facts:\n  asgi:\n    value: yes\n    sources:\n      - https://a.example/\n")
    assert (smap.key(("facts", "asgi")).line, smap.key(("facts", "asgi")).column) == (2, 3)
    assert (smap.value(("facts", "asgi", "value")).line, smap.value(("facts", "asgi", "value")).column) == (3, 12)
    assert smap.value(("facts", "asgi", "sources", 0)).line == 5


def test_a_missing_path_falls_back_to_its_nearest_parent(tmp_path):
    _, smap = _load(tmp_path, "facts:\n  asgi:\n    value: yes\n")
    assert smap.value(("facts", "asgi", "summary")).line == 3


def test_duplicate_key_is_an_error_pointing_at_the_second_one(tmp_path):
    with pytest.raises(DataError) as err:
        _load(tmp_path, "facts:\n  asgi:\n    value: yes\n  asgi:\n    value: no\n")
    assert str(err.value).startswith("data/f.yaml:4:3: facts.asgi: duplicate key `asgi` (first defined at line 2)")


def test_syntax_error_reports_line_and_column_without_a_traceback(tmp_path):
    with pytest.raises(DataError) as err:
        _load(tmp_path, "a: [1, 2\nb: 3\n")
    assert err.value.file == "data/f.yaml" and err.value.line == 2
    assert "YAML syntax error" in err.value.message


def test_empty_file_is_an_error(tmp_path):
    with pytest.raises(DataError, match="the file is empty"):
        _load(tmp_path, "# only a comment\n")
