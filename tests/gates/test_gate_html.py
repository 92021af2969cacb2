"""Gate 3, valid HTML: the Nu HTML Checker (vnu.jar) over the whole built site, once. Every error fails
unless allowlists/vnu.yaml accepts it (the theme's own markup, with a reason); an allow-list entry that no
longer matches anything fails too, so the list only ever shrinks to what is needed."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from defects import SITE_DEFECTS
from gatekit import AllowEntry, load_allowlist, node_tool, require_tool, xfail_defects

pytestmark = [pytest.mark.build]

DEFECTS = SITE_DEFECTS["vnu"]
JAVA_HOW = "install a Java runtime, 11 or newer (`apt-get install default-jre-headless`)"


@dataclass(frozen=True)
class Message:
    page: str  # /comparison/ or /404.html
    line: int | None
    type: str
    message: str
    extract: str

    def __str__(self) -> str:
        where = f"{self.page}:{self.line}" if self.line else self.page
        return f"{where}: {self.message}\n      {self.extract.strip()[:200]}"


def _page(url: str, site: Path) -> str:
    path = Path(url.removeprefix("file:"))
    try:
        rel = path.relative_to(site.resolve()).as_posix()
    except ValueError:
        rel = path.as_posix()
    return "/" + rel.removesuffix("index.html")


CANARY = "<!doctype html><html lang=en><title>canary</title><p><blink>planted error</blink></html>"


@pytest.fixture(scope="session")
def vnu_report(site_dir: Path, tmp_path_factory) -> list[Message]:
    """Every message of one vnu.jar run over the site plus a planted invalid file (proof that it checks)."""
    java = require_tool("java", JAVA_HOW)
    jar = node_tool("vnu-jar/build/dist/vnu.jar")
    canary = tmp_path_factory.mktemp("vnu-canary") / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    proc = subprocess.run(
        [java, "-jar", jar, "--format", "json", "--skip-non-html", str(site_dir), str(canary)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        report = json.loads(proc.stderr or proc.stdout)
    except json.JSONDecodeError:
        pytest.fail(
            f"vnu.jar gave no JSON (exit {proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}",
            pytrace=False,
        )
    return [
        Message(
            _page(m.get("url", ""), site_dir.resolve()),
            m.get("lastLine"),
            m.get("type", ""),
            m.get("message", ""),
            m.get("extract", ""),
        )
        for m in report.get("messages", [])
    ]


@pytest.fixture(scope="session")
def vnu_messages(vnu_report: list[Message]) -> list[Message]:
    return [m for m in vnu_report if not m.page.endswith("/canary.html")]


@pytest.fixture(scope="session")
def vnu_errors(vnu_messages: list[Message]) -> list[Message]:
    """Errors only: the checker's type "error" (subType "fatal" included) and "non-document-error"."""
    return [m for m in vnu_messages if m.type in ("error", "non-document-error")]


@pytest.fixture(scope="session")
def vnu_allowlist() -> list[AllowEntry]:
    return load_allowlist("vnu")


def _known(m: Message) -> bool:
    return any(d.matches(m.message, m.extract, m.page) for d in DEFECTS)


def test_site_has_no_html_errors(vnu_errors, vnu_allowlist):
    left = [m for m in vnu_errors if not any(e.matches(m.message, m.page) for e in vnu_allowlist) and not _known(m)]
    assert not left, (
        f"{len(left)} HTML error(s) (fix the template, or, for the theme's own markup only, "
        f"allow-list the message with a reason in tests/gates/allowlists/vnu.yaml):\n  " + "\n  ".join(map(str, left))
    )


def test_every_allowlist_entry_is_still_needed(vnu_errors, vnu_allowlist):
    unused = [e.describe() for e in vnu_allowlist if not any(e.matches(m.message, m.page) for m in vnu_errors)]
    assert not unused, (
        "allow-list entries that match no error any more (delete them from "
        "tests/gates/allowlists/vnu.yaml):\n  " + "\n  ".join(unused)
    )


def test_the_checker_reports_a_planted_error(vnu_report):
    """vnu.jar reports only problems, so silence could mean it checked nothing: a planted error must show."""
    planted = [m for m in vnu_report if m.page.endswith("/canary.html") and m.type == "error"]
    assert any("blink" in m.message for m in planted), f"planted error not reported: {planted}"


@pytest.mark.parametrize("defect", list(xfail_defects(DEFECTS)) or [pytest.param(None, id="none-open")])
def test_known_html_defect_is_fixed(vnu_errors, defect):
    if defect is None:
        return
    found = [str(m) for m in vnu_errors if defect.matches(m.message, m.extract, m.page)]
    assert not found, f"still present ({len(found)}); fix: {defect.fix}\n  " + "\n  ".join(found[:5])
