"""Probes of data/frameworks/sanic.yaml: each test shows one fact on the pinned Sanic (requirements.lock).

`@probe("sanic/<criterion>")` names the fact; a failure says which fact to revisit (macros/probes.py).
sanic-testing (Sanic's test clients) is not in the lock, so everything goes through the app's ASGI interface:
`_served` sends the ASGI lifespan startup that Sanic needs before it answers (see the `asgi` probe), then
hands out an httpx client on `httpx.ASGITransport`; `_asgi_call` drives one raw ASGI connection and
returns every message the app sent. Sanic's test mode is on during each probe, as sanic-testing does, so that
several apps can start in one process. No server, no network.
"""

import asyncio
import contextlib
import importlib.util
import inspect
import itertools
import os
import tempfile
import threading
import time
import warnings
from collections.abc import AsyncIterator, Iterator
from importlib import metadata
from pathlib import Path

import httpx
import pytest
import sanic.exceptions
import sentry_sdk
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from probekit import sentry_events
from sanic import Request, Sanic, Websocket, html, json, text
from sanic.response import HTTPResponse

from macros.probes import probe

_names = itertools.count()


@pytest.fixture(autouse=True)
def _sanic_test_mode() -> Iterator[None]:
    """Several apps in one process need Sanic's test mode, as sanic-testing sets it (per-app code touch-ups)."""
    previous = Sanic.test_mode
    Sanic.test_mode = True
    yield
    Sanic.test_mode = previous


def _app() -> Sanic:
    """A fresh app with a unique name (Sanic refuses two live apps with the same name)."""
    return Sanic(f"probe_{next(_names)}")


@contextlib.asynccontextmanager
async def _served(app: Sanic) -> AsyncIterator[httpx.AsyncClient]:
    """Run the ASGI lifespan startup, yield an in-process client, then run the lifespan shutdown."""
    to_app: asyncio.Queue = asyncio.Queue()
    from_app: asyncio.Queue = asyncio.Queue()
    lifespan = asyncio.create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}}, to_app.get, from_app.put))
    await to_app.put({"type": "lifespan.startup"})
    started = await asyncio.wait_for(from_app.get(), 20)
    assert started["type"] == "lifespan.startup.complete", started
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://probe") as client:
            yield client
    finally:
        await to_app.put({"type": "lifespan.shutdown"})
        stopped = await asyncio.wait_for(from_app.get(), 20)
        assert stopped["type"] == "lifespan.shutdown.complete", stopped
        await asyncio.wait_for(lifespan, 20)


async def _asgi_call(app: Sanic, scope: dict, incoming: list[dict]) -> list[dict]:
    """One raw ASGI connection: feed `incoming` to the app and collect what it sends."""
    queue: asyncio.Queue = asyncio.Queue()
    for message in incoming:
        queue.put_nowait(message)
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    await asyncio.wait_for(app(scope, queue.get, send), 20)
    return sent


def _scope(kind: str, path: str) -> dict:
    scope = {
        "type": kind,
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"probe")],
        "scheme": "http" if kind == "http" else "ws",
        "client": ("127.0.0.1", 50000),
        "server": ("probe", 80),
    }
    if kind == "http":
        scope["method"] = "GET"
    else:
        scope["subprotocols"] = []
    return scope


def _public_names(module: object) -> list[str]:
    return [n.lower() for n in dir(module) if not n.startswith("_")]


def _base_requires(dist: str) -> list[str]:
    return [r.lower() for r in metadata.requires(dist) or [] if "extra ==" not in r]


# --- performance ---------------------------------------------------------------------------------------
@probe("sanic/asgi")
def test_app_is_an_asgi_callable_that_needs_lifespan_startup() -> None:
    from sanic.exceptions import SanicException

    app = _app()

    @app.get("/")
    async def root(request: Request):  # noqa: ANN202
        return json({"hello": "asgi"})

    assert inspect.iscoroutinefunction(Sanic.__call__)
    assert list(inspect.signature(app.__call__).parameters) == ["scope", "receive", "send"]

    async def before_startup() -> None:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://probe") as client:
            await client.get("/")

    with pytest.raises(SanicException, match="Loop can only be retrieved"):
        asyncio.run(before_startup())

    async def after_startup() -> httpx.Response:
        async with _served(app) as client:
            return await client.get("/")

    assert asyncio.run(after_startup()).json() == {"hello": "asgi"}


@probe("sanic/wsgi")
def test_no_wsgi_callable() -> None:
    import sanic

    app = _app()
    assert inspect.iscoroutinefunction(app.__call__)
    assert not [n for n in _public_names(sanic) if "wsgi" in n]
    assert importlib.util.find_spec("sanic.wsgi") is None
    with pytest.raises(TypeError):
        app({"REQUEST_METHOD": "GET", "PATH_INFO": "/"}, lambda status, headers: None)  # WSGI passes 2 arguments


