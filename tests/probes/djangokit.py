"""Helpers for the Django probes: a URL conf the probes fill, and a bare ASGI call."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from typing import Any

from django.test import override_settings
from django.urls import clear_url_caches

urlpatterns: list[Any] = []  # ROOT_URLCONF; `routes()` swaps in the patterns a probe needs


@contextlib.contextmanager
def routes(*patterns: Any, **settings: Any) -> Iterator[None]:
    global urlpatterns
    saved = urlpatterns
    urlpatterns = list(patterns)
    clear_url_caches()
    try:
        with override_settings(**settings):
            yield
    finally:
        urlpatterns = saved
        clear_url_caches()


def scope(path: str, method: str = "GET", kind: str = "http") -> dict[str, Any]:
    return {
        "type": kind,
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 40000),
        "server": ("testserver", 80),
    }


async def asgi_call(app: Any, path: str, method: str = "GET") -> list[dict[str, Any]]:
    """Send one request to an ASGI app and return every message it sent back."""
    sent: list[dict[str, Any]] = []
    first = True

    async def receive() -> dict[str, Any]:
        nonlocal first
        if first:
            first = False
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays connected
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope(path, method), receive, send)
    return sent


def body(messages: list[dict[str, Any]]) -> bytes:
    return b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")


def status(messages: list[dict[str, Any]]) -> int:
    return next(m["status"] for m in messages if m["type"] == "http.response.start")
