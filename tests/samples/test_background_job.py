"""background-job: 202 with a job id at once, the work runs elsewhere, polling returns its result."""

import time

import httpx
import pytest

from tests.samples.harness import FRAMEWORKS, PYTHON, django_sample, fastapi_sample, run

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
    sample = make_sample(request.param)
    with sample.serve({"DATABASE_PATH": str(db)}) as url, httpx.Client(base_url=url, timeout=10) as client:
        client.framework = request.param
        client.sample = sample
        client.sample_env = {"DATABASE_PATH": str(db)}
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


def test_a_body_that_is_not_declared_json_is_refused(api):
    # A cross-site page can POST text/plain without a CORS preflight: it must not create a job.
    response = api.post("/api/jobs", content=b'{"text": "forged"}', headers={"content-type": "text/plain"})
    assert response.status_code == (422 if api.framework == "fastapi" else 415), response.text  # Django views: 415


def test_an_oversized_body_is_refused(api):
    response = api.post("/api/jobs", json={"text": "x" * (1024 * 1024 + 1)})
    assert response.status_code == 413


def test_the_202_stays_immediate_with_200_jobs_pending(api):
    for i in range(200):
        assert api.post("/api/jobs", json={"text": f"Job number {i}."}).status_code == 202
    start = time.monotonic()
    assert api.post("/api/jobs", json={"text": TEXT}).status_code == 202
    assert time.monotonic() - start < 0.4


def test_finished_jobs_do_not_accumulate_forever(api):
    if api.framework == "django":  # results stay in the table until this command deletes old ones
        run(
            [PYTHON, "-m", "django", "prune_db_task_results", "--min-age-days", "1"],
            cwd=api.sample.app_dir,
            env=api.sample.environ(api.sample_env),
        )
        return
    first = api.post("/api/jobs", json={"text": TEXT}).json()["id"]
    for i in range(1000):  # the FastAPI sample keeps the newest 1000 jobs in memory
        last = api.post("/api/jobs", json={"text": f"Job {i}."}).json()["id"]
    assert api.get(f"/api/jobs/{first}").status_code == 404
    assert api.get(f"/api/jobs/{last}").status_code == 200
