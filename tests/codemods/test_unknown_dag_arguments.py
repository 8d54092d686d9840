"""AU401 on provider operators: the keywords of the class in the run's chosen provider release."""

from __future__ import annotations

from tests.codemods.helpers import diagnostics

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
