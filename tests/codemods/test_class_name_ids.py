from tests.codemods.helpers import check_noop, diagnostics

CLEANUP = """\
from airflow.jobs import BaseJob
from airflow.models import DagRun, ImportError
from airflow.operators.python_operator import PythonOperator

for model in [BaseJob, DagRun, ImportError]:
    PythonOperator(task_id="cleanup_" + str(model.__name__), python_callable=cleanup, dag=dag)
"""


def test_id_from_class_name_reported_with_every_renamed_class():
    (found,) = diagnostics(CLEANUP, target="2", select=["AU105"])
    assert (found.line, found.col, found.fix) == (6, 28, None)
    assert "`BaseJob` is `Job`, `ImportError` is `ParseImportError`" in found.message
    assert "(`..._BaseJob` -> `..._Job`)" in found.message


def test_only_the_renames_the_target_makes():
    # Airflow 2.0 still has BaseJob (airflow.jobs.base_job) and ImportError under their names
    check_noop(CLEANUP, target="2.0", select=["AU105"])
    (found,) = diagnostics(CLEANUP, target="2.6", select=["AU105"])
    assert "`BaseJob` is `Job`:" in found.message and "ImportError" not in found.message


def test_dag_id_and_f_string():
    source = """\
from airflow.jobs.base_job import BaseJob
from airflow import DAG
dag = DAG(dag_id=f"cleanup_{BaseJob.__name__}", schedule_interval=None)
"""
    (found,) = diagnostics(source, target="3", select=["AU105"])
    assert found.line == 3 and "this dag_id is built" in found.message


def test_nothing_without_a_renamed_class_or_without_name_in_the_id():
    check_noop(
        """\
        from airflow.models import DagRun
        from airflow.operators.python_operator import PythonOperator
        PythonOperator(task_id="cleanup_" + DagRun.__name__, python_callable=f, dag=dag)
        """,
        target="2",
        select=["AU105"],
    )
    check_noop(
        """\
        from airflow.jobs import BaseJob
        from airflow.operators.python_operator import PythonOperator
        PythonOperator(task_id="cleanup_job", python_callable=f, op_args=[BaseJob.__name__], dag=dag)
        """,
        target="2",
        select=["AU105"],
    )
    # compat code AU101 leaves alone keeps the name
    check_noop(
        """\
        try:
            from airflow.jobs.job import Job as BaseJob
        except ImportError:
            from airflow.jobs import BaseJob
        PythonOperator(task_id="cleanup_" + BaseJob.__name__, python_callable=f, dag=dag)
        """,
        target="2",
        select=["AU105"],
    )
