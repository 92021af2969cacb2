"""The stacks under test and the processes the harness owns: start, pin, watch, always stop.

Every child (app server, fake upstream, wrk, SSE client) starts in its own session, so its
whole process group (gunicorn's master and worker, granian's worker) can be signalled at once;
`stop` sends SIGTERM, waits, then SIGKILLs the group. Live children are also killed from
atexit, and the CLI turns SIGTERM/SIGINT into SystemExit so try/finally blocks run.

Pinning: on a machine with at least two CPUs the server under test gets the first allowed CPU
and everything that generates load (wrk, the SSE client, the fake upstream, this harness) the
second, so the client never steals the server's core (taskset if present, else sched_setaffinity).
"""

from __future__ import annotations

import atexit
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench import verify

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TASKSET = shutil.which("taskset")
_ALLOWED = sorted(os.sched_getaffinity(0))
SERVER_CPU, LOAD_CPU = (_ALLOWED[0], _ALLOWED[1]) if len(_ALLOWED) >= 2 else (None, None)
PINNING = (
    f"server on CPU {SERVER_CPU}, load generator (wrk, SSE client, fake upstream, harness) on CPU {LOAD_CPU}"
    if SERVER_CPU is not None
    else "not pinned (fewer than 2 CPUs)"
)


class ServerError(Exception):
    pass


# --- the stacks --------------------------------------------------------------------------------


def uvicorn(app: str) -> list[str]:
    # Explicit --loop/--http: uvloop and httptools are not installed, so these are what "auto"
    # would pick anyway; naming them keeps results comparable if either gets installed later.
    return ["-m", "uvicorn", app, "--host", "127.0.0.1", "--port", "{port}", "--workers", "1",
            "--loop", "asyncio", "--http", "h11", "--no-access-log", "--log-level", "warning"]


def gunicorn(app: str) -> list[str]:
    # Sync workers handle one request at a time per worker; --threads 1 keeps them "sync".
    return ["-m", "gunicorn", app, "--bind", "127.0.0.1:{port}", "--workers", "1",
            "--worker-class", "sync", "--threads", "1", "--log-level", "warning"]


def granian(app: str) -> list[str]:
    return ["-m", "granian", "--interface", "asgi", "--host", "127.0.0.1", "--port", "{port}",
            "--workers", "1", "--runtime-threads", "1", "--loop", "asyncio",
            "--log-level", "warning", "--no-access-log", app]


SERVERS = {"uvicorn": uvicorn, "gunicorn": gunicorn, "granian": granian}


@dataclass(frozen=True)
class Stack:
    id: str
    framework: str  # an id from data/frameworks/
    variant: str
    server: str  # a key of SERVERS
    app: str  # module:attribute
    env: dict[str, str] = field(default_factory=dict)
    workers: int = 1

    def argv(self, port: int) -> list[str]:
        return [PYTHON] + [a.replace("{port}", str(port)) for a in SERVERS[self.server](self.app)]

    def command(self) -> str:
        """The exact command line, as recorded in the results ($PORT etc. are set by the harness)."""
        env = " ".join(f"{k}={v}" for k, v in self.env.items())
        args = [a.replace("{port}", "$PORT") for a in SERVERS[self.server](self.app)]
        return " ".join(filter(None, [
            "BENCH_DB=$BENCH_DB BENCH_UPSTREAM_URL=$BENCH_UPSTREAM_URL", env,
            pin_prefix(SERVER_CPU), "python", " ".join(args)]))


DJANGO = {"DJANGO_SETTINGS_MODULE": "bench.apps.django.settings"}
STACKS = [
    Stack("fastapi-async-def", "fastapi", "async-def", "uvicorn", "bench.apps.fastapi.async_app:app"),
    Stack("fastapi-async-def-granian", "fastapi", "async-def", "granian", "bench.apps.fastapi.async_app:app"),
    Stack("fastapi-sync-def", "fastapi", "sync-def", "uvicorn", "bench.apps.fastapi.sync_app:app"),
    Stack("django-sync-wsgi", "django", "sync-wsgi", "gunicorn", "bench.apps.django.wsgi:application",
          {**DJANGO, "BENCH_DJANGO_VARIANT": "sync"}),
    Stack("django-async-asgi", "django", "async-asgi", "uvicorn", "bench.apps.django.asgi:application",
          {**DJANGO, "BENCH_DJANGO_VARIANT": "async"}),
    Stack("django-ninja", "django", "ninja", "uvicorn", "bench.apps.django.asgi:application",
          {**DJANGO, "BENCH_DJANGO_VARIANT": "ninja"}),
    Stack("django-drf", "django", "drf", "gunicorn", "bench.apps.django.wsgi:application",
          {**DJANGO, "BENCH_DJANGO_VARIANT": "drf"}),
]
BY_ID = {s.id: s for s in STACKS}


