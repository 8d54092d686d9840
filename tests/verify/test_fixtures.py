"""The --variables fixture file -> AIRFLOW_VAR_* / AIRFLOW_CONN_* environment variables."""

from __future__ import annotations

import json

import pytest

from upgrade.verify.fixtures import FixtureError, fixture_environment


def test_json_fixture(tmp_path):
    path = tmp_path / "vars.json"
    path.write_text(
        json.dumps(
            {
                "variables": {"env": "prod", "cfg": {"retries": 3}, "n": 2},
                "connections": {"warehouse": "postgresql://u:p@db:5432/dwh", "api": {"conn_type": "http"}},
            }
        )
    )
    assert fixture_environment(path) == {
        "AIRFLOW_VAR_ENV": "prod",
        "AIRFLOW_VAR_CFG": '{"retries": 3}',  # what Variable.get(..., deserialize_json=True) reads
        "AIRFLOW_VAR_N": "2",
        "AIRFLOW_CONN_WAREHOUSE": "postgresql://u:p@db:5432/dwh",
        "AIRFLOW_CONN_API": '{"conn_type": "http"}',
    }


def test_yaml_fixture(tmp_path):
    # PyYAML is a dependency of the tool test env (tox.ini); without it this fails, not skips
    path = tmp_path / "vars.yaml"
    path.write_text("variables:\n  env: prod\nconnections:\n  db: sqlite:///x.db\n")
    assert fixture_environment(path) == {"AIRFLOW_VAR_ENV": "prod", "AIRFLOW_CONN_DB": "sqlite:///x.db"}


@pytest.mark.parametrize(
    "name, text, message",
    [
        ("bad.json", "{", "invalid JSON"),
        ("list.json", "[1, 2]", "expected only 'variables' and 'connections' mappings"),
        ("bad.yaml", "variables: [", "invalid YAML"),
    ],
)
def test_broken_fixture_names_the_file(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(FixtureError, match=message) as caught:
        fixture_environment(path)
    assert str(caught.value).startswith(f"{path}: ")


def test_missing_fixture(tmp_path):
    with pytest.raises(FixtureError, match="cannot read variables file"):
        fixture_environment(tmp_path / "nope.json")
