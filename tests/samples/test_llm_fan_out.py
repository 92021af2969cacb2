"""llm-fan-out: several upstream calls in flight at once; the slow one times out, the rest succeed."""

import time

import httpx
import pytest

from tests.samples.harness import FRAMEWORKS, django_sample, fake_llm, fastapi_sample

PROMPT = "Which framework?"


@pytest.fixture(scope="module")
def upstream():
    with fake_llm() as url:
        yield url


@pytest.fixture(scope="module", params=FRAMEWORKS)
def sample_url(request, upstream):
    make = fastapi_sample if request.param == "fastapi" else django_sample
    with make("llm_fan_out", env={"LLM_BASE_URL": upstream}).serve() as url:
        yield url


@pytest.fixture
def servers(sample_url, upstream):
    httpx.post(upstream + "/v1/stats/reset").raise_for_status()
    return sample_url, upstream


def test_calls_run_concurrently_and_a_slow_upstream_times_out_alone(servers):
    base_url, upstream = servers
    models = ["alpha", "beta", "slow", "gamma", "nonexistent"]
    start = time.monotonic()
    response = httpx.post(base_url + "/api/compare", json={"prompt": PROMPT, "models": models}, timeout=15)
    elapsed = time.monotonic() - start

    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["model"] for r in results] == models
    by_model = {r["model"]: r for r in results}
    for name in ("alpha", "beta", "gamma"):
        assert by_model[name] == {"model": name, "ok": True, "text": f"[{name}] You said: {PROMPT}", "error": None}
    assert by_model["slow"] == {"model": "slow", "ok": False, "text": None, "error": "timeout"}
    assert by_model["nonexistent"] == {"model": "nonexistent", "ok": False, "text": None, "error": "status 404"}

    # Three 0.5 s calls and a 1 s timeout: about 1 s together, at least 2.5 s one after another.
    assert 0.9 < elapsed < 2.2, elapsed
    stats = httpx.get(upstream + "/v1/stats").json()
    assert stats["requests"] == 5
    assert stats["max_in_flight"] >= 4, stats


def test_invalid_request_is_rejected_without_calling_upstream(servers):
    base_url, upstream = servers
    response = httpx.post(base_url + "/api/compare", json={"prompt": "", "models": []}, timeout=15)
    assert response.status_code in (400, 422)
    assert httpx.get(upstream + "/v1/stats").json()["requests"] == 0


def test_a_reply_of_the_wrong_shape_is_reported_not_a_500(servers):
    base_url, _ = servers
    response = httpx.post(
        base_url + "/api/compare", json={"prompt": PROMPT, "models": ["garbled", "alpha"]}, timeout=15
    )
    assert response.status_code == 200, response.text
    garbled, alpha = response.json()["results"]
    assert garbled == {"model": "garbled", "ok": False, "text": None, "error": "bad reply"}
    assert alpha["ok"] is True


@pytest.mark.parametrize("models", [["Not A Name"], ["x" * 41], [f"m{i}" for i in range(9)], [7]])
def test_bad_model_lists_are_rejected_without_calling_upstream(servers, models):
    base_url, upstream = servers
    response = httpx.post(base_url + "/api/compare", json={"prompt": PROMPT, "models": models}, timeout=15)
    assert response.status_code in (400, 422)
    assert httpx.get(upstream + "/v1/stats").json()["requests"] == 0


def test_a_body_that_is_not_declared_json_is_refused(servers, framework):
    base_url, upstream = servers
    body = b'{"prompt": "hi", "models": ["alpha"]}'
    response = httpx.post(base_url + "/api/compare", content=body, headers={"content-type": "text/plain"})
    assert response.status_code == (422 if framework == "fastapi" else 415), response.text  # Django views: 415
    assert httpx.get(upstream + "/v1/stats").json()["requests"] == 0


def test_an_oversized_body_is_413_without_calling_upstream(servers):
    base_url, upstream = servers
    response = httpx.post(
        base_url + "/api/compare", json={"prompt": "x" * (1024 * 1024 + 1), "models": ["alpha"]}, timeout=15
    )
    assert response.status_code == 413
    assert httpx.get(upstream + "/v1/stats").json()["requests"] == 0


@pytest.fixture
def framework(request) -> str:
    return request.node.callspec.params["sample_url"]
