"""SubDagOperator -> TaskGroup (AU131) on real Airflow: 1.10.15 builds the subdags, `fix --target 3
--unsafe-fixes` turns them into task groups, 3.3.2 loads the result (and 2.11.2 with --target 2;
2.0.2 with --target 2.0 for a subdag without default_args), and `verify` compares each subdag
`parent.child` with the task group `child` of `parent`.

Three factory shapes, one per file: tasks with `dag=sub` (the 1.10 example DAG's), `sub = DAG()`
then `with sub:` inside a `with DAG() as dag:` loop, and `with DAG(...) as sub:`.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.airflow_envs import airflow_python

pytestmark = [pytest.mark.slow, pytest.mark.airflow]

DAG_ARGUMENT_SHAPE = """
from datetime import datetime

from airflow.models import DAG
from airflow.operators.bash_operator import BashOperator
from airflow.operators.dummy_operator import DummyOperator
from airflow.operators.subdag_operator import SubDagOperator

args = {"owner": "data", "start_date": datetime(2021, 1, 1), "retries": 2}


def section(parent_dag_name, child_dag_name, args):
    sub = DAG(dag_id="%s.%s" % (parent_dag_name, child_dag_name), default_args=args, schedule_interval="@daily")
    extract = BashOperator(task_id="extract", bash_command="echo {{ ds }}", dag=sub)
    for table in ("a", "b"):
        load = DummyOperator(task_id="load_" + table, dag=sub)
        extract >> load
    return sub


dag = DAG("factory_parent", default_args=args, schedule_interval="@daily", catchup=False)
start = DummyOperator(task_id="start", dag=dag)
section_1 = SubDagOperator(task_id="section-1", subdag=section("factory_parent", "section-1", args), dag=dag)
end = DummyOperator(task_id="end", dag=dag)
start >> section_1 >> end
"""

WITH_SUBDAG_SHAPE = """
from datetime import datetime

from airflow import DAG
from airflow.operators.python_operator import PythonOperator
from airflow.operators.subdag_operator import SubDagOperator

default_args = {"owner": "data", "start_date": datetime(2021, 1, 1), "queue": "etl"}


def work(**context):
    return context["ds"]


def etl_factory(parent_dag_id, name, args):
    subdag = DAG(dag_id=f"{parent_dag_id}.{name}", default_args=args, catchup=False, schedule_interval="@daily")
    with subdag:
        download = PythonOperator(task_id="download", python_callable=work, provide_context=True)
        transform = PythonOperator(task_id="transform", python_callable=work, provide_context=True)
        download >> transform
    return subdag


with DAG("loop_parent", default_args=default_args, schedule_interval="@daily", catchup=False) as dag:
    check = PythonOperator(task_id="check", python_callable=work, provide_context=True)
    for name in ("north", "south"):
        etl = SubDagOperator(task_id=name, subdag=etl_factory("loop_parent", name, default_args), default_args=default_args)
        check >> etl
"""

WITH_DAG_AS_SHAPE = """
from datetime import datetime

from airflow.models import DAG
from airflow.operators.bash_operator import BashOperator
from airflow.operators.subdag_operator import SubDagOperator

args = {"owner": "data", "start_date": datetime(2021, 1, 1)}


def report(parent, child):
    with DAG(parent + "." + child, default_args=args, schedule_interval=None) as sub:
        BashOperator(task_id="render", bash_command="echo render") >> BashOperator(task_id="send", bash_command="echo send")
    return sub


with DAG("with_parent", default_args=args, schedule_interval=None, catchup=False) as dag:
    SubDagOperator(task_id="report", subdag=report("with_parent", "report")) << BashOperator(task_id="prepare", bash_command="true")
"""

INLINE_SHAPE = """
from datetime import datetime

from airflow.models import DAG
from airflow.operators.bash_operator import BashOperator
from airflow.operators.subdag_operator import SubDagOperator

args = {"owner": "data", "start_date": datetime(2021, 1, 1), "retries": 1}

