"""`airflow-upgrade snapshot` against the real Airflow envs (1.10.15, 2.0.2, 2.11.2, 3.3.2).

One directory of DAG files (a good one, one that reads a Variable from the fixture file, and
five bad ones) is snapshotted once per env; the four snapshots run side by side.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from tests.airflow_envs import AIRFLOW_ENVS, airflow_python
from tests.verify.bad_dags import FILES
from upgrade.verify.diff import compare_snapshots

pytestmark = [pytest.mark.slow, pytest.mark.airflow]

TIMEOUT = 4  # seconds per file; hangs.py sleeps an hour
ENVS = list(AIRFLOW_ENVS)


@pytest.fixture(scope="module")
def dags_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("dags")
    for name, text in FILES.items():
        (directory / name).write_text(text)
    return directory


@pytest.fixture(scope="module")
def snapshots(dags_dir, tmp_path_factory):
    """env -> (snapshot dict, seconds taken, exit code); the four envs run concurrently."""
    out_dir = tmp_path_factory.mktemp("snapshots")
    fixture = out_dir / "variables.json"
    fixture.write_text(json.dumps({"variables": {"target_table": "sales"}}))
    started = time.monotonic()
    processes = {}
    for env in ENVS:
        command = [
            sys.executable,
            "-m",
            "upgrade",
            "snapshot",
            str(dags_dir),
            "--python",
            str(airflow_python(env)),
        ]
        command += ["-o", str(out_dir / f"{env}.json"), "--timeout", str(TIMEOUT), "--jobs", "1"]
        command += ["--variables", str(fixture)]
        processes[env] = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results = {}
    for env, process in processes.items():
        stdout, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, f"snapshot on {env} failed: {stderr}"
        results[env] = json.loads((out_dir / f"{env}.json").read_text())
    print(f"4 snapshots in {time.monotonic() - started:.1f} s")
    return results


def files_of(snapshot: dict) -> dict:
    return {record["path"]: record for record in snapshot["files"]}


@pytest.mark.parametrize("env", ENVS)
def test_snapshot_records_the_airflow_version(snapshots, env):
    assert snapshots[env]["airflow_version"] == AIRFLOW_ENVS[env][0]


@pytest.mark.parametrize("env", ENVS)
def test_every_file_is_reported_even_after_bad_ones(snapshots, env):
    files = files_of(snapshots[env])
    assert sorted(files) == sorted(FILES)


@pytest.mark.parametrize("env", ENVS)
def test_hanging_file_is_killed_after_the_timeout(snapshots, env):
    record = files_of(snapshots[env])["hangs.py"]
    assert record["status"] == "timeout"
    assert record["errors"] == [f"timeout: still loading after {TIMEOUT}s, killed"]
    assert TIMEOUT <= record["seconds"] < TIMEOUT + 3


@pytest.mark.parametrize("env", ENVS)
def test_sys_exit_is_an_import_error_with_its_code(snapshots, env):
    record = files_of(snapshots[env])["calls_sys_exit.py"]
    assert record["status"] == "import_error"
    # Airflow <= 2.x lets SystemExit through DagBag (we catch it); 3.x records it itself.
    assert record["errors"][0] in ("SystemExit(7) raised while importing", "SystemExit: 7")


@pytest.mark.parametrize("env", ENVS)
def test_os_exit_is_reported_as_a_crash(snapshots, env):
    record = files_of(snapshots[env])["calls_os_exit.py"]
    assert record["status"] == "crashed"
    assert "exited with status 9" in record["errors"][0]


@pytest.mark.parametrize("env", ENVS)
def test_missing_variable_is_reported_not_invented(snapshots, env):
    record = files_of(snapshots[env])["missing_variable.py"]
    assert record["status"] == "import_error"
    assert "Variable variable_nobody_defined does not exist" in record["errors"][0]
    assert record["dags"] == []


@pytest.mark.parametrize("env", ENVS)
def test_variable_from_the_fixture_file_is_read(snapshots, env):
    record = files_of(snapshots[env])["reads_variable.py"]
    assert record["status"] == "ok", record["errors"]
    assert [dag["dag_id"] for dag in record["dags"]] == ["reads_variable"]


@pytest.mark.parametrize("env", ENVS)
def test_syntax_error_is_reported(snapshots, env):
    record = files_of(snapshots[env])["syntax_error.py"]
    assert record["status"] == "import_error"
    assert "invalid syntax" in record["errors"][0]


@pytest.mark.parametrize("env", ENVS)
def test_good_dag_is_described(snapshots, env):
    (dag,) = files_of(snapshots[env])["good.py"]["dags"]
    assert dag["dag_id"] == "good"
    assert dag["schedule"] == "0 0 * * *"  # @daily, whatever the version calls it
    assert dag["start_date"] == "2021-01-01T00:00:00.000000Z"
    assert dag["catchup"] is False
    assert dag["timezone"] == "UTC"
    assert dag["default_args_keys"] == ["owner", "retries", "retry_delay"]
    assert sorted(dag["tasks"]) == ["audit", "extract", "load", "report"]
    assert dag["edges"] == [["extract", "audit"], ["extract", "load"], ["load", "report"]]
    # Airflow names the module of a DAG file after a hash of its path; the snapshot drops the hash
    assert dag["tasks"]["audit"]["operator"] == "good.AuditOperator"
    assert dag["tasks"]["extract"]["operator"].endswith(".BashOperator")
    assert dag["tasks"]["extract"]["retries"] == 2
    assert dag["tasks"]["report"]["retries"] == 0
    assert (dag["tasks"]["load"]["pool"], dag["tasks"]["load"]["queue"]) == ("warehouse", "etl")
    assert dag["tasks"]["extract"]["templated"]["bash_command"] == "echo {{ ds }}"
    assert dag["tasks"]["extract"]["trigger_rule"] == "all_success"
    # paths built from __file__ are written relative to the DAGs folder, so copies compare equal
    assert dag["tasks"]["report"]["templated"]["bash_command"] == "bash $DAGS_DIR/scripts/report.sh --daily"


@pytest.mark.parametrize("env", ["af20", "af2", "af3"])
def test_same_dag_on_two_versions_is_identical(snapshots, env):
    report = compare_snapshots(snapshots["af110"], snapshots[env])
    by_id = {dag.dag_id: dag for dag in report.dags}
    good = by_id["good"]
    structure = [d for d in good.differences if d.kind == "structure"]
    assert structure == []
    assert good.status == "identical", good.differences
    # Airflow 3.0 runs cron schedules as trigger timetables: reported as a note, not a difference.
    notes = [(d.field, d.before, d.after) for d in good.differences if d.kind == "note"]
    assert notes == ([("schedule_semantics", "interval", "trigger")] if env == "af3" else [])
    assert report.new_import_errors == []
    if env != "af3":
        assert report.summary_line() == "2 of 2 files load; 2 of 2 DAGs structurally identical"
        return
    # Airflow 3.0 changed [scheduler] catchup_by_default to False: a DAG that relied on the
    # 1.10 default (reads_variable.py sets no catchup) now builds differently.
    assert report.summary_line() == "2 of 2 files load; 1 of 2 DAGs structurally identical"
    changed = [(d.field, d.before, d.after) for d in by_id["reads_variable"].differences]
    assert changed == [("catchup", True, False)]


def test_a_changed_dag_is_not_identical(snapshots):
    """The same probe output with one edge dropped and one operator swapped must differ."""
    after = json.loads(json.dumps(snapshots["af2"]))
    good = next(record for record in after["files"] if record["path"] == "good.py")["dags"][0]
    good["edges"] = [["extract", "load"]]
    good["tasks"]["report"]["operator"] = "airflow.operators.python.PythonOperator"
    report = compare_snapshots(snapshots["af110"], after)
    fields = {
        (d.field, d.task_id) for d in next(dag for dag in report.dags if dag.dag_id == "good").differences
    }
    assert ("edges", None) in fields
    assert ("operator", "report") in fields
    assert report.structurally_identical == 1


def test_empty_dags_folder_and_a_tox_env_name(tmp_path):
    """`--python af110` names the project's tox env; an empty folder still records the version."""
    (tmp_path / "dags").mkdir()
    airflow_python("af110")  # fails the test with the build command when the env is missing
    result = subprocess.run(
        [sys.executable, "-m", "upgrade", "snapshot", str(tmp_path / "dags"), "--python", "af110"]
        + ["-o", str(tmp_path / "s.json")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    snapshot = json.loads((tmp_path / "s.json").read_text())
    assert (snapshot["airflow_version"], snapshot["files"]) == ("1.10.15", [])
