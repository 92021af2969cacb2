"""Why Django under ASGI costs what it costs, measured: thread hops and CPU per request.

`python -m bench.hops APP_ID CLASS` runs in a fresh process (Django's settings are read once),
imports the app exactly as the server would, and drives N `GET /json` requests straight through
its ASGI callable on one event loop, with no HTTP server in between. While it does, it counts

- hops: calls of `concurrent.futures.ThreadPoolExecutor.submit`, which is how asgiref's
  `sync_to_async` (and `loop.run_in_executor`) hand work to a thread, plus calls of AnyIO's
  `to_thread.run_sync`, which Starlette/FastAPI use for `def` endpoints and dependencies;
- new executors: `ThreadPoolExecutor.__init__` (Django's ASGI handler makes one per request
  through asgiref's ThreadSensitiveContext when anything sync runs);
- new threads: `threading.Thread.start`;

and the process's CPU time (user + system) per request. It prints one JSON line. The harness
runs it for every ASGI app, stock and tuned, and writes the lines into the results file's
`thread_hops`.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import importlib
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

WARMUP, REQUESTS = 50, 400

# ASGI, as the spec defines it (no framework's own types: the point is to call any of them the same way).
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Message, Receive, Send], Coroutine[Any, Any, None]]


def scope() -> Message:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/json",
        "raw_path": b"/json",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def one(app: ASGIApp) -> int:
    sent: list[Message] = []
    received = False

    async def receive() -> Message:
        nonlocal received
        if not received:
            received = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope(), receive, send)
    status: int = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status


async def lifespan_start(app: ASGIApp) -> asyncio.Task[None]:
    """FastAPI's lifespan opens the shared HTTP client; run its startup, keep it alive."""
    queue: asyncio.Queue[Message] = asyncio.Queue()
    await queue.put({"type": "lifespan.startup"})
    started = asyncio.Event()

    async def send(message: Message) -> None:
        if message["type"].startswith("lifespan.startup"):
            started.set()

    task = asyncio.create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, queue.get, send))
    await asyncio.wait_for(started.wait(), 10)
    return task


def measure(module_app: str, is_django: bool, n: int = REQUESTS) -> dict[str, float]:
    module, attr = module_app.split(":")
    app = getattr(importlib.import_module(module), attr)
    counts = {"submit": 0, "executors": 0, "threads": 0}
    submit, init, start = (
        concurrent.futures.ThreadPoolExecutor.submit,
        concurrent.futures.ThreadPoolExecutor.__init__,
        threading.Thread.start,
    )

    def counting_submit(self: concurrent.futures.ThreadPoolExecutor, *a: Any, **k: Any) -> Any:
        counts["submit"] += 1
        return submit(self, *a, **k)

    def counting_init(self: concurrent.futures.ThreadPoolExecutor, *a: Any, **k: Any) -> None:
        counts["executors"] += 1
        return init(self, *a, **k)

    import anyio.to_thread

    run_sync = anyio.to_thread.run_sync

    async def counting_run_sync(*a: Any, **k: Any) -> Any:
        counts["submit"] += 1
        return await run_sync(*a, **k)

    def counting_start(self: threading.Thread, *a: Any, **k: Any) -> None:
        counts["threads"] += 1
        return start(self, *a, **k)

    async def main() -> tuple[float, float]:
        task = None if is_django else await lifespan_start(app)
        for _ in range(WARMUP):
            assert await one(app) == 200
        # Counting hops means patching these for the measured loop (restored below); mypy rejects
        # assigning to a method and the counting wrappers' looser signatures: that is the point here.
        concurrent.futures.ThreadPoolExecutor.submit = counting_submit  # type: ignore[method-assign, assignment]
        concurrent.futures.ThreadPoolExecutor.__init__ = counting_init  # type: ignore[method-assign]
        threading.Thread.start = counting_start  # type: ignore[method-assign]
        anyio.to_thread.run_sync = counting_run_sync  # type: ignore[assignment]
        try:
            cpu, wall = time.process_time(), time.perf_counter()
            for _ in range(n):
                status = await one(app)
                assert status == 200, status
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        finally:
            concurrent.futures.ThreadPoolExecutor.submit = submit  # type: ignore[method-assign]
            concurrent.futures.ThreadPoolExecutor.__init__ = init  # type: ignore[method-assign]
            threading.Thread.start = start  # type: ignore[method-assign]
            anyio.to_thread.run_sync = run_sync
        if task is not None:
            task.cancel()
        return cpu, wall

    cpu, wall = asyncio.run(main())
    return {
        "hops_per_request": round(counts["submit"] / n, 2),
        "new_executors_per_request": round(counts["executors"] / n, 2),
        "new_threads_per_request": round(counts["threads"] / n, 2),
        "cpu_us_per_request": round(cpu / n * 1e6, 1),
        "requests": n,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hops")
    parser.add_argument("app", help="module:attribute of an ASGI app")
    parser.add_argument("--django", action="store_true")
    parser.add_argument("--requests", type=int, default=REQUESTS)
    args = parser.parse_args(argv)
    # /json reads no rows
    os.environ.setdefault("BENCH_DB", os.path.join(tempfile.gettempdir(), "bench-hops-unused.sqlite3"))
    os.environ.setdefault("BENCH_UPSTREAM_URL", "http://127.0.0.1:9/")
    print(json.dumps(measure(args.app, args.django, args.requests)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
