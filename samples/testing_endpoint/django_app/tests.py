"""Tests for the endpoint with Django's test client; the LLM call is patched with a fake."""

from typing import Any
from unittest import mock

import httpx
from django.test import SimpleTestCase


# --8<-- [start:main]
@mock.patch("django_app.llm.complete", new_callable=mock.AsyncMock, return_value="A short summary.")
class SummaryTests(SimpleTestCase):  # no database here; TestCase would wrap each test in a transaction
    def post(self, data: dict[str, Any]):
        # The sync test client runs the async view too; django.test.AsyncClient (self.async_client)
        # is the choice when the test itself is async.
        return self.client.post("/api/summaries", data, content_type="application/json")

    def test_returns_the_llm_summary(self, complete):
        response = self.post({"text": "A long report."})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"summary": "A short summary."})
        complete.assert_awaited_once_with("Summarise: A long report.")

    def test_rejects_empty_text_without_calling_the_llm(self, complete):
        response = self.post({"text": ""})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["loc"], ["body", "payload", "text"])
        complete.assert_not_called()

    def test_reports_an_unavailable_llm_as_502(self, complete):
        complete.side_effect = httpx.ConnectError("connection refused")
        response = self.post({"text": "A long report."})
        self.assertEqual(response.status_code, 502)
        self.assertEqual(response.json(), {"detail": "LLM unavailable"})


# --8<-- [end:main]
