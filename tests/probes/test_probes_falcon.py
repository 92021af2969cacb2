"""Probes of data/frameworks/falcon.yaml: each test shows one fact on the pinned Falcon (requirements.lock).

`@probe("falcon/<criterion>")` names the fact; a failure says which fact to revisit (macros/probes.py).
Everything runs in-process: `falcon.testing.TestClient` / `ASGIConductor`, or the WSGI and ASGI callables
called directly. No server, no network.
"""

import asyncio
import importlib.util
import inspect
import re
import threading
from collections.abc import AsyncIterator, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import falcon
import falcon.asgi
import falcon.testing
import pytest
import sentry_sdk
from probekit import GoneClient, UvicornLikeConnection, gthread_handle, sentry_events

from macros.probes import probe


def _names(module: object, *words: str) -> list[str]:
    """Public names of `module` holding one of `words` as a whole word (snake_case or CamelCase parts)."""
    found = []
    for name in dir(module):
        parts = {p.lower() for p in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+", name)}
        if parts & set(words):
            found.append(name)
    return found


async def _asgi_http(app: falcon.asgi.App, path: str) -> list[dict[str, Any]]:
    """Call the ASGI app the way a server does and return every event it sends."""
    scope = falcon.testing.create_scope(path=path)
    sent: list[dict[str, Any]] = []
    request_read = False

    async def receive() -> dict[str, Any]:
        nonlocal request_read
        if not request_read:
            request_read = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.sleep(3600)  # the client never disconnects
        return {"type": "http.disconnect"}

    async def send(event: dict[str, Any]) -> None:
        sent.append(event)

    await app(scope, receive, send)
    return sent


# --- performance ---------------------------------------------------------------------------------------
@probe("falcon/asgi")
def test_asgi_app_is_an_asgi3_callable() -> None:
    class Hello:
        async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
            resp.media = {"hello": "asgi"}

    app = falcon.asgi.App()
    app.add_route("/", Hello())
    assert inspect.iscoroutinefunction(falcon.asgi.App.__call__)
    assert list(inspect.signature(app.__call__).parameters) == ["scope", "receive", "send"]
    events = asyncio.run(_asgi_http(app, "/"))
    assert events[0]["type"] == "http.response.start" and events[0]["status"] == 200
    assert events[-1]["body"] == b'{"hello": "asgi"}'


@probe("falcon/wsgi")
def test_wsgi_app_is_a_pep3333_callable() -> None:
    from wsgiref.util import setup_testing_defaults

    class Hello:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.media = {"hello": "wsgi"}

    app = falcon.App()
    app.add_route("/", Hello())
    environ: dict[str, Any] = {}
    setup_testing_defaults(environ)
    started: list[str] = []
    body = app(environ, lambda status, headers: started.append(status))
    assert started == ["200 OK"]
    assert b"".join(body) == b'{"hello": "wsgi"}'
    assert not inspect.iscoroutinefunction(falcon.App.__call__)


@probe("falcon/async-handlers")
def test_async_responders_overlap_on_the_loop_and_wsgi_refuses_them() -> None:
    threads: set[str] = set()
    entered = 0
    all_in: asyncio.Event | None = None

    class Wait:
        async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
            nonlocal entered
            threads.add(threading.current_thread().name)
            entered += 1
            if entered == 10:
                all_in.set()
            await asyncio.wait_for(all_in.wait(), 20)  # times out unless all ten are awaiting together
            resp.media = {"ok": True}

    app = falcon.asgi.App()
    app.add_route("/wait", Wait())

    async def run() -> list[falcon.testing.Result]:
        nonlocal all_in
        all_in = asyncio.Event()
        async with falcon.testing.ASGIConductor(app) as conductor:
            return await asyncio.gather(*(conductor.simulate_get("/wait") for _ in range(10)))

    results = asyncio.run(run())
    assert all(r.status_code == 200 for r in results), "the async responders did not overlap"
    assert threads == {threading.current_thread().name}, f"async responders ran on {threads}, not the loop's thread"

    class AsyncInWsgi:
        async def on_get(self, req: falcon.Request, resp: falcon.Response) -> None: ...

    with pytest.raises(TypeError, match="regular synchronous"):
        falcon.App().add_route("/", AsyncInWsgi())


@probe("falcon/sync-handlers-offloaded")
def test_plain_def_refused_under_asgi_but_sync_to_async_offloads() -> None:
    class Blocking:
        def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None: ...

    with pytest.raises(TypeError, match="async coroutine"):
        falcon.asgi.App().add_route("/", Blocking())

    seen: set[str] = set()
    together = threading.Barrier(5, timeout=20)  # breaks unless five blocking calls run at the same time

    def block() -> str:
        seen.add(threading.current_thread().name)
        together.wait()
        return "done"

    class Offloaded:
        async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
            resp.media = {"result": await falcon.util.sync_to_async(block)}

    app = falcon.asgi.App()
    app.add_route("/", Offloaded())

    async def run() -> list[falcon.testing.Result]:
        async with falcon.testing.ASGIConductor(app) as conductor:
            return await asyncio.gather(*(conductor.simulate_get("/") for _ in range(5)))

    results = asyncio.run(run())
    assert all(r.json == {"result": "done"} for r in results), "the blocking calls did not run side by side"
    assert threading.current_thread().name not in seen and len(seen) == 5, seen


@probe("falcon/compiled-validation")
def test_msgspec_recipe_validates_and_serializes_in_c() -> None:
    # The value is `plugin`: Falcon's own path is pure Python (stdlib json, optional jsonschema); only
    # falcon.cyutil is compiled. The docs' msgspec recipe moves decoding, validation and encoding to msgspec.
    import json

    import msgspec
    from falcon.media import JSONHandler

    default = JSONHandler()
    assert default._dumps.func is json.dumps and default._loads is json.loads  # stdlib json by default
    compiled = {m for m in ("uri", "reader", "misc") if importlib.util.find_spec(f"falcon.cyutil.{m}")}
    assert compiled == {"uri", "reader", "misc"}
    assert falcon.cyutil.uri.__file__.endswith(".so"), "this Falcon build is not compiled"
    assert not falcon.request.__file__.endswith(".so"), "falcon.request is compiled; the fact says it is not"
    assert msgspec._core.__file__.endswith((".so", ".pyd"))

    class Note(msgspec.Struct):
        text: str

    class MsgspecMiddleware:
        def process_resource(self, req: falcon.Request, resp: falcon.Response, resource: object, params: dict) -> None:
            if schema := getattr(resource, f"{req.method}_SCHEMA", None):
                params[schema.__name__.lower()] = msgspec.convert(req.get_media(), schema)

    class Notes:
        POST_SCHEMA = Note

        def on_post(self, req: falcon.Request, resp: falcon.Response, note: Note) -> None:
            resp.media = note

    def invalid(req: falcon.Request, resp: falcon.Response, ex: Exception, params: dict) -> None:
        raise falcon.HTTPUnprocessableEntity(description=str(ex))

    app = falcon.App(middleware=[MsgspecMiddleware()])
    app.add_error_handler(msgspec.ValidationError, invalid)
    handler = JSONHandler(dumps=msgspec.json.encode, loads=msgspec.json.decode)
    app.req_options.media_handlers[falcon.MEDIA_JSON] = handler
    app.resp_options.media_handlers[falcon.MEDIA_JSON] = handler
    app.add_route("/notes", Notes())
    client = falcon.testing.TestClient(app)
    assert client.simulate_post("/notes", json={"text": "hi", "extra": 1}).json == {"text": "hi"}
    bad = client.simulate_post("/notes", json={"text": 1})
    assert bad.status_code == 422 and "Expected `str`, got `int`" in bad.json["description"]


@probe("falcon/async-orm")
def test_no_data_layer_sqlalchemy_asyncio_awaits() -> None:
    import sqlalchemy.ext.asyncio as sa_async

    assert not [r for r in metadata.requires("falcon") or [] if "extra" not in r], "falcon has dependencies now"
    assert not _names(falcon, "orm", "database", "db", "session", "sql", "engine")
    assert inspect.iscoroutinefunction(sa_async.AsyncSession.execute)
    assert inspect.iscoroutinefunction(sa_async.AsyncSession.commit)


# --- api -------------------------------------------------------------------------------------------------
@probe("falcon/request-validation")
def test_jsonschema_decorator_reports_one_error_with_400() -> None:
    from falcon.media.validators import jsonschema

    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "price": {"type": "number"}},
        "required": ["name", "price"],
    }

    class Items:
        @jsonschema.validate(req_schema=schema)
        def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.media = req.get_media()

        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.media = {"q": req.get_param_as_int("q", required=True)}

    app = falcon.App()
    app.add_route("/items", Items())
    client = falcon.testing.TestClient(app)
    assert client.simulate_post("/items", json={"name": "x", "price": 1}).status_code == 200
    bad = client.simulate_post("/items", json={"name": 1, "price": "cheap"})
    assert bad.status_code == 400
    assert bad.json["title"] == "Request data failed validation"
    assert set(bad.json) == {"title", "description"}, "the error body now lists more than one problem"
    assert "is not of type" in bad.json["description"]
    query = client.simulate_get("/items", params={"q": "x"})
    assert query.status_code == 400 and "q" in query.json["description"]


