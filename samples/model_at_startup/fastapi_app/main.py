"""Load a model once per process in the lifespan, run CPU-bound inference in a worker thread."""

import os
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import anyio
from fastapi import Depends, FastAPI, Request
from pydantic import BaseModel, Field
from toy_sentiment import SentimentModel  # stands in for transformers, torch, onnxruntime...


# --8<-- [start:main]
@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
    # Once per worker process, before the first request; in a thread, because loading blocks.
    model = await anyio.to_thread.run_sync(SentimentModel.load)
    yield {"model": model}  # lifespan state: copied onto every request as request.state
    # code after the yield runs at shutdown: free GPU memory, close clients...


app = FastAPI(lifespan=lifespan, max_body_size=1024 * 1024)


def get_model(request: Request) -> SentimentModel:
    return request.state.model


Model = Annotated[SentimentModel, Depends(get_model)]


class PredictIn(BaseModel):
    text: str = Field(min_length=1, max_length=10_000)


class PredictOut(BaseModel):
    label: str
    score: float
    instance: str


@app.get("/health")
async def health(model: Model) -> dict[str, Any]:
    return {"status": "ok", "model": model.name, "instance": model.instance}


# The thread pool would run up to 40 predictions at once, each slower and each holding its own
# working memory; more than one per core only adds contention.
INFERENCE_SLOTS = threading.BoundedSemaphore(os.cpu_count() or 1)


@app.post("/api/predict")
def predict(payload: PredictIn, model: Model) -> PredictOut:
    # A plain `def` endpoint: FastAPI runs it in its thread pool, so the event loop keeps serving
    # other requests while the model computes. Never call this from an `async def` endpoint directly.
    with INFERENCE_SLOTS:  # one prediction per core at a time; the others wait their turn
        prediction = model.predict(payload.text)
    return PredictOut(label=prediction.label, score=prediction.score, instance=prediction.instance)


# --8<-- [end:main]
