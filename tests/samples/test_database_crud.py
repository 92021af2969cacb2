"""database-crud: migrations create the schema, then the same CRUD requests behave the same on SQLite."""

from datetime import datetime

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
    datetime.fromisoformat(doc["created_at"])

    assert api.get(f"/api/documents/{doc['id']}").json() == doc

    patched = api.patch(f"/api/documents/{doc['id']}", json={"title": "Q3 report (final)"})
    assert patched.status_code == 200
    assert patched.json() == {**doc, "title": "Q3 report (final)"}

    assert api.delete(f"/api/documents/{doc['id']}").status_code == 204
    assert api.get(f"/api/documents/{doc['id']}").status_code == 404
    assert api.delete(f"/api/documents/{doc['id']}").status_code == 404


def test_list_is_ordered_by_id(api):
    ids = [api.post("/api/documents", json={"title": f"doc {i}"}).json()["id"] for i in range(3)]
    listed = api.get("/api/documents")
    assert listed.status_code == 200
    rows = [row for row in listed.json() if row["id"] in ids]
    assert [row["title"] for row in rows] == ["doc 0", "doc 1", "doc 2"]
    assert all(row["body"] == "" for row in rows)


def test_invalid_documents_are_rejected(api):
    assert api.post("/api/documents", json={"body": "no title"}).status_code in (400, 422)
    assert api.post("/api/documents", json={"title": "x" * 201}).status_code in (400, 422)
    assert api.get("/api/documents/999999").status_code == 404