@probe("falcon/openapi")
def test_no_openapi_or_docs_page_in_falcon() -> None:
    assert importlib.util.find_spec("falcon.openapi") is None
    assert not _names(falcon, "openapi", "swagger", "redoc", "schema")
    app = falcon.App()
    client = falcon.testing.TestClient(app)
    for path in ("/openapi.json", "/docs", "/swagger"):
        assert client.simulate_get(path).status_code == 404


@probe("falcon/response-serialization")
def test_resp_schema_checks_but_does_not_filter() -> None:
    from falcon.media.validators import jsonschema

    schema = {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}

    class Out:
        @jsonschema.validate(resp_schema=schema)
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.media = {"a": 1, "secret": "x"}

        @jsonschema.validate(resp_schema=schema)
        def on_get_wrong(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.media = {"a": "one"}

    app = falcon.App()
    app.add_route("/", Out())
    app.add_route("/wrong", Out(), suffix="wrong")
    client = falcon.testing.TestClient(app)
    assert client.simulate_get("/").json == {"a": 1, "secret": "x"}, "undeclared fields were dropped"
    assert client.simulate_get("/wrong").status_code == 500


@probe("falcon/dependency-injection")
def test_before_hooks_inject_responder_kwargs_without_a_dependency_tree() -> None:
    log: list[str] = []

    def open_session(req: falcon.Request, resp: falcon.Response, resource: object, params: dict) -> None:
        log.append("open")
        params["session"] = "db-session"

    def close_session(req: falcon.Request, resp: falcon.Response, resource: object) -> None:
        log.append("close")

    class Things:
        @falcon.before(open_session)
        @falcon.after(close_session)
        def on_get(self, req: falcon.Request, resp: falcon.Response, session: str) -> None:
            resp.media = {"session": session}

        @falcon.before(open_session)
        @falcon.after(close_session)
        def on_post(self, req: falcon.Request, resp: falcon.Response, session: str) -> None:
            raise ValueError("boom")

    app = falcon.App()
    app.add_route("/", Things())
    client = falcon.testing.TestClient(app)
    assert client.simulate_get("/").json == {"session": "db-session"}
    assert log == ["open", "close"]
    log.clear()
    assert client.simulate_post("/").status_code == 500
    assert log == ["open"], "an after hook ran although the responder raised"
    assert not _names(falcon, "depends", "inject", "provide", "provider")
    assert set(_names(falcon, "dependency")) == {"HTTPFailedDependency", "HTTP_FAILED_DEPENDENCY"}  # HTTP 424


@probe("falcon/graphql")
def test_no_graphql_in_falcon() -> None:
    assert importlib.util.find_spec("falcon.graphql") is None
    assert not _names(falcon, "graphql")


# --- data ------------------------------------------------------------------------------------------------
@probe("falcon/orm")
def test_no_orm_but_sqlalchemy_maps_tables() -> None:
    import sqlalchemy as sa
    from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

    assert not [r for r in metadata.requires("falcon") or [] if "extra" not in r]

    class Base(DeclarativeBase):
        pass

    class Hero(Base):
        __tablename__ = "probe_falcon_hero"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str]

    engine = sa.create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(Hero(name="Ada"))
        session.commit()
        assert session.scalars(sa.select(Hero.name)).all() == ["Ada"]


