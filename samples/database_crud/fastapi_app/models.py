"""SQLModel classes: one table model, plus the input and output shapes of the API."""

from datetime import UTC, datetime

from sqlmodel import Field, SQLModel


# --8<-- [start:main]
class DocumentBase(SQLModel):
    title: str = Field(min_length=1, max_length=200)
    body: str = ""


class Document(DocumentBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


class DocumentCreate(DocumentBase):
    pass


class DocumentUpdate(SQLModel):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    body: str | None = None


class DocumentPublic(DocumentBase):
    id: int
    created_at: datetime
# --8<-- [end:main]
