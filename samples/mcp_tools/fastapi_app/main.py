"""The same two tools over HTTP and over MCP: the official MCP SDK's Streamable HTTP app mounted beside the API."""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import help_articles  # samples/_shared: a stand-in for the app's database
from fastapi import FastAPI, HTTPException, Query
from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.transport_security import TransportSecuritySettings
from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field

# The host names this app answers to, as in Django's ALLOWED_HOSTS; the MCP app refuses any other Host (421)
# and any other Origin (403), so a web page cannot reach it through DNS rebinding.
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
MIB = 1024 * 1024


# --8<-- [start:main]
class ArticleRef(BaseModel):
    id: int
    title: str


class SearchResults(BaseModel):
    results: list[ArticleRef]


class Article(BaseModel):
    id: int
    title: str
    body: str


SearchQuery = Annotated[str, Field(min_length=1, max_length=200, pattern=r"\S", description="Words to look for")]
Limit = Annotated[int, Field(ge=1, le=10, description="At most this many results")]
ArticleId = Annotated[int, Field(ge=1, description="An id from search_articles")]


def search(query: str, limit: int) -> SearchResults:
    found = help_articles.search(query, limit)
    return SearchResults(results=[ArticleRef(id=a.id, title=a.title) for a in found])


def find(article_id: int) -> Article | None:
    found = help_articles.get(article_id)
    return None if found is None else Article(id=found.id, title=found.title, body=found.body)


# The MCP side: each tool's input schema comes from its signature, its output schema from its return type.
mcp = MCPServer("help-centre", instructions="Search the help centre's articles, then read one by its id.")
read_only = ToolAnnotations(read_only_hint=True, open_world_hint=False)


@mcp.tool(annotations=read_only)
def search_articles(query: SearchQuery, limit: Limit = 5) -> SearchResults:
    """Find help-centre articles whose title or body contains every word of the query."""
    return search(query, limit)


@mcp.tool(annotations=read_only)
def get_article(article_id: ArticleId) -> Article:
    """Read one help-centre article."""
    article = find(article_id)
    if article is None:
        raise ToolError(f"No article with id {article_id}; search_articles lists the ids.")  # shown to the model
    return article


mcp_app = mcp.streamable_http_app(
    # MCP 2026-07-28 has no sessions; this gives clients of the 2025 revisions none either, so any worker can
    # answer any request.
    stateless_http=True,
    json_response=True,
    max_request_body_size=MIB,
    transport_security=TransportSecuritySettings(
        allowed_hosts=[*ALLOWED_HOSTS, *(f"{h}:*" for h in ALLOWED_HOSTS)],
        allowed_origins=[f"{s}://{h}{port}" for h in ALLOWED_HOSTS for s in ("http", "https") for port in ("", ":*")],
    ),
)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    async with mcp.session_manager.run():  # a mounted app's own lifespan never runs: start its manager here
        yield


app = FastAPI(lifespan=lifespan, max_body_size=MIB)


# The HTTP side: the same functions, the same limits.
@app.get("/api/articles")
def api_search_articles(
    query: Annotated[str, Query(min_length=1, max_length=200, pattern=r"\S")],
    limit: Annotated[int, Query(ge=1, le=10)] = 5,
) -> SearchResults:
    return search(query, limit)


@app.get("/api/articles/{article_id}")
def api_get_article(article_id: int) -> Article:
    article = find(article_id)
    if article is None:
        raise HTTPException(status_code=404, detail=f"No article with id {article_id}")
    return article


app.mount("/", mcp_app)  # last, after the API routes: it serves /mcp
# --8<-- [end:main]