@probe("falcon/migrations")
def test_no_migrations_alembic_autogenerate_sees_a_table() -> None:
    import sqlalchemy as sa
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    assert not _names(falcon, "migrate", "migration", "migrations")
    metadata_ = sa.MetaData()
    sa.Table("probe_falcon_widget", metadata_, sa.Column("id", sa.Integer, primary_key=True))
    with sa.create_engine("sqlite://").connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata_)
    assert [d[0] for d in diff] == ["add_table"], diff


@probe("falcon/database-backends")
def test_no_database_drivers_sqlalchemy_dialects() -> None:
    import sqlalchemy.dialects as dialects

    assert not _names(falcon, "database", "dialect", "driver")
    assert {"postgresql", "mysql", "sqlite", "oracle", "mssql"} <= set(dialects.__all__)


@probe("falcon/connection-pooling")
def test_no_pool_in_falcon_sqlalchemy_engine_pools(tmp_path) -> None:  # noqa: ANN001
    import sqlalchemy as sa
    from sqlalchemy import pool

    assert not _names(falcon, "pool")
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'pool.sqlite3'}")
    assert isinstance(engine.pool, pool.QueuePool)
    with engine.connect() as c1:
        first = c1.connection.dbapi_connection
    with engine.connect() as c2:
        assert c2.connection.dbapi_connection is first, "the connection was not reused from the pool"


# --- security --------------------------------------------------------------------------------------------
@probe("falcon/authentication")
def test_no_users_passwords_or_sessions() -> None:
    assert not _names(falcon, "user", "users", "login", "logout", "password", "session", "hash", "hasher")
    assert not _names(falcon.Request, "session", "identity", "principal", "login")


@probe("falcon/permissions")
def test_no_permission_system() -> None:
    assert not _names(falcon, "permission", "permissions", "group", "groups", "role", "roles", "authorize")


@probe("falcon/token-auth-helpers")
def test_only_the_raw_authorization_header() -> None:
    # The value is `plugin` (falcon-auth2, not in requirements.lock); what code shows here is the framework
    # half: Falcon hands over the raw header and has no bearer, API-key or OAuth2 helpers.
    class Me:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.media = {"auth": req.auth}

    app = falcon.App()
    app.add_route("/me", Me())
    client = falcon.testing.TestClient(app)
    assert client.simulate_get("/me", headers={"Authorization": "Bearer abc"}).json == {"auth": "Bearer abc"}
    assert not _names(falcon, "bearer", "apikey", "key", "oauth", "oauth2", "token", "jwt")


