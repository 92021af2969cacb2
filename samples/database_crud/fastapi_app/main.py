"""CRUD over a SQLModel table; the schema itself is created by Alembic migrations."""

from collections.abc import Sequence
from typing import Annotated

from fastapi import FastAPI, HTTPException, Query, Response, status
from sqlmodel import col, select

from .db import SessionDep
from .models import Document, DocumentCreate, DocumentPublic, DocumentUpdate

app = FastAPI(max_body_size=1024 * 1024)  # larger bodies get 413 before they are read


# --8<-- [start:main]
# The handlers return the table model; `response_model` filters it through the public one (FastAPI's docs
# use `response_model` rather than the return type when the two differ).
@app.post("/api/documents", status_code=status.HTTP_201_CREATED, response_model=DocumentPublic)
def create_document(data: DocumentCreate, session: SessionDep) -> Document:
    document = Document.model_validate(data)
    session.add(document)
    session.commit()
    session.refresh(document)
    return document


@app.get("/api/documents", response_model=list[DocumentPublic])
def list_documents(
    session: SessionDep,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 100,
) -> Sequence[Document]:
    return session.exec(select(Document).order_by(col(Document.id)).offset(offset).limit(limit)).all()


def get_or_404(session: SessionDep, document_id: int) -> Document:
    document = session.get(Document, document_id)
    if document is None:
        raise HTTPException(status_code=404, detail="Document not found")
    return document


@app.get("/api/documents/{document_id}", response_model=DocumentPublic)
def read_document(document_id: int, session: SessionDep) -> Document:
    return get_or_404(session, document_id)


@app.patch("/api/documents/{document_id}", response_model=DocumentPublic)
def update_document(document_id: int, data: DocumentUpdate, session: SessionDep) -> Document:
    document = get_or_404(session, document_id)
    document.sqlmodel_update(data.model_dump(exclude_unset=True))
    session.add(document)
    session.commit()
    session.refresh(document)
    return document


@app.delete("/api/documents/{document_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_document(document_id: int, session: SessionDep) -> Response:
    session.delete(get_or_404(session, document_id))
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --8<-- [end:main]
