"""The endpoint under test: summarise a text with an LLM that arrives as a dependency."""

import os
from collections.abc import AsyncIterator
from typing import Annotated

import httpx
from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel, Field

LLM_BASE_URL = os.environ.get("LLM_BASE_URL", "http://127.0.0.1:8001")

app = FastAPI(max_body_size=1024 * 1024)


# --8<-- [start:main]
class LLM:
    def __init__(self, client: httpx.AsyncClient):
        self.client = client

    async def complete(self, prompt: str) -> str:
        response = await self.client.post("/v1/complete", json={"model": "alpha", "prompt": prompt})
        response.raise_for_status()
        return response.json()["text"]


async def get_llm() -> AsyncIterator[LLM]:
    # A client per request keeps this sample short; a service shares one pooled client from the
    # lifespan (see the sse-streaming and llm-fan-out samples) and the override works the same way.
    async with httpx.AsyncClient(base_url=LLM_BASE_URL, timeout=10) as client:
        yield LLM(client)


class SummaryIn(BaseModel):
    text: str = Field(min_length=1, max_length=20_000)


class SummaryOut(BaseModel):
    summary: str


@app.post("/api/summaries")
async def summarise(payload: SummaryIn, llm: Annotated[LLM, Depends(get_llm)]) -> SummaryOut:
    try:
        summary = await llm.complete(f"Summarise: {payload.text}")
    except httpx.HTTPError:
        raise HTTPException(status_code=502, detail="LLM unavailable") from None
    return SummaryOut(summary=summary)


# --8<-- [end:main]
