"""Probes of data/frameworks/litestar.yaml: each test shows one fact on the pinned Litestar (requirements.lock).

`@probe("litestar/<criterion>")` names the fact; a failure says which fact to revisit (macros/probes.py).
Everything runs in-process (Litestar's TestClient or httpx's ASGI transport): no server, no network.
Handlers use the explicit parameter markers (`FromQuery`, `NamedDependency`) that Litestar 2.22+ asks for,
so that only the probes about deprecations see deprecation warnings.
"""

import asyncio
import importlib.util
import inspect
import logging
import threading
import warnings
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

import httpx
import litestar.stores.base as store_base
import msgspec
import pytest
import sentry_sdk
from litestar import Litestar, Request, Response, get, post, websocket
from litestar.di import NamedDependency, Provide
from litestar.middleware import rate_limit
from litestar.params import FromHeader, FromPath, FromQuery, JSONBody, URLEncodedBody
from litestar.response import ServerSentEvent, Stream
from litestar.stores.memory import MemoryStore
from litestar.testing import AsyncTestClient, TestClient, create_test_client
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from probekit import UvicornLikeConnection, disconnect_midway, mcp_handshake, sentry_events

from macros.probes import probe

LITESTAR = Path(importlib.util.find_spec("litestar").origin).parent  # type: ignore[arg-type]
logging.getLogger("httpx").setLevel(logging.WARNING)


@dataclass
class Item:
    name: str
    price: float


def _public_names(module: Any) -> list[str]:
    return [n.lower() for n in dir(module) if not n.startswith("_")]


def _extra_requirements(extra: str) -> list[str]:
    return [r for r in metadata.requires("litestar") or [] if f"extra == '{extra}'" in r or f'extra == "{extra}"' in r]


def _base_requirements() -> list[str]:
    return [r.lower() for r in metadata.requires("litestar") or [] if "extra ==" not in r]


async def _gather_get(app: Litestar, paths: list[str]) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://probe") as client:
        return await asyncio.gather(*(client.get(p) for p in paths))


# --- performance ---------------------------------------------------------------------------------------
@probe("litestar/asgi")
def test_app_is_an_asgi_callable() -> None:
    @get("/")
    async def root() -> dict[str, str]:
        return {"hello": "asgi"}

    app = Litestar([root])
    assert inspect.iscoroutinefunction(Litestar.__call__)
    assert list(inspect.signature(app.__call__).parameters) == ["scope", "receive", "send"]
    (response,) = asyncio.run(_gather_get(app, ["/"]))
    assert response.json() == {"hello": "asgi"}


@probe("litestar/wsgi")
def test_no_wsgi_callable_of_its_own() -> None:
    # The value is `plugin` (a2wsgi's ASGIMiddleware, not in requirements.lock); what code shows here is the
    # framework half: the app only speaks ASGI, and calling it the WSGI way gives no response.
    import litestar

    app = Litestar([])
    assert inspect.iscoroutinefunction(app.__call__)
    assert not [n for n in _public_names(litestar) if "wsgi" in n]
    assert importlib.util.find_spec("litestar.wsgi") is None
    with pytest.raises(TypeError):
        app({"REQUEST_METHOD": "GET", "PATH_INFO": "/"}, lambda status, headers: None)  # type: ignore[call-arg]


@probe("litestar/async-handlers")
def test_async_handlers_overlap_on_the_event_loop() -> None:
    threads: set[str] = set()
    entered = 0
    all_in: asyncio.Event

    @get("/wait")
    async def wait() -> dict[str, bool]:
        nonlocal entered
        threads.add(threading.current_thread().name)
        entered += 1
        if entered == 10:
            all_in.set()
        await asyncio.wait_for(all_in.wait(), 20)  # times out unless all ten are awaiting together
        return {"ok": True}

    app = Litestar([wait])

    async def run() -> list[httpx.Response]:
        nonlocal all_in
        all_in = asyncio.Event()
        return await _gather_get(app, ["/wait"] * 10)

    responses = asyncio.run(run())
    assert all(r.status_code == 200 for r in responses), "the async handlers did not overlap"
    assert threads == {threading.current_thread().name}, f"async handlers ran on {threads}, not the loop's thread"


@probe("litestar/sync-handlers-offloaded")
def test_def_handlers_stay_on_the_loop_unless_sync_to_thread() -> None:
    from litestar.exceptions import LitestarWarning

    seen: dict[str, str] = {}
    together = threading.Barrier(3, timeout=20)  # breaks unless three blocking calls run at the same time

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")

        @get("/implicit")
        def implicit() -> dict[str, bool]:
            seen["implicit"] = threading.current_thread().name
            return {"ok": True}

    assert any(issubclass(w.category, LitestarWarning) and "sync_to_thread" in str(w.message) for w in caught)

    @get("/loop")
    async def loop() -> dict[str, bool]:
        seen["loop"] = threading.current_thread().name
        return {"ok": True}

    @get("/threaded", sync_to_thread=True)
    def threaded() -> dict[str, bool]:
        seen["threaded"] = threading.current_thread().name
        together.wait()
        return {"ok": True}

    app = Litestar([implicit, loop, threaded])
    responses = asyncio.run(_gather_get(app, ["/implicit", "/loop"]))
    assert all(r.status_code == 200 for r in responses)
    assert seen["implicit"] == seen["loop"], "a plain def handler was moved off the event loop by default"
    responses = asyncio.run(_gather_get(app, ["/threaded"] * 3))
    assert all(r.status_code == 200 for r in responses), "sync_to_thread handlers did not run side by side"
    assert seen["threaded"] != seen["loop"], seen


