"""AU163: calls of operators the target's provider release removed for a class of another shape."""

from __future__ import annotations

from tests.codemods.helpers import check_noop, diagnostics

SELECT = ["AU163"]
BQ = "from airflow.contrib.operators.bigquery_operator import BigQueryOperator\n"
CALL = 'q = BigQueryOperator(task_id="q", sql="select 1", use_legacy_sql=False)\n'


def test_call_reported_with_release_and_replacement():
    [found] = diagnostics(BQ + CALL, target="2", select=SELECT)
    assert found.line == 2 and found.fix is None
    assert found.message.startswith(
        "`BigQueryExecuteQueryOperator` is not in apache-airflow-providers-google "
    )
    assert (
        "rewrite this call for `airflow.providers.google.cloud.operators.bigquery.BigQueryInsertJobOperator`"
        in (found.message)
    )
    assert found.message.endswith("`BigQueryInsertJobOperator` has no `sql`, `use_legacy_sql`")


def test_used_through_its_module():
    source = "from airflow.contrib.operators import bigquery_operator\n" + CALL.replace(
        "BigQueryOperator(", "bigquery_operator.BigQueryOperator("
    )
    assert [d.code for d in diagnostics(source, target="2", select=SELECT)] == ["AU163"]


def test_still_there_on_the_2_0_releases():
    assert diagnostics(BQ + CALL, target="2.0", select=SELECT) == []


def test_pure_renames_and_mapped_replacements_are_not_reported():
    # SimpleHttpOperator is a pure alias of HttpOperator (AU101 renames it); PostgresOperator is AU160's
    source = (
        "from airflow.operators.http_operator import SimpleHttpOperator\n"
        "from airflow.operators.postgres_operator import PostgresOperator\n"
        'h = SimpleHttpOperator(task_id="h", endpoint="x")\n'
        'p = PostgresOperator(task_id="p", sql="s")\n'
    )
    assert all(d.code == "AU160" for d in diagnostics(source, target="2", select=["AU160", "AU163"]))
    check_noop(source, target="2", select=SELECT)


def test_replacement_named_through_an_alias_module_is_followed():
    # airflow.providers.amazon.aws.sensors.s3_prefix re-exported S3PrefixSensor from .s3, whose
    # deprecation named S3KeySensor
    source = (
        "from airflow.sensors.s3_prefix_sensor import S3PrefixSensor\n"
        's = S3PrefixSensor(task_id="s", bucket_name="b", prefix="p/")\n'
    )
    [found] = diagnostics(source, target="2", select=SELECT)
    assert "rewrite this call for `airflow.providers.amazon.aws.sensors.s3.S3KeySensor`" in found.message
