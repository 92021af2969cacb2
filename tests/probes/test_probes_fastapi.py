"""Probes of data/frameworks/fastapi.yaml: each test shows one fact on the pinned FastAPI (requirements.lock).

`@probe("fastapi/<criterion>")` names the fact; a failure says which fact to revisit (macros/probes.py).
Everything runs in-process (TestClient or httpx's ASGI transport): no server, no network.
"""

import asyncio
import contextlib
import inspect
import threading
import warnings
from collections.abc import AsyncIterator, Iterator
from importlib import metadata
from pathlib import Path
from typing import Annotated

import fastapi
import httpx
import pytest
import sentry_sdk
import starlette
from fastapi import BackgroundTasks, Depends, FastAPI, Header, HTTPException, Request, Security, WebSocket
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from fastapi.security import SecurityScopes
from fastapi.testclient import TestClient
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from probekit import UvicornLikeConnection, disconnect_midway, mcp_handshake, sentry_events
from pydantic import BaseModel

from macros.probes import probe


class Item(BaseModel):
    name: str
    price: float


class Out(BaseModel):
    a: int


async def _gather_get(app: FastAPI, paths: list[str]) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://probe") as client:
        return await asyncio.gather(*(client.get(p) for p in paths))


# --- performance ---------------------------------------------------------------------------------------
@probe("fastapi/asgi")
def test_app_is_an_asgi_callable() -> None:
    from starlette.applications import Starlette

    app = FastAPI()

    @app.get("/")
    def root() -> dict[str, str]:
        return {"hello": "asgi"}

    assert issubclass(FastAPI, Starlette)
    assert inspect.iscoroutinefunction(FastAPI.__call__)
    assert list(inspect.signature(app.__call__).parameters) == ["scope", "receive", "send"]
    (response,) = asyncio.run(_gather_get(app, ["/"]))
    assert response.json() == {"hello": "asgi"}


@probe("fastapi/wsgi")
def test_no_wsgi_callable_of_its_own() -> None:
    # The value is `plugin` (a2wsgi's ASGIMiddleware, not in requirements.lock); what code shows here is the
    # framework half: the app only speaks ASGI, and calling it the WSGI way gives no response.
    import fastapi

    app = FastAPI()
    assert inspect.iscoroutinefunction(app.__call__)
    assert not [n for n in dir(fastapi) if "wsgi" in n.lower() and n != "middleware"]
    with pytest.raises(TypeError):
        app({"REQUEST_METHOD": "GET", "PATH_INFO": "/"}, lambda status, headers: None)  # WSGI needs 2 arguments


@probe("fastapi/async-handlers")
def test_async_endpoints_overlap_on_the_loop() -> None:
    app = FastAPI()
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

    async def run() -> list[httpx.Response]:
        nonlocal all_in
        all_in = asyncio.Event()
        return await _gather_get(app, ["/wait"] * 10)

    responses = asyncio.run(run())
    assert all(r.status_code == 200 for r in responses), "the async endpoints did not overlap"
    assert threads == {threading.current_thread().name}, f"async endpoints ran on {threads}, not the loop's thread"


@probe("fastapi/sync-handlers-offloaded")
def test_def_endpoints_and_dependencies_run_in_a_thread_pool() -> None:
    import anyio.to_thread

    app = FastAPI()
    seen: dict[str, str] = {}
    together = threading.Barrier(5, timeout=20)  # breaks unless five blocking calls run at the same time

    def dep() -> None:
        seen["dependency"] = threading.current_thread().name

    @app.get("/block", dependencies=[Depends(dep)])
    def block() -> dict[str, bool]:
        seen["endpoint"] = threading.current_thread().name
        together.wait()
        return {"ok": True}

    responses = asyncio.run(_gather_get(app, ["/block"] * 5))
    assert all(r.status_code == 200 for r in responses), "the blocking endpoints did not run side by side"
    assert "AnyIO worker thread" in seen["endpoint"] and "AnyIO worker thread" in seen["dependency"], seen

    async def limit() -> float:
        return anyio.to_thread.current_default_thread_limiter().total_tokens

    assert asyncio.run(limit()) == 40