@probe("falcon/csrf-protection")
def test_cookie_authenticated_form_post_is_accepted_without_a_token() -> None:
    class Form:
        def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.media = {"name": req.get_media()["name"], "session": req.cookies.get("session")}

    app = falcon.App()
    app.add_route("/form", Form())
    result = falcon.testing.TestClient(app).simulate_post(
        "/form",
        body="name=x",
        headers={"Content-Type": falcon.MEDIA_URLENCODED, "Origin": "https://evil.example"},
        cookies={"session": "victim"},
    )
    assert result.status_code == 200 and result.json == {"name": "x", "session": "victim"}
    assert not _names(falcon, "csrf", "xsrf")


@probe("falcon/content-security-policy")
def test_no_csp_header_or_nonce() -> None:
    class Page:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.content_type = falcon.MEDIA_HTML
            resp.text = "<script>1</script>"

    app = falcon.App()
    app.add_route("/", Page())
    result = falcon.testing.TestClient(app).simulate_get("/")
    assert "content-security-policy" not in result.headers
    assert not _names(falcon, "csp", "nonce", "policy")


@probe("falcon/cors")
def test_cors_middleware_allows_listed_origins() -> None:
    class Things:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.media = {"ok": True}

        def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.media = {"ok": True}

    app = falcon.App(middleware=[falcon.CORSMiddleware(allow_origins="https://ok.example")])
    app.add_route("/", Things())
    client = falcon.testing.TestClient(app)
    ok = client.simulate_options("/", headers={"Origin": "https://ok.example", "Access-Control-Request-Method": "POST"})
    assert ok.headers["access-control-allow-origin"] == "https://ok.example"
    assert set(ok.headers["access-control-allow-methods"].split(", ")) >= {"GET", "POST"}
    assert ok.headers["access-control-max-age"] == "86400"
    bad = client.simulate_get("/", headers={"Origin": "https://bad.example"})
    assert "access-control-allow-origin" not in bad.headers
    blanket = falcon.testing.TestClient(falcon.App(cors_enable=True))
    assert (
        blanket.simulate_get("/", headers={"Origin": "https://any.example"}).headers["access-control-allow-origin"]
        == "*"
    )
    with pytest.raises(ValueError):
        falcon.App(cors_enable=True, middleware=[falcon.CORSMiddleware()])


# --- ai --------------------------------------------------------------------------------------------------
@probe("falcon/streaming-responses")
def test_async_generator_chunks_leave_one_by_one() -> None:
    async def tokens() -> AsyncIterator[bytes]:
        for i in range(3):
            yield f"t{i} ".encode()

    class Stream:
        async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
            resp.content_type = falcon.MEDIA_TEXT
            resp.stream = tokens()

    app = falcon.asgi.App()
    app.add_route("/stream", Stream())
    events = asyncio.run(_asgi_http(app, "/stream"))
    chunks = [e["body"] for e in events if e["type"] == "http.response.body" and e.get("body")]
    assert chunks == [b"t0 ", b"t1 ", b"t2 "], chunks
    assert "content-length" not in {k.decode() for k, _ in events[0]["headers"]}

    class WsgiStream:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.stream = (f"w{i}".encode() for i in range(2))

    wsgi = falcon.App()
    wsgi.add_route("/", WsgiStream())
    assert falcon.testing.TestClient(wsgi).simulate_get("/").text == "w0w1"


@probe("falcon/server-sent-events")
def test_sse_emitter_frames_events() -> None:
    from falcon.asgi import SSEvent

    async def emitter() -> AsyncIterator[SSEvent | None]:
        yield SSEvent(json={"k": 1}, event="upd", event_id="7", retry=1000)
        yield None  # becomes a keep-alive comment
        yield SSEvent(text="bye")

    class Events:
        async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
            resp.sse = emitter()

    app = falcon.asgi.App()
    app.add_route("/events", Events())
    result = falcon.testing.TestClient(app).simulate_get("/events")
    assert result.headers["content-type"] == "text/event-stream"
    text = result.text
    assert 'data: {"k": 1}' in text and "event: upd" in text and "id: 7" in text and "retry: 1000" in text
    assert ": ping" in text and "data: bye" in text
    assert "cache-control" not in result.headers, "Falcon now sets no-cache on SSE by itself"
    assert not hasattr(falcon.Response, "sse"), "the WSGI response gained an SSE emitter"


@probe("falcon/websockets")
def test_websocket_responder_echoes() -> None:
    class Echo:
        async def on_websocket(self, req: falcon.asgi.Request, ws: falcon.asgi.WebSocket, room: str) -> None:
            await ws.accept()
            text = await ws.receive_text()
            await ws.send_text(f"{room}:{text}")
            await ws.close()

    app = falcon.asgi.App()
    app.add_route("/ws/{room}", Echo())

    async def run() -> str:
        async with falcon.testing.ASGIConductor(app) as conductor, conductor.simulate_ws("/ws/lobby") as ws:
            await ws.send_text("hi")
            return await ws.receive_text()

    assert asyncio.run(run()) == "lobby:hi"


