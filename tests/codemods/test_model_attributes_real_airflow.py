"""codemods/_generated/model_attributes.json against real Airflow: every attribute it lists as
removed is there on the imported 1.10.15 model and missing on the imported target model (that
the committed table is what scripts/gen_model_attributes.py reads: tests/test_generated_data.py)."""

from __future__ import annotations

import json

import pytest

from codemods.model_attributes import DATA
from tests.airflow_envs import run_json

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


@pytest.mark.parametrize("key", sorted(ENVS))
def test_removed_attributes_exist_on_1_10_and_not_on_the_target(key, tmp_path):
    rows = json.loads(DATA.read_text())["removed"][key]
    assert rows, key
    old = run_json("af110", HAS, json.dumps(rows), home=tmp_path / "af110")
    assert old == {model: sorted(names) for model, names in rows.items()}
    new = run_json(ENVS[key], HAS, json.dumps(rows), home=tmp_path / key)
    assert new == {model: [] for model in rows}
