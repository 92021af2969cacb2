"""Typed request validation in FastAPI: the Pydantic models in the signature are the contract."""

from typing import Literal

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

# --8<-- [start:main]
# Larger bodies get 413 before they are read: without a limit, FastAPI reads and parses any size.
app = FastAPI(title="Chat API", max_body_size=1024 * 1024)


class Message(BaseModel):
    role: Literal["system", "user", "assistant"]
    content: str = Field(min_length=1, max_length=4000)


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt field is an error, not silently dropped

    model: str = Field(pattern=r"^[a-z0-9-]+$", max_length=40)
    messages: list[Message] = Field(min_length=1, max_length=50)
    temperature: float = Field(default=0.7, ge=0, le=2)
    max_tokens: int = Field(default=256, ge=1, le=4096)


class ChatResponse(BaseModel):
    model: str
    reply: str
    prompt_words: int


@app.post("/api/chat")
async def chat(payload: ChatRequest) -> ChatResponse:
    # Only valid input gets here; anything else was already answered with 422.
    words = sum(len(m.content.split()) for m in payload.messages)
    reply = f"You said: {payload.messages[-1].content}"
    return ChatResponse(model=payload.model, reply=reply, prompt_words=words)


# --8<-- [end:main]
