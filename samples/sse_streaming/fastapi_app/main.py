"""Relay an LLM's token stream to the browser as server-sent events with FastAPI's EventSourceResponse."""

import json
import os
from collections.abc import AsyncIterable, AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import httpx
from fastapi import Depends, FastAPI, Query, Request
from fastapi.sse import EventSourceResponse, ServerSentEvent

LLM_BASE_URL = os.environ.get("LLM_BASE_URL", "http://127.0.0.1:8001")


# --8<-- [start:main]
@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
    # One pooled HTTP client for the whole process, closed at shutdown.
    async with httpx.AsyncClient(base_url=LLM_BASE_URL, timeout=httpx.Timeout(30, connect=5)) as client:
        yield {"llm": client}


app = FastAPI(lifespan=lifespan, max_body_size=1024 * 1024)


def get_llm(request: Request) -> httpx.AsyncClient:
    return request.state.llm


@app.get("/api/chat/stream", response_class=EventSourceResponse)
async def stream_chat(
    prompt: Annotated[str, Query(min_length=1, max_length=2000)],
    llm: Annotated[httpx.AsyncClient, Depends(get_llm)],
) -> AsyncIterable[ServerSentEvent]:
    try:
        async with llm.stream("POST", "/v1/stream", json={"prompt": prompt}) as upstream:
            upstream.raise_for_status()
            async for line in upstream.aiter_lines():
                if line:
                    # `data` is JSON-encoded for us; FastAPI also sends keep-alive pings
                    # and the no-cache / no-buffering headers.
                    yield ServerSentEvent(data={"token": json.loads(line)["token"]})
    except (httpx.HTTPError, ValueError, KeyError):
        # The 200 and headers are already sent: report the failure as an event of its own.
        yield ServerSentEvent(event="error", data={"detail": "the model failed; try again"})
        return
    yield ServerSentEvent(event="done", data={"finish_reason": "stop"})


# --8<-- [end:main]
