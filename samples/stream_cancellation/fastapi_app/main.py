"""Stop the model call when the client hangs up: FastAPI stops a stream by itself, a plain request needs a watcher."""

import asyncio
import json
import os
from collections.abc import AsyncIterable, AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from typing import Annotated, Any

import httpx
from fastapi import Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import BaseModel, Field

LLM_BASE_URL = os.environ.get("LLM_BASE_URL", "http://127.0.0.1:8001")
MODEL = "slow"  # the fake provider's model that takes 5 s to answer


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
    # One pooled HTTP client for the whole process, closed at shutdown.
    async with httpx.AsyncClient(base_url=LLM_BASE_URL, timeout=httpx.Timeout(30, connect=5)) as client:
        yield {"llm": client}


app = FastAPI(lifespan=lifespan, max_body_size=1024 * 1024)


def get_llm(request: Request) -> httpx.AsyncClient:
    return request.state.llm


# --8<-- [start:stream]
@app.get("/api/chat/stream", response_class=EventSourceResponse)
async def stream_chat(
    prompt: Annotated[str, Query(min_length=1, max_length=2000)],
    llm: Annotated[httpx.AsyncClient, Depends(get_llm)],
) -> AsyncIterable[ServerSentEvent]:
    # Nothing to add for a stream: when the client hangs up, the response is cancelled and this
    # generator with it, at whatever it awaits; leaving `async with` closes the upstream connection,
    # so the provider stops generating (and billing).
    try:
        async with llm.stream("POST", "/v1/stream", json={"prompt": prompt}) as upstream:
            upstream.raise_for_status()
            async for line in upstream.aiter_lines():
                if line:
                    yield ServerSentEvent(data={"token": json.loads(line)["token"]})
    except (httpx.HTTPError, ValueError, KeyError):
        yield ServerSentEvent(event="error", data={"detail": "the model failed; try again"})
        return
    yield ServerSentEvent(event="done", data={"finish_reason": "stop"})


# --8<-- [end:stream]
# --8<-- [start:plain]
class ClientLeft(Exception):
    """The client disconnected before the answer was ready."""


async def unless_client_leaves[T](request: Request, work: Awaitable[T]) -> T:
    """Await `work`, cancelling it as soon as the client disconnects.

    FastAPI runs a plain endpoint to the end even when nobody waits for its answer, so the
    endpoint watches the connection itself while the model works.
    """
    task = asyncio.ensure_future(work)
    while True:
        done, _ = await asyncio.wait({task}, timeout=0.1)
        if done:
            return task.result()
        if await request.is_disconnected():
            task.cancel()  # closes the upstream request: the provider stops
            raise ClientLeft


@app.exception_handler(ClientLeft)
async def client_left(request: Request, exc: ClientLeft) -> Response:
    # The server discards this answer, as nobody is listening; 499 is nginx's "client closed request".
    return Response(status_code=499)


class ChatIn(BaseModel):
    prompt: str = Field(min_length=1, max_length=2000)


class ChatOut(BaseModel):
    text: str


@app.post("/api/chat")
async def chat(body: ChatIn, request: Request, llm: Annotated[httpx.AsyncClient, Depends(get_llm)]) -> ChatOut:
    call = llm.post("/v1/complete", json={"model": MODEL, "prompt": body.prompt})
    try:
        upstream = await unless_client_leaves(request, call)
        upstream.raise_for_status()
        return ChatOut(text=upstream.json()["text"])
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        raise HTTPException(status_code=502, detail="the model failed; try again") from exc


# --8<-- [end:plain]
