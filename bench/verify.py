"""Verify before measuring (as TechEmpower does): one request, exact status, type and body.

A fast wrong answer is worse than a slow right one, so a stack x workload that fails here is
reported with the reason and never load-tested.
"""

from __future__ import annotations

import http.client
import json
import time

from bench.workloads import Workload


class VerifyError(Exception):
    pass


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10.0,
) -> tuple[int, http.client.HTTPMessage, bytes, float]:
    """(status, headers, body, seconds) of one request to 127.0.0.1:port; de-chunks streams."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        start = time.perf_counter()
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return response.status, response.headers, data, time.perf_counter() - start
    finally:
        conn.close()


def media_type(headers: http.client.HTTPMessage) -> str:
    return (headers.get("Content-Type") or "").split(";")[0].strip().lower()


def verify(port: int, w: Workload) -> None:
    """Raise VerifyError saying what differs; return quietly when the answer is exactly right."""
    status, headers, data, seconds = request(port, w.method, w.path, w.body, w.headers)
    if status != 200:
        raise VerifyError(f"{w.method} {w.path}: status {status}, expected 200: {data[:200]!r}")
    if media_type(headers) != w.media_type:
        raise VerifyError(f"{w.path}: Content-Type {headers.get('Content-Type')!r}, expected {w.media_type}")
    if isinstance(w.expected, bytes):
        if data != w.expected:
            raise VerifyError(f"{w.path}: body {data[:120]!r}... differs from {w.expected[:120]!r}...")
    else:
        try:
            got = json.loads(data)
        except ValueError:
            raise VerifyError(f"{w.path}: body is not JSON: {data[:200]!r}") from None
        if got != w.expected or json.dumps(got, sort_keys=True) != json.dumps(w.expected, sort_keys=True):
            raise VerifyError(f"{w.path}: body {got!r} differs from expected {w.expected!r}")
    if seconds < w.min_seconds:
        raise VerifyError(
            f"{w.path}: answered in {seconds * 1000:.1f} ms, faster than the "
            f"{w.min_seconds * 1000:.0f} ms the work takes: it was skipped"
        )
    if w.rejects is not None:
        status, _, data, _ = request(port, w.method, w.path, w.rejects, w.headers)
        if status not in (400, 422):
            raise VerifyError(f"{w.path}: an invalid body got {status}, expected 400 or 422: {data[:200]!r}")
