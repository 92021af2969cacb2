"""model-at-startup: one model per process, and CPU-bound inference never stalls the event loop."""

import asyncio
import os
import time

import httpx
import pytest

from tests.samples.harness import FRAMEWORKS, django_sample, fastapi_sample

ENV = {"INFERENCE_SECONDS": "1.0"}
SAMPLES = {
    # Ready as soon as the server answers anything (a 404 here), so /health is first called by a test.
    "fastapi": fastapi_sample("model_at_startup", env=ENV, ready_path="/not-a-page"),
    "django": django_sample("model_at_startup", env=ENV, ready_path="/not-a-page"),
}


@pytest.fixture(scope="module", params=FRAMEWORKS)
def base_url(request):
    with SAMPLES[request.param].serve() as url:
        yield url


def test_the_model_is_loaded_before_the_first_request(base_url):
    # Loading takes more than 0.3 s (toy_sentiment.load); a lazy load would make this first call slow.
    started = time.monotonic()
    assert httpx.get(base_url + "/health", timeout=10).status_code == 200
    assert time.monotonic() - started < 0.3


def test_the_model_is_loaded_once_and_shared_by_all_requests(base_url):
    with httpx.Client(base_url=base_url, timeout=10) as client:
        health = client.get("/health").json()
        assert health["status"] == "ok" and health["model"] == "toy-sentiment-1"
        prediction = client.post("/api/predict", json={"text": "slow and broken, I hate it"}).json()
        again = client.get("/health").json()
    assert prediction["label"] == "negative"
    assert 0 < prediction["score"] <= 1
    assert prediction["instance"] == health["instance"] == again["instance"]


def test_invalid_input_is_rejected_before_inference(base_url):
    response = httpx.post(base_url + "/api/predict", json={"text": ""}, timeout=10)
    assert response.status_code in (400, 422)


def test_health_is_answered_while_inference_runs(base_url):
    async def scenario():
        async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
            started = time.monotonic()
            inference = asyncio.create_task(client.post("/api/predict", json={"text": "nice and fast"}))
            await asyncio.sleep(0.2)  # let the request reach the model
            latencies = []
            while not inference.done():
                t0 = time.monotonic()
                response = await client.get("/health")
                assert response.status_code == 200
                if not inference.done():
                    latencies.append(time.monotonic() - t0)
                await asyncio.sleep(0.05)
            result = await inference
            return result, time.monotonic() - started, latencies

    result, elapsed, latencies = asyncio.run(scenario())
    assert result.status_code == 200 and result.json()["label"] == "positive"
    assert elapsed >= 0.5, "inference should take about INFERENCE_SECONDS (sized once, at load)"
    # Several health checks completed while the model was busy, each one quickly.
    assert len(latencies) >= 5, latencies
    assert max(latencies) < 0.5, latencies


def test_predictions_are_real_cpu_work_run_one_per_core_at_a_time(base_url):
    # Twice as many predictions as cores: real CPU work needs about twice as long as one prediction
    # (a stand-in that only waited would finish them all in the time of one).
    cores = len(os.sched_getaffinity(0))

    async def predict(client, started: float) -> float:
        response = await client.post("/api/predict", json={"text": "good"})
        assert response.status_code == 200
        return time.monotonic() - started

    async def scenario():
        async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
            single = [await predict(client, time.monotonic()) for _ in range(2)]
            started = time.monotonic()
            finished = await asyncio.gather(*(predict(client, started) for _ in range(2 * cores)))
            return min(single), sorted(finished)

    one, finished = asyncio.run(scenario())
    assert finished[-1] > 1.5 * one, (one, finished)
    # At most one prediction per core runs at a time: the first half is done well before the second
    # (without the limit all of them share the cores and finish together).
    assert finished[cores - 1] < 0.75 * finished[-1], (one, finished)


def test_a_body_that_is_not_declared_json_is_refused(base_url, framework):
    response = httpx.post(base_url + "/api/predict", content=b'{"text": "hi"}', headers={"content-type": "text/plain"})
    assert response.status_code == (422 if framework == "fastapi" else 415), response.text  # Django views: 415


def test_an_oversized_body_is_413(base_url):
    response = httpx.post(base_url + "/api/predict", json={"text": "x" * (1024 * 1024 + 1)}, timeout=10)
    assert response.status_code == 413


@pytest.fixture
def framework(request) -> str:
    return request.node.callspec.params["base_url"]
