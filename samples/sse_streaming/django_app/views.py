"""Relay an LLM's token stream as server-sent events from a plain async Django view (run under ASGI)."""

import json
from typing import Any

import httpx
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET


# --8<-- [start:main]
def sse(data: dict[str, Any], event: str | None = None) -> str:
    """One event in the text/event-stream wire format."""
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {json.dumps(data)}\n\n"


@require_GET
async def stream_chat(request: HttpRequest) -> HttpResponse:
    prompt = request.GET.get("prompt", "")
    if not 1 <= len(prompt) <= 2000:
        return JsonResponse({"detail": "prompt must be 1 to 2000 characters"}, status=400)

    async def events():
        # No app-wide startup hook in Django: the client lives as long as this stream.
        timeout = httpx.Timeout(30, connect=5)
        try:
            async with (
                httpx.AsyncClient(base_url=settings.LLM_BASE_URL, timeout=timeout) as llm,
                llm.stream("POST", "/v1/stream", json={"prompt": prompt}) as upstream,
            ):
                upstream.raise_for_status()
                async for line in upstream.aiter_lines():
                    if line:
                        yield sse({"token": json.loads(line)["token"]})
        except (httpx.HTTPError, ValueError, KeyError):
            # The 200 and headers are already sent: report the failure as an event of its own.
            yield sse({"detail": "the model failed; try again"}, event="error")
            return
        yield sse({"finish_reason": "stop"}, event="done")

    # An async iterator: under ASGI each chunk is sent as soon as it is yielded.
    return StreamingHttpResponse(
        events(),
        content_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


# --8<-- [end:main]
