"""Probes of data/frameworks/quart.yaml: each test shows one fact on the pinned Quart (requirements.lock).

`@probe("quart/<criterion>")` names the fact; a failure says which fact to revisit (macros/probes.py).
Everything runs in-process through Quart's own test client (`app.test_client()`, `app.test_app()`) or by
calling the ASGI application directly: no server, no network. Quart's test client is async, so each probe
drives it with `asyncio.run`.
"""

import asyncio
import importlib.util
import inspect
import os
import re
import threading
from collections.abc import AsyncIterator, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import quart
import sentry_sdk
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from probekit import sentry_events
from quart import Quart, Response, make_response, render_template_string, request, session, websocket
from werkzeug.exceptions import TooManyRequests

from macros.probes import probe


def _run(coro):  # noqa: ANN001, ANN202
    return asyncio.run(coro)


def _public_names(module: object) -> list[str]:
    return [n.lower() for n in dir(module) if not n.startswith("_")]


def _requires(dist: str) -> list[str]:
    return [r.lower() for r in metadata.requires(dist) or [] if "extra ==" not in r]


# --- performance ---------------------------------------------------------------------------------------
@probe("quart/asgi")
def test_app_is_an_asgi_callable() -> None:
    app = Quart(__name__)

    @app.get("/")
    async def root() -> dict[str, str]:
        return {"hello": "asgi"}

    assert inspect.iscoroutinefunction(Quart.__call__)
    assert list(inspect.signature(app.__call__).parameters) == ["scope", "receive", "send"]
    assert any(r.startswith("hypercorn") for r in _requires("quart")), "Hypercorn is no longer a dependency"

    async def call() -> list[dict]:
        sent: list[dict] = []
        finished = asyncio.Event()
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": "/",
            "raw_path": b"/",
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"probe")],
            "client": ("127.0.0.1", 1),
            "server": ("probe", 80),
            "extensions": {},
        }
        requested = False

        async def receive() -> dict:
            nonlocal requested
            if not requested:
                requested = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await finished.wait()  # the client goes away only once the response is complete
            return {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            sent.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                finished.set()

        await app(scope, receive, send)
        return sent

    sent = _run(call())
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 200
    assert b"".join(m.get("body", b"") for m in sent[1:]) == b'{"hello":"asgi"}\n'


@probe("quart/wsgi")
def test_no_wsgi_callable_of_its_own() -> None:
    # The value is `plugin` (a2wsgi's ASGIMiddleware, not in requirements.lock); what code shows here is the
    # framework half: unlike Flask, a Quart app has no `wsgi_app` and cannot be called the WSGI way.
    app = Quart(__name__)
    assert not hasattr(app, "wsgi_app") and hasattr(app, "asgi_app")
    assert not [n for n in _public_names(quart) if "wsgi" in n]
    with pytest.raises(TypeError):
        app({"REQUEST_METHOD": "GET", "PATH_INFO": "/"}, lambda status, headers: None)  # WSGI passes 2 arguments


@probe("quart/async-handlers")
def test_async_handlers_overlap_on_the_loop() -> None:
    app = Quart(__name__)
    threads: set[str] = set()
    entered = 0
    all_in: asyncio.Event | None = None

    @app.get("/wait")
    async def wait() -> dict[str, bool]:
        nonlocal entered
        threads.add(threading.current_thread().name)
        entered += 1
        if entered == 10:
            all_in.set()
        await asyncio.wait_for(all_in.wait(), 20)  # times out unless all ten are awaiting together
        return {"ok": True}

    async def run() -> list[Response]:
        nonlocal all_in
        all_in = asyncio.Event()
        client = app.test_client()
        return await asyncio.gather(*(client.get("/wait") for _ in range(10)))

    responses = _run(run())
    assert all(r.status_code == 200 for r in responses), "the async handlers did not overlap"
    assert threads == {threading.current_thread().name}, f"async handlers ran on {threads}, not the loop's thread"


@probe("quart/sync-handlers-offloaded")
def test_def_handlers_and_hooks_run_in_the_default_executor() -> None:
    from concurrent.futures import ThreadPoolExecutor

    app = Quart(__name__)
    seen: dict[str, str] = {}
    together = threading.Barrier(4, timeout=20)  # breaks unless four blocking calls run at the same time

    @app.before_request
    def hook() -> None:
        seen["before_request"] = threading.current_thread().name

    @app.get("/block")
    def block() -> dict[str, str]:
        seen["handler"] = threading.current_thread().name
        together.wait()
        return {"method": request.method}  # the request context is still there in the thread

    async def run() -> tuple[list[Response], object]:
        client = app.test_client()
        responses = await asyncio.gather(*(client.get("/block") for _ in range(4)))
        return responses, asyncio.get_running_loop()._default_executor

    responses, executor = _run(run())
    assert all(r.status_code == 200 for r in responses), "the blocking handlers did not run side by side"
    main = threading.current_thread().name
    assert seen["handler"] != main and seen["before_request"] != main, seen
    assert seen["handler"].startswith("asyncio_"), seen  # the loop's default executor names its threads so
    assert isinstance(executor, ThreadPoolExecutor)
    cpus = os.process_cpu_count() if hasattr(os, "process_cpu_count") else os.cpu_count()
    assert executor._max_workers == min(32, (cpus or 1) + 4)


@probe("quart/compiled-validation")
def test_no_validation_and_stdlib_json(monkeypatch: pytest.MonkeyPatch) -> None:
    # The value is `plugin` (Quart-Schema with Pydantic or msgspec, not in requirements.lock); what code shows
    # here is the framework half: Quart validates nothing and writes JSON with the standard library.
    import json

    from quart.json.provider import DefaultJSONProvider

    assert not [r for r in _requires("quart") if r.startswith(("pydantic", "msgspec", "orjson"))]
    calls: list[str] = []
    original = json.dumps

    def spy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append("json.dumps")
        return original(*args, **kwargs)

    monkeypatch.setattr(json, "dumps", spy)
    app = Quart(__name__)
    assert isinstance(app.json, DefaultJSONProvider)

    @app.get("/")
    async def root() -> dict[str, int]:
        return {"a": 1}

    async def run() -> Response:
        return await app.test_client().get("/")

    response = _run(run())
    assert response.status_code == 200 and calls, "the JSON body was not written by the stdlib json module"


@probe("quart/async-orm")
def test_no_data_layer_sqlalchemy_asyncio_awaits() -> None:
    # Quart has no data layer; SQLAlchemy's asyncio API is awaited from async handlers (Quart-DB is not in
    # requirements.lock).
    import sqlalchemy.ext.asyncio as sa_async

    assert not [r for r in _requires("quart") if r.startswith(("sqlalchemy", "quart-db", "asyncpg", "aiosqlite"))]
    assert not [n for n in _public_names(quart) if n in ("db", "orm", "models")]
    assert inspect.iscoroutinefunction(sa_async.AsyncSession.execute)
    assert inspect.iscoroutinefunction(sa_async.AsyncSession.commit)
    assert callable(sa_async.create_async_engine)


# --- api -------------------------------------------------------------------------------------------------
@probe("quart/request-validation")
def test_no_validation_of_input() -> None:
    # The value is `plugin` (Quart-Schema, not in requirements.lock); the framework half: neither a JSON body
    # of the wrong shape nor an annotation on a path argument is checked.
    app = Quart(__name__)

    @app.post("/items/<item_id>")
    async def create(item_id: int) -> dict[str, object]:
        body = await request.get_json()
        return {"item_id_type": type(item_id).__name__, "price": body["price"]}

    async def run() -> Response:
        return await app.test_client().post("/items/abc", json={"name": 1, "price": "cheap"})

    response = _run(run())
    assert response.status_code == 200
    assert _run(response.get_json()) == {"item_id_type": "str", "price": "cheap"}


@probe("quart/openapi")
def test_no_openapi_document_or_docs_page() -> None:
    # The value is `plugin` (Quart-Schema serves /openapi.json, /docs, /redocs and /scalar); plain Quart does not.
    app = Quart(__name__)

    @app.get("/items/<int:item_id>")
    async def read(item_id: int) -> dict[str, int]:
        return {"id": item_id}

    async def run() -> list[int]:
        client = app.test_client()
        return [(await client.get(p)).status_code for p in ("/openapi.json", "/docs", "/redocs")]

    assert _run(run()) == [404, 404, 404]
    assert not [n for n in _public_names(quart) if "openapi" in n or "schema" in n]


@probe("quart/response-serialization")
def test_returned_dict_is_sent_whole() -> None:
    # The value is `plugin` (Quart-Schema's validate_response); a return annotation does not filter in Quart.
    from typing import TypedDict

    class Out(TypedDict):
        a: int

    app = Quart(__name__)

    @app.get("/")
    async def root() -> Out:
        return {"a": 1, "secret": "x"}  # type: ignore[typeddict-unknown-key]

    async def run() -> object:
        response = await app.test_client().get("/")
        return await response.get_json()

    assert _run(run()) == {"a": 1, "secret": "x"}


@probe("quart/dependency-injection")
def test_no_injection_of_declared_parameters() -> None:
    # The value is `plugin` (quart-dishka, not in requirements.lock); Quart passes only URL variables, so a
    # handler parameter that is not one is never resolved.
    class Settings:
        mode = "production"

    app = Quart(__name__)

    @app.get("/")
    async def root(settings: Settings) -> dict[str, str]:
        return {"mode": settings.mode}

    async def run() -> int:
        return (await app.test_client().get("/")).status_code

    assert _run(run()) == 500  # the handler is called without `settings`: TypeError, a server error
    assert not [n for n in _public_names(quart) if n in ("depends", "inject", "provide")]


@probe("quart/graphql")
def test_no_graphql_in_quart_itself() -> None:
    import importlib.util

    assert importlib.util.find_spec("quart.graphql") is None
    assert not [n for n in _public_names(quart) if "graphql" in n]


# --- data ------------------------------------------------------------------------------------------------
@probe("quart/orm")
def test_sqlalchemy_orm_without_quart_depending_on_it() -> None:
    import sqlalchemy as sa
    from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

    assert not [r for r in _requires("quart") if r.startswith(("sqlalchemy", "peewee", "tortoise"))]

    class Base(DeclarativeBase):
        pass

    class Hero(Base):
        __tablename__ = "probe_quart_hero"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str]

    engine = sa.create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as db:
        db.add(Hero(name="Ada"))
        db.commit()
        assert db.scalars(sa.select(Hero.name)).all() == ["Ada"]


