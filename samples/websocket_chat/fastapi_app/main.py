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
MAX_PROMPT = 2000
BAD_MESSAGE = {"type": "error", "detail": 'send {"prompt": "..."} with 1 to 2000 characters'}


def prompt_from(text: str) -> str | None:
    try:
        message = json.loads(text)
    except ValueError:
        return None
    prompt = message.get("prompt") if isinstance(message, dict) else None
    return prompt if isinstance(prompt, str) and 1 <= len(prompt) <= MAX_PROMPT else None


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
                # receive_text, not receive_json: invalid JSON gets an error message, not a dead socket.
                prompt = prompt_from(await websocket.receive_text())
                if prompt is None:
                    await websocket.send_json(BAD_MESSAGE)
                    continue
                try:
                    async with llm.stream("POST", "/v1/stream", json={"prompt": prompt}) as upstream:
                        upstream.raise_for_status()
                        async for line in upstream.aiter_lines():
                            if line:
                                token = json.loads(line)["token"]
                                await websocket.send_json({"type": "token", "text": token})
                except (httpx.HTTPError, ValueError, KeyError):
                    await websocket.send_json({"type": "error", "detail": "the model failed; try again"})
                    continue
                turns += 1
                await websocket.send_json({"type": "done", "turn": turns})
        except WebSocketDisconnect:
            pass  # the client left; the `async with` closes the upstream connection


# --8<-- [end:main]