@probe("falcon/in-process-background-tasks")
def test_schedule_runs_after_the_response_under_asgi() -> None:
    log: list[str] = []
    main = threading.current_thread().name

    async def async_job() -> None:
        log.append("async job")

    def sync_job() -> None:
        log.append(f"sync job in {threading.current_thread().name != main}")

    class Root:
        async def on_post(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
            resp.schedule(async_job)
            resp.schedule_sync(sync_job)
            resp.media = {"queued_before_response": len(log)}

    app = falcon.asgi.App()
    app.add_route("/", Root())

    async def run() -> list[dict[str, Any]]:
        scope = falcon.testing.create_scope(path="/", method="POST")
        sent: list[dict[str, Any]] = []
        first = True

        async def receive() -> dict[str, Any]:
            nonlocal first
            if first:
                first = False
                return {"type": "http.request", "body": b"", "more_body": False}
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}

        async def send(event: dict[str, Any]) -> None:
            sent.append({**event, "log": list(log)})

        await app(scope, receive, send)
        for _ in range(100):
            if len(log) == 2:
                break
            await asyncio.sleep(0.01)
        return sent

    sent = asyncio.run(run())
    assert sent[-1]["log"] == [], "a scheduled job ran before the response body was sent"
    assert sorted(log) == ["async job", "sync job in True"], log
    assert not hasattr(falcon.Response, "schedule"), "the WSGI response gained schedule()"


@probe("falcon/task-queue")
def test_no_job_queue_in_falcon() -> None:
    assert not _names(falcon, "queue", "enqueue", "worker", "celery", "job", "jobs")
    assert not _names(falcon.asgi.Response, "queue", "enqueue", "persist", "result")


@probe("falcon/model-lifecycle")
def test_asgi_lifespan_middleware_loads_once() -> None:
    log: list[str] = []

    class ModelLoader:
        async def process_startup(self, scope: dict, event: dict) -> None:
            log.append("load model")
            self.model = "loaded"

        async def process_shutdown(self, scope: dict, event: dict) -> None:
            log.append("unload model")

    loader = ModelLoader()

    class Predict:
        async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
            log.append("request")
            resp.media = {"model": loader.model}

    app = falcon.asgi.App(middleware=[loader])
    app.add_route("/", Predict())

    async def run() -> list[Any]:
        async with falcon.testing.ASGIConductor(app) as conductor:
            first = await conductor.simulate_get("/")
            second = await conductor.simulate_get("/")
            return [first.json, second.json]

    assert asyncio.run(run()) == [{"model": "loaded"}] * 2
    assert log == ["load model", "request", "request", "unload model"], log
    assert not hasattr(falcon.App, "process_startup") and not _names(falcon.App, "lifespan", "startup")


# --- devex -----------------------------------------------------------------------------------------------
@probe("falcon/type-hints-drive-behaviour")
def test_annotations_are_ignored_route_converters_convert() -> None:
    class Item:
        def on_get(self, req: falcon.Request, resp: falcon.Response, item_id: int) -> None:
            resp.media = {"type": type(item_id).__name__}

    class Converted:
        def on_get(self, req: falcon.Request, resp: falcon.Response, item_id: int) -> None:
            resp.media = {"type": type(item_id).__name__}

    app = falcon.App()
    app.add_route("/raw/{item_id}", Item())
    app.add_route("/conv/{item_id:int}", Converted())
    client = falcon.testing.TestClient(app)
    assert client.simulate_get("/raw/5").json == {"type": "str"}, "Falcon converted a path param from its annotation"
    assert client.simulate_get("/raw/x").status_code == 200
    assert client.simulate_get("/conv/5").json == {"type": "int"}
    assert client.simulate_get("/conv/x").status_code == 404


@probe("falcon/admin-interface")
def test_no_admin() -> None:
    assert importlib.util.find_spec("falcon.admin") is None
    assert not _names(falcon, "admin")


@probe("falcon/test-client")
def test_test_client_simulates_wsgi_and_asgi() -> None:
    class Hello:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.media = {"hi": req.get_header("X-Name")}

    class AsyncHello:
        async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
            resp.media = {"hi": req.get_header("X-Name")}

    wsgi, asgi = falcon.App(), falcon.asgi.App()
    wsgi.add_route("/", Hello())
    asgi.add_route("/", AsyncHello())
    for app in (wsgi, asgi):
        result = falcon.testing.TestClient(app).simulate_get("/", headers={"X-Name": "ada"})
        assert result.status_code == 200 and result.json == {"hi": "ada"}
    assert issubclass(falcon.testing.TestCase, __import__("unittest").TestCase)


@probe("falcon/dev-server-reload")
def test_no_dev_server_command_gunicorn_reloads() -> None:
    # The value is `plugin`: Falcon's console scripts inspect and benchmark apps but none serves one; the
    # tutorial runs Gunicorn with `--reload` (gunicorn is in the lock, so its setting is shown here).
    scripts = {ep.name for ep in metadata.entry_points(group="console_scripts") if ep.value.startswith("falcon.")}
    assert scripts == {"falcon-bench", "falcon-inspect-app", "falcon-print-routes"}, scripts
    from gunicorn.config import Config

    config = Config()
    config.set("reload", True)
    assert config.reload is True