@probe("quart/migrations")
def test_alembic_autogenerate_sees_a_new_table() -> None:
    import sqlalchemy as sa
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    metadata_ = sa.MetaData()
    sa.Table("probe_quart_widget", metadata_, sa.Column("id", sa.Integer, primary_key=True))
    engine = sa.create_engine("sqlite://")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata_)
    assert [d[0] for d in diff] == ["add_table"] and diff[0][1].name == "probe_quart_widget", diff
    assert not [n for n in _public_names(quart) if "migrat" in n]


@probe("quart/database-backends")
def test_sqlalchemy_ships_the_main_dialects() -> None:
    import sqlalchemy.dialects as dialects

    assert {"postgresql", "mysql", "sqlite", "oracle", "mssql"} <= set(dialects.__all__)


@probe("quart/connection-pooling")
def test_sqlalchemy_engine_keeps_a_pool(tmp_path: Path) -> None:
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
@probe("quart/authentication")
def test_signed_cookie_sessions_but_no_users() -> None:
    # The value is `plugin` (Quart-Auth, not in requirements.lock); the framework half: signed cookie sessions
    # are built in, users, logins and password hashing are not.
    assert not [n for n in _public_names(quart) if any(w in n for w in ("login", "user", "password", "auth"))]
    app = Quart(__name__)
    app.secret_key = "probe-only"

    @app.get("/login")
    async def login() -> dict[str, bool]:
        session["user"] = "ada"
        return {"ok": True}

    @app.get("/me")
    async def me() -> dict[str, object]:
        return {"user": session.get("user")}

    async def as_cookie(value: str) -> object:
        client = app.test_client()
        client.set_cookie("localhost", "session", value)
        return await (await client.get("/me")).get_json()

    async def run() -> tuple[object, object]:
        login = await app.test_client().get("/login")
        cookie = login.headers["set-cookie"].split(";")[0].split("=", 1)[1]
        payload, rest = cookie.split(".", 1)
        forged = payload.replace("YWRh", "ZXZl", 1) + "." + rest  # "ada" -> "eve" in the signed payload
        assert forged != cookie
        return await as_cookie(cookie), await as_cookie(forged)

    genuine, forged = _run(run())
    assert genuine == {"user": "ada"}, "the signed cookie did not carry the session"
    assert forged == {"user": None}, "a tampered session cookie was accepted"


