"""Gate 5, tool availability: a missing tool skips a gate on a developer's machine (saying how to get it)
but fails it in CI. Also the plain helpers the gates rely on: allow-lists, defects, pages, the server."""

from __future__ import annotations

import gzip
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from gatekit import AllowEntry, Defect, StaticServer, built_pages, load_allowlist, require_tool, source_pages

# --- require_tool --------------------------------------------------------------------------------------


def test_a_present_tool_is_returned(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert Path(require_tool("sh", "apt-get install dash")).name == "sh"


def test_a_present_file_is_returned(tmp_path, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    tool = tmp_path / "tool.jar"
    tool.write_bytes(b"")
    assert require_tool(str(tool), "npm ci") == str(tool)


@pytest.mark.parametrize("ci", [None, "false", "1", ""])
def test_a_missing_tool_skips_outside_ci_and_says_how_to_get_it(monkeypatch, ci):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception, match=r"no-such-tool-xyz is missing: apt-get install xyz"):
        require_tool("no-such-tool-xyz", "apt-get install xyz")


@pytest.mark.parametrize("ci", ["true", "TRUE", "True"])
def test_a_missing_tool_fails_in_ci(monkeypatch, ci):
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match=r"node_modules/nothing.js is missing: run npm ci.*CI=true"):
        require_tool("/nowhere/node_modules/nothing.js", "run npm ci")


def test_a_missing_path_skips_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="npm ci"):
        require_tool("/nowhere/node_modules/axe-core/axe.min.js", "run `npm ci`")


# --- allow-lists -----------------------------------------------------------------------------------------


def write_allowlist(monkeypatch, tmp_path, text: str) -> None:
    import gatekit

    monkeypatch.setattr(gatekit, "ALLOWLISTS", tmp_path)
    monkeypatch.setattr(gatekit, "REPO", tmp_path)
    (tmp_path / "x.yaml").write_text(text, encoding="utf-8")


def test_allowlist_entries_match_exactly_or_by_regex(monkeypatch, tmp_path):
    write_allowlist(
        monkeypatch,
        tmp_path,
        """
- message: "Bad value “” for attribute “tabindex”."
  reason: the theme writes it, browsers ignore it
- message: /Attribute “autocomplete” is only allowed .*/
  reason: the theme writes it on checkboxes
  pages: ["/comparison/"]
""",
    )
    exact, regex = load_allowlist("x")
    assert exact.matches("Bad value “” for attribute “tabindex”.")
    assert not exact.matches("Bad value “” for attribute “tabindex”. And more")
    assert regex.is_regex and regex.matches("Attribute “autocomplete” is only allowed when", "/comparison/")
    assert not regex.matches("Attribute “autocomplete” is only allowed when", "/faq/")


@pytest.mark.parametrize(
    "text, error",
    [
        ("- message: x\n", "reason"),
        ("- reason: because the theme does it\n", "message"),
        ("- message: x\n  reason: because the theme does it\n  extra: 1\n", "unknown key"),
        ("- message: /(unclosed/\n  reason: because the theme does it\n", "bad regular expression"),
        ("message: x\n", "expected a list"),
    ],
)
def test_a_malformed_allowlist_fails_the_gate(monkeypatch, tmp_path, text, error):
    write_allowlist(monkeypatch, tmp_path, text)
    with pytest.raises(pytest.fail.Exception, match=error):
        load_allowlist("x")


def test_the_real_allowlists_are_well_formed():
    for path in (Path(__file__).parent / "allowlists").glob("*.yaml"):
        for entry in load_allowlist(path.stem):
            assert isinstance(entry, AllowEntry)


def test_a_defect_matches_rule_target_and_page():
    d = Defect("x", "color-contrast", r"\.md-tabs__link", "/comparison/", "fix it")
    assert d.matches("color-contrast", '.md-tabs__link[href$="faq/"]', "/comparison/")
    assert not d.matches("color-contrast", ".md-copyright", "/comparison/")
    assert not d.matches("color-contrast", ".md-tabs__link", "/faq/")
    assert not d.matches("link-in-text-block", ".md-tabs__link", "/comparison/")
    regex = Defect("y", r"The heading “h3” .*", "", "*", "fix it")
    assert regex.matches("The heading “h3” (with computed level 3) follows", "anything", "/claims/")


# --- pages and server ------------------------------------------------------------------------------------


def test_source_pages_follow_mkdocs_directory_urls(tmp_path):
    for name in (
        "index.md",
        "faq.md",
        "frameworks/django.md",
        "tasks/index.md",
        ".hidden.md",
        "templates/x.md",
        "notes.txt",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("# x\n")
    assert source_pages(tmp_path) == ["/", "/faq/", "/frameworks/django/", "/tasks/"]


def test_built_pages_lists_every_index_html(tmp_path):
    for name in ("index.html", "faq/index.html", "a/b/index.html", "404.html", "faq/other.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("<p>")
    assert built_pages(tmp_path) == ["/", "/a/b/", "/faq/"]


def test_the_server_sends_gzip_redirects_directories_and_serves_404(tmp_path):
    (tmp_path / "faq").mkdir()
    (tmp_path / "faq" / "index.html").write_text("<p>" + "faq " * 500)
    (tmp_path / "404.html").write_text("not here")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG" + b"0" * 1000)
    with StaticServer(tmp_path) as server:
        assert server.url.startswith("http://127.0.0.1:")
        req = urllib.request.Request(server.url + "/faq/", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(req) as resp:
            assert resp.headers["Content-Encoding"] == "gzip"
            assert gzip.decompress(resp.read()).startswith(b"<p>faq")
        with urllib.request.urlopen(server.url + "/faq") as resp:  # redirected to /faq/
            assert resp.url.endswith("/faq/") and resp.headers["Content-Encoding"] is None
        req = urllib.request.Request(server.url + "/logo.png", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(req) as resp:
            assert resp.headers["Content-Encoding"] is None and resp.headers["Content-Type"] == "image/png"
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(server.url + "/missing/")
        assert err.value.code == 404 and err.value.read() == b"not here"
