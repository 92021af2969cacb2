"""Pydantic request model, SQLModel table and session dependency shared by both FastAPI variants.

The session dependency is the one from FastAPI's SQL tutorial: a plain generator yielding a
synchronous SQLModel session. No async SQLite driver is installed, so the async variant also
uses it (FastAPI runs the dependency in its threadpool; the query itself runs in the endpoint).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from pydantic import BaseModel, Field
from sqlmodel import Field as SQLField
from sqlmodel import Session, SQLModel, col, create_engine, select

from bench.apps import common


class CompletionRequest(BaseModel):
    user_id: int = Field(ge=common.USER_ID_MIN)
    prompt: str = Field(min_length=1, max_length=common.PROMPT_MAX_CHARS)
    max_tokens: int = Field(ge=1, le=common.MAX_TOKENS_MAX)
    temperature: float = Field(ge=0, le=common.TEMPERATURE_MAX)


class CompletionEstimate(BaseModel):
    user_id: int
    prompt_chars: int
    estimated_tokens: int


class Item(SQLModel, table=True):
    __tablename__ = common.DB_TABLE
    id: int = SQLField(primary_key=True)
    name: str
    price_cents: int


# max_overflow=-1 lifts the pool's default cap of 5 + 10 connections. With the cap, both
# variants stall at 64 concurrent requests (0 responses in a 3 s run): a session keeps its
# connection until the dependency's exit code runs, and those exits queue behind requests that
# wait up to 30 s for a connection (blocking the event loop in async-def, holding threadpool
# slots in def). SQLite has no server-side connection limit, so the cap buys nothing here.
engine = create_engine(f"sqlite:///{common.db_path()}", connect_args={"check_same_thread": False}, max_overflow=-1)


def get_session():
    with Session(engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]

# PostgreSQL (db-read-pg): SQLAlchemy's own QueuePool, as FastAPI's SQL tutorial creates the engine,
# sized like Django's pool; overflow uncapped for the same reason as above. Connects lazily.
pg_engine = (
    create_engine(common.pg_url(), pool_size=common.PG_POOL_MAX, max_overflow=-1, pool_pre_ping=False)
    if common.pg_dsn()
    else None
)


def get_pg_session():
    if pg_engine is None:
        raise RuntimeError(f"{common.PG_ENV} is not set: no PostgreSQL to read from")
    with Session(pg_engine) as session:
        yield session


PgSessionDep = Annotated[Session, Depends(get_pg_session)]

FIRST_ITEMS = select(Item).order_by(col(Item.id)).limit(common.DB_READ_LIMIT)
