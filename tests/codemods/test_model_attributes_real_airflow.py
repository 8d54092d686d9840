"""codemods/_generated/model_attributes.json against real Airflow: the committed table is what
scripts/gen_model_attributes.py reads from the tox envs, and every attribute it lists as removed
is there on the imported 1.10.15 model and missing on the imported target model."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from codemods.model_attributes import DATA
from tests.airflow_envs import airflow_python, run_json, tox_workdir

REPO = Path(__file__).resolve().parent.parent.parent
ENVS = {"2.0": "af20", "2": "af2", "3": "af3"}

HAS = """\
import importlib, json, sys, warnings
warnings.simplefilter("ignore")
rows = json.loads(sys.argv[1])
found = {}
for qualified, names in rows.items():
    module, _, name = qualified.rpartition(".")
    cls = getattr(importlib.import_module(module), name)
    found[qualified] = sorted(n for n in names if hasattr(cls, n))
print(json.dumps(found))
"""


def test_committed_table_matches_generator():
    airflow_python("af110")  # fails (never skips) with the command to build a missing env
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "gen_model_attributes.py"),
            "--check",
            "--tox-dir",
            str(tox_workdir()),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("key", sorted(ENVS))
def test_removed_attributes_exist_on_1_10_and_not_on_the_target(key, tmp_path):
    rows = json.loads(DATA.read_text())["removed"][key]
    assert rows, key
    old = run_json("af110", HAS, json.dumps(rows), home=tmp_path / "af110")
    assert old == {model: sorted(names) for model, names in rows.items()}
    new = run_json(ENVS[key], HAS, json.dumps(rows), home=tmp_path / key)
    assert new == {model: [] for model in rows}
