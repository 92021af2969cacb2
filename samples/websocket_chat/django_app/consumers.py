"""A WebSocket chat consumer with Django Channels that streams each LLM reply token by token."""

import json

import httpx
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings


# --8<-- [start:main]
class ChatConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        self.turns = 0
        timeout = httpx.Timeout(30, connect=5)
        self.llm = httpx.AsyncClient(base_url=settings.LLM_BASE_URL, timeout=timeout)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.llm.aclose()

    async def receive_json(self, content, **kwargs) -> None:
        # Channels hands this consumer one message at a time, in order.
        prompt = content.get("prompt") if isinstance(content, dict) else None
        if not isinstance(prompt, str) or not prompt:
            await self.send_json({"type": "error", "detail": 'send {"prompt": "..."}'})
            return
        self.turns += 1
        async with self.llm.stream("POST", "/v1/stream", json={"prompt": prompt}) as upstream:
            async for line in upstream.aiter_lines():
                if line:
                    await self.send_json({"type": "token", "text": json.loads(line)["token"]})
        await self.send_json({"type": "done", "turn": self.turns})
# --8<-- [end:main]
