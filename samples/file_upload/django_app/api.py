"""Upload a document for ingestion with Django Ninja: a size limit and a content-type check."""

import hashlib

from ninja import File, NinjaAPI, Schema
from ninja.files import UploadedFile

api = NinjaAPI()

# --8<-- [start:main]
MAX_BYTES = 1024 * 1024  # 1 MiB per document
ALLOWED_TYPES = {"text/plain", "text/markdown", "application/pdf"}


class Ingested(Schema):
    filename: str
    content_type: str
    size: int
    sha256: str


class Error(Schema):
    detail: str


def content_matches(content_type: str, data: bytes) -> bool:
    """The declared type is only the client's claim: look at the bytes too."""
    if content_type == "application/pdf":
        return data.startswith(b"%PDF-")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@api.post("/documents/upload", response={201: Ingested, 413: Error, 415: Error})
def upload_document(request, file: File[UploadedFile]):
    # Django has already received the whole upload (in memory up to FILE_UPLOAD_MAX_MEMORY_SIZE,
    # then in a temporary file); DATA_UPLOAD_MAX_MEMORY_SIZE does not count files. Cap the
    # request size in the proxy in front (e.g. nginx client_max_body_size) as well.
    if file.content_type not in ALLOWED_TYPES:
        return 415, {"detail": f"Unsupported type {file.content_type!r}"}
    if file.size > MAX_BYTES:
        return 413, {"detail": "File too large"}
    data = file.read()
    if not content_matches(file.content_type, data):
        return 415, {"detail": "Content does not match its type"}
    # file.name is already sanitised by Django: path parts are stripped.
    return 201, {
        "filename": file.name,
        "content_type": file.content_type,
        "size": file.size,
        "sha256": hashlib.sha256(data).hexdigest(),
    }


# --8<-- [end:main]
