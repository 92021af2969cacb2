"""Probes of data/frameworks/flask.yaml: each test shows one fact on the pinned Flask (requirements.lock).

`@probe("flask/<criterion>")` names the fact; a failure says which fact to revisit (macros/probes.py).
Everything runs in-process: Flask's test client, the WSGI callable called directly, or asgiref's
`WsgiToAsgi` adapter called as an ASGI app. No server, no network. Most Flask facts are `plugin`: the
extensions they name are not in requirements.lock, so those probes show the Flask half (what Flask itself
does or lacks) and say so.
"""

import asyncio
import importlib.util
import inspect
import json
import threading
import time
import warnings
from collections.abc import AsyncIterator, Callable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import flask
import pytest
import sentry_sdk
import werkzeug
from flask import Flask, Response, g, request, session
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from probekit import GoneClient, gthread_handle, sentry_events
from werkzeug.exceptions import TooManyRequests
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.test import create_environ

from macros.probes import probe

Message = dict[str, Any]


def _names(*words: str) -> list[str]:
    """Public names in the `flask` namespace that contain any of the words."""
    return [n for n in dir(flask) if not n.startswith("_") and any(w in n.lower() for w in words)]


def _plain_requires(dist: str) -> list[str]:
    return [r.lower() for r in metadata.requires(dist) or [] if "extra ==" not in r]


async def _asgi_call(app: Callable[..., Any], scope: dict[str, Any]) -> list[Message]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


def _http_scope(path: str) -> dict[str, Any]:
    return {
        "type": "http",
        "method": "GET",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [],
        "http_version": "1.1",
        "scheme": "http",
        "server": ("probe", 80),
    }


