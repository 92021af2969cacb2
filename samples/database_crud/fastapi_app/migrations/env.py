"""Alembic environment: compare against SQLModel's metadata, connect with the app's DATABASE_URL."""

from alembic import context
from fastapi_app import models  # noqa: F401  (registers the tables on SQLModel.metadata)
from fastapi_app.db import engine
from sqlmodel import SQLModel

target_metadata = SQLModel.metadata


def run_migrations_offline() -> None:
    context.configure(url=str(engine.url), target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    with engine.connect() as connection:
        # render_as_batch: SQLite cannot ALTER most things, so Alembic copies the table instead.
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
