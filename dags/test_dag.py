"""The reference team's daily DAG, written once on compat/ so it loads on Airflow 1.10.15 to 3.x.

08:00 KST every day from 2021-01-01. Templates use the KST macros: ``kst_yesterday()`` is the KST
date the run's data interval starts on, ``kst_today()`` the date it ends on (for the run that
starts at 2021-01-02 08:00 KST: 2021-01-01 and 2021-01-02).
"""

# airflow DAG file: Airflow 1.10 safe mode only parses files that contain both "airflow" and "DAG".
import os
import shlex
from datetime import timedelta

from compat.dag import DAG, schedule_kwargs
from compat.macros import kst_macros
from compat.operators import BashOperator, KubernetesPodOperator, PythonOperator, pod_resources
from compat.slack import slack_failure_callback
from compat.timezone import KST, kst_datetime

DAG_ID = "test_dag"
SCHEDULE = "0 8 * * *"  # 08:00 in the DAG's timezone (KST, from start_date)
REPORT_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scripts", "daily_report.sh")
LETTERS = ["a", "b", "c", "d", "e"]

default_args = {
    "owner": "data-eng",
    "retries": 1,
    "retry_delay": timedelta(minutes=5),
    "on_failure_callback": slack_failure_callback,
}


def print_context(source, target, yesterday=None, today=None, **context):
    print("copy %s -> %s for %s..%s (run %s)" % (source, target, yesterday, today, context.get("run_id")))
    return today


def print_letter(letter):
    print(letter)
    return letter


with DAG(
    DAG_ID,
    default_args=default_args,
    start_date=kst_datetime(2021, 1, 1),
    catchup=False,
    user_defined_macros=kst_macros(),
    tags=["reference"],
    **schedule_kwargs(SCHEDULE, timezone=KST),
) as dag:
    run_report = BashOperator(
        task_id="run_report",
        bash_command="bash %s {{ kst_yesterday() }} {{ kst_today() }}" % shlex.quote(REPORT_SCRIPT),
    )

    copy_table = PythonOperator(
        task_id="print_context",
        python_callable=print_context,
        op_args=["raw.events", "mart.events_daily"],
        op_kwargs={"yesterday": "{{ kst_yesterday() }}", "today": "{{ kst_today() }}"},
    )

    previous = copy_table
    run_report >> copy_table
    for letter in LETTERS:
        print_task = PythonOperator(
            task_id="print_" + letter,
            python_callable=print_letter,
            op_args=[letter],
        )
        previous >> print_task
        previous = print_task

    k8s_report = KubernetesPodOperator(
        task_id="k8s_report",
        name="k8s-report",
        namespace="data",
        image="python:3.8-slim",
        cmds=["python", "-c"],
        arguments=["print('report for {{ kst_yesterday() }}')"],
        labels={"team": "data-eng"},
        get_logs=True,
        **pod_resources(request_cpu="100m", request_memory="256Mi", limit_memory="512Mi"),
    )
    previous >> k8s_report