@probe("sanic/async-handlers")
def test_async_handlers_overlap_on_the_loop() -> None:
    app = _app()
    threads: set[str] = set()
    state = {"entered": 0}
    all_in: dict[str, asyncio.Event] = {}

    @app.get("/wait")
    async def wait(request: Request):  # noqa: ANN202
        threads.add(threading.current_thread().name)
        state["entered"] += 1
        if state["entered"] == 10:
            all_in["event"].set()
        await asyncio.wait_for(all_in["event"].wait(), 20)  # times out unless all ten are awaiting together
        return json({"ok": True})

    async def run() -> list[httpx.Response]:
        all_in["event"] = asyncio.Event()
        async with _served(app) as client:
            return await asyncio.gather(*(client.get("/wait") for _ in range(10)))

    responses = asyncio.run(run())
    assert all(r.status_code == 200 for r in responses), "the async handlers did not overlap"
    assert threads == {threading.current_thread().name}, f"async handlers ran on {threads}, not the loop's thread"


@probe("sanic/sync-handlers-offloaded")
def test_def_handlers_block_the_loop() -> None:
    app = _app()
    threads: set[str] = set()
    state = {"active": 0, "most": 0}

    @app.get("/block")
    def block(request: Request):  # noqa: ANN202
        threads.add(threading.current_thread().name)
        state["active"] += 1
        state["most"] = max(state["most"], state["active"])
        time.sleep(0.1)
        state["active"] -= 1
        return json({"ok": True})

    async def run() -> list[httpx.Response]:
        async with _served(app) as client:
            return await asyncio.gather(*(client.get("/block") for _ in range(3)))

    assert all(r.status_code == 200 for r in asyncio.run(run()))
    assert threads == {threading.current_thread().name}, f"a def handler ran in {threads}: Sanic offloads it"
    assert state["most"] == 1, "blocking def handlers overlapped, so they did not run on the loop one by one"


@probe("sanic/compiled-validation")
def test_json_goes_through_ujson_but_nothing_validates() -> None:
    # The value is `plugin` (sanic-ext, not in requirements.lock); what code shows here is the framework half:
    # Sanic encodes and decodes JSON with ujson, a C extension, and has no validation of its own.
    import sanic
    import ujson
    from sanic import helpers
    from sanic.request import types as request_types

    assert ujson.__file__.endswith((".so", ".pyd")), "ujson is not a compiled extension"
    assert helpers.json_dumps.func is ujson.dumps
    assert request_types.json_loads is ujson.loads
    assert not [n for n in _public_names(sanic) if "validat" in n or "schema" in n]
    assert importlib.util.find_spec("sanic.validation") is None


@probe("sanic/async-orm")
def test_no_data_layer_sqlalchemy_asyncio_awaits_queries() -> None:
    import sqlalchemy.ext.asyncio as sa_async

    requires = _base_requires("sanic")
    assert not [r for r in requires if r.startswith(("sqlalchemy", "tortoise", "mayim"))], requires
    assert inspect.iscoroutinefunction(sa_async.AsyncSession.execute)
    assert inspect.iscoroutinefunction(sa_async.AsyncSession.commit)
    assert callable(sa_async.create_async_engine)


# --- api -------------------------------------------------------------------------------------------------
@probe("sanic/request-validation")
def test_only_typed_path_segments_are_checked() -> None:
    # The value is `plugin` (sanic-ext's @validate, not in requirements.lock); code shows the framework half:
    # a typed path segment is converted, a mismatch is a 404, and annotated query values are not touched.
    app = _app()

    @app.get("/items/<item_id:int>")
    async def item(request: Request, item_id: int):  # noqa: ANN202
        return json({"id": item_id, "type": type(item_id).__name__, "q": request.args.get("q")})

    async def run() -> tuple[httpx.Response, httpx.Response]:
        async with _served(app) as client:
            return await client.get("/items/5?q=not-checked"), await client.get("/items/five")

    good, bad = asyncio.run(run())
    assert good.json() == {"id": 5, "type": "int", "q": "not-checked"}
    assert bad.status_code == 404


@probe("sanic/openapi")
def test_no_schema_or_docs_page_without_sanic_ext() -> None:
    app = _app()

    @app.get("/items")
    async def items(request: Request):  # noqa: ANN202
        return json([])

    async def run() -> list[int]:
        async with _served(app) as client:
            return [(await client.get(p)).status_code for p in ("/docs", "/docs/openapi.json", "/openapi.json")]

    assert asyncio.run(run()) == [404, 404, 404]
    assert importlib.util.find_spec("sanic.openapi") is None