@probe("falcon/html-templates")
def test_no_template_engine_jinja2_renders_into_resp_text() -> None:
    import jinja2

    assert not _names(falcon, "template", "templates", "jinja", "jinja2", "render")
    env = jinja2.Environment(autoescape=True, loader=jinja2.DictLoader({"hello.html": "<p>Hello {{ name }}</p>"}))

    class Page:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.content_type = falcon.MEDIA_HTML
            resp.text = env.get_template("hello.html").render(name="<Ada>")

    app = falcon.App()
    app.add_route("/", Page())
    result = falcon.testing.TestClient(app).simulate_get("/")
    assert result.text == "<p>Hello &lt;Ada&gt;</p>"
    assert result.headers["content-type"].startswith("text/html")


@probe("falcon/i18n")
def test_no_i18n_in_falcon_babel_formats_locales() -> None:
    import datetime as dt

    from babel.dates import format_date

    assert not _names(falcon, "locale", "gettext", "i18n", "translate", "translation", "babel")
    assert format_date(dt.date(2026, 12, 2), locale="de_DE") == "02.12.2026"


# --- ecosystem -------------------------------------------------------------------------------------------
@probe("falcon/python-versions")
def test_requires_python_and_classifiers() -> None:
    meta = metadata.metadata("falcon")
    assert meta["Requires-Python"] == ">=3.9"
    versions = sorted(
        (
            c.rsplit(":: ", 1)[1]
            for c in meta.get_all("Classifier") or []
            if c.startswith("Programming Language :: Python :: 3.")
        ),
        key=lambda v: tuple(map(int, v.split("."))),
    )
    assert versions == ["3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15"], versions


@probe("falcon/license")
def test_license_is_apache() -> None:
    assert metadata.metadata("falcon")["License-Expression"] == "Apache-2.0"


@probe("falcon/stable-api-policy")
def test_deprecated_aliases_warn_before_removal() -> None:
    from falcon.util import deprecation

    assert metadata.version("falcon").split(".")[0] == "4"
    assert issubclass(deprecation.DeprecatedWarning, UserWarning)

    async def old_alias() -> asyncio.AbstractEventLoop:
        return falcon.util.get_running_loop()

    with pytest.warns(deprecation.DeprecatedWarning, match="removed in Falcon 5.0"):
        asyncio.run(old_alias())


@probe("falcon/observability")
def test_error_reporter_but_no_opentelemetry_inside() -> None:
    # The value is `plugin` (opentelemetry-instrumentation-falcon, not in requirements.lock); what code shows
    # here is the framework half: no OpenTelemetry in Falcon, and the error-reporter hook added in 4.4.
    assert importlib.util.find_spec("falcon.telemetry") is None
    assert not _names(falcon, "telemetry", "otel", "trace", "span")
    reports: list[tuple[str, bool]] = []

    class Boom:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            raise RuntimeError("boom")

    app = falcon.App()
    app.add_route("/", Boom())
    app.set_error_reporter(lambda req, error, params, handled: reports.append((type(error).__name__, handled)))
    assert falcon.testing.TestClient(app).simulate_get("/").status_code == 500
    assert reports == [("RuntimeError", True)], reports


