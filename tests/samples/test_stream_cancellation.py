"""stream-cancellation: when the client hangs up, the sample stops the model call it was waiting on.

The fake provider (samples/_shared/fake_llm.py) listens for its client's disconnect while it works and
counts every answer it could not finish (`closed_early`), the tokens it sent and the calls in flight.
A sample that kept reading a stream nobody reads, or kept waiting on a model call for a client that has
gone, leaves the call in flight and lets it finish (`completed`); the tests below catch both.
"""

import json
import socket
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx
import pytest

from tests.samples.harness import FAILING_PROMPT, FRAMEWORKS, django_sample, fake_llm, fastapi_sample, parse_sse

LONG_PROMPT = " ".join(f"word{i}" for i in range(40))  # 42 tokens, over 6 s of streaming
LONG_TOKENS = len(LONG_PROMPT.split()) + 2  # the fake replies "You said: <prompt>", a token per word
MODEL_SECONDS = 5.0  # the fake's `slow` model, which the plain endpoint calls
STOPPED_WITHIN = 2.0  # seconds from hanging up to the provider seeing its connection closed


@pytest.fixture(scope="module")
def upstream():
    with fake_llm() as url:
        yield url


@pytest.fixture(scope="module", params=FRAMEWORKS)
def base_url(request, upstream):
    make = fastapi_sample if request.param == "fastapi" else django_sample
    with make("stream_cancellation", env={"LLM_BASE_URL": upstream}).serve() as url:
        yield url


def reset(upstream: str) -> None:
    httpx.post(upstream + "/v1/stats/reset", timeout=5).raise_for_status()


def stats(upstream: str) -> dict[str, int]:
    return httpx.get(upstream + "/v1/stats", timeout=5).json()


def wait_for(upstream: str, done: Callable[[dict[str, int]], bool], timeout: float) -> dict[str, int]:
    """Poll the provider's counters until `done` holds; fail with the last counters after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        current = stats(upstream)
        if done(current):
            return current
        assert time.monotonic() < deadline, f"the provider still shows {current} after {timeout} s"
        time.sleep(0.05)


def test_hanging_up_mid_stream_stops_the_model(base_url, upstream):
    reset(upstream)
    with (
        httpx.Client(base_url=base_url, timeout=10) as client,
        client.stream("GET", "/api/chat/stream", params={"prompt": LONG_PROMPT}) as response,
    ):
        assert response.status_code == 200
        events = parse_sse(response.iter_lines())
        first = [json.loads(next(events)["data"])["token"] for _ in range(2)]
    # Leaving both blocks closed the connection after two of the 42 tokens.
    hung_up = time.monotonic()
    assert first == ["You", " said:"]

    after = wait_for(upstream, lambda s: s["in_flight"] == 0, STOPPED_WITHIN)
    stopped_after = time.monotonic() - hung_up
    assert after["requests"] == 1 and after["closed_early"] == 1 and after["completed"] == 0, after
    assert after["tokens_sent"] < LONG_TOKENS // 2, after  # the model stopped long before the end
    assert stopped_after < STOPPED_WITHIN


def test_hanging_up_a_plain_request_stops_the_model(base_url, upstream):
    reset(upstream)
    address = urlsplit(base_url)
    body = json.dumps({"prompt": "an answer nobody will read"}).encode()
    head = (
        f"POST /api/chat HTTP/1.1\r\nHost: {address.netloc}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    with socket.create_connection((address.hostname, address.port), timeout=5) as sock:
        sock.sendall(head + body)
        wait_for(upstream, lambda s: s["in_flight"] == 1, 5)  # the model is working on it
    hung_up = time.monotonic()

    # Had the sample gone on waiting, the call would stay in flight for the model's 5 s and finish.
    after = wait_for(upstream, lambda s: s["in_flight"] == 0, STOPPED_WITHIN)
    assert time.monotonic() - hung_up < STOPPED_WITHIN < MODEL_SECONDS
    assert after["requests"] == 1 and after["closed_early"] == 1 and after["completed"] == 0, after


def test_a_client_that_stays_gets_the_whole_stream(base_url, upstream):
    reset(upstream)
    prompt = "stay to the end"
    with httpx.stream("GET", base_url + "/api/chat/stream", params={"prompt": prompt}, timeout=10) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = list(parse_sse(response.iter_lines()))
    tokens = [json.loads(e["data"])["token"] for e in events if e["event"] == "message"]
    assert "".join(tokens) == f"You said: {prompt}"
    assert events[-1]["event"] == "done"
    assert wait_for(upstream, lambda s: s["in_flight"] == 0, 2) == {
        "requests": 1,
        "in_flight": 0,
        "max_in_flight": 1,
        "completed": 1,
        "closed_early": 0,
        "tokens_sent": len(tokens),
    }


def test_a_client_that_stays_gets_the_whole_answer(base_url, upstream):
    reset(upstream)
    start = time.monotonic()
    response = httpx.post(base_url + "/api/chat", json={"prompt": "worth the wait"}, timeout=15)
    assert response.status_code == 200, response.text
    assert response.json() == {"text": "[slow] You said: worth the wait"}
    assert time.monotonic() - start >= MODEL_SECONDS - 0.5  # it really waited for the model
    after = stats(upstream)
    assert after["completed"] == 1 and after["closed_early"] == 0, after


def test_a_failing_model_ends_the_stream_with_an_error_event(base_url):
    with httpx.stream("GET", base_url + "/api/chat/stream", params={"prompt": FAILING_PROMPT}, timeout=10) as response:
        assert response.status_code == 200
        events = list(parse_sse(response.iter_lines()))
    assert [(e["event"], json.loads(e["data"])) for e in events] == [
        ("error", {"detail": "the model failed; try again"})
    ]


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "GET", "url": "/api/chat/stream"},
        {"method": "GET", "url": "/api/chat/stream", "params": {"prompt": "x" * 2001}},
        {"method": "POST", "url": "/api/chat", "json": {}},
        {"method": "POST", "url": "/api/chat", "json": {"prompt": ""}},
        {"method": "POST", "url": "/api/chat", "json": {"prompt": None}},
        {"method": "POST", "url": "/api/chat", "json": {"prompt": "x" * 2001}},
        {
            "method": "POST",
            "url": "/api/chat",
            "content": b"{not json",
            "headers": {"content-type": "application/json"},
        },
    ],
    ids=["no-prompt", "long-prompt", "empty-body", "blank", "null", "too-long", "malformed"],
)
def test_bad_input_is_rejected_without_calling_the_model(base_url, upstream, request_kwargs):
    reset(upstream)
    kwargs = {**request_kwargs, "url": base_url + request_kwargs["url"]}
    response = httpx.request(**kwargs, timeout=10)
    assert response.status_code in (400, 422), response.text
    assert stats(upstream)["requests"] == 0


def test_a_text_body_is_refused(base_url):
    response = httpx.post(
        base_url + "/api/chat", content=b"prompt=hi", headers={"content-type": "text/plain"}, timeout=10
    )
    assert response.status_code in (415, 422)
