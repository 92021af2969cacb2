"""A task for Django's built-in tasks framework (django.tasks, new in 6.0)."""

import time
from typing import Any

from django.tasks import task


# --8<-- [start:main]
@task
def summarise(text: str) -> dict[str, Any]:
    """Runs in the worker process (`manage.py db_worker`), not in the web server."""
    time.sleep(0.5)  # the slow part: stands in for an LLM call
    first_sentence = text.split(".")[0].strip()
    return {"summary": first_sentence, "words": len(text.split())}


# --8<-- [end:main]
