"""websocket-chat: a real WebSocket round trip; the reply streams back token by token."""

import json
import time

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.samples.harness import FAILING_PROMPT, FRAMEWORKS, django_sample, fake_llm, fastapi_sample


@pytest.fixture(scope="module")
def upstream():
    with fake_llm() as url:
        yield url


@pytest.fixture(scope="module", params=FRAMEWORKS)
def ws_url(request, upstream):
    make = fastapi_sample if request.param == "fastapi" else django_sample
    with make("websocket_chat", env={"LLM_BASE_URL": upstream}).serve() as url:
        yield url.replace("http://", "ws://") + "/ws/chat"


def open_chat(ws_url: str, origin: str = "http://127.0.0.1"):
    return connect(ws_url, origin=origin, open_timeout=5, close_timeout=2)


def one_turn(ws, prompt: str) -> tuple[str, dict, list[float]]:
    ws.send(json.dumps({"prompt": prompt}))
    tokens, times = [], []
    while True:
        message = json.loads(ws.recv(timeout=10))
        times.append(time.monotonic())
        if message["type"] != "token":
            return "".join(tokens), message, times
        tokens.append(message["text"])


def test_two_turns_on_one_connection_stream_token_by_token(ws_url):
    with open_chat(ws_url) as ws:
        sent = time.monotonic()
        text, end, times = one_turn(ws, "hello over a websocket")
        assert text == "You said: hello over a websocket"
        assert end == {"type": "done", "turn": 1}
        assert len(times) == 7  # six tokens, then done
        assert times[-1] - times[0] > 0.4, "tokens must arrive as they are produced, not all at the end"
        assert times[0] - sent < times[-1] - sent

        text, end, _ = one_turn(ws, "again")
        assert text == "You said: again"
        assert end == {"type": "done", "turn": 2}


BAD_MESSAGE = {"type": "error", "detail": 'send {"prompt": "..."} with 1 to 2000 characters'}


@pytest.mark.parametrize(
    "frame",
    [
        json.dumps({"text": "no prompt key"}),  # valid JSON, no prompt
        "{not json",  # malformed JSON
        json.dumps(["prompt"]),  # not an object
        json.dumps({"prompt": ""}),  # empty prompt
        json.dumps({"prompt": "x" * 2001}),  # over the 2000-character limit
    ],
)
def test_a_bad_message_gets_an_error_and_the_connection_stays_open(ws_url, frame):
    with open_chat(ws_url) as ws:
        ws.send(frame)
        assert json.loads(ws.recv(timeout=5)) == BAD_MESSAGE
        text, end, _ = one_turn(ws, "still here")
        assert text == "You said: still here" and end["turn"] == 1


def test_a_failing_model_gets_an_error_and_the_connection_stays_open(ws_url):
    with open_chat(ws_url) as ws:
        text, end, _ = one_turn(ws, FAILING_PROMPT)  # the fake LLM answers 503
        assert (text, end) == ("", {"type": "error", "detail": "the model failed; try again"})
        text, end, _ = one_turn(ws, "after the failure")
        assert text == "You said: after the failure" and end == {"type": "done", "turn": 1}


def test_a_handshake_from_another_site_is_refused(ws_url):
    with pytest.raises(InvalidStatus) as refused, open_chat(ws_url, origin="https://evil.example"):
        pass
    assert refused.value.response.status_code == 403
