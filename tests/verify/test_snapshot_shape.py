"""`verify` on a snapshot missing a field it compares: exit 2 naming the field, never exit 1
("the DAGs differ") and never a traceback."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest

from tests.verify.snapshots import dag, file_record, snapshot


def cut(document: dict, *where) -> dict:
    document = copy.deepcopy(document)
    node = document
    for key in where[:-1]:
        node = node[key]
    del node[where[-1]]
    return document


GOOD = snapshot(file_record("a.py", [dag("a")]))
TASK_ID = next(iter(GOOD["files"][0]["dags"][0]["tasks"]))


@pytest.mark.parametrize(
    "where, message",
    [
        (("files",), "the snapshot has no 'files'"),
        (("airflow_version",), "the snapshot has no 'airflow_version'"),
        (("files", 0, "status"), "files[0] has no 'status'"),
        (("files", 0, "dags", 0, "tasks"), "files[0].dags[0] has no 'tasks'"),
        (
            ("files", 0, "dags", 0, "tasks", TASK_ID, "operator"),
            f"files[0].dags[0].tasks[{TASK_ID!r}] has no 'operator'",
        ),
    ],
)
def test_a_snapshot_missing_a_field_is_exit_2(tmp_path, where, message):
    before = tmp_path / "before.json"
    before.write_text(json.dumps(GOOD))
    after = tmp_path / "after.json"
    after.write_text(json.dumps(cut(GOOD, *where)))
    result = subprocess.run(
        [sys.executable, "-m", "upgrade", "verify", str(before), str(after)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.strip() == f"airflow-upgrade verify: {after}: not a complete snapshot: {message}"
