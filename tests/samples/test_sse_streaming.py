"""sse-streaming: tokens from the (local, fake) LLM reach the client one event at a time."""

import itertools
import json
import time

import httpx
import pytest

from tests.samples.harness import FAILING_PROMPT, FRAMEWORKS, django_sample, fake_llm, fastapi_sample, parse_sse

PROMPT = "tokens should arrive while the model is still writing"


@pytest.fixture(scope="module")
def upstream():
    with fake_llm() as url:
        yield url


@pytest.fixture(scope="module", params=FRAMEWORKS)
def base_url(request, upstream):
    make = fastapi_sample if request.param == "fastapi" else django_sample
    with make("sse_streaming", env={"LLM_BASE_URL": upstream}).serve() as url:
        yield url


def test_tokens_are_streamed_as_server_sent_events(base_url):
    received = []  # (seconds since request, event)
    with httpx.Client(base_url=base_url, timeout=10) as client:
        start = time.monotonic()
        with client.stream("GET", "/api/chat/stream", params={"prompt": PROMPT}) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            assert "no-cache" in response.headers["cache-control"]
            assert response.headers["x-accel-buffering"] == "no"  # tells nginx not to buffer the stream
            for event in parse_sse(response.iter_lines()):
                received.append((time.monotonic() - start, event))
        ended = time.monotonic() - start

    tokens = [json.loads(e["data"])["token"] for _, e in received if e["event"] == "message"]
    assert "".join(tokens) == f"You said: {PROMPT}"
    assert len(tokens) == len(PROMPT.split()) + 2

    last_at, last = received[-1]
    assert last["event"] == "done" and json.loads(last["data"]) == {"finish_reason": "stop"}

    # The first token was in the client's hands long before the stream ended: nothing buffered it.
    first_at = received[0][0]
    assert ended - first_at > 0.8, (first_at, ended)
    # and the tokens trickled in: no two thirds of them arrived at once.
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(received)]
    assert sum(gap > 0.05 for gap in gaps) >= len(gaps) // 2, gaps


def test_a_missing_prompt_is_rejected(base_url):
    response = httpx.get(base_url + "/api/chat/stream", timeout=10)
    assert response.status_code in (400, 422)


def test_a_failing_model_ends_the_stream_with_an_error_event(base_url):
    with httpx.stream("GET", base_url + "/api/chat/stream", params={"prompt": FAILING_PROMPT}, timeout=10) as response:
        assert response.status_code == 200
        events = list(parse_sse(response.iter_lines()))
    assert [(e["event"], json.loads(e["data"])) for e in events] == [
        ("error", {"detail": "the model failed; try again"})
    ]


def test_a_prompt_over_2000_characters_is_rejected(base_url):
    response = httpx.get(base_url + "/api/chat/stream", params={"prompt": "x" * 2001}, timeout=10)
    assert response.status_code in (400, 422)
