"""A WebSocket chat consumer with Django Channels that streams each LLM reply token by token."""

import json

import httpx
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

# --8<-- [start:main]
MAX_PROMPT = 2000
BAD_MESSAGE = {"type": "error", "detail": 'send {"prompt": "..."} with 1 to 2000 characters'}


class ChatConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        self.turns = 0
        timeout = httpx.Timeout(30, connect=5)
        self.llm = httpx.AsyncClient(base_url=settings.LLM_BASE_URL, timeout=timeout)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.llm.aclose()

    @classmethod
    async def decode_json(cls, text_data: str):
        try:
            return json.loads(text_data)
        except ValueError:
            return None  # invalid JSON: receive_json answers with an error, the socket stays open

    async def receive_json(self, content, **kwargs) -> None:
        # Channels hands this consumer one message at a time, in order.
        prompt = content.get("prompt") if isinstance(content, dict) else None
        if not isinstance(prompt, str) or not 1 <= len(prompt) <= MAX_PROMPT:
            await self.send_json(BAD_MESSAGE)
            return
        try:
            async with self.llm.stream("POST", "/v1/stream", json={"prompt": prompt}) as upstream:
                upstream.raise_for_status()
                async for line in upstream.aiter_lines():
                    if line:
                        await self.send_json({"type": "token", "text": json.loads(line)["token"]})
        except (httpx.HTTPError, ValueError, KeyError):
            await self.send_json({"type": "error", "detail": "the model failed; try again"})
            return
        self.turns += 1
        await self.send_json({"type": "done", "turn": self.turns})


# --8<-- [end:main]
