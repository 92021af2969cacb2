"""The six workloads: what is requested, at which concurrency, and the exact answer expected.

Expected answers come from `bench.apps.common`, the module the apps themselves use, so a
workload cannot silently drift between frameworks. JSON bodies are compared after parsing
(key order and whitespace differ between serializers; values, keys and types may not), SSE
bodies byte for byte after de-chunking.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, TypedDict

from bench.apps import common


class PostBody(TypedDict):
    user_id: int
    prompt: str
    max_tokens: int
    temperature: float


POST_BODY: PostBody = {
    "user_id": 42,
    "prompt": "Summarise this support ticket in one sentence: the customer cannot reset their "
    "password because the reset e-mail never arrives, and they have checked the spam folder.",
    "max_tokens": 256,
    "temperature": 0.2,
}
INVALID_BODY = {"user_id": 0, "prompt": "", "max_tokens": 100_000, "temperature": 9}


@dataclass(frozen=True)
class Workload:
    name: str
    path: str
    expected: Any  # parsed JSON, or bytes for a stream
    media_type: str = "application/json"
    method: str = "GET"
    body: bytes | None = None
    loadgen: str = "wrk"  # or "sse": our own client, for time to first token
    concurrency: tuple[int, ...] = (64,)
    min_seconds: float = 0.0  # a faster verify answer means the work was skipped
    rejects: bytes | None = None  # a body that must get 400 or 422
    why: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    database: str | None = None  # "postgresql": the harness starts one (bench/postgres.py)


WORKLOADS = [
    Workload(
        "json",
        "/json",
        common.HELLO,
        why="baseline: routing and JSON serialization only",
    ),
    Workload(
        "validated-post",
        "/validated",
        common.completion_estimate(POST_BODY["user_id"], POST_BODY["prompt"], POST_BODY["max_tokens"]),
        method="POST",
        body=json.dumps(POST_BODY).encode(),
        headers={"Content-Type": "application/json"},
        rejects=json.dumps(INVALID_BODY).encode(),
        why="body parsed and validated by the framework's model/serializer/form",
    ),
    Workload(
        "upstream-io",
        "/upstream",
        common.completion_from({"choices": [{"message": {"content": common.UPSTREAM_COMPLETION}}]}),
        concurrency=(64, 256),
        min_seconds=common.UPSTREAM_DELAY_S,
        why="awaits (or blocks on) a 50 ms fake-LLM call: where async should matter",
    ),
    Workload(
        "sse",
        "/sse",
        "".join(common.sse_event(i) for i in range(common.SSE_TOKENS)).encode(),
        media_type="text/event-stream",
        loadgen="sse",
        headers={"Accept": "text/event-stream"},  # what EventSource sends (DRF negotiates on it)
        min_seconds=common.SSE_TOKENS * common.SSE_INTERVAL_S,
        why="20 tokens at 10 ms intervals as server-sent events",
    ),
    Workload(
        "cpu-inference",
        "/cpu",
        common.cpu_answer(),
        why="~5 ms of pure-Python CPU per request: where async should not help",
    ),
    Workload(
        "db-read",
        "/db",
        common.db_answer(),
        why="20 rows through the framework's usual ORM from a seeded SQLite file",
    ),
    Workload(
        "db-read-pg",
        "/db-pg",
        common.db_answer(),
        database="postgresql",
        why="the same 20 rows from PostgreSQL over loopback TCP, with each framework's documented "
        "production connection handling",
    ),
]
BY_NAME = {w.name: w for w in WORKLOADS}
