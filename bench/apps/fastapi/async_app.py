"""FastAPI with `async def` endpoints: the style FastAPI's docs lead with for I/O-bound work.

Run: uvicorn bench.apps.fastapi.async_app:app (or granian --interface asgi ...).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx2
from fastapi import FastAPI, Request
from fastapi.sse import EventSourceResponse, ServerSentEvent

from bench.apps import common
from bench.apps.fastapi.models import (
    FIRST_ITEMS,
    CompletionEstimate,
    CompletionRequest,
    Item,
    PgSessionDep,
    SessionDep,
)


@asynccontextmanager
async def lifespan(app: FastAPI):
    # One shared client per process, created on the server's event loop.
    async with httpx2.AsyncClient() as client:
        app.state.http = client
        yield


app = FastAPI(lifespan=lifespan)


@app.get("/json")
async def hello() -> dict:
    return common.HELLO


@app.post("/validated")
async def validated(body: CompletionRequest) -> CompletionEstimate:
    return CompletionEstimate(**common.completion_estimate(body.user_id, body.prompt, body.max_tokens))


@app.get("/upstream")
async def upstream(request: Request) -> dict:
    response = await request.app.state.http.post(common.upstream_url(), json=common.UPSTREAM_REQUEST)
    response.raise_for_status()
    return common.completion_from(response.json())


@app.get("/sse", response_class=EventSourceResponse)
async def sse() -> AsyncIterator[ServerSentEvent]:
    for i in range(common.SSE_TOKENS):
        await asyncio.sleep(common.SSE_INTERVAL_S)
        yield ServerSentEvent(raw_data=common.sse_token(i))


@app.get("/cpu")
async def cpu() -> dict:
    return common.cpu_answer()


@app.get("/db")
async def db(session: SessionDep) -> list[Item]:
    return list(session.exec(FIRST_ITEMS).all())


@app.get("/db-pg")
async def db_pg(session: PgSessionDep) -> list[Item]:
    return list(session.exec(FIRST_ITEMS).all())