async def _asgi_gets(app: Callable[..., Any], path: str, n: int) -> list[tuple[int, bytes]]:
    results = await asyncio.gather(*(_asgi_call(app, _http_scope(path)) for _ in range(n)))
    out = []
    for sent in results:
        status = next(m["status"] for m in sent if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        out.append((status, body))
    return out


def _wsgi_call(app: Flask, path: str) -> tuple[str, Any]:
    """Call the WSGI app the way a server does; returns the status and the (unconsumed) body iterable."""
    seen: dict[str, str] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> None:
        seen["status"] = status

    body = app(create_environ(path), start_response)
    return seen["status"], body


class _Overlap:
    """Counts how many requests are inside a block at once, and on which threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.now = 0
        self.peak = 0
        self.threads: set[str] = set()

    def __enter__(self) -> None:
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)
            self.threads.add(threading.current_thread().name)

    def __exit__(self, *exc: object) -> None:
        with self.lock:
            self.now -= 1


# --- performance ---------------------------------------------------------------------------------------
@probe("flask/asgi")
def test_no_asgi_app_but_asgiref_adapter_serves_http_only() -> None:
    # The value is `plugin` (asgiref's WsgiToAsgi, which the Flask docs recommend; asgiref is in the lock).
    from asgiref.wsgi import WsgiToAsgi

    app = Flask(__name__)

    @app.get("/")
    def root() -> dict[str, str]:
        return {"hello": "asgi"}

    assert not inspect.iscoroutinefunction(app.__call__)
    assert list(inspect.signature(app.__call__).parameters) == ["environ", "start_response"]
    asgi_app = WsgiToAsgi(app)
    [(status, body)] = asyncio.run(_asgi_gets(asgi_app, "/", 1))
    assert status == 200 and json.loads(body) == {"hello": "asgi"}
    for kind in ("lifespan", "websocket"):
        with pytest.raises(ValueError, match="non-HTTP"):
            asyncio.run(_asgi_call(asgi_app, {"type": kind}))


@probe("flask/wsgi")
def test_flask_object_is_the_wsgi_callable() -> None:
    app = Flask(__name__)

    @app.get("/")
    def root() -> str:
        return "hello wsgi"

    status, body = _wsgi_call(app, "/")
    assert status == "200 OK"
    assert b"".join(body) == b"hello wsgi"
    body.close()


@probe("flask/async-handlers")
def test_async_view_runs_in_a_new_loop_per_request() -> None:
    from asgiref.wsgi import WsgiToAsgi

    app = Flask(__name__)
    loops: list[asyncio.AbstractEventLoop] = []
    threads: list[str] = []
    pending: list[asyncio.Task[None]] = []

    @app.get("/fan-out")
    async def fan_out() -> dict[str, int]:
        loops.append(asyncio.get_running_loop())
        threads.append(threading.current_thread().name)
        entered = 0
        all_in = asyncio.Event()

        async def call() -> int:
            nonlocal entered
            entered += 1
            if entered == 3:
                all_in.set()
            await asyncio.wait_for(all_in.wait(), 10)  # times out unless the three awaits overlap
            return 1

        results = await asyncio.gather(call(), call(), call())
        pending.append(asyncio.create_task(asyncio.sleep(30)))
        return {"sum": sum(results)}

    client = app.test_client()
    assert client.get("/fan-out").json == {"sum": 3}
    assert client.get("/fan-out").json == {"sum": 3}
    assert threads[0] != threading.current_thread().name, "the coroutine ran on the caller's thread"
    assert loops[0] is not loops[1], "two requests shared one event loop"
    assert loops[0].is_closed() and loops[1].is_closed()
    assert all(task.cancelled() for task in pending), "a task started in the view outlived the request"

    # Under asgiref's WsgiToAsgi the coroutines run on the server's loop, but requests go one at a time.
    served = Flask(__name__)
    overlap = _Overlap()

    @served.get("/wait")
    async def wait() -> str:
        with overlap:
            await asyncio.sleep(0.1)
        return "ok"

    results = asyncio.run(_asgi_gets(WsgiToAsgi(served), "/wait", 4))
    assert [status for status, _ in results] == [200] * 4
    assert overlap.peak == 1, f"{overlap.peak} async requests overlapped under WsgiToAsgi"


@probe("flask/sync-handlers-offloaded")
def test_blocking_views_overlap_on_server_threads_not_under_wsgitoasgi() -> None:
    from asgiref.wsgi import WsgiToAsgi

    app = Flask(__name__)
    together = threading.Barrier(3, timeout=10)  # breaks unless three blocking requests run at once
    statuses: list[int] = []

    @app.get("/block")
    def block() -> str:
        together.wait()
        return "ok"

    def one_request() -> None:
        statuses.append(app.test_client().get("/block").status_code)

    workers = [threading.Thread(target=one_request) for _ in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(20)
    assert statuses == [200, 200, 200], "blocking views did not run side by side on three threads"

    served = Flask(__name__)
    overlap = _Overlap()

    @served.get("/sleep")
    def sleep_view() -> str:
        with overlap:
            time.sleep(0.1)
        return "ok"

    results = asyncio.run(_asgi_gets(WsgiToAsgi(served), "/sleep", 4))
    assert [status for status, _ in results] == [200] * 4
    assert overlap.peak == 1, f"{overlap.peak} blocking requests overlapped under WsgiToAsgi"
    assert len(overlap.threads) == 1 and threading.current_thread().name not in overlap.threads


@probe("flask/compiled-validation")
def test_no_validation_layer_and_json_from_the_stdlib() -> None:
    # The value is `plugin` (flask-openapi3, not in the lock); code shows the Flask half.
    import flask.json.provider as provider

    requires = _plain_requires("flask")
    assert not [r for r in requires if r.startswith(("pydantic", "marshmallow", "msgspec", "orjson"))], requires
    app = Flask(__name__)
    assert type(app.json) is provider.DefaultJSONProvider
    assert provider.json is json, "Flask's JSON provider no longer uses the standard json module"
    with app.app_context():
        assert flask.json.dumps({"b": 1, "a": [1.5]}) == json.dumps({"b": 1, "a": [1.5]}, sort_keys=True)


@probe("flask/async-orm")
def test_no_data_layer_and_each_async_request_gets_a_fresh_loop() -> None:
    # The value is `plugin` (SQLAlchemy's asyncio extension, in the lock); the caveat is Flask's loop per request.
    import sqlalchemy.ext.asyncio as sa_async

    requires = _plain_requires("flask")
    assert not [r for r in requires if r.startswith(("sqlalchemy", "flask-sqlalchemy"))], requires
    assert inspect.iscoroutinefunction(sa_async.AsyncSession.execute)
    assert inspect.iscoroutinefunction(sa_async.AsyncEngine.dispose)
    app = Flask(__name__)
    loops: list[asyncio.AbstractEventLoop] = []

    @app.get("/")
    async def view() -> str:
        loops.append(asyncio.get_running_loop())
        return "ok"

    client = app.test_client()
    client.get("/")
    client.get("/")
    assert loops[0] is not loops[1] and loops[0].is_closed(), "a pooled async connection could be reused"


# --- api -------------------------------------------------------------------------------------------------
@probe("flask/request-validation")
def test_only_url_converters_check_types() -> None:
    # The value is `plugin` (APIFlask, flask-openapi3, not in the lock); code shows the Flask half.
    app = Flask(__name__)

    @app.get("/items/<int:item_id>")
    def read(item_id: int) -> dict[str, object]:
        return {"id": item_id, "type": type(item_id).__name__}

    @app.post("/items")
    def create() -> dict[str, object]:
        return {"got": request.get_json()}

    client = app.test_client()
    assert client.get("/items/5").json == {"id": 5, "type": "int"}
    assert client.get("/items/x").status_code == 404
    wrong_types = client.post("/items", json={"name": 1, "price": "cheap"})
    assert wrong_types.status_code == 200 and wrong_types.json == {"got": {"name": 1, "price": "cheap"}}
    assert client.post("/items", data="{not json", content_type="application/json").status_code == 400


@probe("flask/openapi")
def test_no_openapi_document_or_docs_page() -> None:
    # The value is `plugin` (APIFlask, flask-openapi3, not in the lock); code shows the Flask half.
    app = Flask(__name__)

    @app.get("/items/<int:item_id>")
    def read(item_id: int) -> dict[str, int]:
        return {"id": item_id}

    client = app.test_client()
    for path in ("/openapi.json", "/openapi/openapi.json", "/docs", "/redoc", "/swagger.json"):
        assert client.get(path).status_code == 404, path
    assert not _names("openapi", "swagger", "schema")


@probe("flask/response-serialization")
def test_returned_dict_is_sent_unfiltered() -> None:
    # The value is `plugin` (APIFlask, not in the lock); code shows the Flask half.
    app = Flask(__name__)

    @app.get("/user")
    def user() -> dict[str, object]:
        return {"name": "ada", "password_hash": "secret"}

    assert app.test_client().get("/user").json == {"name": "ada", "password_hash": "secret"}


@probe("flask/dependency-injection")
def test_views_get_url_variables_only_and_g_is_by_hand() -> None:
    app = Flask(__name__)
    app.logger.disabled = True
    log: list[str] = []

    def get_resource() -> object:
        if "resource" not in g:
            log.append("open")
            g.resource = object()
        return g.resource

    @app.teardown_appcontext
    def close_resource(exc: BaseException | None) -> None:
        if g.pop("resource", None) is not None:
            log.append("close")

    @app.get("/")
    def root() -> dict[str, bool]:
        return {"same": get_resource() is get_resource()}

    @app.get("/inject")
    def inject(settings: object) -> str:  # nothing resolves `settings`
        return "never"

    client = app.test_client()
    assert client.get("/").json == {"same": True}
    assert log == ["open", "close"]
    assert client.get("/inject").status_code == 500


@probe("flask/graphql")
def test_no_graphql_in_flask_itself() -> None:
    assert importlib.util.find_spec("flask.graphql") is None
    assert not _names("graphql", "schema")


# --- data ------------------------------------------------------------------------------------------------
@probe("flask/orm")
def test_no_orm_in_flask_sqlalchemy_models_work_beside_it() -> None:
    import sqlalchemy as sa
    from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

    requires = _plain_requires("flask")
    assert not [r for r in requires if r.startswith(("sqlalchemy", "flask-sqlalchemy"))], requires
    assert not _names("model", "orm", "query", "database")

    class Base(DeclarativeBase):
        pass

    class Note(Base):
        __tablename__ = "probe_flask_note"
        id: Mapped[int] = mapped_column(primary_key=True)
        text: Mapped[str]

    engine = sa.create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as db:
        db.add(Note(text="hi"))
        db.commit()
        assert db.scalars(sa.select(Note.text)).all() == ["hi"]


@probe("flask/migrations")
def test_no_db_command_alembic_autogenerate_sees_a_table() -> None:
    import sqlalchemy as sa
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from flask.cli import cli

    assert sorted(cli.commands) == ["routes", "run", "shell"], "Flask's CLI now has more commands"
    metadata_ = sa.MetaData()
    sa.Table("probe_flask_widget", metadata_, sa.Column("id", sa.Integer, primary_key=True))
    engine = sa.create_engine("sqlite://")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata_)
    assert [d[0] for d in diff] == ["add_table"], diff


@probe("flask/database-backends")
def test_sqlalchemy_ships_the_main_dialects() -> None:
    import sqlalchemy.dialects as dialects

    assert not _names("sql", "postgres", "mysql")
    assert {"postgresql", "mysql", "sqlite", "oracle", "mssql"} <= set(dialects.__all__)


@probe("flask/connection-pooling")
def test_sqlalchemy_engine_keeps_a_pool(tmp_path) -> None:  # noqa: ANN001
    import sqlalchemy as sa
    from sqlalchemy import pool

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'pool.sqlite3'}")
    assert isinstance(engine.pool, pool.QueuePool)
    with engine.connect() as c1:
        first = c1.connection.dbapi_connection
    with engine.connect() as c2:
        assert c2.connection.dbapi_connection is first, "the connection was not reused from the pool"


# --- security --------------------------------------------------------------------------------------------
@probe("flask/authentication")
def test_signed_sessions_and_hashing_but_no_user_system() -> None:
    # The value is `plugin` (Flask-Login, Flask-Security, not in the lock); code shows the Flask half.
    from werkzeug.security import check_password_hash, generate_password_hash

    assert not _names("login", "user", "password", "auth")
    hashed = generate_password_hash("s3cret")
    assert hashed.startswith("scrypt:") and check_password_hash(hashed, "s3cret")
    app = Flask(__name__)
    app.secret_key = "probe-only"

    @app.post("/login")
    def login() -> str:
        session["user_id"] = 7
        return "ok"

    @app.get("/me")
    def me() -> dict[str, object]:
        return {"user_id": session.get("user_id")}

    client = app.test_client()
    client.post("/login")
    assert client.get("/me").json == {"user_id": 7}
    forged = app.test_client()
    forged.set_cookie("session", "eyJ1c2VyX2lkIjo3fQ.forged.signature")
    assert forged.get("/me").json == {"user_id": None}


@probe("flask/permissions")
def test_no_roles_or_permissions_in_flask() -> None:
    # The value is `plugin` (Flask-Security, not in the lock); code shows the Flask half.
    assert not _names("role", "permission", "group", "principal")


@probe("flask/token-auth-helpers")
def test_authorization_header_parsed_but_not_enforced() -> None:
    # The value is `plugin` (Flask-HTTPAuth, not in the lock); code shows what Flask/Werkzeug parse.
    app = Flask(__name__)

    @app.get("/whoami")
    def whoami() -> dict[str, object]:
        auth = request.authorization
        if auth is None:
            return {"type": None}
        return {"type": auth.type, "token": auth.token, "user": auth.username}

    client = app.test_client()
    assert client.get("/whoami", headers={"Authorization": "Bearer abc"}).json == {
        "type": "bearer",
        "token": "abc",
        "user": None,
    }
    assert client.get("/whoami", auth=("ada", "pw")).json == {"type": "basic", "token": None, "user": "ada"}
    assert client.get("/whoami").status_code == 200, "Flask refused a request without credentials by itself"
    assert not _names("required", "bearer", "apikey", "oauth")


@probe("flask/csrf-protection")
def test_cross_site_form_post_is_accepted() -> None:
    # The value is `plugin` (Flask-WTF, not in the lock); code shows the Flask half.
    app = Flask(__name__)
    app.secret_key = "probe-only"

    @app.post("/login")
    def login() -> str:
        session["user_id"] = 7
        return "ok"

    @app.post("/transfer")
    def transfer() -> dict[str, object]:
        return {"user": session.get("user_id"), "amount": request.form["amount"]}

    client = app.test_client()
    client.post("/login")
    forged = client.post("/transfer", data={"amount": "100"}, headers={"Origin": "https://evil.example"})
    assert forged.status_code == 200 and forged.json == {"user": 7, "amount": "100"}
    assert not _names("csrf")


@probe("flask/content-security-policy")
def test_no_csp_header_by_default() -> None:
    # The value is `plugin` (Flask-Talisman, not in the lock); code shows the Flask half.
    app = Flask(__name__)

    @app.get("/")
    def page() -> str:
        return "<script>1</script>"

    response = app.test_client().get("/")
    assert response.mimetype == "text/html"
    assert "Content-Security-Policy" not in response.headers
    assert not _names("csp", "nonce", "security")


@probe("flask/cors")
def test_no_cors_headers_even_on_preflight() -> None:
    # The value is `plugin` (Flask-Cors, not in the lock); code shows the Flask half.
    app = Flask(__name__)

    @app.get("/api")
    def api() -> dict[str, bool]:
        return {"ok": True}

    client = app.test_client()
    simple = client.get("/api", headers={"Origin": "https://front.example"})
    assert "Access-Control-Allow-Origin" not in simple.headers
    preflight = client.options(
        "/api", headers={"Origin": "https://front.example", "Access-Control-Request-Method": "GET"}
    )
    assert preflight.status_code == 200 and "GET" in preflight.headers["Allow"]
    assert "Access-Control-Allow-Origin" not in preflight.headers
    assert not _names("cors", "origin")


# --- ai --------------------------------------------------------------------------------------------------
@probe("flask/streaming-responses")
def test_sync_generators_stream_async_generators_fail() -> None:
    app = Flask(__name__)
    app.logger.disabled = True
    produced: list[int] = []

    @app.get("/stream")
    def stream() -> Iterator[str]:
        def chunks() -> Iterator[str]:
            for i in range(3):
                produced.append(i)
                yield f"chunk{i};"

        return chunks()

    @app.get("/async-stream")
    def async_stream() -> object:
        async def chunks() -> AsyncIterator[str]:
            yield "token"

        return chunks()

    status, body = _wsgi_call(app, "/stream")
    assert status == "200 OK"
    iterator = iter(body)
    assert next(iterator) == b"chunk0;" and produced == [0], "the body was produced before it was sent"
    assert b"".join(iterator) == b"chunk1;chunk2;" and produced == [0, 1, 2]
    body.close()
    assert app.test_client().get("/async-stream").status_code == 500


@probe("flask/server-sent-events")
def test_no_sse_helper_framing_by_hand() -> None:
    assert not _names("sse", "event", "eventsource")
    app = Flask(__name__)

    @app.get("/events")
    def events() -> Response:
        def frames() -> Iterator[str]:
            for token in ("a", "b"):
                yield f"data: {token}\n\n"

        return Response(frames(), mimetype="text/event-stream")

    response = app.test_client().get("/events")
    assert response.mimetype == "text/event-stream"
    assert response.text == "data: a\n\ndata: b\n\n"
    assert "Cache-Control" not in response.headers, "Flask now adds SSE headers by itself"


@probe("flask/websockets")
def test_no_websocket_routes_and_adapter_rejects_them() -> None:
    # The value is `plugin` (flask-sock, Flask-SocketIO, not in the lock); code shows the Flask half.
    from asgiref.wsgi import WsgiToAsgi

    assert not _names("websocket", "socket")
    assert not [n for n in dir(Flask) if "websocket" in n.lower()]
    with pytest.raises(ValueError, match="non-HTTP"):
        asyncio.run(_asgi_call(WsgiToAsgi(Flask(__name__)), {"type": "websocket", "path": "/ws"}))


@probe("flask/in-process-background-tasks")
def test_call_on_close_runs_after_the_body_is_sent() -> None:
    app = Flask(__name__)
    log: list[str] = []

    @app.get("/")
    def view() -> Response:
        response = flask.make_response("body")
        response.call_on_close(lambda: log.append("after-response job"))
        log.append("view")
        return response

    @app.teardown_request
    def teardown(exc: BaseException | None) -> None:
        log.append("teardown")

    status, body = _wsgi_call(app, "/")
    log.append("returned to server")
    assert b"".join(body) == b"body"
    log.append("body sent")
    body.close()
    assert log == ["view", "teardown", "returned to server", "body sent", "after-response job"]
    assert not _names("background", "task")


@probe("flask/task-queue")
def test_no_queue_or_worker_in_flask() -> None:
    # The value is `plugin` (Celery, not in the lock); code shows the Flask half.
    assert not _names("queue", "worker", "celery", "task", "job")
    requires = _plain_requires("flask")
    assert not [r for r in requires if r.startswith(("celery", "rq", "dramatiq"))], requires


@probe("flask/model-lifecycle")
def test_setup_phase_only_no_shutdown_or_lifespan() -> None:
    from asgiref.wsgi import WsgiToAsgi

    assert not hasattr(Flask, "before_first_request"), "before_first_request is back"
    params = set(inspect.signature(Flask.__init__).parameters)
    assert not params & {"lifespan", "on_startup", "on_shutdown"}, params
    assert not [n for n in dir(Flask) if any(w in n for w in ("shutdown", "lifespan", "on_startup"))]

    loaded: list[str] = []
    app = Flask(__name__)
    loaded.append("model")  # setup-phase code: runs once, when the module or factory runs

    @app.get("/")
    def predict() -> dict[str, int]:
        return {"models": len(loaded)}

    client = app.test_client()
    assert client.get("/").json == {"models": 1}
    assert client.get("/").json == {"models": 1}
    with pytest.raises(AssertionError, match="can no longer be called"):
        app.get("/late")(lambda: "too late")
    with pytest.raises(ValueError, match="non-HTTP"):
        asyncio.run(_asgi_call(WsgiToAsgi(app), {"type": "lifespan"}))


# --- devex -----------------------------------------------------------------------------------------------
@probe("flask/type-hints-drive-behaviour")
def test_annotations_are_ignored() -> None:
    # The value is `plugin` (flask-openapi3, not in the lock); code shows the Flask half.
    app = Flask(__name__)

    @app.get("/<n>")
    def view(n: int) -> dict[str, str]:
        return {"type": type(n).__name__}

    @app.get("/typed/<int:n>")
    def typed(n: int) -> dict[str, str]:
        return {"type": type(n).__name__}

    client = app.test_client()
    assert client.get("/5").json == {"type": "str"}, "Flask converted the value from the annotation"
    assert client.get("/typed/5").json == {"type": "int"}


@probe("flask/admin-interface")
def test_no_admin_in_flask() -> None:
    # The value is `plugin` (Flask-Admin, not in the lock); code shows the Flask half.
    assert not _names("admin")
    app = Flask(__name__)
    assert app.test_client().get("/admin/").status_code == 404


@probe("flask/test-client")
def test_test_client_and_cli_runner_in_process() -> None:
    import click
    from werkzeug.test import Client

    app = Flask(__name__)
    app.secret_key = "probe-only"

    @app.cli.command("hello")
    def hello() -> None:
        click.echo("hi from the CLI")

    @app.get("/")
    def root() -> dict[str, int]:
        return {"visits": session.get("visits", 0)}

    client = app.test_client()
    assert isinstance(client, Client)
    with client.session_transaction() as sess:
        sess["visits"] = 3
    assert client.get("/").json == {"visits": 3}
    result = app.test_cli_runner().invoke(args=["hello"])
    assert result.exit_code == 0 and result.output == "hi from the CLI\n"


@probe("flask/dev-server-reload")
def test_run_command_has_reloader_debugger_and_threads() -> None:
    import werkzeug.serving
    from flask.cli import run_command

    params = {p.name: p for p in run_command.params}
    assert {"debug", "reload", "debugger", "with_threads", "extra_files", "exclude_patterns"} <= set(params)
    assert params["with_threads"].default is True
    assert "use_reloader" in inspect.signature(werkzeug.serving.run_simple).parameters


@probe("flask/html-templates")
def test_jinja_templates_autoescape_html(tmp_path) -> None:  # noqa: ANN001
    (tmp_path / "hello.html").write_text("<p>Hello {{ name }}</p>")
    app = Flask(__name__, template_folder=str(tmp_path))

    @app.get("/")
    def page() -> str:
        return flask.render_template("hello.html", name="<Ada>")

    response = app.test_client().get("/")
    assert response.text == "<p>Hello &lt;Ada&gt;</p>"
    assert response.mimetype == "text/html"
    assert "jinja2" in " ".join(_plain_requires("flask"))


@probe("flask/i18n")
def test_no_i18n_in_flask_babel_formats_locales() -> None:
    # The value is `plugin` (Flask-Babel, not in the lock); Babel, which it builds on, is.
    import datetime as dt

    from babel.dates import format_date
    from babel.numbers import format_currency

    assert not _names("locale", "gettext", "i18n", "translat", "babel")
    assert format_date(dt.date(2026, 12, 2), locale="de_DE") == "02.12.2026"
    assert format_currency(1234.5, "EUR", locale="fr_FR") == "1\u202f234,50\xa0\u20ac"


# --- ecosystem -------------------------------------------------------------------------------------------
@probe("flask/python-versions")
def test_requires_python_without_version_classifiers() -> None:
    meta = metadata.metadata("flask")
    assert meta["Requires-Python"] == ">=3.9"
    classifiers = meta.get_all("Classifier") or []
    assert not [c for c in classifiers if c.startswith("Programming Language :: Python :: 3.")], classifiers


@probe("flask/license")
def test_licence_in_package_metadata() -> None:
    meta = metadata.metadata("flask")
    assert meta.get("License-Expression") == "BSD-3-Clause"


@probe("flask/stable-api-policy")
def test_deprecated_attribute_warns_with_removal_version() -> None:
    # The value rests on the published policy (not probeable); code shows the note: deprecations warn first.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        version = flask.__version__
    assert version == metadata.version("flask")
    messages = [str(w.message) for w in caught if issubclass(w.category, DeprecationWarning)]
    assert any("will be removed in Flask 3.2" in m for m in messages), messages


@probe("flask/observability")
def test_no_opentelemetry_in_flask() -> None:
    # The value is `plugin` (opentelemetry-instrumentation-flask, not in the lock); code shows the Flask half.
    assert importlib.util.find_spec("flask.telemetry") is None
    assert not _names("telemetry", "trace", "metric")
    requires = _plain_requires("flask")
    assert not [r for r in requires if r.startswith("opentelemetry")], requires


# --- disconnect-cancellation (issue 13) ----------------------------------------
@probe("flask/disconnect-cancellation")
def test_a_streamed_generator_stops_only_at_its_next_write_after_disconnect() -> None:
    # Flask is WSGI only: nothing in WSGI tells a running view that the client left, so a plain (blocking) view
    # always runs to its end. What can stop is a streamed generator, and only when gunicorn's write fails and it
    # calls the response's close(): Werkzeug's ClosingIterator -> Response.close() -> the generator's close().
    app = Flask(__name__)
    next_token, waiting, ended = threading.Event(), threading.Event(), threading.Event()
    produced: list[str] = []
    how: dict[str, str] = {}

    def tokens() -> Iterator[str]:
        try:
            yield "first token "
            waiting.set()
            next_token.wait(5)  # a blocking client waiting for the model's next token
            produced.append("next token")
            yield "next token "
            produced.append("last token")
            yield "last token"
            how["stream"] = "ran to the end"
        except GeneratorExit:
            how["stream"] = "closed"
            raise
        finally:
            ended.set()

    @app.get("/stream")
    def stream() -> Response:
        return Response(tokens(), mimetype="text/plain")

    sock = GoneClient()
    errors: list[BaseException] = []

    def serve() -> None:
        try:
            gthread_handle(app, create_environ("/stream"), sock)
        except OSError as error:
            errors.append(error)

    worker = threading.Thread(target=serve)
    worker.start()
    assert waiting.wait(5)
    sock.gone = True  # the client goes away while the generator waits for the next token
    assert not ended.wait(0.3), "nothing tells a WSGI app that the client went away"
    next_token.set()  # the token arrives: the generator yields it, the write fails, close() ends it
    assert ended.wait(1.0)
    worker.join(1.0)
    assert how["stream"] == "closed" and produced == ["next token"], (how, produced)
    assert sock.received == [b"first token "] and isinstance(errors[0], BrokenPipeError)


# --- error-tracking (issue 13) ----------------------------------------
@probe("flask/error-tracking")
def test_sentry_reports_an_unhandled_error_with_url_and_method() -> None:
    # The value is `plugin` (sentry-sdk, in requirements.lock): `sentry_sdk.init` alone switches on its Flask
    # integration, which wraps `Flask.__call__` and listens to Flask's `got_request_exception` signal. The user is
    # read from Flask-Login's `current_user`; Flask-Login is not in the lock, so this probe shows no user.
    from sentry_sdk.integrations.flask import FlaskIntegration

    assert importlib.util.find_spec("flask_login") is None
    with sentry_events() as events:
        assert sentry_sdk.get_client().get_integration(FlaskIntegration) is not None
        app = Flask(__name__)

        @app.get("/answers/<int:answer_id>")
        def answer(answer_id: int) -> str:
            raise RuntimeError("model server unreachable")

        assert app.test_client().get("/answers/7", query_string={"q": "x"}).status_code == 500

    [event] = events
    assert [e["type"] for e in event["exception"]["values"]] == ["RuntimeError"]
    assert event["exception"]["values"][0]["mechanism"] == {"type": "flask", "handled": False}
    assert event["request"]["url"] == "http://localhost/answers/7"
    assert event["request"]["method"] == "GET"
    assert event["request"]["query_string"] == "q=x"
    assert event["transaction"] == "answer"
    assert "flask" in event["sdk"]["integrations"]


# --- free-threaded-python (issue 13) ----------------------------------------
@probe("flask/free-threaded-python")
def test_tested_on_3_14t_but_not_declared() -> None:
    # The value is `partial`: Flask's CI runs the suite on 3.14t (a workflow file, not probeable; there is no
    # free-threaded build here), but nothing declares support. Code shows that half: neither Flask nor
    # Werkzeug carries a `Free Threading` classifier, and the only compiled package Flask pulls in is
    # MarkupSafe, whose speedups module is marked as not needing the GIL (in its C source, not visible here).
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

    for dist in ("flask", "werkzeug"):
        classifiers = metadata.metadata(dist).get_all("Classifier") or []
        free_threading = [c for c in classifiers if c.startswith("Programming Language :: Python :: Free Threading")]
        assert free_threading == [], (dist, free_threading)
    assert compiled_requirements("flask") == ["markupsafe"]


# --- mcp-server (issue 13) ----------------------------------------
@probe("flask/mcp-server")
def test_wsgi_flask_cannot_host_the_sdk_asgi_app() -> None:
    # The value is `no`: nothing for MCP in Flask, and the official SDK's server is an ASGI app (a coroutine taking
    # scope, receive and send, with a session manager that needs a running event loop). Flask and Werkzeug's
    # DispatcherMiddleware call WSGI apps only, so the SDK app handed a path that way fails at once.
    from mcp.server import MCPServer

    assert not _names("mcp", "model_context")
    mcp_app = MCPServer("probe").streamable_http_app()
    assert inspect.iscoroutinefunction(type(mcp_app).__call__)
    assert list(inspect.signature(mcp_app).parameters) == ["scope", "receive", "send"]

    app = Flask(__name__)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    assert list(inspect.signature(app.__call__).parameters) == ["environ", "start_response"]
    combined = DispatcherMiddleware(app, {"/mcp": mcp_app})
    assert combined.mounts["/mcp"] is mcp_app
    seen: list[str] = []
    body = combined(create_environ("/health"), lambda status, headers, exc_info=None: seen.append(status))
    assert seen == ["200 OK"] and b"ok" in b"".join(body)
    with pytest.raises(TypeError, match="send"):
        combined(create_environ("/mcp", method="POST"), lambda status, headers, exc_info=None: None)


# --- rate-limiting (issue 13) ----------------------------------------
@probe("flask/rate-limiting")
def test_no_rate_limiter_but_werkzeug_429_carries_retry_after() -> None:
    # The value is `plugin` (Flask-Limiter, not in requirements.lock); code shows the framework half: neither Flask
    # nor Werkzeug has a limiter or throttle, and Werkzeug's TooManyRequests, the error Flask-Limiter raises, turns
    # into a 429 with a Retry-After header.
    words = ("ratelimit", "rate_limit", "rate limit", "rate-limit", "throttl")
    for package in (flask, werkzeug):
        root = Path(package.__file__).parent
        hits = [p.name for p in root.rglob("*.py") if any(w in p.read_text(encoding="utf-8").lower() for w in words)]
        assert hits == [], f"{package.__name__} now mentions rate limiting in {hits}"

    app = Flask(__name__)

    @app.get("/costly")
    def costly() -> str:
        raise TooManyRequests(retry_after=30)

    response = app.test_client().get("/costly")
    assert response.status_code == 429 and response.headers["Retry-After"] == "30"


# --- response-caching (issue 13) ----------------------------------------
@probe("flask/response-caching")
def test_no_cache_in_flask_or_werkzeug() -> None:
    # The value is `plugin` (Flask-Caching, not in requirements.lock); code shows the framework half: Flask has no
    # cache, and Werkzeug's old `werkzeug.contrib.cache` is gone (it became the separate cachelib package, which
    # Flask-Caching uses). What is left is HTTP header support, e.g. `Cache-Control` for browsers and proxies.
    assert importlib.util.find_spec("werkzeug.contrib") is None
    for package in (flask, werkzeug):
        root = Path(package.__file__).parent
        named = [p.name for p in root.rglob("*.py") if "cach" in p.name.lower()]
        assert named in ([], ["cache_control.py"]), named

    app = Flask(__name__)
    calls: list[int] = []

    @app.get("/answer")
    def answer() -> dict[str, int]:
        calls.append(1)
        return {"n": len(calls)}

    client = app.test_client()
    assert [client.get("/answer").json["n"] for _ in range(2)] == [1, 2]
