"""A stand-in for a help centre's database: a few articles, read-only, and the search the samples share.

Both samples of the mcp-tools task expose the same two operations over HTTP and as MCP tools; the data and
the matching rule live here, so what differs between the samples is only how each framework exposes them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HelpArticle:
    id: int
    title: str
    body: str


ARTICLES = (
    HelpArticle(
        1,
        "Reset your password",
        "Open Settings, choose Security and follow the reset link we email you.",
    ),
    HelpArticle(
        2,
        "Export your data",
        "Settings offers an export of every project as a ZIP file of JSON documents.",
    ),
    HelpArticle(
        3,
        "Invite a teammate",
        "Owners invite teammates from the Members page; invitations expire after 7 days.",
    ),
    HelpArticle(
        4,
        "Billing and invoices",
        "Invoices are emailed on the first day of each month and listed under Billing.",
    ),
    HelpArticle(
        5,
        "Delete a project",
        "Only owners can delete a project; deleted projects can be restored for 30 days.",
    ),
    HelpArticle(
        6,
        "API rate limits",
        "Each API key may send 60 requests per minute; a 429 response says when to retry.",
    ),
)


def search(query: str, limit: int) -> list[HelpArticle]:
    """Articles whose title or body contains every word of the query (any case), in id order."""
    words = query.casefold().split()
    found = [a for a in ARTICLES if all(w in f"{a.title} {a.body}".casefold() for w in words)]
    return found[:limit]


def get(article_id: int) -> HelpArticle | None:
    return next((a for a in ARTICLES if a.id == article_id), None)