# --- disconnect-cancellation (issue 13) ----------------------------------------
@probe("falcon/disconnect-cancellation")
def test_only_the_sse_emitter_stops_and_only_at_its_next_event() -> None:
    kinds = ("stream", "sse", "plain")
    upstream = {k: asyncio.Event() for k in kinds}  # the model's next token (or whole answer), not here yet
    waiting = {k: asyncio.Event() for k in kinds}  # the responder or generator is now awaiting the upstream
    produced: dict[str, list[str]] = {k: [] for k in kinds}
    how: dict[str, str] = {}

    async def tokens() -> AsyncIterator[bytes]:  # for resp.stream
        yield b"first token "
        waiting["stream"].set()
        await upstream["stream"].wait()
        for token in ("next token", "last token"):
            produced["stream"].append(token)
            yield token.encode()
        how["stream"] = "ran to the end"

    async def events() -> AsyncIterator[falcon.asgi.SSEvent]:  # for resp.sse
        yield falcon.asgi.SSEvent(data=b"first token")
        waiting["sse"].set()
        await upstream["sse"].wait()
        for token in ("next token", "last token"):
            produced["sse"].append(token)
            yield falcon.asgi.SSEvent(data=token.encode())
        how["sse"] = "ran to the end"

    class Stream:
        async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
            resp.content_type = "text/plain"
            resp.stream = tokens()

    class Events:
        async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
            resp.sse = events()

    class Plain:
        async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
            try:
                waiting["plain"].set()
                await upstream["plain"].wait()
                how["plain"] = "ran to the end"
                resp.media = {"answer": "complete"}
            except asyncio.CancelledError:
                how["plain"] = "cancelled"
                raise

    app = falcon.asgi.App()
    app.add_route("/stream", Stream())
    app.add_route("/sse", Events())
    app.add_route("/plain", Plain())

    async def run_asgi() -> dict[str, UvicornLikeConnection]:
        conns = {}
        for kind in kinds:
            conn = conns[kind] = UvicornLikeConnection(f"/{kind}")
            task = asyncio.create_task(app(conn.scope, conn.receive, conn.send))
            await asyncio.wait_for(waiting[kind].wait(), 5)
            if kind != "plain":  # the answer has started to flow
                await asyncio.wait_for(conn.first_body.wait(), 5)
            conn.client_goes_away()
            await asyncio.sleep(0.5)
            assert not task.done() and kind not in how, f"{kind}: the work stopped on disconnect"
            upstream[kind].set()  # the next token (or the answer) arrives
            await asyncio.wait_for(task, 1.0)
        return conns

    conns = asyncio.run(run_asgi())
    # resp.stream: Falcon never listens for `http.disconnect` here, and uvicorn's send() swallows every chunk,
    # so the generator is iterated to its end.
    assert how["stream"] == "ran to the end" and produced["stream"] == ["next token", "last token"]
    assert [m.get("body") for m in conns["stream"].dropped if m.get("body")] == [b"next token", b"last token"]
    # resp.sse: a `watch_disconnect` task sees the disconnect, but the loop checks it only after each send(),
    # so the emitter stops after producing one more event, and is never resumed.
    assert "sse" not in how and produced["sse"] == ["next token"]
    # A plain async responder: nothing cancels it; it answers, for nobody.
    assert how["plain"] == "ran to the end" and conns["plain"].sent == []

    # falcon.App (WSGI) under gunicorn's gthread worker: resp.stream is returned to the server as it is, so the
    # generator stops when a write fails and gunicorn calls its close(), after its next token.
    next_token, wsgi_waiting, wsgi_ended = threading.Event(), threading.Event(), threading.Event()
    wsgi_produced: list[str] = []

    def wsgi_tokens() -> Iterator[bytes]:
        try:
            yield b"first token "
            wsgi_waiting.set()
            next_token.wait(5)
            for token in ("next token", "last token"):
                wsgi_produced.append(token)
                yield token.encode()
            how["wsgi"] = "ran to the end"
        except GeneratorExit:
            how["wsgi"] = "closed"
            raise
        finally:
            wsgi_ended.set()

    class WsgiStream:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.content_type = "text/plain"
            resp.stream = wsgi_tokens()

    wsgi_app = falcon.App()
    wsgi_app.add_route("/stream", WsgiStream())
    sock = GoneClient()
    errors: list[BaseException] = []

    def serve() -> None:
        try:
            gthread_handle(wsgi_app, falcon.testing.create_environ(path="/stream"), sock)
        except OSError as error:
            errors.append(error)

    worker = threading.Thread(target=serve)
    worker.start()
    assert wsgi_waiting.wait(5)
    sock.gone = True  # the client goes away while the generator waits for the next token
    assert not wsgi_ended.wait(0.3), "nothing tells a WSGI app that the client went away"
    next_token.set()
    assert wsgi_ended.wait(1.0)
    worker.join(1.0)
    assert how["wsgi"] == "closed" and wsgi_produced == ["next token"], (how, wsgi_produced)
    assert sock.received == [b"first token "] and isinstance(errors[0], BrokenPipeError)


# --- error-tracking (issue 13) ----------------------------------------
@probe("falcon/error-tracking")
def test_sentry_covers_wsgi_apps_and_asgi_errors_arrive_only_as_log_records() -> None:
    # The value is `plugin` (sentry-sdk, in requirements.lock): `sentry_sdk.init` alone switches on its Falcon
    # integration, which patches `falcon.App` for WSGI and leaves `falcon.asgi.App` alone. An ASGI app renders the
    # 500 itself and logs the exception to the `falcon` logger, so the error reaches Sentry only through the default
    # logging integration: a "handled" event with no URL, method or route.
    from sentry_sdk.integrations.falcon import FalconIntegration

    class Answer:
        def on_get(self, req: falcon.Request, resp: falcon.Response, answer_id: int) -> None:
            raise RuntimeError("model server unreachable")

    class AsyncAnswer:
        async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response, answer_id: int) -> None:
            raise RuntimeError("model server unreachable")

    with sentry_events() as events:
        assert sentry_sdk.get_client().get_integration(FalconIntegration) is not None
        app = falcon.App()
        app.add_route("/answers/{answer_id:int}", Answer())
        assert falcon.testing.TestClient(app).simulate_get("/answers/7", params={"q": "x"}).status_code == 500
    [event] = events
    assert [e["type"] for e in event["exception"]["values"]] == ["RuntimeError"]
    assert event["exception"]["values"][0]["mechanism"] == {"type": "falcon", "handled": False}
    assert event["request"]["url"] == "http://falconframework.org/answers/7"
    assert event["request"]["method"] == "GET"
    assert event["request"]["query_string"] == "q=x"
    assert event["transaction"] == "/answers/{answer_id:int}"
    assert "falcon" in event["sdk"]["integrations"]

    with sentry_events() as events:
        asgi_app = falcon.asgi.App()
        asgi_app.add_route("/answers/{answer_id:int}", AsyncAnswer())
        assert falcon.testing.TestClient(asgi_app).simulate_get("/answers/7", params={"q": "x"}).status_code == 500
    [logged] = events
    assert [e["type"] for e in logged["exception"]["values"]] == ["RuntimeError"]
    assert logged["exception"]["values"][0]["mechanism"] == {"type": "logging", "handled": True}
    assert logged["logger"] == "falcon"
    assert "request" not in logged and "transaction" not in logged


