"""The reference DAG repo (dags/) on the Airflow of this tox env: loads, has the expected shape,
runs at 08:00 KST, renders the KST templates of scheduled runs to the same strings everywhere,
and wires the Slack failure callback."""

import copy
import os
import shlex
from datetime import datetime, timedelta

import pendulum
import pytest

from compat.macros import kst_macros
from compat.slack import slack_failure_callback
from tests.dags.airflow_runtime import (
    DAGS_FOLDER,
    load_dagbag,
    render_scheduled_task,
    scheduled_interval,
    scheduled_task_instance,
)

DAG_ID = "test_dag"
EXPECTED_EDGES = {
    ("run_report", "print_context"),
    ("print_context", "print_a"),
    ("print_a", "print_b"),
    ("print_b", "print_c"),
    ("print_c", "print_d"),
    ("print_d", "print_e"),
    ("print_e", "k8s_report"),
}
REPORT_SCRIPT = os.path.join(DAGS_FOLDER, "scripts", "daily_report.sh")

# (KST date the scheduled run's interval starts on, KST date it ends on): an ordinary day, a
# month boundary and a year boundary. Each run starts 08:00 KST = 23:00 UTC the day before, so
# a UTC `ds` would be off by one day: the KST macros must not be.
SCHEDULED_RUNS = [
    ((2021, 3, 15), "2021-03-15", "2021-03-16"),
    ((2021, 1, 31), "2021-01-31", "2021-02-01"),
    ((2021, 12, 31), "2021-12-31", "2022-01-01"),
]


@pytest.fixture(scope="module")
def dagbag():
    return load_dagbag()


@pytest.fixture(scope="module")
def dag(dagbag):
    assert DAG_ID in dagbag.dags, f"dags/ did not define {DAG_ID}; import errors: {dagbag.import_errors}"
    return dagbag.dags[DAG_ID]


def test_dagbag_has_no_import_errors(dagbag):
    assert dagbag.import_errors == {}
    assert sorted(dagbag.dags) == [DAG_ID]


def test_task_ids_and_edges(dag):
    assert sorted(t.task_id for t in dag.tasks) == sorted(
        ["run_report", "print_context", "print_a", "print_b", "print_c", "print_d", "print_e", "k8s_report"]
    )
    edges = {(t.task_id, d) for t in dag.tasks for d in t.downstream_task_ids}
    assert edges == EXPECTED_EDGES


def test_operator_types(dag):
    kinds = {t.task_id: type(t).__name__ for t in dag.tasks}
    assert kinds["run_report"] == "BashOperator"
    assert kinds["print_context"] == "PythonOperator"
    assert kinds["k8s_report"] == "KubernetesPodOperator"


def test_start_date_catchup_and_timezone(dag):
    assert dag.catchup is False
    start = pendulum.instance(dag.start_date)
    assert start.in_timezone("UTC").isoformat() == "2020-12-31T15:00:00+00:00"  # 2021-01-01 00:00 KST
    for naive in (datetime(2021, 1, 1, 8), datetime(2021, 7, 1, 8)):  # KST has no DST
        assert dag.timezone.utcoffset(naive) == timedelta(hours=9)


@pytest.mark.parametrize("kst_day", [run[0] for run in SCHEDULED_RUNS])
def test_scheduled_runs_are_daily_at_0800_kst(dag, kst_day):
    start = _kst_0800(kst_day)
    interval_start, interval_end = scheduled_interval(dag, start)
    assert pendulum.instance(interval_start).in_timezone("UTC") == pendulum.instance(start).in_timezone("UTC")
    end_kst = pendulum.instance(interval_end).in_timezone("Asia/Seoul")
    assert (end_kst.hour, end_kst.minute) == (8, 0)
    assert pendulum.instance(interval_end).in_timezone("UTC") - pendulum.instance(interval_start).in_timezone(
        "UTC"
    ) == timedelta(days=1)


def _kst_0800(kst_day):
    make = getattr(pendulum, "create", None) or pendulum.datetime  # pendulum 1 vs 2/3
    return make(kst_day[0], kst_day[1], kst_day[2], 8, tz="Asia/Seoul")


@pytest.mark.parametrize(("kst_day", "yesterday", "today"), SCHEDULED_RUNS)
def test_templates_render_kst_dates_for_scheduled_runs(dag, kst_day, yesterday, today):
    dag = copy.deepcopy(dag)  # rendering mutates the operators
    start = _kst_0800(kst_day)

    bash = render_scheduled_task(dag, "run_report", start)
    assert bash.bash_command == f"bash {shlex.quote(REPORT_SCRIPT)} {yesterday} {today}"

    python = render_scheduled_task(dag, "print_context", start)
    assert list(python.op_args) == ["raw.events", "mart.events_daily"]
    assert dict(python.op_kwargs) == {"yesterday": yesterday, "today": today}

    pod = render_scheduled_task(dag, "k8s_report", start)
    assert list(pod.arguments) == [f"print('report for {yesterday}')"]


def test_kst_macros_are_the_dag_user_defined_macros(dag):
    assert sorted(dag.user_defined_macros) == sorted(kst_macros())


def test_slack_failure_callback_is_wired_on_every_task(dag):
    assert dag.default_args["on_failure_callback"] is slack_failure_callback
    for task in dag.tasks:
        callbacks = task.on_failure_callback
        callbacks = callbacks if isinstance(callbacks, (list, tuple)) else [callbacks]
        assert slack_failure_callback in callbacks, task.task_id


def test_report_script_exists_and_is_executable():
    assert os.access(REPORT_SCRIPT, os.X_OK)


@pytest.mark.parametrize(("task_id", "expected"), [("print_context", "2022-01-01"), ("print_a", "a")])
def test_python_callables_run_with_the_context_this_version_passes(dag, task_id, expected, capsys):
    # On 1.10 compat's PythonOperator passes provide_context=True and only the keys a callable
    # names (print_letter takes none, print_context takes **context), as 2.x does by itself.
    dag = copy.deepcopy(dag)
    ti, context = scheduled_task_instance(dag, task_id, _kst_0800((2021, 12, 31)))
    ti.render_templates(context)
    task = ti.task
    if hasattr(task, "prepare_for_execution"):  # 2.x/3.x runners execute a locked copy
        task = task.prepare_for_execution()
    assert task.execute(context) == expected
    if task_id == "print_context":
        assert "raw.events -> mart.events_daily for 2021-12-31..2022-01-01" in capsys.readouterr().out


def test_bash_task_runs_the_report_script_with_kst_dates(dag):
    dag = copy.deepcopy(dag)
    ti, context = scheduled_task_instance(dag, "run_report", _kst_0800((2021, 1, 31)))
    ti.render_templates(context)
    task = ti.task
    if hasattr(task, "prepare_for_execution"):
        task = task.prepare_for_execution()
    if hasattr(task, "xcom_push_flag"):  # 1.10 returns the last output line only with xcom_push=True
        task.xcom_push_flag = True
    assert task.execute(context) == "daily report for 2021-01-31 (KST) generated on 2021-02-01 (KST)"
