"""Benchmark harness: FastAPI vs Django stacks under AI-app workloads. See bench/README.md."""