# --- processes -----------------------------------------------------------------------------------

_live: set[subprocess.Popen] = set()


def pin_prefix(cpu: int | None) -> str:
    return f"taskset -c {cpu}" if cpu is not None and TASKSET else ""


def spawn(argv: list[str], cpu: int | None, env: dict | None = None, log: Path | None = None) -> subprocess.Popen:
    """Start argv in its own process group, pinned to `cpu`, output to `log` (or a pipe)."""
    if cpu is not None and TASKSET:
        argv = [TASKSET, "-c", str(cpu), *argv]
    out = open(log, "ab") if log else subprocess.PIPE
    try:
        proc = subprocess.Popen(
            argv, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
            stdout=out, stderr=subprocess.STDOUT if log else subprocess.PIPE,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
    finally:
        if log:
            out.close()
    if cpu is not None and not TASKSET:
        os.sched_setaffinity(proc.pid, {cpu})
    _live.add(proc)
    return proc


def stop(proc: subprocess.Popen, grace: float = 5.0) -> None:
    """SIGTERM the group, wait up to `grace`, then SIGKILL whatever of the group is left."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()
    _live.discard(proc)


def stop_all() -> None:
    for proc in list(_live):
        stop(proc, grace=2.0)


atexit.register(stop_all)


def run_bounded(argv: list[str], timeout: float, cpu: int | None) -> str:
    """Run a client to completion within `timeout` seconds and return its stdout."""
    proc = spawn(argv, cpu)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ServerError(f"{argv[0]} did not finish within {timeout:.0f} s") from None
    finally:
        stop(proc, grace=1.0)
    if proc.returncode != 0:
        raise ServerError(f"{shlex.join(argv)} exited {proc.returncode}: {err.decode()[-500:]}")
    return out.decode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log_tail(path: Path, chars: int = 1500) -> str:
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return ""


# --- memory --------------------------------------------------------------------------------------


def tree(pid: int) -> list[int]:
    """pid and all its descendants, from /proc/<pid>/task/<tid>/children."""
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return pids


def rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class PeakRss(threading.Thread):
    """Samples the summed RSS of a process tree every 100 ms; `.peak_mb` is the highest sum."""

    def __init__(self, pid: int, interval: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_kib = pid, interval, 0
        self._done = threading.Event()

    def run(self) -> None:
        while True:
            self.peak_kib = max(self.peak_kib, sum(rss_kib(p) for p in tree(self.pid)))
            if self._done.wait(self.interval):
                return

    def finish(self) -> float:
        self._done.set()
        self.join()
        return self.peak_mb

    @property
    def peak_mb(self) -> float:
        return self.peak_kib / 1024


# --- running servers -----------------------------------------------------------------------------


@dataclass
class Running:
    port: int
    proc: subprocess.Popen
    rss: PeakRss


@contextmanager
def serve(stack: Stack, env: dict[str, str], log_dir: Path, ready_timeout: float = 60.0):
    """Start `stack` on a free port pinned to the server CPU; yield once GET /json answers 200."""
    port = free_port()
    log = log_dir / f"{stack.id}-{port}.log"
    proc = spawn(stack.argv(port), SERVER_CPU, {**env, **stack.env}, log)
    rss = PeakRss(proc.pid)
    rss.start()
    try:
        wait_ready(proc, port, log, ready_timeout)
        yield Running(port, proc, rss)
    finally:
        rss.finish()
        stop(proc)


def wait_ready(proc: subprocess.Popen, port: int, log: Path, timeout: float, path: str = "/json") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerError(f"exited with {proc.returncode} while starting:\n{log_tail(log)}")
        try:
            if verify.request(port, "GET", path, timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise ServerError(f"not answering on port {port} after {timeout:.0f} s:\n{log_tail(log)}")


def upstream_argv(port: int) -> list[str]:
    return [PYTHON, "-m", "bench.upstream", "--port", str(port)]


@contextmanager
def fake_upstream(log_dir: Path):
    """The fake LLM on the load CPU; yields its port once it accepts connections."""
    port = free_port()
    log = log_dir / "upstream.log"
    proc = spawn(upstream_argv(port), LOAD_CPU, log=log)
    try:
        deadline = time.monotonic() + 20
        while True:
            if proc.poll() is not None:
                raise ServerError(f"fake upstream exited:\n{log_tail(log)}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise ServerError("fake upstream did not start") from None
                time.sleep(0.05)
        yield port
    finally:
        stop(proc)
