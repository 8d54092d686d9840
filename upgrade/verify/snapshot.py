"""Take a snapshot: what every DAG file of a repo builds under one Airflow interpreter.

The work inside Airflow is done by probe.py, run with the given interpreter. Here we split the
files among worker processes, give each worker a private AIRFLOW_HOME (its own SQLite DB, so the
user's real metadata DB is never touched), and merge the results into one JSON document whose
file paths are relative to the DAGs folder, so that a repo and its migrated copy compare.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from upgrade.verify.fixtures import fixture_environment
from upgrade.verify.snapshot_shape import shape_problem

SNAPSHOT_FORMAT = "airflow-upgrade-snapshot/1"
PROBE = Path(__file__).with_name("probe.py")
# Importing Airflow takes 3-13 s here (2.11 is the slowest); a worker that has not finished
# importing after this long is reported as broken, not waited for forever.
WORKER_STARTUP_SECONDS = 300
STDERR_TAIL = 3000


class SnapshotError(Exception):
    """The snapshot as a whole cannot be taken (bad interpreter, no Airflow in it, ...)."""


@dataclass
class SnapshotRequest:
    dags_dir: Path
    python: Path
    timeout: float = 60.0
    jobs: int = 0  # 0: one worker per CPU
    variables_file: Path | None = None
    pythonpath: list[Path] = field(default_factory=list)
    # called with (files loaded, files) while the workers run (upgrade/progress.py)
    progress: Optional[Callable[[int, int], None]] = None


def discover_dag_files(dags_dir: Path) -> list[Path]:
    """Every .py file under dags_dir, as Airflow's DAG folder scan would see them."""
    found = []
    for root, dirs, files in os.walk(dags_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        found.extend(Path(root, name) for name in sorted(files) if name.endswith(".py"))
    return found


def resolve_python(value: str | os.PathLike) -> Path:
    """A python executable, a virtualenv directory (its bin/python), or the name of one of the
    project's tox envs (af110, af20, af2, af3: <tox workdir>/NAME/bin/python, the workdir from
    AU_TOX_WORKDIR or ./.tox), or a command name found on PATH (`python3`)."""
    path = Path(value)
    if not path.exists() and os.sep not in str(value):
        tox_env = Path(os.environ.get("AU_TOX_WORKDIR", ".tox")) / str(value)
        on_path = shutil.which(str(value))
        if tox_env.is_dir():
            path = tox_env
        elif on_path:  # `--python python3`, as a shell would find it
            path = Path(on_path)
    if path.is_dir():
        path = path / "bin" / "python"
    if not path.exists():
        raise SnapshotError(f"{value}: no such interpreter, virtualenv or tox env")
    if not os.access(path, os.X_OK):
        raise SnapshotError(f"{value}: not executable")
    # absolute, not resolved: a venv's bin/python is a symlink whose target is not the venv
    return path.absolute()


def take_snapshot(request: SnapshotRequest) -> dict:
    dags_dir = request.dags_dir.resolve()
    if not dags_dir.is_dir():
        raise SnapshotError(f"{request.dags_dir}: not a directory")
    python = resolve_python(request.python)
    extra_env = fixture_environment(request.variables_file) if request.variables_file else {}
    files = discover_dag_files(dags_dir)
    jobs = max(1, min(request.jobs or os.cpu_count() or 1, len(files) or 1))
    batches = [files[index::jobs] for index in range(jobs)]
    with tempfile.TemporaryDirectory(prefix="airflow-upgrade-snapshot-") as scratch:
        workers = [
            _start_worker(python, dags_dir, batch, request, Path(scratch, f"worker{index}"), extra_env)
            for index, batch in enumerate(batches)
        ]
        if request.progress is not None:
            _watch(workers, len(files), request.progress, request.timeout)
        header: dict = {}
        records: list[dict] = []
        for worker in workers:
            worker_header, worker_records = _finish_worker(worker, request.timeout)
            header = header or worker_header
            records.extend(worker_records)
    if not header:
        raise SnapshotError(f"{python}: could not import airflow:\n{_first_worker_failure(records)}")
    for record in records:
        record["path"] = Path(record["path"]).relative_to(dags_dir).as_posix()
    records.sort(key=lambda record: record["path"])
    return {
        "format": SNAPSHOT_FORMAT,
        "airflow_version": header["airflow_version"],
        "python_version": header["python"],
        "interpreter": str(python),
        "dags_dir": str(dags_dir),
        "files": records,
    }


@dataclass
class _Worker:
    process: subprocess.Popen | None
    files: list[Path]
    out: Path
    stderr: Path


def _start_worker(python, dags_dir, files, request, home: Path, extra_env) -> _Worker:
    home.mkdir(parents=True)
    out, stderr = home / "results.jsonl", home / "stderr.txt"
    # A worker starts even with no files (an empty DAGs folder): it reports the Airflow version.
    command = [str(python), "-W", "ignore", str(PROBE), "--timeout", str(request.timeout)]
    command += ["--out", str(out), "--dags-dir", str(dags_dir), *map(str, files)]
    with open(stderr, "wb") as err:
        process = subprocess.Popen(
            command,
            env=worker_environment(home, dags_dir, request.pythonpath, extra_env, request.timeout),
            stdin=subprocess.DEVNULL,
            stdout=err,
            stderr=err,
            cwd=home,
        )
    return _Worker(process, files, out, stderr)


def worker_environment(
    home: Path, dags_dir: Path, pythonpath: list[Path], extra_env: dict, timeout: float = 60.0
) -> dict:
    # Settings of the user's own Airflow (a real sql_alchemy_conn, executors, secrets backends)
    # are dropped: a snapshot must never write to a real metadata DB.
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AIRFLOW", "PYTHON", "VIRTUAL_ENV"))
    }
    database = f"sqlite:///{home / 'airflow.db'}"
    environ.update(
        AIRFLOW_HOME=str(home),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__CORE__DAGS_FOLDER=str(dags_dir),
        # [core] before 2.3, [database] from 2.3 on.
        AIRFLOW__CORE__SQL_ALCHEMY_CONN=database,
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=database,
        AIRFLOW__CORE__EXECUTOR="SequentialExecutor",
        # Airflow's own per-file import timeout (30 s, 1.10.x-3.x) would cut a file short
        # before --timeout does; ours kills the child and reports it.
        AIRFLOW__CORE__DAGBAG_IMPORT_TIMEOUT=str(int(timeout) + 60),
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONUNBUFFERED="1",
    )
    if pythonpath:
        environ["PYTHONPATH"] = os.pathsep.join(str(Path(p).resolve()) for p in pythonpath)
    environ.update(extra_env)
    return environ


