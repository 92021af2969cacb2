"""One ASGI app: FastAPI serves the inference API, Django serves everything else, both use the Django ORM.

Run it with `uvicorn fastapi_app.main:app`.
"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

# --8<-- [start:setup]
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "django_app.settings")
django_asgi_app = get_asgi_application()  # runs django.setup(): must come before importing models

from asgiref.sync import sync_to_async  # noqa: E402
from django.db import close_old_connections  # noqa: E402
from django_app.models import Prediction  # noqa: E402
from fastapi import Depends, FastAPI, HTTPException, Request  # noqa: E402
from fastapi.concurrency import run_in_threadpool  # noqa: E402
from pydantic import BaseModel, ConfigDict, Field  # noqa: E402
from toy_sentiment import SentimentModel  # noqa: E402

# --8<-- [end:setup]


# --8<-- [start:main]
@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
    # Only FastAPI sees the lifespan events: Django's ASGI handler has no lifespan support.
    yield {"model": SentimentModel.load()}


async def django_db() -> AsyncIterator[None]:
    # Django closes stale connections when one of *its* requests starts or ends; FastAPI's
    # requests are not Django requests, so do the same around each of them.
    await sync_to_async(close_old_connections)()
    yield
    await sync_to_async(close_old_connections)()


app = FastAPI(
    lifespan=lifespan,
    dependencies=[Depends(django_db)],
    docs_url="/api/docs",
    openapi_url="/api/openapi.json",
    max_body_size=1024 * 1024,  # also caps what reaches the mounted Django app
)


class PredictIn(BaseModel):
    text: str = Field(min_length=1, max_length=10_000)


class PredictionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)  # read straight from the Django model instance

    id: int
    text: str
    label: str
    score: float


@app.post("/api/predict", status_code=201, response_model=PredictionOut)
async def predict(payload: PredictIn, request: Request) -> Prediction:
    model: SentimentModel = request.state.model
    result = await run_in_threadpool(model.predict, payload.text)  # CPU-bound: off the event loop
    return await Prediction.objects.acreate(text=payload.text, label=result.label, score=result.score)


@app.get("/api/predictions/{prediction_id}", response_model=PredictionOut)
async def read_prediction(prediction_id: int) -> Prediction:
    try:
        return await Prediction.objects.aget(pk=prediction_id)
    except Prediction.DoesNotExist:
        raise HTTPException(status_code=404, detail="Prediction not found") from None


# Everything FastAPI does not route: the admin and the pages. Static files (the admin's CSS) are not
# served with DEBUG off: run collectstatic and serve them from the web server or with WhiteNoise.
app.mount("/", django_asgi_app)
# --8<-- [end:main]
