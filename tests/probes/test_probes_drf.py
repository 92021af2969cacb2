"""Probes of data/frameworks/drf.yaml: each test shows one of Django REST framework's own facts on the pinned DRF.

DRF is a layer on Django (`extends: django`): only the facts where it differs from Django are written in its
file, so only those have probes here. `@probe("drf/<criterion>")` names the fact; a failure says which fact to
revisit (macros/probes.py). Django is configured once in conftest.py; requests go through Django's test
clients in-process.
"""

import asyncio
import inspect
import json
import threading
import time
from collections.abc import AsyncIterator
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import rest_framework
from django.http import StreamingHttpResponse
from django.test import AsyncClient, Client
from django.urls import path
from djangokit import routes
from probekit import UvicornLikeConnection
from rest_framework import serializers
from rest_framework.decorators import api_view, throttle_classes
from rest_framework.response import Response
from rest_framework.views import APIView

from macros.probes import probe

DRF = Path(rest_framework.__file__).parent


class ItemSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=5)
    price = serializers.FloatField()


def _close_unawaited(error: BaseException) -> None:
    """Close the handler coroutines DRF never awaited (found in the traceback), so they do not warn later."""
    tb = error.__traceback__
    while tb is not None:
        for value in tb.tb_frame.f_locals.values():
            if inspect.iscoroutine(value):
                value.close()
        tb = tb.tb_next


# --- performance ---------------------------------------------------------------------------------------
@probe("drf/async-handlers")
def test_async_def_handlers_are_refused() -> None:
    # The value is `plugin` (adrf, not in requirements.lock); what code shows here is the framework half: DRF's
    # own APIView and @api_view call the handler without awaiting it, so an `async def` handler never runs.
    class AsyncView(APIView):
        async def get(self, request):  # noqa: ANN001, ANN202
            return Response({"ran": True})

    @api_view(["GET"])
    async def async_function(request):  # noqa: ANN001, ANN202
        return Response({"ran": True})

    assert not inspect.iscoroutinefunction(APIView.dispatch)
    for view in (AsyncView.as_view(), async_function):
        with routes(path("async", view)):
            with pytest.raises(AssertionError, match="coroutine") as refused:
                Client(raise_request_exception=True).get("/async")
            _close_unawaited(refused.value)
            with pytest.raises(AssertionError, match="coroutine") as refused:
                asyncio.run(AsyncClient(raise_request_exception=True).get("/async"))
            _close_unawaited(refused.value)
    assert "async" not in (DRF / "views.py").read_text()


@probe("drf/compiled-validation")
def test_serializers_and_json_rendering_are_pure_python() -> None:
    from rest_framework.renderers import JSONRenderer

    compiled = [p for p in DRF.rglob("*") if p.suffix in (".so", ".pyd")]
    assert compiled == [], compiled
    requires = [r.split(";")[0].strip().lower() for r in metadata.requires("djangorestframework") or []]
    assert requires == ["django>=5.2"], requires
    assert inspect.getsourcefile(serializers.Serializer).endswith(".py")
    assert "json.dumps(" in inspect.getsource(JSONRenderer.render)


# --- api -------------------------------------------------------------------------------------------------
@probe("drf/request-validation")
def test_serializers_validate_bodies_path_and_query_stay_untyped() -> None:
    seen: dict[str, str] = {}

    @api_view(["POST"])
    def create(request, shop_id: int):  # noqa: ANN001, ANN202
        seen["shop_id"] = type(shop_id).__name__
        seen["q"] = type(request.query_params.get("q")).__name__
        item = ItemSerializer(data=request.data)
        item.is_valid(raise_exception=True)  # the view calls the validation; nothing reads the signature
        return Response(item.validated_data)

    with routes(path("shops/<shop_id>/items", create)):
        bad = Client().post("/shops/7/items?q=x", {"name": "toolong", "price": "cheap"}, "application/json")
        good = Client().post("/shops/7/items?q=x", {"name": "pen", "price": "1.5"}, "application/json")
    assert bad.status_code == 400
    errors = bad.json()
    assert set(errors) == {"name", "price"} and all(isinstance(v, list) for v in errors.values()), errors
    assert good.status_code == 200 and good.json() == {"name": "pen", "price": 1.5}
    assert seen == {"shop_id": "str", "q": "str"}, seen


