"""AU163: calls of operators the target's provider release removed for a class that takes one
structure: rewritten (unsafe) with the mapping generated from the provider's own code, else
reported with the argument that blocks the rewrite."""

from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed, diagnostics, run_fix

SELECT = ["AU163"]
FIX = ["AU101", "AU163"]
BQ = "from airflow.contrib.operators.bigquery_operator import BigQueryOperator\n"
NEW_BQ = "from airflow.providers.google.cloud.operators.bigquery import BigQueryInsertJobOperator\n"
CALL = 'q = BigQueryOperator(task_id="q", sql="select 1", use_legacy_sql=False)\n'
S3 = "from airflow.sensors.s3_prefix_sensor import S3PrefixSensor\n"
NEW_S3 = "from airflow.providers.amazon.aws.sensors.s3 import S3KeySensor\n"
# what google 10.26.0's BigQueryHook.run_query always set from the old class's defaults
DEFAULTS = '"priority": "INTERACTIVE", "useLegacySql": False, "schemaUpdateOptions": []'

FIXED = [
    pytest.param(
        BQ + CALL,
        NEW_BQ
        + 'q = BigQueryInsertJobOperator(task_id="q", configuration={"query": {"query": "select 1", '
        + DEFAULTS
        + '}}, gcp_conn_id="bigquery_default")\n',
        id="1.10's connection default written out",
    ),
    pytest.param(
        BQ
        + "q = BigQueryOperator(task_id='q', sql='s', bigquery_conn_id='gcp', use_legacy_sql=True, dag=dag)\n",
        NEW_BQ
        + "q = BigQueryInsertJobOperator(task_id='q', configuration={'query': {'query': 's', 'priority': "
        "'INTERACTIVE', 'useLegacySql': True, 'schemaUpdateOptions': []}}, gcp_conn_id='gcp', dag=dag)\n",
        id="bigquery_conn_id renamed, the file's quotes",
    ),
    pytest.param(
        BQ + "q = BigQueryOperator(\n"
        '    task_id="q",\n'
        '    sql="""\n'
        "    SELECT a\n"
        '    FROM t""",  # the query\n'
        "    use_legacy_sql=False,\n"
        '    destination_dataset_table="proj:ds.tbl",\n'
        '    write_disposition="WRITE_TRUNCATE",\n'
        '    gcp_conn_id="gcp",\n'
        ")\n",
        NEW_BQ + "q = BigQueryInsertJobOperator(\n"
        '    task_id="q",\n'
        '    configuration={"query": {"query": """\n'
        "    SELECT a\n"
        '    FROM t""", ' + DEFAULTS + ', "destinationTable": {"projectId": "proj", "datasetId": "ds", '
        '"tableId": "tbl"}, "allowLargeResults": False, "flattenResults": None, "writeDisposition": '
        '"WRITE_TRUNCATE", "createDisposition": "CREATE_IF_NEEDED"}},  # the query\n'
        '    gcp_conn_id="gcp",\n'
        ")\n",
        id="destination split, the next keys with it, comments kept",
    ),
    pytest.param(
        BQ + 'SQL = "select 2"\n'
        'q = BigQueryOperator(task_id="q", sql=SQL, use_legacy_sql=False, labels={"team": "x"}, '
        'maximum_bytes_billed=1e9, location="EU")\n',
        NEW_BQ + 'SQL = "select 2"\n'
        'q = BigQueryInsertJobOperator(task_id="q", configuration={"query": {"query": SQL, '
        '"priority": "INTERACTIVE", "useLegacySql": False, "maximumBytesBilled": 1e9, '
        '"schemaUpdateOptions": []}, "labels": {"team": "x"}}, gcp_conn_id="bigquery_default", location="EU")\n',
        id="module constant kept by name, labels at the top",
    ),
    pytest.param(
        "from airflow.contrib.operators import bigquery_operator\n"
        'q = bigquery_operator.BigQueryOperator(task_id="q", sql=make_sql(), use_legacy_sql=False, gcp_conn_id="g")\n',
        "from airflow.providers.google.cloud.operators import bigquery as bigquery_operator\n"
        'q = bigquery_operator.BigQueryInsertJobOperator(task_id="q", configuration={"query": {"query": make_sql(), '
        + DEFAULTS
        + '}}, gcp_conn_id="g")\n',
        id="through its module; a computed required sql goes as it is",
    ),
    pytest.param(
        S3
        + 's = S3PrefixSensor(task_id="s", bucket_name="b", prefix="data/2021", poke_interval=60, dag=dag)\n',
        NEW_S3
        + 's = S3KeySensor(task_id="s", bucket_name="b", bucket_key=["data/2021/"], poke_interval=60, dag=dag)\n',
        id="prefix and delimiter into bucket_key",
    ),
    pytest.param(
        S3 + 's = S3PrefixSensor(task_id="s", bucket_name="b", prefix=["a/", "b"], delimiter="-")\n',
        NEW_S3 + 's = S3KeySensor(task_id="s", bucket_name="b", bucket_key=["a/-", "b-"])\n',
        id="a list of prefixes, another delimiter",
    ),
]