@probe("quart/permissions")
def test_no_permission_or_group_api() -> None:
    names = _public_names(quart)
    assert not [n for n in names if any(w in n for w in ("permission", "role", "group", "scope"))], names


@probe("quart/token-auth-helpers")
def test_authorization_header_parsed_but_no_api_key_or_oauth_helpers() -> None:
    app = Quart(__name__)

    @app.get("/")
    async def root() -> dict[str, object]:
        auth = request.authorization
        return {"type": auth.type, "token": auth.token, "user": auth.username} if auth else {"type": None}

    async def run() -> list[object]:
        client = app.test_client()
        return [
            await (await client.get("/", headers={"Authorization": "Bearer abc"})).get_json(),
            await (await client.get("/", auth=("ada", "pw"))).get_json(),
            await (await client.get("/", headers={"X-API-Key": "k"})).get_json(),
        ]

    bearer, basic, api_key = _run(run())
    assert bearer == {"type": "bearer", "token": "abc", "user": None}
    assert basic == {"type": "basic", "token": None, "user": "ada"}
    assert api_key == {"type": None}
    assert not [n for n in _public_names(quart) if any(w in n for w in ("oauth", "apikey", "api_key", "bearer"))]


@probe("quart/csrf-protection")
def test_form_post_with_session_cookie_is_not_checked() -> None:
    # The value is `plugin` (Quart-WTForms' CSRFProtect, not in requirements.lock); the framework half.
    assert not [n for n in _public_names(quart) if "csrf" in n]
    app = Quart(__name__)
    app.secret_key = "probe-only"

    @app.get("/login")
    async def login() -> str:
        session["user"] = "victim"
        return "in"

    @app.post("/transfer")
    async def transfer() -> dict[str, object]:
        form = await request.form
        return {"user": session.get("user"), "to": form["to"]}

    async def run() -> tuple[int, object]:
        client = app.test_client()
        await client.get("/login")
        response = await client.post("/transfer", form={"to": "attacker"})  # no token of any kind
        return response.status_code, await response.get_json()

    assert _run(run()) == (200, {"user": "victim", "to": "attacker"})


