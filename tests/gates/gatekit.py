"""Plain helpers shared by the quality gates: tool lookup, the static server, page discovery, allow-lists
and the list of known site defects. Nothing here knows about MkDocs internals or Playwright."""

from __future__ import annotations

import fnmatch
import functools
import gzip
import mimetypes
import os
import re
import shutil
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
GATES = Path(__file__).resolve().parent
ALLOWLISTS = GATES / "allowlists"
QUALITY = REPO / "quality"
NODE_MODULES = REPO / "node_modules"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NPM_CI = "run `npm ci --ignore-scripts` in the repository root (needs Node 20+ and npm)"


# --- tools ---------------------------------------------------------------------------------------------


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def require_tool(name: str, how_to_get: str) -> str:
    """Return the path of a tool, or stop the test when it is missing.

    `name` is a command looked up on PATH (`java`) or a path (`/usr/bin/chromium`, a file in node_modules).
    Missing on a developer's machine: the test is skipped and says how to get the tool. Missing where
    CI=true: the test fails, because CI that silently skips a gate proves nothing.
    """
    if os.sep in name or "/" in name:
        path = Path(name)
        found = str(path) if path.exists() else None
    else:
        found = shutil.which(name)
    if found:
        return found
    message = f"{name} is missing: {how_to_get}"
    if in_ci():
        pytest.fail(f"{message} (CI=true, so a missing tool is a failure, not a skip)", pytrace=False)
    pytest.skip(message)


def node_tool(relative: str) -> str:
    """A file installed by `npm ci` (e.g. `axe-core/axe.min.js`)."""
    return require_tool(str(NODE_MODULES / relative), NPM_CI)


# --- pages ---------------------------------------------------------------------------------------------


def source_pages(docs: Path = REPO / "docs") -> list[str]:
    """The URL path of every page MkDocs makes from a file in docs/ (directory URLs), the generated task
    pages included (committed stubs): the gates check the built index.html files, and this list proves none
    went missing.
    """
    urls = set()
    for md in docs.rglob("*.md"):
        rel = md.relative_to(docs)
        if any(part.startswith(".") for part in rel.parts) or rel.parts[0] == "templates":
            continue  # MkDocs' default exclude_docs
        parts = list(rel.with_suffix("").parts)
        if parts[-1] in ("index", "README"):
            parts = parts[:-1]
        urls.add("/" + "".join(p + "/" for p in parts))
    return sorted(urls, key=lambda u: (u != "/", u))


def built_pages(site: Path) -> list[str]:
    """The URL path of every index.html in a built site."""
    urls = []
    for index in site.rglob("index.html"):
        rel = index.parent.relative_to(site)
        urls.append("/" if rel == Path(".") else "/" + rel.as_posix() + "/")
    return sorted(urls, key=lambda u: (u != "/", u))


def lighthouse_pages(pages: list[str]) -> list[str]:
    """Home, the comparison, the decision matrix, the decision page and, once they exist, the first task page
    and benchmarks."""
    chosen = [p for p in ("/", "/comparison/", "/decision-matrix/", "/decide/") if p in pages]
    tasks = [p for p in pages if p.startswith("/tasks/") and p != "/tasks/"] or [p for p in pages if p == "/tasks/"]
    chosen += tasks[:1]
    chosen += [p for p in pages if p == "/benchmarks/"]
    return chosen


def page_id(url: str) -> str:
    return "home" if url == "/" else url.strip("/")


# --- a tiny static server with gzip, like the production host (GitHub Pages) ---------------------------

COMPRESSIBLE = (
    "text/",
    "application/javascript",
    "application/json",
    "application/xml",
    "image/svg+xml",
    "application/manifest+json",
)
TYPES = {
    ".js": "application/javascript",
    ".mjs": "application/javascript",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".webmanifest": "application/manifest+json",
    ".css": "text/css",
    ".html": "text/html",
    ".txt": "text/plain",
    ".map": "application/json",
}


