"""Probes of data/frameworks/starlette.yaml: each test shows one fact on the pinned Starlette (requirements.lock).

`@probe("starlette/<criterion>")` names the fact; a failure says which fact to revisit (macros/probes.py).
Everything runs in-process (Starlette's TestClient, httpx's ASGI transport or a direct ASGI call): no server,
no network. Where a fact's value rests on a companion package that is not in requirements.lock (SpecTree,
sse-starlette, asgi-csrf, Authlib, Secweb, a2wsgi, starlette-babel), the probe shows the Starlette half and
says so in a comment.
"""

import asyncio
import base64
import contextlib
import importlib
import importlib.util
import inspect
import json
import sys
import threading
import warnings
from collections.abc import AsyncIterator, Iterator
from importlib import metadata
from pathlib import Path

import anyio
import anyio.to_thread
import httpx
import pytest
import sentry_sdk
import starlette
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from probekit import UvicornLikeConnection, disconnect_midway, mcp_handshake, sentry_events
from starlette.applications import Starlette
from starlette.authentication import (
    AuthCredentials,
    AuthenticationBackend,
    SimpleUser,
    UnauthenticatedUser,
    requires,
)
from starlette.background import BackgroundTasks
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import HTTPConnection, Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, StreamingResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocket

from macros.probes import probe


async def _gather_get(app: Starlette, paths: list[str]) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://probe") as client:
        return await asyncio.gather(*(client.get(p) for p in paths))


def _hard_requirements() -> list[str]:
    return [r.split(";")[0].strip().lower() for r in metadata.requires("starlette") or [] if "extra ==" not in r]


# --- performance ---------------------------------------------------------------------------------------
@probe("starlette/asgi")
def test_app_is_an_asgi_callable() -> None:
    async def root(request: Request) -> JSONResponse:
        return JSONResponse({"hello": "asgi"})

    app = Starlette(routes=[Route("/", root)])
    assert inspect.iscoroutinefunction(Starlette.__call__)
    assert list(inspect.signature(app.__call__).parameters) == ["scope", "receive", "send"]
    (response,) = asyncio.run(_gather_get(app, ["/"]))
    assert response.json() == {"hello": "asgi"}
    assert [r for r in _hard_requirements() if not r.startswith("typing")] == ["anyio<5,>=4.0.0"], _hard_requirements()