@probe("litestar/compiled-validation")
def test_msgspec_decodes_validates_and_encodes(monkeypatch: pytest.MonkeyPatch) -> None:
    import litestar.connection.request as request_module
    import litestar.response.base as response_module
    from litestar.serialization import msgspec_hooks

    assert msgspec._core.__file__.endswith((".so", ".pyd")), "msgspec is not a compiled extension"
    assert isinstance(msgspec_hooks._msgspec_json_decoder, msgspec.json.Decoder)
    assert isinstance(msgspec_hooks._msgspec_json_encoder, msgspec.json.Encoder)
    calls: list[str] = []
    original_decode, original_encode = request_module.decode_json, response_module.encode_json

    def spy_decode(*args: Any, **kwargs: Any) -> Any:
        calls.append("decode")
        return original_decode(*args, **kwargs)

    def spy_encode(*args: Any, **kwargs: Any) -> Any:
        calls.append("encode")
        return original_encode(*args, **kwargs)

    monkeypatch.setattr(request_module, "decode_json", spy_decode)
    monkeypatch.setattr(response_module, "encode_json", spy_encode)

    @post("/items")
    async def create(data: JSONBody[Item]) -> Item:
        return data

    with TestClient(Litestar([create])) as client:
        assert client.post("/items", json={"name": "a", "price": 1}).json() == {"name": "a", "price": 1.0}
        assert issubclass(create.signature_model, msgspec.Struct), "the handler signature is not a msgspec Struct"
    assert calls == ["decode", "encode"], calls


@probe("litestar/async-orm")
def test_no_data_layer_sqlalchemy_comes_from_advanced_alchemy() -> None:
    # The value is `plugin` (advanced-alchemy is not in requirements.lock); code shows the framework half:
    # Litestar does not depend on it, only names it in an extra, and its own module is a lazy re-export.
    import sqlalchemy.ext.asyncio as sa_async

    assert not [r for r in _base_requirements() if r.startswith(("sqlalchemy", "advanced-alchemy", "advanced_alchemy"))]
    assert any(r.startswith("advanced-alchemy") for r in _extra_requirements("sqlalchemy"))
    assert "advanced_alchemy" in (LITESTAR / "plugins" / "sqlalchemy.py").read_text()
    assert inspect.iscoroutinefunction(sa_async.AsyncSession.execute)
    assert inspect.iscoroutinefunction(sa_async.AsyncSession.commit)


# --- api -------------------------------------------------------------------------------------------------
@probe("litestar/request-validation")
def test_bad_input_gets_400_listing_errors() -> None:
    from pydantic import BaseModel

    class PydItem(BaseModel):
        name: str
        price: float

    @post("/items")
    async def create(data: JSONBody[Item], q: FromQuery[int]) -> dict[str, str]:
        return {"name": data.name}

    @post("/pyd")
    async def create_pyd(data: JSONBody[PydItem]) -> dict[str, str]:
        return {"name": data.name}

    with TestClient(Litestar([create, create_pyd])) as client:
        response = client.post("/items?q=x", json={"name": 1, "price": "cheap"})
        assert response.status_code == 400
        errors = response.json()["extra"]
        assert all({"message", "key", "source"} <= set(e) for e in errors), errors
        # msgspec stops at the first bad body field: `price` is not reported
        assert {(e["key"], e["source"]) for e in errors} == {("name", "body"), ("q", "query")}, errors
        pyd = client.post("/pyd", json={"name": 1, "price": "cheap"})
        assert pyd.status_code == 400
        assert {e["key"] for e in pyd.json()["extra"]} == {"name", "price"}


@probe("litestar/openapi")
def test_openapi_document_and_viewers() -> None:
    @get("/items/{item_id:int}")
    async def read(item_id: FromPath[int]) -> Item:
        return Item(name="x", price=1)

    with TestClient(Litestar([read])) as client:
        doc = client.get("/schema/openapi.json").json()
        assert doc["openapi"] == "3.1.0"
        assert "/items/{item_id}" in doc["paths"]
        assert "redoc" in client.get("/schema").text.lower()
        for page, marker in (("swagger", "swagger-ui"), ("elements", "elements"), ("rapidoc", "rapi-doc")):
            assert marker in client.get(f"/schema/{page}").text.lower(), page
        assert client.get("/schema/openapi.yaml").status_code == 200


@probe("litestar/response-serialization")
def test_return_dto_filters_but_annotation_alone_does_not() -> None:
    from litestar.dto import DataclassDTO, DTOConfig

    @dataclass
    class User:
        name: str
        password: str

    class PublicUser(DataclassDTO[User]):
        config = DTOConfig(exclude={"password"})

    @get("/dto", return_dto=PublicUser)
    async def with_dto() -> User:
        return User("ada", "secret")

    @get("/plain")
    async def plain() -> Item:
        return {"name": "x", "price": 1, "secret": "s"}  # type: ignore[return-value]

    with TestClient(Litestar([with_dto, plain])) as client:
        assert client.get("/dto").json() == {"name": "ada"}
        assert client.get("/plain").json() == {"name": "x", "price": 1, "secret": "s"}


@probe("litestar/dependency-injection")
def test_dependencies_resolve_once_per_request_and_clean_up() -> None:
    log: list[str] = []

    async def shared() -> AsyncIterator[str]:
        log.append("setup")
        yield "s"
        log.append("teardown")

    async def a(sh: NamedDependency[str]) -> str:
        return "a" + sh

    async def b(sh: NamedDependency[str]) -> str:
        return "b" + sh

    @get("/", dependencies={"a": Provide(a), "b": Provide(b)})
    async def root(a: NamedDependency[str], b: NamedDependency[str]) -> list[str]:
        return [a, b]

    app = Litestar([root], dependencies={"sh": Provide(shared)})
    with TestClient(app) as client:
        assert client.get("/").json() == ["as", "bs"]
        assert log == ["setup", "teardown"], log
        client.get("/")
        assert log.count("setup") == 2, "a new request did not resolve the dependency again"


@probe("litestar/graphql")
def test_no_graphql_in_litestar_itself() -> None:
    import litestar

    assert not [n for n in _public_names(litestar) if "graphql" in n]
    assert not list(LITESTAR.rglob("*graphql*"))


