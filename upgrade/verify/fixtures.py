"""Variables and Connections that DAG files read at parse time, from a fixture file.

A snapshot never invents a value: a DAG that reads a Variable the fixture does not define fails
to load and is reported. The fixture becomes AIRFLOW_VAR_* / AIRFLOW_CONN_* environment
variables, which every Airflow version 1.10.10+ reads before its metadata DB.

    {"variables": {"env": "prod", "cfg": {"a": 1}},
     "connections": {"my_db": "postgresql://user:pw@host:5432/db"}}

JSON always; YAML when PyYAML is installed. Non-string variable values are stored as JSON
(what `Variable.get(key, deserialize_json=True)` expects).
"""

from __future__ import annotations

import json
from pathlib import Path


class FixtureError(Exception):
    pass


def load_fixture(path: Path) -> dict:
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as exc:
        raise FixtureError(f"{path}: cannot read variables file: {exc.strerror}") from exc
    if path.suffix in (".yaml", ".yml"):
        try:
            import yaml
        except ImportError as exc:
            raise FixtureError(f"{path}: YAML needs PyYAML (pip install PyYAML), or use JSON") from exc
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise FixtureError(f"{path}: invalid YAML: {exc}") from exc
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FixtureError(f"{path}: invalid JSON: {exc}") from exc
    data = data or {}
    unknown = set(data) - {"variables", "connections"} if isinstance(data, dict) else {"<not a mapping>"}
    if unknown:
        raise FixtureError(
            f"{path}: expected only 'variables' and 'connections' mappings, got {sorted(unknown)}"
        )
    return data


def fixture_environment(path: Path) -> dict[str, str]:
    data = load_fixture(path)
    environ = {}
    for key, value in (data.get("variables") or {}).items():
        environ[f"AIRFLOW_VAR_{str(key).upper()}"] = value if isinstance(value, str) else json.dumps(value)
    for conn_id, value in (data.get("connections") or {}).items():
        # A URI string, or a dict in the JSON form Airflow 2.3+ accepts in AIRFLOW_CONN_*.
        environ[f"AIRFLOW_CONN_{str(conn_id).upper()}"] = (
            value if isinstance(value, str) else json.dumps(value)
        )
    return environ