# --- free-threaded-python (issue 13) ----------------------------------------
@probe("falcon/free-threaded-python")
def test_free_threading_classifier_and_no_dependencies() -> None:
    # Code shows the declared half: the installed 4.4.0 metadata carries the `Free Threading` classifiers at
    # level `3 - Stable`, and Falcon requires no other package, so no third-party extension can bring the GIL
    # back. The CI half (cibuildwheel runs the test suite on the cp314t wheels) is a workflow file, and this
    # machine has no free-threaded build to import the cp314t wheel with.
    classifiers = metadata.metadata("falcon").get_all("Classifier") or []
    free_threading = [c for c in classifiers if c.startswith("Programming Language :: Python :: Free Threading")]
    assert free_threading == [
        "Programming Language :: Python :: Free Threading",
        "Programming Language :: Python :: Free Threading :: 3 - Stable",
    ], free_threading
    assert [r for r in metadata.requires("falcon") or [] if "extra ==" not in r] == []


# --- mcp-server (issue 13) ----------------------------------------
@probe("falcon/mcp-server")
def test_no_mount_for_the_sdk_app_but_an_mcp_resource_sits_beside_the_routes() -> None:
    # The value is `plugin` (falcon-mcp-server, not in requirements.lock): its MCP endpoint is an ordinary Falcon
    # resource that `add_route` puts beside the app's other routes. Code shows the Falcon half: nothing for MCP
    # and no way to mount a foreign ASGI app (the official SDK's app added as a route has no `on_*` responders,
    # so Falcon answers 405), while an ASGI resource at /mcp answers JSON-RPC beside another route.
    from mcp.server import MCPServer

    assert not _names(falcon, "mcp", "mount")
    assert not [n for n in dir(falcon.asgi.App) if "mount" in n.lower()]

    class Health:
        async def on_get(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
            resp.media = {"status": "ok"}

    class Endpoint:  # the shape of falcon_mcp_server.MCP: responders for POST (and GET, DELETE)
        async def on_post(self, req: falcon.asgi.Request, resp: falcon.asgi.Response) -> None:
            message = await req.get_media()
            resp.media = {"jsonrpc": "2.0", "id": message["id"], "result": {}}

    app = falcon.asgi.App()
    app.add_route("/health", Health())
    app.add_route("/sdk", MCPServer("probe").streamable_http_app())
    app.add_route("/mcp", Endpoint())
    client = falcon.testing.TestClient(app)
    ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    assert client.simulate_get("/health").json == {"status": "ok"}
    assert client.simulate_post("/sdk", json=ping).status_code == 405
    assert client.simulate_post("/mcp", json=ping).json == {"jsonrpc": "2.0", "id": 1, "result": {}}


# --- rate-limiting (issue 13) ----------------------------------------
@probe("falcon/rate-limiting")
def test_no_rate_limiter_but_a_429_error_with_retry_after() -> None:
    # The value is `plugin` (falcon-rate-limiter, not in requirements.lock); code shows the framework half: Falcon
    # has no limiter, only the HTTPTooManyRequests error, which sets Retry-After and (since Falcon 4) takes its
    # arguments by keyword only, so code written for Falcon 3 that passes a title positionally, as the older
    # falcon-limiter 1.0.1 does, now fails.
    words = ("ratelimit", "rate_limit", "rate-limit", "throttl")  # "rate limit" appears in the 429 docstring
    root = Path(falcon.__file__).parent
    hits = [p.name for p in root.rglob("*.py") if any(w in p.read_text(encoding="utf-8").lower() for w in words)]
    assert hits == [], hits

    class Costly:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            raise falcon.HTTPTooManyRequests(title="Slow down", retry_after=30)

    app = falcon.App()
    app.add_route("/costly", Costly())
    result = falcon.testing.TestClient(app).simulate_get("/costly")
    assert result.status_code == 429 and result.headers["Retry-After"] == "30"
    with pytest.raises(TypeError):
        falcon.HTTPTooManyRequests("Reached allowed limit 5 hits per 1 minute!")  # the Falcon 3 style


# --- response-caching (issue 13) ----------------------------------------
@probe("falcon/response-caching")
def test_no_cache_in_falcon_only_cache_control_headers() -> None:
    # The value is `no`: Falcon has no cache store or cached responders, only `resp.cache_control` to send HTTP
    # caching headers, and the Falcon-specific falcon-caching (not in requirements.lock) is unmaintained since 2022.
    root = Path(falcon.__file__).parent
    assert not [p.name for p in root.rglob("*.py") if "cach" in p.name.lower()]
    assert not [n for n in _names(falcon, "cache", "cached", "caching") if not n.startswith("_")]
    calls: list[int] = []

    class Answer:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            calls.append(1)
            resp.cache_control = ["max-age=30"]
            resp.media = {"n": len(calls)}

    app = falcon.App()
    app.add_route("/answer", Answer())
    client = falcon.testing.TestClient(app)
    first, second = client.simulate_get("/answer"), client.simulate_get("/answer")
    assert first.headers["Cache-Control"] == "max-age=30"
    assert (first.json, second.json) == ({"n": 1}, {"n": 2}), "Falcon itself served a cached answer"
