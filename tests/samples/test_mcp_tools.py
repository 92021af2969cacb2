"""mcp-tools: the same two tools over HTTP and over MCP, checked with the official MCP SDK's client."""

import asyncio
from typing import Any

import httpx
import pytest
from mcp import Client

from tests.samples.harness import FRAMEWORKS, django_sample, fastapi_sample

TOOLS = {"search_articles", "get_article"}
BAD_ARGUMENTS = {
    "no-query": ("search_articles", {}),
    "empty-query": ("search_articles", {"query": ""}),
    "blank-query": ("search_articles", {"query": "   "}),
    "long-query": ("search_articles", {"query": "x" * 201}),
    "null-query": ("search_articles", {"query": None}),
    "limit-0": ("search_articles", {"query": "settings", "limit": 0}),
    "limit-11": ("search_articles", {"query": "settings", "limit": 11}),
    "id-0": ("get_article", {"article_id": 0}),
    "id-text": ("get_article", {"article_id": "three"}),
}


@pytest.fixture(scope="module", params=FRAMEWORKS)
def base_url(request):
    make = fastapi_sample if request.param == "fastapi" else django_sample
    with make("mcp_tools").serve() as url:
        yield url


def mcp(base_url: str, steps) -> Any:
    """Connect the SDK's client to the sample's /mcp, run `steps(client)`, return what it returns."""

    async def main() -> Any:
        async with Client(base_url + "/mcp", read_timeout_seconds=10) as client:
            return await steps(client)

    return asyncio.run(main())


def text_of(result) -> str:
    return " ".join(block.text for block in result.content if block.type == "text")


def test_the_sdk_client_lists_the_two_tools_with_their_limits(base_url):
    async def steps(client):
        return client.protocol_version, client.server_info, (await client.list_tools()).tools

    version, info, tools = mcp(base_url, steps)
    assert version == "2026-07-28"  # the newest revision, which has no sessions
    assert info.name == "help-centre"
    assert {t.name for t in tools} == TOOLS
    by_name = {t.name: t for t in tools}
    search = by_name["search_articles"].input_schema
    assert search["required"] == ["query"]
    assert search["properties"]["query"]["maxLength"] == 200
    assert (search["properties"]["limit"]["minimum"], search["properties"]["limit"]["maximum"]) == (1, 10)
    assert by_name["get_article"].input_schema["properties"]["article_id"]["minimum"] == 1
    for tool in tools:
        assert tool.description
        assert tool.annotations.read_only_hint is True
        assert tool.output_schema["type"] == "object"  # structured results, described to the client


def test_a_tool_answers_what_the_http_endpoint_answers(base_url):
    async def steps(client):
        return (
            await client.call_tool("search_articles", {"query": "Settings", "limit": 5}),
            await client.call_tool("search_articles", {"query": "OWNERS", "limit": 1}),
            await client.call_tool("get_article", {"article_id": 3}),
        )

    search, limited, article = mcp(base_url, steps)
    over_http = httpx.get(base_url + "/api/articles", params={"query": "Settings", "limit": 5}, timeout=10)
    assert over_http.status_code == 200
    assert not search.is_error and search.structured_content == over_http.json()
    assert [r["id"] for r in search.structured_content["results"]] == [1, 2]  # every word, any case

    assert limited.structured_content == {"results": [{"id": 3, "title": "Invite a teammate"}]}
    assert limited.structured_content == httpx.get(base_url + "/api/articles?query=OWNERS&limit=1").json()

    assert article.structured_content == httpx.get(base_url + "/api/articles/3", timeout=10).json()
    assert article.structured_content["title"] == "Invite a teammate"


def test_an_unknown_article_is_an_error_the_model_can_read(base_url):
    async def steps(client):
        return await client.call_tool("get_article", {"article_id": 99})

    result = mcp(base_url, steps)
    assert result.is_error
    assert "No article with id 99" in text_of(result)
    over_http = httpx.get(base_url + "/api/articles/99", timeout=10)
    assert over_http.status_code == 404 and "No article with id 99" in over_http.json()["detail"]


@pytest.mark.parametrize("case", BAD_ARGUMENTS)
def test_bad_arguments_are_refused_in_band(base_url, case):
    tool, arguments = BAD_ARGUMENTS[case]

    async def steps(client):
        return await client.call_tool(tool, arguments)

    result = mcp(base_url, steps)
    assert result.is_error, result  # a tool execution error: the calling model sees it and can correct itself
    assert result.structured_content is None


BAD_QUERIES = [
    {},
    {"query": ""},
    {"query": "   "},
    {"query": "x" * 201},
    {"query": "a", "limit": "11"},
    {"query": "a", "limit": "x"},
]


@pytest.mark.parametrize("params", BAD_QUERIES)
def test_bad_queries_get_422_over_http(base_url, params):
    response = httpx.get(base_url + "/api/articles", params=params, headers={"accept": "text/html"}, timeout=10)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/json")


def test_a_foreign_host_or_origin_is_refused(base_url):
    hello = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
    headers = {"accept": "application/json, text/event-stream", "mcp-protocol-version": "2025-11-25"}
    rebound = httpx.post(base_url + "/mcp", json=hello, headers=headers | {"host": "evil.example"}, timeout=10)
    assert rebound.status_code in (400, 421), rebound.text  # Django: 400 for a Host not in ALLOWED_HOSTS
    page = httpx.post(base_url + "/mcp", json=hello, headers=headers | {"origin": "http://evil.example"}, timeout=10)
    assert page.status_code == 403, page.text
    ours = httpx.post(base_url + "/mcp", json=hello, headers=headers | {"origin": base_url}, timeout=10)
    assert ours.status_code == 200, ours.text


@pytest.mark.parametrize(
    "body, content_type",
    [(b"{not json", "application/json"), (b"[]", "application/json"), (b"x" * (1024 * 1024 + 1), "application/json")],
    ids=["malformed", "not-a-message", "over-1-MiB"],
)
def test_hostile_mcp_requests_get_a_4xx(base_url, body, content_type):
    headers = {"accept": "application/json, text/event-stream", "content-type": content_type}
    response = httpx.post(base_url + "/mcp", content=body, headers=headers, timeout=10)
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_going_live_means_adding_the_host_to_allowed_hosts(framework):
    make = fastapi_sample if framework == "fastapi" else django_sample
    hello = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
    headers = {"accept": "application/json, text/event-stream", "mcp-protocol-version": "2025-11-25"}
    live = headers | {"host": "help.example.com", "origin": "https://help.example.com"}
    with make("mcp_tools").serve() as url:
        assert httpx.post(url + "/mcp", json=hello, headers=live, timeout=10).status_code in (400, 421)
    with make("mcp_tools", env={"ALLOWED_HOSTS": "127.0.0.1,help.example.com"}).serve() as url:
        answer = httpx.post(url + "/mcp", json=hello, headers=live, timeout=10)
        assert answer.status_code == 200, answer.text
        assert "search_articles" in answer.text
        assert httpx.get(url + "/api/articles/1", headers={"host": "help.example.com"}, timeout=10).status_code == 200
