"""A per-user limit on a costly endpoint with Django Ninja's throttling: 429 with Retry-After."""

import hashlib

import httpx
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle
from pydantic import Field

MODEL = "alpha"  # the fake provider's model that answers in 0.5 s


# --8<-- [start:main]
class ApiKey(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> str | None:
        # The user's name becomes request.auth, which AuthRateThrottle keys the limit on.
        return settings.API_KEY_USERS.get(hashlib.sha256(token.encode()).hexdigest())


api = NinjaAPI(title="Chat API", auth=ApiKey())


@api.exception_handler(RequestDataTooBig)  # over DATA_UPLOAD_MAX_MEMORY_SIZE; Django's default is an HTML 400
def body_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(request, {"detail": "Request body too large"}, status=413)


class ChatIn(Schema):
    prompt: str = Field(min_length=1, max_length=2000)


class ChatOut(Schema):
    text: str


# Counts live in Django's cache (CACHES in settings): per process with the default, shared with Redis.
@api.post("/chat", response=ChatOut, throttle=[AuthRateThrottle(settings.CHAT_LIMIT)])
async def chat(request: HttpRequest, body: ChatIn) -> dict[str, str]:
    try:
        async with httpx.AsyncClient(base_url=settings.LLM_BASE_URL, timeout=10) as llm:
            upstream = await llm.post("/v1/complete", json={"model": MODEL, "prompt": body.prompt})
        upstream.raise_for_status()
        return {"text": upstream.json()["text"]}
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        raise HttpError(502, "the model failed; try again") from exc


# --8<-- [end:main]
