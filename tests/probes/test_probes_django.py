"""Probes of data/frameworks/django.yaml: each test shows one fact on the pinned Django (requirements.lock).

`@probe("django/<criterion>")` names the fact; a failure says which fact to revisit (macros/probes.py).
Django is configured once in conftest.py; requests go through Django's test clients or straight to its
ASGI and WSGI handlers, in-process.
"""

import asyncio
import inspect
import json
import threading
import types
import warnings
from collections.abc import AsyncIterator, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import django
import django.tasks
import pytest
import sentry_sdk
from django.core.exceptions import PermissionDenied
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.test import AsyncClient, Client, override_settings
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from djangokit import asgi_call, body, routes, status
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from probekit import GoneClient, UvicornLikeConnection, disconnect_midway, gthread_handle, sentry_events

from macros.probes import probe

DJANGO = Path(django.__file__).parent


def _template(name: str) -> str:
    return (DJANGO / "conf" / "project_template" / "project_name" / name).read_text()


# --- performance ---------------------------------------------------------------------------------------
@probe("django/asgi")
def test_asgi_application_serves_a_view() -> None:
    from django.core.asgi import get_asgi_application
    from django.core.handlers.asgi import ASGIHandler

    assert "get_asgi_application" in _template("asgi.py-tpl")
    app = get_asgi_application()
    assert isinstance(app, ASGIHandler)
    with routes(path("", lambda request: HttpResponse("asgi ok"))):
        messages = asyncio.run(asgi_call(app, "/"))
    assert status(messages) == 200 and body(messages) == b"asgi ok"


@probe("django/wsgi")
def test_wsgi_application_serves_a_view() -> None:
    from wsgiref.util import setup_testing_defaults

    from django.core.wsgi import get_wsgi_application

    assert "get_wsgi_application" in _template("wsgi.py-tpl")
    app = get_wsgi_application()
    environ: dict = {}
    setup_testing_defaults(environ)
    environ["HTTP_HOST"] = "testserver"
    started: list[str] = []
    with routes(path("", lambda request: HttpResponse("wsgi ok"))):
        chunks = app(environ, lambda status_, headers: started.append(status_))
        content = b"".join(chunks)
    assert started == ["200 OK"] and content == b"wsgi ok"


def _peak_threads_during(app, n: int) -> int:  # noqa: ANN001
    """Hold n concurrent requests inside an async view at once; return the extra threads alive then."""
    peak = 0
    entered = 0

    async def run() -> None:
        all_in = asyncio.Event()

        async def view(request):  # noqa: ANN001, ANN202
            nonlocal peak, entered
            entered += 1
            if entered == n:
                all_in.set()
            await asyncio.wait_for(all_in.wait(), 20)  # times out unless all n requests are in flight together
            peak = max(peak, threading.active_count())
            return HttpResponse("ok")

        with routes(path("", view)):
            results = await asyncio.gather(*(asgi_call(app, "/") for _ in range(n)))
        assert all(status(m) == 200 for m in results), "not every request was served while the others waited"

    before = threading.active_count()
    asyncio.run(run())
    return peak - before


@probe("django/async-handlers")
def test_async_views_overlap_but_hold_a_thread_each(django_db: None) -> None:
    from django.core import signals
    from django.core.handlers.asgi import ASGIHandler
    from django.db import close_old_connections, reset_queries

    n = 30
    # Stock Django, no middleware: the async views overlap, yet each request holds a thread, because
    # Django's own sync request_started/request_finished receivers run in a per-request thread context.
    with override_settings(MIDDLEWARE=[]):
        extra = _peak_threads_during(ASGIHandler(), n)  # all n views await at the same time
    assert extra >= n, f"stock Django held {extra} extra threads for {n} requests in flight"
    # Without those receivers: no thread per request; a sync middleware brings it back.
    saved = {
        sig: [ref() for _, ref, *_ in sig.receivers] for sig in (signals.request_started, signals.request_finished)
    }
    assert reset_queries in saved[signals.request_started] and close_old_connections in saved[signals.request_finished]
    for sig, receivers in saved.items():
        for receiver in receivers:
            sig.disconnect(receiver)
    try:
        with override_settings(MIDDLEWARE=[]):
            bare = _peak_threads_during(ASGIHandler(), n)
        with override_settings(MIDDLEWARE=["probe_middleware.SyncOnly"]):
            synced = _peak_threads_during(ASGIHandler(), n)
    finally:
        for sig, receivers in saved.items():
            for receiver in receivers:
                sig.connect(receiver)
    assert bare < 5, f"without Django's sync receivers, {bare} extra threads for {n} requests"
    assert synced >= n, f"a sync middleware added only {synced} threads for {n} requests"


