"""Ask several LLMs at once from a plain async Django view (run under ASGI) with httpx.AsyncClient."""

import asyncio
import json

import httpx
from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

PER_CALL_SECONDS = 1.0


# --8<-- [start:main]
async def ask(llm: httpx.AsyncClient, model: str, prompt: str) -> dict:
    try:
        async with asyncio.timeout(PER_CALL_SECONDS):  # a deadline for the whole call
            response = await llm.post("/v1/complete", json={"model": model, "prompt": prompt})
    except TimeoutError:
        return {"model": model, "ok": False, "text": None, "error": "timeout"}
    except httpx.HTTPError as exc:
        return {"model": model, "ok": False, "text": None, "error": type(exc).__name__}
    if response.is_error:
        return {"model": model, "ok": False, "text": None, "error": f"status {response.status_code}"}
    return {"model": model, "ok": True, "text": response.json()["text"], "error": None}


@csrf_exempt  # a JSON API for other services, not a browser form
@require_POST
async def compare(request: HttpRequest) -> JsonResponse:
    try:
        payload = json.loads(request.body)
        prompt, models = payload["prompt"], payload["models"]
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"detail": 'Send {"prompt": "...", "models": ["..."]}.'}, status=400)
    if not (isinstance(prompt, str) and 1 <= len(prompt) <= 2000):
        return JsonResponse({"detail": "prompt must be 1 to 2000 characters"}, status=400)
    if not (isinstance(models, list) and 1 <= len(models) <= 8
            and all(isinstance(model, str) for model in models)):
        return JsonResponse({"detail": "models must be a list of 1 to 8 names"}, status=400)

    # All calls are in flight at once; each failure is caught inside ask(), so one slow
    # or broken upstream never cancels the others.
    async with httpx.AsyncClient(base_url=settings.LLM_BASE_URL, timeout=10) as llm:
        answers = await asyncio.gather(*(ask(llm, model, prompt) for model in models))
    return JsonResponse({"results": answers})
# --8<-- [end:main]
