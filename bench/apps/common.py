"""What every benchmark app must do, in one place, so "the same workload" means the same bytes.

Apps import their constants and helpers from here, and the harness imports the same module to
compute the exact answer it verifies against. Only the standard library is used, so importing
this adds nothing to a server's memory footprint.
"""

from __future__ import annotations

import os
import sqlite3
from typing import Any

# --- json ------------------------------------------------------------------------------------
HELLO = {"message": "Hello, World!"}

# --- validated-post --------------------------------------------------------------------------
# Limits every app's model/serializer/form enforces. The computed field is a cheap token
# estimate, so the response proves the body was parsed, validated and used.
USER_ID_MIN = 1
PROMPT_MAX_CHARS = 4000
MAX_TOKENS_MAX = 4096
TEMPERATURE_MAX = 2.0


def completion_estimate(user_id: int, prompt: str, max_tokens: int) -> dict[str, Any]:
    """The validated-post answer: what a gateway computes before calling a model."""
    return {
        "user_id": user_id,
        "prompt_chars": len(prompt),
        "estimated_tokens": len(prompt) // 4 + max_tokens,
    }


# --- upstream-io -----------------------------------------------------------------------------
UPSTREAM_URL_ENV = "BENCH_UPSTREAM_URL"
UPSTREAM_DELAY_S = 0.050
UPSTREAM_REQUEST = {
    "model": "fake-llm",
    "messages": [{"role": "user", "content": "Say hello."}],
    "max_tokens": 16,
}
UPSTREAM_COMPLETION = "Hello from the fake model."
# Every app keeps one shared httpx2 client with its default limits (100 connections, 20 kept
# alive, 5 s timeouts). Larger pools were slower here: each pool pass probes every idle
# connection, so per-request CPU grows with the pool size.


def upstream_url() -> str:
    return os.environ[UPSTREAM_URL_ENV]


def completion_from(upstream_json: dict[str, Any]) -> dict[str, Any]:
    """The upstream-io answer, taken from an OpenAI-style chat completion."""
    return {"completion": upstream_json["choices"][0]["message"]["content"]}


# --- sse -------------------------------------------------------------------------------------
SSE_TOKENS = 20
SSE_INTERVAL_S = 0.010


def sse_token(i: int) -> str:
    return f"tok{i:02d}"


def sse_event(i: int) -> str:
    """One event on the wire; FastAPI builds the same bytes with ServerSentEvent(raw_data=...)."""
    return f"data: {sse_token(i)}\n\n"


# --- cpu-inference ---------------------------------------------------------------------------
# Fixed once with `python -m bench calibrate` (about 5 ms on the reference machine) and used
# unchanged by every stack, so the work per request is identical even if the machine is busier
# on another day. The run records how long one call took when it started.
CPU_LOOPS = 90_000


def cpu_work(loops: int = CPU_LOOPS) -> int:
    """Pure-Python integer work standing in for a small in-process model: holds the GIL."""
    x = 0
    for i in range(loops):
        x = (x * 31 + i) % 1_000_003
    return x


def cpu_answer() -> dict[str, Any]:
    return {"loops": CPU_LOOPS, "result": cpu_work()}


# --- db-read ---------------------------------------------------------------------------------
DB_ENV = "BENCH_DB"
DB_TABLE = "items"
DB_ROWS = 100
DB_READ_LIMIT = 20


def db_path() -> str:
    return os.environ[DB_ENV]


# PostgreSQL for the db-read-pg workload: a DSN "host=127.0.0.1 port=N dbname=bench user=bench",
# set by the harness when it started a server; absent, the /db-pg endpoints answer 500.
PG_ENV = "BENCH_PG_DSN"
# Connections in each app's pool (Django's psycopg pool max_size, SQLAlchemy's pool_size): as many as
# the highest concurrency, so no pool churns (SQLAlchemy closes overflow connections on return) or
# makes requests queue for a connection; PostgreSQL is started with max_connections=200.
PG_POOL_MAX = 64


def pg_dsn() -> str:
    return os.environ.get(PG_ENV, "")


def pg_params() -> dict[str, str]:
    return dict(part.split("=", 1) for part in pg_dsn().split())


def pg_url() -> str:
    p = pg_params()
    return f"postgresql+psycopg://{p['user']}@{p['host']}:{p['port']}/{p['dbname']}"


def seed_rows() -> list[tuple[int, str, int]]:
    return [(i, f"item-{i:03d}", (i * 7919) % 10_000) for i in range(1, DB_ROWS + 1)]


def seed_database(path: str) -> None:
    """Create the SQLite file every app reads (Django ORM and SQLModel map the same table)."""
    with sqlite3.connect(path) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {DB_TABLE}")
        conn.execute(
            f"CREATE TABLE {DB_TABLE} (id INTEGER PRIMARY KEY, name VARCHAR(64) NOT NULL, price_cents INTEGER NOT NULL)"
        )
        conn.executemany(f"INSERT INTO {DB_TABLE} VALUES (?, ?, ?)", seed_rows())
    conn.close()


def db_answer() -> list[dict[str, Any]]:
    """The first DB_READ_LIMIT rows by id, as every app returns them."""
    return [{"id": i, "name": name, "price_cents": price} for i, name, price in seed_rows()[:DB_READ_LIMIT]]
