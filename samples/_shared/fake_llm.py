"""A local stand-in for an LLM provider, used by the sample tests instead of a real API.

It is a bare ASGI application (no framework, so it favours neither side) that the tests start with
Uvicorn on 127.0.0.1. Nothing here talks to the network.

    POST /v1/stream    {"prompt": "..."}            -> NDJSON lines {"token": "..."}, one every TOKEN_DELAY s
                       (503 for the prompt FAILING_PROMPT)
    POST /v1/complete  {"model": "...", "prompt": "..."} -> {"model": ..., "text": ...} after the model's delay
                       (model "garbled" answers 200 without "text"; an unknown model gets 404)
    GET  /v1/stats                                   -> {"requests": n, "max_in_flight": n, "in_flight": n,
                                                         "completed": n, "closed_early": n, "tokens_sent": n}
    POST /v1/stats/reset                             -> zeroes the counters

`closed_early` counts answers whose client hung up before the last byte: the fake listens for the
disconnect while it works (as a provider's server notices a dropped connection) and stops at once, so a
test can tell whether a sample stopped consuming, and paying for, a model call nobody reads any more.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import Awaitable

TOKEN_DELAY = 0.15
MODEL_DELAYS = {"alpha": 0.5, "beta": 0.5, "gamma": 0.5, "slow": 5.0, "garbled": 0.1}
FAILING_PROMPT = "upstream-down"  # /v1/stream answers 503 to this prompt, as an overloaded provider would

COUNTERS = ("requests", "in_flight", "max_in_flight", "completed", "closed_early", "tokens_sent")
_stats = dict.fromkeys(COUNTERS, 0) | {"generation": 0}


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


async def _until_disconnect(receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _unless_client_leaves(receive, work: Awaitable[None]) -> bool:
    """Run `work` (which sends the answer); cancel it if the client disconnects first. True if it finished."""
    task = asyncio.ensure_future(work)
    watcher = asyncio.ensure_future(_until_disconnect(receive))
    done, _ = await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
    if task in done:  # checked first: the server also reports a disconnect once the answer is complete
        watcher.cancel()
        task.result()
        return True
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    return False


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
        await _send(send, 200, {k: _stats[k] for k in COUNTERS})
        return
    if path == "/v1/stats/reset" and method == "POST":
        # Requests still running from before the reset no longer count.
        _stats.update(dict.fromkeys(COUNTERS, 0), generation=_stats["generation"] + 1)
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
    outcome = None
    try:
        if path == "/v1/complete":
            finished = await _unless_client_leaves(receive, _complete(send, request))
        elif request.get("prompt") == FAILING_PROMPT:
            await _send(send, 503, {"error": "overloaded"})
            finished = True
        else:
            finished = await _unless_client_leaves(receive, _stream(send, request, generation))
        outcome = "completed" if finished else "closed_early"
    finally:
        if generation == _stats["generation"]:
            _stats["in_flight"] -= 1
            if outcome:
                _stats[outcome] += 1


async def _complete(send, request: dict) -> None:
    model = request.get("model", "")
    if model not in MODEL_DELAYS:
        await _send(send, 404, {"error": f"unknown model {model!r}"})
        return
    await asyncio.sleep(MODEL_DELAYS[model])
    if model == "garbled":  # a 200 whose body is not the documented shape
        await _send(send, 200, {"model": model, "output": "?"})
        return
    await _send(send, 200, {"model": model, "text": f"[{model}] {reply_for(request.get('prompt', ''))}"})


async def _stream(send, request: dict, generation: int) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/x-ndjson")]})
    for token in tokens_for(request.get("prompt", "")):
        await asyncio.sleep(TOKEN_DELAY)
        line = json.dumps({"token": token}) + "\n"
        await send({"type": "http.response.body", "body": line.encode(), "more_body": True})
        if generation == _stats["generation"]:
            _stats["tokens_sent"] += 1
    await send({"type": "http.response.body", "body": b""})
