"""Typed request validation in Django with Django Ninja: Pydantic schemas in the view signature."""

from typing import Literal

from django.core.exceptions import RequestDataTooBig
from ninja import NinjaAPI, Schema
from pydantic import ConfigDict, Field

# --8<-- [start:main]
api = NinjaAPI(title="Chat API")


@api.exception_handler(RequestDataTooBig)  # over DATA_UPLOAD_MAX_MEMORY_SIZE; Django's default is an HTML 400
def body_too_large(request, exc):
    return api.create_response(request, {"detail": "Request body too large"}, status=413)


class Message(Schema):
    role: Literal["system", "user", "assistant"]
    content: str = Field(min_length=1, max_length=4000)


class ChatRequest(Schema):
    model_config = ConfigDict(extra="forbid")  # a misspelt field is an error, not silently dropped

    model: str = Field(pattern=r"^[a-z0-9-]+$", max_length=40)
    messages: list[Message] = Field(min_length=1, max_length=50)
    temperature: float = Field(default=0.7, ge=0, le=2)
    max_tokens: int = Field(default=256, ge=1, le=4096)


class ChatResponse(Schema):
    model: str
    reply: str
    prompt_words: int


@api.post("/chat", response=ChatResponse)
def chat(request, payload: ChatRequest):
    # Only valid input gets here; anything else was already answered with 422.
    words = sum(len(m.content.split()) for m in payload.messages)
    reply = f"You said: {payload.messages[-1].content}"
    return {"model": payload.model, "reply": reply, "prompt_words": words}


# --8<-- [end:main]
