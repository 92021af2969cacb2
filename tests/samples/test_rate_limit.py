"""rate-limit: a per-user limit on the chat endpoint, answered with 429 and Retry-After; others unaffected."""

import secrets

import httpx
import pytest

from tests.samples.harness import FRAMEWORKS, django_sample, fake_llm, fastapi_sample

LIMIT = 3  # requests per minute per user, set through CHAT_LIMIT in each framework's notation
BAD_INPUT = {"empty-body": {}, "blank": {"prompt": ""}, "null": {"prompt": None}, "too-long": {"prompt": "x" * 2001}}
# alice and bob, and one user per bad input (so that no case can be refused for the limit instead)
KEYS = {user: secrets.token_urlsafe(24) for user in ("alice", "bob", *BAD_INPUT)}
CHAT_LIMIT = {"fastapi": f"{LIMIT}/minute", "django": f"{LIMIT}/m"}  # slowapi's and Ninja's rate syntax


@pytest.fixture(scope="module")
def upstream():
    with fake_llm() as url:
        yield url


@pytest.fixture(scope="module", params=FRAMEWORKS)
def base_url(request, upstream):
    make = fastapi_sample if request.param == "fastapi" else django_sample
    env = {
        "LLM_BASE_URL": upstream,
        "CHAT_LIMIT": CHAT_LIMIT[request.param],
        "API_KEYS": ",".join(f"{user}:{key}" for user, key in KEYS.items()),
    }
    with make("rate_limit", env=env).serve() as url:
        yield url


def calls(upstream: str) -> int:
    return httpx.get(upstream + "/v1/stats", timeout=5).json()["requests"]


def reset(upstream: str) -> None:
    httpx.post(upstream + "/v1/stats/reset", timeout=5).raise_for_status()


def chat(base_url: str, user: str, prompt: str = "hello") -> httpx.Response:
    headers = {"Authorization": f"Bearer {KEYS[user]}"}
    return httpx.post(base_url + "/api/chat", json={"prompt": prompt}, headers=headers, timeout=10)


def test_a_user_over_the_limit_gets_429_with_retry_after(base_url, upstream):
    reset(upstream)
    answers = [chat(base_url, "alice", f"question {n}") for n in range(LIMIT)]
    assert [r.status_code for r in answers] == [200] * LIMIT, [r.text for r in answers]
    assert answers[0].json() == {"text": "[alpha] You said: question 0"}

    refused = chat(base_url, "alice")
    assert refused.status_code == 429, refused.text
    retry_after = refused.headers["retry-after"]
    assert retry_after.isdigit() and 1 <= int(retry_after) <= 60, retry_after  # delta-seconds, RFC 9110
    assert calls(upstream) == LIMIT  # the refused request never reached the model


def test_another_user_is_not_affected(base_url, upstream):
    reset(upstream)
    # alice used her allowance above (or uses it now, if this test runs alone).
    statuses = [chat(base_url, "alice").status_code for _ in range(LIMIT + 1)]
    assert statuses[-1] == 429, statuses
    bob = [chat(base_url, "bob", f"bob {n}") for n in range(LIMIT)]
    assert [r.status_code for r in bob] == [200] * LIMIT
    assert chat(base_url, "bob").status_code == 429


@pytest.mark.parametrize("header", [None, "Bearer not-a-key", "Basic YWxpY2U6eA=="], ids=["none", "unknown", "basic"])
def test_requests_without_a_valid_key_are_refused_before_the_limit(base_url, upstream, header):
    reset(upstream)
    headers = {"Authorization": header} if header else {}
    response = httpx.post(base_url + "/api/chat", json={"prompt": "hi"}, headers=headers, timeout=10)
    assert response.status_code == 401
    assert calls(upstream) == 0


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_is_rejected_without_calling_the_model(base_url, upstream, case):
    reset(upstream)
    response = httpx.post(
        base_url + "/api/chat", json=BAD_INPUT[case], headers={"Authorization": f"Bearer {KEYS[case]}"}, timeout=10
    )
    assert response.status_code in (400, 422), response.text
    assert calls(upstream) == 0
