"""Answer repeated prompts from an in-process cache with an expiry (cachetools), calling the model once."""

import hashlib
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import httpx
from cachetools import TTLCache
from fastapi import Depends, FastAPI, HTTPException, Request
from pydantic import BaseModel, Field

LLM_BASE_URL = os.environ.get("LLM_BASE_URL", "http://127.0.0.1:8001")
MODEL = "alpha"  # the fake provider's model that answers in 0.5 s
CACHE_SECONDS = int(os.environ.get("CACHE_SECONDS", "300"))


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
    async with httpx.AsyncClient(base_url=LLM_BASE_URL, timeout=10) as client:
        yield {"llm": client}


app = FastAPI(lifespan=lifespan, max_body_size=1024 * 1024)


def get_llm(request: Request) -> httpx.AsyncClient:
    return request.state.llm


# --8<-- [start:main]
# One cache per process: at most 1024 answers, each kept CACHE_SECONDS. Several workers each keep
# their own; sharing one needs a store such as Redis and a client for it.
answers: TTLCache[str, str] = TTLCache(maxsize=1024, ttl=CACHE_SECONDS)


def cache_key(prompt: str) -> str:
    return hashlib.sha256(f"{MODEL}\0{prompt}".encode()).hexdigest()


class CompleteIn(BaseModel):
    prompt: str = Field(min_length=1, max_length=2000)


class CompleteOut(BaseModel):
    text: str
    cached: bool


@app.post("/api/complete")
async def complete(body: CompleteIn, llm: Annotated[httpx.AsyncClient, Depends(get_llm)]) -> CompleteOut:
    key = cache_key(body.prompt)
    if (text := answers.get(key)) is not None:
        return CompleteOut(text=text, cached=True)
    try:
        upstream = await llm.post("/v1/complete", json={"model": MODEL, "prompt": body.prompt})
        upstream.raise_for_status()
        text = upstream.json()["text"]
    except (httpx.HTTPError, ValueError, KeyError) as exc:  # failures are not cached
        raise HTTPException(status_code=502, detail="the model failed; try again") from exc
    answers[key] = text
    return CompleteOut(text=text, cached=False)


# --8<-- [end:main]