@probe("django/sync-handlers-offloaded")
def test_sync_views_run_in_threads_under_asgi() -> None:
    from django.core.handlers.asgi import ASGIHandler

    names: set[str] = set()
    together = threading.Barrier(3, timeout=20)  # breaks unless three blocking views run at the same time

    def blocking(request):  # noqa: ANN001, ANN202
        names.add(threading.current_thread().name)
        together.wait()
        return HttpResponse("done")

    async def run() -> list:
        app = ASGIHandler()
        return await asyncio.gather(*(asgi_call(app, "/") for _ in range(3)))

    with routes(path("", blocking), MIDDLEWARE=[]):
        results = asyncio.run(run())
    assert all(status(m) == 200 for m in results), "the blocking views did not run side by side"
    assert threading.current_thread().name not in names and len(names) == 3, names


@probe("django/compiled-validation")
def test_forms_are_python_ninja_validates_in_pydantic_core() -> None:
    import django.forms.fields
    import ninja
    import pydantic_core

    assert django.forms.fields.__file__.endswith(".py")
    assert pydantic_core._pydantic_core.__file__.endswith((".so", ".pyd"))
    requires = metadata.requires("django-ninja") or []
    assert any(r.lower().startswith("pydantic") for r in requires), requires
    assert issubclass(ninja.Schema, __import__("pydantic").BaseModel)


@probe("django/async-orm")
def test_async_queries_wrap_sync_orm_and_transactions_refuse(django_db: None) -> None:
    from asgiref.sync import sync_to_async
    from django.contrib.auth.models import Group
    from django.core.exceptions import SynchronousOnlyOperation
    from django.db import transaction
    from django.db.models.query import QuerySet

    assert "sync_to_async(self.get)" in inspect.getsource(QuerySet.aget)

    async def run() -> str:
        group = await Group.objects.acreate(name="probe-async")
        names = [g.name async for g in Group.objects.filter(name="probe-async")]
        await group.adelete()
        return names[0]

    assert asyncio.run(run()) == "probe-async"

    async def atomic_in_async() -> None:
        with transaction.atomic():
            await sync_to_async(lambda: None)()

    with pytest.raises(SynchronousOnlyOperation):
        asyncio.run(atomic_in_async())


# --- api -------------------------------------------------------------------------------------------------
def _ninja_api(urls_namespace: str):  # noqa: ANN202
    from ninja import NinjaAPI

    return NinjaAPI(urls_namespace=urls_namespace)


@probe("django/request-validation")
def test_forms_validate_declared_fields_ninja_reads_hints() -> None:
    from django import forms
    from ninja import Schema
    from ninja.testing import TestClient as NinjaClient

    class ItemForm(forms.Form):
        name = forms.CharField(max_length=5)
        price = forms.DecimalField()

    form = ItemForm({"name": "toolong", "price": "cheap"})
    assert not form.is_valid() and set(form.errors) == {"name", "price"}

    class ItemIn(Schema):
        name: str
        price: float

    api = _ninja_api("probe-validation")

    @api.post("/items")
    def create(request, item: ItemIn, q: int):  # noqa: ANN001, ANN202
        return {"name": item.name}

    response = NinjaClient(api).post("/items?q=x", json={"name": 1, "price": "cheap"})
    assert response.status_code == 422
    locs = {tuple(e["loc"]) for e in response.json()["detail"]}
    assert ("query", "q") in locs and any(loc[0] == "body" for loc in locs), locs


@probe("django/openapi")
def test_no_openapi_in_django_ninja_and_spectacular_add_it() -> None:
    import importlib.util

    from drf_spectacular.generators import SchemaGenerator
    from rest_framework.decorators import api_view
    from rest_framework.response import Response

    assert importlib.util.find_spec("django.openapi") is None
    api = _ninja_api("probe-openapi")

    @api.get("/ping")
    def ping(request):  # noqa: ANN001, ANN202
        return {"pong": True}

    with routes(path("api/", api.urls)):
        doc = Client().get("/api/openapi.json").json()
        assert doc["openapi"].startswith("3.") and "/api/ping" in doc["paths"]
        assert Client().get("/api/docs").status_code == 200

    @api_view(["GET"])
    def drf_ping(request):  # noqa: ANN001, ANN202
        return Response({"pong": True})

    with routes(path("drf/ping", drf_ping)):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    assert schema["openapi"].startswith("3.") and "/drf/ping" in schema["paths"]


@probe("django/response-serialization")
def test_json_response_only_ninja_filters_fields() -> None:
    from ninja import Schema
    from ninja.testing import TestClient as NinjaClient

    assert JsonResponse({"a": 1, "secret": "x"}).content == b'{"a": 1, "secret": "x"}'

    class Out(Schema):
        a: int

    api = _ninja_api("probe-response")

    @api.get("/out", response=Out)
    def out(request):  # noqa: ANN001, ANN202
        return {"a": 1, "secret": "x"}

    assert NinjaClient(api).get("/out").json() == {"a": 1}


@probe("django/dependency-injection")
def test_views_get_only_the_request_and_url_arguments() -> None:
    class Service:
        pass

    def view(request, service: Service):  # noqa: ANN001, ANN202
        return HttpResponse("injected")

    with routes(path("", view)), pytest.raises(TypeError, match="service"):
        Client(raise_request_exception=True).get("/")