@probe("starlette/wsgi")
def test_no_wsgi_callable_and_wsgi_middleware_points_to_a2wsgi() -> None:
    # The value is `plugin` (a2wsgi's ASGIMiddleware, not in requirements.lock); code shows the Starlette half:
    # the app only speaks ASGI, and its own WSGIMiddleware (the other direction) is deprecated for a2wsgi.
    from starlette.exceptions import StarletteDeprecationWarning

    app = Starlette()
    with pytest.raises(TypeError):
        app({"REQUEST_METHOD": "GET", "PATH_INFO": "/"}, lambda status, headers: None)  # WSGI passes 2 arguments
    sys.modules.pop("starlette.middleware.wsgi", None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        importlib.import_module("starlette.middleware.wsgi")
    messages = [str(w.message) for w in caught if issubclass(w.category, StarletteDeprecationWarning)]
    assert any("a2wsgi" in m for m in messages), messages


@probe("starlette/async-handlers")
def test_async_endpoints_overlap_on_the_loop() -> None:
    threads: set[str] = set()
    entered = 0
    all_in: asyncio.Event | None = None

    async def wait(request: Request) -> JSONResponse:
        nonlocal entered
        threads.add(threading.current_thread().name)
        entered += 1
        if entered == 10:
            all_in.set()
        await asyncio.wait_for(all_in.wait(), 20)  # times out unless all ten are awaiting together
        return JSONResponse({"ok": True})

    app = Starlette(routes=[Route("/wait", wait)])

    async def run() -> list[httpx.Response]:
        nonlocal all_in
        all_in = asyncio.Event()
        return await _gather_get(app, ["/wait"] * 10)

    responses = asyncio.run(run())
    assert all(r.status_code == 200 for r in responses), "the async endpoints did not overlap"
    assert threads == {threading.current_thread().name}, f"async endpoints ran on {threads}, not the loop's thread"


@probe("starlette/sync-handlers-offloaded")
def test_def_endpoints_run_in_the_thread_pool() -> None:
    seen: list[str] = []
    together = threading.Barrier(5, timeout=20)  # breaks unless five blocking calls run at the same time

    def block(request: Request) -> JSONResponse:
        seen.append(threading.current_thread().name)
        together.wait()
        return JSONResponse({"ok": True})

    app = Starlette(routes=[Route("/block", block)])
    responses = asyncio.run(_gather_get(app, ["/block"] * 5))
    assert all(r.status_code == 200 for r in responses), "the blocking endpoints did not run side by side"
    assert all("AnyIO worker thread" in name for name in seen), seen

    async def limit() -> float:
        return anyio.to_thread.current_default_thread_limiter().total_tokens

    assert asyncio.run(limit()) == 40


@probe("starlette/compiled-validation")
def test_json_response_uses_the_standard_json_module(monkeypatch: pytest.MonkeyPatch) -> None:
    # The value is `plugin` (SpecTree with Pydantic, not in requirements.lock); code shows the Starlette half:
    # no validation layer, no compiled dependency, and JSONResponse encodes through the standard library.
    import starlette.responses as responses

    assert responses.json is json
    calls: list[object] = []
    original = json.dumps

    def spy(obj, **kwargs):  # noqa: ANN001, ANN003, ANN202
        calls.append(obj)
        return original(obj, **kwargs)

    monkeypatch.setattr(responses.json, "dumps", spy)
    assert JSONResponse({"a": 1}).body == b'{"a":1}'
    assert calls == [{"a": 1}]
    assert not [r for r in _hard_requirements() if r.startswith(("pydantic", "msgspec", "orjson"))]


@probe("starlette/async-orm")
def test_no_data_layer_sqlalchemy_asyncio_awaits_queries() -> None:
    import sqlalchemy.ext.asyncio as sa_async

    assert importlib.util.find_spec("starlette.database") is None
    assert not [r for r in _hard_requirements() if r.startswith(("sqlalchemy", "databases"))]
    assert inspect.iscoroutinefunction(sa_async.AsyncSession.execute)
    assert inspect.iscoroutinefunction(sa_async.AsyncSession.commit)
    assert callable(sa_async.create_async_engine)


# --- api -------------------------------------------------------------------------------------------------
@probe("starlette/request-validation")
def test_bad_input_reaches_the_endpoint_unchecked() -> None:
    # The value is `plugin` (SpecTree, not in requirements.lock); code shows the Starlette half: the endpoint
    # gets the raw body and query strings, and nothing answers 422 on its behalf.
    async def create(request: Request) -> JSONResponse:
        body = await request.json()
        return JSONResponse({"body": body, "q": request.query_params["q"]})

    app = Starlette(routes=[Route("/items", create, methods=["POST"])])
    response = TestClient(app).post("/items?q=x", json={"name": 1, "price": "cheap"})
    assert response.status_code == 200
    assert response.json() == {"body": {"name": 1, "price": "cheap"}, "q": "x"}


@probe("starlette/openapi")
def test_schema_generator_reads_docstrings_not_types() -> None:
    from starlette.schemas import SchemaGenerator

    schemas = SchemaGenerator({"openapi": "3.0.0", "info": {"title": "Probe", "version": "1"}})

    def documented(request: Request) -> JSONResponse:
        """
        responses:
          200:
            description: A list of users.
        """
        return JSONResponse([])

    def typed_only(request: Request) -> JSONResponse:
        return JSONResponse({})

    def schema(request: Request) -> object:
        return schemas.OpenAPIResponse(request=request)

    app = Starlette(
        routes=[
            Route("/users", documented),
            Route("/typed", typed_only),
            Route("/schema", schema, include_in_schema=False),
        ]
    )
    client = TestClient(app)
    doc = client.get("/schema")
    assert doc.headers["content-type"].startswith("application/vnd.oai.openapi")
    assert schemas.get_schema(app.routes)["paths"] == {
        "/users": {"get": {"responses": {200: {"description": "A list of users."}}}}
    }, "a route without a docstring got into the schema"
    assert client.get("/docs").status_code == 404


@probe("starlette/response-serialization")
def test_json_response_sends_every_key() -> None:
    # The value is `plugin` (SpecTree, not in requirements.lock); code shows the Starlette half: no declared
    # response type, so undeclared fields go out as given.
    async def leak(request: Request) -> JSONResponse:
        return JSONResponse({"a": 1, "secret": "x"})

    app = Starlette(routes=[Route("/", leak)])
    assert TestClient(app).get("/").json() == {"a": 1, "secret": "x"}
    assert "response_model" not in inspect.signature(Route.__init__).parameters


@probe("starlette/dependency-injection")
def test_endpoints_receive_only_the_request() -> None:
    import starlette

    seen: list[tuple[str, ...]] = []

    def db() -> str:
        return "session"

    async def needs_db(request: Request, session: str = "not injected") -> PlainTextResponse:
        seen.append(tuple(sorted(request.path_params)))
        return PlainTextResponse(session)

    app = Starlette(routes=[Route("/", needs_db)])
    assert TestClient(app).get("/").text == "not injected"
    assert not [n for n in dir(starlette) if n.lower() in ("depends", "inject", "provide")]
    assert importlib.util.find_spec("starlette.params") is None
    assert db() == "session"


@probe("starlette/graphql")
def test_no_graphql_in_starlette() -> None:
    import starlette

    assert importlib.util.find_spec("starlette.graphql") is None
    assert not [n for n in dir(starlette) if "graphql" in n.lower()]


# --- data ------------------------------------------------------------------------------------------------
@probe("starlette/orm")
def test_sqlalchemy_orm_without_starlette_depending_on_it() -> None:
    import sqlalchemy as sa
    from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

    assert not [r for r in _hard_requirements() if r.startswith(("sqlalchemy", "sqlmodel"))]

    class Base(DeclarativeBase):
        pass

    class Hero(Base):
        __tablename__ = "probe_starlette_hero"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str]

    engine = sa.create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(Hero(name="Ada"))
        session.commit()
        assert session.scalars(sa.select(Hero.name)).all() == ["Ada"]


