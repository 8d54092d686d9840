from tests.codemods.helpers import check_noop, check_transformed


def test_removed_from_operators_not_from_dag():
    check_transformed(
        """\
        from airflow import DAG
        from airflow.operators.dummy_operator import DummyOperator
        from airflow.contrib.sensors.file_sensor import FileSensor
        dag = DAG("d", schedule_interval="@daily")
        a = DummyOperator(task_id="a", schedule_interval="@daily", dag=dag)
        b = FileSensor(
            task_id="b",
            filepath="/x",
            schedule_interval=None,
        )
        """,
        """\
        from airflow import DAG
        from airflow.operators.dummy_operator import DummyOperator
        from airflow.contrib.sensors.file_sensor import FileSensor
        dag = DAG("d", schedule_interval="@daily")
        a = DummyOperator(task_id="a", dag=dag)
        b = FileSensor(
            task_id="b",
            filepath="/x",
        )
        """,
        select=["AU133"],
    )


def test_non_airflow_and_non_operator_calls_untouched():
    check_noop(
        """\
        from airflow.models import DAG
        from mylib import MyOperator
        dag = DAG("d", schedule_interval="@daily")
        a = MyOperator(task_id="a", schedule_interval="@daily")
        """,
        select=["AU133"],
    )
