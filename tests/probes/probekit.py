"""Stand-ins shared by the probes of several frameworks (issue 13): a connection that behaves as the pinned
uvicorn does when its client goes away (and `disconnect_midway`, which hangs up on a handler while it waits),
the client socket and loop of gunicorn's gthread worker for WSGI apps, Sentry's SDK with a transport that keeps
events in a list, and an MCP client's first steps over Streamable HTTP. Each was written once and checked
against the installed code."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Iterator
from typing import Any

import sentry_sdk
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport


class UvicornLikeConnection:
    """One GET served the way uvicorn 0.54.0 serves it (uvicorn/protocols/http/httptools_impl.py; h11_impl.py,
    used when httptools is missing, has the same lines):

    - the scope carries `"asgi": {"version": self.asgi_version, "spec_version": "2.3"}` (line 228; "3.0" for an
      ASGI 3 app);
    - `receive()` hands over the request, then blocks on `message_event` until the client goes or the response
      is complete: `if not self.disconnected and not self.response_complete: ... await self.message_event.wait()`
      and then `if self.disconnected or self.response_complete: return {"type": "http.disconnect"}` (567-578);
    - when the client goes, `connection_lost` sets `self.cycle.disconnected = True` (if the response is not
      complete) and `self.cycle.message_event.set()` (123-126); it does nothing to the task running the app,
      which `run_asgi` simply awaits to its end (419-446);
    - `send()` after that returns at once, raising nothing: `if self.disconnected: return` (467-468).
    """

    def __init__(self, path: str) -> None:
        self.scope: dict[str, Any] = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "server": ("127.0.0.1", 8000),
            "client": ("127.0.0.1", 40000),
            "scheme": "http",
            "method": "GET",
            "root_path": "",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "headers": [(b"host", b"127.0.0.1:8000")],
            "state": {},
        }
        self.disconnected = False
        self.response_complete = False
        self.message_event = asyncio.Event()
        self.message_event.set()  # a GET has no body: on_message_complete has fired before the app runs
        self.sent: list[dict[str, Any]] = []  # what went out to the client
        self.dropped: list[dict[str, Any]] = []  # what send() swallowed after the client had gone
        self.first_body = asyncio.Event()  # a chunk of the answer has gone out

    async def receive(self) -> dict[str, Any]:
        if not self.disconnected and not self.response_complete:
            await self.message_event.wait()
            self.message_event.clear()
        if self.disconnected or self.response_complete:
            return {"type": "http.disconnect"}
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(self, message: dict[str, Any]) -> None:
        if self.disconnected:
            self.dropped.append(message)
            return
        self.sent.append(message)
        if message.get("body"):
            self.first_body.set()
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            self.response_complete = True
            self.message_event.set()

    def client_goes_away(self) -> None:  # what connection_lost does to the request cycle
        if not self.response_complete:
            self.disconnected = True
        self.message_event.set()


async def disconnect_midway(
    app: Any, path: str, waiting: asyncio.Event, ended: asyncio.Event, *, streaming: bool, grace: float = 1.0
) -> tuple[UvicornLikeConnection, asyncio.Task[None], bool]:
    """Serve a GET to `path` on the ASGI `app` as uvicorn does; once the handler awaits its upstream (`waiting` is
    set) and, for a stream, its first chunk has gone out, the client goes away. Returns the connection, the task
    running the app, and whether the handler ended (`ended` set) within `grace` seconds of the disconnect."""
    conn = UvicornLikeConnection(path)
    task = asyncio.create_task(app(conn.scope, conn.receive, conn.send))
    await asyncio.wait_for(waiting.wait(), 5)
    if streaming:  # the answer has started to flow
        await asyncio.wait_for(conn.first_body.wait(), 5)
    conn.client_goes_away()
    try:
        await asyncio.wait_for(ended.wait(), grace)
    except TimeoutError:
        return conn, task, False
    return conn, task, True


class GoneClient:
    """The client socket as gunicorn's `resp.write()` meets it (`util.write` ends in `sock.sendall(data)`): once
    the client has gone, the write raises. This stand-in fails the first write after the disconnect, the earliest
    a real server can notice; over TCP that first write often still succeeds and the next one fails."""

    def __init__(self) -> None:
        self.gone = False
        self.received: list[bytes] = []

    def sendall(self, data: bytes) -> None:
        if self.gone:
            raise BrokenPipeError(32, "Broken pipe")
        self.received.append(data)


def gthread_handle(app: Any, environ: dict[str, Any], sock: GoneClient) -> None:
    # What gunicorn 27.0.1's gthread worker does with a WSGI app (gunicorn/workers/gthread.py:771-784; the sync
    # worker, sync.py:184-196, is the same):
    #     respiter = self.wsgi(environ, resp.start_response)
    #     try:
    #         ...
    #             for item in respiter:
    #                 resp.write(item)
    #         resp.close()
    #     finally:
    #         ...
    #         if hasattr(respiter, "close"):
    #             respiter.close()
    # The OSError of a failed write then goes up to `handle()`, which drops EPIPE and ECONNRESET quietly (565-567).
    respiter = app(environ, lambda status, headers, exc_info=None: sock.sendall)
    try:
        for item in respiter:
            sock.sendall(item)
    finally:
        if hasattr(respiter, "close"):
            respiter.close()


@contextlib.contextmanager
def sentry_events() -> Iterator[list[dict[str, Any]]]:
    """`sentry_sdk.init` with its default integrations, as Sentry's docs show it, and `data_collection` (2.75
    deprecates `send_default_pii` for it; its `user_info` is on by default); the transport keeps the error events in
    a list instead of sending them. Afterwards the client is closed and the scopes cleared, and the classes and
    modules the integrations patched get their own attributes back (integrations patch once per process, and a
    patched `Starlette.__call__` breaks a later Litestar probe); the next `init` patches them afresh."""
    import sys

    import sentry_sdk.integrations as integrations
    import sentry_sdk.scope as scopes

    frameworks = ("django", "rest_framework", "ninja", "fastapi", "starlette", "litestar", "flask", "werkzeug")
    others = ("quart", "sanic", "falcon", "mcp", "httpx", "httpx2", "logging", "threading", "subprocess", "http", "sys")
    roots = {*frameworks, *others}
    owners = [m for n, m in list(sys.modules.items()) if m is not None and n.partition(".")[0] in roots]
    owners += [v for m in list(owners) for v in list(vars(m).values()) if isinstance(v, type)]
    before = {id(o): (o, dict(vars(o))) for o in owners}
    processors = list(scopes.global_event_processors)
    events: list[dict[str, Any]] = []

    class _Keep(Transport):
        def capture_envelope(self, envelope: Envelope) -> None:
            event = envelope.get_event()
            if event is not None:
                events.append(event)

    sentry_sdk.init(dsn="https://public@example.invalid/1", transport=_Keep(), data_collection={})
    try:
        yield events
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.get_global_scope().set_client(None)
        sentry_sdk.get_isolation_scope().clear()
        sentry_sdk.get_current_scope().clear()
        for owner, saved in before.values():
            for name, value in saved.items():
                if vars(owner).get(name) is not value and callable(value):
                    setattr(owner, name, value)
        scopes.global_event_processors[:] = processors  # or a second Dedupe processor drops every error
        integrations._processed_integrations.clear()
        integrations._installed_integrations.clear()


def mcp_handshake(client: Any, url: str) -> list[str]:
    """An MCP client's first steps over Streamable HTTP: `initialize`, `notifications/initialized`, `tools/list`.

    Returns the names of the tools listed. Responses may come as JSON or as one SSE `data:` line."""

    def rpc(message: dict[str, Any], session: str | None = None) -> Any:
        headers = {"accept": "application/json, text/event-stream", "content-type": "application/json"}
        if session:
            headers |= {"mcp-session-id": session, "mcp-protocol-version": "2025-11-25"}
        return client.post(url, content=json.dumps(message), headers=headers)

    def result(response: Any) -> dict[str, Any]:
        assert response.status_code == 200, (response.status_code, response.text)
        if response.headers["content-type"].startswith("text/event-stream"):
            [data] = [line[5:] for line in response.text.splitlines() if line.startswith("data:")]
            return json.loads(data)["result"]
        return response.json()["result"]

    hello = {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "probe", "version": "0"}}
    opened = rpc({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": hello})
    assert result(opened)["protocolVersion"] == "2025-11-25"
    session = opened.headers["mcp-session-id"]
    assert rpc({"jsonrpc": "2.0", "method": "notifications/initialized"}, session).status_code == 202
    listed = result(rpc({"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}}, session))
    return [tool["name"] for tool in listed["tools"]]