@probe("starlette/migrations")
def test_no_migrations_alembic_autogenerate_sees_a_new_table() -> None:
    import sqlalchemy as sa
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    assert importlib.util.find_spec("starlette.migrations") is None
    metadata_ = sa.MetaData()
    sa.Table("probe_starlette_widget", metadata_, sa.Column("id", sa.Integer, primary_key=True))
    engine = sa.create_engine("sqlite://")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata_)
    assert [d[0] for d in diff] == ["add_table"] and diff[0][1].name == "probe_starlette_widget", diff


@probe("starlette/database-backends")
def test_sqlalchemy_ships_the_main_dialects() -> None:
    import sqlalchemy.dialects as dialects

    assert {"postgresql", "mysql", "sqlite", "oracle", "mssql"} <= set(dialects.__all__)


@probe("starlette/connection-pooling")
def test_engine_from_lifespan_state_reuses_pooled_connections(tmp_path) -> None:  # noqa: ANN001
    import sqlalchemy as sa
    from sqlalchemy import pool

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, sa.Engine]]:
        engine = sa.create_engine(f"sqlite:///{tmp_path / 'pool.sqlite3'}")
        yield {"engine": engine}
        engine.dispose()

    def conn_id(request: Request) -> JSONResponse:
        engine: sa.Engine = request.state.engine
        assert isinstance(engine.pool, pool.QueuePool)
        with engine.connect() as conn:
            return JSONResponse({"id": id(conn.connection.dbapi_connection)})

    app = Starlette(routes=[Route("/", conn_id)], lifespan=lifespan)
    with TestClient(app) as client:
        first, second = client.get("/").json()["id"], client.get("/").json()["id"]
    assert first == second, "the connection was not reused from the pool"
    assert issubclass(pool.AsyncAdaptedQueuePool, pool.QueuePool)


# --- security --------------------------------------------------------------------------------------------
class _HeaderBackend(AuthenticationBackend):
    """A hand-written bearer backend: what the docs ask you to write (Starlette parses no tokens itself)."""

    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, SimpleUser] | None:
        scheme, _, token = conn.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        user, _, scopes = token.partition(":")
        return AuthCredentials(["authenticated", *filter(None, scopes.split(","))]), SimpleUser(user)


@probe("starlette/authentication")
def test_auth_middleware_and_signed_sessions_but_no_accounts() -> None:
    import starlette.authentication as auth

    async def me(request: Request) -> JSONResponse:
        return JSONResponse({"user": request.user.display_name, "in": request.user.is_authenticated})

    async def login(request: Request) -> PlainTextResponse:
        request.session["user"] = "ada"
        return PlainTextResponse("ok")

    async def who(request: Request) -> JSONResponse:
        return JSONResponse({"user": request.session.get("user")})

    app = Starlette(
        routes=[Route("/me", me), Route("/login", login), Route("/who", who)],
        middleware=[
            Middleware(SessionMiddleware, secret_key="probe-secret"),
            Middleware(AuthenticationMiddleware, backend=_HeaderBackend()),
        ],
    )
    client = TestClient(app)
    assert client.get("/me", headers={"Authorization": "Bearer ada"}).json() == {"user": "ada", "in": True}
    assert client.get("/me").json() == {"user": "", "in": False}
    client.get("/login")
    assert client.get("/who").json() == {"user": "ada"}
    payload = client.cookies["session"].split(".")[0]
    assert json.loads(base64.b64decode(payload + "==")) == {"user": "ada"}, "session data is not readable"
    forged = TestClient(app, cookies={"session": "forged"})
    assert forged.get("/who").json() == {"user": None}
    users = {n for n in dir(auth) if n.endswith("User")}
    assert users == {"BaseUser", "SimpleUser", "UnauthenticatedUser"}, users
    assert not [n for n in dir(auth) if any(w in n.lower() for w in ("password", "hash", "login"))]
    assert isinstance(UnauthenticatedUser(), auth.BaseUser)


@probe("starlette/permissions")
def test_requires_checks_scopes_only() -> None:
    import starlette.authentication as auth

    @requires("admin")
    async def admin(request: Request) -> PlainTextResponse:
        return PlainTextResponse("welcome")

    async def home(request: Request) -> PlainTextResponse:
        return PlainTextResponse("home")

    @requires("admin", redirect="home")
    async def admin_redirect(request: Request) -> PlainTextResponse:
        return PlainTextResponse("welcome")

    app = Starlette(
        routes=[Route("/admin", admin), Route("/home", home, name="home"), Route("/r", admin_redirect)],
        middleware=[Middleware(AuthenticationMiddleware, backend=_HeaderBackend())],
    )
    client = TestClient(app)
    assert client.get("/admin", headers={"Authorization": "Bearer ada"}).status_code == 403
    assert client.get("/admin", headers={"Authorization": "Bearer ada:admin"}).text == "welcome"
    redirected = client.get("/r", follow_redirects=False)
    assert redirected.status_code in (302, 303, 307) and "/home?next=" in redirected.headers["location"]
    assert not [n for n in dir(auth) if any(w in n.lower() for w in ("group", "role", "permission"))]