@probe("sanic/response-serialization")
def test_no_declared_response_type_filters_output() -> None:
    app = _app()

    @app.get("/dict")
    async def plain(request: Request) -> dict:  # noqa: ANN202
        return {"a": 1}

    @app.get("/json")
    async def via_json(request: Request):  # noqa: ANN202
        return json({"a": 1, "secret": "x"})

    async def run() -> tuple[httpx.Response, httpx.Response]:
        async with _served(app) as client:
            return await client.get("/dict"), await client.get("/json")

    plain_response, json_response = asyncio.run(run())
    assert plain_response.status_code == 500, "a returned dict was serialized for us"
    assert json_response.json() == {"a": 1, "secret": "x"}


@probe("sanic/dependency-injection")
def test_core_injects_nothing_but_offers_ctx() -> None:
    # The value is `plugin` (sanic-ext's injection, not in requirements.lock); code shows the framework half:
    # an annotated extra handler argument is not resolved, and sharing goes through app.ctx / request.ctx.
    class Service:
        pass

    app = _app()
    app.ctx.service = Service()

    @app.get("/injected")
    async def injected(request: Request, service: Service):  # noqa: ANN202
        return text("resolved")

    @app.get("/ctx")
    async def ctx(request: Request):  # noqa: ANN202
        request.ctx.seen = isinstance(request.app.ctx.service, Service)
        return json({"seen": request.ctx.seen})

    async def run() -> tuple[httpx.Response, httpx.Response]:
        async with _served(app) as client:
            return await client.get("/injected"), await client.get("/ctx")

    injected_response, ctx_response = asyncio.run(run())
    assert injected_response.status_code == 500, "Sanic resolved an annotated handler argument by itself"
    assert ctx_response.json() == {"seen": True}


@probe("sanic/graphql")
def test_no_graphql_in_sanic_itself() -> None:
    import sanic

    assert importlib.util.find_spec("sanic.graphql") is None
    assert not [n for n in _public_names(sanic) if "graphql" in n]


# --- data ------------------------------------------------------------------------------------------------
@probe("sanic/orm")
def test_sanic_ships_no_orm() -> None:
    import sanic

    requires = _base_requires("sanic")
    assert not [r for r in requires if r.startswith(("sqlalchemy", "tortoise", "peewee", "mayim"))], requires
    # (`sanic.models` holds HTTP and ASGI helper types, not database models)
    assert not [n for n in _public_names(sanic) if n in ("model", "orm", "db", "database", "query", "queryset")]
    assert importlib.util.find_spec("sanic.orm") is None and importlib.util.find_spec("sanic.db") is None


@probe("sanic/migrations")
def test_alembic_autogenerate_sees_a_new_table() -> None:
    import sqlalchemy as sa
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    assert not [r for r in _base_requires("sanic") if r.startswith("alembic")]
    metadata_ = sa.MetaData()
    sa.Table("probe_sanic_widget", metadata_, sa.Column("id", sa.Integer, primary_key=True))
    engine = sa.create_engine("sqlite://")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata_)
    assert [d[0] for d in diff] == ["add_table"] and diff[0][1].name == "probe_sanic_widget", diff


@probe("sanic/database-backends")
def test_sqlalchemy_ships_the_main_dialects() -> None:
    import sqlalchemy.dialects as dialects

    assert {"postgresql", "mysql", "sqlite", "oracle", "mssql"} <= set(dialects.__all__)


@probe("sanic/connection-pooling")
def test_sqlalchemy_engine_keeps_a_pool(tmp_path) -> None:  # noqa: ANN001
    import sqlalchemy as sa
    from sqlalchemy import pool

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'pool.sqlite3'}")
    assert isinstance(engine.pool, pool.QueuePool)
    with engine.connect() as c1:
        first = c1.connection.dbapi_connection
    with engine.connect() as c2:
        assert c2.connection.dbapi_connection is first, "the connection was not reused from the pool"
    assert issubclass(pool.AsyncAdaptedQueuePool, pool.QueuePool)


# --- security --------------------------------------------------------------------------------------------
@probe("sanic/authentication")
def test_no_users_passwords_or_sessions_in_sanic() -> None:
    # The value is `plugin` (Sanic Security, not in requirements.lock); code shows the framework half.
    import sanic

    assert not [n for n in _public_names(sanic) if any(w in n for w in ("user", "login", "password", "session"))]
    assert not hasattr(Request, "session") and not hasattr(Request, "user")
    for module in ("sanic.auth", "sanic.sessions", "sanic.session"):
        assert importlib.util.find_spec(module) is None, module


@probe("sanic/permissions")
def test_no_roles_or_permissions_in_sanic() -> None:
    import sanic

    assert not [n for n in _public_names(sanic) if any(w in n for w in ("permission", "role"))]
    assert importlib.util.find_spec("sanic.permissions") is None


