"""Building a site as `make` does, and reading it: pages, ids, tables, internal links, requests to other hosts.

MkDocs validates Markdown links, but not links inside raw HTML that macros emit; this checks them all in
the final HTML.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

from lxml import html as lxml_html

# <link rel=...> values that make the browser fetch something.
FETCHING_RELS = {
    "stylesheet",
    "preload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "icon",
    "shortcut",
    "modulepreload",
    "manifest",
    "apple-touch-icon",
}
EXTERNAL_SCHEMES = ("http:", "https:", "mailto:", "javascript:", "data:", "tel:")


STAMP = ".venv/.installed-from-lock"


def make(target: str, cwd: Path, **variables: str | Path) -> subprocess.CompletedProcess:
    """A Makefile target as a user runs it, with this interpreter's venv (never reinstalled from here)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    return subprocess.run(
        [
            "make",
            "--no-print-directory",
            "-o",
            STAMP,
            target,
            f"BIN={Path(sys.executable).parent}",
            *(f"{k}={v}" for k, v in variables.items()),
        ],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@dataclass(frozen=True)
class BrokenLink:
    page: str
    href: str
    problem: str

    def __str__(self) -> str:
        return f"{self.page}: {self.href}: {self.problem}"


class Site:
    def __init__(self, root: Path, base_path: str = "/"):
        self.root = root
        self.base_path = base_path  # the path part of site_url: absolute links start with it

    @cached_property
    def pages(self) -> dict[str, lxml_html.HtmlElement]:
        return {
            p.relative_to(self.root).as_posix(): lxml_html.parse(str(p)).getroot()
            for p in sorted(self.root.rglob("*.html"))
        }

    def ids(self, page: str) -> set[str]:
        doc = self.pages[page]
        return set(doc.xpath("//@id")) | set(doc.xpath("//a/@name"))

    def text(self, page: str) -> str:
        return " ".join(self.pages[page].text_content().split())

    def _target(self, page: str, href: str) -> tuple[Path | None, str]:
        """The file a link points to (None when outside the site) and its fragment."""
        url, fragment = urldefrag(href)
        path = unquote(urlsplit(url).path)
        base = (self.root / page).parent
        if path.startswith("/"):
            if not path.startswith(self.base_path):
                return None, fragment
            base, path = self.root, path[len(self.base_path) :] or "."  # the base path itself: the home page
        target = (base / path).resolve() if path else (self.root / page).resolve()
        if target.is_dir():
            target = target / "index.html"
        return target, unquote(fragment)

    def tables(self, page: str) -> list[list[list[str]]]:
        """The text of every cell of every table in the page's content, row by row."""
        return [
            [
                [" ".join(cell.text_content().split()) for cell in row.xpath("./th | ./td")]
                for row in table.xpath(".//tr")
            ]
            for table in self.pages[page].xpath("//article//table")
        ]

    def internal_links(self, page: str) -> set[tuple[str | None, str]]:
        """Where the page's links within the site lead: (file relative to the root, or None, and fragment)."""
        found = set()
        for href in self.pages[page].xpath("//a/@href"):
            if href.startswith(EXTERNAL_SCHEMES) or href.startswith("//"):
                continue
            target, fragment = self._target(page, href)
            inside = target is not None and target.is_relative_to(self.root.resolve())
            found.add((target.relative_to(self.root.resolve()).as_posix() if inside else None, fragment))
        return found

    def broken_links(self) -> list[BrokenLink]:
        broken = []
        for page, doc in self.pages.items():
            for element, attr in ((a, "href") for a in doc.xpath("//a[@href]")):
                href = element.get(attr)
                if href.startswith(EXTERNAL_SCHEMES) or href.startswith("//"):
                    continue
                target, fragment = self._target(page, href)
                if target is None or not target.is_relative_to(self.root.resolve()):
                    broken.append(BrokenLink(page, href, "points outside the site"))
                    continue
                rel = target.relative_to(self.root.resolve()).as_posix()
                if not target.is_file():
                    broken.append(BrokenLink(page, href, "no such file"))
                elif fragment and rel.endswith(".html") and fragment not in self.ids(rel):
                    broken.append(BrokenLink(page, href, f"no element with id {fragment!r} on {rel}"))
        return broken

    def third_party_requests(self) -> list[str]:
        """Resources a page would fetch from another host (scripts, styles, images, frames, fonts)."""
        found = []
        for page, doc in self.pages.items():
            urls = doc.xpath(
                "//script/@src | //img/@src | //iframe/@src | //source/@src | //video/@src"
                " | //audio/@src | //embed/@src | //object/@data | //img/@srcset"
            )
            for link in doc.xpath("//link[@href]"):
                if set((link.get("rel") or "").lower().split()) & FETCHING_RELS:
                    urls.append(link.get("href"))
            for style in doc.xpath("//style/text() | //@style"):
                urls.extend(part.split(")")[0].strip("'\" ") for part in style.split("url(")[1:])
            found.extend(f"{page}: {u}" for u in urls if u.startswith(("http:", "https:", "//")))
        return found