@probe("quart/content-security-policy")
def test_csp_header_object_but_no_default_or_nonce() -> None:
    app = Quart(__name__)

    @app.get("/default")
    async def default() -> str:
        return "<script>1</script>"

    @app.get("/set")
    async def set_csp() -> Response:
        response = await make_response("<script nonce='abc'>1</script>")
        response.content_security_policy.default_src = "'self'"
        response.content_security_policy.script_src = "'nonce-abc'"  # the nonce is yours to make
        return response

    async def run() -> tuple[Response, Response]:
        client = app.test_client()
        return await client.get("/default"), await client.get("/set")

    default_response, set_response = _run(run())
    assert "content-security-policy" not in default_response.headers
    assert set_response.headers["content-security-policy"] == "default-src 'self'; script-src 'nonce-abc'"
    assert not [k for k in app.config if "CSP" in k or "CONTENT_SECURITY" in k]
    assert not [n for n in _public_names(quart) if "nonce" in n or "csp" in n]


@probe("quart/cors")
def test_no_cors_headers_without_an_extension() -> None:
    # The value is `plugin` (Quart-CORS, not in requirements.lock); the framework half: no CORS handling.
    app = Quart(__name__)

    @app.get("/")
    async def root() -> dict[str, bool]:
        return {"ok": True}

    async def run() -> Response:
        headers = {"Origin": "https://front.example", "Access-Control-Request-Method": "GET"}
        return await app.test_client().options("/", headers=headers)

    preflight = _run(run())
    assert "access-control-allow-origin" not in preflight.headers
    assert not [n for n in _public_names(quart) if "cors" in n]


# --- ai --------------------------------------------------------------------------------------------------
@probe("quart/streaming-responses")
def test_async_generator_chunks_leave_one_at_a_time() -> None:
    app = Quart(__name__)
    release: asyncio.Event | None = None

    @app.get("/async")
    async def stream() -> tuple[AsyncIterator[bytes], int]:
        async def tokens() -> AsyncIterator[bytes]:
            yield b"first "
            await asyncio.wait_for(release.wait(), 20)  # the client must have the first chunk by now
            yield b"second"

        return tokens(), 200

    @app.get("/sync")
    def sync_stream() -> Iterator[str]:
        def gen() -> Iterator[str]:
            yield from ("s0", "s1")

        return gen()

    async def run() -> tuple[bytes, bytes, str]:
        nonlocal release
        release = asyncio.Event()
        client = app.test_client()
        async with client.request("/async") as connection:
            await connection.send_complete()
            first = await connection.receive()
            release.set()
            rest = await connection.receive()
        sync_text = await (await client.get("/sync")).get_data(as_text=True)
        return first, rest, sync_text

    first, rest, sync_text = _run(run())
    assert first == b"first " and rest == b"second"
    assert sync_text == "s0s1"