@probe("starlette/token-auth-helpers")
def test_no_token_classes_only_the_backend_hook() -> None:
    # The value is `plugin` (Authlib, not in requirements.lock); code shows the Starlette half: no bearer,
    # API-key or OAuth2 classes, just AuthenticationBackend, where parsing the header is your own code.
    import starlette.authentication as auth
    import starlette.middleware as middleware

    names = [n.lower() for n in dir(auth) + dir(middleware)]
    assert not [n for n in names if any(w in n for w in ("bearer", "apikey", "api_key", "oauth", "jwt"))], names
    assert inspect.iscoroutinefunction(AuthenticationBackend.authenticate)


@probe("starlette/csrf-protection")
def test_cross_site_form_post_is_accepted() -> None:
    # The value is `plugin` (asgi-csrf, not in requirements.lock); code shows the Starlette half: a form post
    # carrying the session cookie and no token is accepted, and the only defence is the SameSite=Lax cookie.
    async def login(request: Request) -> PlainTextResponse:
        request.session["user"] = "victim"
        return PlainTextResponse("ok")

    async def transfer(request: Request) -> PlainTextResponse:
        form = await request.form()
        return PlainTextResponse(f"{request.session.get('user')} sent {form['amount']}")

    app = Starlette(
        routes=[Route("/login", login), Route("/transfer", transfer, methods=["POST"])],
        middleware=[Middleware(SessionMiddleware, secret_key="probe-secret")],
    )
    client = TestClient(app)
    set_cookie = client.get("/login").headers["set-cookie"].lower()
    assert "samesite=lax" in set_cookie and "httponly" in set_cookie, set_cookie
    response = client.post("/transfer", data={"amount": "100"}, headers={"Origin": "https://evil.example"})
    assert response.status_code == 200 and response.text == "victim sent 100"
    assert not [n for n in sys.modules if n.startswith("starlette.") and "csrf" in n]
    assert importlib.util.find_spec("starlette.middleware.csrf") is None


@probe("starlette/content-security-policy")
def test_no_csp_header_by_default() -> None:
    # The value is `plugin` (Secweb, not in requirements.lock); code shows the Starlette half.
    async def page(request: Request) -> HTMLResponse:
        return HTMLResponse("<script>1</script>")

    response = TestClient(Starlette(routes=[Route("/", page)])).get("/")
    assert "content-security-policy" not in response.headers
    assert importlib.util.find_spec("starlette.middleware.csp") is None


@probe("starlette/cors")
def test_cors_middleware_answers_preflight() -> None:
    async def root(request: Request) -> JSONResponse:
        return JSONResponse({"ok": True})

    app = Starlette(
        routes=[Route("/", root)],
        middleware=[Middleware(CORSMiddleware, allow_origins=["https://ok.example"], allow_methods=["GET"])],
    )
    client = TestClient(app)
    ok = client.options("/", headers={"Origin": "https://ok.example", "Access-Control-Request-Method": "GET"})
    assert ok.headers["access-control-allow-origin"] == "https://ok.example"
    bad = client.options("/", headers={"Origin": "https://bad.example", "Access-Control-Request-Method": "GET"})
    assert bad.status_code == 400 and "access-control-allow-origin" not in bad.headers
    put = client.options("/", headers={"Origin": "https://ok.example", "Access-Control-Request-Method": "PUT"})
    assert put.status_code == 400, "a method outside the default allow list was accepted"


# --- ai --------------------------------------------------------------------------------------------------
@probe("starlette/streaming-responses")
def test_streaming_from_generators_chunk_by_chunk() -> None:
    from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES

    release = threading.Event()
    seen_threads: list[str] = []

    def sync_gen() -> Iterator[str]:
        seen_threads.append(threading.current_thread().name)
        yield from ("s0", "s1")

    async def async_gen() -> AsyncIterator[str]:
        yield "first"
        await anyio.to_thread.run_sync(release.wait, abandon_on_cancel=True)  # waits for the test to read "first"
        yield "second"

    async def sync_route(request: Request) -> StreamingResponse:
        return StreamingResponse(sync_gen())

    async def async_route(request: Request) -> StreamingResponse:
        return StreamingResponse(async_gen(), media_type="text/plain")

    app = Starlette(routes=[Route("/sync", sync_route), Route("/async", async_route)])
    client = TestClient(app)
    assert client.get("/sync").text == "s0s1"
    assert seen_threads and "AnyIO worker thread" in seen_threads[0], seen_threads
    with client.stream("GET", "/async") as response:
        chunks = response.iter_bytes()
        assert next(chunks) == b"first", "the first chunk did not arrive before the generator finished"
        release.set()
        assert b"".join(chunks) == b"second"
    assert "text/event-stream" in DEFAULT_EXCLUDED_CONTENT_TYPES


@probe("starlette/server-sent-events")
def test_no_sse_class_but_a_hand_framed_event_stream_works() -> None:
    # The value is `plugin` (sse-starlette, not in requirements.lock); code shows the Starlette half: no SSE
    # response class, while StreamingResponse carries `data:` frames you write yourself.
    import starlette.responses as responses

    assert not [n for n in dir(responses) if "event" in n.lower() or "sse" in n.lower()]

    async def events() -> AsyncIterator[str]:
        for i in range(2):
            yield f"event: tick\ndata: {i}\n\n"

    async def stream(request: Request) -> StreamingResponse:
        return StreamingResponse(events(), media_type="text/event-stream")

    response = TestClient(Starlette(routes=[Route("/", stream)])).get("/")
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.text == "event: tick\ndata: 0\n\nevent: tick\ndata: 1\n\n"