@probe("fastapi/compiled-validation")
def test_rust_json_path_only_without_response_class(monkeypatch: pytest.MonkeyPatch) -> None:
    import pydantic_core
    from fastapi._compat import v2

    assert pydantic_core._pydantic_core.__file__.endswith((".so", ".pyd")), "pydantic-core is not compiled"
    calls: list[str] = []
    original = v2.ModelField.serialize_json

    def spy(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        calls.append("rust")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(v2.ModelField, "serialize_json", spy)
    app = FastAPI()

    @app.get("/model")
    def model() -> Out:
        return Out(a=1)

    @app.get("/model-with-class", response_class=JSONResponse)
    def model_with_class() -> Out:
        return Out(a=2)

    client = TestClient(app)
    assert client.get("/model").json() == {"a": 1}
    assert calls == ["rust"], f"the declared return type did not go through pydantic-core's JSON: {calls}"
    calls.clear()
    assert client.get("/model-with-class").json() == {"a": 2}
    assert calls == [], "a response_class route took the Rust path; the fact says it does not"


@probe("fastapi/async-orm")
def test_sqlalchemy_asyncio_session_awaits_queries() -> None:
    import sqlalchemy.ext.asyncio as sa_async

    requires = metadata.requires("fastapi") or []
    assert not [r for r in requires if r.lower().startswith(("sqlalchemy", "sqlmodel")) and "extra" not in r], requires
    assert inspect.iscoroutinefunction(sa_async.AsyncSession.execute)
    assert inspect.iscoroutinefunction(sa_async.AsyncSession.commit)
    assert callable(sa_async.create_async_engine)


# --- api -------------------------------------------------------------------------------------------------
@probe("fastapi/request-validation")
def test_bad_input_gets_422_with_every_error() -> None:
    app = FastAPI()

    @app.post("/items")
    def create(item: Item, q: int) -> dict[str, str]:
        return {"name": item.name}

    response = TestClient(app).post("/items?q=x", json={"name": 1, "price": "cheap"})
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert {tuple(e["loc"]) for e in errors} == {("body", "name"), ("body", "price"), ("query", "q")}
    assert all({"type", "loc", "msg", "input"} <= set(e) for e in errors)


@probe("fastapi/openapi")
def test_openapi_document_and_docs_pages() -> None:
    app = FastAPI()

    @app.get("/items/{item_id}")
    def read(item_id: int) -> Item:
        return Item(name="x", price=1)

    client = TestClient(app)
    doc = client.get("/openapi.json").json()
    assert doc["openapi"] == "3.1.0"
    assert "/items/{item_id}" in doc["paths"]
    assert "swagger-ui" in client.get("/docs").text.lower()
    assert "redoc" in client.get("/redoc").text.lower()
    off = FastAPI(openapi_url=None)
    assert TestClient(off).get("/openapi.json").status_code == 404


@probe("fastapi/response-serialization")
def test_declared_response_drops_undeclared_fields() -> None:
    app = FastAPI()

    @app.get("/model", response_model=Out)
    def model() -> dict:
        return {"a": 1, "secret": "x"}

    @app.get("/annotated")
    def annotated() -> Out:
        return {"a": 2, "secret": "x"}  # type: ignore[return-value]

    client = TestClient(app)
    assert client.get("/model").json() == {"a": 1}
    assert client.get("/annotated").json() == {"a": 2}


@probe("fastapi/dependency-injection")
def test_dependencies_resolve_once_per_request_and_clean_up() -> None:
    app = FastAPI()
    log: list[str] = []

    def shared() -> Iterator[str]:
        log.append("setup")
        yield "s"
        log.append("teardown")

    def a(s: Annotated[str, Depends(shared)]) -> str:
        return "a" + s

    def b(s: Annotated[str, Depends(shared)]) -> str:
        return "b" + s

    @app.get("/")
    def root(x: Annotated[str, Depends(a)], y: Annotated[str, Depends(b)]) -> list[str]:
        return [x, y]

    @app.get("/nocache")
    def nocache(x: Annotated[str, Depends(shared)], y: Annotated[str, Depends(shared, use_cache=False)]) -> list[str]:
        return [x, y]

    client = TestClient(app)
    assert client.get("/").json() == ["as", "bs"]
    assert log == ["setup", "teardown"], log
    log.clear()
    client.get("/nocache")
    assert log.count("setup") == 2, log


@probe("fastapi/graphql")
def test_no_graphql_in_fastapi_itself() -> None:
    import importlib.util

    import fastapi

    assert importlib.util.find_spec("fastapi.graphql") is None
    assert not [n for n in dir(fastapi) if "graphql" in n.lower()]


# --- data ------------------------------------------------------------------------------------------------
@probe("fastapi/orm")
def test_sqlmodel_tables_without_fastapi_depending_on_it() -> None:
    from sqlmodel import Field, Session, SQLModel, create_engine, select

    requires = [r.lower() for r in metadata.requires("fastapi") or [] if "extra" not in r]
    assert not [r for r in requires if r.startswith(("sqlalchemy", "sqlmodel"))], requires

    class Hero(SQLModel, table=True):
        __tablename__ = "probe_hero"
        id: int | None = Field(default=None, primary_key=True)
        name: str

    engine = create_engine("sqlite://")
    SQLModel.metadata.create_all(engine, tables=[Hero.__table__])
    with Session(engine) as session:
        session.add(Hero(name="Ada"))
        session.commit()
        assert session.exec(select(Hero.name)).all() == ["Ada"]


@probe("fastapi/migrations")
def test_alembic_autogenerate_sees_a_new_table() -> None:
    import sqlalchemy as sa
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    metadata_ = sa.MetaData()
    sa.Table("probe_widget", metadata_, sa.Column("id", sa.Integer, primary_key=True))
    engine = sa.create_engine("sqlite://")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata_)
    assert [d[0] for d in diff] == ["add_table"] and diff[0][1].name == "probe_widget", diff


