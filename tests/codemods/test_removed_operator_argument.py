"""AU162: 1.10 operator arguments the target's provider release dropped, and ones it requires."""

from __future__ import annotations

from tests.codemods.helpers import check_noop, diagnostics

SELECT = ["AU162"]
GCS = "from airflow.contrib.operators.gcs_to_bq import GoogleCloudStorageToBigQueryOperator\n"
DATAPROC = "from airflow.contrib.operators import dataproc_operator\n"
CALL = (
    "a = GoogleCloudStorageToBigQueryOperator("
    'task_id="a", bucket="b", source_objects=["x"], destination_project_dataset_table="d.t", {})\n'
)


def messages(source: str, target: str = "2") -> list[str]:
    return [d.message for d in diagnostics(source, target=target, select=SELECT)]


def test_dropped_connection_argument_names_the_release_and_its_successor():
    [message] = messages(GCS + CALL.format('bigquery_conn_id="bq"'))
    assert message.startswith(
        "`bigquery_conn_id` is no argument of GCSToBigQueryOperator in apache-airflow-providers-google "
    )
    assert "`gcp_conn_id`" in message


def test_argument_the_release_still_takes_is_quiet():
    assert messages(GCS + CALL.format('gcp_conn_id="bq", write_disposition="WRITE_TRUNCATE"')) == []


def test_required_argument_that_1_10_defaulted():
    found = messages(
        DATAPROC + "c = dataproc_operator.DataprocClusterCreateOperator(task_id='c', cluster_name='n')\n"
    )
    assert any("requires `region`" in m for m in found), found


def test_required_argument_given_through_default_args_is_not_reported():
    source = (
        DATAPROC
        + "args = {'region': 'europe-west1'}\n"
        + "c = dataproc_operator.DataprocClusterCreateOperator(task_id='c', cluster_name='n', default_args=args)\n"
    )
    assert not any("requires" in m for m in messages(source))


def test_target_2_0_releases_that_read_kwargs_themselves_are_not_judged():
    # google 3.x's DataprocCreateClusterOperator built its cluster from kwargs like num_workers=
    source = (
        DATAPROC
        + "c = dataproc_operator.DataprocClusterCreateOperator(task_id='c', cluster_name='n', num_workers=2)\n"
    )
    assert messages(source, target="2.0") == []


def test_nothing_is_rewritten_without_a_provider_named_successor():
    check_noop(GCS + CALL.format('bigquery_conn_id="bq"'), target="2", select=SELECT)


def test_connection_id_the_provider_passed_on_is_renamed():
    from tests.codemods.helpers import check_transformed

    # amazon 1.0-7.4 passed `google_cloud_storage_conn_id` on as `gcp_conn_id`, later releases dropped it
    head = "from airflow.contrib.operators.gcs_to_s3 import GoogleCloudStorageToS3Operator\n"
    call = 'c = GoogleCloudStorageToS3Operator(task_id="c", bucket="b", dest_s3_key="s3://k/", {}="gcs")\n'
    check_transformed(
        head + call.format("google_cloud_storage_conn_id"),
        head + call.format("gcp_conn_id"),
        target="2",
        select=SELECT,
    )
    # a value that may be empty was not passed on by the provider: reported only
    check_noop(
        head + 'c = BigQueryCheckOperator(task_id="c", sql="s", bigquery_conn_id=CONN)\n',
        target="2",
        select=SELECT,
    )
