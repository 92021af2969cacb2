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


def required(name: str) -> str:
    """A secret from the environment: never in source, and no silent fallback."""
    if not (value := os.environ.get(name)):
        raise RuntimeError(f"Set the {name} environment variable.")
    return value


SECRET_KEY = required("ADMIN_SECRET_KEY")  # signs the session cookie; the same in every worker
ADMIN_USERNAME = required("ADMIN_USERNAME")
ADMIN_PASSWORD = required("ADMIN_PASSWORD")  # plain text in the environment: one operator, a demo

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


app = FastAPI(lifespan=lifespan, max_body_size=1024 * 1024)


# --8<-- [start:main]
class AdminAuth(AuthenticationBackend):
    """SQLAdmin has no users of its own: you decide who may log in."""

    async def login(self, request: Request) -> bool:
        form = await request.form()
        username = str(form.get("username", "")).encode()
        password = str(form.get("password", "")).encode()
        # Both comparisons always run (`&`, not `and`), so timing reveals neither the user nor the password.
        valid = secrets.compare_digest(username, ADMIN_USERNAME.encode()) & secrets.compare_digest(
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
    column_list = ["id", "title", "created_at"]  # names, as SQLAdmin's docs allow: mypy reads the attributes as values
    column_searchable_list = [Document.title]
    column_default_sort = (Document.id, True)
    form_columns = [Document.title, Document.body]


# SQLAdmin's forms carry no CSRF token: a SameSite=Strict session cookie is what keeps other sites'
# forms from posting with it. Add https_only=True when the admin is served over HTTPS.
auth = AdminAuth(secret_key=SECRET_KEY, same_site="strict", max_age=8 * 60 * 60)
admin = Admin(app, engine, authentication_backend=auth)
admin.add_view(DocumentAdmin)
# --8<-- [end:main]
