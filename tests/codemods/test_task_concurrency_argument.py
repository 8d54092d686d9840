"""AU303: operator `task_concurrency=` -> `max_active_tis_per_dag=` (Airflow 3.0)."""

from tests.codemods.helpers import check_transformed


def test_task_concurrency_in_operators_and_default_args():
    check_transformed(
        """\
        from airflow.operators.bash_operator import BashOperator
        default_args = {"owner": "a", 'task_concurrency': 1}
        t = BashOperator(task_id="t", bash_command="x", task_concurrency=2)
        """,
        """\
        from airflow.operators.bash_operator import BashOperator
        default_args = {"owner": "a", 'max_active_tis_per_dag': 1}
        t = BashOperator(task_id="t", bash_command="x", max_active_tis_per_dag=2)
        """,
        target="3",
        select=["AU303"],
    )
