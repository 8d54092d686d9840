"""AU193: the experimental API (`airflow.api.common.experimental.*`) and the local client.

Airflow 2.0 deprecated the experimental REST API and its Python functions (`trigger_dag`,
`create_pool`, ...; 2.2 moved some to `airflow.api.common`); Airflow 3.0 removed the package, and
task code can no longer reach the metadata database at all (tasks talk to the API server). A DAG
file importing it fails to load on 3.x. There is no drop-in replacement, so this is a report
naming what to use instead.

What Airflow 3.3.2 still has is no replacement either: `airflow.api.common.trigger_dag.trigger_dag`,
`airflow.api.common.delete_dag.delete_dag`, `airflow.api.common.mark_tasks` and
`airflow.api.client.local_client.Client` remain for Airflow's own CLI and API server, with other
signatures (`trigger_dag` requires keyword-only `triggered_by=`, `execution_date=` became
`logical_date=`; `Client(auth=None, session=None)` has no `api_base_url`), and task processes and
the DAG processor run with ORM access blocked ("Direct database access via the ORM is not allowed
in Airflow 3.0"), so a call from DAG or task code fails whichever path it is imported from. The
pool functions and `get_task`, `get_task_instance`, `get_dag_runs`, `get_dag_run_state`, `get_code`
have no module left at all.

Example::

    from airflow.api.common.experimental.trigger_dag import trigger_dag

is reported: "use TriggerDagRunOperator, or POST /api/v2/dags/{dag_id}/dagRuns".

## Example
```python target=3
from airflow.api.client.local_client import Client

Client(None, None).trigger_dag("report")
```
Use instead:
```python
from airflow.operators.trigger_dagrun import TriggerDagRunOperator

trigger = TriggerDagRunOperator(task_id="trigger", trigger_dag_id="report", dag=dag)
```
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from codemods._base import NO_FIX, Finding, Rule
from codemods._import_spans import positioned_aliases

EXPERIMENTAL = "airflow.api.common.experimental"
LOCAL_CLIENT = "airflow.api.client.local_client"
# experimental module -> what to use on Airflow 3 (an operator, or its REST API v2)
REPLACEMENTS = {
    "trigger_dag": (
        "TriggerDagRunOperator(trigger_dag_id=..., conf=..., trigger_run_id=...), or the REST API "
        "(POST /api/v2/dags/{dag_id}/dagRuns); `airflow.api.common.trigger_dag.trigger_dag` still exists "
        "but requires `triggered_by=`, takes `logical_date=` and works on the database, which task code "
        "cannot reach"
    ),
    "pool": "the REST API (/api/v2/pools) or `airflow pools set` in the deployment (3.x has no pool functions)",
    "delete_dag": (
        "the REST API (DELETE /api/v2/dags/{dag_id}); `airflow.api.common.delete_dag` works on the "
        "database, which task code cannot reach"
    ),
    "mark_tasks": (
        "the REST API (PATCH /api/v2/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}); "
        "`airflow.api.common.mark_tasks` works on the database, which task code cannot reach"
    ),
}
DEFAULT_REPLACEMENT = "the REST API (/api/v2, e.g. with the apache-airflow-client package)"


class ExperimentalApi(Rule):
    code = "AU193"
    name = "experimental-api"
    summary = "Report the experimental API and the local client (removed in 3.0; tasks have no DB access)"
    tokens = (b"airflow.api",)
    min_target = (3, 0)
    fix = NO_FIX
    node_types = (ast.Import, ast.ImportFrom)

    def check(self, node: ast.Import | ast.ImportFrom) -> Iterator[Finding]:
        if isinstance(node, ast.ImportFrom) and (node.level or not node.module):
            return
        for alias in positioned_aliases(node, self.ctx.lines):
            qualified = f"{node.module}.{alias.name}" if isinstance(node, ast.ImportFrom) else alias.name
            message = _message(qualified)
            if message:
                yield Finding(alias, message)


def _message(qualified: str) -> str | None:
    if qualified == EXPERIMENTAL or qualified.startswith(EXPERIMENTAL + "."):
        module = qualified[len(EXPERIMENTAL) + 1 :].split(".", 1)[0]
        return (
            f"`{qualified}`: the experimental API was removed in Airflow 3.0 (task code has no "
            f"database access there): use {REPLACEMENTS.get(module, DEFAULT_REPLACEMENT)}"
        )
    if qualified == LOCAL_CLIENT or qualified.startswith(LOCAL_CLIENT + "."):
        return (
            f"`{qualified}` works on the metadata database, which task code cannot reach on Airflow 3.0 "
            "(and its `Client(auth=None, session=None)` takes no `api_base_url`): "
            f"use {DEFAULT_REPLACEMENT}"
        )
    return None