@probe("sanic/token-auth-helpers")
def test_request_token_and_credentials_but_no_api_key_helpers() -> None:
    import sanic

    app = _app()

    @app.get("/who")
    async def who(request: Request):  # noqa: ANN202
        creds = request.credentials
        basic = creds is not None and creds.auth_type == "Basic"
        return json(
            {
                "token": request.token,
                "type": creds and creds.auth_type,
                "user": creds.username if basic else None,
                "password": creds.password if basic else None,
            }
        )

    async def run() -> list[dict]:
        async with _served(app) as client:
            schemes = ("Bearer abc", "Token xyz", "Basic dXNlcjpwYXNz")
            return [(await client.get("/who", headers={"Authorization": h})).json() for h in schemes]

    bearer, token, basic = asyncio.run(run())
    assert bearer == {"token": "abc", "type": "Bearer", "user": None, "password": None}
    assert token["token"] == "xyz"
    assert basic["user"] == "user" and basic["password"] == "pass"
    assert basic["token"] == "Basic dXNlcjpwYXNz", "request.token no longer returns the raw header for Basic"
    assert not [n for n in _public_names(sanic) if any(w in n for w in ("apikey", "api_key", "oauth", "bearer"))]


@probe("sanic/csrf-protection")
def test_cookie_form_post_without_token_is_accepted() -> None:
    import sanic

    app = _app()

    @app.post("/form")
    async def form(request: Request):  # noqa: ANN202
        return text(f"saved {request.form.get('name')} for {request.cookies.get('session')}")

    async def run() -> httpx.Response:
        async with _served(app) as client:
            client.cookies.set("session", "victim")
            return await client.post("/form", data={"name": "x"}, headers={"Origin": "https://evil.example"})

    response = asyncio.run(run())
    assert response.status_code == 200 and response.text == "saved x for victim", "a tokenless form post was refused"
    assert not [n for n in _public_names(sanic) if "csrf" in n or "xsrf" in n]


@probe("sanic/content-security-policy")
def test_no_csp_header_by_default() -> None:
    app = _app()

    @app.get("/")
    async def page(request: Request):  # noqa: ANN202
        return html("<script>1</script>")

    async def run() -> httpx.Response:
        async with _served(app) as client:
            return await client.get("/")

    response = asyncio.run(run())
    assert response.headers["content-type"].startswith("text/html")
    assert "content-security-policy" not in response.headers


@probe("sanic/cors")
def test_preflight_is_not_answered_without_sanic_ext() -> None:
    # The value is `plugin` (sanic-ext's CORS, not in requirements.lock); code shows the framework half.
    app = _app()

    @app.get("/")
    async def root(request: Request):  # noqa: ANN202
        return json({"ok": True})

    async def run() -> tuple[httpx.Response, httpx.Response]:
        async with _served(app) as client:
            preflight = await client.options(
                "/", headers={"Origin": "https://ok.example", "Access-Control-Request-Method": "GET"}
            )
            simple = await client.get("/", headers={"Origin": "https://ok.example"})
            return preflight, simple

    preflight, simple = asyncio.run(run())
    assert preflight.status_code == 405
    assert not [h for h in preflight.headers if h.startswith("access-control-")]
    assert not [h for h in simple.headers if h.startswith("access-control-")]


# --- ai --------------------------------------------------------------------------------------------------
@probe("sanic/streaming-responses")
def test_respond_and_send_stream_an_async_generator() -> None:
    app = _app()

    async def tokens() -> AsyncIterator[str]:
        for i in range(3):
            yield f"t{i}"

    @app.get("/stream")
    async def stream(request: Request) -> None:
        response = await request.respond(content_type="text/plain")
        async for token in tokens():
            await response.send(token)
        await response.eof()

    async def run() -> list[dict]:
        async with _served(app):
            return await _asgi_call(app, _scope("http", "/stream"), [{"type": "http.request", "body": b""}])

    sent = asyncio.run(run())
    bodies = [(m["body"], m.get("more_body", False)) for m in sent if m["type"] == "http.response.body"]
    assert bodies == [(b"t0", True), (b"t1", True), (b"t2", True), (b"", False)], bodies


@probe("sanic/server-sent-events")
def test_no_sse_helper_but_event_stream_by_hand() -> None:
    import sanic
    import sanic.response as responses

    assert not [n for n in _public_names(sanic) + _public_names(responses) if "sse" in n or "eventsource" in n]
    app = _app()

    @app.get("/events")
    async def events(request: Request) -> None:
        response = await request.respond(content_type="text/event-stream")
        for i in range(2):
            await response.send(f"event: tick\ndata: {i}\n\n")  # the framing is written by hand
        await response.eof()

    async def run() -> httpx.Response:
        async with _served(app) as client:
            return await client.get("/events")

    response = asyncio.run(run())
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.text == "event: tick\ndata: 0\n\nevent: tick\ndata: 1\n\n"


