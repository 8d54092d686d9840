"""`[tool.airflow-upgrade]`: every key's type is checked; a wrong one is one line and exit 2,
never a traceback and never a silent misreading."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from upgrade import settings
from upgrade.settings import KNOWN_KEYS, SCHEMA, SettingsError, load_settings

GOOD = b"from airflow.operators.python_operator import PythonOperator\n"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "upgrade", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


WRONG = {
    'jobs = "x"': 'jobs must be a whole number of worker processes (0 = one per CPU), not "x"',
    "jobs = -1": "jobs must be a whole number of worker processes (0 = one per CPU), not -1",
    "jobs = true": "jobs must be a whole number of worker processes (0 = one per CPU), not true",
    "exclude = 5": 'exclude must be a list of globs, e.g. ["dags/vendored/*"], not 5',
    # a string would be read as its characters: 0 files checked, exit 0
    'exclude = "dags/x/*"': 'exclude must be a list of globs, e.g. ["dags/vendored/*"], not "dags/x/*"',
    "cache-dir = 5": "cache-dir must be a directory path string, not 5",
    # a non-empty string is true: unsafe fixes would be ON
    'unsafe-fixes = "false"': 'unsafe-fixes must be true or false, not "false"',
    # read as the codes A, U and 3
    'select = "AU3"': 'select must be a list of rule codes, e.g. ["AU1", "AU203"], not "AU3"',
    "ignore = [1]": 'ignore must be a list of rule codes, e.g. ["AU401"], not [1]',
    "target = 2": 'target must be a string such as "2.0", "2" or "3", not 2',
    'dag-wrappers = "company.DAG"': "dag-wrappers must be a list of qualified names of your own DAG callables",
    'per-file-ignores = {"a/*" = "AU1"}': "per-file-ignores must be a table of glob = [rule codes]",
}


@pytest.mark.parametrize("line", sorted(WRONG))
def test_a_wrong_type_is_one_line_and_exit_2(tmp_path: Path, line: str):
    (tmp_path / "pyproject.toml").write_text(f"[tool.airflow-upgrade]\n{line}\n")
    (tmp_path / "dag.py").write_bytes(GOOD)
    for command in ("check", "fix"):
        result = cli(command, "--no-cache", "dag.py", cwd=tmp_path)
        assert result.returncode == 2, result.stdout + result.stderr
        [message] = result.stderr.strip().splitlines()
        assert message.startswith(
            f"airflow-upgrade: error: {tmp_path / 'pyproject.toml'}: [tool.airflow-upgrade] "
        )
        assert WRONG[line] in message
    assert (tmp_path / "dag.py").read_bytes() == GOOD


def test_the_right_types_are_read(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text(
        "[tool.airflow-upgrade]\n"
        'target = "2"\nselect = ["AU1"]\nignore = []\nexclude = ["vendored/*"]\nunsafe-fixes = false\n'
        'jobs = 1\ncache-dir = ".c"\n'
    )
    (tmp_path / "vendored").mkdir()
    (tmp_path / "vendored" / "v.py").write_bytes(GOOD)
    (tmp_path / "dag.py").write_bytes(GOOD)
    result = cli("check", ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert [line.split(":")[0] for line in result.stdout.splitlines() if " AU" in line] == ["./dag.py"]


def test_every_known_key_has_a_type():
    assert set(SCHEMA) == KNOWN_KEYS


def test_the_table_itself_must_be_a_table(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text('[tool]\nairflow-upgrade = "x"\n')
    with pytest.raises(SettingsError, match="must be a table"):
        load_settings([str(tmp_path)])


def test_an_empty_target_flag_is_not_the_default(tmp_path: Path):
    (tmp_path / "dag.py").write_bytes(GOOD)
    result = cli("check", "--no-cache", "--target", "", "dag.py", cwd=tmp_path)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("airflow-upgrade: error: unknown --target ''")


def test_a_directory_that_may_not_be_searched_is_one_line(tmp_path: Path, monkeypatch):
    # As root every directory is searchable; EACCES is what a non-root user gets from
    # stat() under a directory without the x bit.
    locked = tmp_path / "locked"
    (locked / "dags").mkdir(parents=True)
    real_is_file = Path.is_file

    def is_file(path: Path) -> bool:
        if path == locked / "pyproject.toml":
            raise PermissionError(13, "Permission denied", str(path))
        return real_is_file(path)

    monkeypatch.setattr(settings.Path, "is_file", is_file)
    with pytest.raises(SettingsError) as raised:
        load_settings([str(locked / "dags")])
    assert (
        str(raised.value) == f"{locked / 'pyproject.toml'}: cannot look for pyproject.toml: Permission denied"
    )


def test_dag_wrappers_make_the_schedule_rename_of_their_calls_safe(tmp_path: Path):
    source = b'from company_airflow import DAG\ndag = DAG("a", schedule_interval="@daily")\n'
    (tmp_path / "dag.py").write_bytes(source)
    result = cli("fix", "--no-cache", "--target", "3", "--select", "AU301", "dag.py", cwd=tmp_path)
    assert (tmp_path / "dag.py").read_bytes() == source, result.stdout  # unsafe without the setting
    (tmp_path / "pyproject.toml").write_text(
        '[tool.airflow-upgrade]\ndag-wrappers = ["company_airflow.DAG"]\n'
    )
    result = cli("fix", "--no-cache", "--target", "3", "--select", "AU301", "dag.py", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert (tmp_path / "dag.py").read_bytes() == source.replace(b"schedule_interval", b"schedule")
