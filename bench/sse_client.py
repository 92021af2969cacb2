"""Closed-loop SSE load client: time to first token and time per stream, which wrk cannot see.

Each of `concurrency` workers opens a fresh connection (as a browser's EventSource does), sends
GET with `Connection: close`, and reads until the server closes. It records when the first
`data:` line arrived (TTFT) and when the stream ended, and counts the events; a stream that is
not HTTP 200, has the wrong number of events, or exceeds the timeout is an error. New streams
start only until `duration` has passed; rate = streams finished by then / duration, like wrk.
Raw asyncio sockets keep the client cheap enough to share a core with nothing else.

Run: python -m bench.sse_client --port P [--path /sse --concurrency 64 --duration 10]
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import time
from typing import Any

from bench.apps import common


def percentiles(values: list[float]) -> dict[str, float] | None:
    """Nearest-rank p50/p90/p99 in milliseconds."""
    if not values:
        return None
    ordered = sorted(values)

    def pick(q: float) -> float:
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)]

    return {"p50": pick(0.50) * 1000, "p90": pick(0.90) * 1000, "p99": pick(0.99) * 1000}


async def one_stream(host: str, port: int, request: bytes, events: int) -> tuple[str, float, float]:
    """('ok'|'non_2xx'|'bad', ttft_s, total_s) for one stream."""
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(request)
        data = bytearray()
        first = None
        while chunk := await reader.read(65536):
            data += chunk
            if first is None:
                head_end = data.find(b"\r\n\r\n")
                if head_end >= 0 and data.find(b"data:", head_end) >= 0:
                    first = time.perf_counter()
        end = time.perf_counter()
    finally:
        writer.close()
    if not data.startswith(b"HTTP/1.1 200"):
        return "non_2xx", 0.0, end - start
    if first is None or data.count(b"\ndata: tok") != events:  # each event follows a line end
        return "bad", 0.0, end - start
    return "ok", first - start, end - start


async def load(
    host: str, port: int, path: str, concurrency: int, duration: float, timeout: float, events: int
) -> dict[str, Any]:
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n"
    ).encode()
    ttft: list[float] = []
    total: list[float] = []
    counts = {"ok": 0, "in_time": 0, "non_2xx": 0, "errors": 0}
    start = time.perf_counter()
    deadline = start + duration

    async def worker() -> None:
        while time.perf_counter() < deadline:
            try:
                status, t1, t2 = await asyncio.wait_for(one_stream(host, port, request, events), timeout)
            except (TimeoutError, OSError, asyncio.IncompleteReadError):
                counts["errors"] += 1
                continue
            if status == "ok":
                counts["ok"] += 1
                counts["in_time"] += time.perf_counter() <= deadline
                ttft.append(t1)
                total.append(t2)
            elif status == "non_2xx":
                counts["non_2xx"] += 1
            else:
                counts["errors"] += 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return {
        "requests": counts["ok"],
        "requests_per_second": counts["in_time"] / duration,
        "errors": counts["errors"],
        "non_2xx": counts["non_2xx"],
        "elapsed_s": time.perf_counter() - start,
        "ttft_ms": percentiles(ttft),
        "stream_ms": percentiles(total),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/sse")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--events", type=int, default=common.SSE_TOKENS)
    a = parser.parse_args()
    result = asyncio.run(load(a.host, a.port, a.path, a.concurrency, a.duration, a.timeout, a.events))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