@probe("sanic/websockets")
def test_websocket_route_echoes_over_asgi() -> None:
    app = _app()

    @app.websocket("/ws")
    async def ws(request: Request, socket: Websocket) -> None:
        message = await socket.recv()
        await socket.send(f"echo:{message}")

    incoming = [
        {"type": "websocket.connect"},
        {"type": "websocket.receive", "text": "hi"},
        {"type": "websocket.disconnect", "code": 1000},
    ]

    async def run() -> list[dict]:
        async with _served(app):
            return await _asgi_call(app, _scope("websocket", "/ws"), incoming)

    sent = asyncio.run(run())
    assert sent[0]["type"] == "websocket.accept"
    assert {"type": "websocket.send", "text": "echo:hi"} in sent, sent


@probe("sanic/in-process-background-tasks")
def test_add_task_starts_before_the_response_and_eof_lets_work_follow() -> None:
    app = _app()
    log: list[str] = []

    @app.get("/task")
    async def task(request: Request):  # noqa: ANN202
        async def job() -> None:
            log.append("job ran")

        created = request.app.add_task(job())
        assert isinstance(created, asyncio.Task)  # returned since 25.12
        await asyncio.sleep(0)
        log.append("handler returns")
        return text("ok")

    @app.get("/after")
    async def after(request: Request) -> None:
        response = await request.respond(content_type="text/plain")
        await response.send("done")
        await response.eof()
        log.append("work after eof")

    async def run() -> list[dict]:
        async with _served(app) as client:
            assert (await client.get("/task")).text == "ok"
            return await _asgi_call(app, _scope("http", "/after"), [{"type": "http.request", "body": b""}])

    sent = asyncio.run(run())
    assert log[:2] == ["job ran", "handler returns"], f"the task did not start before the response: {log}"
    assert sent[-1] == {"type": "http.response.body", "body": b"", "more_body": False}
    assert log[-1] == "work after eof"


@probe("sanic/task-queue")
def test_no_queue_or_worker_in_sanic() -> None:
    import sanic

    # (`sanic.worker` is the server's process manager, not a job worker)
    assert not [n for n in _public_names(sanic) if any(w in n for w in ("queue", "celery", "job"))]
    assert not [r for r in _base_requires("sanic") if r.startswith(("celery", "saq", "arq", "taskiq"))]
    app = _app()
    assert not [n for n in dir(app) if any(w in n.lower() for w in ("enqueue", "retry", "persist"))]


@probe("sanic/model-lifecycle")
def test_listeners_run_around_serving_under_asgi() -> None:
    app = _app()
    log: list[str] = []

    @app.before_server_start
    async def load(app_: Sanic) -> None:
        log.append("before_server_start")
        app_.ctx.model = "loaded"

    @app.after_server_start
    async def ready(app_: Sanic) -> None:
        log.append("after_server_start")

    @app.before_server_stop
    async def stopping(app_: Sanic) -> None:
        log.append("before_server_stop")

    @app.after_server_stop
    async def unload(app_: Sanic) -> None:
        log.append("after_server_stop")

    @app.main_process_start
    async def main_only(app_: Sanic) -> None:
        log.append("main_process_start")

    @app.get("/")
    async def root(request: Request):  # noqa: ANN202
        log.append("request")
        return json({"model": request.app.ctx.model})

    async def run() -> httpx.Response:
        async with _served(app) as client:
            return await client.get("/")

    assert asyncio.run(run()).json() == {"model": "loaded"}
    assert log == ["before_server_start", "after_server_start", "request", "before_server_stop", "after_server_stop"]


# --- devex -----------------------------------------------------------------------------------------------
@probe("sanic/type-hints-drive-behaviour")
def test_annotations_do_not_convert_or_inject() -> None:
    app = _app()

    @app.get("/typed/<n:int>")
    async def typed(request: Request, n: str):  # noqa: ANN202  (the annotation says str; the pattern wins)
        return json({"n": n, "type": type(n).__name__, "q": request.args.get("q")})

    @app.get("/query")
    async def query(request: Request, q: int = 0):  # noqa: ANN202  (not filled from the query string)
        return json({"q": q})

    async def run() -> tuple[httpx.Response, httpx.Response]:
        async with _served(app) as client:
            return await client.get("/typed/7?q=3"), await client.get("/query?q=3")

    typed_response, query_response = asyncio.run(run())
    assert typed_response.json() == {"n": 7, "type": "int", "q": "3"}
    assert query_response.json() == {"q": 0}


