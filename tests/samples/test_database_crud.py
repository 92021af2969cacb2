"""database-crud: migrations create the schema, then the same CRUD requests behave the same on SQLite."""

from datetime import datetime, timedelta

import httpx
import pytest

from tests.samples.harness import FRAMEWORKS, PYTHON, django_sample, fastapi_sample, run

ALEMBIC = ["-m", "alembic", "-c", "fastapi_app/alembic.ini"]
SAMPLES = {
    "fastapi": fastapi_sample("database_crud", setup=[[*ALEMBIC, "upgrade", "head"]]),
    "django": django_sample("database_crud", setup=[["-m", "django", "migrate", "--noinput"]]),
}
# The migrations on disk must match the models (no model change without a migration).
MIGRATIONS_UP_TO_DATE = {
    "fastapi": [*ALEMBIC, "check"],
    "django": ["-m", "django", "makemigrations", "--check", "--dry-run"],
}


def db_env(framework: str, path) -> dict[str, str]:
    return {"DATABASE_URL": f"sqlite:///{path}"} if framework == "fastapi" else {"DATABASE_PATH": str(path)}


@pytest.fixture(scope="module", params=FRAMEWORKS)
def api(request, tmp_path_factory):
    env = db_env(request.param, tmp_path_factory.mktemp("crud") / "db.sqlite3")
    with SAMPLES[request.param].serve(env) as url, httpx.Client(base_url=url, timeout=10) as client:
        client.framework = request.param
        client.sample_env = env
        yield client


def test_migrations_match_the_models(api):
    sample = SAMPLES[api.framework]
    run([PYTHON, *MIGRATIONS_UP_TO_DATE[api.framework]], cwd=sample.app_dir, env=sample.environ(api.sample_env))


def test_create_read_update_delete(api):
    created = api.post("/api/documents", json={"title": "Q3 report", "body": "Revenue grew."})
    assert created.status_code == 201, created.text
    doc = created.json()
    assert set(doc) == {"id", "title", "body", "created_at"}
    assert (doc["title"], doc["body"]) == ("Q3 report", "Revenue grew.")
    assert isinstance(doc["id"], int)
    assert datetime.fromisoformat(doc["created_at"]).utcoffset() == timedelta(0), doc["created_at"]  # UTC on both

    assert api.get(f"/api/documents/{doc['id']}").json() == doc

    patched = api.patch(f"/api/documents/{doc['id']}", json={"title": "Q3 report (final)"})
    assert patched.status_code == 200
    assert patched.json() == {**doc, "title": "Q3 report (final)"}

    assert api.delete(f"/api/documents/{doc['id']}").status_code == 204
    assert api.get(f"/api/documents/{doc['id']}").status_code == 404
    assert api.delete(f"/api/documents/{doc['id']}").status_code == 404


def page_of(response: httpx.Response) -> list[dict]:
    """The documents of a list response: FastAPI's list, or DRF's LimitOffsetPagination `results`."""
    assert response.status_code == 200, response.text
    body = response.json()
    if isinstance(body, dict):
        assert set(body) == {"count", "next", "previous", "results"}
        return body["results"]
    return body


def test_list_is_ordered_by_id_and_paginated(api):
    ids = [api.post("/api/documents", json={"title": f"doc {i}"}).json()["id"] for i in range(3)]
    rows = [row for row in page_of(api.get("/api/documents")) if row["id"] in ids]
    assert [row["title"] for row in rows] == ["doc 0", "doc 1", "doc 2"]
    assert all(row["body"] == "" for row in rows)
    offset = len(page_of(api.get("/api/documents"))) - 3  # the index of "doc 0" (fewer than 100 rows so far)
    window = page_of(api.get("/api/documents", params={"offset": offset + 1, "limit": 2}))
    assert [row["id"] for row in window] == ids[1:3]


def test_a_page_holds_at_most_100_documents(api):
    for i in range(101):
        assert api.post("/api/documents", json={"title": f"bulk {i}"}).status_code == 201
    assert len(page_of(api.get("/api/documents"))) == 100
    # Asking for more is refused by FastAPI (422) and capped by DRF: never more than 100 rows.
    response = api.get("/api/documents", params={"limit": 1000})
    if api.framework == "fastapi":
        assert response.status_code == 422
    else:
        assert len(page_of(response)) == 100


@pytest.mark.parametrize("change", [{"title": None}, {"body": None}, {"title": "   "}, {"title": ""}])
def test_null_and_blank_fields_are_rejected_on_update(api, change):
    doc = api.post("/api/documents", json={"title": "kept", "body": "kept"}).json()
    response = api.patch(f"/api/documents/{doc['id']}", json=change)
    assert response.status_code == (422 if api.framework == "fastapi" else 400), response.text
    field = next(iter(change))
    detail = response.json()
    # DRF: {"title": ["This field may not be null."]}; FastAPI: {"detail": [{"loc": ["body", "title"], ...}]}
    assert field in detail or any(error["loc"][-1] == field for error in detail["detail"]), detail
    assert api.get(f"/api/documents/{doc['id']}").json() == doc


def test_surrounding_whitespace_is_trimmed(api):
    doc = api.post("/api/documents", json={"title": "  padded  ", "body": " text "}).json()
    assert (doc["title"], doc["body"]) == ("padded", "text")


def test_a_browser_gets_json_not_an_error_page(api):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = api.get("/api/documents", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")


def test_invalid_documents_are_rejected(api):
    assert api.post("/api/documents", json={"body": "no title"}).status_code in (400, 422)
    assert api.post("/api/documents", json={"title": "   "}).status_code in (400, 422)
    assert api.post("/api/documents", json={"title": "x" * 201}).status_code in (400, 422)
    assert api.get("/api/documents/999999").status_code == 404