@probe("starlette/websockets")
def test_websocket_route_round_trip() -> None:
    from starlette.websockets import WebSocketDisconnected

    async def echo(websocket: WebSocket) -> None:
        await websocket.accept()
        text = await websocket.receive_text()
        await websocket.send_text(f"echo:{text}:{websocket.path_params['room']}")
        await websocket.close()

    app = Starlette(routes=[WebSocketRoute("/ws/{room}", echo)])
    with TestClient(app).websocket_connect("/ws/lobby") as conn:
        conn.send_text("hi")
        assert conn.receive_text() == "echo:hi:lobby"
    assert issubclass(WebSocketDisconnected, RuntimeError)


@probe("starlette/in-process-background-tasks")
def test_background_tasks_run_after_the_response() -> None:
    log: list[str] = []

    def sync_job(x: str) -> None:
        log.append(f"sync {x} on {'worker' if 'AnyIO' in threading.current_thread().name else 'loop'}")

    async def async_job(x: str) -> None:
        log.append(f"async {x}")

    async def root(request: Request) -> JSONResponse:
        tasks = BackgroundTasks()
        tasks.add_task(sync_job, "a")
        tasks.add_task(async_job, "b")
        return JSONResponse({"queued_before_response": len(log)}, background=tasks)

    response = TestClient(Starlette(routes=[Route("/", root, methods=["POST"])])).post("/")
    assert response.json() == {"queued_before_response": 0}
    assert log == ["sync a on worker", "async b"]


@probe("starlette/task-queue")
def test_background_tasks_are_not_a_queue() -> None:
    import starlette
    import starlette.background as background

    assert not [n for n in dir(starlette) if any(w in n.lower() for w in ("queue", "worker", "celery"))]
    assert not [
        n for n in dir(BackgroundTasks()) if any(w in n.lower() for w in ("retry", "enqueue", "persist", "result"))
    ]
    assert {n for n in dir(background) if n.startswith("Background")} == {"BackgroundTask", "BackgroundTasks"}


@probe("starlette/model-lifecycle")
def test_lifespan_runs_around_serving_and_old_hooks_are_gone() -> None:
    log: list[str] = []

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, str]]:
        log.append("load model")
        yield {"model": "loaded"}
        log.append("unload model")

    async def root(request: Request) -> JSONResponse:
        log.append("request")
        return JSONResponse({"model": request.state.model})

    sub = Starlette(lifespan=lifespan)
    app = Starlette(routes=[Route("/", root), Mount("/sub", sub)], lifespan=lifespan)
    with TestClient(app) as client:
        assert client.get("/").json() == {"model": "loaded"}
    assert log == ["load model", "request", "unload model"], "mounted app's lifespan ran, or order differs"
    for removed in ("on_event", "add_event_handler"):
        assert not hasattr(Starlette, removed), removed
    with pytest.raises(TypeError):
        Starlette(on_startup=[lambda: None])  # type: ignore[call-arg]


# --- devex -----------------------------------------------------------------------------------------------
@probe("starlette/type-hints-drive-behaviour")
def test_annotations_are_ignored() -> None:
    # The value is `plugin` (SpecTree, not in requirements.lock); code shows the Starlette half: annotations
    # neither convert path parameters nor change what the endpoint is given.
    async def read(request: Request) -> JSONResponse:
        item_id: int = request.path_params["item_id"]
        return JSONResponse({"item_id": item_id, "type": type(item_id).__name__})

    async def converted(request: Request) -> JSONResponse:
        return JSONResponse({"type": type(request.path_params["item_id"]).__name__})

    app = Starlette(routes=[Route("/plain/{item_id}", read), Route("/conv/{item_id:int}", converted)])
    client = TestClient(app)
    assert client.get("/plain/5").json() == {"item_id": "5", "type": "str"}
    assert client.get("/conv/5").json() == {"type": "int"}, "the path convertor, not the annotation, converts"


@probe("starlette/admin-interface")
def test_sqladmin_mounts_an_admin_on_starlette() -> None:
    import sqlalchemy as sa
    import starlette
    from sqladmin import Admin, ModelView
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

    assert not [n for n in dir(starlette) if "admin" in n.lower()]

    class Base(DeclarativeBase):
        pass

    class Note(Base):
        __tablename__ = "probe_starlette_note"
        id: Mapped[int] = mapped_column(primary_key=True)
        text: Mapped[str]

    engine = sa.create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=sa.pool.StaticPool)
    Base.metadata.create_all(engine)
    app = Starlette()
    admin = Admin(app, engine)

    class NoteAdmin(ModelView, model=Note):
        column_list = [Note.id, Note.text]

    admin.add_view(NoteAdmin)
    client = TestClient(app)
    assert client.get("/admin/").status_code == 200
    listing = client.get("/admin/note/list")
    assert listing.status_code == 200 and "Note" in listing.text


