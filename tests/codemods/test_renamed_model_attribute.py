import pytest

from tests.codemods.helpers import check_noop, check_transformed, diagnostics, run_fix


def test_last_scheduler_run_renamed():
    check_transformed(
        """\
        from airflow.models import DAG, DagModel
        import airflow.models.dag as dag_module
        a = {"age_check_column": DagModel.last_scheduler_run}
        b = dag_module.DagModel.last_scheduler_run
        """,
        """\
        from airflow.models import DAG, DagModel
        import airflow.models.dag as dag_module
        a = {"age_check_column": DagModel.last_parsed_time}
        b = dag_module.DagModel.last_parsed_time
        """,
        select=["AU194"],
    )


def test_other_last_scheduler_run_untouched():
    check_noop("from mylib import DagModel\nx = DagModel.last_scheduler_run\nrow.last_scheduler_run\n")


def test_removed_attribute_reported_with_the_except_that_hides_it():
    source = """\
from airflow.models import TaskFail, DagRun

OBJECTS = []
try:
    OBJECTS.append({"model": TaskFail, "age_check_column": TaskFail.execution_date})
except Exception as e:
    print(e)
age = TaskFail.execution_date
fine = DagRun.execution_date
"""
    found = [(d.line, d.col, d.fix, d.message) for d in diagnostics(source, target="2", select=["AU194"])]
    assert [(line, col, fix) for line, col, fix, _ in found] == [(5, 60, None), (8, 7, None)]
    assert found[0][3] == (
        "`TaskFail.execution_date` is gone in Airflow 2.11 (its `TaskFail` model has no such attribute): "
        "this raises AttributeError when the file is parsed; the `except` at line 6 hides it, so the DAG "
        "loads without what this block builds: rewrite it for the target's model"
    )
    assert "hides" not in found[1][3]
    # Airflow 2.0.2 still had the column (2.2 keyed task rows on run_id)
    assert diagnostics(source, target="2.0", select=["AU194"]) == []


def test_removed_attribute_through_its_module_and_not_other_objects():
    found = diagnostics(
        "import airflow.models.taskfail as tf\nx = tf.TaskFail.execution_date\n",
        target="2",
        select=["AU194"],
    )
    assert [(d.line, d.fix) for d in found] == [(2, None)]
    check_noop("from mylib import TaskFail\nx = TaskFail.execution_date\n", target="2", select=["AU194"])


BRIDGED = """\
from airflow.models import DagModel
import airflow.models.dag as dag_module
a = {"age_check_column": getattr(DagModel, "last_parsed_time" if hasattr(DagModel, "last_parsed_time") else "last_scheduler_run")}
b = getattr(dag_module.DagModel, "last_parsed_time" if hasattr(dag_module.DagModel, "last_parsed_time") else "last_scheduler_run")
"""


@pytest.mark.parametrize("target", ["2", "3"])
def test_bridge_reads_the_name_the_running_model_has(target):
    check_transformed(
        """\
        from airflow.models import DagModel
        import airflow.models.dag as dag_module
        a = {"age_check_column": DagModel.last_scheduler_run}
        b = dag_module.DagModel.last_scheduler_run
        """,
        BRIDGED,
        target=target,
        bridge=True,
        select=["AU194"],
    )


def test_closing_the_bridge_gives_the_plain_fix():
    check_transformed(
        BRIDGED,
        """\
        from airflow.models import DagModel
        import airflow.models.dag as dag_module
        a = {"age_check_column": DagModel.last_parsed_time}
        b = dag_module.DagModel.last_parsed_time
        """,
        target="2",
        close_bridge=True,
        select=["AU194"],
    )
    check_noop(BRIDGED, target="2", select=["AU194"])  # only with --close-bridge


@pytest.mark.parametrize(
    "source",
    [
        # not what bridge mode writes: another attribute, another object, a name not renamed
        'getattr(DagModel, "last_parsed_time" if hasattr(DagModel, "last_parsed_time") else "fileloc")\n',
        'getattr(DagModel, "last_parsed_time" if hasattr(TaskFail, "last_parsed_time") else "last_scheduler_run")\n',
        'getattr(DagModel, "x" if hasattr(DagModel, "last_parsed_time") else "last_scheduler_run")\n',
        'getattr(row, "last_parsed_time" if hasattr(row, "last_parsed_time") else "last_scheduler_run")\n',
        'getattr(DagModel, "last_parsed_time" if hasattr(DagModel, "last_parsed_time") else "last_scheduler_run", None)\n',
    ],
)
def test_other_getattr_calls_stay_when_closing(source):
    check_noop(
        "from airflow.models import DagModel, TaskFail\n" + source,
        target="2",
        close_bridge=True,
        select=["AU194"],
    )


def test_bridge_leaves_a_stored_or_split_attribute_to_the_user():
    source = """\
        from airflow.models import DagModel
        DagModel.last_scheduler_run = None
        x = (DagModel.
             last_scheduler_run)
        """
    _, result = run_fix(source, target="2", bridge=True, select=["AU194"])
    assert result.new_source is None
    assert [(d.line, d.applied) for d in result.diagnostics] == [(2, False), (3, False)]
    assert all("bridge mode: rewrite by hand" in d.message for d in result.diagnostics)
