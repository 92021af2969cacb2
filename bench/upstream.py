"""A fake LLM upstream: answers every HTTP/1.1 request with a fixed chat completion after 50 ms.

It is a raw asyncio Protocol (no framework, no parsing beyond Content-Length), so it costs a few
microseconds of CPU per request and cannot be the bottleneck; the harness measures its capacity
with wrk before a full run and records it. Keep-alive and pipelining are supported because the
apps' httpx pools reuse connections.

Run: python -m bench.upstream --port 9100 [--delay-ms 50]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
from typing import cast

from bench.apps import common

BODY = json.dumps(
    {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "model": common.UPSTREAM_REQUEST["model"],
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": common.UPSTREAM_COMPLETION},
                "finish_reason": "stop",
            }
        ],
    },
    separators=(",", ":"),
).encode()
RESPONSE = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
    + str(len(BODY)).encode()
    + b"\r\n\r\n"
    + BODY
)


class FakeLLM(asyncio.Protocol):
    delay = common.UPSTREAM_DELAY_S

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # A stream server's protocol is given a stream transport (asyncio's or uvloop's: no common class).
        self.transport = cast(asyncio.Transport, transport)
        self.buffer = b""
        self.loop = asyncio.get_running_loop()

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            head = self.buffer[:end].lower()
            length = 0
            if (at := head.find(b"content-length:")) >= 0:
                length = int(head[at + 15 :].split(b"\r\n", 1)[0])
            if len(self.buffer) < end + 4 + length:
                return  # body not complete yet
            self.buffer = self.buffer[end + 4 + length :]
            close = b"connection: close" in head
            # Equal delays fire in order, so pipelined answers stay in request order.
            self.loop.call_later(self.delay, self.answer, close)

    def answer(self, close: bool) -> None:
        if self.transport.is_closing():
            return
        self.transport.write(RESPONSE)
        if close:
            self.transport.close()


async def serve(host: str, port: int, delay_s: float) -> None:
    FakeLLM.delay = delay_s
    server = await asyncio.get_running_loop().create_server(FakeLLM, host, port, backlog=4096)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--delay-ms", type=float, default=common.UPSTREAM_DELAY_S * 1000)
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.host, args.port, args.delay_ms / 1000))


if __name__ == "__main__":
    main()