# --- data ------------------------------------------------------------------------------------------------
@probe("litestar/orm")
def test_no_orm_in_litestar() -> None:
    # The value is `plugin` (advanced-alchemy is not in requirements.lock): no model base class ships with
    # Litestar, and its SQLAlchemy names are forwarded from advanced_alchemy.
    assert not [r for r in _base_requirements() if r.startswith(("sqlalchemy", "advanced-alchemy", "piccolo"))]
    assert importlib.util.find_spec("litestar.orm") is None
    assert importlib.util.find_spec("litestar.models") is None
    assert "advanced_alchemy" in (LITESTAR / "contrib" / "sqlalchemy" / "__init__.py").read_text()


@probe("litestar/migrations")
def test_cli_has_no_migration_commands_alembic_autogenerates() -> None:
    import sqlalchemy as sa
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from litestar.cli.main import litestar_group

    assert "database" not in litestar_group.commands, "Litestar's own CLI now has a database group"
    metadata_ = sa.MetaData()
    sa.Table("probe_widget", metadata_, sa.Column("id", sa.Integer, primary_key=True))
    with sa.create_engine("sqlite://").connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata_)
    assert [d[0] for d in diff] == ["add_table"], diff


@probe("litestar/database-backends")
def test_sqlalchemy_ships_the_main_dialects() -> None:
    import sqlalchemy.dialects as dialects

    assert {"postgresql", "mysql", "sqlite", "oracle", "mssql"} <= set(dialects.__all__)


@probe("litestar/connection-pooling")
def test_engine_from_lifespan_reuses_pooled_connections(tmp_path: Path) -> None:
    import sqlalchemy as sa
    from sqlalchemy import pool

    seen: list[int] = []

    @asynccontextmanager
    async def db(app: Litestar) -> AsyncIterator[None]:
        app.state.engine = sa.create_engine(f"sqlite:///{tmp_path / 'pool.sqlite3'}")
        yield
        app.state.engine.dispose()

    @get("/", sync_to_thread=True)
    def root(request: Request) -> dict[str, str]:
        engine = request.app.state.engine
        with engine.connect() as conn:
            seen.append(id(conn.connection.dbapi_connection))
        return {"pool": type(engine.pool).__name__}

    with TestClient(Litestar([root], lifespan=[db])) as client:
        assert client.get("/").json() == {"pool": "QueuePool"}
        client.get("/")
    assert len(seen) == 2 and seen[0] == seen[1], "the second request did not reuse the pooled connection"
    assert issubclass(pool.AsyncAdaptedQueuePool, pool.QueuePool)


# --- security --------------------------------------------------------------------------------------------
@probe("litestar/authentication")
def test_session_auth_without_user_model_or_hashing() -> None:
    import litestar.security as security
    from litestar.connection import ASGIConnection
    from litestar.middleware.session.server_side import ServerSideSessionConfig
    from litestar.security.session_auth import SessionAuth

    assert importlib.util.find_spec("litestar.contrib.auth") is None
    names = [n for n in LITESTAR.rglob("*.py")]
    assert not [p for p in names if any(w in p.name for w in ("password", "hasher", "users"))], "a user/hash module"

    @dataclass
    class User:
        name: str

    async def load_user(session: dict[str, Any], connection: ASGIConnection) -> User | None:
        return User(session["name"]) if "name" in session else None

    auth = SessionAuth[User, Any](
        retrieve_user_handler=load_user, session_backend_config=ServerSideSessionConfig(), exclude=["/login"]
    )

    @post("/login")
    async def login(request: Request, name: FromQuery[str]) -> None:
        request.set_session({"name": name})

    @get("/me")
    async def me(request: Request[User, Any, Any]) -> dict[str, str]:
        return {"user": request.user.name}

    @post("/logout")
    async def logout(request: Request) -> None:
        request.clear_session()

    with TestClient(Litestar([login, me, logout], on_app_init=[auth.on_app_init])) as client:
        assert client.get("/me").status_code == 401
        client.post("/login?name=ada")
        assert client.get("/me").json() == {"user": "ada"}
        client.post("/logout")
        assert client.get("/me").status_code == 401
    assert "AbstractSecurityConfig" in dir(security)


@probe("litestar/permissions")
def test_guards_refuse_by_handler_opt() -> None:
    from litestar.connection import ASGIConnection
    from litestar.exceptions import PermissionDeniedException
    from litestar.handlers.base import BaseRouteHandler

    def role_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
        if connection.headers.get("x-role") != handler.opt["role"]:
            raise PermissionDeniedException("wrong role")

    @get("/admin", guards=[role_guard], opt={"role": "admin"})
    async def admin() -> dict[str, bool]:
        return {"ok": True}

    with TestClient(Litestar([admin])) as client:
        assert client.get("/admin", headers={"x-role": "admin"}).status_code == 200
        assert client.get("/admin", headers={"x-role": "user"}).status_code == 403
    import litestar.security as security

    assert not [n for n in _public_names(security) if any(w in n for w in ("role", "group", "permission"))]


