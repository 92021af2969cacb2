"""Ask several LLMs at once with one pooled httpx.AsyncClient; a slow one times out alone."""

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import httpx
from fastapi import Depends, FastAPI, Request
from pydantic import BaseModel, Field

LLM_BASE_URL = os.environ.get("LLM_BASE_URL", "http://127.0.0.1:8001")
PER_CALL_SECONDS = 1.0


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
    # One pooled client for the process: connections are reused across requests.
    async with httpx.AsyncClient(base_url=LLM_BASE_URL, timeout=10) as client:
        yield {"llm": client}


app = FastAPI(lifespan=lifespan, max_body_size=1024 * 1024)


def get_llm(request: Request) -> httpx.AsyncClient:
    return request.state.llm


# --8<-- [start:main]
ModelName = Annotated[str, Field(pattern=r"^[a-z0-9-]{1,40}$")]


class CompareIn(BaseModel):
    prompt: str = Field(min_length=1, max_length=2000)
    models: list[ModelName] = Field(min_length=1, max_length=8)


class Answer(BaseModel):
    model: str
    ok: bool
    text: str | None = None
    error: str | None = None


class CompareOut(BaseModel):
    results: list[Answer]


async def ask(llm: httpx.AsyncClient, model: str, prompt: str) -> Answer:
    try:
        async with asyncio.timeout(PER_CALL_SECONDS):  # a deadline for the whole call
            response = await llm.post("/v1/complete", json={"model": model, "prompt": prompt})
        if response.is_error:
            return Answer(model=model, ok=False, error=f"status {response.status_code}")
        text = response.json()["text"]
    except TimeoutError:
        return Answer(model=model, ok=False, error="timeout")
    except httpx.HTTPError as exc:
        return Answer(model=model, ok=False, error=type(exc).__name__)
    except (ValueError, KeyError, TypeError):  # a reply that is not the JSON we expect
        return Answer(model=model, ok=False, error="bad reply")
    return Answer(model=model, ok=True, text=text)


@app.post("/api/compare")
async def compare(payload: CompareIn, llm: Annotated[httpx.AsyncClient, Depends(get_llm)]) -> CompareOut:
    # All calls are in flight at once; each failure is caught inside ask(), so one slow
    # or broken upstream never cancels the others (an unexpected bug would cancel them all).
    async with asyncio.TaskGroup() as group:
        calls = [group.create_task(ask(llm, model, payload.prompt)) for model in payload.models]
    return CompareOut(results=[call.result() for call in calls])


# --8<-- [end:main]
