"""Version-aware helpers for the DAG tests: load the DagBag, ask Airflow for a scheduled run's
data interval, and render a real task instance of that run.

These run inside one Airflow env (tox af110/af20/af2/af3, PYTHONPATH = repo root); each branch
uses the API that the named Airflow version really uses for the same job.
"""

import inspect
import os

from compat.version import airflow_version

DAGS_FOLDER = os.environ["AIRFLOW__CORE__DAGS_FOLDER"]
VERSION = airflow_version()


def load_dagbag():
    """A DagBag of the repo's dags/ folder, examples excluded."""
    from airflow.models import DagBag

    kwargs = {}
    if "include_examples" in inspect.signature(DagBag.__init__).parameters:  # gone in Airflow 3.0
        kwargs["include_examples"] = False
    return DagBag(dag_folder=DAGS_FOLDER, **kwargs)


def scheduler_dag(dag):
    """The DAG object the scheduler works with: since Airflow 3.0 the scheduler only sees the
    serialized DAG (with core timetables), never the authoring (Task SDK) object."""
    if VERSION < (3, 0, 0):
        return dag
    from airflow.serialization.serialized_objects import DagSerialization

    return DagSerialization.from_dict(DagSerialization.to_dict(dag))


def scheduled_interval(dag, start):
    """(start, end) of the scheduled run whose interval starts at ``start``, computed by the
    scheduler's own code on this version."""
    if VERSION < (2, 2, 0):
        # 1.10/2.0: execution_date = start, next_execution_date = following_schedule(start)
        return start, dag.following_schedule(start)
    from airflow.timetables.base import TimeRestriction

    info = scheduler_dag(dag).timetable.next_dagrun_info(
        last_automated_data_interval=None,
        restriction=TimeRestriction(earliest=start, latest=None, catchup=True),
    )
    return info.data_interval.start, info.data_interval.end


def render_scheduled_task(dag, task_id, start):
    """Render ``task_id``'s templates for the scheduled run starting at ``start``; returns the
    rendered operator (a fresh DAG should be passed for each call: rendering mutates the task)."""
    interval_start, interval_end = scheduled_interval(dag, start)
    task = dag.get_task(task_id)
    if VERSION < (2, 2, 0):
        return _render_legacy(task, interval_start)
    if VERSION < (3, 0, 0):
        return _render_from_dagrun(dag, task, interval_start, interval_end)
    return _render_runtime(dag, task, interval_start, interval_end)


def _render_legacy(task, execution_date):
    # Airflow 1.10/2.0: a TaskInstance is keyed by execution_date and builds its own context.
    from airflow.models import TaskInstance

    ti = TaskInstance(task, execution_date=execution_date)
    ti.render_templates(ti.get_template_context())
    return ti.task


def _render_from_dagrun(dag, task, interval_start, interval_end):
    # Airflow 2.2-2.x: the context's data interval comes from the DagRun row, so create a real
    # scheduled DagRun in the metadata DB (replacing one left by an earlier test).
    from airflow.models import DagRun
    from airflow.utils.session import create_session
    from airflow.utils.state import DagRunState
    from airflow.utils.types import DagRunType

    run_id = DagRun.generate_run_id(DagRunType.SCHEDULED, interval_start)
    with create_session() as session:
        session.query(DagRun).filter(DagRun.dag_id == dag.dag_id, DagRun.run_id == run_id).delete()
    dag_run = dag.create_dagrun(
        run_id=run_id,
        run_type=DagRunType.SCHEDULED,
        execution_date=interval_start,
        data_interval=(interval_start, interval_end),
        state=DagRunState.RUNNING,
        external_trigger=False,
    )
    ti = dag_run.get_task_instance(task.task_id)
    ti.task = task
    ti.render_templates()
    return ti.task


def _render_runtime(dag, task, interval_start, interval_end):
    # Airflow 3.x: templates are rendered in the worker by the Task SDK's RuntimeTaskInstance from
    # the run context the API server sends (TIRunContext); build that context for a scheduled run.
    import uuid

    from airflow.api_fastapi.execution_api.datamodels.taskinstance import DagRun, TIRunContext
    from airflow.sdk.execution_time.task_runner import RuntimeTaskInstance
    from airflow.utils.types import DagRunType

    run_id = "scheduled__" + interval_start.isoformat()
    dag_run = DagRun(
        dag_id=dag.dag_id,
        run_id=run_id,
        logical_date=interval_start,
        data_interval_start=interval_start,
        data_interval_end=interval_end,
        run_after=interval_end,
        start_date=interval_end,
        end_date=None,
        run_type=DagRunType.SCHEDULED,
        state="running",
        consumed_asset_events=[],
        partition_key=None,
    )
    ti = RuntimeTaskInstance.model_construct(
        id=uuid.uuid4(),
        task_id=task.task_id,
        dag_id=dag.dag_id,
        run_id=run_id,
        try_number=1,
        map_index=-1,
        dag_version_id=uuid.uuid4(),
        task=task,
        start_date=interval_end,
        max_tries=task.retries,
        _ti_context_from_server=TIRunContext(
            dag_run=dag_run, max_tries=task.retries, variables=[], connections=[], xcom_keys_to_clear=[]
        ),
    )
    ti.render_templates()
    return ti.task
