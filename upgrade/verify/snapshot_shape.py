"""The shape a snapshot must have for `verify` to compare it: what upgrade/verify/diff.py
reads without a default. A snapshot edited by hand or cut short is refused with the first
missing or mistyped field, so a broken file never reads as "the DAGs differ"."""

from __future__ import annotations

# field -> type, per level
_TOP = {"airflow_version": str, "files": list}
_FILE = {"path": str, "status": str, "errors": list, "dags": list}
_DAG = {"dag_id": str, "default_args_keys": list, "tasks": dict, "edges": list}
_TASK = {"operator": str, "templated": dict}


def _fields(value, fields: dict, where: str) -> str | None:
    if not isinstance(value, dict):
        return f"{where} is not an object"
    for name, kind in fields.items():
        if name not in value:
            return f"{where} has no {name!r}"
        if not isinstance(value[name], kind):
            return f"{where}.{name} is not a{'n' if kind.__name__[0] in 'aeiou' else ''} {kind.__name__}"
    return None


def shape_problem(snapshot: dict) -> str | None:
    """The first field `verify` needs that is missing or of another type, or None."""
    problem = _fields(snapshot, _TOP, "the snapshot")
    if problem:
        return problem
    for index, record in enumerate(snapshot["files"]):
        where = f"files[{index}]"
        problem = _fields(record, _FILE, where)
        if problem:
            return problem
        for number, dag in enumerate(record["dags"]):
            problem = _fields(dag, _DAG, f"{where}.dags[{number}]")
            if problem:
                return problem
            if not all(isinstance(edge, list) and len(edge) == 2 for edge in dag["edges"]):
                return f"{where}.dags[{number}].edges holds something other than [upstream, downstream] pairs"
            for task_id, task in dag["tasks"].items():
                problem = _fields(task, _TASK, f"{where}.dags[{number}].tasks[{task_id!r}]")
                if problem:
                    return problem
    return None
