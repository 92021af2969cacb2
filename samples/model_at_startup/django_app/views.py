"""Plain Django views: an async health check and a sync inference view."""

import json
import os
import threading

from django.apps import apps
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

# --8<-- [start:main]
# Django runs each sync view call in a thread of its own, so without a limit every concurrent
# request would compute at once, each slower and each holding its own working memory.
INFERENCE_SLOTS = threading.BoundedSemaphore(os.cpu_count() or 1)


def get_model():
    return apps.get_app_config("django_app").model


@require_GET
async def health(request: HttpRequest) -> JsonResponse:
    model = get_model()
    return JsonResponse({"status": "ok", "model": model.name, "instance": model.instance})


# CSRF protects requests that carry cookies. This API uses none and accepts only application/json
# (checked below), which a page on another site cannot send without this API's CORS consent.
@csrf_exempt
@require_POST
def predict(request: HttpRequest) -> JsonResponse:
    # A sync view: under ASGI, Django runs it in a worker thread (sync_to_async), so the event
    # loop keeps serving other requests while the model computes.
    if request.content_type != "application/json":
        return JsonResponse({"detail": "Send application/json."}, status=415)
    try:
        text = json.loads(request.body)["text"]
    except RequestDataTooBig:  # over DATA_UPLOAD_MAX_MEMORY_SIZE; Django's default answer is a 400 page
        return JsonResponse({"detail": "Request body too large"}, status=413)
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"detail": 'Send a JSON object with a "text" string.'}, status=400)
    if not isinstance(text, str) or not 1 <= len(text) <= 10_000:
        return JsonResponse({"detail": '"text" must be a string of 1 to 10000 characters.'}, status=400)
    with INFERENCE_SLOTS:  # one prediction per core at a time; the others wait their turn
        prediction = get_model().predict(text)
    return JsonResponse({"label": prediction.label, "score": prediction.score, "instance": prediction.instance})


# --8<-- [end:main]