@probe("fastapi/database-backends")
def test_sqlalchemy_ships_the_main_dialects() -> None:
    import sqlalchemy.dialects as dialects

    assert {"postgresql", "mysql", "sqlite", "oracle", "mssql"} <= set(dialects.__all__)


@probe("fastapi/connection-pooling")
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
@probe("fastapi/authentication")
def test_no_user_model_but_signed_cookie_sessions() -> None:
    import fastapi.security as security
    from starlette.middleware.sessions import SessionMiddleware

    assert not [n for n in dir(security) if any(w in n.lower() for w in ("user", "hash", "login", "password_"))]
    app = FastAPI()
    app.add_middleware(SessionMiddleware, secret_key="probe")

    @app.get("/login")
    def login(request: Request) -> dict[str, bool]:
        request.session["user"] = "ada"
        return {"ok": True}

    @app.get("/me")
    def me(request: Request) -> dict[str, str | None]:
        return {"user": request.session.get("user")}

    client = TestClient(app)
    client.get("/login")
    assert client.get("/me").json() == {"user": "ada"}
    forged = TestClient(app, cookies={"session": "forged"})
    assert forged.get("/me").json() == {"user": None}


@probe("fastapi/permissions")
def test_scopes_are_declared_but_checked_by_your_code() -> None:
    app = FastAPI()

    def current(scopes: SecurityScopes) -> list[str]:
        return scopes.scopes  # no check here: FastAPI leaves it to this function

    @app.get("/items")
    def items(granted: Annotated[list[str], Security(current, scopes=["items:read"])]) -> list[str]:
        return granted

    response = TestClient(app).get("/items")
    assert response.status_code == 200, "FastAPI enforced the scope by itself"
    assert response.json() == ["items:read"]


@probe("fastapi/token-auth-helpers")
def test_security_helpers_extract_credentials() -> None:
    import fastapi.security as security
    from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

    for name in (
        "OAuth2PasswordBearer",
        "OAuth2AuthorizationCodeBearer",
        "HTTPBearer",
        "HTTPBasic",
        "HTTPDigest",
        "APIKeyHeader",
        "APIKeyQuery",
        "APIKeyCookie",
        "OpenIdConnect",
    ):
        assert hasattr(security, name), name
    app = FastAPI()

    @app.get("/me")
    def me(creds: Annotated[HTTPAuthorizationCredentials, Depends(HTTPBearer())]) -> dict[str, str]:
        return {"token": creds.credentials}

    client = TestClient(app)
    assert client.get("/me", headers={"Authorization": "Bearer abc"}).json() == {"token": "abc"}
    assert client.get("/me").status_code in (401, 403)
    assert "HTTPBearer" in client.get("/openapi.json").json()["components"]["securitySchemes"]


