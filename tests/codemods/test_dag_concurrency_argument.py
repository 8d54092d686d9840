"""AU302: DAG `concurrency=` -> `max_active_tasks=` (Airflow 3.0)."""

from tests.codemods.helpers import check_transformed


def test_concurrency_renamed_on_dags_only():
    check_transformed(
        """\
        from airflow import DAG
        from airflow.operators.bash_operator import BashOperator
        dag = DAG("a", concurrency=4)
        t = BashOperator(task_id="t", bash_command="x", pool="p")
        other(concurrency=4)
        """,
        """\
        from airflow import DAG
        from airflow.operators.bash_operator import BashOperator
        dag = DAG("a", max_active_tasks=4)
        t = BashOperator(task_id="t", bash_command="x", pool="p")
        other(concurrency=4)
        """,
        target="3",
        select=["AU302"],
    )
