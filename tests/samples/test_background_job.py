"""background-job: 202 with a job id at once, the work runs elsewhere, polling returns its result."""

import time

import httpx
import pytest

from tests.samples.harness import FRAMEWORKS, django_sample, fastapi_sample

TEXT = "Background work keeps requests fast. The client polls for the result."


def make_sample(framework: str):
    if framework == "fastapi":
        return fastapi_sample("background_job")
    return django_sample(
        "background_job",
        setup=[["-m", "django", "migrate", "--noinput"]],
        workers=[["-m", "django", "db_worker", "--interval", "0.1", "--no-startup-delay", "--no-reload"]],
    )


@pytest.fixture(scope="module", params=FRAMEWORKS)
def api(request, tmp_path_factory):
    db = tmp_path_factory.mktemp("background_job") / "db.sqlite3"
    with make_sample(request.param).serve({"DATABASE_PATH": str(db)}) as url:
        with httpx.Client(base_url=url, timeout=10) as client:
            yield client


def test_job_is_accepted_then_completes(api):
    start = time.monotonic()
    response = api.post("/api/jobs", json={"text": TEXT})
    assert response.status_code == 202, response.text
    assert time.monotonic() - start < 0.4, "the request must not wait for the work"
    job = response.json()
    assert job["status"] in ("queued", "running")
    assert job["result"] is None
    assert response.headers["location"] == f"/api/jobs/{job['id']}"

    seen = {job["status"]}
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        polled = api.get(f"/api/jobs/{job['id']}")
        assert polled.status_code == 200
        job = polled.json()
        seen.add(job["status"])
        if job["status"] in ("succeeded", "failed"):
            break
        time.sleep(0.05)
    assert job["status"] == "succeeded", job
    assert job["result"] == {"summary": "Background work keeps requests fast", "words": 11}
    assert seen <= {"queued", "running", "succeeded"}


def test_unknown_job_is_404(api):
    assert api.get("/api/jobs/00000000000000000000000000000000").status_code == 404


def test_invalid_job_is_rejected(api):
    assert api.post("/api/jobs", json={"text": ""}).status_code in (400, 422)
