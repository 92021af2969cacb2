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
import contextlib
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
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

# gunicorn gthread threads per worker: FastAPI runs plain `def` endpoints in AnyIO's default thread
# limiter, CapacityLimiter(40) (tests/bench checks the installed anyio still says 40), so the WSGI
# stacks get the same number of threads for blocking handlers.
FASTAPI_THREADS = 40
CLASSES = ("stock", "tuned")
CLASS_WHY = {
    "stock": "what the tutorial and deployment docs produce: Django's startproject middleware and "
    "CONN_MAX_AGE=0 (a new database connection per request); every server with its defaults, uvicorn "
    "as `fastapi run` starts it (uvloop, httptools, an access-log line per request)",
    "tuned": "what the official production docs recommend: no synchronous middleware under ASGI (Django's async "
    "docs), persistent connections under WSGI (CONN_MAX_AGE=60) and psycopg's pool under ASGI (Django's "
    "database docs), access log off and log level warning on every server; FastAPI's apps are the same "
    "in both classes, its docs advise nothing beyond the server",
}


def uvicorn(stack: Stack) -> list[str]:
    # uvloop and httptools are what `fastapi[standard]` installs and uvicorn's "auto" picks; named
    # explicitly so a missing package fails instead of silently falling back to asyncio/h11.
    argv = [
        "-m",
        "uvicorn",
        stack.app,
        "--host",
        "127.0.0.1",
        "--port",
        "{port}",
        "--workers",
        str(stack.workers),
        "--loop",
        "uvloop",
        "--http",
        "httptools",
    ]
    # stock: uvicorn's defaults (log level info, one access-log line per request, to the log file)
    return argv + (["--no-access-log", "--log-level", "warning"] if stack.cls == "tuned" else [])


def gunicorn(stack: Stack) -> list[str]:
    # gthread keeps connections alive (sync closes after every response) and runs `threads`
    # requests at a time per worker. gunicorn has no access log unless asked for one.
    return [
        "-m",
        "gunicorn",
        stack.app,
        "--bind",
        "127.0.0.1:{port}",
        "--workers",
        str(stack.workers),
        "--worker-class",
        stack.worker_class,
        "--threads",
        str(stack.threads),
        "--keep-alive",
        "5",
    ] + (["--log-level", "warning"] if stack.cls == "tuned" else [])


def granian(stack: Stack) -> list[str]:
    # Granian's access log is off unless asked for; one runtime thread per worker, uvloop like uvicorn.
    return (
        [
            "-m",
            "granian",
            "--interface",
            "asgi",
            "--host",
            "127.0.0.1",
            "--port",
            "{port}",
            "--workers",
            str(stack.workers),
            "--runtime-threads",
            "1",
            "--loop",
            "uvloop",
        ]
        + (["--log-level", "warning"] if stack.cls == "tuned" else [])
        + [stack.app]
    )


SERVERS = {"uvicorn": uvicorn, "gunicorn": gunicorn, "granian": granian}
SERVERS_FOR = {"asgi": ("uvicorn", "granian"), "wsgi": ("gunicorn",)}


@dataclass(frozen=True)
class App:
    """One framework's benchmark app: everything a stack needs but the server and the class."""

    id: str  # the stack id prefix, e.g. fastapi-async-def
    framework: str  # an id from data/frameworks/
    api: str  # what a "framework" finding compares: fastapi, django, ninja, drf, ...
    variant: str
    handler: str  # "async" or "sync": how the endpoints are written
    interface: str  # "asgi" or "wsgi": picks the servers from SERVERS_FOR
    app: str  # module:attribute
    env: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Stack:
    id: str
    framework: str  # an id from data/frameworks/
    variant: str
    server: str  # a key of SERVERS
    app: str  # module:attribute
    env: dict[str, str] = field(default_factory=dict)
    workers: int = 1
    cls: str = "stock"  # a key of CLASS_WHY
    api: str = ""
    handler: str = "async"
    threads: int = 1
    worker_class: str = ""

    @property
    def worker_model(self) -> str:
        if self.server == "gunicorn":
            return f"gunicorn {self.worker_class}, {self.workers} worker x {self.threads} threads"
        return f"{self.server} event loop (uvloop), {self.workers} worker"

    def argv(self, port: int) -> list[str]:
        return [PYTHON] + [a.replace("{port}", str(port)) for a in SERVERS[self.server](self)]

    def command(self) -> str:
        """The exact command line, as recorded in the results ($PORT etc. are set by the harness)."""
        env = " ".join(f"{k}={v}" for k, v in self.env.items())
        args = [a.replace("{port}", "$PORT") for a in SERVERS[self.server](self)]
        return " ".join(
            filter(
                None,
                [
                    "BENCH_DB=$BENCH_DB BENCH_UPSTREAM_URL=$BENCH_UPSTREAM_URL BENCH_PG_DSN=$BENCH_PG_DSN",
                    env,
                    pin_prefix(SERVER_CPU),
                    "python",
                    " ".join(args),
                ],
            )
        )


def stacks_for(app: App) -> list[Stack]:
    """Every server of the app's interface x both classes: the same commands for every framework."""
    out = []
    for server in SERVERS_FOR[app.interface]:
        for cls in CLASSES:
            env = {**app.env, "BENCH_CLASS": cls}
            threads, worker_class = (FASTAPI_THREADS, "gthread") if server == "gunicorn" else (1, "")
            out.append(
                Stack(
                    f"{app.id}-{server}-{cls}",
                    app.framework,
                    app.variant,
                    server,
                    app.app,
                    env,
                    cls=cls,
                    api=app.api,
                    handler=app.handler,
                    threads=threads,
                    worker_class=worker_class,
                )
            )
    return out


