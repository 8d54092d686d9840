"""Load DAG files with the Airflow of *this* interpreter and describe what Airflow built.

This script is not imported by the tool: `upgrade.verify.snapshot` runs it with the interpreter
of the Airflow env being snapshotted (Airflow 1.10.15 ... 3.x, Python 3.8+). So it keeps to
Python 3.8 syntax and imports nothing but the standard library and airflow.

One worker imports airflow once (3-9 s) and then forks one child per DAG file: the child loads
the file in a DagBag and writes its description to a result file, the worker waits with a
timeout and kills the child's process group if it hangs. A file that hangs, calls sys.exit,
os._exit or segfaults costs only itself.

    python probe.py --timeout 30 --out results.jsonl FILE...

writes one JSON object per FILE to results.jsonl (first line: the Airflow version).
"""

import argparse
import datetime
import json
import os
import re
import signal
import sys
import tempfile
import time
import traceback

# Presets as Airflow defines them (airflow/utils/dates.py cron_presets, unchanged 1.10 -> 3.x).
CRON_PRESETS = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
    "@quarterly": "0 0 1 */3 *",
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@midnight": "0 0 * * *",
}

OUTPUT_TAIL = 2000
SHORT_ERROR_CHARS = 500
DAG_MODULE_PREFIX = re.compile(r"^unusual_prefix_[0-9a-f]+_")
# "KeyError: ...", "airflow.exceptions.AirflowTaskTimeout: ...": a (dotted) class name and a colon.
EXCEPTION_LINE = re.compile(r"^(?:[A-Za-z_]\w*\.)*[A-Z]\w*: ")

# A DAG with one task that every Airflow version 1.10 ... 3.x can build (see warm_up).
WARM_UP_DAG = """
import datetime
from airflow import DAG
try:
    from airflow.operators.empty import EmptyOperator as Noop
except ImportError:
    from airflow.operators.dummy_operator import DummyOperator as Noop
with DAG("airflow_upgrade_warm_up", start_date=datetime.datetime(2021, 1, 1)) as dag:
    Noop(task_id="noop")
"""


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--out", required=True)
    parser.add_argument("--dags-dir", required=True)
    parser.add_argument("files", nargs="*")
    args = parser.parse_args(argv)

    # Airflow adds the DAGs folder to sys.path before parsing (settings.prepare_syspath).
    if args.dags_dir not in sys.path:
        sys.path.insert(0, args.dags_dir)
    import airflow

    dagbag_class = import_dagbag_class()
    preload_airflow_modules(args.files)
    create_parse_time_tables()
    warm_up(dagbag_class)
    with open(args.out, "w") as out:
        out.write(
            json.dumps({"airflow_version": airflow.__version__, "python": sys.version.split()[0]}) + "\n"
        )
        out.flush()
        for path in args.files:
            record = load_in_child(dagbag_class, path, args.timeout, args.dags_dir)
            out.write(json.dumps(record, sort_keys=True) + "\n")
            out.flush()
    return 0


def import_dagbag_class():
    # Airflow 3.1+ moved DagBag to airflow.dag_processing.dagbag (airflow.models.dagbag warns).
    try:
        from airflow.dag_processing.dagbag import DagBag
    except ImportError:
        from airflow.models.dagbag import DagBag
    return DagBag


