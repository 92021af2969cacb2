"""json-validation: the same requests against the FastAPI and the Django (Ninja) sample."""

import time

import httpx
import pytest

from tests.samples.harness import FRAMEWORKS, django_sample, fastapi_sample

SAMPLES = {"fastapi": fastapi_sample("json_validation"), "django": django_sample("json_validation")}
VALID = {"model": "tiny-1", "messages": [{"role": "user", "content": "Hello there"}], "temperature": 0.2}


@pytest.fixture(scope="module", params=FRAMEWORKS)
def api(request):
    with SAMPLES[request.param].serve() as url, httpx.Client(base_url=url, timeout=10) as client:
        client.framework = request.param
        yield client


def errors_by_field(response) -> dict[tuple, str]:
    """Map each error's field path (the tail of `loc`, after the body prefix) to its error type."""
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail
    found = {}
    for error in detail:
        assert error["msg"], error
        loc = error["loc"]
        assert loc[0] == "body", loc
        found[tuple(loc)] = error["type"]
    return found


def has_error(found: dict[tuple, str], path: tuple, type_: str) -> bool:
    return any(loc[-len(path) :] == path and t == type_ for loc, t in found.items())


def test_valid_request_is_answered_with_the_typed_response(api):
    response = api.post("/api/chat", json=VALID)
    assert response.status_code == 200, response.text
    assert response.json() == {"model": "tiny-1", "reply": "You said: Hello there", "prompt_words": 2}


def test_every_invalid_field_is_reported_with_its_location(api):
    bad = {"model": "Tiny 1", "messages": [{"role": "robot", "content": "hi"}], "temperature": 3, "max_tokens": 0}
    found = errors_by_field(api.post("/api/chat", json=bad))
    assert has_error(found, ("model",), "string_pattern_mismatch")
    assert has_error(found, ("messages", 0, "role"), "literal_error")
    assert has_error(found, ("temperature",), "less_than_equal")
    assert has_error(found, ("max_tokens",), "greater_than_equal")
    assert len(found) == 4


def test_missing_and_unknown_fields_are_errors(api):
    found = errors_by_field(api.post("/api/chat", json={"messages": [], "temprature": 1}))
    assert has_error(found, ("model",), "missing")
    assert has_error(found, ("messages",), "too_short")
    assert has_error(found, ("temprature",), "extra_forbidden")


def test_only_fastapi_echoes_the_rejected_input(api):
    response = api.post("/api/chat", json={**VALID, "temperature": 9})
    assert response.status_code == 422
    assert [("input" in error) for error in response.json()["detail"]] == [api.framework == "fastapi"]


def test_wrong_types_are_not_coerced_silently(api):
    found = errors_by_field(api.post("/api/chat", json={**VALID, "max_tokens": "lots"}))
    assert has_error(found, ("max_tokens",), "int_parsing")


def test_malformed_json_is_a_client_error_with_a_detail(api):
    response = api.post("/api/chat", content=b'{"model": ', headers={"content-type": "application/json"})
    # FastAPI answers 422 (type json_invalid); Django Ninja answers 400 "Cannot parse request body".
    if api.framework == "fastapi":
        assert response.status_code == 422 and response.json()["detail"][0]["type"] == "json_invalid"
    else:
        assert response.status_code == 400 and response.json()["detail"] == "Cannot parse request body"


def test_locations_start_with_body_and_ninja_adds_the_parameter_name(api):
    response = api.post("/api/chat", json={**VALID, "temperature": 9})
    expected = ["body", "temperature"] if api.framework == "fastapi" else ["body", "payload", "temperature"]
    assert [error["loc"] for error in response.json()["detail"]] == [expected]


def test_a_body_over_one_mebibyte_is_413_before_it_is_parsed(api):
    content = [{"role": "user", "content": "x" * 4000}] * 300  # valid items, about 1.2 MiB in all
    started = time.monotonic()
    response = api.post("/api/chat", json={"model": "tiny-1", "messages": content})
    assert response.status_code == 413, response.text[:200]
    assert time.monotonic() - started < 2
    if api.framework == "fastapi":  # Starlette's limit answers from the Content-Length, in plain text
        assert response.headers["content-type"].startswith("text/plain") and response.text == "Content Too Large"
    else:
        assert response.json() == {"detail": "Request body too large"}
    # The server still answers normally afterwards.
    assert api.post("/api/chat", json=VALID).status_code == 200
