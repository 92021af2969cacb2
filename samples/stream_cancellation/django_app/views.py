"""Stop the model call when the client hangs up: under ASGI, Django cancels the view, streaming or not."""

import json
from typing import Any

import httpx
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

MODEL = "slow"  # the fake provider's model that takes 5 s to answer
TIMEOUT = httpx.Timeout(30, connect=5)


def sse(data: dict[str, Any], event: str | None = None) -> str:
    """One event in the text/event-stream wire format."""
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {json.dumps(data)}\n\n"


# --8<-- [start:stream]
@require_GET
async def stream_chat(request: HttpRequest) -> HttpResponse:
    prompt = request.GET.get("prompt", "")
    if not 1 <= len(prompt) <= 2000:
        return JsonResponse({"detail": "prompt must be 1 to 2000 characters"}, status=400)

    async def events():
        # Nothing to add: when the client hangs up, Django's ASGI handler cancels the response,
        # and this generator with it, at whatever it awaits; leaving `async with` closes the
        # upstream connection, so the provider stops generating (and billing).
        try:
            async with (
                httpx.AsyncClient(base_url=settings.LLM_BASE_URL, timeout=TIMEOUT) as llm,
                llm.stream("POST", "/v1/stream", json={"prompt": prompt}) as upstream,
            ):
                upstream.raise_for_status()
                async for line in upstream.aiter_lines():
                    if line:
                        yield sse({"token": json.loads(line)["token"]})
        except (httpx.HTTPError, ValueError, KeyError):
            yield sse({"detail": "the model failed; try again"}, event="error")
            return
        yield sse({"finish_reason": "stop"}, event="done")

    return StreamingHttpResponse(
        events(),
        content_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


# --8<-- [end:stream]
# --8<-- [start:plain]
# CSRF protects requests that carry cookies. This API uses none and accepts only application/json
# (checked below), which a page on another site cannot send without this API's CORS consent.
@csrf_exempt
@require_POST
async def chat(request: HttpRequest) -> JsonResponse:
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

    # Nothing to add here either: under ASGI, Django cancels the view when the client hangs up
    # (asyncio.CancelledError at the await below), which closes the upstream request.
    try:
        async with httpx.AsyncClient(base_url=settings.LLM_BASE_URL, timeout=TIMEOUT) as llm:
            upstream = await llm.post("/v1/complete", json={"model": MODEL, "prompt": prompt})
        upstream.raise_for_status()
        return JsonResponse({"text": upstream.json()["text"]})
    except (httpx.HTTPError, ValueError, KeyError):
        return JsonResponse({"detail": "the model failed; try again"}, status=502)


# --8<-- [end:plain]