@probe("litestar/token-auth-helpers")
def test_jwt_backends_but_no_api_key_or_basic_helpers() -> None:
    import litestar.security.jwt as jwt_module
    from litestar.connection import ASGIConnection
    from litestar.security.jwt import JWTAuth, Token

    for name in ("JWTAuth", "JWTCookieAuth", "OAuth2PasswordBearerAuth"):
        assert hasattr(jwt_module, name), name
    helper_names = [n for p in (LITESTAR / "security").rglob("*.py") for n in [p.read_text().lower()]]
    assert not [t for t in helper_names if "class apikey" in t or "httpbasic" in t], "an API-key/Basic helper appeared"

    async def load_user(token: Token, connection: ASGIConnection) -> str:
        return token.sub

    jwt_auth = JWTAuth[str](retrieve_user_handler=load_user, token_secret="s" * 32, exclude=["/login", "/schema"])

    @get("/login")
    async def login(name: FromQuery[str]) -> Response[None]:
        return jwt_auth.login(identifier=name)

    @get("/me")
    async def me(request: Request[str, Token, Any]) -> dict[str, str]:
        return {"user": request.user}

    with TestClient(Litestar([login, me], on_app_init=[jwt_auth.on_app_init])) as client:
        token = client.get("/login?name=ada").headers["authorization"]
        assert token.startswith("Bearer ")
        assert client.get("/me", headers={"Authorization": token}).json() == {"user": "ada"}
        assert client.get("/me", headers={"Authorization": "Bearer junk"}).status_code == 401
        assert client.get("/me").status_code == 401
        schemes = client.get("/schema/openapi.json").json()["components"]["securitySchemes"]
        assert schemes["BearerToken"]["scheme"] == "Bearer"


@probe("litestar/csrf-protection")
def test_csrf_config_requires_the_token_on_unsafe_requests() -> None:
    from litestar.config.csrf import CSRFConfig

    @get("/")
    async def page() -> dict[str, bool]:
        return {"ok": True}

    @post("/form")
    async def form(data: URLEncodedBody[dict[str, str]]) -> dict[str, str]:
        return data

    with TestClient(Litestar([page, form])) as client:
        assert client.post("/form", data={"a": "b"}).status_code == 201, "CSRF protection is on by default"
    with TestClient(Litestar([page, form], csrf_config=CSRFConfig(secret="p" * 32))) as client:
        client.get("/")
        token = client.cookies.get("csrftoken")
        assert token
        assert client.post("/form", data={"a": "b"}).status_code == 403
        assert client.post("/form", data={"a": "b"}, headers={"x-csrftoken": token}).status_code == 201


@probe("litestar/content-security-policy")
def test_no_csp_support_only_static_headers() -> None:
    from litestar.datastructures import ResponseHeader

    @get("/", media_type="text/html")
    async def page() -> str:
        return "<script>1</script>"

    with TestClient(Litestar([page])) as client:
        assert "content-security-policy" not in client.get("/").headers
    assert not [p for p in LITESTAR.rglob("*.py") if "csp" in p.name or "content_security" in p.name]

    @get("/", media_type="text/html")  # a fresh handler: Litestar 2 handlers keep the layers they were first used in
    async def page_with_policy() -> str:
        return "<script>1</script>"

    policy = ResponseHeader(name="Content-Security-Policy", value="default-src 'self'")
    static = Litestar([page_with_policy], response_headers=[policy])
    with TestClient(static) as client:
        first, second = client.get("/"), client.get("/")
        assert (
            first.headers["content-security-policy"]
            == second.headers["content-security-policy"]
            == "default-src 'self'"
        )


@probe("litestar/cors")
def test_cors_config_answers_preflight() -> None:
    from litestar.config.cors import CORSConfig

    @get("/")
    async def root() -> dict[str, bool]:
        return {"ok": True}

    app = Litestar([root], cors_config=CORSConfig(allow_origins=["https://ok.example"], allow_methods=["GET"]))
    with TestClient(app) as client:
        ok = client.options("/", headers={"Origin": "https://ok.example", "Access-Control-Request-Method": "GET"})
        assert ok.headers["access-control-allow-origin"] == "https://ok.example"
        bad = client.options("/", headers={"Origin": "https://bad.example", "Access-Control-Request-Method": "GET"})
        assert "access-control-allow-origin" not in bad.headers


# --- ai --------------------------------------------------------------------------------------------------
@probe("litestar/streaming-responses")
def test_stream_from_sync_and_async_generators() -> None:
    from litestar.response import Stream

    threads: set[str] = set()

    def sync_gen() -> Iterator[str]:
        for i in range(2):
            threads.add(threading.current_thread().name)
            yield f"s{i}"

    async def async_gen() -> AsyncIterator[str]:
        for i in range(2):
            yield f"a{i}"

    @get("/sync")
    async def sync() -> Stream:
        return Stream(sync_gen())

    @get("/async")
    async def async_() -> Stream:
        return Stream(async_gen)

    @get("/loop")
    async def loop() -> str:
        return threading.current_thread().name

    with TestClient(Litestar([sync, async_, loop])) as client:
        assert client.get("/sync").text == "s0s1"
        assert client.get("/async").text == "a0a1"
        assert client.get("/loop").text not in threads, "a sync generator was advanced on the event loop"


@probe("litestar/server-sent-events")
def test_server_sent_event_frames_and_headers() -> None:
    from litestar.response import ServerSentEvent
    from litestar.response.sse import ServerSentEventMessage

    async def events() -> AsyncIterator[Any]:
        yield ServerSentEventMessage(data="hello", event="upd", id="7", retry=1000)
        yield {"data": "d2", "event": "e2"}  # a dict is read as message fields, not as JSON data
        yield "plain"

    @get("/sse")
    async def sse() -> ServerSentEvent:
        return ServerSentEvent(events())

    with TestClient(Litestar([sse])) as client:
        response = client.get("/sse")
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-cache" and response.headers["x-accel-buffering"] == "no"
    text = response.text
    assert "event: upd" in text and "id: 7" in text and "retry: 1000" in text and "data: hello" in text
    assert "event: e2" in text and "data: d2" in text and "data: plain" in text
    assert "ping_interval" not in inspect.signature(ServerSentEvent.__init__).parameters


