"""A PostgreSQL server of the tests' own: started once per test run in a temporary
folder, reached through a Unix socket in that folder only (no TCP port), stopped and
removed when the run ends. Each caller gets a new, empty database of its own.

PostgreSQL refuses to run as root, and CI runs as root: there the server runs as the
unprivileged user ``nobody``, in a folder handed to it. Without PostgreSQL's server
programs (``initdb``, ``postgres``) the tests that need them are skipped, saying so;
``.ci/run`` installs them.
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

PORT = 5432  # names the socket file in our folder; nothing listens on TCP
SUPERUSER = "workbench_tests"


def _bin_dir() -> Path | None:
    """Where initdb and postgres are: on PATH, else Debian's versioned folder."""
    found = shutil.which("initdb")
    if found and shutil.which("postgres"):
        return Path(found).parent
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name),
    )
    return Path(versions[-1]).parent if versions else None


@dataclass
class Server:
    folder: Path
    process: subprocess.Popen[bytes]
    names: itertools.count[int]

    def url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@/{database}?host={self.folder}&port={PORT}"

    def new_database(self) -> str:
        """A new, empty database; its URL."""
        import psycopg

        name = f"case_{os.getpid()}_{next(self.names)}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # our own name, digits only
        return self.url(name)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # fast shutdown
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


_server: Server | None = None


def server() -> Server:
    """The run's server, started on first use; skips the test when PostgreSQL's server
    programs are not installed."""
    global _server
    if _server is None:
        _server = _start()
        atexit.register(_server.stop)
    return _server


def _start() -> Server:
    pytest.importorskip("psycopg", reason="the postgres extra is not installed")
    bin_dir = _bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL's server programs (initdb, postgres) are not installed")
    folder = Path(tempfile.mkdtemp(prefix="workbench-pg-"))
    run_as: dict[str, object] = {}
    if os.geteuid() == 0:  # PostgreSQL will not run as root
        nobody = pwd.getpwnam("nobody")
        os.chown(folder, nobody.pw_uid, nobody.pw_gid)
        run_as = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
    data = folder / "data"
    subprocess.run(
        [
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
            "--no-instructions",
        ],
        check=True,
        capture_output=True,
        cwd=folder,
        **run_as,  # type: ignore[call-overload]
    )
    process = subprocess.Popen(
        [
            str(bin_dir / "postgres"),
            "-D",
            str(data),
            "-k",
            str(folder),
            "-p",
            str(PORT),
            "-c",
            "listen_addresses=",
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=folder,
        **run_as,  # type: ignore[call-overload]
    )
    started = Server(folder, process, itertools.count(1))
    import psycopg

    deadline = time.monotonic() + 30
    while True:
        try:
            with psycopg.connect(started.url("postgres"), connect_timeout=2):
                return started
        except psycopg.OperationalError:
            if process.poll() is not None or time.monotonic() > deadline:
                started.stop()
                raise
            time.sleep(0.1)


def new_database_url() -> str:
    """A new, empty database on the run's server (started if need be); its URL."""
    return server().new_database()