@probe("django/graphql")
def test_no_graphql_in_django() -> None:
    assert not [p for p in DJANGO.rglob("*") if "graphql" in p.name.lower()]


# --- data ------------------------------------------------------------------------------------------------
@probe("django/orm")
def test_querysets_are_lazy_and_chainable(django_db: None) -> None:
    from django.contrib.auth.models import Group
    from django.db import connection, models
    from django.test.utils import CaptureQueriesContext

    Group.objects.get_or_create(name="probe-orm")
    with CaptureQueriesContext(connection) as queries:
        qs = Group.objects.filter(name__startswith="probe").exclude(name="x").order_by("name")
        assert len(queries) == 0, "building a QuerySet ran a query"
        names = list(qs.values_list("name", flat=True))
    assert len(queries) == 1 and "probe-orm" in names
    assert hasattr(models, "FETCH_PEERS")


@probe("django/migrations")
def test_autodetector_writes_a_migration_for_a_new_model() -> None:
    from django.db import models
    from django.db.migrations.autodetector import MigrationAutodetector
    from django.db.migrations.graph import MigrationGraph
    from django.db.migrations.questioner import NonInteractiveMigrationQuestioner
    from django.db.migrations.state import ModelState, ProjectState

    after = ProjectState()
    after.add_model(
        ModelState(
            "shop", "Item", [("id", models.AutoField(primary_key=True)), ("name", models.CharField(max_length=20))]
        )
    )
    questioner = NonInteractiveMigrationQuestioner(specified_apps={"shop"})
    changes = MigrationAutodetector(ProjectState(), after, questioner).changes(graph=MigrationGraph())
    operations = [type(op).__name__ for m in changes["shop"] for op in m.operations]
    assert operations == ["CreateModel"], operations


@probe("django/database-backends")
def test_builtin_backends() -> None:
    backends = {p.name for p in (DJANGO / "db" / "backends").iterdir() if (p / "base.py").is_file()}
    assert {"postgresql", "mysql", "oracle", "sqlite3"} <= backends, backends


@probe("django/connection-pooling")
def test_pool_option_on_postgresql_and_oracle_only() -> None:
    def has_pool(backend: str) -> bool:
        source = (DJANGO / "db" / "backends" / backend / "base.py").read_text()
        return "def pool(self)" in source

    assert has_pool("postgresql") and has_pool("oracle")
    assert not has_pool("mysql") and not has_pool("sqlite3")


# --- security --------------------------------------------------------------------------------------------
@probe("django/authentication")
def test_users_hashed_passwords_and_login(django_db: None) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import check_password, make_password

    hashed = make_password("s3cret-Pass")  # the default hasher, once (it is slow on purpose)
    algorithm, iterations, salt, digest = hashed.split("$")
    assert algorithm == "pbkdf2_sha256" and int(iterations) >= 1_000_000 and len(salt) >= 16, hashed
    user_model = get_user_model()
    user_model.objects.filter(username="probe-login").delete()
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the login flow, without the slow hash again
    with override_settings(PASSWORD_HASHERS=fast):
        user_model.objects.create_user("probe-login", password="s3cret-Pass")
        assert check_password("s3cret-Pass", user_model.objects.get(username="probe-login").password)

    def whoami(request):  # noqa: ANN001, ANN202
        return HttpResponse(request.user.username or "anonymous")

    client = Client()
    with routes(path("me", whoami), PASSWORD_HASHERS=fast):
        assert client.login(username="probe-login", password="s3cret-Pass")
        assert client.get("/me").content == b"probe-login"


@probe("django/permissions")
def test_model_permissions_and_no_object_level(django_db: None) -> None:
    from django.contrib.auth.models import Group, Permission, User

    codes = set(Permission.objects.filter(content_type__model="group").values_list("codename", flat=True))
    assert codes == {"add_group", "change_group", "delete_group", "view_group"}
    User.objects.filter(username="probe-perm").delete()
    user = User.objects.create_user("probe-perm")
    editors, _ = Group.objects.get_or_create(name="probe-editors")
    editors.permissions.add(Permission.objects.get(codename="change_group"))
    user.groups.add(editors)
    user = User.objects.get(pk=user.pk)
    assert user.has_perm("auth.change_group")
    assert not user.has_perm("auth.change_group", obj=editors), "the default backend allowed an object-level check"


@probe("django/token-auth-helpers")
def test_no_bearer_helpers_in_core_drf_and_ninja_have_them() -> None:
    import ninja.security
    import rest_framework.authentication as drf_auth

    assert not [p for p in (DJANGO / "contrib" / "auth").rglob("*.py") if "Bearer" in p.read_text()]
    assert hasattr(drf_auth, "TokenAuthentication")
    for name in ("HttpBearer", "APIKeyHeader", "APIKeyQuery", "APIKeyCookie"):
        assert hasattr(ninja.security, name), name