@probe("fastapi/csrf-protection")
def test_json_without_content_type_refused_but_forms_unprotected() -> None:
    from fastapi import Form

    app = FastAPI()

    @app.post("/json")
    def post_json(item: Item) -> dict[str, str]:
        return {"name": item.name}

    @app.post("/form")
    def post_form(name: Annotated[str, Form()]) -> dict[str, str]:
        return {"name": name}

    client = TestClient(app)
    raw = client.post("/json", content=b'{"name": "x", "price": 1}', headers={"Content-Type": ""})
    assert raw.status_code == 422
    client.cookies.set("session", "victim")
    assert client.post("/form", data={"name": "x"}).status_code == 200, "a form post was refused without a token"


@probe("fastapi/content-security-policy")
def test_no_csp_header_by_default() -> None:
    app = FastAPI()

    @app.get("/", response_class=HTMLResponse)
    def page() -> str:
        return "<script>1</script>"

    response = TestClient(app).get("/")
    assert "content-security-policy" not in response.headers


@probe("fastapi/cors")
def test_cors_middleware_answers_preflight() -> None:
    from fastapi.middleware.cors import CORSMiddleware

    app = FastAPI()
    app.add_middleware(CORSMiddleware, allow_origins=["https://ok.example"], allow_methods=["GET"])

    @app.get("/")
    def root() -> dict[str, bool]:
        return {"ok": True}

    client = TestClient(app)
    ok = client.options("/", headers={"Origin": "https://ok.example", "Access-Control-Request-Method": "GET"})
    assert ok.headers["access-control-allow-origin"] == "https://ok.example"
    bad = client.options("/", headers={"Origin": "https://bad.example", "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in bad.headers


# --- ai --------------------------------------------------------------------------------------------------
@probe("fastapi/streaming-responses")
def test_streaming_from_generators_and_yield() -> None:
    app = FastAPI()

    def sync_gen() -> Iterator[str]:
        yield from ("s0", "s1")

    async def async_gen() -> AsyncIterator[str]:
        for i in range(2):
            yield f"a{i}"

    @app.get("/sync")
    def sync() -> StreamingResponse:
        return StreamingResponse(sync_gen())

    @app.get("/async")
    async def async_() -> StreamingResponse:
        return StreamingResponse(async_gen())

    @app.get("/jsonl")
    async def jsonl() -> AsyncIterator[Item]:
        yield Item(name="a", price=1)
        yield Item(name="b", price=2)

    client = TestClient(app)
    assert client.get("/sync").text == "s0s1"
    assert client.get("/async").text == "a0a1"
    lines = client.get("/jsonl")
    assert lines.headers["content-type"].startswith("application/jsonl")
    assert [line for line in lines.text.splitlines() if line] == [
        '{"name":"a","price":1.0}',
        '{"name":"b","price":2.0}',
    ]


@probe("fastapi/server-sent-events")
def test_event_source_response_frames_yielded_items() -> None:
    from fastapi.sse import EventSourceResponse, ServerSentEvent

    app = FastAPI()

    @app.post("/events", response_class=EventSourceResponse)
    async def events() -> AsyncIterator[Item]:
        yield Item(name="x", price=1)

    @app.get("/raw", response_class=EventSourceResponse)
    async def raw() -> AsyncIterator[ServerSentEvent]:
        yield ServerSentEvent(data={"k": 1}, event="upd", id="7", retry=1000)

    client = TestClient(app)
    response = client.post("/events")
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-cache" and response.headers["x-accel-buffering"] == "no"
    assert 'data: {"name":"x","price":1.0}' in response.text
    text = client.get("/raw").text
    assert "event: upd" in text and "id: 7" in text and "retry: 1000" in text


@probe("fastapi/websockets")
def test_websocket_route_with_a_dependency() -> None:
    app = FastAPI()

    def prefix() -> str:
        return "dep-ok"

    @app.websocket("/ws")
    async def ws(websocket: WebSocket, p: Annotated[str, Depends(prefix)]) -> None:
        await websocket.accept()
        text = await websocket.receive_text()
        await websocket.send_text(f"{p}:{text}")
        await websocket.close()

    with TestClient(app).websocket_connect("/ws") as conn:
        conn.send_text("hi")
        assert conn.receive_text() == "dep-ok:hi"


@probe("fastapi/in-process-background-tasks")
def test_background_tasks_run_after_the_response() -> None:
    app = FastAPI()
    log: list[str] = []

    def sync_job(x: str) -> None:
        log.append(f"sync {x}")

    async def async_job(x: str) -> None:
        log.append(f"async {x}")

    @app.post("/")
    def root(tasks: BackgroundTasks) -> dict[str, int]:
        tasks.add_task(sync_job, "a")
        tasks.add_task(async_job, "b")
        return {"queued_before_response": len(log)}

    response = TestClient(app).post("/")
    assert response.json() == {"queued_before_response": 0}
    assert log == ["sync a", "async b"]


@probe("fastapi/task-queue")
def test_background_tasks_are_not_a_queue() -> None:
    import fastapi
    from fastapi import BackgroundTasks as Tasks

    assert not [n for n in dir(fastapi) if any(w in n.lower() for w in ("queue", "worker", "celery"))]
    assert not [n for n in dir(Tasks()) if any(w in n.lower() for w in ("retry", "enqueue", "persist", "result"))]


@probe("fastapi/model-lifecycle")
def test_lifespan_runs_around_serving() -> None:
    from contextlib import asynccontextmanager

    log: list[str] = []

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, str]]:
        log.append("load model")
        yield {"model": "loaded"}
        log.append("unload model")

    app = FastAPI(lifespan=lifespan)

    @app.get("/")
    def root(request: Request) -> dict[str, str]:
        log.append("request")
        return {"model": request.state.model}

    sub = FastAPI(lifespan=lifespan)
    app.mount("/sub", sub)
    with TestClient(app) as client:
        assert client.get("/").json() == {"model": "loaded"}
    assert log == ["load model", "request", "unload model"], "mounted app's lifespan ran, or order differs"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        old = FastAPI()
        old.on_event("startup")(lambda: None)
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)


