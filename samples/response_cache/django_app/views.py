"""Answer repeated prompts from Django's cache framework with an expiry, calling the model once."""

import hashlib
import json

import httpx
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

MODEL = "alpha"  # the fake provider's model that answers in 0.5 s


# --8<-- [start:main]
def cache_key(prompt: str) -> str:
    return "answer:" + hashlib.sha256(f"{MODEL}\0{prompt}".encode()).hexdigest()


# CSRF protects requests that carry cookies. This API uses none and accepts only application/json
# (checked below), which a page on another site cannot send without this API's CORS consent.
@csrf_exempt
@require_POST
async def complete(request: HttpRequest) -> JsonResponse:
    if request.content_type != "application/json":
        return JsonResponse({"detail": "Send application/json."}, status=415)
    try:
        prompt = json.loads(request.body)["prompt"]
    except RequestDataTooBig:  # over DATA_UPLOAD_MAX_MEMORY_SIZE; Django's default answer is a 400 page
        return JsonResponse({"detail": "Request body too large"}, status=413)
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"detail": 'Send {"prompt": "..."}.'}, status=400)
    if not (isinstance(prompt, str) and 1 <= len(prompt) <= 2000):
        return JsonResponse({"detail": "prompt must be 1 to 2000 characters"}, status=400)

    key = cache_key(prompt)
    if (text := await cache.aget(key)) is not None:
        return JsonResponse({"text": text, "cached": True})
    try:
        async with httpx.AsyncClient(base_url=settings.LLM_BASE_URL, timeout=10) as llm:
            upstream = await llm.post("/v1/complete", json={"model": MODEL, "prompt": prompt})
        upstream.raise_for_status()
        text = upstream.json()["text"]
    except (httpx.HTTPError, ValueError, KeyError):  # failures are not cached
        return JsonResponse({"detail": "the model failed; try again"}, status=502)
    await cache.aset(key, text)  # kept for CACHES["default"]["TIMEOUT"] seconds
    return JsonResponse({"text": text, "cached": False})


# --8<-- [end:main]
