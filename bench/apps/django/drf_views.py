"""Django REST framework, synchronous class-based views and serializers, over WSGI (gunicorn)."""

import time
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.urls import path
from rest_framework import generics, renderers, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bench.apps import common
from bench.apps.django.clients import sync_client
from bench.apps.django.models import Item, first_items


class CompletionRequestSerializer(serializers.Serializer):
    user_id = serializers.IntegerField(min_value=common.USER_ID_MIN)
    prompt = serializers.CharField(min_length=1, max_length=common.PROMPT_MAX_CHARS, trim_whitespace=False)
    max_tokens = serializers.IntegerField(min_value=1, max_value=common.MAX_TOKENS_MAX)
    temperature = serializers.FloatField(min_value=0, max_value=common.TEMPERATURE_MAX)


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = ["id", "name", "price_cents"]


class Hello(APIView):
    def get(self, request: Request) -> Response:
        return Response(common.HELLO)


class Validated(APIView):
    def post(self, request: Request) -> Response:
        serializer = CompletionRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        return Response(common.completion_estimate(d["user_id"], d["prompt"], d["max_tokens"]))


class Upstream(APIView):
    def get(self, request: Request) -> Response:
        response = sync_client.post(common.upstream_url(), json=common.UPSTREAM_REQUEST)
        response.raise_for_status()
        return Response(common.completion_from(response.json()))


class EventStreamRenderer(renderers.BaseRenderer):
    """Lets DRF's content negotiation accept `Accept: text/event-stream` (EventSource sends it)."""

    media_type = "text/event-stream"
    format = "txt"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: dict[str, Any] | None = None
    ) -> Any:
        return data


class Sse(APIView):
    renderer_classes = [EventStreamRenderer]

    def get(self, request: Request) -> StreamingHttpResponse:
        def events() -> Iterator[str]:
            for i in range(common.SSE_TOKENS):
                time.sleep(common.SSE_INTERVAL_S)
                yield common.sse_event(i)

        response = StreamingHttpResponse(events(), content_type="text/event-stream")
        response["Cache-Control"] = "no-cache"
        return response


class Cpu(APIView):
    def get(self, request: Request) -> Response:
        return Response(common.cpu_answer())


class Db(generics.ListAPIView):
    serializer_class = ItemSerializer

    def get_queryset(self) -> QuerySet:
        return first_items()


class DbPg(Db):
    def get_queryset(self) -> QuerySet:
        return first_items("pg")


urlpatterns = [
    path("json", Hello.as_view()),
    path("validated", Validated.as_view()),
    path("upstream", Upstream.as_view()),
    path("sse", Sse.as_view()),
    path("cpu", Cpu.as_view()),
    path("db", Db.as_view()),
    path("db-pg", DbPg.as_view()),
]