@probe("sanic/admin-interface")
def test_no_admin_in_sanic() -> None:
    import sanic

    assert not [n for n in _public_names(sanic) if "admin" in n]
    assert importlib.util.find_spec("sanic.admin") is None


@probe("sanic/test-client")
def test_test_clients_need_sanic_testing() -> None:
    # The value is `plugin` (sanic-testing, not in requirements.lock): the app's client properties import it.
    app = _app()
    assert importlib.util.find_spec("sanic_testing") is None, "sanic-testing is installed: revisit this probe"
    for name in ("test_client", "asgi_client"):
        with pytest.raises(ModuleNotFoundError, match="sanic_testing"):
            getattr(app, name)
    requires = metadata.requires("sanic") or []
    assert any(r.startswith("sanic-testing") and 'extra == "test"' in r for r in requires), requires


@probe("sanic/dev-server-reload")
def test_cli_dev_flags_and_reloader_mtime_check(tmp_path) -> None:  # noqa: ANN001
    import argparse
    import os

    from sanic.cli.arguments import DevelopmentGroup
    from sanic.worker.reloader import Reloader

    parser = argparse.ArgumentParser()
    DevelopmentGroup.create(parser).attach()
    assert parser.parse_args(["--dev"]).dev is True
    assert parser.parse_args(["-r"]).auto_reload is True
    assert parser.parse_args(["-R", "templates"]).path == ["templates"]
    assert "auto_reload" in inspect.signature(Sanic.prepare).parameters

    source = tmp_path / "server.py"
    source.write_text("x = 1\n")
    mtimes: dict[str, float] = {}
    assert Reloader.check_file(str(source), mtimes) is False  # first sight only records the mtime
    stat = source.stat()
    os.utime(source, (stat.st_atime, stat.st_mtime + 5))
    assert Reloader.check_file(str(source), mtimes) is True


@probe("sanic/html-templates")
def test_no_template_engine_but_html5tagger_builds_html() -> None:
    # The value is `plugin` (sanic-ext's Jinja support, not in requirements.lock); code shows the framework half.
    import sanic
    from html5tagger import E

    assert not [n for n in _public_names(sanic) if any(w in n for w in ("template", "jinja", "render"))]
    assert any(r.startswith("html5tagger") for r in _base_requires("sanic"))
    page = str(E.p("Hello ", E.b("<Ada>")))  # built in Python code, not rendered from a template file
    assert page.startswith("<p>Hello <b>&lt;Ada") and "<Ada>" not in page, page


@probe("sanic/i18n")
def test_no_i18n_in_sanic_babel_formats_locales() -> None:
    import datetime as dt

    import sanic
    from babel.dates import format_date
    from babel.numbers import format_currency

    assert not [n for n in _public_names(sanic) if any(w in n for w in ("locale", "gettext", "i18n", "translat"))]
    assert format_date(dt.date(2026, 12, 2), locale="de_DE") == "02.12.2026"
    assert format_currency(1234.5, "EUR", locale="fr_FR") == "1\u202f234,50\xa0\u20ac"


# --- ecosystem -------------------------------------------------------------------------------------------
@probe("sanic/python-versions")
def test_requires_python_and_classifiers() -> None:
    meta = metadata.metadata("sanic")
    assert meta["Requires-Python"] == ">=3.10"
    versions = sorted(
        (
            c.rsplit(":: ", 1)[1]
            for c in meta.get_all("Classifier") or []
            if c.startswith("Programming Language :: Python :: 3.")
        ),
        key=lambda v: int(v.split(".")[1]),
    )
    assert versions[0] == "3.10" and versions[-1] == "3.14", versions


@probe("sanic/license")
def test_licence_in_package_metadata() -> None:
    meta = metadata.metadata("sanic")
    licence = meta.get("License-Expression") or meta.get("License") or ""
    classifiers = meta.get_all("Classifier") or []
    assert licence == "MIT" or "License :: OSI Approved :: MIT License" in classifiers, (licence, classifiers)


@probe("sanic/stable-api-policy")
def test_deprecations_warn_with_the_removal_version() -> None:
    # The value rests on the published policy (not probeable); code shows the note: a deprecated listener
    # signature warns and names the release that removes it, and versions are calendar-based, not 0.x.
    import sanic

    app = _app()

    @app.before_server_start
    async def old_style(app_: Sanic, loop: asyncio.AbstractEventLoop) -> None:
        pass

    async def run() -> None:
        async with _served(app):
            pass

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        asyncio.run(run())
    messages = [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)]
    assert any(m.startswith("[DEPRECATION v26.6]") and "loop argument" in m for m in messages), messages
    year, month, _ = sanic.__version__.split(".")
    assert int(year) >= 18 and int(month) in (3, 6, 9, 12), sanic.__version__
    classifiers = metadata.metadata("sanic").get_all("Classifier") or []
    assert "Development Status :: 4 - Beta" in classifiers


