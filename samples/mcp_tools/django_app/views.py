"""The HTTP side: the same functions and schemas as the MCP tools, as JSON views."""

import msgspec
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from .tools import SearchParams, find, search


# --8<-- [start:main]
@require_GET
def search_articles(request: HttpRequest) -> JsonResponse:
    try:  # the query string, checked against the tool's own schema (strict=False: "5" may be an int)
        params = msgspec.convert(request.GET.dict(), SearchParams, strict=False)
    except msgspec.ValidationError as exc:
        return JsonResponse({"detail": str(exc)}, status=422)
    return JsonResponse(msgspec.to_builtins(search(params)))


@require_GET
def get_article(request: HttpRequest, article_id: int) -> JsonResponse:
    article = find(article_id)
    if article is None:
        return JsonResponse({"detail": f"No article with id {article_id}"}, status=404)
    return JsonResponse(msgspec.to_builtins(article))


# --8<-- [end:main]