@probe("quart/server-sent-events")
def test_no_sse_helper_framing_is_yours() -> None:
    assert not [n for n in _public_names(quart) if "sse" in n or ("event" in n and "source" in n)]
    app = Quart(__name__)
    assert app.config["RESPONSE_TIMEOUT"] == 60  # the docs tell SSE routes to set `response.timeout = None`

    @app.get("/sse")
    async def sse() -> Response:
        async def events() -> AsyncIterator[bytes]:
            yield b"data: hello\n\n"  # the `data:` framing is written by hand

        response = await make_response(events(), {"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
        response.timeout = None
        return response

    async def run() -> tuple[str, str]:
        response = await app.test_client().get("/sse")
        return response.headers["content-type"], await response.get_data(as_text=True)

    assert _run(run()) == ("text/event-stream", "data: hello\n\n")


@probe("quart/websockets")
def test_websocket_route_echoes() -> None:
    app = Quart(__name__)

    @app.websocket("/ws")
    async def ws() -> None:
        while True:
            text = await websocket.receive()
            await websocket.send(f"echo:{text}")

    async def run() -> object:
        async with app.test_client().websocket("/ws") as conn:
            await conn.send("hi")
            return await conn.receive()

    assert _run(run()) == "echo:hi"


@probe("quart/in-process-background-tasks")
def test_background_task_outlives_the_response_and_is_awaited_at_shutdown() -> None:
    app = Quart(__name__)
    log: list[str] = []
    release: asyncio.Event | None = None

    async def async_job() -> None:
        await asyncio.wait_for(release.wait(), 20)
        log.append(f"async done, app context: {quart.current_app.name}")

    def sync_job() -> None:
        log.append(f"sync in {'main' if threading.current_thread() is threading.main_thread() else 'thread'}")

    @app.post("/")
    async def root() -> dict[str, int]:
        app.add_background_task(async_job)
        app.add_background_task(sync_job)
        return {"done_before_response": len([e for e in log if e.startswith("async")])}

    async def run() -> object:
        nonlocal release
        release = asyncio.Event()
        async with app.test_app() as test_app:
            response = await test_app.test_client().post("/")
            body = await response.get_json()  # the response is complete while the async job still waits
            release.set()
        return body  # leaving test_app ran shutdown, which awaits the background tasks

    assert _run(run()) == {"done_before_response": 0}
    assert sorted(log) == [f"async done, app context: {app.name}", "sync in thread"], log


@probe("quart/task-queue")
def test_background_tasks_are_in_memory_asyncio_tasks() -> None:
    # The value is `plugin` (Celery, not in requirements.lock); the framework half: background tasks are
    # asyncio tasks held in a set on the app, with nothing persisted.
    app = Quart(__name__)
    assert isinstance(app.background_tasks, set)
    names = _public_names(quart)
    assert not [n for n in names if any(w in n for w in ("queue", "worker", "celery", "broker"))], names
    assert app.config["BACKGROUND_TASK_SHUTDOWN_TIMEOUT"] == 5


@probe("quart/model-lifecycle")
def test_serving_hooks_run_around_the_lifespan() -> None:
    app = Quart(__name__)
    log: list[str] = []

    @app.before_serving
    async def load_model() -> None:
        log.append("load")
        app.model = "loaded"  # type: ignore[attr-defined]

    @app.while_serving
    async def client_pool() -> AsyncIterator[None]:
        log.append("open client")
        yield
        log.append("close client")

    @app.after_serving
    async def unload_model() -> None:
        log.append("unload")

    @app.get("/")
    async def root() -> dict[str, str]:
        log.append("request")
        return {"model": app.model}  # type: ignore[attr-defined]

    async def run() -> object:
        async with app.test_app() as test_app:
            return await (await test_app.test_client().get("/")).get_json()

    assert _run(run()) == {"model": "loaded"}
    assert log == ["load", "open client", "request", "close client", "unload"], log

    log.clear()
    other = Quart(__name__)
    other.before_serving(load_model)

    async def no_lifespan() -> int:
        return (await other.test_client().get("/missing")).status_code

    assert _run(no_lifespan()) == 404
    assert log == [], "the bare test client ran the startup hooks; the docs say it does not"


# --- devex -----------------------------------------------------------------------------------------------
@probe("quart/type-hints-drive-behaviour")
def test_annotations_are_ignored_converters_decide() -> None:
    app = Quart(__name__)

    @app.get("/hint/<x>")
    async def hint(x: int) -> dict[str, str]:
        return {"type": type(x).__name__}

    @app.get("/conv/<int:x>")
    async def conv(x: str) -> dict[str, str]:
        return {"type": type(x).__name__}

    async def run() -> tuple[object, object]:
        client = app.test_client()
        return await (await client.get("/hint/5")).get_json(), await (await client.get("/conv/5")).get_json()

    assert _run(run()) == ({"type": "str"}, {"type": "int"})


@probe("quart/admin-interface")
def test_no_admin_in_quart() -> None:
    import importlib.util

    assert importlib.util.find_spec("quart.admin") is None
    assert not [n for n in _public_names(quart) if "admin" in n]


@probe("quart/test-client")
def test_test_client_runs_in_process() -> None:
    app = Quart(__name__)

    @app.post("/echo")
    async def echo() -> dict[str, object]:
        return {"json": await request.get_json(), "thread": threading.current_thread().name}

    async def run() -> tuple[int, object]:
        response = await app.test_client().post("/echo", json={"a": 1})
        return response.status_code, await response.get_json()

    status, body = _run(run())
    assert status == 200 and body == {"json": {"a": 1}, "thread": threading.current_thread().name}


@probe("quart/dev-server-reload")
def test_quart_run_reloads_on_changed_files(tmp_path: Path) -> None:
    import sys
    import types

    from quart.cli import run_command
    from quart.utils import MustReloadError, observe_changes

    options = {p.name: p for p in run_command.params}
    assert options["reload"].opts == ["--reload"] and options["reload"].default is None  # None: follow --debug
    assert "debug" in options
    watched = tmp_path / "probe_reload_mod.py"
    watched.write_text("x = 1\n")
    module = types.ModuleType("probe_reload_mod")
    module.__file__ = str(watched)
    sys.modules["probe_reload_mod"] = module
    try:

        async def touch_then_sleep(seconds: float) -> None:
            if seconds:
                stat = watched.stat()
                os.utime(watched, (stat.st_atime, stat.st_mtime + 5))

        with pytest.raises(MustReloadError):
            _run(observe_changes(touch_then_sleep, asyncio.Event()))
    finally:
        del sys.modules["probe_reload_mod"]


@probe("quart/html-templates")
def test_jinja_templates_render_escaped_html() -> None:
    app = Quart(__name__)

    @app.get("/")
    async def page() -> str:
        return await render_template_string("<p>Hello {{ name }}</p>", name="<Ada>")

    async def run() -> tuple[str, str]:
        response = await app.test_client().get("/")
        return await response.get_data(as_text=True), response.headers["content-type"]

    text, content_type = _run(run())
    assert text == "<p>Hello &lt;Ada&gt;</p>"
    assert content_type.startswith("text/html")
    assert any(r.startswith("jinja2") for r in _requires("quart"))


@probe("quart/i18n")
def test_no_i18n_in_quart_babel_formats_locales() -> None:
    import datetime as dt

    from babel.dates import format_date
    from babel.numbers import format_currency

    names = _public_names(quart)
    assert not [n for n in names if any(w in n for w in ("locale", "gettext", "i18n", "translat", "babel"))]
    assert format_date(dt.date(2026, 12, 2), locale="de_DE") == "02.12.2026"
    assert format_currency(1234.5, "EUR", locale="fr_FR") == "1\u202f234,50\xa0\u20ac"


# --- ecosystem -------------------------------------------------------------------------------------------
@probe("quart/python-versions")
def test_requires_python_313_without_version_classifiers() -> None:
    meta = metadata.metadata("quart")
    assert meta["Requires-Python"] == ">=3.13"
    versions = [c for c in meta.get_all("Classifier") or [] if c.startswith("Programming Language :: Python :: 3")]
    assert versions == [], versions


@probe("quart/license")
def test_licence_in_package_metadata() -> None:
    meta = metadata.metadata("quart")
    assert meta["License-Expression"] == "MIT"


@probe("quart/stable-api-policy")
def test_pre_1_0_without_deprecation_warnings() -> None:
    # The value rests on the published versioning page; code shows the note: still 0.x, no deprecation
    # warnings anywhere in the package, and the 0.21 request-context globals gone without a shim.
    import quart.globals

    major = int(metadata.version("quart").split(".")[0])
    assert major == 0
    source = Path(quart.__file__).parent
    warned = [p.name for p in source.rglob("*.py") if re.search(r"DeprecationWarning", p.read_text())]
    assert warned == [], warned
    assert not hasattr(quart.globals, "request_ctx") and not hasattr(quart.globals, "websocket_ctx")
    assert "ctx" in inspect.signature(Quart.handle_exception).parameters


@probe("quart/observability")
def test_no_telemetry_but_asgi_app_can_be_wrapped() -> None:
    # The value is `plugin` (opentelemetry-instrumentation-asgi, not in requirements.lock); the framework half:
    # no OpenTelemetry in Quart, and `app.asgi_app` is the documented place to wrap ASGI middleware.
    assert not [r for r in _requires("quart") if r.startswith("opentelemetry")]
    assert not [n for n in _public_names(quart) if "telemetry" in n or "trac" in n]
    app = Quart(__name__)
    seen: list[str] = []

    @app.get("/items/<int:i>")
    async def item(i: int) -> dict[str, int]:
        return {"i": i}

    inner = app.asgi_app

    async def middleware(scope, receive, send):  # noqa: ANN001, ANN202
        seen.append(f"{scope['type']} {scope.get('path')}")
        await inner(scope, receive, send)

    app.asgi_app = middleware  # type: ignore[method-assign]

    async def run() -> int:
        return (await app.test_client().get("/items/3")).status_code

    assert _run(run()) == 200
    assert seen == ["http /items/3"]


# --- disconnect-cancellation (issue 13) ----------------------------------------
class _HypercornLikeConnection:
    """One HTTP/1.1 GET served the way Hypercorn 0.18.0, Quart's default server, serves it:

    - the scope carries `"asgi": {"spec_version": "2.1", "version": "3.0"}` (hypercorn/protocol/http_stream.py:90);
    - `receive` is the `get` of the app's queue (`spawn_app` passes `app_queue.get`, asyncio/task_group.py:49-65);
      the end of the request puts `{"type": "http.request", "body": b"", "more_body": False}` in it
      (http_stream.py:125-126); when the client closes the connection, `_read_data` reaches EOF and hands
      `Closed()` to the protocol (asyncio/tcp_server.py:95-110; protocol/h11.py:117-119), and the stream puts
      `{"type": "http.disconnect"}` (http_stream.py:127-132), as it also does once a response is complete
      (`_send_closed`, 243-247);
    - Hypercorn does not cancel the task running the app on its own (`_handle` awaits the app to its end,
      task_group.py:18-34), and a send() after the close goes to a closed transport, whose errors
      `protocol_send` swallows (tcp_server.py:79-86): to the app, a no-op.
    """

    def __init__(self, path: str) -> None:
        self.scope: dict[str, Any] = {
            "type": "http",
            "http_version": "1.1",
            "asgi": {"spec_version": "2.1", "version": "3.0"},
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"127.0.0.1:8000")],
            "client": ("127.0.0.1", 40000),
            "server": ("127.0.0.1", 8000),
            "state": {},
            "extensions": {},
        }
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.queue.put_nowait({"type": "http.request", "body": b"", "more_body": False})
        self.closed = False
        self.sent: list[dict[str, Any]] = []
        self.dropped: list[dict[str, Any]] = []

    async def receive(self) -> dict[str, Any]:
        return await self.queue.get()

    async def send(self, message: dict[str, Any]) -> None:
        if self.closed:
            self.dropped.append(message)
            return
        self.sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            self.closed = True
            self.queue.put_nowait({"type": "http.disconnect"})

    def client_goes_away(self) -> None:
        if not self.closed:
            self.closed = True
            self.queue.put_nowait({"type": "http.disconnect"})


