"""Probes of data/frameworks/django-ninja.yaml: each test shows one of Django Ninja's own facts on the pinned release.

Django Ninja is a layer on Django (`extends: django`): only the facts where it differs from Django are written
in its file, so only those have probes here. `@probe("django-ninja/<criterion>")` names the fact; a failure
says which fact to revisit (macros/probes.py). Django is configured once in conftest.py; requests go through
Ninja's test clients or Django's, in-process.
"""

import asyncio
import inspect
import warnings
from importlib import metadata
from pathlib import Path

import ninja
from django.core.handlers.asgi import ASGIHandler
from django.test import Client
from django.urls import path
from djangokit import asgi_call, routes
from ninja import NinjaAPI, Schema
from ninja.security import APIKeyHeader
from ninja.testing import TestClient
from ninja.throttling import AuthRateThrottle

from macros.probes import probe

NINJA = Path(ninja.__file__).parent


class ItemIn(Schema):
    name: str
    price: float


class Out(Schema):
    a: int


def _api(namespace: str) -> NinjaAPI:
    return NinjaAPI(urls_namespace=f"ninja-probe-{namespace}")


# --- performance ---------------------------------------------------------------------------------------
@probe("django-ninja/compiled-validation")
def test_schemas_validate_and_dump_in_pydantic_core() -> None:
    import pydantic
    import pydantic_core
    from ninja.renderers import JSONRenderer

    assert issubclass(Schema, pydantic.BaseModel) and pydantic.VERSION.startswith("2.")
    assert pydantic_core._pydantic_core.__file__.endswith((".so", ".pyd"))
    assert any(r.replace(" ", "").startswith("pydantic>=2") for r in metadata.requires("django-ninja") or [])
    # Input and output both go through the compiled validator; the JSON text itself is the stdlib's job.
    source = inspect.getsource(ninja.operation.Operation._result_to_response)
    assert "model_validate(" in source and "model_dump(" in source
    assert "json.dumps(" in inspect.getsource(JSONRenderer.render)


# --- api -------------------------------------------------------------------------------------------------
@probe("django-ninja/request-validation")
def test_annotated_parameters_are_validated_with_a_422_listing_each_error() -> None:
    api = _api("validation")

    @api.post("/shops/{shop_id}/items")
    def create(request, shop_id: int, item: ItemIn, q: int):  # noqa: ANN001, ANN202
        return {"shop_id": shop_id, "name": item.name, "q": q}

    client = TestClient(api)
    bad = client.post("/shops/x/items?q=y", json={"name": ["no"], "price": "cheap"})
    assert bad.status_code == 422
    detail = bad.json()["detail"]
    assert {tuple(e["loc"][:2]) for e in detail} >= {("path", "shop_id"), ("query", "q"), ("body", "item")}, detail
    assert all({"type", "loc", "msg"} <= set(e) for e in detail), detail
    good = client.post("/shops/3/items?q=4", json={"name": "pen", "price": 1.5})
    assert good.status_code == 200 and good.json() == {"shop_id": 3, "name": "pen", "q": 4}


@probe("django-ninja/openapi")
def test_openapi_document_and_swagger_ui_without_extra_code() -> None:
    api = _api("openapi")

    @api.get("/ping", response=Out)
    def ping(request):  # noqa: ANN001, ANN202
        return {"a": 1}

    with routes(path("api/", api.urls)):
        document = Client().get("/api/openapi.json").json()
        docs = Client().get("/api/docs")
    assert document["openapi"] == "3.1.0", document["openapi"]
    assert "/api/ping" in document["paths"] and "Out" in document["components"]["schemas"]
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


@probe("django-ninja/response-serialization")
def test_response_schema_filters_and_serializes() -> None:
    api = _api("response")

    class Thing:
        a = "7"
        secret = "hidden"

    @api.get("/dict", response=Out)
    def as_dict(request):  # noqa: ANN001, ANN202
        return {"a": 1, "secret": "x"}

    @api.get("/object", response=list[Out])
    def as_objects(request):  # noqa: ANN001, ANN202
        return [Thing()]

    client = TestClient(api)
    assert client.get("/dict").json() == {"a": 1}
    assert client.get("/object").json() == [{"a": 7}]


