"""The `github` output format: a file name with `,` `:` or a newline stays one property."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DAG = b"from airflow.operators.python_operator import PythonOperator\n"


def test_file_properties_are_escaped(tmp_path: Path):
    name = "a,b:c\nd%.py"
    (tmp_path / name).write_bytes(DAG)
    (tmp_path / "bad,x.py").write_bytes(b"from airflow import DAG\ndef broken(:\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "upgrade",
            "check",
            "--no-cache",
            "--output-format",
            "github",
            name,
            "bad,x.py",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::error file=bad%2Cx.py,title=airflow-upgrade::syntax error at 2:")
    assert lines[1].startswith("::warning file=a%2Cb%3Ac%0Ad%25.py,line=1,col=47,")
    assert len(lines) == 2