@probe("sanic/observability")
def test_no_opentelemetry_in_sanic() -> None:
    # The value is `plugin` (the contrib ASGI middleware, not in requirements.lock); code shows the framework half.
    import sanic

    assert not [r for r in _base_requires("sanic") if r.startswith("opentelemetry")]
    assert not [n for n in _public_names(sanic) if any(w in n for w in ("telemetry", "otel", "tracing", "tracer"))]
    assert importlib.util.find_spec("sanic.telemetry") is None


# --- disconnect-cancellation (issue 13) ----------------------------------------
@probe("sanic/disconnect-cancellation")
def test_its_server_cancels_the_handler_when_the_client_goes_away() -> None:
    # What stops the work is Sanic's own server, not its ASGI app: the protocol runs each connection in one task
    # (HttpProtocol.connection_made creates it, sanic/server/protocols/http_protocol.py:302), the handler is awaited
    # inside it (sanic/http/http1.py:123), and `connection_lost` cancels it
    # (sanic/server/protocols/base_protocol.py:173-174: `if self._task: self._task.cancel()`). Only the server
    # can show that, so this probe starts Sanic's server in-process with `app.create_server()` on a Unix socket in
    # a temporary folder (no TCP port, no network), talks HTTP to it with asyncio's streams, closes the
    # connection midway, and stops the server in `finally`; it runs in well under a second.
    app = _app()
    kinds = ("stream", "plain")
    upstream = {k: asyncio.Event() for k in kinds}  # the model's next token (or whole answer), not here yet
    waiting = {k: asyncio.Event() for k in kinds}  # the handler is now awaiting the upstream
    ended = {k: asyncio.Event() for k in kinds}
    how: dict[str, str] = {}

    @app.get("/stream")
    async def stream(request: Request) -> None:
        response = await request.respond(content_type="text/plain")
        await response.send("first token ")
        try:
            waiting["stream"].set()
            await upstream["stream"].wait()
            await response.send("next token")
            how["stream"] = "ran to the end"
        except asyncio.CancelledError:
            how["stream"] = "cancelled"
            raise
        finally:
            ended["stream"].set()

    @app.get("/plain")
    async def plain(request: Request) -> HTTPResponse:
        try:
            waiting["plain"].set()
            await upstream["plain"].wait()
            how["plain"] = "ran to the end"
            return text("complete")
        except asyncio.CancelledError:
            how["plain"] = "cancelled"
            raise
        finally:
            ended["plain"].set()

    async def run(socket_path: str) -> None:
        server = await app.create_server(unix=socket_path, access_log=False)
        assert server is not None
        try:
            await server.startup()
            for kind in kinds:
                reader, writer = await asyncio.open_unix_connection(socket_path)
                writer.write(f"GET /{kind} HTTP/1.1\r\nHost: probe\r\n\r\n".encode())
                await asyncio.wait_for(waiting[kind].wait(), 5)
                if kind == "stream":  # the answer has started to flow
                    received = await asyncio.wait_for(reader.readuntil(b"first token "), 5)
                    assert received.startswith(b"HTTP/1.1 200 OK")
                writer.close()  # the browser goes away
                await writer.wait_closed()
                await asyncio.wait_for(ended[kind].wait(), 1.0)
                assert how[kind] == "cancelled", (kind, how)
        finally:
            server.close()
            await asyncio.wait_for(server.wait_closed(), 5)

    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(run(os.path.join(folder, "sanic.sock")))


# --- error-tracking (issue 13) ----------------------------------------
@probe("sanic/error-tracking")
def test_sentry_reports_an_unhandled_error_with_url_and_method_but_no_user() -> None:
    # The value is `plugin` (sentry-sdk, in requirements.lock): `sentry_sdk.init` alone switches on its Sanic
    # integration, which hooks the app's startup (so `init` must run before the app starts) and Sanic's error
    # handler. It attaches URL, method, headers and client address; it has no notion of a user, so that needs
    # `sentry_sdk.set_user` in your own code.
    from sentry_sdk.integrations.sanic import SanicIntegration

    with sentry_events() as events:
        assert sentry_sdk.get_client().get_integration(SanicIntegration) is not None
        app = _app()

        @app.get("/answers/<answer_id:int>")
        async def answer(request: Request, answer_id: int) -> None:
            raise RuntimeError("model server unreachable")

        async def call() -> int:
            async with _served(app) as client:
                return (await client.get("/answers/7", params={"q": "x"})).status_code

        assert asyncio.run(call()) == 500

    [event] = events
    assert [e["type"] for e in event["exception"]["values"]] == ["RuntimeError"]
    assert event["exception"]["values"][0]["mechanism"] == {"type": "sanic", "handled": False}
    assert event["request"]["url"] == "http://probe/answers/7"
    assert event["request"]["method"] == "GET"
    assert event["request"]["query_string"] == "q=x"
    assert "user" not in event
    assert "sanic" in event["sdk"]["integrations"]


