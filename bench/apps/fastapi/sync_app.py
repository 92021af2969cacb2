"""FastAPI with plain `def` endpoints: FastAPI runs each in its threadpool (40 threads by default).

Run: uvicorn bench.apps.fastapi.sync_app:app
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx2
from fastapi import FastAPI
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

# One shared, thread-safe client per process.
http = httpx2.Client()

app = FastAPI()


@app.get("/json")
def hello() -> dict:
    return common.HELLO


@app.post("/validated")
def validated(body: CompletionRequest) -> CompletionEstimate:
    return CompletionEstimate(**common.completion_estimate(body.user_id, body.prompt, body.max_tokens))


@app.get("/upstream")
def upstream() -> dict:
    response = http.post(common.upstream_url(), json=common.UPSTREAM_REQUEST)
    response.raise_for_status()
    return common.completion_from(response.json())


@app.get("/sse", response_class=EventSourceResponse)
def sse() -> Iterator[ServerSentEvent]:
    for i in range(common.SSE_TOKENS):
        time.sleep(common.SSE_INTERVAL_S)
        yield ServerSentEvent(raw_data=common.sse_token(i))


@app.get("/cpu")
def cpu() -> dict:
    return common.cpu_answer()


@app.get("/db")
def db(session: SessionDep) -> list[Item]:
    return list(session.exec(FIRST_ITEMS).all())


@app.get("/db-pg")
def db_pg(session: PgSessionDep) -> list[Item]:
    return list(session.exec(FIRST_ITEMS).all())