@probe("django/csrf-protection")
def test_csrf_middleware_rejects_tokenless_post() -> None:
    assert "django.middleware.csrf.CsrfViewMiddleware" in _template("settings.py-tpl")

    def form(request):  # noqa: ANN001, ANN202
        return HttpResponse("posted")

    with routes(path("form", form)):
        assert Client(enforce_csrf_checks=True).post("/form", {"a": "1"}).status_code == 403
        assert Client().post("/form", {"a": "1"}).status_code == 200  # the test client skips the check


@probe("django/content-security-policy")
def test_csp_middleware_sends_a_fresh_nonce_per_request() -> None:
    import re

    from django.template import engines
    from django.utils.csp import CSP

    template = engines["django"].from_string("<script nonce='{{ csp_nonce }}'>1</script>")

    def page(request):  # noqa: ANN001, ANN202
        return HttpResponse(template.render({}, request))

    middleware = ["django.middleware.csp.ContentSecurityPolicyMiddleware"]
    policy = {"default-src": [CSP.SELF], "script-src": [CSP.SELF, CSP.NONCE]}
    nonces = []
    with routes(path("", page), MIDDLEWARE=middleware, SECURE_CSP=policy):
        client = Client()
        for _ in range(2):
            response = client.get("/")
            header = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
            in_body = re.search(r"nonce='([^']+)'", response.content.decode()).group(1)
            assert header == in_body
            nonces.append(header)
    assert nonces[0] != nonces[1], "the nonce did not change between requests"


@probe("django/cors")
def test_no_cors_headers_from_django() -> None:
    import importlib.util

    assert importlib.util.find_spec("django.middleware.cors") is None
    with routes(path("", lambda request: HttpResponse("ok"))):
        response = Client().get("/", headers={"Origin": "https://other.example"})
    assert "Access-Control-Allow-Origin" not in response


# --- ai --------------------------------------------------------------------------------------------------
@probe("django/streaming-responses")
def test_async_iterator_streams_chunk_by_chunk_under_asgi() -> None:
    from django.core.handlers.asgi import ASGIHandler

    async def tokens():  # noqa: ANN202
        for i in range(3):
            yield f"t{i}"

    with routes(path("", lambda request: StreamingHttpResponse(tokens())), MIDDLEWARE=[]):
        messages = asyncio.run(asgi_call(ASGIHandler(), "/"))
    chunks = [m["body"] for m in messages if m["type"] == "http.response.body" and m.get("body")]
    assert chunks == [b"t0", b"t1", b"t2"], chunks


@probe("django/server-sent-events")
def test_no_sse_class_in_django_ninja_frames_events() -> None:
    import django.http
    from ninja.streaming import SSE

    assert not [n for n in dir(django.http) if "event" in n.lower() or "sse" in n.lower()]
    assert SSE.media_type == "text/event-stream"
    assert SSE.format_chunk('{"a": 1}') == 'data: {"a": 1}\n\n'


@probe("django/websockets")
def test_asgi_handler_refuses_websockets_channels_accepts() -> None:
    from asgiref.testing import ApplicationCommunicator
    from channels.generic.websocket import AsyncWebsocketConsumer
    from django.core.handlers.asgi import ASGIHandler
    from djangokit import scope

    async def refuse() -> None:
        await ASGIHandler()(scope("/ws", kind="websocket"), None, None)

    with pytest.raises(ValueError, match="only handle ASGI/HTTP"):
        asyncio.run(refuse())

    class Echo(AsyncWebsocketConsumer):
        async def receive(self, text_data=None, bytes_data=None):  # noqa: ANN001, ANN202
            await self.send(text_data=f"echo:{text_data}")

    async def talk() -> list:
        comm = ApplicationCommunicator(Echo.as_asgi(), {**scope("/ws", kind="websocket"), "subprotocols": []})
        await comm.send_input({"type": "websocket.connect"})
        accepted = await comm.receive_output(2)
        await comm.send_input({"type": "websocket.receive", "text": "hi"})
        reply = await comm.receive_output(2)
        await comm.send_input({"type": "websocket.disconnect", "code": 1000})
        await comm.wait(2)
        return [accepted["type"], reply.get("text")]

    assert asyncio.run(talk()) == ["websocket.accept", "echo:hi"]


_TASK_LOG: list[str] = []


@django.tasks.task
def _job() -> str:
    _TASK_LOG.append("ran")
    return "done"


@django.tasks.task
def _add(a: int, b: int) -> int:
    return a + b


@probe("django/in-process-background-tasks")
def test_tasks_run_at_enqueue_with_the_default_backend() -> None:
    from django.tasks.base import TaskResultStatus

    _TASK_LOG.clear()
    result = _job.enqueue()
    assert _TASK_LOG == ["ran"], "the immediate backend did not run the task inside enqueue()"
    assert result.status == TaskResultStatus.SUCCESSFUL
    import django.http.response as response_module

    assert not [n for n in dir(response_module) if "background" in n.lower()]


