"""The endpoint under test, with Django Ninja: summarise a text with an LLM."""

import httpx
from ninja import NinjaAPI, Schema
from pydantic import Field

from . import llm

api = NinjaAPI()


# --8<-- [start:main]
class SummaryIn(Schema):
    text: str = Field(min_length=1, max_length=20_000)


class SummaryOut(Schema):
    summary: str


class Error(Schema):
    detail: str


@api.post("/summaries", response={200: SummaryOut, 502: Error})
async def summarise(request, payload: SummaryIn):
    try:
        summary = await llm.complete(f"Summarise: {payload.text}")
    except httpx.HTTPError:
        return 502, {"detail": "LLM unavailable"}
    return {"summary": summary}


# --8<-- [end:main]