# --- security --------------------------------------------------------------------------------------------
@probe("django-ninja/token-auth-helpers")
def test_bearer_and_api_key_helpers_but_no_oauth2() -> None:
    from ninja.security import APIKeyCookie, APIKeyHeader, APIKeyQuery, HttpBasicAuth, HttpBearer

    assert not [p for p in NINJA.rglob("*.py") if "oauth2" in p.read_text().lower()]
    assert APIKeyQuery and APIKeyCookie and HttpBasicAuth

    class Bearer(HttpBearer):
        def authenticate(self, request, token):  # noqa: ANN001, ANN202
            return token if token == "s3cret" else None

    class Key(APIKeyHeader):
        param_name = "X-API-Key"

        def authenticate(self, request, key):  # noqa: ANN001, ANN202
            return key if key == "k1" else None

    api = _api("auth")

    @api.get("/bearer", auth=Bearer())
    def bearer(request):  # noqa: ANN001, ANN202
        return {"auth": request.auth}

    @api.get("/key", auth=Key())
    def key(request):  # noqa: ANN001, ANN202
        return {"auth": request.auth}

    client = TestClient(api)
    assert client.get("/bearer", headers={"Authorization": "Bearer s3cret"}).json() == {"auth": "s3cret"}
    assert client.get("/bearer", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/key", headers={"X-API-Key": "k1"}).json() == {"auth": "k1"}
    schemes = api.get_openapi_schema(path_prefix="")["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}, schemes


# --- ai --------------------------------------------------------------------------------------------------
@probe("django-ninja/server-sent-events")
def test_sse_response_frames_validated_items_from_async_generators() -> None:
    from ninja.streaming import SSE

    api = _api("sse")

    @api.get("/events", response=SSE[Out])
    async def events(request):  # noqa: ANN001, ANN202
        for i in range(3):
            await asyncio.sleep(0)
            yield {"a": i, "secret": "x"}

    with routes(path("api/", api.urls), MIDDLEWARE=[]):
        messages = asyncio.run(asgi_call(ASGIHandler(), "/api/events"))
    start = next(m for m in messages if m["type"] == "http.response.start")
    assert start["status"] == 200 and (b"content-type", b"text/event-stream") in [
        (k.lower(), v.split(b";")[0]) for k, v in start["headers"]
    ], start
    chunks = [m["body"].decode() for m in messages if m["type"] == "http.response.body" and m.get("body")]
    assert chunks == ['data: {"a": 0}\n\n', 'data: {"a": 1}\n\n', 'data: {"a": 2}\n\n'], chunks  # one by one
    assert SSE.format_chunk("{}") == "data: {}\n\n"  # data lines only: no event names, ids or retry hints


# --- devex -----------------------------------------------------------------------------------------------
@probe("django-ninja/type-hints-drive-behaviour")
def test_annotations_decide_parsing_validation_and_docs() -> None:
    api = _api("hints")

    @api.get("/n/{n}")
    def typed(request, n: int, flag: bool = False):  # noqa: ANN001, ANN202
        return {"n": type(n).__name__, "flag": flag}

    client = TestClient(api)
    assert client.get("/n/5?flag=yes").json() == {"n": "int", "flag": True}
    assert client.get("/n/five").status_code == 422
    params = api.get_openapi_schema(path_prefix="")["paths"]["/n/{n}"]["get"]["parameters"]
    assert {p["name"]: p["schema"]["type"] for p in params} == {"n": "integer", "flag": "boolean"}, params


# --- ecosystem -------------------------------------------------------------------------------------------
@probe("django-ninja/python-versions")
def test_declared_python_versions_stop_at_3_14() -> None:
    meta = metadata.metadata("django-ninja")
    assert meta["Requires-Python"] == ">=3.7"
    versions = sorted(
        (
            c.rsplit(":: ", 1)[1]
            for c in meta.get_all("Classifier") or []
            if c.startswith("Programming Language :: Python :: 3.")
        ),
        key=lambda v: int(v.split(".")[1]),
    )
    assert versions[0] == "3.7" and versions[-1] == "3.14", versions
    assert metadata.metadata("Django")["Requires-Python"] == ">=3.12"  # so 3.12 - 3.14 with Django 6.1


@probe("django-ninja/license")
def test_mit_licence() -> None:
    meta = metadata.metadata("django-ninja")
    assert "License :: OSI Approved :: MIT License" in (meta.get_all("Classifier") or [])
    licence = Path(str(metadata.distribution("django-ninja").locate_file(""))) / "django_ninja-1.7.1.dist-info"
    texts = [p.read_text() for p in licence.rglob("LICENSE*")]
    assert texts and "MIT License" in texts[0].splitlines()[0], texts[:1]


@probe("django-ninja/stable-api-policy")
def test_deprecated_tuple_return_warns_but_still_works() -> None:
    api = _api("deprecation")

    @api.post("/old", response={201: Out})
    def old(request):  # noqa: ANN001, ANN202
        return 201, {"a": 1}

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        response = TestClient(api).post("/old")
    assert response.status_code == 201 and response.json() == {"a": 1}
    assert any(issubclass(w.category, DeprecationWarning) and "Status" in str(w.message) for w in caught), caught
    assert int(ninja.__version__.split(".")[0]) >= 1


# --- rate-limiting (issue 13) ----------------------------------------
@probe("django-ninja/rate-limiting")
def test_auth_throttle_answers_429_with_retry_after_per_key() -> None:
    from django.core.cache import cache

    now = [1_000_000.0]

    class Clocked(AuthRateThrottle):
        timer = staticmethod(lambda: now[0])  # a clock the throttle reads, so the window is shown without sleeping

    class Key(APIKeyHeader):
        param_name = "X-API-Key"

        def authenticate(self, request, key):  # noqa: ANN001, ANN202
            return key if key in {"alice-key", "bob-key"} else None

    api = _api("throttle")
    calls: list[str] = []

    @api.get("/costly", auth=Key(), throttle=Clocked("2/min"))
    def costly(request):  # noqa: ANN001, ANN202
        calls.append(request.auth)
        return {"ok": True}

    cache.clear()
    client = TestClient(api)
    alice, bob = {"X-API-Key": "alice-key"}, {"X-API-Key": "bob-key"}
    assert [client.get("/costly", headers=alice).status_code for _ in range(2)] == [200, 200]
    now[0] += 10
    over = client.get("/costly", headers=alice)
    assert over.status_code == 429 and over.json() == {"detail": "Too many requests."}
    assert over["Retry-After"] == "50", "Retry-After should be the seconds left in the key's window"
    assert client.get("/costly", headers=bob).status_code == 200, "another key shares Alice's budget"
    now[0] += 51
    assert client.get("/costly", headers=alice).status_code == 200, "the window did not move on"
    assert calls == ["alice-key", "alice-key", "bob-key", "alice-key"]
