"""openapi-docs: both samples describe the chat endpoint in OpenAPI and serve Swagger UI for it."""

import httpx
import pytest

from tests.samples.harness import FRAMEWORKS, django_sample, fastapi_sample

SAMPLES = {"fastapi": fastapi_sample("openapi_docs"), "django": django_sample("openapi_docs")}


@pytest.fixture(scope="module", params=FRAMEWORKS)
def api(request):
    with SAMPLES[request.param].serve() as url, httpx.Client(base_url=url, timeout=10) as client:
        client.framework = request.param
        yield client


@pytest.fixture(scope="module")
def schema(api):
    response = api.get("/api/openapi.json")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def resolve(schema: dict, node: dict) -> dict:
    ref = node.get("$ref")
    if not ref:
        return node
    assert ref.startswith("#/components/schemas/"), ref
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_the_document_describes_the_api(schema):
    assert schema["openapi"].startswith("3.1.")
    assert schema["info"]["title"] == "Chat API"
    assert schema["info"]["version"] == "1.0.0"
    assert schema["info"]["description"] == "Answers chat conversations with a language model."


def test_the_operation_is_documented_from_the_code(schema):
    operation = schema["paths"]["/api/chat"]["post"]
    assert operation["summary"] == "Answer a chat conversation"
    assert operation["tags"] == ["chat"]
    assert operation["description"].startswith("Returns the model's reply")  # from the docstring


def test_request_body_schema_carries_the_validation_rules(schema):
    body = schema["paths"]["/api/chat"]["post"]["requestBody"]
    assert body["required"] is True
    request_schema = resolve(schema, body["content"]["application/json"]["schema"])
    assert set(request_schema["required"]) == {"model", "messages"}
    assert request_schema["additionalProperties"] is False  # extra="forbid" is documented too
    props = request_schema["properties"]
    assert (props["temperature"]["minimum"], props["temperature"]["maximum"]) == (0, 2)
    assert props["temperature"]["description"] == "Sampling temperature."
    assert props["max_tokens"]["type"] == "integer"
    assert props["model"]["pattern"] == "^[a-z0-9-]+$"
    assert props["messages"]["minItems"] == 1
    message = resolve(schema, props["messages"]["items"])
    assert message["properties"]["role"]["enum"] == ["system", "user", "assistant"]


def test_response_schema_is_documented(schema):
    ok = schema["paths"]["/api/chat"]["post"]["responses"]["200"]
    response_schema = resolve(schema, ok["content"]["application/json"]["schema"])
    assert set(response_schema["properties"]) == {"model", "reply", "prompt_words"}


def test_only_fastapi_documents_its_automatic_422(api, schema):
    documented = set(schema["paths"]["/api/chat"]["post"]["responses"])
    assert documented == ({"200", "422"} if api.framework == "fastapi" else {"200"})


def test_interactive_docs_page_loads_the_schema(api):
    response = api.get("/api/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="swagger-ui"' in response.text
    assert "SwaggerUIBundle" in response.text
    assert "/api/openapi.json" in response.text
    assert 'src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"' in response.text  # from a CDN


def test_the_documented_endpoint_really_answers(api):
    response = api.post("/api/chat", json={"model": "tiny-1", "messages": [{"role": "user", "content": "Hi"}]})
    assert response.status_code == 200
    assert response.json()["reply"] == "You said: Hi"