@probe("litestar/websockets")
def test_websocket_routes_and_listeners_with_dependencies() -> None:
    from litestar import WebSocket
    from litestar.handlers import websocket_listener

    async def prefix() -> str:
        return "dep-ok"

    @websocket("/raw", dependencies={"p": Provide(prefix)})
    async def raw(socket: WebSocket, p: NamedDependency[str]) -> None:
        await socket.accept()
        text = await socket.receive_text()
        await socket.send_text(f"{p}:{text}")
        await socket.close()

    @websocket_listener("/listen", dependencies={"p": Provide(prefix)})
    async def listen(data: str, p: NamedDependency[str]) -> str:
        return f"{p}:{data.upper()}"

    with TestClient(Litestar([raw, listen])) as client:
        with client.websocket_connect("/raw") as conn:
            conn.send_text("hi")
            assert conn.receive_text() == "dep-ok:hi"
        with client.websocket_connect("/listen") as conn:
            conn.send_text("hi")
            assert conn.receive_text() == "dep-ok:HI"


@probe("litestar/in-process-background-tasks")
def test_background_tasks_run_after_the_response() -> None:
    from litestar.background_tasks import BackgroundTask, BackgroundTasks

    log: list[str] = []

    def sync_job(x: str) -> None:
        log.append(f"sync {x}")

    async def async_job(x: str) -> None:
        log.append(f"async {x}")

    @post("/")
    async def root() -> Response[dict[str, int]]:
        tasks = BackgroundTasks([BackgroundTask(sync_job, "a"), BackgroundTask(async_job, "b")])
        return Response({"queued_before_response": len(log)}, background=tasks)

    with TestClient(Litestar([root])) as client:
        assert client.post("/").json() == {"queued_before_response": 0}
    assert log == ["sync a", "async b"]


@probe("litestar/task-queue")
def test_background_tasks_are_not_a_queue() -> None:
    import litestar
    from litestar.background_tasks import BackgroundTask

    assert not [n for n in _public_names(litestar) if any(w in n for w in ("queue", "worker", "job"))]
    assert not [p for p in LITESTAR.rglob("*.py") if any(w in p.stem for w in ("queue", "worker"))]
    task = BackgroundTask(lambda: None)
    assert not [n for n in dir(task) if any(w in n for w in ("retry", "enqueue", "persist", "schedule"))]


@probe("litestar/model-lifecycle")
def test_lifespan_and_startup_hooks_run_around_serving() -> None:
    log: list[str] = []

    @asynccontextmanager
    async def model(app: Litestar) -> AsyncIterator[None]:
        log.append("load model")
        app.state.model = "loaded"
        yield
        log.append("unload model")

    async def startup() -> None:
        log.append("startup")

    def shutdown() -> None:
        log.append("shutdown")

    @get("/")
    async def root(request: Request) -> dict[str, str]:
        log.append("request")
        return {"model": request.app.state.model}

    app = Litestar([root], lifespan=[model], on_startup=[startup], on_shutdown=[shutdown])
    with TestClient(app) as client:
        assert client.get("/").json() == {"model": "loaded"}
    # the documented order: lifespan context managers close before the shutdown hooks run
    assert log == ["load model", "startup", "request", "unload model", "shutdown"], log


# --- devex -----------------------------------------------------------------------------------------------
@probe("litestar/type-hints-drive-behaviour")
def test_annotations_pick_source_conversion_and_schema() -> None:
    from litestar.exceptions import ImproperlyConfiguredException

    @get("/{item_id:int}")
    async def read(item_id: FromPath[int], q: FromQuery[float], x_token: FromHeader[str]) -> dict[str, Any]:
        return {"item_id": item_id, "q": q, "token": x_token, "types": [type(item_id).__name__, type(q).__name__]}

    with TestClient(Litestar([read])) as client:
        body = client.get("/5?q=2.5", headers={"x_token": "t"}).json()
        assert body == {"item_id": 5, "q": 2.5, "token": "t", "types": ["int", "float"]}
        params = client.get("/schema/openapi.json").json()["paths"]["/{item_id}"]["get"]["parameters"]
        assert {(p["name"], p["in"], p["schema"].get("type")) for p in params} == {
            ("item_id", "path", "integer"),
            ("q", "query", "number"),
            ("x_token", "header", "string"),
        }

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")

        @get("/old")
        async def old(q: int) -> int:
            return q

        Litestar([old])
    assert any(issubclass(w.category, DeprecationWarning) and "FromQuery" in str(w.message) for w in caught)

    @get("/untyped")
    async def untyped():  # type: ignore[no-untyped-def]  # noqa: ANN202
        return 1

    with pytest.raises(ImproperlyConfiguredException):
        Litestar([untyped])


@probe("litestar/admin-interface")
def test_no_admin_and_a_bare_sqladmin_mount_needs_path_fixes() -> None:
    # The value is `plugin` (sqladmin-litestar-plugin is not in requirements.lock; SQLAdmin is). Code shows
    # that Litestar has no admin and why the bridge exists: SQLAdmin mounted as-is serves its index, but not
    # the model pages, because Litestar hands the mounted app a path with a trailing slash.
    import litestar
    import sqlalchemy as sa
    from litestar import asgi
    from sqladmin import Admin, ModelView
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
    from starlette.applications import Starlette

    assert not [n for n in _public_names(litestar) if "admin" in n]
    assert not [p for p in LITESTAR.rglob("*admin*")]

    class Base(DeclarativeBase):
        pass

    class Note(Base):
        __tablename__ = "probe_litestar_note"
        id: Mapped[int] = mapped_column(primary_key=True)
        text: Mapped[str]

    engine = sa.create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=sa.pool.StaticPool)
    Base.metadata.create_all(engine)
    starlette_app = Starlette()
    admin = Admin(starlette_app, engine, base_url="/")

    class NoteAdmin(ModelView, model=Note):
        column_list = [Note.id, Note.text]

    admin.add_view(NoteAdmin)
    app = Litestar([asgi("/admin", is_mount=True, copy_scope=True)(starlette_app)])
    with TestClient(app) as client:
        assert client.get("/admin/").status_code == 200
        assert client.get("/admin/probe-litestar-note/list").status_code == 404


