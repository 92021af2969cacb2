"""A stand-in for an ML library: a sentiment "model" that is slow to load and CPU-heavy to run.

It exists so the samples can show model lifecycle and CPU-bound inference without downloading weights.
Each prediction is a fixed amount of CPU work (sized at load time to take about INFERENCE_SECONDS on
one core), so concurrent predictions compete for the cores as real inference does. Like the compiled
kernels of numpy, PyTorch or ONNX Runtime, the heavy part runs in C and releases the GIL (here:
OpenSSL's PBKDF2), so a worker thread can compute while the event loop keeps serving.
"""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from dataclasses import dataclass

POSITIVE = {"good", "great", "love", "excellent", "fast", "happy", "nice", "helpful"}
NEGATIVE = {"bad", "awful", "hate", "slow", "broken", "sad", "poor", "useless"}

PROBE_ROUNDS = 20_000


def _rounds_for(seconds: float) -> int:
    """How many PBKDF2 rounds take `seconds` of one core (best of three probes, so a busy machine
    does not make the work smaller)."""
    fastest = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        hashlib.pbkdf2_hmac("sha256", b"probe", b"salt", PROBE_ROUNDS)
        fastest = min(fastest, time.perf_counter() - started)
    return max(1, round(PROBE_ROUNDS * seconds / fastest))


@dataclass(frozen=True)
class Prediction:
    label: str
    score: float
    instance: str


class SentimentModel:
    name = "toy-sentiment-1"

    def __init__(self, rounds: int):
        self.rounds = rounds
        self.instance = uuid.uuid4().hex  # identifies this loaded copy

    @classmethod
    def load(cls) -> SentimentModel:
        """Slow, like reading weights from disk."""
        time.sleep(0.3)
        return cls(rounds=_rounds_for(float(os.environ.get("INFERENCE_SECONDS", "1.0"))))

    def predict(self, text: str) -> Prediction:
        """CPU-bound: a fixed amount of work on one core, with the GIL released meanwhile."""
        hashlib.pbkdf2_hmac("sha256", text.encode(), b"salt", self.rounds)
        words = [w.strip(".,!?").lower() for w in text.split()]
        pos = sum(w in POSITIVE for w in words)
        neg = sum(w in NEGATIVE for w in words)
        label = "positive" if pos > neg else "negative" if neg > pos else "neutral"
        score = round((max(pos, neg) + 1) / (pos + neg + 2), 3)
        return Prediction(label=label, score=score, instance=self.instance)