@probe("django/task-queue")
def test_builtin_backends_are_for_development_db_backend_queues(django_db: None) -> None:
    from django.tasks.base import TaskResultStatus
    from django_tasks_db import DatabaseBackend

    builtin = {p.stem for p in (DJANGO / "tasks" / "backends").glob("*.py") if p.stem not in ("__init__", "base")}
    assert builtin == {"dummy", "immediate"}, builtin
    tasks_setting = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with override_settings(TASKS=tasks_setting):
        result = _add.enqueue(2, 3)
        assert result.status == TaskResultStatus.READY, "the database backend ran the task at once"
        assert _add.get_result(result.id).status == TaskResultStatus.READY
        assert DatabaseBackend.__module__.startswith("django_tasks_db")


@probe("django/model-lifecycle")
def test_ready_is_sync_and_lifespan_is_refused() -> None:
    from django.apps import AppConfig
    from django.core.handlers.asgi import ASGIHandler
    from djangokit import scope

    assert not inspect.iscoroutinefunction(AppConfig.ready)

    async def lifespan() -> None:
        await ASGIHandler()(scope("/", kind="lifespan"), None, None)

    with pytest.raises(ValueError, match="lifespan"):
        asyncio.run(lifespan())


# --- devex -----------------------------------------------------------------------------------------------
@probe("django/type-hints-drive-behaviour")
def test_django_ignores_hints_ninja_converts() -> None:
    from ninja.testing import TestClient as NinjaClient

    def view(request, n: int):  # noqa: ANN001, ANN202
        return HttpResponse(type(n).__name__)

    with routes(path("<n>/", view)):
        assert Client().get("/5/").content == b"str"
    api = _ninja_api("probe-hints")

    @api.get("/{n}")
    def typed(request, n: int):  # noqa: ANN001, ANN202
        return {"type": type(n).__name__}

    assert NinjaClient(api).get("/5").json() == {"type": "int"}


@probe("django/admin-interface")
def test_admin_lists_registered_models(django_db: None) -> None:
    from django.contrib import admin
    from django.contrib.auth.models import User

    User.objects.filter(username="probe-admin").delete()
    boss = User.objects.create_superuser("probe-admin", "admin@example.com", None)
    client = Client()
    client.force_login(boss)
    with routes(path("admin/", admin.site.urls)):
        listing = client.get("/admin/auth/user/?q=probe")
    assert listing.status_code == 200
    assert b"probe-admin" in listing.content and b'name="q"' in listing.content


@probe("django/test-client")
def test_sync_and_async_clients_without_a_server() -> None:
    async def hello(request):  # noqa: ANN001, ANN202
        return HttpResponse("hello")

    with routes(path("", hello)):
        assert Client().get("/").content == b"hello"
        assert asyncio.run(AsyncClient().get("/")).content == b"hello"


@probe("django/dev-server-reload")
def test_runserver_reloads_by_default() -> None:
    from django.core.management.commands.runserver import Command

    parser = Command().create_parser("manage.py", "runserver")
    options = parser.parse_args([])
    assert options.use_reloader is True
    assert parser.parse_args(["--noreload"]).use_reloader is False
    assert "autoreload" in inspect.getsource(Command.run)


@probe("django/html-templates")
def test_dtl_jinja2_and_partials() -> None:
    from django.template import engines
    from django.template.backends.jinja2 import Jinja2

    dtl = engines["django"].from_string(
        "{% partialdef row %}<li>{{ x }}</li>{% endpartialdef %}{% for x in xs %}{% partial row %}{% endfor %}"
    )
    assert dtl.render({"xs": ["<a>", "b"]}) == "<li>&lt;a&gt;</li><li>b</li>"
    jinja = Jinja2({"NAME": "jinja", "DIRS": [], "APP_DIRS": False, "OPTIONS": {}})
    assert jinja.from_string("{{ 1 + 2 }}").render({}) == "3"


@probe("django/i18n")
def test_translations_formats_and_time_zones() -> None:
    import datetime as dt
    import zoneinfo

    from django.utils import formats, timezone, translation

    with translation.override("de"):
        assert translation.gettext("Yes") == "Ja"
        with override_settings(USE_THOUSAND_SEPARATOR=True):
            assert formats.number_format(1234.5, 1) == "1.234,5"
    moment = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)
    assert timezone.localtime(moment, zoneinfo.ZoneInfo("Europe/Berlin")).hour == 13

    def language(request):  # noqa: ANN001, ANN202
        return HttpResponse(translation.get_language())

    middleware = ["django.contrib.sessions.middleware.SessionMiddleware", "django.middleware.locale.LocaleMiddleware"]
    with routes(path("", language), MIDDLEWARE=middleware, LANGUAGES=[("en", "English"), ("fr", "French")]):
        assert Client().get("/", headers={"Accept-Language": "fr"}).content == b"fr"


# --- ecosystem -------------------------------------------------------------------------------------------
@probe("django/python-versions")
def test_requires_python_and_classifiers() -> None:
    meta = metadata.metadata("Django")
    assert meta["Requires-Python"] == ">=3.12"
    versions = sorted(
        (
            c.rsplit(":: ", 1)[1]
            for c in meta.get_all("Classifier") or []
            if c.startswith("Programming Language :: Python :: 3.")
        ),
        key=lambda v: int(v.split(".")[1]),
    )
    assert versions[0] == "3.12" and versions[-1] == "3.15", versions