class _Handler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real host
    _gz_cache: dict[tuple[str, int], bytes] = {}
    _gz_lock = threading.Lock()

    def log_message(self, format, *args):  # noqa: A002 - quiet
        pass

    def do_GET(self):
        self._serve(body=True)

    def do_HEAD(self):
        self._serve(body=False)

    def _serve(self, body: bool) -> None:
        path = Path(self.translate_path(self.path))
        status = HTTPStatus.OK
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", self.path.split("?", 1)[0] + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            path = path / "index.html"
        if not path.is_file():
            status = HTTPStatus.NOT_FOUND
            path = Path(self.directory) / "404.html"
            if not path.is_file():
                self.send_error(HTTPStatus.NOT_FOUND)
                return
        ctype = TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        data = path.read_bytes()
        encoding = None
        accepts = self.headers.get("Accept-Encoding", "")
        if ctype.startswith(COMPRESSIBLE) and re.search(r"\bgzip\b", accepts) and len(data) > 256:
            key = (str(path), path.stat().st_mtime_ns)
            with self._gz_lock:
                packed = self._gz_cache.get(key)
                if packed is None:
                    packed = self._gz_cache[key] = gzip.compress(data, compresslevel=6, mtime=0)
            data, encoding = packed, "gzip"
        self.send_response(status)
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/") else ""))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "max-age=600")  # what GitHub Pages sends
        self.send_header("Vary", "Accept-Encoding")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.end_headers()
        if body:
            self.wfile.write(data)


class StaticServer:
    """Serves a directory on 127.0.0.1 (a free port) from a daemon thread, gzip on for text types."""

    def __init__(self, root: Path):
        handler = functools.partial(_Handler, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="gate-server", daemon=True)

    def __enter__(self) -> StaticServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


# --- allow-lists ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AllowEntry:
    message: str
    reason: str
    pages: tuple[str, ...] = ()  # optional globs on the page path (e.g. "comparison/*"); empty: any page

    @property
    def is_regex(self) -> bool:
        return len(self.message) > 2 and self.message.startswith("/") and self.message.endswith("/")

    def matches(self, message: str, page: str = "") -> bool:
        if self.pages and not any(fnmatch.fnmatch(page, g) for g in self.pages):
            return False
        if self.is_regex:
            return re.fullmatch(self.message[1:-1], message, re.S) is not None
        return message == self.message

    def describe(self) -> str:
        return f"message: {self.message!r} (reason: {self.reason})"


def load_allowlist(name: str) -> list[AllowEntry]:
    """Read allowlists/<name>.yaml: a list of {message, reason[, pages]}. A malformed entry fails the gate.

    `message` is the exact text, or a regular expression written between slashes (/.../, full match).
    """
    path = ALLOWLISTS / f"{name}.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(raw, list):
        pytest.fail(f"{path}: expected a list of {{message, reason}} entries", pytrace=False)
    entries = []
    for i, item in enumerate(raw):
        where = f"{path.relative_to(REPO)} entry {i + 1}"
        if not isinstance(item, dict):
            pytest.fail(f"{where}: expected a mapping with message and reason", pytrace=False)
        unknown = set(item) - {"message", "reason", "pages"}
        if unknown:
            pytest.fail(f"{where}: unknown key(s) {sorted(unknown)}; allowed: message, reason, pages", pytrace=False)
        message, reason = item.get("message"), item.get("reason")
        if not isinstance(message, str) or not message.strip():
            pytest.fail(f"{where}: `message` must be the exact message or /a regex/", pytrace=False)
        if not isinstance(reason, str) or len(reason.strip()) < 10:
            pytest.fail(f"{where}: `reason` must say why this message is accepted", pytrace=False)
        if message.startswith("/") and message.endswith("/"):
            try:
                re.compile(message[1:-1])
            except re.error as err:
                pytest.fail(f"{where}: bad regular expression: {err}", pytrace=False)
        pages = item.get("pages") or []
        if isinstance(pages, str):
            pages = [pages]
        entries.append(AllowEntry(message, reason.strip(), tuple(pages)))
    return entries


# --- known site defects --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Defect:
    """A failure of the site itself (our templates or theme configuration), found by a gate and not yet
    fixed. Each one is a strict xfail test: when the fix lands, that test passes, pytest reports
    XPASS(strict) as a failure, and the entry must be deleted so the gate checks the spot again."""

    id: str  # test id
    rule: str  # axe rule id, vnu message regex (full match), or a browser check name
    target: str  # regex searched (multi-line) in the selector + markup / extract ("" = anything)
    pages: str  # glob on the page path ("*" = every page)
    fix: str  # what the lead should change

    def matches(self, rule: str, target: str, page: str) -> bool:
        if not fnmatch.fnmatch(page, self.pages):
            return False
        if not (rule == self.rule or re.fullmatch(self.rule, rule, re.S)):
            return False
        return not self.target or re.search(self.target, target, re.M) is not None


def xfail_defects(defects: Iterable[Defect]) -> Iterator:
    for d in defects:
        yield pytest.param(
            d, id=d.id, marks=pytest.mark.xfail(strict=True, reason=f"site defect, not fixed yet: {d.fix}")
        )
