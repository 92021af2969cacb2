"""A WebSocket chat that streams each LLM reply token by token, with FastAPI's WebSocket routes."""

import json
import os
from urllib.parse import urlsplit

import httpx
from fastapi import FastAPI, WebSocket, WebSocketDisconnect, status

LLM_BASE_URL = os.environ.get("LLM_BASE_URL", "http://127.0.0.1:8001")
ALLOWED_ORIGIN_HOSTS = {"127.0.0.1", "localhost"}

app = FastAPI(max_body_size=1024 * 1024)


# --8<-- [start:main]
@app.websocket("/ws/chat")
async def chat(websocket: WebSocket) -> None:
    # Browsers send Origin on WebSocket handshakes; refuse pages from other sites (CSWSH).
    if urlsplit(websocket.headers.get("origin", "")).hostname not in ALLOWED_ORIGIN_HOSTS:
        await websocket.close(code=status.WS_1008_POLICY_VIOLATION)  # before accept: HTTP 403
        return
    await websocket.accept()
    turns = 0
    async with httpx.AsyncClient(base_url=LLM_BASE_URL, timeout=httpx.Timeout(30, connect=5)) as llm:
        try:
            while True:
                message = await websocket.receive_json()
                prompt = message.get("prompt") if isinstance(message, dict) else None
                if not isinstance(prompt, str) or not prompt:
                    await websocket.send_json({"type": "error", "detail": 'send {"prompt": "..."}'})
                    continue
                turns += 1
                async with llm.stream("POST", "/v1/stream", json={"prompt": prompt}) as upstream:
                    async for line in upstream.aiter_lines():
                        if line:
                            token = json.loads(line)["token"]
                            await websocket.send_json({"type": "token", "text": token})
                await websocket.send_json({"type": "done", "turn": turns})
        except WebSocketDisconnect:
            pass  # the client left; the `async with` closes the upstream connection
# --8<-- [end:main]
