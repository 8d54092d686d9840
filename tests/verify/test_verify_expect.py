"""`verify --expect CODES`: the template rewrites the expected rules make do not fail the gate;
structural differences and other files' template changes still do."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.verify.snapshots import dag, file_record, snapshot, task
from upgrade.verify.command import accept_expected
from upgrade.verify.diff import compare_snapshots


def _pair(after_command: str, operator: str = "airflow.operators.bash_operator.BashOperator"):
    before = snapshot(
        file_record(
            "a.py",
            [dag("a", tasks={"extract": task(bash_command="echo {{ execution_date }}"), "load": task()})],
        )
    )
    changed = {"extract": task(operator, bash_command=after_command), "load": task()}
    after = snapshot(file_record("a.py", [dag("a", tasks=changed)]), version="2.11.2")
    return before, after


def test_expected_template_change_in_a_fixed_file_passes():
    report = compare_snapshots(*_pair("echo {{ logical_date }}"))
    assert report.has_differences
    accept_expected(report, {"AU201"}, {"a.py": {"AU201", "AU101"}})
    assert not report.has_differences and report.dags[0].status == "expected"


def test_unexpected_code_or_other_file_still_fails():
    report = compare_snapshots(*_pair("echo {{ logical_date }}"))
    accept_expected(report, {"AU202"}, {"a.py": {"AU201"}})
    assert report.has_differences
    report = compare_snapshots(*_pair("echo {{ logical_date }}"))
    accept_expected(report, {"AU201"}, {"b.py": {"AU201"}})
    assert report.has_differences


def test_structural_difference_is_never_expected():
    report = compare_snapshots(
        *_pair("echo {{ logical_date }}", operator="airflow.operators.python.PythonOperator")
    )
    accept_expected(report, {"AU201"}, {"a.py": {"AU201"}})
    assert report.has_differences


def test_cli_with_two_snapshots(tmp_path):
    before, after = _pair("echo {{ logical_date }}")
    (tmp_path / "before.json").write_text(json.dumps(before))
    (tmp_path / "after.json").write_text(json.dumps(after))
    base = [sys.executable, "-m", "upgrade", "verify", "before.json", "after.json"]
    plain = subprocess.run(base, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert plain.returncode == 1
    expected = subprocess.run(
        [*base, "--expect", "AU201"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert expected.returncode == 0, expected.stdout + expected.stderr
    assert "DAG a (a.py): expected" in expected.stdout


def test_snapshot_python_is_searched_on_path(tmp_path, monkeypatch):
    from upgrade.verify.snapshot import resolve_python

    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "team-python").symlink_to(sys.executable)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:{__import__('os').environ['PATH']}")
    monkeypatch.chdir(tmp_path)
    assert resolve_python("team-python") == tmp_path / "bin" / "team-python"