DJANGO = {"DJANGO_SETTINGS_MODULE": "bench.apps.django.settings"}
APPS = [
    App("fastapi-async-def", "fastapi", "fastapi", "async-def", "async", "asgi", "bench.apps.fastapi.async_app:app"),
    App("fastapi-sync-def", "fastapi", "fastapi", "sync-def", "sync", "asgi", "bench.apps.fastapi.sync_app:app"),
    App(
        "django-async",
        "django",
        "django",
        "async-asgi",
        "async",
        "asgi",
        "bench.apps.django.asgi:application",
        {**DJANGO, "BENCH_DJANGO_VARIANT": "async"},
    ),
    App(
        "django-ninja",
        "django",
        "ninja",
        "ninja",
        "async",
        "asgi",
        "bench.apps.django.asgi:application",
        {**DJANGO, "BENCH_DJANGO_VARIANT": "ninja"},
    ),
    App(
        "django-sync",
        "django",
        "django",
        "sync-wsgi",
        "sync",
        "wsgi",
        "bench.apps.django.wsgi:application",
        {**DJANGO, "BENCH_DJANGO_VARIANT": "sync"},
    ),
    App(
        "django-drf",
        "django",
        "drf",
        "drf",
        "sync",
        "wsgi",
        "bench.apps.django.wsgi:application",
        {**DJANGO, "BENCH_DJANGO_VARIANT": "drf"},
    ),
]
STACKS = [s for app in APPS for s in stacks_for(app)]
BY_ID = {s.id: s for s in STACKS}


# --- processes -----------------------------------------------------------------------------------

_live: set[subprocess.Popen[bytes]] = set()


def pin_prefix(cpu: int | None) -> str:
    return f"taskset -c {cpu}" if cpu is not None and TASKSET else ""


def spawn(
    argv: list[str], cpu: int | None, env: dict[str, str] | None = None, log: Path | None = None
) -> subprocess.Popen[bytes]:
    """Start argv in its own process group, pinned to `cpu`, output to `log` (or a pipe)."""
    if cpu is not None and TASKSET:
        argv = [TASKSET, "-c", str(cpu), *argv]
    # The child keeps its own copy of the log's descriptor; ours is closed once it has started.
    with open(log, "ab") if log else contextlib.nullcontext(subprocess.PIPE) as out:
        proc = subprocess.Popen(
            argv,
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT if log else subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    if cpu is not None and not TASKSET:
        os.sched_setaffinity(proc.pid, {cpu})
    _live.add(proc)
    return proc


def stop(proc: subprocess.Popen[bytes], grace: float = 5.0) -> None:
    """SIGTERM the group, wait up to `grace`, then SIGKILL whatever of the group is left."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(grace)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    _live.discard(proc)


def stop_all() -> None:
    for proc in list(_live):
        stop(proc, grace=2.0)


atexit.register(stop_all)


def run_bounded(argv: list[str], timeout: float, cpu: int | None, env: dict[str, str] | None = None) -> str:
    """Run a client to completion within `timeout` seconds and return its stdout."""
    proc = spawn(argv, cpu, env)
    try:
        out: bytes
        err: bytes
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
        port: int = s.getsockname()[1]
        return port


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


def pss_kib(pid: int) -> int:
    """Proportional set size: shared pages divided among the processes that map them, so a
    two-process server (gunicorn master + worker, granian supervisor + worker) is not counted twice."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_pss_mb(pid: int) -> float:
    return sum(pss_kib(p) for p in tree(pid)) / 1024


CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """utime + stime of pid (fields 14 and 15 of /proc/PID/stat), in seconds."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK
    except (OSError, IndexError, ValueError):
        return 0.0


def tree_cpu_seconds(pid: int) -> float:
    return sum(cpu_seconds(p) for p in tree(pid))


class PeakPss(threading.Thread):
    """Samples the summed PSS of a process tree every 250 ms; `.peak_mb` is the highest sum."""

    def __init__(self, pid: int, interval: float = 0.25):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_mb = pid, interval, 0.0
        self._done = threading.Event()

    def run(self) -> None:
        while True:
            self.peak_mb = max(self.peak_mb, tree_pss_mb(self.pid))
            if self._done.wait(self.interval):
                return

    def finish(self) -> float:
        self._done.set()
        self.join()
        return self.peak_mb


# --- running servers -----------------------------------------------------------------------------


@dataclass
class Running:
    port: int
    proc: subprocess.Popen[bytes]
    rss: PeakPss
    startup_s: float  # process start to the first answered GET /json
    idle_pss_mb: float  # right after start-up, before any other request


@contextmanager
def serve(stack: Stack, env: dict[str, str], log_dir: Path, ready_timeout: float = 60.0) -> Iterator[Running]:
    """Start `stack` on a free port pinned to the server CPU; yield once GET /json answers 200."""
    port = free_port()
    log = log_dir / f"{stack.id}-{port}.log"
    started = time.monotonic()
    proc = spawn(stack.argv(port), SERVER_CPU, {**env, **stack.env}, log)
    pss = PeakPss(proc.pid)
    try:
        wait_ready(proc, port, log, ready_timeout)
        startup = time.monotonic() - started
        time.sleep(0.3)  # let the workers settle (granian/gunicorn start theirs before answering)
        idle = tree_pss_mb(proc.pid)
        pss.start()
        yield Running(port, proc, pss, startup, idle)
    finally:
        if pss.is_alive():
            pss.finish()
        stop(proc)


def wait_ready(proc: subprocess.Popen[bytes], port: int, log: Path, timeout: float, path: str = "/json") -> None:
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
def fake_upstream(log_dir: Path) -> Iterator[int]:
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
