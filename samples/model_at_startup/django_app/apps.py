from django.apps import AppConfig
from toy_sentiment import SentimentModel  # stands in for transformers, torch, onnxruntime...


# --8<-- [start:main]
class InferenceConfig(AppConfig):
    name = "django_app"
    model: SentimentModel | None = None

    def ready(self) -> None:
        # Runs once per process when Django starts (asgi.py calls django.setup()), before any
        # request. It also runs for management commands, and may run twice in some test setups,
        # so keep it idempotent.
        if InferenceConfig.model is None:
            InferenceConfig.model = SentimentModel.load()


# --8<-- [end:main]
