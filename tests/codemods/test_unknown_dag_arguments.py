"""AU401 on provider operators: the keywords of the class in the run's chosen provider release."""

from __future__ import annotations

from tests.codemods.helpers import check_noop, diagnostics

INSERT_JOB = "from airflow.providers.google.cloud.operators.bigquery import BigQueryInsertJobOperator\n"


def au401(source: str, target: str = "2", select=("AU401",)) -> list[str]:
    return [d.message for d in diagnostics(source, target=target, select=list(select)) if d.code == "AU401"]


def test_unknown_keyword_of_a_provider_class_names_the_release():
    [message] = au401(
        INSERT_JOB + 'j = BigQueryInsertJobOperator(task_id="j", configuration={}, bigquery_conn_id="bq")\n'
    )
    assert message.startswith(
        "BigQueryInsertJobOperator has no argument `bigquery_conn_id` in apache-airflow-providers-google "
    )


def test_near_miss_from_the_class_signature():
    [message] = au401(INSERT_JOB + 'j = BigQueryInsertJobOperator(task_id="j", configuraton={})\n')
    assert "did you mean `configuration`?" in message


def test_accepted_keywords_of_the_class_and_base_operator_are_quiet():
    source = INSERT_JOB + (
        'j = BigQueryInsertJobOperator(task_id="j", configuration={}, gcp_conn_id="g", location="EU", retries=2, pool="p")\n'
    )
    assert au401(source) == []


def test_1_10_classes_are_left_to_au161_and_au162():
    source = (
        "from airflow.contrib.operators.gcs_to_bq import GoogleCloudStorageToBigQueryOperator\n"
        'a = GoogleCloudStorageToBigQueryOperator(task_id="a", bucket="b", source_objects=["x"], '
        'destination_project_dataset_table="d.t", bigquery_conn_id="bq")\n'
    )
    assert au401(source, select=("AU401", "AU161", "AU162")) == []
    assert au401(source)  # alone, AU401 reports it against the release


def test_provider_sensor_keywords_include_base_sensor_operator():
    source = (
        "from airflow.providers.amazon.aws.sensors.s3 import S3KeySensor\n"
        's = S3KeySensor(task_id="s", bucket_key="k", poke_interval=60, mode="reschedule", bucket_nme="b")\n'
    )
    [message] = au401(source)
    assert message.startswith("S3KeySensor has no argument `bucket_nme`") and "`bucket_name`" in message


def test_unknown_dag_arguments_and_removed_ones():
    found = diagnostics(
        """\
        from airflow import DAG
        dag = DAG("a", max_active_run=1, full_filepath="f", shedule_interval="@daily", banana=1)
        """,
        target="3",
        select=["AU401"],
    )
    messages = [d.message for d in found]
    assert "did you mean `max_active_runs`" in messages[0]
    assert "1.10" in messages[1] and "full_filepath" in messages[1]
    assert "did you mean `schedule`" in messages[2] or "shedule_interval" in messages[2]
    assert "no argument `banana`" in messages[3]
    assert all(d.fix is None for d in found)


def test_default_args_typos_and_dag_only_keys():
    found = diagnostics(
        """\
        default_args = {
            "owner": "a",
            "catchUp": False,
            "retry_Delay": 5,
            "max_active_runs": 1,
            "bash_command": "ok: operator-specific",
        }
        """,
        target="2",
        select=["AU401"],
    )
    assert [(d.line, d.code) for d in found] == [(3, "AU401"), (4, "AU401"), (5, "AU401")]
    assert "`catchup`" in found[0].message and "DAG(...)" in found[0].message
    assert "`retry_delay`" in found[1].message
    assert "DAG argument" in found[2].message


def test_operator_keyword_typo():
    (d,) = diagnostics(
        """\
        from airflow.operators.bash_operator import BashOperator
        t = BashOperator(task_id="t", bash_command="x", Retries=3, env={})
        """,
        target="2",
        select=["AU401"],
    )
    assert "`retries`" in d.message


def test_valid_arguments_are_silent():
    check_noop(
        """\
        from airflow import DAG
        dag = DAG("a", schedule_interval="@daily", catchup=False, default_args=args, tags=["x"])
        """,
        target="2",
        select=["AU401"],
    )
    assert (
        diagnostics(
            "from airflow import DAG\ndag = DAG('a', schedule_interval='@daily')\n",
            target="2",
            select=["AU401"],
        )
        == []
    )


def test_the_provider_class_a_1_10_class_moved_to_leaves_its_old_arguments_to_au162():
    source = (
        "from airflow.providers.amazon.aws.transfers.gcs_to_s3 import GCSToS3Operator\n"
        'c = GCSToS3Operator(task_id="c", gcs_bucket="b", dest_s3_key="k", delegate_to="x", bukcet="b")\n'
    )
    # `delegate_to` was an argument of 1.10's GoogleCloudStorageToS3Operator: AU162's
    [message] = au401(source, select=("AU401", "AU162"))
    assert message.startswith("GCSToS3Operator has no argument `bukcet`")
    assert len(au401(source)) == 2  # alone, AU401 reports both
