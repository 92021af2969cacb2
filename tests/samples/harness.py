"""Run a sample the way it runs in production: its own Uvicorn process on 127.0.0.1, a free port,
a readiness wait, and a teardown that always ends the process (and only that process).

Every sample test goes through `Sample.serve()`, so the FastAPI and the Django sample of a task get the
same treatment: same server, same requests, no shared interpreter (Django settings never collide).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
SHARED = SAMPLES / "_shared"
PYTHON = sys.executable
FRAMEWORKS = ("fastapi", "django")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sample_env(app_dir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(app_dir), str(SHARED)])
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra or {})
    return env


def stop(proc: subprocess.Popen) -> None:
    """End one process we started: SIGTERM, then SIGKILL if it does not exit in time."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def _tail(path: Path, limit: int = 4000) -> str:
    try:
        return path.read_text(errors="replace")[-limit:]
    except OSError:
        return ""


def run(cmd: Sequence[str], *, cwd: Path, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    result = subprocess.run(list(cmd), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result


@contextlib.contextmanager
def background(cmd: Sequence[str], *, cwd: Path, env: dict[str, str]) -> Iterator[subprocess.Popen]:
    """A helper process (a task worker) that lives as long as the block."""
    with tempfile.NamedTemporaryFile("w+b", prefix="sample-bg-", suffix=".log", delete=False) as log:
        log_path = Path(log.name)
        proc = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield proc
    finally:
        stop(proc)
        log_path.unlink(missing_ok=True)


@contextlib.contextmanager
def uvicorn(
    target: str, *, app_dir: Path, env: dict[str, str], ready_path: str = "/", timeout: float = 30
) -> Iterator[str]:
    """Serve `module:attr` from `app_dir` with Uvicorn; yield its base URL once it answers HTTP."""
    for attempt in range(3):
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        with tempfile.NamedTemporaryFile("w+b", prefix="sample-server-", suffix=".log", delete=False) as log:
            log_path = Path(log.name)
            proc = subprocess.Popen(
                [
                    PYTHON,
                    "-m",
                    "uvicorn",
                    target,
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--no-access-log",
                    "--timeout-graceful-shutdown",
                    "1",
                ],
                cwd=app_dir,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            deadline = time.monotonic() + timeout
            ready = False
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    httpx.get(base_url + ready_path, timeout=2)
                    ready = True
                    break
                except httpx.TransportError:
                    time.sleep(0.05)
            if not ready:
                output = _tail(log_path)
                if proc.poll() is not None and "address already in use" in output and attempt < 2:
                    continue  # another process took the port between probe and bind; try a new one
                raise AssertionError(f"{target} did not start on {base_url}:\n{output}")
            yield base_url
            return
        finally:
            stop(proc)
            log_path.unlink(missing_ok=True)


@dataclass
class Sample:
    """How to run one framework's sample of a task."""

    task: str
    framework: str
    target: str  # ASGI app, "module:attr"
    setup: list[list[str]] = field(default_factory=list)  # commands run first (migrations, users)
    workers: list[list[str]] = field(default_factory=list)  # helper processes (task workers)
    env: dict[str, str] = field(default_factory=dict)
    ready_path: str = "/"

    @property
    def app_dir(self) -> Path:
        return SAMPLES / self.task

    def environ(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return sample_env(self.app_dir, {**self.env, **(extra or {})})

    @contextlib.contextmanager
    def serve(self, extra_env: dict[str, str] | None = None) -> Iterator[str]:
        env = self.environ(extra_env)
        for cmd in self.setup:
            run([PYTHON, *cmd], cwd=self.app_dir, env=env)
        with contextlib.ExitStack() as stack:
            for cmd in self.workers:
                stack.enter_context(background([PYTHON, *cmd], cwd=self.app_dir, env=env))
            yield stack.enter_context(uvicorn(self.target, app_dir=self.app_dir, env=env, ready_path=self.ready_path))


# Samples keep secrets out of their source and refuse to start without them; the tests make fresh ones.
TEST_SECRET_KEY = secrets.token_urlsafe(50)


def django_sample(task: str, **kwargs) -> Sample:
    env = {
        "DJANGO_SETTINGS_MODULE": "django_app.settings",
        "DJANGO_SECRET_KEY": TEST_SECRET_KEY,
        **kwargs.pop("env", {}),
    }
    return Sample(task, "django", "django_app.asgi:application", env=env, **kwargs)


def fastapi_sample(task: str, **kwargs) -> Sample:
    return Sample(task, "fastapi", "fastapi_app.main:app", **kwargs)


FAILING_PROMPT = "upstream-down"  # the prompt samples/_shared/fake_llm.py answers with 503 on /v1/stream


@contextlib.contextmanager
def fake_llm() -> Iterator[str]:
    """The local fake LLM provider (samples/_shared/fake_llm.py) on its own port."""
    with uvicorn("fake_llm:app", app_dir=SHARED, env=sample_env(SHARED), ready_path="/v1/stats") as url:
        yield url


def parse_sse(lines: Iterator[str]) -> Iterator[dict]:
    """Yield each server-sent event as {"event": ..., "data": ...} as soon as its blank line arrives."""
    event: dict[str, str] = {}
    data: list[str] = []
    for line in lines:
        if line == "":
            if data or event:
                yield {"event": event.get("event", "message"), "data": "\n".join(data)}
            event, data = {}, []
        elif line.startswith(":"):
            continue  # comment / keep-alive
        else:
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if name == "data":
                data.append(value)
            else:
                event[name] = value
    if data:
        yield {"event": event.get("event", "message"), "data": "\n".join(data)}