@probe("quart/disconnect-cancellation")
def test_disconnect_cancels_the_stream_and_the_plain_handler_at_once() -> None:
    app = Quart(__name__)
    kinds = ("stream", "plain")
    upstream = {k: asyncio.Event() for k in kinds}  # the model's next token (or whole answer), not here yet
    waiting = {k: asyncio.Event() for k in kinds}  # the handler is now awaiting the upstream
    ended = {k: asyncio.Event() for k in kinds}
    how: dict[str, str] = {}

    async def tokens() -> AsyncIterator[bytes]:
        try:
            yield b"first token "
            waiting["stream"].set()
            await upstream["stream"].wait()
            yield b"next token"
            how["stream"] = "ran to the end"
        except asyncio.CancelledError:
            how["stream"] = "cancelled"
            raise
        finally:
            ended["stream"].set()

    @app.get("/stream")
    async def stream() -> tuple[AsyncIterator[bytes], dict[str, str]]:
        return tokens(), {"Content-Type": "text/plain"}

    @app.get("/plain")
    async def plain() -> dict[str, str]:
        try:
            waiting["plain"].set()
            await upstream["plain"].wait()
            how["plain"] = "ran to the end"
            return {"answer": "complete"}
        except asyncio.CancelledError:
            how["plain"] = "cancelled"
            raise
        finally:
            ended["plain"].set()

    async def run() -> None:
        # ASGIHTTPConnection runs the request in a task beside `handle_messages`, which cancels that task when
        # `http.disconnect` arrives: the handler, or the streaming of its body, stops while awaiting the upstream.
        for kind in kinds:
            conn = _HypercornLikeConnection(f"/{kind}")
            task = asyncio.create_task(app(conn.scope, conn.receive, conn.send))  # type: ignore[arg-type]
            await asyncio.wait_for(waiting[kind].wait(), 5)
            conn.client_goes_away()
            await asyncio.wait_for(ended[kind].wait(), 1.0)
            assert how[kind] == "cancelled", (kind, how)
            await asyncio.wait_for(task, 1.0)
            assert conn.dropped == []
            if kind == "stream":
                assert [m.get("body") for m in conn.sent] == [None, b"first token "]
            else:
                assert conn.sent == []

    asyncio.run(run())


