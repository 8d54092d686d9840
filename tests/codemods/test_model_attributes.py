from tests.codemods.helpers import check_noop, check_transformed, diagnostics


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
