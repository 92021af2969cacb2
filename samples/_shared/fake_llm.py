"""A local stand-in for an LLM provider, used by the sample tests instead of a real API.

It is a bare ASGI application (no framework, so it favours neither side) that the tests start with
Uvicorn on 127.0.0.1. Nothing here talks to the network.

    POST /v1/stream    {"prompt": "..."}            -> NDJSON lines {"token": "..."}, one every TOKEN_DELAY s
                       (503 for the prompt FAILING_PROMPT)
    POST /v1/complete  {"model": "...", "prompt": "..."} -> {"model": ..., "text": ...} after the model's delay
                       (model "garbled" answers 200 without "text"; an unknown model gets 404)
    GET  /v1/stats                                   -> {"requests": n, "max_in_flight": n}
    POST /v1/stats/reset                             -> zeroes the counters
"""

from __future__ import annotations

import asyncio
import json
import re

TOKEN_DELAY = 0.15
MODEL_DELAYS = {"alpha": 0.5, "beta": 0.5, "gamma": 0.5, "slow": 5.0, "garbled": 0.1}
FAILING_PROMPT = "upstream-down"  # /v1/stream answers 503 to this prompt, as an overloaded provider would

_stats = {"requests": 0, "in_flight": 0, "max_in_flight": 0, "generation": 0}


def reply_for(prompt: str) -> str:
    """The text the fake model answers; the tests compute the same string."""
    return f"You said: {prompt}"


def tokens_for(prompt: str) -> list[str]:
    """Word-sized tokens that join back to `reply_for(prompt)`."""
    return re.findall(r"\s*\S+", reply_for(prompt))


async def _read_json(receive) -> dict:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    return json.loads(body or b"{}")


async def _send(send, status: int, payload: dict) -> None:
    body = json.dumps(payload).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    path, method = scope["path"], scope["method"]
    if path == "/v1/stats" and method == "GET":
        await _send(send, 200, {k: _stats[k] for k in ("requests", "max_in_flight")})
        return
    if path == "/v1/stats/reset" and method == "POST":
        # Requests still running from before the reset no longer count.
        _stats.update(requests=0, in_flight=0, max_in_flight=0, generation=_stats["generation"] + 1)
        await _send(send, 200, {"ok": True})
        return
    if method != "POST" or path not in ("/v1/stream", "/v1/complete"):
        await _send(send, 404, {"error": "not found"})
        return

    request = await _read_json(receive)
    generation = _stats["generation"]
    _stats["requests"] += 1
    _stats["in_flight"] += 1
    _stats["max_in_flight"] = max(_stats["max_in_flight"], _stats["in_flight"])
    try:
        if path == "/v1/complete":
            model = request.get("model", "")
            if model not in MODEL_DELAYS:
                await _send(send, 404, {"error": f"unknown model {model!r}"})
                return
            await asyncio.sleep(MODEL_DELAYS[model])
            if model == "garbled":  # a 200 whose body is not the documented shape
                await _send(send, 200, {"model": model, "output": "?"})
                return
            await _send(send, 200, {"model": model, "text": f"[{model}] {reply_for(request.get('prompt', ''))}"})
            return
        if request.get("prompt") == FAILING_PROMPT:
            await _send(send, 503, {"error": "overloaded"})
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/x-ndjson")],
            }
        )
        for token in tokens_for(request.get("prompt", "")):
            await asyncio.sleep(TOKEN_DELAY)
            line = json.dumps({"token": token}) + "\n"
            await send({"type": "http.response.body", "body": line.encode(), "more_body": True})
        await send({"type": "http.response.body", "body": b""})
    finally:
        if generation == _stats["generation"]:
            _stats["in_flight"] -= 1