# --- error-tracking (issue 13) ----------------------------------------
@probe("quart/error-tracking")
def test_sentry_reports_an_unhandled_error_with_url_and_method() -> None:
    # The value is `plugin` (sentry-sdk, in requirements.lock): `sentry_sdk.init` alone switches on its Quart
    # integration, which wraps `Quart.__call__` and listens to Quart's exception signals. The user id is read from
    # Quart-Auth's `current_user`; Quart-Auth is not in the lock, so this probe shows no user.
    from sentry_sdk.integrations.quart import QuartIntegration

    assert importlib.util.find_spec("quart_auth") is None
    with sentry_events() as events:
        assert sentry_sdk.get_client().get_integration(QuartIntegration) is not None
        app = Quart(__name__)

        @app.get("/answers/<int:answer_id>")
        async def answer(answer_id: int) -> str:
            raise RuntimeError("model server unreachable")

        async def call() -> int:
            return (await app.test_client().get("/answers/7", query_string={"q": "x"})).status_code

        assert _run(call()) == 500

    [event] = events
    assert [e["type"] for e in event["exception"]["values"]] == ["RuntimeError"]
    assert event["exception"]["values"][0]["mechanism"] == {"type": "quart", "handled": False}
    assert event["request"]["url"] == "http://localhost/answers/7?q=x"  # Quart's request.url keeps the query
    assert event["request"]["method"] == "GET"
    assert event["request"]["query_string"] == "q=x"
    assert event["transaction"] == "answer"
    assert "quart" in event["sdk"]["integrations"]


