"""Accept a job, answer 202 with its id, run it after the response with BackgroundTasks, poll for it."""

import asyncio
import uuid
from typing import Any, Literal

from fastapi import BackgroundTasks, FastAPI, HTTPException, Response
from pydantic import BaseModel, Field

app = FastAPI(max_body_size=1024 * 1024)  # larger bodies get 413 before they are read


async def summarise(text: str) -> dict[str, Any]:
    """The slow part: stands in for an LLM call, which is I/O: await it (e.g. with httpx.AsyncClient)."""
    await asyncio.sleep(0.5)
    first_sentence = text.split(".")[0].strip()
    return {"summary": first_sentence, "words": len(text.split())}


# --8<-- [start:main]
class JobIn(BaseModel):
    text: str = Field(min_length=1, max_length=100_000)


class Job(BaseModel):
    id: str
    status: Literal["queued", "running", "succeeded", "failed"]
    result: dict[str, Any] | None = None


# In-process store: jobs live in this worker's memory, are lost on restart and are not
# visible to other workers. Use a database or a queue (ARQ, Celery, ...) beyond that.
MAX_JOBS = 1000
JOBS: dict[str, Job] = {}  # oldest first


def remember(job: Job) -> None:
    JOBS[job.id] = job
    while len(JOBS) > MAX_JOBS:  # bounded: forget the oldest job
        del JOBS[next(iter(JOBS))]


async def run_job(job: Job, text: str) -> None:
    # An async def: BackgroundTasks awaits it on the event loop after the response is sent. A plain
    # def that blocks would hold one of the threads that sync endpoints also need.
    job.status = "running"
    try:
        job.result = await summarise(text)
        job.status = "succeeded"
    except Exception:
        job.status = "failed"
        raise


@app.post("/api/jobs", status_code=202)
async def create_job(payload: JobIn, background_tasks: BackgroundTasks, response: Response) -> Job:
    job = Job(id=uuid.uuid4().hex, status="queued")
    remember(job)
    background_tasks.add_task(run_job, job, payload.text)
    response.headers["Location"] = f"/api/jobs/{job.id}"
    return job


@app.get("/api/jobs/{job_id}")
async def get_job(job_id: str) -> Job:
    if job_id not in JOBS:
        raise HTTPException(status_code=404, detail="No such job")
    return JOBS[job_id]


# --8<-- [end:main]
