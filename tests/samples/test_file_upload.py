"""file-upload: multipart upload with a size limit (413) and a content-type check (415)."""

import hashlib

import httpx
import pytest

from tests.samples.harness import FRAMEWORKS, django_sample, fastapi_sample

SAMPLES = {"fastapi": fastapi_sample("file_upload"), "django": django_sample("file_upload")}
URL = "/api/documents/upload"


@pytest.fixture(scope="module", params=FRAMEWORKS)
def api(request):
    with SAMPLES[request.param].serve() as url, httpx.Client(base_url=url, timeout=20) as client:
        client.framework = request.param
        yield client


def upload(api, name: str, data: bytes, content_type: str) -> httpx.Response:
    return api.post(URL, files={"file": (name, data, content_type)})


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("notes.txt", "Grüße from the ingestion test.\n".encode() * 100, "text/plain"),
        ("paper.pdf", b"%PDF-1.7\n" + b"0" * 5000, "application/pdf"),
    ],
)
def test_an_accepted_document_is_described(api, name, data, content_type):
    response = upload(api, name, data, content_type)
    assert response.status_code == 201, response.text
    assert response.json() == {
        "filename": name,
        "content_type": content_type,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def test_a_client_supplied_path_is_reduced_to_a_file_name(api):
    response = upload(api, "../../etc/notes.txt", b"hello", "text/plain")
    assert response.status_code == 201
    assert response.json()["filename"] == "notes.txt"


def test_a_file_just_under_the_limit_is_accepted(api):
    assert upload(api, "big.txt", b"a" * (1024 * 1024 - 100), "text/plain").status_code == 201


def test_a_file_over_the_limit_is_413(api):
    response = upload(api, "huge.txt", b"a" * (3 * 1024 * 1024), "text/plain")
    assert response.status_code == 413
    if api.framework == "fastapi":  # the route's body limit answered, not the endpoint's own check
        assert "Content Too Large" in response.text
    else:  # Django received and parsed the upload, then the view's own size check answered
        assert response.json() == {"detail": "File too large"}


def test_a_media_type_with_parameters_is_accepted(api):
    response = upload(api, "notes.txt", b"plain words", "text/plain; charset=utf-8")
    assert response.status_code == 201, response.text
    assert response.json()["content_type"] == "text/plain"


@pytest.mark.parametrize("name", ["..", "."])
def test_a_file_name_without_a_name_is_rejected(api, name):
    assert upload(api, name, b"hello", "text/plain").status_code in (400, 422)


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "image/png"),  # type not accepted
        ("fake.pdf", b"just text pretending", "application/pdf"),  # declared PDF, no PDF header
        ("binary.txt", b"\xff\xfe\x00\x81" * 50, "text/plain"),  # declared text, not UTF-8
    ],
)
def test_unsupported_or_mismatched_content_is_415(api, name, data, content_type):
    response = upload(api, name, data, content_type)
    assert response.status_code == 415, response.text
    assert response.json()["detail"]


def test_a_request_without_a_file_is_rejected(api):
    assert api.post(URL, data={"other": "field"}).status_code in (400, 422)
