"""The LLM client the view calls; tests replace `complete` with a fake."""

import httpx
from django.conf import settings


async def complete(prompt: str) -> str:
    async with httpx.AsyncClient(base_url=settings.LLM_BASE_URL, timeout=10) as client:
        response = await client.post("/v1/complete", json={"model": "alpha", "prompt": prompt})
        response.raise_for_status()
        return response.json()["text"]