@probe("django/license")
def test_licence_in_package_metadata() -> None:
    assert metadata.metadata("Django")["License-Expression"] == "BSD-3-Clause"


@probe("django/stable-api-policy")
def test_two_stage_deprecation_warnings() -> None:
    # The promise itself is policy; code shows its mechanism: a feature deprecated now warns with a pending
    # warning first, then a DeprecationWarning in the next release, and both are silent unless enabled.
    from django.utils import deprecation

    assert issubclass(deprecation.RemovedInNextVersionWarning, DeprecationWarning)
    assert issubclass(deprecation.RemovedAfterNextVersionWarning, PendingDeprecationWarning)
    with warnings.catch_warnings(record=True) as caught:
        warnings.resetwarnings()
        warnings.simplefilter("default")
        warnings.warn("x", deprecation.RemovedAfterNextVersionWarning, stacklevel=1)
    assert len(caught) == 1


@probe("django/observability")
def test_no_opentelemetry_in_django() -> None:
    assert not [p for p in DJANGO.rglob("*.py") if "opentelemetry" in p.read_text(encoding="utf-8", errors="ignore")]


# --- disconnect-cancellation (issue 13) ----------------------------------------
@probe("django/disconnect-cancellation")
def test_asgi_cancels_view_and_stream_on_disconnect_wsgi_stops_the_stream_at_its_next_write() -> None:
    from wsgiref.util import setup_testing_defaults

    from django.core.asgi import get_asgi_application
    from django.core.wsgi import get_wsgi_application

    kinds = ("stream", "plain")
    upstream = {k: asyncio.Event() for k in kinds}  # the model's next token (or whole answer), not here yet
    waiting = {k: asyncio.Event() for k in kinds}  # the view is now awaiting the upstream
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

    async def stream_view(request: Any) -> StreamingHttpResponse:
        return StreamingHttpResponse(tokens(), content_type="text/plain")

    async def plain_view(request: Any) -> JsonResponse:
        try:
            waiting["plain"].set()
            await upstream["plain"].wait()
            how["plain"] = "ran to the end"
            return JsonResponse({"answer": "complete"})
        except asyncio.CancelledError:
            how["plain"] = "cancelled"
            raise
        finally:
            ended["plain"].set()

    # Under WSGI the stream is a plain generator whose next token comes from a blocking client.
    next_token, wsgi_waiting, wsgi_ended = threading.Event(), threading.Event(), threading.Event()
    produced: list[str] = []

    def wsgi_tokens() -> Iterator[bytes]:
        try:
            yield b"first token "
            wsgi_waiting.set()
            next_token.wait(5)
            produced.append("next token")
            yield b"next token "
            produced.append("last token")
            yield b"last token"
            how["wsgi"] = "ran to the end"
        except GeneratorExit:
            how["wsgi"] = "closed"
            raise
        finally:
            wsgi_ended.set()

    def wsgi_stream_view(request: Any) -> StreamingHttpResponse:
        return StreamingHttpResponse(wsgi_tokens(), content_type="text/plain")

    asgi_app = get_asgi_application()

    async def midway(kind: str) -> tuple[UvicornLikeConnection, asyncio.Task[None], bool]:
        streaming = kind != "plain"
        return await disconnect_midway(
            asgi_app, f"/{kind}/", waiting[kind], ended[kind], streaming=streaming, grace=1.0
        )

    async def run_asgi() -> None:
        # ASGIHandler.handle runs the view and the response in an asyncio.TaskGroup beside
        # `listen_for_disconnect`, which raises RequestAborted on `http.disconnect`: the group cancels both.
        for kind in kinds:
            conn, task, stopped = await midway(kind)
            assert stopped and how[kind] == "cancelled", (kind, how)
            await asyncio.wait_for(task, 1.0)
            assert conn.dropped == []  # nothing more was sent after the disconnect
            if kind == "stream":
                assert [m.get("body") for m in conn.sent] == [None, b"first token "]
            else:
                assert conn.sent == []  # the plain view never answered

    with routes(path("stream/", stream_view), path("plain/", plain_view), path("wsgi/", wsgi_stream_view)):
        asyncio.run(run_asgi())

        environ: dict[str, Any] = {}
        setup_testing_defaults(environ)
        environ.update(HTTP_HOST="testserver", PATH_INFO="/wsgi/")
        sock = GoneClient()
        errors: list[BaseException] = []

        def serve() -> None:
            try:
                gthread_handle(get_wsgi_application(), environ, sock)
            except OSError as error:
                errors.append(error)

        worker = threading.Thread(target=serve)
        worker.start()
        assert wsgi_waiting.wait(5)
        sock.gone = True  # the client goes away while the generator waits for the next token
        assert not wsgi_ended.wait(0.3), "nothing tells a WSGI app that the client went away"
        next_token.set()  # the token arrives: the generator yields it, the write fails, close() ends it
        assert wsgi_ended.wait(1.0)
        worker.join(1.0)
    assert how["wsgi"] == "closed" and produced == ["next token"], (how, produced)
    assert sock.received == [b"first token "] and isinstance(errors[0], BrokenPipeError)


