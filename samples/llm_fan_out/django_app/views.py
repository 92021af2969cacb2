"""Ask several LLMs at once from a plain async Django view (run under ASGI) with httpx.AsyncClient."""

import asyncio
import json
import re
from typing import Any

import httpx
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

PER_CALL_SECONDS = 1.0
MODEL_NAME = re.compile(r"[a-z0-9-]{1,40}")


# --8<-- [start:main]
async def ask(llm: httpx.AsyncClient, model: str, prompt: str) -> dict[str, Any]:
    try:
        async with asyncio.timeout(PER_CALL_SECONDS):  # a deadline for the whole call
            response = await llm.post("/v1/complete", json={"model": model, "prompt": prompt})
        if response.is_error:
            return {"model": model, "ok": False, "text": None, "error": f"status {response.status_code}"}
        text = response.json()["text"]
    except TimeoutError:
        return {"model": model, "ok": False, "text": None, "error": "timeout"}
    except httpx.HTTPError as exc:
        return {"model": model, "ok": False, "text": None, "error": type(exc).__name__}
    except (ValueError, KeyError, TypeError):  # a reply that is not the JSON we expect
        return {"model": model, "ok": False, "text": None, "error": "bad reply"}
    return {"model": model, "ok": True, "text": text, "error": None}


# CSRF protects requests that carry cookies. This API uses none and accepts only application/json
# (checked below), which a page on another site cannot send without this API's CORS consent.
@csrf_exempt
@require_POST
async def compare(request: HttpRequest) -> JsonResponse:
    if request.content_type != "application/json":
        return JsonResponse({"detail": "Send application/json."}, status=415)
    try:
        payload = json.loads(request.body)
        prompt, models = payload["prompt"], payload["models"]
    except RequestDataTooBig:  # over DATA_UPLOAD_MAX_MEMORY_SIZE; Django's default answer is a 400 page
        return JsonResponse({"detail": "Request body too large"}, status=413)
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"detail": 'Send {"prompt": "...", "models": ["..."]}.'}, status=400)
    if not (isinstance(prompt, str) and 1 <= len(prompt) <= 2000):
        return JsonResponse({"detail": "prompt must be 1 to 2000 characters"}, status=400)
    if not (
        isinstance(models, list)
        and 1 <= len(models) <= 8
        and all(isinstance(model, str) and MODEL_NAME.fullmatch(model) for model in models)
    ):
        return JsonResponse({"detail": "models must be a list of 1 to 8 names (a-z, 0-9, -)"}, status=400)

    # All calls are in flight at once; each failure is caught inside ask(), so one slow
    # or broken upstream never cancels the others (an unexpected bug would cancel them all).
    async with httpx.AsyncClient(base_url=settings.LLM_BASE_URL, timeout=10) as llm, asyncio.TaskGroup() as group:
        calls = [group.create_task(ask(llm, model, prompt)) for model in models]
    return JsonResponse({"results": [call.result() for call in calls]})


# --8<-- [end:main]
