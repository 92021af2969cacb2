"""OpenAPI schema and Swagger UI from FastAPI itself: every route and model is documented."""

from typing import Literal

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

# --8<-- [start:app]
app = FastAPI(
    title="Chat API",
    version="1.0.0",
    description="Answers chat conversations with a language model.",
    openapi_url="/api/openapi.json",  # defaults: /openapi.json, /docs and /redoc
    docs_url="/api/docs",
    redoc_url=None,
    max_body_size=1024 * 1024,
)
# --8<-- [end:app]


# --8<-- [start:main]
class Message(BaseModel):
    role: Literal["system", "user", "assistant"]
    content: str = Field(min_length=1, max_length=4000, examples=["What is ASGI?"])


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")  # as in json-validation: a misspelt field is an error

    model: str = Field(pattern=r"^[a-z0-9-]+$", max_length=40, examples=["tiny-1"])
    messages: list[Message] = Field(min_length=1, max_length=50)
    temperature: float = Field(default=0.7, ge=0, le=2, description="Sampling temperature.")
    max_tokens: int = Field(default=256, ge=1, le=4096, description="Upper bound on the reply length.")


class ChatResponse(BaseModel):
    model: str
    reply: str
    prompt_words: int


@app.post("/api/chat", tags=["chat"], summary="Answer a chat conversation")
async def chat(payload: ChatRequest) -> ChatResponse:
    """Returns the model's reply to the last message. Invalid input is answered with 422."""
    words = sum(len(m.content.split()) for m in payload.messages)
    reply = f"You said: {payload.messages[-1].content}"
    return ChatResponse(model=payload.model, reply=reply, prompt_words=words)


# --8<-- [end:main]
