"""An admin interface over a SQLModel table with SQLAdmin, behind a login."""

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from fastapi import FastAPI
from sqladmin import Admin, ModelView
from sqladmin.authentication import AuthenticationBackend
from sqlmodel import Field, SQLModel, create_engine
from starlette.requests import Request

DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///./admin.sqlite3")
SECRET_KEY = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(32)  # signs the session cookie
ADMIN_USERNAME = os.environ.get("ADMIN_USERNAME", "admin")
ADMIN_PASSWORD = os.environ["ADMIN_PASSWORD"]

engine = create_engine(DATABASE_URL)


class Document(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    body: str = ""
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    SQLModel.metadata.create_all(engine)  # the database-crud sample does this with Alembic
    yield


app = FastAPI(lifespan=lifespan)


# --8<-- [start:main]
class AdminAuth(AuthenticationBackend):
    """SQLAdmin has no users of its own: you decide who may log in."""

    async def login(self, request: Request) -> bool:
        form = await request.form()
        username = str(form.get("username", "")).encode()
        password = str(form.get("password", "")).encode()
        valid = secrets.compare_digest(username, ADMIN_USERNAME.encode()) and secrets.compare_digest(
            password, ADMIN_PASSWORD.encode()
        )
        if valid:
            request.session.update({"user_id": ADMIN_USERNAME})
        return valid

    async def logout(self, request: Request) -> bool:
        request.session.clear()
        return True

    async def authenticate(self, request: Request) -> bool:
        return "user_id" in request.session


class DocumentAdmin(ModelView, model=Document):
    column_list = [Document.id, Document.title, Document.created_at]
    column_searchable_list = [Document.title]
    column_default_sort = (Document.id, True)
    form_columns = [Document.title, Document.body]


admin = Admin(app, engine, authentication_backend=AdminAuth(secret_key=SECRET_KEY))
admin.add_view(DocumentAdmin)
# --8<-- [end:main]
