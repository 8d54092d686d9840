"""`verify` on the reference team's DAG: its 1.10 form (tests/fixtures/dags_1_10) on 1.10.15
against (a) that form after `fix` on 2.0.2, 2.11.2 and 3.3.2 and (b) the hand-migrated dags/
(written on compat/) on 3.3.2. All runs go side by side, one worker each.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.airflow_envs import airflow_python

pytestmark = [pytest.mark.slow, pytest.mark.airflow]

REPO = Path(__file__).resolve().parents[2]
FIXED = {"af20": "2.0", "af2": "2", "af3": "3"}  # after env -> --target
HAND_MIGRATED_ENVS = ("af3",)


def cli(*args) -> list[str]:
    return [sys.executable, "-m", "upgrade", *map(str, args)]


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("reference")
    before = out / "before.json"
    subprocess.run(
        cli("snapshot", REPO / "tests/fixtures/dags_1_10", "--python", airflow_python("af110"), "-o", before),
        check=True,
        capture_output=True,
        timeout=600,
    )
    started = time.monotonic()
    processes = {}
    for env, target in FIXED.items():
        command = cli("verify", "--before-snapshot", before, "--after-env", airflow_python(env))
        command += [str(REPO / "tests/fixtures/dags_1_10"), "--fix", "--target", target, "-j", "1"]
        processes[("fixed", env)] = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    for env in HAND_MIGRATED_ENVS:
        after = out / f"dags_{env}.json"
        command = cli("snapshot", REPO / "dags", "--python", airflow_python(env), "-o", after, "-j", "1")
        command += ["--pythonpath", str(REPO)]  # dags/ imports compat/ from the repo root
        processes[("hand", env)] = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    results = {}
    for key, process in processes.items():
        stdout, stderr = process.communicate(timeout=900)
        results[key] = (process.returncode, stdout, stderr)
    for env in HAND_MIGRATED_ENVS:
        assert results[("hand", env)][0] == 0, results[("hand", env)][2]
        result = subprocess.run(
            cli("verify", before, out / f"dags_{env}.json"), capture_output=True, text=True
        )
        results[("hand", env)] = (result.returncode, result.stdout, result.stderr)
    for (kind, env), (code, stdout, _) in sorted(results.items()):
        print(f"\n--- {kind} {env} (exit {code}) ---\n{stdout}")
    print(f"reference runs: {time.monotonic() - started:.0f} s")
    return results


def summary(stdout: str) -> str:
    return stdout.rstrip().splitlines()[-1]


def test_fixed_for_2_0_builds_the_identical_dag_on_2_0_2(runs):
    code, stdout, stderr = runs[("fixed", "af20")]
    assert code == 0, stdout + stderr
    assert summary(stdout) == "3 of 3 files load; 1 of 1 DAGs structurally identical"


def test_fixed_for_latest_2_is_structurally_identical_on_2_11_with_rewritten_templates(runs):
    code, stdout, stderr = runs[("fixed", "af2")]
    assert code == 1, stdout + stderr
    assert (
        summary(stdout)
        == "3 of 3 files load; 1 of 1 DAGs structurally identical (1 with changed template values)"
    )
    # execution_date (removed in 3.0) became logical_date (AU201, exact for every run);
    # next_execution_date -> data_interval_end is an unsafe fix (scheduled runs only)
    assert "logical_date" in stdout
    assert "template task run_report: templated.bash_command" in stdout


def test_fixed_for_3_loads_on_3_3_and_verify_shows_the_catchup_default_change(runs):
    code, stdout, stderr = runs[("fixed", "af3")]
    assert code == 1, stdout + stderr
    # Airflow 3.0 made catchup default to False; the 1.10 DAG relied on the old default (True).
    assert "  catchup: true -> false" in stdout
    assert "  note: schedule_semantics: 'interval' -> 'trigger'" in stdout
    assert (
        summary(stdout)
        == "3 of 3 files load; 0 of 1 DAGs structurally identical (1 with changed template values)"
    )


@pytest.mark.parametrize("env", HAND_MIGRATED_ENVS)
def test_hand_migrated_dag_builds_the_same_tasks_and_edges(runs, env):
    code, stdout, stderr = runs[("hand", env)]
    assert code == 1, stdout + stderr
    dag_lines = [line for line in stdout.splitlines() if line.startswith("  ") and "template" not in line]
    # What the reference team changed on purpose: the `catchUp` typo in default_args (so the
    # 1.10 DAG caught up) became DAG(catchup=False); start_date moved from default_args to the
    # DAG; helpers in utils/ were replaced by compat/. Tasks, edges, operators, schedule,
    # start date and timezone are the same.
    assert dag_lines == [
        "  utils/__init__.py",
        "  utils/pod_log_patch.py",
        "  catchup: true -> false",
        '  default_args_keys: only before ["catchUp", "depends_on_past", "start_date"], only after []',
    ]
    assert (
        summary(stdout)
        == "1 of 1 files load; 0 of 1 DAGs structurally identical (1 with changed template values)"
    )
