"""Django Ninja with async operations, served over ASGI by uvicorn."""

import asyncio

from django.http import StreamingHttpResponse
from django.urls import path
from ninja import Field, ModelSchema, NinjaAPI, Schema

from bench.apps import common
from bench.apps.django.clients import async_client
from bench.apps.django.models import Item, first_items

api = NinjaAPI()


class CompletionRequest(Schema):
    user_id: int = Field(ge=common.USER_ID_MIN)
    prompt: str = Field(min_length=1, max_length=common.PROMPT_MAX_CHARS)
    max_tokens: int = Field(ge=1, le=common.MAX_TOKENS_MAX)
    temperature: float = Field(ge=0, le=common.TEMPERATURE_MAX)


class CompletionEstimate(Schema):
    user_id: int
    prompt_chars: int
    estimated_tokens: int


class ItemOut(ModelSchema):
    class Meta:
        model = Item
        fields = ["id", "name", "price_cents"]


@api.get("/json")
async def hello(request):
    return common.HELLO


@api.post("/validated", response=CompletionEstimate)
async def validated(request, body: CompletionRequest):
    return common.completion_estimate(body.user_id, body.prompt, body.max_tokens)


@api.get("/upstream")
async def upstream(request):
    response = await async_client().post(common.upstream_url(), json=common.UPSTREAM_REQUEST)
    response.raise_for_status()
    return common.completion_from(response.json())


@api.get("/sse")
async def sse(request):
    async def events():
        for i in range(common.SSE_TOKENS):
            await asyncio.sleep(common.SSE_INTERVAL_S)
            yield common.sse_event(i)

    response = StreamingHttpResponse(events(), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    return response


@api.get("/cpu")
async def cpu(request):
    return common.cpu_answer()


@api.get("/db", response=list[ItemOut])
async def db(request):
    return [item async for item in first_items()]


@api.get("/db-pg", response=list[ItemOut])
async def db_pg(request):
    return [item async for item in first_items("pg")]


urlpatterns = [path("", api.urls)]
