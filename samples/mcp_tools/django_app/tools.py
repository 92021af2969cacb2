"""The two tools, their schemas and the MCP server (django-mcpz): used by the MCP view and the JSON views."""

from typing import Annotated

import help_articles  # samples/_shared: a stand-in for the app's database
import msgspec
from django.http import HttpRequest
from django_mcpz.server import MCPServer, ToolError, public


# --8<-- [start:main]
class SearchParams(msgspec.Struct):
    query: Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S", description="Words to look for")]
    limit: Annotated[int, msgspec.Meta(ge=1, le=10, description="At most this many results")] = 5


class ArticleParams(msgspec.Struct):
    article_id: Annotated[int, msgspec.Meta(ge=1, description="An id from search_articles")]


class ArticleRef(msgspec.Struct):
    id: int
    title: str


class SearchResults(msgspec.Struct):
    results: list[ArticleRef]


class Article(msgspec.Struct):
    id: int
    title: str
    body: str


def search(params: SearchParams) -> SearchResults:
    found = help_articles.search(params.query, params.limit)
    return SearchResults(results=[ArticleRef(id=a.id, title=a.title) for a in found])


def find(article_id: int) -> Article | None:
    found = help_articles.get(article_id)
    return None if found is None else Article(id=found.id, title=found.title, body=found.body)


# Public, like the JSON views: the tools only read. A server whose tools write or spend money takes
# auth=django_mcpz.bearer_tokens.auth.token_auth, or any callable that returns a response to refuse.
server = MCPServer(
    name="help-centre",
    version="1.0.0",
    instructions="Search the help centre's articles, then read one by its id.",
    auth=public,
)


@server.tool(
    description="Find help-centre articles whose title or body contains every word of the query.",
    read_only=True,
    open_world=False,
)
def search_articles(request: HttpRequest, params: SearchParams) -> SearchResults:
    return search(params)


@server.tool(description="Read one help-centre article.", read_only=True, open_world=False)
def get_article(request: HttpRequest, params: ArticleParams) -> Article:
    article = find(params.article_id)
    if article is None:
        raise ToolError(f"No article with id {params.article_id}; search_articles lists the ids.")  # shown to the model
    return article


# --8<-- [end:main]