dag = DAG("inline_parent", default_args=args, schedule_interval=None, catchup=False)
sub = DAG("inline_parent.section", default_args=dict(args, retries=4), schedule_interval=None)
one = BashOperator(task_id="one", bash_command="true", dag=sub)
with sub:
    two = BashOperator(task_id="two", bash_command="true")
one >> two
section = SubDagOperator(task_id="section", subdag=sub, dag=dag)
BashOperator(task_id="start", bash_command="true", dag=dag) >> section
"""

FILES = {
    "dag_argument.py": DAG_ARGUMENT_SHAPE,
    "with_subdag.py": WITH_SUBDAG_SHAPE,
    "with_dag_as.py": WITH_DAG_AS_SHAPE,
    "inline.py": INLINE_SHAPE,
}

# What 1.10.15 builds: the parent with the SubDagOperator task, and the subdag DAG.
SUBDAGS = {
    "factory_parent.section-1": (
        {"extract", "load_a", "load_b"},
        {("extract", "load_a"), ("extract", "load_b")},
    ),
    "loop_parent.north": ({"download", "transform"}, {("download", "transform")}),
    "loop_parent.south": ({"download", "transform"}, {("download", "transform")}),
    "with_parent.report": ({"render", "send"}, {("render", "send")}),
    "inline_parent.section": ({"one", "two"}, {("one", "two")}),
}
# The parents as a TaskGroup version builds them (task ids and edges).
PARENTS_AFTER = {
    "factory_parent": (
        {"start", "end", "section-1.extract", "section-1.load_a", "section-1.load_b"},
        {
            ("start", "section-1.extract"),
            ("section-1.extract", "section-1.load_a"),
            ("section-1.extract", "section-1.load_b"),
            ("section-1.load_a", "end"),
            ("section-1.load_b", "end"),
        },
    ),
    "loop_parent": (
        {"check", "north.download", "north.transform", "south.download", "south.transform"},
        {
            ("check", "north.download"),
            ("check", "south.download"),
            ("north.download", "north.transform"),
            ("south.download", "south.transform"),
        },
    ),
    "with_parent": (
        {"prepare", "report.render", "report.send"},
        {("prepare", "report.render"), ("report.render", "report.send")},
    ),
    "inline_parent": (
        {"start", "section.one", "section.two"},
        {("start", "section.one"), ("section.one", "section.two")},
    ),
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    repo = tmp_path_factory.mktemp("subdag_repo")
    for name, text in FILES.items():
        (repo / name).write_text(text)
    common = [sys.executable, "-m", "upgrade", "verify", "--before-env", str(airflow_python("af110"))]
    common += [str(repo), "-j", "1", "--timeout", "120", "--fix", "--unsafe-fixes"]
    runs = {
        "3": [*common, "--after-env", str(airflow_python("af3")), "--target", "3"],
        "2": [*common, "--after-env", str(airflow_python("af2")), "--target", "2"],
    }
    processes = {}
    for target, command in runs.items():
        snapshots = tmp_path_factory.mktemp(f"snapshots_{target}")
        command += ["--save-snapshots", str(snapshots)]
        processes[target] = (
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
            snapshots,
        )
    outcome = {}
    for target, (process, snapshots) in processes.items():
        stdout, stderr = process.communicate(timeout=900)
        before = json.loads((snapshots / "before.json").read_text())
        after = json.loads((snapshots / "after.json").read_text())
        outcome[target] = (stdout, stderr, process.returncode, _dags(before), _dags(after))
    return repo, outcome


def _dags(snapshot: dict) -> dict:
    dags = {}
    for record in snapshot["files"]:
        assert record["status"] == "ok", record
        for dag in record["dags"]:
            dags[dag["dag_id"]] = (set(dag["tasks"]), {tuple(edge) for edge in dag["edges"]}, dag)
    return dags


def test_1_10_builds_the_subdags(results):
    _, outcome = results
    before = outcome["3"][3]
    for dag_id, (tasks, edges) in SUBDAGS.items():
        assert before[dag_id][:2] == (tasks, edges)
        assert before[dag_id][2]["is_subdag"]
    assert "section-1" in before["factory_parent"][0] and "north" in before["loop_parent"][0]


@pytest.mark.parametrize("target", ["3", "2"])
def test_the_task_groups_have_the_subdags_tasks_and_edges(results, target):
    _, outcome = results
    after = outcome[target][4]
    assert set(after) == set(PARENTS_AFTER), "the subdag DAGs are gone, the parents stay"
    for dag_id, (tasks, edges) in PARENTS_AFTER.items():
        assert after[dag_id][:2] == (tasks, edges), dag_id
    # default_args reach the group's tasks as they reached the subdag's
    assert after["factory_parent"][2]["tasks"]["section-1.extract"]["retries"] == 2
    assert after["loop_parent"][2]["tasks"]["south.transform"]["queue"] == "etl"
    # the group's default_args, not the parent's, through `task_group=` (`dag=sub` in 1.10)
    assert after["inline_parent"][2]["tasks"]["section.one"]["retries"] == 4
    assert after["inline_parent"][2]["tasks"]["section.two"]["retries"] == 4


@pytest.mark.parametrize("target", ["3", "2"])
def test_verify_reports_the_same_tasks_and_edges(results, target):
    _, outcome = results
    stdout, stderr, code, _, _ = outcome[target]
    for dag_id in SUBDAGS:
        parent, _, group = dag_id.partition(".")
        line = f"note: subdag {dag_id} is task group {group} of {parent}: same tasks and edges"
        assert line in stdout, stdout + stderr
    assert stdout.rstrip().endswith("4 of 4 files load; 9 of 9 DAGs structurally identical"), stdout + stderr
    assert code == 0, stdout + stderr


def test_the_repo_is_untouched(results):
    repo, _ = results
    for name, text in FILES.items():
        assert (repo / name).read_text() == text


# TaskGroup exists from Airflow 2.0, its default_args from 2.2: a subdag without default_args is
# converted for --target 2.0 too, and 2.0.2 builds the same tasks and edges.
NO_DEFAULT_ARGS_SHAPE = """
from datetime import datetime

