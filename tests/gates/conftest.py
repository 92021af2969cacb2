"""Fixtures for the quality gates: one strict build of the site per session, a local gzip server for it,
and Chromium driven by Playwright. See README.md in this folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from gatekit import CHROMIUM, CHROMIUM_ARGS, REPO, StaticServer, built_pages, lighthouse_pages, page_id, require_tool

CHROMIUM_HOW = "install Debian's chromium (`apt-get install chromium`) or set CHROME_PATH"


def pytest_addoption(parser: pytest.Parser) -> None:
    # Registered only when pytest is pointed at tests/gates (or a file in it); UPDATE_QUALITY=1 works always.
    parser.addoption(
        "--update-quality",
        action="store_true",
        default=False,
        help="rewrite quality/lighthouse.json with this run's Lighthouse scores",
    )


@pytest.fixture(scope="session")
def update_quality(request: pytest.FixtureRequest) -> bool:
    flag = request.config.getoption("update_quality", default=False)
    return bool(flag) or os.environ.get("UPDATE_QUALITY", "") not in ("", "0", "false")


@dataclass
class Build:
    dir: Path
    error: str | None


_BUILD: list[Build] = []


def site_build() -> Build:
    """The whole site, built ONCE per session with `mkdocs build --strict` into a temporary directory, then
    the dataset exported into it (`python -m macros export`), as `make build` does.

    It happens during collection, because the pages to check are the index.html files of the build.
    """
    if not _BUILD:
        out = Path(tempfile.mkdtemp(prefix="gates-site-"))
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
        error = None
        steps = (["mkdocs", "build", "--strict", "--quiet", "--site-dir", str(out)], ["macros", "export", str(out)])
        for step in steps:
            proc = subprocess.run(
                [sys.executable, "-m", *step], cwd=REPO, env=env, capture_output=True, text=True, timeout=600
            )
            if proc.returncode != 0:
                error = f"{' '.join(step[:2])} failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
                break
        _BUILD.append(Build(out, error))
    return _BUILD[0]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """`path`: every built page; `lighthouse_path`: the pages Lighthouse measures (gatekit.lighthouse_pages)."""
    for name, select in (("path", lambda pages: pages), ("lighthouse_path", lighthouse_pages)):
        if name in metafunc.fixturenames:
            build = site_build()
            pages = select(built_pages(build.dir)) if not build.error else ["(build failed)"]
            metafunc.parametrize(name, pages, ids=[page_id(p) for p in pages])


def pytest_sessionfinish(session: pytest.Session) -> None:
    for build in _BUILD:
        shutil.rmtree(build.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def site_dir() -> Path:
    build = site_build()
    if build.error:
        pytest.fail(build.error, pytrace=False)
    return build.dir


@pytest.fixture(scope="session")
def site_pages(site_dir: Path) -> list[str]:
    return built_pages(site_dir)


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1 (a free port) with gzip, from a thread of this process."""
    with StaticServer(site_dir) as server:
        yield server.url


@pytest.fixture(scope="session")
def chromium_path() -> str:
    return require_tool(CHROMIUM, CHROMIUM_HOW)


# Module scope: Playwright's sync API keeps an event loop running in this thread while it is started, so it
# must stop when a gate module is done, before other tests (tests/samples) call asyncio.run(). (Package
# scope would not do: tests/gates has no __init__.py, so pytest would keep it for the whole session.)
@pytest.fixture(scope="module")
def browser(chromium_path: str):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        require_tool("playwright (Python package)", "pip install the project's `test` extra")
    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
    except Exception:
        pw.stop()
        raise
    yield browser
    browser.close()
    pw.stop()


@dataclass
class Visit:
    """What happened while a page was open: every request, console errors, uncaught errors, bad statuses."""

    page: object
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        out = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue  # no host: nothing leaves the page
            if parts.hostname != "127.0.0.1":
                out.append(url)
        return out


@pytest.fixture
def open_page(browser, base_url: str):
    """open_page(path, width=1280, height=900, color_scheme="light") -> Visit, with every request recorded.

    Each call gets a fresh browser context (no stored palette, no cache), closed after the test.
    """
    contexts = []

    def _open(
        path: str, width: int = 1280, height: int = 900, color_scheme: str = "light", wait: str = "networkidle"
    ) -> Visit:
        context = browser.new_context(
            viewport={"width": width, "height": height}, color_scheme=color_scheme, reduced_motion="reduce"
        )
        contexts.append(context)
        page = context.new_page()
        visit = Visit(page)
        context.on("request", lambda req: visit.requests.append(req.url))
        page.on(
            "console",
            lambda msg: (
                msg.type == "error"
                and visit.console_errors.append(
                    f"{msg.text} ({msg.location.get('url', '')}:{msg.location.get('lineNumber', '')})"
                )
            ),
        )
        page.on("pageerror", lambda err: visit.page_errors.append(str(err)))
        page.on("response", lambda resp: resp.status >= 400 and visit.bad_responses.append(f"{resp.status} {resp.url}"))
        page.goto(base_url + path, wait_until="load")
        if wait == "networkidle":
            page.wait_for_load_state("networkidle")
        return visit

    yield _open
    for context in contexts:
        context.close()
