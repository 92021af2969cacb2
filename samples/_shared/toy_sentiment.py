"""A stand-in for an ML library: a sentiment "model" that is slow to load and CPU-heavy to run.

It exists so the samples can show model lifecycle and CPU-bound inference without downloading weights.
Like the compiled kernels of numpy, PyTorch or ONNX Runtime, its heavy part runs in C and releases the
GIL (here: OpenSSL's PBKDF2), so a worker thread can compute while the event loop keeps serving.
"""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from dataclasses import dataclass

POSITIVE = {"good", "great", "love", "excellent", "fast", "happy", "nice", "helpful"}
NEGATIVE = {"bad", "awful", "hate", "slow", "broken", "sad", "poor", "useless"}

@dataclass(frozen=True)
class Prediction:
    label: str
    score: float
    instance: str


class SentimentModel:
    name = "toy-sentiment-1"

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.instance = uuid.uuid4().hex  # identifies this loaded copy

    @classmethod
    def load(cls) -> SentimentModel:
        """Slow, like reading weights from disk."""
        time.sleep(0.3)
        return cls(seconds=float(os.environ.get("INFERENCE_SECONDS", "1.0")))

    def predict(self, text: str) -> Prediction:
        """CPU-bound: keeps the calling thread busy for INFERENCE_SECONDS (GIL released meanwhile)."""
        deadline = time.perf_counter() + self.seconds
        while time.perf_counter() < deadline:
            hashlib.pbkdf2_hmac("sha256", text.encode(), b"salt", 20_000)
        words = [w.strip(".,!?").lower() for w in text.split()]
        pos = sum(w in POSITIVE for w in words)
        neg = sum(w in NEGATIVE for w in words)
        label = "positive" if pos > neg else "negative" if neg > pos else "neutral"
        score = round((max(pos, neg) + 1) / (pos + neg + 2), 3)
        return Prediction(label=label, score=score, instance=self.instance)