@pytest.mark.parametrize(("source", "expected"), FIXED)
def test_fixed(source, expected):
    check_transformed(source, expected, target="2", select=FIX, unsafe=True)


@pytest.mark.parametrize(("source", "_"), FIXED)
def test_never_without_unsafe_fixes(source, _):
    check_noop(source, target="2", select=FIX)


BLOCKED = [
    (
        'BigQueryOperator(task_id="q", sql="s", destination_dataset_table="ds.tbl")',
        "`destination_dataset_table` names no project (`dataset.table`): the old hook took the "
        "connection's project at run time; write `project.dataset.table`, then fix",
    ),
    (
        'BigQueryOperator(task_id="q", sql="s", destination_dataset_table=TABLE)',
        "`destination_dataset_table` must be a literal (or a module constant) to be mapped: rewrite by hand",
    ),
    (
        'BigQueryOperator(task_id="q", sql="s", destination_dataset_table="p.d.{{ ds_nodash }}")',
        "`destination_dataset_table` holds Jinja, rendered at run time before the old hook split it: "
        "rewrite by hand",
    ),
    (
        'BigQueryOperator(task_id="q", sql="s", job_id="j")',
        "`job_id`: apache-airflow-providers-google 10.26.0's BigQueryExecuteQueryOperator did not pass it "
        "to the job, `BigQueryInsertJobOperator` would use it",
    ),
    (
        'BigQueryOperator(task_id="q", sql="s", api_resource_configs={"query": {"useQueryCache": False}})',
        "`api_resource_configs` is merged into the job by the old hook: rewrite by hand",
    ),
    (
        'BigQueryOperator(task_id="q", sql="s", maximum_bytes_billed=1000)',
        "`maximum_bytes_billed`: the old hook refused this value (it must be `float`)",
    ),
    (
        'BigQueryOperator(task_id="q", sql="s", bql="t")',
        "`bql` has no counterpart in apache-airflow-providers-google 10.26.0's BigQueryExecuteQueryOperator: "
        "rewrite by hand",
    ),
    ('BigQueryOperator("q", sql="s")', "positional arguments: pass them by keyword first"),
    (
        'BigQueryOperator(task_id="q", **extra)',
        "`**kwargs` may hold arguments of the old class: rewrite by hand",
    ),
]


@pytest.mark.parametrize(("call", "reason"), BLOCKED)
def test_blocked_calls_keep_the_report_and_say_why(call, reason):
    source = BQ + f"q = {call}\n"
    [found] = [d for d in diagnostics(source, target="2", select=FIX) if d.code == "AU163"]
    assert found.fix is None
    assert found.message.endswith(f"; not rewritten: {reason}")
    check_noop(source, target="2", select=FIX, unsafe=True)


def test_s3_prefix_computed_at_run_time_is_not_mapped():
    source = (
        S3 + 's = S3PrefixSensor(task_id="s", bucket_name="b", prefix=f"crawl/{name()}", aws_conn_id=c)\n'
    )
    [found] = [d for d in diagnostics(source, target="2", select=FIX) if d.code == "AU163"]
    assert found.message.endswith(
        "; `S3KeySensor` has no `prefix`; not rewritten: `prefix` must be a literal (or a module constant) "
        "to be mapped: rewrite by hand"
    )
    check_noop(source, target="2", select=FIX, unsafe=True)