# --- error-tracking (issue 13) ----------------------------------------
@probe("django/error-tracking")
def test_sentry_reports_an_unhandled_error_with_url_method_and_user(django_db: None) -> None:
    # The value is `plugin` (sentry-sdk, in requirements.lock): `sentry_sdk.init` alone switches on its Django
    # integration, which patches Django's WSGI and ASGI handlers and listens to `got_request_exception`; with
    # `send_default_pii` it adds `request.user` from django.contrib.auth. The requests go to the real WSGI and ASGI
    # handlers, since the URL and method come from the handler wrappers that Django's test client bypasses.
    import wsgiref.util

    from django.contrib.auth.models import User
    from django.core.handlers.asgi import ASGIHandler
    from django.core.handlers.wsgi import WSGIHandler
    from sentry_sdk.integrations.django import DjangoIntegration

    def answer(request, answer_id):  # noqa: ANN001, ANN202
        raise RuntimeError("model server unreachable")

    User.objects.filter(username="probe-sentry").delete()
    ada = User.objects.create_user("probe-sentry", email="ada@example.com")
    browser = Client()
    browser.force_login(ada)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/answers/7",
        "QUERY_STRING": "q=x",
        "HTTP_COOKIE": f"sessionid={browser.cookies['sessionid'].value}",
    }
    wsgiref.util.setup_testing_defaults(environ)  # host 127.0.0.1, an empty body, the wsgi.* keys
    seen: list[str] = []

    with routes(path("answers/<int:answer_id>", answer)), sentry_events() as events:
        assert sentry_sdk.get_client().get_integration(DjangoIntegration) is not None
        WSGIHandler()(environ, lambda status, headers, exc_info=None: seen.append(status)).close()
        assert seen == ["500 Internal Server Error"]
        assert status(asyncio.run(asgi_call(ASGIHandler(), "/answers/8"))) == 500

    wsgi_event, asgi_event = events
    for event in events:
        assert [e["type"] for e in event["exception"]["values"]] == ["RuntimeError"]
        assert event["exception"]["values"][0]["mechanism"] == {"type": "django", "handled": False}
        assert event["request"]["method"] == "GET"
        assert event["transaction"] == "/answers/{answer_id}"
        assert "django" in event["sdk"]["integrations"]
    assert wsgi_event["request"]["url"] == "http://127.0.0.1/answers/7"
    assert wsgi_event["request"]["query_string"] == "q=x"
    assert wsgi_event["user"] == {"id": str(ada.pk), "email": "ada@example.com", "username": "probe-sentry"}
    assert asgi_event["request"]["url"] == "http://testserver/answers/8"


# --- free-threaded-python (issue 13) ----------------------------------------
@probe("django/free-threaded-python")
def test_no_free_threading_classifier_in_6_1() -> None:
    # The CI half (the 3.14t job exists only on the main branch, for Django 6.2) is a document, not probeable.
    # Code shows the declared half: Django 6.1.3 carries no `Free Threading` classifier, while asgiref, which
    # it requires, declares `2 - Beta`; nothing Django requires is compiled.
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

    def free_threading(dist: str) -> list[str]:
        classifiers = metadata.metadata(dist).get_all("Classifier") or []
        return [c for c in classifiers if c.startswith("Programming Language :: Python :: Free Threading")]

    assert metadata.version("Django") == "6.1.3"
    assert free_threading("Django") == []
    assert free_threading("asgiref") == ["Programming Language :: Python :: Free Threading :: 2 - Beta"]
    assert compiled_requirements("Django") == []


