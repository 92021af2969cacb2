"""Upload a document for ingestion: a body-size limit enforced as it arrives, and a type check."""

import hashlib
from pathlib import PurePath

from fastapi import FastAPI, HTTPException, UploadFile
from pydantic import BaseModel

app = FastAPI(max_body_size=1024 * 1024)  # the app-wide default; the upload route sets its own

# --8<-- [start:main]
MAX_BYTES = 1024 * 1024  # 1 MiB per document
ALLOWED_TYPES = {"text/plain", "text/markdown", "application/pdf"}


class Ingested(BaseModel):
    filename: str
    content_type: str
    size: int
    sha256: str


def content_matches(content_type: str, data: bytes) -> bool:
    """The declared type is only the client's claim: look at the bytes too."""
    if content_type == "application/pdf":
        return data.startswith(b"%PDF-")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# max_body_size: a body over the limit gets 413 "Content Too Large" as soon as its Content-Length
# or streamed size shows it, before the endpoint runs. The margin leaves room for the multipart framing.
@app.post("/api/documents/upload", status_code=201, max_body_size=MAX_BYTES + 16 * 1024)
async def upload_document(file: UploadFile) -> Ingested:
    # The header may carry parameters ("text/plain; charset=utf-8"): compare the media type only.
    content_type = (file.content_type or "").partition(";")[0].strip().lower()
    if content_type not in ALLOWED_TYPES:
        raise HTTPException(415, f"Unsupported type {content_type!r}")
    data = await file.read()
    if len(data) > MAX_BYTES:
        raise HTTPException(413, "File too large")
    if not content_matches(content_type, data):
        raise HTTPException(415, "Content does not match its type")
    # Starlette passes the client's filename through as sent: keep only the last path part.
    filename = PurePath((file.filename or "").replace("\\", "/")).name
    if filename in {"", ".", ".."}:
        raise HTTPException(422, "The file needs a name")
    return Ingested(
        filename=filename,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


# --8<-- [end:main]