# --- free-threaded-python (issue 13) ----------------------------------------
@probe("sanic/free-threaded-python")
def test_no_free_threading_classifier_and_compiled_requirements() -> None:
    # The CI half (no free-threaded entry in Sanic's tox matrix) is a document, not probeable. Code shows the
    # declared half: Sanic lists Python 3.10 to 3.14 but no `Free Threading` classifier. It also lists the
    # compiled packages a plain `pip install sanic` brings on Linux CPython: httptools, multidict, ujson,
    # uvloop and websockets.
    def compiled_requirements(dist: str) -> list[str]:
        """Installed distributions `dist` requires (extras left out) that ship a platform wheel."""
        seen: set[str] = set()
        todo = [dist]
        while todo:
            name = canonicalize_name(todo.pop())
            if name not in seen:
                seen.add(name)
                for line in metadata.requires(name) or []:
                    req = Requirement(line)
                    if req.marker is None or req.marker.evaluate({"extra": ""}):
                        todo.append(req.name)
        wheel = {n: metadata.distribution(n).read_text("WHEEL") or "" for n in seen}
        return sorted(n for n in seen if "Root-Is-Purelib: false" in wheel[n])

    classifiers = metadata.metadata("sanic").get_all("Classifier") or []
    assert "Programming Language :: Python :: 3.14" in classifiers
    free_threading = [c for c in classifiers if c.startswith("Programming Language :: Python :: Free Threading")]
    assert free_threading == [], free_threading
    assert compiled_requirements("sanic") == ["httptools", "multidict", "ujson", "uvloop", "websockets"]


# --- mcp-server (issue 13) ----------------------------------------
@probe("sanic/mcp-server")
def test_no_mcp_and_no_mount_for_the_sdk_asgi_app() -> None:
    # The value is `no`: nothing for MCP in Sanic, and no way to mount the official SDK's ASGI app. Sanic has no
    # mount API and calls every route handler with a Sanic `Request`, so the SDK app registered as a handler never
    # gets the ASGI scope, receive and send it needs: the request ends in a 500 while the other routes work.
    from mcp.server import MCPServer

    assert not [n for n in _public_names(sanic) if "mcp" in n or "mount" in n]
    assert not [n for n in dir(Sanic) if "mount" in n.lower()]
    mcp_app = MCPServer("probe").streamable_http_app()
    app = _app()

    @app.get("/health")
    async def health(request: sanic.Request) -> sanic.HTTPResponse:
        return json({"status": "ok"})

    app.add_route(mcp_app, "/mcp", methods=["POST"], name="mcp")

    async def call() -> tuple[int, int]:
        async with _served(app) as client:
            ok = await client.get("/health")
            rpc = await client.post("/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
            return ok.status_code, rpc.status_code

    assert asyncio.run(call()) == (200, 500)


# --- rate-limiting (issue 13) ----------------------------------------
@probe("sanic/rate-limiting")
def test_no_rate_limiter_and_no_429_error_in_sanic() -> None:
    # The value is `no`: Sanic ships no limiter or throttle (Sanic Extensions has none either), and it has no
    # ready-made 429 error; the Sanic-specific limiter on PyPI, sanic-limiter, was last released in 2018.
    words = ("ratelimit", "rate_limit", "rate limit", "rate-limit", "throttl")
    root = Path(sanic.__file__).parent
    hits = [p.name for p in root.rglob("*.py") if any(w in p.read_text(encoding="utf-8").lower() for w in words)]
    assert hits == [], hits
    errors = [c for c in vars(sanic.exceptions).values() if inspect.isclass(c) and issubclass(c, Exception)]
    assert 429 not in {getattr(c, "status_code", None) for c in errors}


# --- response-caching (issue 13) ----------------------------------------
@probe("sanic/response-caching")
def test_no_cache_in_sanic() -> None:
    # The value is `no`: Sanic ships no cache for responses or values and Sanic Extensions adds none; a route has no
    # cache option. The Sanic cache packages on PyPI are unmaintained single-author ports of Flask-Cache.
    root = Path(sanic.__file__).parent
    assert not [p.name for p in root.rglob("*.py") if "cach" in p.name.lower()]
    assert not [n for n in _public_names(sanic) if "cach" in n]
    assert not [n for n in inspect.signature(Sanic.route).parameters if "cache" in n]