def preload_airflow_modules(paths):
    """Import, once in the worker, the airflow modules the DAG files import.

    Every forked child then finds them in sys.modules: the 1.10 contrib KubernetesPodOperator
    (kubernetes client models) alone takes 4-7 s to import, per file otherwise. Only modules
    under `airflow` are preloaded (library code, no DAG code runs here); one that fails to
    import is skipped, and the child importing it again reports the error as Airflow would.
    """
    import ast
    import importlib
    import warnings

    names = set()
    for path in paths:
        try:
            with open(path, "rb") as handle:
                tree = ast.parse(handle.read(), path)
        except (OSError, SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in sorted(n for n in names if n == "airflow" or n.startswith("airflow.")):
            try:
                importlib.import_module(name)
            except (Exception, SystemExit):  # noqa: BLE001 - the child reports it when the DAG imports it
                pass


def create_parse_time_tables():
    """Create the variable and connection tables in the private SQLite DB.

    DAG files that read a Variable or Connection at parse time must get "does not exist"
    (a KeyError Airflow itself raises) rather than "no such table". Only these two tables
    are created: a full `airflow db init/migrate` costs 10-60 s and parsing needs no more.
    """
    from airflow import settings
    from airflow.models import Connection, Pool, Variable
    from airflow.models.base import Base

    # Pool too: 1.10 SubDagOperator.__init__ looks up its pool in the DB.
    tables = [Variable.__table__, Connection.__table__, Pool.__table__]
    Base.metadata.create_all(settings.engine, tables=tables)
    settings.engine.dispose()  # a forked child must not share the parent's connections


def load_in_child(dagbag_class, path, timeout, dags_dir):
    started = time.time()
    result_fd, result_path = tempfile.mkstemp(suffix=".json")
    output_fd, output_path = tempfile.mkstemp(suffix=".out")
    os.close(result_fd)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # child: never returns
        os.setpgid(0, 0)
        os.dup2(output_fd, 1)
        os.dup2(output_fd, 2)
        status = 0
        try:
            record = describe_file(dagbag_class, path, dags_dir)
            with open(result_path, "w") as handle:
                json.dump(record, handle)
        except BaseException:  # noqa: B036 - SystemExit from a DAG file must be reported too
            traceback.print_exc()
            status = 3
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
    os.close(output_fd)
    status = wait_with_timeout(pid, timeout)
    record = read_result(result_path)
    output = read_tail(output_path)
    for temp in (result_path, output_path):
        os.unlink(temp)
    if record is None:
        if status is None:
            reason = f"timeout: still loading after {format_seconds(timeout)}s, killed"
            kind = "timeout"
        else:
            reason = f"the process loading the file {describe_status(status)} before any DAG was built"
            kind = "crashed"
        record = {"status": kind, "errors": [reason], "dags": []}
        if output:
            record["output"] = output
    record["path"] = path
    record["seconds"] = round(time.time() - started, 3)
    return record


def wait_with_timeout(pid, timeout):
    deadline = time.time() + timeout
    delay = 0.005
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        if time.time() >= deadline:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
            os.waitpid(pid, 0)
            return None
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


def describe_status(status):
    if os.WIFSIGNALED(status):
        return f"was killed by signal {os.WTERMSIG(status)}"
    return f"exited with status {os.WEXITSTATUS(status)}"


def format_seconds(seconds):
    return (f"{seconds:g}") if seconds else "0"


def read_result(path):
    try:
        with open(path) as handle:
            text = handle.read()
    except OSError:
        return None
    return json.loads(text) if text else None


def read_tail(path):
    with open(path, "rb") as handle:
        data = handle.read()
    return data[-OUTPUT_TAIL:].decode("utf-8", "replace")


def describe_file(dagbag_class, path, dags_dir):
    """The child's work: load one file and describe every DAG it builds."""
    try:
        dagbag = new_dagbag(dagbag_class, path)
    except SystemExit as exc:
        # Airflow 1.10-3.x DagBag catches Exception only: a DAG file calling sys.exit ends up here.
        return {
            "status": "import_error",
            "errors": [f"SystemExit({exc.code!r}) raised while importing"],
            "dags": [],
        }
    messages = list(dagbag.import_errors.values())
    dags = [describe_dag(dag, dags_dir) for dag in sorted(dagbag.dags.values(), key=lambda d: d.dag_id)]
    record = {"status": "import_error" if messages else "ok", "errors": [short_error(m) for m in messages]}
    record["dags"] = dags
    if messages:
        record["output"] = "\n".join(str(m) for m in messages)[-OUTPUT_TAIL:]
    return record


def new_dagbag(dagbag_class, path):
    # Airflow 3 dropped include_examples= (examples follow [core] load_examples, set False).
    import inspect

    parameters = inspect.signature(dagbag_class.__init__).parameters
    kwargs = {"include_examples": False} if "include_examples" in parameters else {}
    return dagbag_class(dag_folder=path, **kwargs)


def warm_up(dagbag_class):
    """Load one trivial DAG in the worker so that every child inherits what Airflow imports lazily.

    Airflow 2.x/3.x import many modules on first DagBag use (providers manager, timetables,
    serialization); done once here instead of once per forked child, it saves ~1.5 s per file.
    """
    fd, path = tempfile.mkstemp(suffix=".py")
    with os.fdopen(fd, "w") as handle:
        handle.write(WARM_UP_DAG)
    try:
        describe_file(dagbag_class, path, os.path.dirname(path))
    except Exception:  # noqa: BLE001 - warming up is an optimisation only; the real load reports errors
        pass
    finally:
        os.unlink(path)


def short_error(message):
    """From the line of a traceback that names the exception ("KeyError: ...") to the end.

    Kept to a few lines: Airflow 2 puts the invalid arguments of an operator on the next line.
    """
    lines = [line.strip() for line in str(message).strip().splitlines() if line.strip()]
    for index in range(len(lines) - 1, -1, -1):
        if EXCEPTION_LINE.match(lines[index]):
            return " ".join(lines[index : index + 4])[:SHORT_ERROR_CHARS]
    return (lines[-1] if lines else str(message))[:SHORT_ERROR_CHARS]


def describe_dag(dag, dags_dir):
    start_date = dag.start_date or dag.default_args.get("start_date")
    return {
        "dag_id": dag.dag_id,
        "is_subdag": bool(getattr(dag, "is_subdag", False) or getattr(dag, "parent_dag", None)),
        "schedule": normalised_schedule(raw_schedule(dag)),
        "schedule_semantics": schedule_semantics(dag),
        "start_date": instant(start_date),
        "end_date": instant(dag.end_date),
        "catchup": bool(dag.catchup),
        "timezone": timezone_name(dag),
        "default_args_keys": sorted(str(key) for key in (dag.default_args or {})),
        "tasks": {task.task_id: describe_task(task, dags_dir) for task in dag.tasks},
        "edges": sorted([task.task_id, down] for task in dag.tasks for down in task.downstream_task_ids),
    }


def raw_schedule(dag):
    # Airflow 1.10-2.x keep the argument as `schedule_interval` (2.4+ also has `schedule`);
    # Airflow 3 has only `schedule`.
    if hasattr(dag, "schedule_interval"):
        return dag.schedule_interval
    return getattr(dag, "schedule", None)


def normalised_schedule(value):
    """cron string, preset, timedelta or timetable -> one comparable JSON value."""
    if value is None:
        return None
    if isinstance(value, str):
        value = " ".join(value.split())
        return CRON_PRESETS.get(value, value)
    if isinstance(value, datetime.timedelta):
        return {"every_seconds": value.total_seconds()}
    if hasattr(value, "months") and hasattr(value, "days"):  # dateutil.relativedelta
        return {"relativedelta": repr(value)}
    expression = getattr(value, "_expression", None) or getattr(value, "expression", None)
    if isinstance(expression, str):
        return normalised_schedule(expression)
    return {"timetable": qualified_name(type(value))}


def schedule_semantics(dag):
    """'interval' (logical date = start of the data interval) or 'trigger' (= the run time).

    Airflow <= 2.1 has only data-interval semantics; 2.2+ names it by the timetable class;
    Airflow 3.0 turns cron and timedelta schedules into CronTrigger/DeltaTrigger timetables
    by default ([scheduler] create_cron_data_intervals = False). None for DAGs that are not
    scheduled periodically (schedule None, @once, @continuous, asset-triggered).
    """
    if normalised_schedule(raw_schedule(dag)) in (None, "@once", "@continuous"):
        return None
    timetable = getattr(dag, "timetable", None)
    if timetable is None:
        return "interval"
    name = type(timetable).__name__
    if (
        name in ("NullTimetable", "OnceTimetable", "ContinuousTimetable")
        or "Asset" in name
        or "Dataset" in name
    ):
        return None
    if "Trigger" in name:
        return "trigger"
    if "DataInterval" in name:
        return "interval"
    return name


def timezone_name(dag):
    zone = getattr(dag, "timezone", None)
    if zone is None:
        return None
    return getattr(zone, "name", None) or str(zone)


def instant(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            # Airflow treats naive datetimes as in the default timezone (UTC unless configured).
            value = value.replace(tzinfo=datetime.timezone.utc)
        return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return str(value)


def describe_task(task, dags_dir):
    return {
        "operator": qualified_name(type(task)),
        "retries": plain(getattr(task, "retries", None)),
        "pool": getattr(task, "pool", None),
        "queue": getattr(task, "queue", None),
        # 2.x+ TriggerRule is a str Enum whose str() is "TriggerRule.ALL_SUCCESS"; 1.10 uses plain str.
        "trigger_rule": plain(
            getattr(getattr(task, "trigger_rule", None), "value", getattr(task, "trigger_rule", None))
        ),
        "templated": {
            name: without_dags_dir(plain(getattr(task, name, None)), dags_dir)
            for name in sorted(task.template_fields)
        },
    }


def qualified_name(cls):
    # Airflow names a DAG file's module "unusual_prefix_<sha1 of its path>_<file name>"
    # (1.10-3.x): drop the path hash, so a class defined in a DAG file compares across copies.
    return f"{DAG_MODULE_PREFIX.sub('', cls.__module__)}.{cls.__name__}"


def without_dags_dir(value, dags_dir):
    """Write the DAGs folder as $DAGS_DIR in strings: DAG files often build paths from __file__,
    and a repo and its migrated copy live in different folders."""
    if isinstance(value, str):
        for prefix in sorted({dags_dir, os.path.realpath(dags_dir)}, key=len, reverse=True):
            value = value.replace(prefix, "$DAGS_DIR")
        return value
    if isinstance(value, list):
        return [without_dags_dir(item, dags_dir) for item in value]
    if isinstance(value, dict):
        return {key: without_dags_dir(item, dags_dir) for key, item in value.items()}
    return value


def plain(value, depth=0):
    """A JSON value that is the same for the same DAG on every Airflow version.

    Objects are reduced to their class name: their repr often holds a memory address.
    """
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if depth > 6:
        return f"<{type(value).__name__}>"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [plain(item, depth + 1) for item in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, dict):
        return {
            str(key): plain(item, depth + 1) for key, item in sorted(value.items(), key=lambda kv: str(kv[0]))
        }
    if isinstance(value, datetime.datetime):
        return instant(value)
    if isinstance(value, datetime.timedelta):
        return {"seconds": value.total_seconds()}
    if callable(value) and hasattr(value, "__qualname__"):
        return f"<callable {value.__qualname__}>"
    return f"<{type(value).__name__}>"


if __name__ == "__main__":
    sys.exit(main())
