"""Tests for the endpoint with FastAPI's TestClient; the LLM dependency is overridden with a fake."""

from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from fastapi_app.main import app, get_llm


# --8<-- [start:main]
class FakeLLM:
    def __init__(self) -> None:
        self.prompts: list[str] = []
        self.down = False

    async def complete(self, prompt: str) -> str:
        self.prompts.append(prompt)
        if self.down:
            raise httpx.ConnectError("connection refused")
        return "A short summary."


@pytest.fixture
def llm() -> Iterator[FakeLLM]:
    fake = FakeLLM()
    app.dependency_overrides[get_llm] = lambda: fake  # replaces the dependency for every request
    yield fake
    app.dependency_overrides.clear()


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(app) as client:  # in-process: no server, no network; runs the lifespan too
        yield client


def test_returns_the_llm_summary(client: TestClient, llm: FakeLLM) -> None:
    response = client.post("/api/summaries", json={"text": "A long report."})
    assert response.status_code == 200
    assert response.json() == {"summary": "A short summary."}
    assert llm.prompts == ["Summarise: A long report."]


def test_rejects_empty_text_without_calling_the_llm(client: TestClient, llm: FakeLLM) -> None:
    response = client.post("/api/summaries", json={"text": ""})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "text"]
    assert llm.prompts == []


def test_reports_an_unavailable_llm_as_502(client: TestClient, llm: FakeLLM) -> None:
    llm.down = True
    response = client.post("/api/summaries", json={"text": "A long report."})
    assert response.status_code == 502
    assert response.json() == {"detail": "LLM unavailable"}


# --8<-- [end:main]