def test_one_blocked_call_keeps_the_import_and_every_call():
    source = BQ + CALL + 'r = BigQueryOperator(task_id="r", sql="s", destination_dataset_table="ds.t")\n'
    check_noop(source, target="2", select=FIX, unsafe=True)
    first, second = [d for d in diagnostics(source, target="2", select=FIX) if d.code == "AU163"]
    assert first.message.endswith("; not rewritten: the import stays for the use of the class at line 3")
    assert "names no project" in second.message


def test_other_uses_keep_the_import():
    source = BQ + CALL + "class Mine(BigQueryOperator):\n    pass\n"
    check_noop(source, target="2", select=FIX, unsafe=True)
    assert any(
        "used here other than called" in d.message for d in diagnostics(source, target="2", select=FIX)
    )


def test_default_args_may_carry_old_arguments():
    source = BQ + 'args = {"use_legacy_sql": False}\n' + CALL
    check_noop(source, target="2", select=FIX, unsafe=True)


def test_unsafe_reasons_in_the_message():
    [found] = [d for d in diagnostics(BQ + CALL, target="2", select=FIX) if d.code == "AU163"]
    assert found.fix == "unsafe"
    assert "(rewritten with the mapping of apache-airflow-providers-google 10.26.0's own code); unsafe: " in (
        found.message
    )
    assert found.message.endswith(
        "the connection's extras (`api_resource_configs`, `labels`, `location`, `use_legacy_sql`) no longer "
        "shape the job"
    )


def test_call_reported_with_release_and_replacement_without_au101():
    [found] = diagnostics(BQ + CALL, target="2", select=SELECT)
    assert found.line == 2 and found.fix == "unsafe"
    assert found.message.startswith(
        "`BigQueryExecuteQueryOperator` is not in apache-airflow-providers-google "
    )
    assert (
        "rewrite this call for `airflow.providers.google.cloud.operators.bigquery.BigQueryInsertJobOperator`"
        in (found.message)
    )
    check_noop(BQ + CALL, target="2", select=SELECT, unsafe=True)  # the import moves with AU101 only


def test_used_through_its_module():
    source = "from airflow.contrib.operators import bigquery_operator\n" + CALL.replace(
        "BigQueryOperator(", "bigquery_operator.BigQueryOperator("
    )
    assert [d.code for d in diagnostics(source, target="2", select=SELECT)] == ["AU163"]


def test_still_there_on_the_2_0_releases():
    assert diagnostics(BQ + CALL, target="2.0", select=SELECT) == []
    _, result = run_fix(BQ + CALL, target="2.0", select=FIX, unsafe=True)
    assert "BigQueryExecuteQueryOperator(" in result.new_source.decode()  # AU101's rename only


def test_bridge_mode_leaves_it():
    check_noop(BQ + CALL, target="2", select=FIX, unsafe=True, bridge=True)


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
    source = S3 + 's = S3PrefixSensor(task_id="s", bucket_name="b", prefix="p/")\n'
    [found] = diagnostics(source, target="2", select=SELECT)
    assert "rewrite this call for `airflow.providers.amazon.aws.sensors.s3.S3KeySensor`" in found.message
    assert "waits for an object named like each key" in found.message


def test_s3_prefix_sensor_still_moved_on_2_0():
    # amazon 1.x (Airflow 2.0's) had it in sensors.s3_prefix: AU101's move, no AU163 rewrite
    source = S3 + 's = S3PrefixSensor(task_id="s", bucket_name="b", prefix="p")\n'
    check_transformed(
        source,
        "from airflow.providers.amazon.aws.sensors.s3_prefix import S3PrefixSensor\n"
        's = S3PrefixSensor(task_id="s", bucket_name="b", prefix="p")\n',
        target="2.0",
        select=FIX,
        unsafe=True,
    )