# --- devex -----------------------------------------------------------------------------------------------
@probe("fastapi/type-hints-drive-behaviour")
def test_annotations_pick_source_and_conversion() -> None:
    app = FastAPI()

    @app.get("/{item_id}")
    def read(item_id: int, q: float, x_token: Annotated[str, Header()]) -> dict[str, object]:
        return {"item_id": item_id, "q": q, "token": x_token, "types": [type(item_id).__name__, type(q).__name__]}

    client = TestClient(app)
    body = client.get("/5?q=2.5", headers={"X-Token": "t"}).json()
    assert body == {"item_id": 5, "q": 2.5, "token": "t", "types": ["int", "float"]}
    params = client.get("/openapi.json").json()["paths"]["/{item_id}"]["get"]["parameters"]
    assert {(p["name"], p["in"], p["schema"].get("type")) for p in params} == {
        ("item_id", "path", "integer"),
        ("q", "query", "number"),
        ("x-token", "header", "string"),
    }


@probe("fastapi/admin-interface")
def test_sqladmin_mounts_an_admin_on_fastapi() -> None:
    import fastapi
    import sqlalchemy as sa
    from sqladmin import Admin, ModelView
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

    assert not [n for n in dir(fastapi) if "admin" in n.lower()]

    class Base(DeclarativeBase):
        pass

    class Note(Base):
        __tablename__ = "probe_note"
        id: Mapped[int] = mapped_column(primary_key=True)
        text: Mapped[str]

    engine = sa.create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=sa.pool.StaticPool)
    Base.metadata.create_all(engine)
    app = FastAPI()
    admin = Admin(app, engine)

    class NoteAdmin(ModelView, model=Note):
        column_list = [Note.id, Note.text]

    admin.add_view(NoteAdmin)
    client = TestClient(app)
    assert client.get("/admin/").status_code == 200
    listing = client.get("/admin/note/list")
    assert listing.status_code == 200 and "Note" in listing.text


