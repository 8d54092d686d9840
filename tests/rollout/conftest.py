"""A real PostgreSQL server for the rollout tests, started on 127.0.0.1 on a free port.

The server binaries come from Debian's postgresql package (scripts/test installs it); a
missing server is a test failure, never a skip. initdb/pg_ctl refuse to run as root, so as
root they run as the postgres user with a data dir it owns.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

PG_PASSWORD = "s3cret-pw-never-printed"


def _pg_bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not found:
        pytest.fail(
            "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb): "
            "run `apt-get install -y postgresql` (scripts/test does this on a fresh machine)",
            pytrace=False,
        )
    return Path(found[-1]).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    def __init__(self, root: Path):
        self.bindir = _pg_bindir()
        self.root = root
        self.data = root / "data"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0

    def _run(self, *argv: str, timeout: float = 120) -> subprocess.CompletedProcess:
        command = [str(self.bindir / argv[0]), *argv[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o755)
        pwfile = self.root / "pw"
        pwfile.write_text(PG_PASSWORD + "\n")
        sockets = self.root / "sock"
        sockets.mkdir()
        if self.as_postgres:
            user = pwd.getpwnam("postgres")
            for path in (self.root, pwfile, sockets):
                os.chown(path, user.pw_uid, user.pw_gid)
        result = self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", f"--pwfile={pwfile}", "--auth=md5", "-E", "UTF8"
        )
        if result.returncode != 0:
            pytest.fail(f"initdb failed: {result.stderr[-2000:]}", pytrace=False)
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {sockets} -c max_connections=200"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        result = self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start",
        )
        if result.returncode != 0:
            log = (self.root / "server.log").read_text() if (self.root / "server.log").exists() else ""
            pytest.fail(f"pg_ctl start failed: {result.stderr[-1000:]} {log[-2000:]}", pytrace=False)

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "-t", "30", "stop", timeout=60)

    def url(self, database: str = "postgres", driver: str = "postgresql") -> str:
        return f"{driver}://postgres:{PG_PASSWORD}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg2

        conn = psycopg2.connect(self.url())
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        conn.close()
        return self.url(name)


@pytest.fixture(scope="session")
def postgres_server():
    root = Path(tempfile.mkdtemp(prefix="au-pg-"))
    server = PostgresServer(root)
    started = time.monotonic()
    server.start()
    server.startup_seconds = time.monotonic() - started
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