# --- free-threaded-python (issue 13) ----------------------------------------
@probe("quart/free-threaded-python")
def test_tested_on_3_14t_but_not_declared() -> None:
    # The value is `partial`: Quart's CI runs the suite on 3.14t (a workflow file, not probeable; there is no
    # free-threaded build here), but nothing declares support. Code shows that half: neither Quart nor
    # Hypercorn, the server it requires, carries a `Free Threading` classifier, and the only compiled package
    # in the pair's requirements is MarkupSafe.
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

    for dist in ("quart", "hypercorn"):
        classifiers = metadata.metadata(dist).get_all("Classifier") or []
        free_threading = [c for c in classifiers if c.startswith("Programming Language :: Python :: Free Threading")]
        assert free_threading == [], (dist, free_threading)
    assert compiled_requirements("quart") == ["markupsafe"]


# --- mcp-server (issue 13) ----------------------------------------
@probe("quart/mcp-server")
def test_no_mcp_and_no_mount_for_the_sdk_asgi_app() -> None:
    # The value is `no`: nothing for MCP in Quart, and no way to mount the official SDK's ASGI app in Quart's
    # routing: views are called with their URL arguments, never with the ASGI scope, receive and send. The
    # workaround lives outside Quart: Hypercorn's DispatcherMiddleware (Hypercorn comes with Quart) can route /mcp
    # to the SDK app and the rest to Quart, as the notes describe.
    from mcp.server import MCPServer

    assert not [n for n in _public_names(quart) if "mcp" in n or "mount" in n]
    assert not [n for n in dir(Quart) if "mount" in n.lower()]
    mcp_app = MCPServer("probe").streamable_http_app()
    app = Quart(__name__)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    app.add_url_rule("/mcp", "mcp", mcp_app, methods=["POST"])

    async def call() -> tuple[int, int]:
        client = app.test_client()
        ok = await client.get("/health")
        rpc = await client.post("/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
        return ok.status_code, rpc.status_code

    assert _run(call()) == (200, 500)


# --- rate-limiting (issue 13) ----------------------------------------
@probe("quart/rate-limiting")
def test_no_rate_limiter_but_a_429_with_retry_after_passes_through() -> None:
    # The value is `plugin` (Quart-Rate-Limiter, not in requirements.lock); code shows the framework half: Quart
    # has no limiter or throttle, and Werkzeug's TooManyRequests, which Quart-Rate-Limiter's error subclasses,
    # reaches the client as a 429 with its Retry-After header.
    words = ("ratelimit", "rate_limit", "rate limit", "rate-limit", "throttl")
    root = Path(quart.__file__).parent
    hits = [p.name for p in root.rglob("*.py") if any(w in p.read_text(encoding="utf-8").lower() for w in words)]
    assert hits == [], hits

    app = Quart(__name__)

    @app.get("/costly")
    async def costly() -> str:
        raise TooManyRequests(retry_after=30)

    async def call():  # noqa: ANN202
        return await app.test_client().get("/costly")

    response = _run(call())
    assert response.status_code == 429 and response.headers["Retry-After"] == "30"


# --- response-caching (issue 13) ----------------------------------------
@probe("quart/response-caching")
def test_no_cache_in_quart() -> None:
    # The value is `no`: Quart ships no cache, and no Quart extension for one is listed in its docs. What Quart
    # has is HTTP header support (`Cache-Control`, conditional responses), not a store for answers or values.
    root = Path(quart.__file__).parent
    assert not [p.name for p in root.rglob("*.py") if "cach" in p.name.lower()]
    assert not [n for n in _public_names(quart) if "cach" in n]
    assert not [n for n in inspect.signature(Quart.route).parameters if "cache" in n]

    app = Quart(__name__)
    calls: list[int] = []

    @app.get("/answer")
    async def answer() -> dict[str, int]:
        calls.append(1)
        return {"n": len(calls)}

    async def twice() -> list[int]:
        client = app.test_client()
        return [(await (await client.get("/answer")).get_json())["n"] for _ in range(2)]

    assert _run(twice()) == [1, 2]
