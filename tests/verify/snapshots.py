"""Build small snapshot documents (the format probe.py writes) for the diff and CLI tests."""

from __future__ import annotations

import copy

from upgrade.verify.snapshot import SNAPSHOT_FORMAT


def task(operator="airflow.operators.bash_operator.BashOperator", **templated):
    return {
        "operator": operator,
        "retries": 0,
        "pool": "default_pool",
        "queue": "default",
        "trigger_rule": "all_success",
        "templated": templated,
    }


def dag(dag_id="etl", tasks=None, edges=(("extract", "load"),), **fields):
    described = {
        "dag_id": dag_id,
        "is_subdag": False,
        "schedule": "0 0 * * *",
        "schedule_semantics": "interval",
        "start_date": "2021-01-01T00:00:00.000000Z",
        "end_date": None,
        "catchup": True,
        "timezone": "UTC",
        "default_args_keys": ["owner"],
        "tasks": tasks if tasks is not None else {"extract": task(), "load": task()},
        "edges": [list(edge) for edge in edges],
    }
    described.update(fields)
    return described


def file_record(path="etl.py", dags=None, status="ok", errors=()):
    return {"path": path, "status": status, "errors": list(errors), "dags": list(dags or []), "seconds": 0.1}


def snapshot(*files, version="1.10.15"):
    return {
        "format": SNAPSHOT_FORMAT,
        "airflow_version": version,
        "python_version": "3.8.18",
        "interpreter": "/venv/bin/python",
        "dags_dir": "/dags",
        "files": [copy.deepcopy(record) for record in files],
    }