def _watch(workers: list[_Worker], total: int, progress: Callable[[int, int], None], timeout: float) -> None:
    """Report the files loaded so far (lines in the workers' result files) until every worker
    ends; a worker past its budget is killed here, as _finish_worker would."""
    started = time.monotonic()
    while True:
        running = [w for w in workers if w.process is not None and w.process.poll() is None]
        for worker in running:
            if time.monotonic() - started > _budget(worker, timeout):
                worker.process.kill()  # type: ignore[union-attr]
        done = 0
        for worker in workers:
            try:
                with open(worker.out, "rb") as handle:
                    done += max(0, handle.read().count(b"\n") - 1)  # the first line is the header
            except OSError:
                pass
        progress(min(done, total), total)
        if not running:
            return
        time.sleep(0.25)


def _budget(worker: _Worker, timeout: float) -> float:
    return WORKER_STARTUP_SECONDS + len(worker.files) * (timeout + 5)


def _finish_worker(worker: _Worker, timeout: float) -> tuple[dict, list[dict]]:
    if worker.process is None:
        return {}, []
    budget = _budget(worker, timeout)
    try:
        worker.process.wait(timeout=budget)
    except subprocess.TimeoutExpired:
        worker.process.kill()
        worker.process.wait()
    header, records = _read_results(worker.out)
    done = {record["path"] for record in records}
    missing = [path for path in worker.files if str(path) not in done]
    if missing:
        reason = _worker_failure(worker)
        records += [
            {"path": str(path), "status": "not_loaded", "errors": [reason], "dags": []} for path in missing
        ]
    return header, records


def _read_results(out: Path) -> tuple[dict, list[dict]]:
    if not out.exists():
        return {}, []
    lines = [line for line in out.read_text().splitlines() if line.strip()]
    if not lines:
        return {}, []
    records = []
    for line in lines[1:]:
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:  # the worker was killed while writing this line
            break
    return json.loads(lines[0]), records


def _worker_failure(worker: _Worker) -> str:
    tail = (
        worker.stderr.read_bytes()[-STDERR_TAIL:].decode("utf-8", "replace").strip()
        if worker.stderr.exists()
        else ""
    )
    status = worker.process.returncode
    return f"snapshot worker ended (status {status}) before loading this file" + (f": {tail}" if tail else "")


def _first_worker_failure(records: list[dict]) -> str:
    for record in records:
        if record.get("status") == "not_loaded":
            return record["errors"][0]
    return "no output"


def write_snapshot(snapshot: dict, path: Path) -> None:
    """Write atomically: a snapshot file is either whole or absent."""
    path = Path(path)
    temp = path.with_name(path.name + ".tmp")
    temp.write_text(json.dumps(snapshot, indent=1, sort_keys=True) + "\n")
    os.replace(temp, path)


def read_snapshot(path: Path) -> dict:
    try:
        snapshot = json.loads(Path(path).read_text())
    except OSError as exc:
        raise SnapshotError(f"{path}: cannot read: {exc.strerror}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SnapshotError(f"{path}: not a snapshot (invalid JSON: {exc})") from exc
    if not isinstance(snapshot, dict) or snapshot.get("format") != SNAPSHOT_FORMAT:
        raise SnapshotError(f"{path}: not a snapshot written by `airflow-upgrade snapshot`")
    problem = shape_problem(snapshot)
    if problem:
        raise SnapshotError(f"{path}: not a complete snapshot: {problem}")
    return snapshot
