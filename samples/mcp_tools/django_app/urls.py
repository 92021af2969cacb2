from django.urls import path

from . import views
from .tools import server

urlpatterns = [
    path("api/articles", views.search_articles),
    path("api/articles/<int:article_id>", views.get_article),
    path("mcp", server),  # the MCP server is a view
]