@probe("drf/openapi")
def test_no_docs_ui_in_drf_spectacular_serves_schema_and_swagger() -> None:
    # DRF's own generator still ships (its docs deprecate it) but has no interactive docs page: no Swagger UI
    # or ReDoc templates. drf-spectacular (in requirements.lock) serves the document and a Swagger UI page.
    from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

    templates = [p.name.lower() for p in (DRF / "templates").rglob("*")]
    assert not [n for n in templates if "swagger" in n or "redoc" in n], templates

    @api_view(["GET"])
    def ping(request):  # noqa: ANN001, ANN202
        return Response({"pong": True})

    with routes(
        path("ping", ping),
        path("schema", SpectacularAPIView.as_view(), name="schema"),
        path("docs", SpectacularSwaggerView.as_view(url_name="schema")),
    ):
        schema = Client().get("/schema?format=json")
        docs = Client().get("/docs")
    document = json.loads(schema.content)
    assert document["openapi"].startswith("3.") and "/ping" in document["paths"], document.get("paths")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


@probe("drf/response-serialization")
def test_serializer_class_filters_returned_objects() -> None:
    from rest_framework.generics import RetrieveAPIView

    class Thing:
        name = "pen"
        price = 1.5
        secret = "hidden"

    class ThingView(RetrieveAPIView):
        serializer_class = ItemSerializer
        authentication_classes: list = []
        permission_classes: list = []

        def get_object(self):  # noqa: ANN202
            return Thing()

    with routes(path("thing", ThingView.as_view())):
        response = Client().get("/thing", headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.json() == {"name": "pen", "price": 1.5}


@probe("drf/dependency-injection")
def test_handlers_get_only_request_and_url_arguments() -> None:
    class Service:
        pass

    class NeedsService(APIView):
        def get(self, request, service: Service):  # noqa: ANN001, ANN202
            return Response({"injected": True})

    with routes(path("svc", NeedsService.as_view())), pytest.raises(TypeError, match="service"):
        Client(raise_request_exception=True).get("/svc")


# --- security --------------------------------------------------------------------------------------------
@probe("drf/token-auth-helpers")
def test_token_and_basic_only_no_bearer_api_key_or_oauth2(django_db: None) -> None:
    # The value is `plugin` (django-oauth-toolkit, djangorestframework-simplejwt: not in requirements.lock);
    # code shows the built-in part: a `Token` header scheme and HTTP Basic, nothing for OAuth2 or API keys.
    import rest_framework.authentication as auth

    classes = {n for n, c in vars(auth).items() if inspect.isclass(c) and issubclass(c, auth.BaseAuthentication)}
    assert classes == {
        "BaseAuthentication",
        "BasicAuthentication",
        "SessionAuthentication",
        "TokenAuthentication",
        "RemoteUserAuthentication",
    }, classes
    assert auth.TokenAuthentication.keyword == "Token"
    assert not [p for p in DRF.rglob("*.py") if "oauth" in p.read_text().lower() or "Bearer" in p.read_text()]

    class Whoami(APIView):
        authentication_classes = [auth.TokenAuthentication]

        def get(self, request):  # noqa: ANN001, ANN202
            return Response({"user": str(request.user)})

    with routes(path("me", Whoami.as_view())):
        assert Client().get("/me", headers={"Authorization": "Token nope"}).status_code == 401
        assert Client().get("/me", headers={"Authorization": "Bearer nope"}).json() == {"user": "AnonymousUser"}


# --- ai --------------------------------------------------------------------------------------------------
@probe("drf/server-sent-events")
def test_no_event_stream_renderer_in_drf() -> None:
    # The value is `plugin` (django-eventstream, not in requirements.lock); code shows DRF's half: no renderer,
    # response or parser speaks `text/event-stream`.
    assert not [p for p in DRF.rglob("*.py") if "event-stream" in p.read_text() or "EventSource" in p.read_text()]
    from rest_framework import renderers

    media = {getattr(c, "media_type", None) for c in vars(renderers).values() if inspect.isclass(c)}
    assert "text/event-stream" not in media, media


# --- devex -----------------------------------------------------------------------------------------------
@probe("drf/type-hints-drive-behaviour")
def test_annotations_are_ignored() -> None:
    class Typed(APIView):
        def get(self, request, n: int):  # noqa: ANN001, ANN202
            return Response({"type": type(n).__name__})

    with routes(path("n/<n>", Typed.as_view())):
        assert Client().get("/n/5").json() == {"type": "str"}
        assert Client().get("/n/five").json() == {"type": "str"}  # no 4xx: the annotation is not checked


# --- disconnect-cancellation (issue 13) ----------------------------------------
@probe("drf/disconnect-cancellation")
def test_a_sync_view_runs_on_after_disconnect_a_django_stream_from_it_is_cancelled() -> None:
    # The value is `plugin` (adrf, not in requirements.lock: its async views are cancelled by Django's ASGI handler
    # like Django's own); what code shows here is DRF's half under uvicorn. A DRF view is a plain `def`, which
    # Django runs in a thread that a disconnect cannot stop: the upstream call goes on to its end and the answer is
    # thrown away. A Django StreamingHttpResponse with an async generator, returned from a DRF view, is still
    # cancelled at once, by Django.
    from django.core.asgi import get_asgi_application

    answer, view_waiting, view_done = threading.Event(), threading.Event(), threading.Event()
    how: dict[str, str] = {}
    finished_at: list[float] = []
    upstream, stream_waiting, stream_ended = asyncio.Event(), asyncio.Event(), asyncio.Event()

    class Answer(APIView):
        def get(self, request: Any) -> Response:
            view_waiting.set()
            answer.wait(5)
            how["plain"] = "ran to the end"
            finished_at.append(time.monotonic())
            view_done.set()
            return Response({"answer": "complete"})

    async def tokens() -> AsyncIterator[str]:
        try:
            yield "first token "
            stream_waiting.set()
            await upstream.wait()
            yield "next token"
            how["stream"] = "ran to the end"
        except asyncio.CancelledError:
            how["stream"] = "cancelled"
            raise
        finally:
            stream_ended.set()

    class Tokens(APIView):
        def get(self, request: Any) -> StreamingHttpResponse:
            return StreamingHttpResponse(tokens(), content_type="text/plain")

    app = get_asgi_application()

    async def run() -> None:
        conn = UvicornLikeConnection("/stream/")
        task = asyncio.create_task(app(conn.scope, conn.receive, conn.send))
        await asyncio.wait_for(stream_waiting.wait(), 5)
        await asyncio.wait_for(conn.first_body.wait(), 5)
        conn.client_goes_away()
        await asyncio.wait_for(stream_ended.wait(), 1.0)
        await asyncio.wait_for(task, 1.0)
        assert how["stream"] == "cancelled"

        conn = UvicornLikeConnection("/plain/")
        task = asyncio.create_task(app(conn.scope, conn.receive, conn.send))
        assert await asyncio.to_thread(view_waiting.wait, 5)
        conn.client_goes_away()
        gone_at = time.monotonic()
        threading.Timer(0.5, answer.set).start()  # the upstream answers half a second after the client left
        await asyncio.wait_for(task, 3.0)
        assert await asyncio.to_thread(view_done.wait, 3)
        assert how["plain"] == "ran to the end" and finished_at[0] - gone_at >= 0.4, (how, finished_at)
        assert conn.sent == []  # its answer went nowhere

    with routes(path("stream/", Tokens.as_view()), path("plain/", Answer.as_view())):
        asyncio.run(run())


# --- rate-limiting (issue 13) ----------------------------------------
@probe("drf/rate-limiting")
def test_user_throttle_answers_429_with_retry_after(django_db: None) -> None:
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from rest_framework.throttling import UserRateThrottle

    now = [1_000_000.0]

    class TwoPerMinute(UserRateThrottle):
        scope = "probe-costly"  # the cache key holds the scope and the user id
        rate = "2/min"
        timer = staticmethod(lambda: now[0])  # a clock the throttle reads, so the window is shown without sleeping

    calls: list[str] = []

    @api_view(["GET"])
    @throttle_classes([TwoPerMinute])
    def costly(request):  # noqa: ANN001, ANN202
        calls.append(request.user.username)
        return Response({"ok": True})

    User.objects.filter(username__in=["probe-alice", "probe-bob"]).delete()
    alice, bob = Client(), Client()
    for client, name in ((alice, "probe-alice"), (bob, "probe-bob")):
        user = User.objects.create_user(name)
        cache.delete(f"throttle_probe-costly_{user.pk}")
        client.force_login(user)

    with routes(path("costly", costly)):
        assert [alice.get("/costly").status_code for _ in range(2)] == [200, 200]
        now[0] += 10
        over = alice.get("/costly")
        assert over.status_code == 429, over.status_code
        assert over["Retry-After"] == "50", "Retry-After should be the seconds left in Alice's window"
        assert "50 seconds" in over.json()["detail"]
        assert bob.get("/costly").status_code == 200, "another user shares Alice's budget"
        now[0] += 51
        assert alice.get("/costly").status_code == 200, "the window did not move on"
    assert calls == ["probe-alice", "probe-alice", "probe-bob", "probe-alice"]
