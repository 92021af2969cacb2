"""Plain async Django views that enqueue a django.tasks task and report its stored result."""

import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.tasks import TaskResult, TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .tasks import summarise

# --8<-- [start:main]
STATUS = {
    TaskResultStatus.READY: "queued",
    TaskResultStatus.RUNNING: "running",
    TaskResultStatus.SUCCESSFUL: "succeeded",
    TaskResultStatus.FAILED: "failed",
}


def job_json(result: TaskResult) -> dict[str, Any]:
    done = result.status == TaskResultStatus.SUCCESSFUL
    return {
        "id": result.id,
        "status": STATUS[result.status],
        "result": result.return_value if done else None,
    }


# CSRF protects requests that carry cookies. This API uses none and accepts only application/json
# (checked below), which a page on another site cannot send without this API's CORS consent.
@csrf_exempt
@require_POST
async def create_job(request: HttpRequest) -> JsonResponse:
    if request.content_type != "application/json":
        return JsonResponse({"detail": "Send application/json."}, status=415)
    try:
        text = json.loads(request.body)["text"]
    except RequestDataTooBig:  # over DATA_UPLOAD_MAX_MEMORY_SIZE; Django's default answer is a 400 page
        return JsonResponse({"detail": "Request body too large"}, status=413)
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"detail": 'Send a JSON object with a "text" string.'}, status=400)
    if not isinstance(text, str) or not 1 <= len(text) <= 100_000:
        return JsonResponse({"detail": '"text" must be a string of 1 to 100000 characters.'}, status=400)
    # The backend (django-tasks-db) stores the task in the database; a worker picks it up.
    result = await summarise.aenqueue(text=text)
    return JsonResponse(job_json(result), status=202, headers={"Location": f"/api/jobs/{result.id}"})


@require_GET
async def get_job(request: HttpRequest, job_id: str) -> JsonResponse:
    try:
        result = await summarise.aget_result(job_id)
    except TaskResultDoesNotExist:
        return JsonResponse({"detail": "No such job"}, status=404)
    return JsonResponse(job_json(result))


# --8<-- [end:main]
