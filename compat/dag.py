"""The DAG class and the schedule argument, spelled right for the running Airflow."""

from compat._imports import first_importable
from compat.timezone import KST
from compat.version import airflow_version

# Airflow 3.0 moved DAG authoring to the Task SDK; airflow.models.dag.DAG is the 1.10-2.x home.
DAG = first_importable("DAG", ["airflow.sdk", "airflow.models.dag"])


def schedule_kwargs(cron, timezone=KST):
    """DAG keyword arguments that schedule ``cron`` with data intervals on every Airflow.

    - before 2.4: ``schedule_interval=cron`` (2.4 added ``schedule``, 3.0 removed ``schedule_interval``);
    - 2.4-2.x: ``schedule=cron``;
    - 3.0+: a cron string now means ``CronTriggerTimetable`` (``[scheduler] create_cron_data_intervals``
      defaults to False), whose runs have an empty data interval, so "yesterday"/"today" would be
      the same day. An explicit ``CronDataIntervalTimetable`` keeps the 1.10/2.x intervals.
    ``timezone`` must be the DAG's timezone (the one of its ``start_date``).
    """
    version = airflow_version()
    if version >= (3, 0, 0):
        timetable = first_importable("CronDataIntervalTimetable", ["airflow.sdk"])
        return {"schedule": timetable(cron, timezone=timezone)}
    if version >= (2, 4, 0):
        return {"schedule": cron}
    return {"schedule_interval": cron}


def schedule_argument(value):
    """The DAG keyword argument that passes ``value`` as the schedule on this Airflow.

    ``schedule_interval=`` before 2.4, ``schedule=`` from 2.4 on (Airflow 3.0 removed
    ``schedule_interval``). The value is passed as it is: on 3.x a cron string then means
    what ``schedule=`` means there (see ``[scheduler] create_cron_data_intervals``, and
    ``schedule_kwargs`` for the data-interval timetable). ``airflow-upgrade fix --bridge``
    writes ``**schedule_argument(...)`` for a 1.10 ``schedule_interval=``.
    """
    if airflow_version() >= (2, 4, 0):
        return {"schedule": value}
    return {"schedule_interval": value}
