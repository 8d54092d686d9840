#!/usr/bin/env python3
"""Generate codemods/_generated/base_sensor_kwargs.json: BaseSensorOperator's own keyword
arguments per target Airflow line (its bases' are BaseOperator's, codemods/_generated/dag_signature.py).

    python scripts/gen_base_sensor_kwargs.py            # (re)write the table
    python scripts/gen_base_sensor_kwargs.py --check    # exit 1 if the committed table drifted

Read with `ast` from the tox envs (nothing imported): 2.11 airflow/sensors/base.py, 3.x the Task
SDK's airflow/sdk/bases/sensor.py. Provider sensors subclass it; the provider-release data ends
their base chain there (codemods/_target_signature.py adds these).
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path
from typing import Optional

from _generator import generator_main, site_packages

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "codemods" / "_generated" / "base_sensor_kwargs.json"
SOURCES = {"2": ("af2", "airflow/sensors/base.py"), "3": ("af3", "airflow/sdk/bases/sensor.py")}


def sensor_kwargs(path: Path) -> list[str]:
    for node in ast.parse(path.read_bytes()).body:
        if isinstance(node, ast.ClassDef) and node.name == "BaseSensorOperator":
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                    args = item.args
                    names = [a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]]
                    return sorted(name for name in names if name != "self")
    raise SystemExit(f"no BaseSensorOperator.__init__ in {path}")


def render(tox_dir: Path) -> str:
    table = {
        key: sensor_kwargs(site_packages(env, tox_dir) / source) for key, (env, source) in SOURCES.items()
    }
    document = {
        "generated_by": "scripts/gen_base_sensor_kwargs.py from the af2 / af3 envs; do not edit",
        "kwargs": table,
    }
    return json.dumps(document, indent=1, sort_keys=True) + "\n"


def main(argv: Optional[list[str]] = None) -> int:
    return generator_main(__doc__, OUTPUT, render, "gen_base_sensor_kwargs.py", argv)


if __name__ == "__main__":
    sys.exit(main())