@probe("fastapi/test-client")
def test_test_client_runs_in_process_with_overrides() -> None:
    app = FastAPI()

    def settings() -> str:
        return "production"

    @app.get("/")
    def root(mode: Annotated[str, Depends(settings)]) -> dict[str, str]:
        return {"mode": mode, "thread": threading.current_thread().name}

    app.dependency_overrides[settings] = lambda: "test"
    assert TestClient(app).get("/").json()["mode"] == "test"


@probe("fastapi/dev-server-reload")
def test_fastapi_command_needs_the_cli_package() -> None:
    # `fastapi dev` itself comes from fastapi-cli (the `standard` extra); the lock installs plain fastapi, so
    # what code shows here is the note: the bare package's command only prints how to install it.
    import fastapi.cli

    requires = metadata.requires("fastapi") or []
    assert any(r.startswith("fastapi-cli") and "standard" in r for r in requires), requires
    assert any(r.startswith("uvicorn") and "standard" in r for r in requires), requires
    if fastapi.cli.cli_main is None:
        with pytest.raises(RuntimeError, match=r"fastapi\[standard\]"):
            fastapi.cli.main()
    else:
        assert callable(fastapi.cli.cli_main)


@probe("fastapi/html-templates")
def test_jinja2_templates_render_html(tmp_path) -> None:  # noqa: ANN001
    from fastapi.templating import Jinja2Templates

    (tmp_path / "hello.html").write_text("<p>Hello {{ name }}</p>")
    templates = Jinja2Templates(directory=tmp_path)
    app = FastAPI()

    @app.get("/", response_class=HTMLResponse)
    def page(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(request, "hello.html", {"name": "<Ada>"})

    response = TestClient(app).get("/")
    assert response.text == "<p>Hello &lt;Ada&gt;</p>"
    assert response.headers["content-type"].startswith("text/html")


@probe("fastapi/i18n")
def test_no_i18n_in_fastapi_babel_formats_locales() -> None:
    import datetime as dt

    import fastapi
    from babel.dates import format_date
    from babel.numbers import format_currency

    assert not [n for n in dir(fastapi) if any(w in n.lower() for w in ("locale", "gettext", "i18n", "translat"))]
    assert format_date(dt.date(2026, 12, 2), locale="de_DE") == "02.12.2026"
    assert format_currency(1234.5, "EUR", locale="fr_FR") == "1\u202f234,50\xa0\u20ac"


# --- ecosystem -------------------------------------------------------------------------------------------
@probe("fastapi/python-versions")
def test_requires_python_and_classifiers() -> None:
    meta = metadata.metadata("fastapi")
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


@probe("fastapi/license")
def test_licence_in_package_metadata() -> None:
    meta = metadata.metadata("fastapi")
    licence = meta.get("License-Expression") or meta.get("License") or ""
    classifiers = meta.get_all("Classifier") or []
    assert licence == "MIT" or "License :: OSI Approved :: MIT License" in classifiers, (licence, classifiers)


@probe("fastapi/stable-api-policy")
def test_deprecated_apis_warn_before_removal() -> None:
    # The value rests on the published policy (not probeable); code shows the note: deprecations warn.
    from fastapi import responses

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        FastAPI().on_event("shutdown")(lambda: None)
        getattr(responses, "ORJSONResponse", None)
    assert any(issubclass(w.category, DeprecationWarning) for w in caught), [str(w.message) for w in caught]


@probe("fastapi/observability")
def test_telemetry_is_built_in() -> None:
    import fastapi.telemetry

    requires = [r for r in metadata.requires("fastapi") or [] if "extra" not in r]
    assert any(r.startswith("opentelemetry-api") for r in requires), requires
    assert "telemetry" in inspect.signature(FastAPI.__init__).parameters
    assert fastapi.telemetry.__name__ == "fastapi.telemetry"


# --- disconnect-cancellation (issue 13) ----------------------------------------
@probe("fastapi/disconnect-cancellation")
def test_disconnect_cancels_streams_at_once_but_not_a_plain_handler() -> None:
    app = FastAPI()
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

    @app.get("/stream")
    async def stream() -> StreamingResponse:
        return StreamingResponse(tokens("stream"), media_type="text/plain")

    from fastapi.sse import EventSourceResponse

    @app.get("/sse", response_class=EventSourceResponse)
    async def sse() -> AsyncIterator[str]:  # FastAPI's own SSE: the generator runs in a producer task
        async for token in tokens("sse"):
            yield token

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

    async def midway(kind: str) -> tuple[UvicornLikeConnection, asyncio.Task[None], bool]:
        streaming = kind != "plain"
        return await disconnect_midway(
            app, f"/{kind}", waiting[kind], ended[kind], streaming=streaming, grace=1.0 if streaming else 0.5
        )

    async def run() -> None:
        # Streams: Starlette's StreamingResponse, seeing spec_version 2.3 (< 2.4), runs `listen_for_disconnect`
        # beside the producer and cancels it on `http.disconnect`, while it still awaits the upstream.
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
        assert conn.sent == [] and [m["type"] for m in conn.dropped][0] == "http.response.start"

    asyncio.run(run())


# --- error-tracking (issue 13) ----------------------------------------
@probe("fastapi/error-tracking")
def test_sentry_reports_an_unhandled_error_with_url_method_and_user() -> None:
    # The value is `plugin` (sentry-sdk, in requirements.lock): `sentry_sdk.init` alone switches on its FastAPI and
    # Starlette integrations. The user comes from `scope["user"]`, which Starlette's AuthenticationMiddleware sets;
    # a user found only by a FastAPI dependency is not seen unless the code calls `sentry_sdk.set_user`.
    from sentry_sdk.integrations.fastapi import FastApiIntegration
    from sentry_sdk.integrations.starlette import StarletteIntegration
    from starlette.authentication import AuthCredentials, AuthenticationBackend, SimpleUser
    from starlette.middleware.authentication import AuthenticationMiddleware

    class Everyone(AuthenticationBackend):
        async def authenticate(self, conn):  # noqa: ANN001, ANN201
            return AuthCredentials(["authenticated"]), SimpleUser("ada")

    with sentry_events() as events:
        sdk = sentry_sdk.get_client()
        assert sdk.get_integration(FastApiIntegration) is not None
        assert sdk.get_integration(StarletteIntegration) is not None
        app = FastAPI()
        app.add_middleware(AuthenticationMiddleware, backend=Everyone())

        @app.get("/answers/{answer_id}")
        async def answer(answer_id: int) -> dict[str, int]:
            raise RuntimeError("model server unreachable")

        with TestClient(app, raise_server_exceptions=False) as client:
            assert client.get("/answers/7", params={"q": "x"}).status_code == 500

    [event] = events
    assert [e["type"] for e in event["exception"]["values"]] == ["RuntimeError"]
    assert event["exception"]["values"][0]["mechanism"]["handled"] is False
    assert event["request"]["url"] == "http://testserver/answers/7"
    assert event["request"]["method"] == "GET"
    assert event["request"]["query_string"] == "q=x"
    assert event["user"]["username"] == "ada"
    assert event["transaction"] == "/answers/{answer_id}"
    assert {"fastapi", "starlette"} <= set(event["sdk"]["integrations"])


# --- free-threaded-python (issue 13) ----------------------------------------
@probe("fastapi/free-threaded-python")
def test_free_threading_announced_in_release_notes_not_in_classifiers() -> None:
    # The value rests on documents this machine cannot run: the 0.136.0 release notes announce support for
    # free-threaded 3.14t and the CI workflow runs the test suite on 3.14t (there is no free-threaded build
    # here). Code shows the packaging half: FastAPI and Starlette list Python 3.14 but carry no
    # `Free Threading` classifier, and the only compiled package FastAPI pulls in is pydantic-core.
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

    for dist in ("fastapi", "starlette"):
        classifiers = metadata.metadata(dist).get_all("Classifier") or []
        assert "Programming Language :: Python :: 3.14" in classifiers, dist
        free_threading = [c for c in classifiers if c.startswith("Programming Language :: Python :: Free Threading")]
        assert free_threading == [], (dist, free_threading)
    # pydantic-core marks its Rust module `gil_used = false` and publishes cp314t wheels (not visible here).
    assert compiled_requirements("fastapi") == ["pydantic-core"]


# --- mcp-server (issue 13) ----------------------------------------
@probe("fastapi/mcp-server")
def test_sdk_streamable_http_app_mounts_beside_the_api() -> None:
    # The value is `plugin` (the MCP Python SDK, `mcp`, in requirements.lock): its MCPServer (called FastMCP before
    # mcp 2) builds a Starlette app serving Streamable HTTP at /mcp, and FastAPI's `app.mount` hosts it after the API
    # routes. The host's lifespan must run the SDK's session manager: a mounted app's own lifespan never runs.
    from mcp.server import MCPServer

    mcp = MCPServer("probe")

    @mcp.tool()
    def add(a: int, b: int) -> int:
        """Add two numbers."""
        return a + b

    mcp_app = mcp.streamable_http_app()  # also creates mcp.session_manager

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with mcp.session_manager.run():
            yield

    app = FastAPI(lifespan=lifespan)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    app.mount("/", mcp_app)  # last, so the API routes above are matched first
    # localhost, because the SDK's DNS-rebinding guard answers 421 to other Host headers unless configured
    with TestClient(app, base_url="http://localhost:8000") as client:
        assert client.get("/health").json() == {"status": "ok"}
        assert mcp_handshake(client, "/mcp") == ["add"]

    forgotten = FastAPI()  # the same mount without the lifespan: the first MCP request fails
    forgotten.mount("/", MCPServer("unstarted").streamable_http_app())
    with TestClient(forgotten, base_url="http://localhost:8000") as client:
        try:
            mcp_handshake(client, "/mcp")
        except RuntimeError as error:
            assert "Task group is not initialized" in str(error)
        else:
            raise AssertionError("the mounted MCP app answered without its session manager running")


# --- rate-limiting (issue 13) ----------------------------------------
@probe("fastapi/rate-limiting")
def test_no_rate_limiter_but_a_429_with_retry_after_passes_through() -> None:
    # The value is `plugin` (SlowAPI or fastapi-limiter, not in requirements.lock); code shows the framework half:
    # neither FastAPI nor the Starlette it runs on has a limiter or throttle, and an HTTPException that your own
    # check (or the plugin's callback) raises reaches the client as a 429 with its Retry-After header.
    words = ("ratelimit", "rate_limit", "rate limit", "rate-limit", "throttl")
    for package in (fastapi, starlette):
        root = Path(package.__file__).parent
        hits = [p.name for p in root.rglob("*.py") if any(w in p.read_text(encoding="utf-8").lower() for w in words)]
        assert hits == [], f"{package.__name__} now mentions rate limiting in {hits}"

    app = FastAPI()
    calls: list[int] = []

    @app.get("/costly")
    def costly() -> dict[str, bool]:
        calls.append(1)
        if len(calls) > 2:
            raise HTTPException(status_code=429, detail="slow down", headers={"Retry-After": "30"})
        return {"ok": True}

    client = TestClient(app)
    responses = [client.get("/costly") for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 429]
    assert responses[2].headers["retry-after"] == "30"


# --- response-caching (issue 13) ----------------------------------------
@probe("fastapi/response-caching")
def test_no_response_cache_and_depends_caches_per_request_only() -> None:
    # The value is `plugin` (fastapi-cache2 or Cashews, not in requirements.lock); code shows the framework half:
    # no cache module in FastAPI or Starlette, no cache option on a route, and the one thing FastAPI calls a cache,
    # `Depends(use_cache=True)`, reuses a dependency's value inside one request and computes it again for the next.
    for package in (fastapi, starlette):
        root = Path(package.__file__).parent
        assert not [p.name for p in root.rglob("*.py") if "cach" in p.name.lower()], package.__name__
    assert not [n for n in inspect.signature(FastAPI.get).parameters if "cache" in n]

    app = FastAPI()
    computed: list[int] = []

    def embedding() -> int:
        computed.append(1)
        return len(computed)

    def first(e: Annotated[int, Depends(embedding)]) -> int:
        return e

    @app.get("/answer")
    def answer(a: Annotated[int, Depends(first)], b: Annotated[int, Depends(embedding)]) -> dict[str, int]:
        return {"a": a, "b": b}

    client = TestClient(app)
    assert client.get("/answer").json() == {"a": 1, "b": 1}  # computed once, shared inside the request
    assert client.get("/answer").json() == {"a": 2, "b": 2}  # and computed again for the next request