from airflow.models import DAG
from airflow.operators.bash_operator import BashOperator
from airflow.operators.subdag_operator import SubDagOperator


def checks(parent, child):
    with DAG(f"{parent}.{child}", start_date=datetime(2021, 1, 1)) as sub:
        BashOperator(task_id="count", bash_command="true") >> BashOperator(task_id="compare", bash_command="true")
    return sub


with DAG("plain_parent", start_date=datetime(2021, 1, 1), schedule_interval=None) as dag:
    SubDagOperator(task_id="checks", subdag=checks("plain_parent", "checks"))
"""


def test_target_2_0_converts_a_subdag_without_default_args(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "plain.py").write_text(NO_DEFAULT_ARGS_SHAPE)
    command = [sys.executable, "-m", "upgrade", "verify", "--before-env", str(airflow_python("af110"))]
    command += ["--after-env", str(airflow_python("af20")), str(repo), "-j", "1", "--timeout", "120"]
    command += ["--fix", "--target", "2.0", "--unsafe-fixes", "--save-snapshots", str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    after = _dags(json.loads((tmp_path / "after.json").read_text()))
    assert set(after) == {"plain_parent"}, result.stdout + result.stderr
    assert after["plain_parent"][:2] == (
        {"checks.count", "checks.compare"},
        {("checks.count", "checks.compare")},
    )
    note = "note: subdag plain_parent.checks is task group checks of plain_parent: same tasks and edges"
    assert note in result.stdout, result.stdout + result.stderr
    assert result.stdout.rstrip().endswith("1 of 1 files load; 2 of 2 DAGs structurally identical")
    assert result.returncode == 0, result.stdout + result.stderr
