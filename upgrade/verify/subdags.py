"""A 1.10 subdag and the task group that replaced it, as one shape for the diff.

Airflow 1.10 bags a SubDagOperator's subdag as a DAG of its own, `<parent>.<task_id>`, next
to the parent, whose task `<task_id>` stands for it. A TaskGroup (Airflow 2.0+, the only
option from 3.0, see codemods/subdag_operator.py) puts the same tasks in the parent as
`<group_id>.<task>` - the ids 1.10's UI showed inside the subdag - and an edge to or from the
group reaches its first or last tasks. So the before side is expanded the same way when the
after side holds that group instead of the operator: the subdag's tasks join the parent under
`<task_id>.`, its inner edges follow, and the parent's edges to the operator's task go to the
subdag's roots (from its leaves). Then the ordinary comparison applies.
"""

from __future__ import annotations

import copy

SUBDAG_OPERATOR = "SubDagOperator"


def is_subdag_task(task: dict) -> bool:
    return task.get("operator", "").rpartition(".")[2] == SUBDAG_OPERATOR


def grouped_subdags(before: dict, after: dict, before_dags: dict[str, dict]) -> list[str]:
    """The task ids of `before`'s SubDagOperators that `after` holds as a task group instead."""
    found = []
    for task_id, task in before["tasks"].items():
        subdag = before_dags.get(f"{before['dag_id']}.{task_id}")
        if subdag is None or task_id in after["tasks"]:
            continue
        # A SubDagOperator, or a subclass of it (only the class name is in the snapshot)
        if not (is_subdag_task(task) or subdag.get("is_subdag")):
            continue
        if any(name.startswith(f"{task_id}.") for name in after["tasks"]):
            found.append(task_id)
    return found


def expand(dag: dict, task_ids: list[str], before_dags: dict[str, dict], after: dict) -> dict:
    """`dag` with each subdag task in `task_ids` replaced by the subdag's tasks and edges."""
    expanded = copy.deepcopy(dag)
    for task_id in task_ids:
        subdag = before_dags[f"{dag['dag_id']}.{task_id}"]
        # A subdag inside the subdag: expanded first, when the after side grouped it too.
        inner_after = {
            "tasks": {
                name[len(task_id) + 1 :]: value
                for name, value in after["tasks"].items()
                if name.startswith(f"{task_id}.")
            }
        }
        subdag = expand(subdag, grouped_subdags(subdag, inner_after, before_dags), before_dags, inner_after)
        _merge(expanded, task_id, subdag)
    return expanded


def _merge(parent: dict, task_id: str, subdag: dict) -> None:
    prefix = f"{task_id}."
    inner_edges = [tuple(edge) for edge in subdag["edges"]]
    has_upstream = {down for _, down in inner_edges}
    has_downstream = {up for up, _ in inner_edges}
    roots = sorted(prefix + name for name in subdag["tasks"] if name not in has_upstream)
    leaves = sorted(prefix + name for name in subdag["tasks"] if name not in has_downstream)
    del parent["tasks"][task_id]
    for name, task in subdag["tasks"].items():
        parent["tasks"][prefix + name] = task
    edges = []
    for up, down in parent["edges"]:
        ups = leaves if up == task_id else [up]
        downs = roots if down == task_id else [down]
        edges += [[a, b] for a in ups for b in downs]
    edges += [[prefix + up, prefix + down] for up, down in inner_edges]
    parent["edges"] = sorted(edges)


def touches_group(difference, task_id: str) -> bool:
    """Does a difference of the parent concern the task group `task_id`'s tasks or edges?"""
    prefix = f"{task_id}."
    if difference.task_id is not None:
        return difference.task_id.startswith(prefix)
    if difference.field == "task_ids":
        return any(name.startswith(prefix) for name in [*difference.before, *difference.after])
    if difference.field == "edges":
        return any(
            name.startswith(prefix) for edge in [*difference.before, *difference.after] for name in edge
        )
    return False
