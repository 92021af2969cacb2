"""A throw-away PostgreSQL for the db-read-pg workload: Debian's `postgresql` package, started by the
harness on a temporary data directory and a loopback port, seeded with the same rows as the SQLite
file, stopped and deleted afterwards.

initdb refuses to run as root, so as root the server runs as the `postgres` user that Debian's
package creates (runuser); as any other user it runs as that user. Authentication is `trust` on
127.0.0.1 only. The postmaster is pinned to the load CPU: the server CPU belongs to the app server.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from bench import servers
from bench.apps import common

USER, DBNAME = "bench", "bench"
MAX_CONNECTIONS = 200  # above every app's pool and Django's per-request connections at c=64


class PostgresMissing(Exception):
    pass


def bindir() -> Path | None:
    """The newest /usr/lib/postgresql/<major>/bin that has initdb, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def version() -> str:
    b = bindir()
    if b is None:
        return "not installed"
    out = subprocess.run([b / "postgres", "--version"], capture_output=True, text=True, timeout=10)
    return out.stdout.strip()


def _as_server_user() -> tuple[list[str], int | None, int | None]:
    if os.geteuid() != 0:
        return [], None, None
    try:
        pw = pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresMissing("running as root and there is no `postgres` user to run initdb as") from None
    return ["runuser", "-u", "postgres", "--"], pw.pw_uid, pw.pw_gid


def _run(argv: Sequence[str | Path], timeout: float = 120) -> None:
    done = subprocess.run(
        [str(a) for a in argv], capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
    )
    if done.returncode != 0:
        raise servers.ServerError(
            f"{' '.join(map(str, argv))} exited {done.returncode}: {(done.stdout + done.stderr)[-800:]}"
        )


def seed(dsn: str) -> None:
    import psycopg

    with psycopg.connect(dsn.replace(f"dbname={DBNAME}", "dbname=postgres"), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {DBNAME}")
    with psycopg.connect(dsn) as conn:
        conn.execute(
            f"CREATE TABLE {common.DB_TABLE} (id INTEGER PRIMARY KEY, name VARCHAR(64) NOT NULL,"
            " price_cents INTEGER NOT NULL)"
        )
        with conn.cursor() as cur:
            cur.executemany(f"INSERT INTO {common.DB_TABLE} VALUES (%s, %s, %s)", common.seed_rows())
        conn.execute(f"ANALYZE {common.DB_TABLE}")


@contextmanager
def postgres() -> Iterator[str]:
    """Yield the DSN of a fresh, seeded PostgreSQL; stop it and delete its files afterwards."""
    b = bindir()
    if b is None:
        raise PostgresMissing("PostgreSQL is not installed (apt-get install postgresql)")
    prefix, uid, gid = _as_server_user()
    root = Path(tempfile.mkdtemp(prefix="bench-pg-"))
    data = root / "data"
    if uid is not None and gid is not None:
        os.chown(root, uid, gid)
    pin = [servers.TASKSET, "-c", str(servers.LOAD_CPU)] if servers.TASKSET and servers.LOAD_CPU is not None else []
    port = servers.free_port()
    started = False
    try:
        _run([*prefix, b / "initdb", "-D", data, "-U", USER, "--auth=trust", "-E", "UTF8", "--no-sync"])
        opts = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections={MAX_CONNECTIONS}"
        _run(
            [*prefix, *pin, b / "pg_ctl", "-D", data, "-l", root / "server.log", "-w", "-t", "60", "-o", opts, "start"]
        )
        started = True
        dsn = f"host=127.0.0.1 port={port} dbname={DBNAME} user={USER}"
        deadline = time.monotonic() + 30
        while True:
            try:
                seed(dsn)
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield dsn
    finally:
        if started:
            subprocess.run(
                prefix + [str(b / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                capture_output=True,
                timeout=60,
                stdin=subprocess.DEVNULL,
            )
        shutil.rmtree(root, ignore_errors=True)