# --- mcp-server (issue 13) ----------------------------------------
@probe("django/mcp-server")
def test_no_mount_for_the_sdk_app_but_a_view_can_run_it_per_request() -> None:
    # The value is `plugin` (django-mcpz, not in requirements.lock): it serves MCP from an ordinary Django view.
    # Code shows the Django half: Django cannot host the official SDK's ASGI app as it is (no mount, and its ASGI
    # handler refuses the lifespan scope that would start the SDK's session manager), but a view can answer MCP
    # itself. Here a view runs the SDK's stateless transport once per request (the way django-mcp-server does)
    # and answers `initialize` and `tools/list` beside an ordinary view.
    from mcp.server import MCPServer
    from mcp.server.transport_security import TransportSecuritySettings

    lifespan = {"type": "lifespan", "asgi": {"version": "3.0"}}

    async def never() -> dict:
        return {"type": "lifespan.startup"}

    async def ignore(message: dict) -> None:
        pass

    with pytest.raises(ValueError, match="lifespan"):
        asyncio.run(ASGIHandler()(lifespan, never, ignore))

    mcp = MCPServer("probe")

    @mcp.tool()
    def add(a: int, b: int) -> int:
        """Add two numbers."""
        return a + b

    @csrf_exempt
    async def mcp_view(request):  # noqa: ANN001, ANN202
        # A fresh stateless JSON-mode app per request, its session manager run just for this request.
        asgi_app = mcp.streamable_http_app(
            stateless_http=True,
            json_response=True,
            transport_security=TransportSecuritySettings(allowed_hosts=["testserver"]),
        )
        sent: list[dict] = []
        body = request.body

        async def receive() -> dict:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict) -> None:
            sent.append(message)

        asgi_scope = {
            "type": "http",
            "http_version": "1.1",
            "method": request.method,
            "scheme": "http",
            "path": "/mcp",
            "raw_path": b"/mcp",
            "query_string": b"",
            "root_path": "",
            "server": ("testserver", 80),
            "headers": [(b"host", request.get_host().encode())]
            + [(k.lower().encode(), v.encode()) for k, v in request.headers.items() if k.lower() != "host"],
        }
        async with mcp.session_manager.run():
            await asgi_app(asgi_scope, receive, send)
        start = next(m for m in sent if m["type"] == "http.response.start")
        content = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        response = HttpResponse(content, status=start["status"])
        for name, value in start["headers"]:
            response[name.decode()] = value.decode()
        return response

    def health(request):  # noqa: ANN001, ANN202
        return JsonResponse({"status": "ok"})

    def rpc(client: Client, message: dict) -> dict:
        answer = client.post(
            "/mcp",
            json.dumps(message),
            content_type="application/json",
            headers={"accept": "application/json, text/event-stream", "mcp-protocol-version": "2025-11-25"},
        )
        assert answer.status_code == 200, answer.content
        return answer.json()["result"]

    hello = {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "probe", "version": "0"}}
    with routes(path("health", health), path("mcp", mcp_view)):
        client = Client()
        assert client.get("/health").json() == {"status": "ok"}
        assert rpc(client, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": hello})["protocolVersion"]
        tools = rpc(client, {"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}})["tools"]
    assert [tool["name"] for tool in tools] == ["add"]


# --- rate-limiting (issue 13) ----------------------------------------
@probe("django/rate-limiting")
def test_no_rate_limiter_and_permission_denied_is_a_403() -> None:
    # The value is `plugin` (django-ratelimit, not in requirements.lock); code shows the framework half: Django has
    # no rate limiter or throttle, and django-ratelimit's `Ratelimited` subclasses PermissionDenied, which Django
    # answers with 403 (a 429 needs the package's RATELIMIT_VIEW or your own 403 handler).
    words = ("ratelimit", "rate_limit", "rate limit", "rate-limit", "throttl")
    hits = [
        str(p.relative_to(DJANGO))
        for p in DJANGO.rglob("*.py")
        if any(w in p.read_text(encoding="utf-8", errors="replace").lower() for w in words)
    ]
    assert hits == [], hits

    def limited(request):  # noqa: ANN001, ANN202
        raise PermissionDenied("over the limit")

    with routes(path("costly", limited)):
        response = Client().get("/costly")
    assert response.status_code == 403 and "Retry-After" not in response


# --- response-caching (issue 13) ----------------------------------------
@probe("django/response-caching")
def test_cache_page_replays_until_the_timeout_and_the_cache_api_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.cache import cache
    from django.core.cache.backends import base as cache_base
    from django.core.cache.backends import locmem
    from django.views.decorators.cache import cache_page

    # A clock the local-memory backend reads, so expiry is shown without sleeping.
    now = [1_000_000.0]
    clock = types.SimpleNamespace(time=lambda: now[0])
    monkeypatch.setattr(cache_base, "time", clock)
    monkeypatch.setattr(locmem, "time", clock)
    cache.clear()
    calls: list[int] = []

    @cache_page(30)
    def answer(request):  # noqa: ANN001, ANN202
        calls.append(1)
        return HttpResponse(f"answer {len(calls)}")

    client = Client()
    with routes(path("answer", answer)):
        first, second = client.get("/answer"), client.get("/answer")
        assert first.content == second.content == b"answer 1", "the second request ran the view"
        assert "max-age=30" in first["Cache-Control"]
        now[0] += 31
        assert client.get("/answer").content == b"answer 2", "the cached page outlived its timeout"
    assert len(calls) == 2

    # Computed values (an embedding, a model answer) go through the same API with a timeout per key.
    cache.set("probe:embedding:hello", [0.12, 0.34], timeout=5)
    assert cache.get("probe:embedding:hello") == [0.12, 0.34]
    now[0] += 6
    assert cache.get("probe:embedding:hello") is None

    # Shared stores ship as backends; their client libraries (redis-py, pymemcache) are installed separately.
    backends = {p.stem for p in (DJANGO / "core" / "cache" / "backends").glob("*.py")}
    assert {"redis", "memcached", "db", "filebased", "locmem"} <= backends, backends
    from django.core.cache.backends.redis import RedisCache

    assert issubclass(RedisCache, cache_base.BaseCache)
