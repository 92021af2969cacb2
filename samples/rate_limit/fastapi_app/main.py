"""A per-user limit on a costly endpoint with slowapi: 429 with Retry-After, other users unaffected."""

import hashlib
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import httpx
from fastapi import Depends, FastAPI, HTTPException, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from slowapi import Limiter, _rate_limit_exceeded_handler
from slowapi.errors import RateLimitExceeded

LLM_BASE_URL = os.environ.get("LLM_BASE_URL", "http://127.0.0.1:8001")
MODEL = "alpha"  # the fake provider's model that answers in 0.5 s
CHAT_LIMIT = os.environ.get("CHAT_LIMIT", "10/minute")


def api_key_users() -> dict[str, str]:
    """API_KEYS="alice:<key>,bob:<key>" from the environment, as {sha256 of the key: user}."""
    raw = os.environ.get("API_KEYS", "")
    if not raw:
        raise RuntimeError("Set the API_KEYS environment variable (user:key pairs, comma-separated).")
    pairs = (item.split(":", 1) for item in raw.split(","))
    return {hashlib.sha256(key.encode()).hexdigest(): user for user, key in pairs}


USERS = api_key_users()


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
    async with httpx.AsyncClient(base_url=LLM_BASE_URL, timeout=10) as client:
        yield {"llm": client}


app = FastAPI(lifespan=lifespan, max_body_size=1024 * 1024)


def get_llm(request: Request) -> httpx.AsyncClient:
    return request.state.llm


# --8<-- [start:main]
def current_user(
    request: Request, bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(HTTPBearer(auto_error=False))]
) -> str:
    user = USERS.get(hashlib.sha256(bearer.credentials.encode()).hexdigest()) if bearer else None
    if user is None:
        raise HTTPException(401, "Unknown API key", headers={"WWW-Authenticate": "Bearer"})
    request.state.user = user
    return user


def user_key(request: Request) -> str:
    # Dependencies run before slowapi checks the limit, so current_user has set this.
    return str(request.state.user)


# In this process's memory; several workers need a shared store: Limiter(storage_uri="redis://...").
limiter = Limiter(key_func=user_key, headers_enabled=True)  # headers: Retry-After and X-RateLimit-*
app.state.limiter = limiter
# slowapi's 429 handler, as its docs register it (typed for its own exception, hence the ignore).
app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)  # type: ignore[arg-type]


class ChatIn(BaseModel):
    prompt: str = Field(min_length=1, max_length=2000)


class ChatOut(BaseModel):
    text: str


@app.post("/api/chat")
@limiter.limit(CHAT_LIMIT)
async def chat(
    request: Request,  # slowapi needs the request and, to add its headers, the response
    response: Response,
    body: ChatIn,
    user: Annotated[str, Depends(current_user)],
    llm: Annotated[httpx.AsyncClient, Depends(get_llm)],
) -> ChatOut:
    try:
        upstream = await llm.post("/v1/complete", json={"model": MODEL, "prompt": body.prompt})
        upstream.raise_for_status()
        return ChatOut(text=upstream.json()["text"])
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        raise HTTPException(status_code=502, detail="the model failed; try again") from exc


# --8<-- [end:main]
