"""model-at-startup: one model per process, and CPU-bound inference never stalls the event loop."""

import asyncio
import time

import httpx
import pytest

from tests.samples.harness import FRAMEWORKS, django_sample, fastapi_sample

ENV = {"INFERENCE_SECONDS": "1.0"}
SAMPLES = {
    "fastapi": fastapi_sample("model_at_startup", env=ENV, ready_path="/health"),
    "django": django_sample("model_at_startup", env=ENV, ready_path="/health"),
}


@pytest.fixture(scope="module", params=FRAMEWORKS)
def base_url(request):
    with SAMPLES[request.param].serve() as url:
        yield url


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
    assert elapsed >= 1.0, "inference should take about INFERENCE_SECONDS"
    # Several health checks completed while the model was busy, each one quickly.
    assert len(latencies) >= 5, latencies
    assert max(latencies) < 0.5, latencies