@probe("starlette/test-client")
def test_test_client_is_httpx2_runs_lifespan_and_websockets() -> None:
    import starlette.testclient as testclient

    assert testclient.httpx.__name__ == "httpx2"
    log: list[str] = []

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        log.append("startup")
        yield
        log.append("shutdown")

    async def root(request: Request) -> PlainTextResponse:
        return PlainTextResponse("hi")

    async def ws(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_json({"ok": True})
        await websocket.close()

    app = Starlette(routes=[Route("/", root), WebSocketRoute("/ws", ws)], lifespan=lifespan)
    with TestClient(app) as client:
        assert log == ["startup"]
        assert client.get("/").text == "hi"
        with client.websocket_connect("/ws") as conn:
            assert conn.receive_json() == {"ok": True}
    assert log == ["startup", "shutdown"]


@probe("starlette/dev-server-reload")
def test_no_command_of_its_own_uvicorn_reloads() -> None:
    # Starlette ships no console script; the reloader is Uvicorn's (in requirements.lock).
    import uvicorn
    import uvicorn.supervisors

    assert not list(metadata.distribution("starlette").entry_points)
    assert [e.name for e in metadata.distribution("uvicorn").entry_points if e.group == "console_scripts"] == [
        "uvicorn"
    ]
    assert {"reload", "reload_dirs"} <= set(inspect.signature(uvicorn.Config).parameters)
    assert hasattr(uvicorn.supervisors, "ChangeReload")


@probe("starlette/html-templates")
def test_jinja2_templates_render_and_escape(tmp_path) -> None:  # noqa: ANN001
    from starlette.templating import Jinja2Templates

    (tmp_path / "hello.html").write_text("<p>Hello {{ name }}</p><a href=\"{{ url_for('page') }}\">x</a>")
    templates = Jinja2Templates(directory=tmp_path)

    async def page(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(request, "hello.html", {"name": "<Ada>"})

    response = TestClient(Starlette(routes=[Route("/", page, name="page")])).get("/")
    assert response.text == '<p>Hello &lt;Ada&gt;</p><a href="http://testserver/">x</a>'
    assert response.headers["content-type"].startswith("text/html")
    assert response.template.name == "hello.html" and response.context["name"] == "<Ada>"


@probe("starlette/i18n")
def test_no_i18n_in_starlette_babel_formats_locales() -> None:
    # The value is `plugin` (starlette-babel, not in requirements.lock); code shows the Starlette half and
    # Babel, which starlette-babel builds on.
    import datetime as dt

    import starlette
    from babel.dates import format_date

    assert not [n for n in dir(starlette) if any(w in n.lower() for w in ("locale", "gettext", "i18n", "translat"))]
    assert importlib.util.find_spec("starlette.i18n") is None
    assert format_date(dt.date(2026, 12, 2), locale="de_DE") == "02.12.2026"


# --- ecosystem -------------------------------------------------------------------------------------------
@probe("starlette/python-versions")
def test_requires_python_and_classifiers() -> None:
    meta = metadata.metadata("starlette")
    assert meta["Requires-Python"] == ">=3.11"
    versions = sorted(
        (
            c.rsplit(":: ", 1)[1]
            for c in meta.get_all("Classifier") or []
            if c.startswith("Programming Language :: Python :: 3.")
        ),
        key=lambda v: int(v.split(".")[1]),
    )
    assert versions[0] == "3.11" and versions[-1] == "3.15", versions


@probe("starlette/license")
def test_licence_in_package_metadata() -> None:
    meta = metadata.metadata("starlette")
    assert meta.get("License-Expression") == "BSD-3-Clause", meta.get("License-Expression")


@probe("starlette/stable-api-policy")
def test_deprecations_warn_visibly_before_removal() -> None:
    # The value rests on published words (not probeable); code shows the notes: 1.x, deprecations warn with a
    # warning shown by default, and APIs deprecated during 0.x are gone.
    import starlette
    from starlette.exceptions import StarletteDeprecationWarning

    assert int(starlette.__version__.split(".")[0]) >= 1
    assert issubclass(StarletteDeprecationWarning, UserWarning)
    assert not issubclass(StarletteDeprecationWarning, DeprecationWarning)
    from starlette.formparsers import FormMessage

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        FormMessage(1)
    assert [w.category for w in caught] == [StarletteDeprecationWarning], [str(w.message) for w in caught]
    assert not hasattr(Starlette, "route") and not hasattr(Starlette, "on_event")


@probe("starlette/observability")
def test_opentelemetry_middleware_makes_server_spans_only() -> None:
    from opentelemetry import metrics, trace
    from starlette.middleware.opentelemetry import OpenTelemetryMiddleware

    spans: list[dict[str, object]] = []
    meter_calls: list[str] = []

    class Span:
        def __init__(self, name: str, kind: object, attributes: dict[str, object]) -> None:
            self.record = {"name": name, "kind": kind, **attributes}
            spans.append(self.record)

        def set_attribute(self, key: str, value: object) -> None:
            self.record[key] = value

        def set_status(self, status: object) -> None:
            self.record["status"] = status

        def update_name(self, name: str) -> None:
            self.record["name"] = name

    class Tracer(trace.Tracer):
        def start_span(self, name, context=None, kind=trace.SpanKind.INTERNAL, attributes=None, **kw):  # noqa: ANN001, ANN003, ANN201
            return Span(name, kind, dict(attributes or {}))

        @contextlib.contextmanager
        def start_as_current_span(self, name, context=None, kind=trace.SpanKind.INTERNAL, attributes=None, **kw):  # noqa: ANN001, ANN003, ANN201
            yield self.start_span(name, context, kind, attributes)

    class Provider(trace.TracerProvider):
        def get_tracer(self, *args, **kwargs) -> trace.Tracer:  # noqa: ANN002, ANN003
            return Tracer()

    class Meters(metrics.MeterProvider):
        def get_meter(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
            meter_calls.append("get_meter")
            return metrics.NoOpMeter("probe")

    async def item(request: Request) -> JSONResponse:
        return JSONResponse({"id": request.path_params["item_id"]})

    async def ws(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.close()

    app = Starlette(
        routes=[Route("/items/{item_id}", item), WebSocketRoute("/ws", ws)],
        middleware=[Middleware(OpenTelemetryMiddleware, tracer_provider=Provider(), meter_provider=Meters())],
    )
    client = TestClient(app)
    assert client.get("/items/7").json() == {"id": "7"}
    with client.websocket_connect("/ws"):
        pass
    assert len(spans) == 1, spans
    (span,) = spans
    assert span["name"] == "GET /items/{item_id}" and span["http.route"] == "/items/{item_id}"
    assert span["kind"] == trace.SpanKind.SERVER and span["http.response.status_code"] == 200
    assert meter_calls == [], "the middleware now uses the meter provider: metrics may be recorded"
    assert "experimental" in (OpenTelemetryMiddleware.__doc__ or "").lower()


# --- disconnect-cancellation (issue 13) ----------------------------------------
@probe("starlette/disconnect-cancellation")
def test_disconnect_cancels_a_stream_at_once_but_not_a_plain_endpoint() -> None:
    kinds = ("stream", "plain")
    upstream = {k: asyncio.Event() for k in kinds}  # the model's next token (or whole answer), not here yet
    waiting = {k: asyncio.Event() for k in kinds}  # the endpoint is now awaiting the upstream
    ended = {k: asyncio.Event() for k in kinds}
    how: dict[str, str] = {}

    async def tokens() -> AsyncIterator[str]:
        try:
            yield "first token "
            waiting["stream"].set()
            await upstream["stream"].wait()
            yield "next token"
            how["stream"] = "ran to the end"
        except asyncio.CancelledError:
            how["stream"] = "cancelled"
            raise
        finally:
            ended["stream"].set()

    async def stream(request: Request) -> StreamingResponse:
        return StreamingResponse(tokens(), media_type="text/plain")

    async def plain(request: Request) -> JSONResponse:
        try:
            waiting["plain"].set()
            await upstream["plain"].wait()
            how["plain"] = "ran to the end"
            return JSONResponse({"answer": "complete"})
        except asyncio.CancelledError:
            how["plain"] = "cancelled"
            raise
        finally:
            ended["plain"].set()

    app = Starlette(routes=[Route("/stream", stream), Route("/plain", plain)])

    async def midway(kind: str) -> tuple[UvicornLikeConnection, asyncio.Task[None], bool]:
        streaming = kind != "plain"
        return await disconnect_midway(
            app, f"/{kind}", waiting[kind], ended[kind], streaming=streaming, grace=1.0 if streaming else 0.5
        )

    async def run() -> None:
        # StreamingResponse.__call__ reads spec_version "2.3" (< 2.4) and runs `listen_for_disconnect` in a task
        # group beside `stream_response`: `http.disconnect` cancels the producer while it awaits the upstream.
        conn, task, stopped = await midway("stream")
        assert stopped and how["stream"] == "cancelled", how
        await asyncio.wait_for(task, 1.0)
        assert [m.get("body") for m in conn.sent] == [None, b"first token "]
        # A plain endpoint: nothing listens for the disconnect, so it keeps awaiting the upstream ...
        conn, task, stopped = await midway("plain")
        assert not stopped and not task.done(), "a plain endpoint is now cancelled on disconnect"
        upstream["plain"].set()  # ... until the answer arrives; it then runs to the end, for nobody
        await asyncio.wait_for(task, 1.0)
        assert how["plain"] == "ran to the end"
        assert conn.sent == [] and conn.dropped[0]["type"] == "http.response.start"

    asyncio.run(run())


# --- error-tracking (issue 13) ----------------------------------------
@probe("starlette/error-tracking")
def test_sentry_reports_an_unhandled_error_with_url_method_and_user() -> None:
    # The value is `plugin` (sentry-sdk, in requirements.lock): `sentry_sdk.init` alone switches on its Starlette
    # integration, which wraps the app and reads the user that AuthenticationMiddleware put in `scope["user"]`.
    from sentry_sdk.integrations.starlette import StarletteIntegration

    class Everyone(AuthenticationBackend):
        async def authenticate(self, conn):  # noqa: ANN001, ANN201
            return AuthCredentials(["authenticated"]), SimpleUser("ada")

    async def answer(request):  # noqa: ANN001, ANN202
        raise RuntimeError("model server unreachable")

    with sentry_events() as events:
        assert sentry_sdk.get_client().get_integration(StarletteIntegration) is not None
        app = Starlette(
            routes=[Route("/answers/{answer_id:int}", answer)],
            middleware=[Middleware(AuthenticationMiddleware, backend=Everyone())],
        )
        with TestClient(app, raise_server_exceptions=False) as client:
            assert client.get("/answers/7", params={"q": "x"}).status_code == 500

    [event] = events
    assert [e["type"] for e in event["exception"]["values"]] == ["RuntimeError"]
    assert event["exception"]["values"][0]["mechanism"] == {"type": "starlette", "handled": False}
    assert event["request"]["url"] == "http://testserver/answers/7"
    assert event["request"]["method"] == "GET"
    assert event["request"]["query_string"] == "q=x"
    assert event["user"]["username"] == "ada"
    assert event["transaction"] == "/answers/{answer_id:int}"
    assert "starlette" in event["sdk"]["integrations"]


# --- free-threaded-python (issue 13) ----------------------------------------
@probe("starlette/free-threaded-python")
def test_no_free_threading_classifier_and_no_compiled_requirement() -> None:
    # The CI half (no free-threaded job in Starlette's workflow) is a document, not probeable. Code shows the
    # declared half: Starlette lists Python 3.11 to 3.15 but no `Free Threading` classifier. Nothing compiled
    # stands in the way either: Starlette and what it requires (anyio, idna) are pure Python.
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

    classifiers = metadata.metadata("starlette").get_all("Classifier") or []
    assert "Programming Language :: Python :: 3.14" in classifiers
    free_threading = [c for c in classifiers if c.startswith("Programming Language :: Python :: Free Threading")]
    assert free_threading == [], free_threading
    assert compiled_requirements("starlette") == []


# --- mcp-server (issue 13) ----------------------------------------
@probe("starlette/mcp-server")
def test_sdk_streamable_http_app_mounts_beside_the_routes() -> None:
    # The value is `plugin` (the MCP Python SDK, `mcp`, in requirements.lock): `streamable_http_app()` returns a
    # Starlette app serving Streamable HTTP at /mcp, and a `Mount` puts it in an existing app, as the SDK's docs
    # show. The host's lifespan must run the SDK's session manager: a mounted app's own lifespan never runs.
    from mcp.server import MCPServer

    mcp = MCPServer("probe")

    @mcp.tool()
    def add(a: int, b: int) -> int:
        """Add two numbers."""
        return a + b

    mcp_app = mcp.streamable_http_app()  # also creates mcp.session_manager

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with mcp.session_manager.run():
            yield

    async def health(request):  # noqa: ANN001, ANN202
        return JSONResponse({"status": "ok"})

    app = Starlette(routes=[Route("/health", health), Mount("/", app=mcp_app)], lifespan=lifespan)
    # localhost, because the SDK's DNS-rebinding guard answers 421 to other Host headers unless configured
    with TestClient(app, base_url="http://localhost:8000") as client:
        assert client.get("/health").json() == {"status": "ok"}
        assert mcp_handshake(client, "/mcp") == ["add"]
        elsewhere = {"host": "api.example.com", "accept": "application/json, text/event-stream"}
        assert client.post("/mcp", json={}, headers=elsewhere).status_code == 421
        assert client.get("/health", headers={"host": "api.example.com"}).status_code == 200


# --- rate-limiting (issue 13) ----------------------------------------
@probe("starlette/rate-limiting")
def test_no_rate_limiter_but_a_429_with_retry_after_passes_through() -> None:
    # The value is `plugin` (SlowAPI, not in requirements.lock); code shows the Starlette half: no limiter or
    # throttle anywhere in the package, and an HTTPException raised by your own check reaches the client as a 429
    # with its Retry-After header, which is how SlowAPI's handler answers too.
    words = ("ratelimit", "rate_limit", "rate limit", "rate-limit", "throttl")
    root = Path(starlette.__file__).parent
    hits = [p.name for p in root.rglob("*.py") if any(w in p.read_text(encoding="utf-8").lower() for w in words)]
    assert hits == [], hits

    calls: list[int] = []

    async def costly(request):  # noqa: ANN001, ANN202
        calls.append(1)
        if len(calls) > 2:
            raise HTTPException(status_code=429, detail="slow down", headers={"Retry-After": "30"})
        return JSONResponse({"ok": True})

    client = TestClient(Starlette(routes=[Route("/costly", costly)]))
    responses = [client.get("/costly") for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 429]
    assert responses[2].headers["retry-after"] == "30"


# --- response-caching (issue 13) ----------------------------------------
@probe("starlette/response-caching")
def test_no_cache_in_starlette() -> None:
    # The value is `plugin` (Starcache, not in requirements.lock); code shows the Starlette half: no cache module or
    # middleware ships, and a route's handler runs again for every identical request.
    root = Path(starlette.__file__).parent
    assert not [p.name for p in root.rglob("*.py") if "cach" in p.name.lower()]
    middleware = [p.stem for p in (root / "middleware").glob("*.py")]
    assert not [m for m in middleware if "cach" in m], middleware

    calls: list[int] = []

    async def answer(request):  # noqa: ANN001, ANN202
        calls.append(1)
        return JSONResponse({"n": len(calls)})

    client = TestClient(Starlette(routes=[Route("/answer", answer)]))
    assert [client.get("/answer").json()["n"] for _ in range(2)] == [1, 2]
