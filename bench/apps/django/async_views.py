"""Plain Django, async function views, served over ASGI by uvicorn.

The ORM call uses Django's async query API (it still runs the SQLite driver in a thread).
"""

import asyncio
from collections.abc import AsyncIterator

from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from bench.apps import common
from bench.apps.django.clients import async_client
from bench.apps.django.forms import validate
from bench.apps.django.models import FIRST_ITEM_FIELDS, first_items


@require_GET
async def hello(request: HttpRequest) -> HttpResponse:
    return JsonResponse(common.HELLO)


@csrf_exempt
@require_POST
async def validated(request: HttpRequest) -> HttpResponse:
    estimate, errors = validate(request.body)
    if errors:
        return JsonResponse(errors, status=422)
    return JsonResponse(estimate)


@require_GET
async def upstream(request: HttpRequest) -> HttpResponse:
    response = await async_client().post(common.upstream_url(), json=common.UPSTREAM_REQUEST)
    response.raise_for_status()
    return JsonResponse(common.completion_from(response.json()))


@require_GET
async def sse(request: HttpRequest) -> StreamingHttpResponse:
    async def events() -> AsyncIterator[str]:
        for i in range(common.SSE_TOKENS):
            await asyncio.sleep(common.SSE_INTERVAL_S)
            yield common.sse_event(i)

    response = StreamingHttpResponse(events(), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
async def cpu(request: HttpRequest) -> HttpResponse:
    return JsonResponse(common.cpu_answer())


@require_GET
async def db(request: HttpRequest, alias: str = "default") -> HttpResponse:
    rows = [row async for row in first_items(alias).values(*FIRST_ITEM_FIELDS)]
    return JsonResponse(rows, safe=False)


urlpatterns = [
    path("json", hello),
    path("validated", validated),
    path("upstream", upstream),
    path("sse", sse),
    path("cpu", cpu),
    path("db", db),
    path("db-pg", db, {"alias": "pg"}),
]
