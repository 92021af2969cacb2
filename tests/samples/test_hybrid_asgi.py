"""hybrid-asgi: one Uvicorn process serves FastAPI's inference API and Django's pages over one database.

Here the two samples are the two halves of one application (fastapi_app mounts django_app), so the
test runs that single process and checks each half, and that they see the same rows.
"""

import concurrent.futures

import httpx
import pytest

from tests.samples.harness import TEST_SECRET_KEY, Sample

SAMPLE = Sample(
    "hybrid_asgi",
    "hybrid",
    "fastapi_app.main:app",
    setup=[["-m", "django", "migrate", "--noinput"]],
    env={
        "DJANGO_SETTINGS_MODULE": "django_app.settings",
        "DJANGO_SECRET_KEY": TEST_SECRET_KEY,
        "INFERENCE_SECONDS": "0.05",
    },
    ready_path="/api/openapi.json",
)


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    db = tmp_path_factory.mktemp("hybrid") / "db.sqlite3"
    with SAMPLE.serve({"DATABASE_PATH": str(db)}) as url, httpx.Client(base_url=url, timeout=10) as client:
        yield client


def test_fastapi_writes_with_the_django_orm_and_reads_back(api):
    created = api.post("/api/predict", json={"text": "I love this helpful tool"})
    assert created.status_code == 201, created.text
    body = created.json()
    assert set(body) == {"id", "text", "label", "score"}
    assert (body["text"], body["label"]) == ("I love this helpful tool", "positive")
    assert api.get(f"/api/predictions/{body['id']}").json() == body
    assert api.get("/api/predictions/999999").status_code == 404


def test_django_page_shows_rows_written_by_fastapi(api):
    body = api.post("/api/predict", json={"text": "awful and broken"}).json()
    page = api.get("/predictions/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert f"#{body['id']} <strong>negative</strong>" in page.text
    assert "awful and broken" in page.text


def test_concurrent_requests_share_the_orm_safely(api):
    texts = [f"great result number {i}" for i in range(12)]
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        responses = list(pool.map(lambda t: api.post("/api/predict", json={"text": t}), texts))
    assert [r.status_code for r in responses] == [201] * len(texts)
    page = api.get("/predictions/").text
    assert all(text in page for text in texts)


def test_each_framework_keeps_its_own_routes(api):
    paths = api.get("/api/openapi.json").json()["paths"]
    assert set(paths) == {"/api/predict", "/api/predictions/{prediction_id}"}  # Django's routes are not in it
    admin = api.get("/admin/", follow_redirects=True)
    assert admin.status_code == 200
    assert admin.url.path == "/admin/login/"  # Django's admin, served by the same process
    assert 'name="csrfmiddlewaretoken"' in admin.text
    assert api.post("/api/predict", json={"text": ""}).status_code == 422  # FastAPI's validation
