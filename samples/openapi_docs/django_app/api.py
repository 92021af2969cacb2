"""OpenAPI schema and Swagger UI with Django Ninja, the idiomatic way to get them in Django."""

from typing import Literal

from ninja import NinjaAPI, Schema
from pydantic import ConfigDict, Field

# --8<-- [start:app]
api = NinjaAPI(
    title="Chat API",
    version="1.0.0",
    description="Answers chat conversations with a language model.",
    # defaults, relative to where urls.py mounts the API (here /api/): openapi.json and docs
)
# --8<-- [end:app]


# --8<-- [start:main]
class Message(Schema):
    role: Literal["system", "user", "assistant"]
    content: str = Field(min_length=1, max_length=4000, examples=["What is ASGI?"])


class ChatRequest(Schema):
    model_config = ConfigDict(extra="forbid")  # as in json-validation: a misspelt field is an error

    model: str = Field(pattern=r"^[a-z0-9-]+$", max_length=40, examples=["tiny-1"])
    messages: list[Message] = Field(min_length=1, max_length=50)
    temperature: float = Field(default=0.7, ge=0, le=2, description="Sampling temperature.")
    max_tokens: int = Field(default=256, ge=1, le=4096, description="Upper bound on the reply length.")


class ChatResponse(Schema):
    model: str
    reply: str
    prompt_words: int


@api.post("/chat", response=ChatResponse, tags=["chat"], summary="Answer a chat conversation")
def chat(request, payload: ChatRequest):
    """Returns the model's reply to the last message. Invalid input is answered with 422."""
    words = sum(len(m.content.split()) for m in payload.messages)
    reply = f"You said: {payload.messages[-1].content}"
    return {"model": payload.model, "reply": reply, "prompt_words": words}


# --8<-- [end:main]
