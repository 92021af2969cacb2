"""SQLModel classes: one table model, plus the input and output shapes of the API."""

from datetime import UTC, datetime

from pydantic import ConfigDict
from sqlmodel import Field, SQLModel


# --8<-- [start:main]
class DocumentBase(SQLModel):
    model_config = ConfigDict(str_strip_whitespace=True)  # "   " is blank, as in DRF

    title: str = Field(min_length=1, max_length=200)
    body: str = ""


class Document(DocumentBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


class DocumentCreate(DocumentBase):
    pass


class DocumentUpdate(SQLModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    # Optional to send, but never null: the default is not validated, an explicit null is (422).
    title: str = Field(default=None, min_length=1, max_length=200)
    body: str = Field(default=None)


class DocumentPublic(DocumentBase):
    id: int
    created_at: datetime


# --8<-- [end:main]
