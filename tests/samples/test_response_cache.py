"""response-cache: identical prompts are answered from a cache, so the model is called once until it expires."""

import time

import httpx
import pytest

from tests.samples.harness import FRAMEWORKS, django_sample, fake_llm, fastapi_sample

CACHE_SECONDS = 2  # the samples read it from the environment (default 300)


@pytest.fixture(scope="module")
def upstream():
    with fake_llm() as url:
        yield url


@pytest.fixture(scope="module", params=FRAMEWORKS)
def base_url(request, upstream):
    make = fastapi_sample if request.param == "fastapi" else django_sample
    env = {"LLM_BASE_URL": upstream, "CACHE_SECONDS": str(CACHE_SECONDS)}
    with make("response_cache", env=env).serve() as url:
        yield url


def calls(upstream: str) -> int:
    return httpx.get(upstream + "/v1/stats", timeout=5).json()["requests"]


def reset(upstream: str) -> None:
    httpx.post(upstream + "/v1/stats/reset", timeout=5).raise_for_status()


def ask(base_url: str, prompt: str) -> tuple[dict, float]:
    start = time.monotonic()
    response = httpx.post(base_url + "/api/complete", json={"prompt": prompt}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json(), time.monotonic() - start


def test_a_repeated_prompt_calls_the_model_once(base_url, upstream):
    reset(upstream)
    prompt = f"what is a cache? {time.monotonic_ns()}"  # new to this server's cache
    first, first_took = ask(base_url, prompt)
    second, second_took = ask(base_url, prompt)
    third, _ = ask(base_url, prompt)
    assert first == {"text": f"[alpha] You said: {prompt}", "cached": False}
    assert second == third == {"text": first["text"], "cached": True}
    assert calls(upstream) == 1
    assert first_took >= 0.4 > second_took  # the model takes 0.5 s; the cache does not


def test_different_prompts_are_cached_apart(base_url, upstream):
    reset(upstream)
    stamp = time.monotonic_ns()
    answers = [ask(base_url, f"prompt {n} {stamp}")[0] for n in (1, 2, 1, 2)]
    assert [a["cached"] for a in answers] == [False, False, True, True]
    assert answers[0]["text"] != answers[1]["text"]
    assert calls(upstream) == 2


def test_an_answer_expires(base_url, upstream):
    reset(upstream)
    prompt = f"expiring {time.monotonic_ns()}"
    assert ask(base_url, prompt)[0]["cached"] is False
    assert ask(base_url, prompt)[0]["cached"] is True
    time.sleep(CACHE_SECONDS + 0.5)
    assert ask(base_url, prompt)[0]["cached"] is False
    assert calls(upstream) == 2


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"json": {}},
        {"json": {"prompt": ""}},
        {"json": {"prompt": None}},
        {"json": {"prompt": ["a", "list"]}},
        {"json": {"prompt": "x" * 2001}},
        {"content": b"{not json", "headers": {"content-type": "application/json"}},
    ],
    ids=["empty-body", "blank", "null", "list", "too-long", "malformed"],
)
def test_bad_input_is_rejected_without_calling_the_model(base_url, upstream, request_kwargs):
    reset(upstream)
    response = httpx.post(base_url + "/api/complete", timeout=10, **request_kwargs)
    assert response.status_code in (400, 422), response.text
    assert calls(upstream) == 0


def test_a_text_body_is_refused(base_url):
    response = httpx.post(
        base_url + "/api/complete", content=b"prompt=hi", headers={"content-type": "text/plain"}, timeout=10
    )
    assert response.status_code in (415, 422)


def test_a_body_over_1_mib_is_refused(base_url, upstream):
    reset(upstream)
    body = b'{"prompt": "' + b"x" * (1024 * 1024) + b'"}'
    response = httpx.post(
        base_url + "/api/complete", content=body, headers={"content-type": "application/json"}, timeout=10
    )
    assert response.status_code == 413
    assert calls(upstream) == 0
