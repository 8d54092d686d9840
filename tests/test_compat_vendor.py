"""`airflow-upgrade compat vendor`: the runtime layer copied into a DAG repo imports on the real
Airflow 1.10.15 (Python 3.8, where this distribution cannot be installed) and 3.3.2, under the
package name the project chose, from the copy alone."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.airflow_envs import run_json

PROBE = r"""
import importlib, json, pkgutil, sys
sys.path.insert(0, sys.argv[1])
import mycompat
names = sorted(m.name for m in pkgutil.iter_modules(mycompat.__path__, "mycompat."))
for name in names:
    importlib.import_module(name)
from mycompat.dag import schedule_kwargs
from mycompat.version import airflow_version
print(json.dumps({
    "modules": names,
    "files": sorted({m.__file__.rsplit("/", 1)[0] for n, m in sys.modules.items() if n.split(".")[0] in ("mycompat", "compat")}),
    "schedule": sorted(schedule_kwargs("0 8 * * *")),
    "version": list(airflow_version())[:2],
}))
"""


def vendor(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "upgrade", "compat", "vendor", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_vendor_writes_refreshes_and_refuses_foreign_folders(tmp_path):
    first = vendor(str(tmp_path), "--package", "mycompat")
    assert first.returncode == 1, first.stderr
    copy = tmp_path / "mycompat"
    assert {p.name for p in copy.glob("*.py")} >= {"__init__.py", "dag.py", "macros.py", "operators.py"}
    assert b"from compat." not in (copy / "dag.py").read_bytes()
    assert vendor(str(tmp_path), "--package", "mycompat").returncode == 0  # up to date
    (copy / "dag.py").write_bytes(b"# edited\n")
    assert vendor(str(tmp_path), "--package", "mycompat", "--check").returncode == 1
    assert (copy / "dag.py").read_bytes() == b"# edited\n"  # --check writes nothing
    assert vendor(str(tmp_path), "--package", "mycompat").returncode == 1
    (tmp_path / "own").mkdir()
    (tmp_path / "own" / "x.py").write_text("X = 1\n")
    refused = vendor(str(tmp_path), "--package", "own")
    assert refused.returncode == 2 and "not a vendored copy" in refused.stderr
    assert (tmp_path / "own" / "x.py").read_text() == "X = 1\n"
    bad = vendor(str(tmp_path), "--package", "not-a-name")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_the_package_name_comes_from_the_settings_fix_reads(tmp_path):
    # `fix --bridge` imports its helpers from `compat-package`; vendoring reads the same key.
    (tmp_path / "pyproject.toml").write_text('[tool.airflow-upgrade]\ncompat-package = "dag_compat"\n')
    dags = tmp_path / "dags"
    dags.mkdir()
    assert vendor(str(dags)).returncode == 1
    assert (dags / "dag_compat" / "dag.py").is_file() and not (dags / "compat").exists()
    assert vendor(str(dags), "--package", "other").returncode == 1  # the flag wins
    (tmp_path / "pyproject.toml").write_text("[tool.airflow-upgrade]\ncompat-package = 3\n")
    bad = vendor(str(dags))
    assert bad.returncode == 2 and "compat-package must be" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.airflow
@pytest.mark.parametrize(("env", "version"), [("af110", [1, 10]), ("af3", [3, 3])])
def test_vendored_copy_imports_on_real_airflow(tmp_path, env, version):
    assert vendor(str(tmp_path), "--package", "mycompat").returncode == 1
    report = run_json(env, PROBE, str(tmp_path), home=tmp_path / "home")
    assert report["version"] == version
    assert report["files"] == [str(tmp_path / "mycompat")]  # nothing from the tool's own compat/
    assert "mycompat.operators" in report["modules"]
    assert report["schedule"] == (["schedule_interval"] if env == "af110" else ["schedule"])