@probe("litestar/test-client")
def test_test_clients_run_in_process_with_lifespan() -> None:
    log: list[str] = []

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        log.append("start")
        yield
        log.append("stop")

    @get("/")
    async def root() -> dict[str, str]:
        return {"thread": threading.current_thread().name}

    with TestClient(Litestar([root], lifespan=[lifespan])) as client:
        assert client.get("/").status_code == 200
    assert log == ["start", "stop"]

    async def run_async() -> int:
        async with AsyncTestClient(Litestar([root])) as client:
            return (await client.get("/")).status_code

    assert asyncio.run(run_async()) == 200
    with create_test_client([root]) as client:
        assert client.get("/").status_code == 200


@probe("litestar/dev-server-reload")
def test_run_reload_starts_uvicorn_with_reload(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner
    from litestar.cli.commands import core
    from litestar.cli.main import litestar_group

    run_options = {p.name for p in core.run_command.params}
    assert {"reload", "reload_dir", "reload_include", "reload_exclude"} <= run_options
    assert any(r.startswith("uvicorn") for r in _extra_requirements("standard"))
    (tmp_path / "probe_reload_app.py").write_text(
        "from litestar import Litestar, get\n\n"
        "@get('/')\nasync def root() -> str:\n    return 'ok'\n\n"
        "app = Litestar([root])\n"
    )
    started: list[list[str]] = []
    monkeypatch.setattr(core.subprocess, "run", lambda args, **kwargs: started.append(list(args)))
    monkeypatch.setenv("LITESTAR_QUIET_CONSOLE", "1")
    result = CliRunner().invoke(
        litestar_group, ["--app-dir", str(tmp_path), "--app", "probe_reload_app:app", "run", "--reload"]
    )
    assert result.exit_code == 0, result.output
    (args,) = started
    assert args[1:3] == ["-m", "uvicorn"] and "--reload" in args, args


@probe("litestar/html-templates")
def test_jinja_templates_render_html(tmp_path: Path) -> None:
    from litestar.plugins.jinja import JinjaTemplateEngine
    from litestar.response import Template
    from litestar.template.config import TemplateConfig

    (tmp_path / "hello.html").write_text("<p>Hello {{ name }}</p>")

    @get("/")
    async def page() -> Template:
        return Template("hello.html", context={"name": "<Ada>"})

    config = TemplateConfig(directory=tmp_path, engine=JinjaTemplateEngine)
    with TestClient(Litestar([page], template_config=config)) as client:
        response = client.get("/")
    assert response.text == "<p>Hello &lt;Ada&gt;</p>"
    assert response.headers["content-type"].startswith("text/html")
    assert any(r.startswith("litestar-htmx") for r in _base_requirements())


@probe("litestar/i18n")
def test_no_i18n_in_litestar_babel_formats_locales() -> None:
    import datetime as dt

    import litestar
    from babel.dates import format_date
    from babel.numbers import format_currency

    words = ("locale", "gettext", "i18n", "translat", "babel")
    assert not [n for n in _public_names(litestar) if any(w in n for w in words)]
    assert not [p for p in LITESTAR.rglob("*.py") if any(w in p.stem for w in words)]
    assert format_date(dt.date(2026, 12, 2), locale="de_DE") == "02.12.2026"
    assert format_currency(1234.5, "EUR", locale="fr_FR") == "1\u202f234,50\xa0\u20ac"


# --- ecosystem -------------------------------------------------------------------------------------------
@probe("litestar/python-versions")
def test_requires_python_and_classifiers() -> None:
    meta = metadata.metadata("litestar")
    assert meta["Requires-Python"].replace(" ", "") in ("<4.0,>=3.8", ">=3.8,<4.0")
    versions = sorted(
        (
            c.rsplit(":: ", 1)[1]
            for c in meta.get_all("Classifier") or []
            if c.startswith("Programming Language :: Python :: 3.")
        ),
        key=lambda v: int(v.split(".")[1]),
    )
    assert versions[0] == "3.8" and versions[-1] == "3.15", versions


@probe("litestar/license")
def test_licence_in_package_metadata() -> None:
    meta = metadata.metadata("litestar")
    licence = meta.get("License-Expression") or meta.get("License") or ""
    classifiers = meta.get_all("Classifier") or []
    assert licence == "MIT" or "License :: OSI Approved :: MIT License" in classifiers, (licence, classifiers)


@probe("litestar/stable-api-policy")
def test_deprecations_warn_and_name_the_next_major() -> None:
    # The value rests on the published policy (not probeable); code shows the practice: deprecated APIs keep
    # working in 2.x, warn with a DeprecationWarning subclass and name 3.0 as the removal release.
    import importlib

    import litestar.contrib.jinja as contrib_jinja
    from litestar.exceptions import LitestarDeprecationWarning

    assert issubclass(LitestarDeprecationWarning, DeprecationWarning)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        importlib.reload(contrib_jinja)
        engine = contrib_jinja.JinjaTemplateEngine
    assert engine is not None
    messages = [str(w.message) for w in caught if issubclass(w.category, LitestarDeprecationWarning)]
    assert messages and all("3.0" in m for m in messages), messages


@probe("litestar/observability")
def test_opentelemetry_plugin_ships_and_needs_the_extra() -> None:
    assert importlib.util.find_spec("litestar.plugins.opentelemetry") is not None
    plugin_source = (LITESTAR / "plugins" / "opentelemetry" / "plugin.py").read_text()
    assert "class OpenTelemetryPlugin" in plugin_source
    middleware_source = (LITESTAR / "plugins" / "opentelemetry" / "middleware.py").read_text()
    assert "opentelemetry.instrumentation.asgi" in middleware_source
    assert any(r.startswith("opentelemetry-instrumentation-asgi") for r in _extra_requirements("opentelemetry"))
    assert not [r for r in _base_requirements() if r.startswith("opentelemetry")]
    assert importlib.util.find_spec("litestar.plugins.prometheus") is not None


# --- disconnect-cancellation (issue 13) ----------------------------------------
@probe("litestar/disconnect-cancellation")
def test_disconnect_cancels_streams_at_once_but_not_a_plain_handler() -> None:
    kinds = ("stream", "sse", "plain")
    upstream = {k: asyncio.Event() for k in kinds}  # the model's next token (or whole answer), not here yet
    waiting = {k: asyncio.Event() for k in kinds}  # the handler is now awaiting the upstream
    ended = {k: asyncio.Event() for k in kinds}
    how: dict[str, str] = {}

    async def tokens(kind: str) -> AsyncIterator[str]:
        try:
            yield "first token "
            waiting[kind].set()
            await upstream[kind].wait()
            yield "next token"
            how[kind] = "ran to the end"
        except asyncio.CancelledError:
            how[kind] = "cancelled"
            raise
        finally:
            ended[kind].set()

    @get("/stream")
    async def stream() -> Stream:
        return Stream(tokens("stream"), media_type="text/plain")

    @get("/sse")
    async def sse() -> ServerSentEvent:
        return ServerSentEvent(tokens("sse"))

    @get("/plain")
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

    app = Litestar(route_handlers=[stream, sse, plain])

    async def midway(kind: str) -> tuple[UvicornLikeConnection, asyncio.Task[None], bool]:
        streaming = kind != "plain"
        return await disconnect_midway(
            app, f"/{kind}", waiting[kind], ended[kind], streaming=streaming, grace=1.0 if streaming else 0.5
        )

    async def run() -> None:
        # Stream (and ServerSentEvent, a Stream) sends the body in a task group beside `_listen_for_disconnect`,
        # which cancels the group on `http.disconnect`: the producer stops while it awaits the upstream.
        for kind in ("stream", "sse"):
            conn, task, stopped = await midway(kind)
            assert stopped and how[kind] == "cancelled", (kind, how)
            await asyncio.wait_for(task, 1.0)
            assert any(m.get("body") for m in conn.sent[1:]), f"{kind}: the first token did not go out"
        # A plain async handler: nothing listens for the disconnect, so it keeps awaiting the upstream ...
        conn, task, stopped = await midway("plain")
        assert not stopped and not task.done(), "a plain handler is now cancelled on disconnect"
        upstream["plain"].set()  # ... until the answer arrives; it then runs to the end, for nobody
        await asyncio.wait_for(task, 1.0)
        assert how["plain"] == "ran to the end"
        assert conn.sent == [] and conn.dropped[0]["type"] == "http.response.start"

    asyncio.run(run())


# --- error-tracking (issue 13) ----------------------------------------
@probe("litestar/error-tracking")
def test_sentry_reports_an_unhandled_error_with_url_method_and_user() -> None:
    # The value is `plugin` (sentry-sdk, in requirements.lock): `sentry_sdk.init` alone switches on its Litestar
    # integration, which patches `Litestar.__init__` (so the app must be built after `init`) to add its middleware
    # and an `after_exception` hook. It reads the user from `scope["user"]` only when that is a dict (or has an
    # `asdict()` method), as set here by an authentication middleware.
    from litestar.connection import ASGIConnection
    from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
    from sentry_sdk.integrations.litestar import LitestarIntegration

    class Everyone(AbstractAuthenticationMiddleware):
        async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
            return AuthenticationResult(user={"id": "42", "username": "ada"}, auth="token")

    @get("/answers/{answer_id:int}")
    async def answer(answer_id: FromPath[int]) -> dict[str, int]:
        raise RuntimeError("model server unreachable")

    with sentry_events() as events:
        assert sentry_sdk.get_client().get_integration(LitestarIntegration) is not None
        app = Litestar([answer], middleware=[Everyone])
        with TestClient(app, raise_server_exceptions=False) as client:
            assert client.get("/answers/7", params={"q": "x"}).status_code == 500

    [event] = events
    assert [e["type"] for e in event["exception"]["values"]] == ["RuntimeError"]
    assert event["exception"]["values"][0]["mechanism"] == {"type": "litestar", "handled": False}
    assert event["request"]["url"] == "http://testserver.local/answers/7"
    assert event["request"]["method"] == "GET"
    assert event["request"]["query_string"] == "q=x"
    assert event["user"] == {"id": "42", "username": "ada"}
    assert "litestar" in event["sdk"]["integrations"]


# --- free-threaded-python (issue 13) ----------------------------------------
@probe("litestar/free-threaded-python")
def test_no_free_threading_classifier_and_compiled_requirements() -> None:
    # The CI half (no free-threaded job in Litestar's workflow) is a document, not probeable. Code shows the
    # declared half: Litestar lists Python 3.8 to 3.15 but no `Free Threading` classifier. It also lists the
    # compiled packages Litestar always pulls in: msgspec (no 3.13t support at all), multidict and PyYAML.
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

    classifiers = metadata.metadata("litestar").get_all("Classifier") or []
    assert "Programming Language :: Python :: 3.14" in classifiers
    free_threading = [c for c in classifiers if c.startswith("Programming Language :: Python :: Free Threading")]
    assert free_threading == [], free_threading
    assert compiled_requirements("litestar") == ["msgspec", "multidict", "pyyaml"]


# --- mcp-server (issue 13) ----------------------------------------
@probe("litestar/mcp-server")
def test_sdk_streamable_http_app_mounts_as_an_asgi_handler() -> None:
    # The value is `plugin` (litestar-mcp, not in requirements.lock, and the MCP Python SDK, `mcp`, which is):
    # this shows the SDK route. Litestar mounts a foreign ASGI app through an `@asgi(..., is_mount=True)` handler and
    # runs the SDK's session manager from its `lifespan` list. A mount hands the app the rest of the path ("/"
    # here), so the SDK app serves at "/" and clients use /mcp.
    from litestar.handlers import asgi
    from litestar.types import Receive, Scope, Send
    from mcp.server import MCPServer
    from mcp.server.transport_security import TransportSecuritySettings

    mcp = MCPServer("probe")

    @mcp.tool()
    def add(a: int, b: int) -> int:
        """Add two numbers."""
        return a + b

    # The SDK answers 421 to a Host header it was not told about; the test client's host is named here, as a
    # deployment names its real host names.
    security = TransportSecuritySettings(allowed_hosts=["testserver.local"], allowed_origins=[])
    mcp_app = mcp.streamable_http_app(streamable_http_path="/", transport_security=security)  # + mcp.session_manager

    @asgi("/mcp", is_mount=True, copy_scope=True)
    async def mcp_mount(scope: Scope, receive: Receive, send: Send) -> None:
        await mcp_app(scope, receive, send)

    @get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    app = Litestar([health, mcp_mount], lifespan=[lambda app: mcp.session_manager.run()])
    with TestClient(app) as client:
        assert client.get("/health").json() == {"status": "ok"}
        assert mcp_handshake(client, "/mcp") == ["add"]


# --- rate-limiting (issue 13) ----------------------------------------
@probe("litestar/rate-limiting")
def test_rate_limit_middleware_answers_429_per_client(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1_000_000]
    monkeypatch.setattr(rate_limit, "time", lambda: now[0])  # the middleware's clock, so no sleeping

    def user_of(request: Request) -> str:  # key on the caller instead of the default, the client's address
        return request.headers.get("x-user", "anonymous")

    strict = rate_limit.RateLimitConfig(rate_limit=("minute", 2), identifier_for_request=user_of)
    loose = rate_limit.RateLimitConfig(rate_limit=("minute", 100), identifier_for_request=user_of)
    loose_own_store = rate_limit.RateLimitConfig(
        rate_limit=("minute", 100), identifier_for_request=user_of, store="probe-cheap-limits"
    )
    calls: list[str] = []

    @get("/costly", middleware=[strict.middleware])
    async def costly(request: Request) -> dict[str, bool]:
        calls.append(request.headers["x-user"])
        return {"ok": True}

    @get("/cheap", middleware=[loose.middleware])
    async def cheap() -> dict[str, bool]:
        return {"ok": True}

    @get("/cheap-own-store", middleware=[loose_own_store.middleware])
    async def cheap_own_store() -> dict[str, bool]:
        return {"ok": True}

    with TestClient(app=Litestar([costly, cheap, cheap_own_store])) as client:
        alice, bob = {"x-user": "alice"}, {"x-user": "bob"}
        first = client.get("/costly", headers=alice)
        assert first.status_code == 200 and first.headers["ratelimit-remaining"] == "1"
        assert client.get("/costly", headers=alice).status_code == 200
        now[0] += 10
        over = client.get("/costly", headers=alice)
        assert over.status_code == 429
        assert over.headers["ratelimit-limit"] == "2" and over.headers["ratelimit-remaining"] == "0"
        assert over.headers["ratelimit-reset"] == "50" and over.headers["ratelimit-policy"] == "2; w=60"
        assert "retry-after" not in over.headers, "Litestar now sends Retry-After: update the fact"
        assert client.get("/costly", headers=bob).status_code == 200, "another caller shares Alice's budget"
        now[0] += 51
        assert client.get("/costly", headers=alice).status_code == 200, "the window did not reset"

        # The key is the caller and the store, not the route: limits that share the default store share one count.
        carol, dave = {"x-user": "carol"}, {"x-user": "dave"}
        assert [client.get("/cheap", headers=carol).status_code for _ in range(2)] == [200, 200]
        assert client.get("/costly", headers=carol).status_code == 429, "routes no longer share the default store"
        assert [client.get("/cheap-own-store", headers=dave).status_code for _ in range(2)] == [200, 200]
        assert client.get("/costly", headers=dave).status_code == 200
    assert calls == ["alice", "alice", "bob", "alice", "dave"]


# --- response-caching (issue 13) ----------------------------------------
@probe("litestar/response-caching")
def test_route_cache_replays_answers_until_expiry_and_stores_expire(monkeypatch: pytest.MonkeyPatch) -> None:
    shift = [timedelta(0)]

    class Clock(datetime):  # the stores' clock, moved forward instead of sleeping
        @classmethod
        def now(cls, tz=None):  # noqa: ANN001, ANN206
            return datetime.now(tz) + shift[0]

    monkeypatch.setattr(store_base, "datetime", Clock)
    calls: list[int] = []

    @get("/answer", cache=30)
    async def answer() -> dict[str, int]:
        calls.append(1)
        return {"n": len(calls)}

    with TestClient(app=Litestar([answer])) as client:
        assert client.get("/answer").json() == {"n": 1}
        assert client.get("/answer").json() == {"n": 1}, "the second request ran the handler"
        # The default key is the method, path and query: other queries miss, other callers share the answer.
        assert client.get("/answer?q=other").json() == {"n": 2}
        assert client.get("/answer", headers={"Authorization": "Bearer someone-else"}).json() == {"n": 1}
        shift[0] = timedelta(seconds=31)
        assert client.get("/answer").json() == {"n": 3}, "the cached answer outlived cache=30"

    async def computed_values() -> tuple[bytes | None, bytes | None]:
        store = MemoryStore()  # the same store API holds any value with an expiry
        await store.set("embedding:hello", b"[0.12, 0.34]", expires_in=5)
        fresh = await store.get("embedding:hello")
        shift[0] += timedelta(seconds=6)
        return fresh, await store.get("embedding:hello")

    assert asyncio.run(computed_values()) == (b"[0.12, 0.34]", None)
    # A shared store ships too; RedisStore needs the `redis` extra, which requirements.lock does not install.
    assert (LITESTAR / "stores" / "redis.py").is_file()
    assert any(r.startswith("redis") for r in _extra_requirements("redis"))
