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

    # Import the heavy operator modules (the cncf.kubernetes provider pulls in kubernetes and
    # kubernetes_asyncio) before the DagBag starts its per-file import timeout (30 s by default):
    # on a busy 2-core CI machine a cold import alone can take that long. A dag processor that
    # keeps running pays this once too.
    import compat.operators  # noqa: F401

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


def scheduled_task_instance(dag, task_id, start):
    """(task instance, template context) of ``task_id`` in the scheduled run starting at ``start``,
    built the way this Airflow version builds them for a real run."""
    interval_start, interval_end = scheduled_interval(dag, start)
    task = dag.get_task(task_id)
    if VERSION < (2, 2, 0):
        ti = _legacy_ti(task, interval_start)
    elif VERSION < (3, 0, 0):
        ti = _ti_from_dagrun(dag, task, interval_start, interval_end)
    else:
        ti = _runtime_ti(dag, task, interval_start, interval_end)
    return ti, ti.get_template_context()


def render_scheduled_task(dag, task_id, start):
    """Render ``task_id``'s templates for the scheduled run starting at ``start``; returns the
    rendered operator (a fresh DAG should be passed for each call: rendering mutates the task)."""
    ti, context = scheduled_task_instance(dag, task_id, start)
    ti.render_templates(context)
    return ti.task


def _utc(value):
    # The scheduler keys runs by UTC dates (run ids like scheduled__2021-12-30T23:00:00+00:00).
    import pendulum

    return pendulum.instance(value).in_timezone("UTC")


def _create_session():
    try:
        from airflow.utils.session import create_session  # Airflow 2.0+
    except ImportError:
        from airflow.utils.db import create_session  # Airflow 1.10
    return create_session()


def _delete_dagrun(dag_id, run_id, execution_date):
    # A run left by an earlier test (same run id or same date) would violate the unique keys.
    from airflow.models import DagRun
    from sqlalchemy import or_

    with _create_session() as session:
        session.query(DagRun).filter(
            DagRun.dag_id == dag_id,
            or_(DagRun.run_id == run_id, DagRun.execution_date == execution_date),
        ).delete(synchronize_session=False)


def _legacy_ti(task, execution_date):
    # Airflow 1.10/2.0: the run is a DagRun row keyed by execution_date; its TaskInstance builds
    # the context (execution_date, next_execution_date = following_schedule) by itself.
    from airflow.models import TaskInstance
    from airflow.utils.state import State

    dag = task.dag
    run_id = "scheduled__" + _utc(execution_date).isoformat()
    _delete_dagrun(dag.dag_id, run_id, execution_date)
    dag.create_dagrun(
        run_id=run_id, state=State.RUNNING, execution_date=execution_date, external_trigger=False
    )
    return TaskInstance(task, execution_date=execution_date)


def _ti_from_dagrun(dag, task, interval_start, interval_end):
    # Airflow 2.2-2.x: the context's data interval comes from the DagRun row, so create a real
    # scheduled DagRun in the metadata DB (replacing one left by an earlier test).
    from airflow.models import DagRun
    from airflow.utils.state import DagRunState
    from airflow.utils.types import DagRunType

    run_id = DagRun.generate_run_id(DagRunType.SCHEDULED, _utc(interval_start))
    _delete_dagrun(dag.dag_id, run_id, interval_start)
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
    return ti


def _runtime_ti(dag, task, interval_start, interval_end):
    # Airflow 3.x: templates are rendered in the worker by the Task SDK's RuntimeTaskInstance from
    # the run context the API server sends (TIRunContext); build that context for a scheduled run.
    import uuid

    from airflow.api_fastapi.execution_api.datamodels.taskinstance import DagRun, TIRunContext
    from airflow.sdk.execution_time.task_runner import RuntimeTaskInstance
    from airflow.utils.types import DagRunType

    run_id = "scheduled__" + _utc(interval_start).isoformat()
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
    return ti
