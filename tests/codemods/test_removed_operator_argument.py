"""AU162: 1.10 operator arguments the target's provider release dropped, and ones it requires."""

from __future__ import annotations

import pytest

from codemods._context import RunOptions
from codemods._targets import parse_target
from tests.codemods.helpers import check_noop, check_transformed, diagnostics

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


@pytest.mark.parametrize(
    ("head", "call"),
    [
        (
            "from airflow.contrib.operators.gcs_to_s3 import GoogleCloudStorageToS3Operator\n",
            'c = GoogleCloudStorageToS3Operator(task_id="c", bucket="b", dest_s3_key="s3://k/", {}="gcs")\n',
        ),
        # the provider class the 1.10 class moved to (what AU101's fix writes)
        (
            "from airflow.providers.amazon.aws.transfers.gcs_to_s3 import GCSToS3Operator\n",
            'c = GCSToS3Operator(task_id="c", gcs_bucket="b", dest_s3_key="s3://k/", {}="gcs")\n',
        ),
    ],
)
def test_connection_id_the_provider_passed_on_is_renamed(head, call):
    # amazon 1.0-7.4 passed `google_cloud_storage_conn_id` on as `gcp_conn_id`, later releases dropped it
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


# ----- required arguments 1.10 defaulted: passed with 1.10's own default -----

GOOGLE = "apache-airflow-providers-google"
RELEASE = RunOptions(parse_target("2")).providers.label(GOOGLE)
HEAD = (
    "from datetime import datetime\n"
    "from airflow import DAG\n"
    "from airflow.contrib.operators import dataproc_operator\n"
    "from airflow.contrib.operators.dataproc_operator import DataprocClusterDeleteOperator\n"
)
DEFAULT_FILLED = [
    # inside `with DAG(...)` of the file, default_args a dict display without the key
    (
        'args = {"owner": "x", "start_date": datetime(2021, 1, 1)}\n'
        'with DAG("d", default_args=args) as dag:\n'
        '    t = DataprocClusterDeleteOperator(task_id="t", cluster_name="c")\n',
        'args = {"owner": "x", "start_date": datetime(2021, 1, 1)}\n'
        'with DAG("d", default_args=args) as dag:\n'
        '    t = DataprocClusterDeleteOperator(task_id="t", cluster_name="c", region="global")\n',
    ),
    # dag= a DAG built here; dict(...) default_args; the call's quotes
    (
        "dag = DAG('d', default_args=dict(owner='x'))\n"
        "t = dataproc_operator.DataprocClusterDeleteOperator(task_id='t', cluster_name='c', dag=dag)\n",
        "dag = DAG('d', default_args=dict(owner='x'))\n"
        "t = dataproc_operator.DataprocClusterDeleteOperator(task_id='t', cluster_name='c', dag=dag, region='global')\n",
    ),
    # one argument a line: a line of its own, without the comment above the last one
    (
        'with DAG("d") as dag:\n'
        "    t = DataprocClusterDeleteOperator(\n"
        '        task_id="t",\n'
        "        # the cluster\n"
        '        cluster_name="c")\n',
        'with DAG("d") as dag:\n'
        "    t = DataprocClusterDeleteOperator(\n"
        '        task_id="t",\n'
        "        # the cluster\n"
        '        cluster_name="c",\n'
        '        region="global")\n',
    ),
    (
        'dag = DAG("d", default_args=None)\n'
        "t = DataprocClusterDeleteOperator(\n"
        '    task_id="t",\n'
        '    cluster_name="c",\n'
        "    dag=dag,\n"
        ")\n",
        'dag = DAG("d", default_args=None)\n'
        "t = DataprocClusterDeleteOperator(\n"
        '    task_id="t",\n'
        '    cluster_name="c",\n'
        "    dag=dag,\n"
        '    region="global",\n'
        ")\n",
    ),
    # a job operator: the default is DataProcJobBaseOperator's, reached through **kwargs;
    # default_args read (not changed) elsewhere, and handed to the DAG and the operator
    (
        'args = {"owner": "x"}\n'
        'owner = args["owner"]\n'
        'with DAG("d", default_args=args):\n'
        '    t = dataproc_operator.DataprocWorkflowTemplateInstantiateOperator(task_id="t", template_id="x", project_id="p", default_args=args)\n',
        'args = {"owner": "x"}\n'
        'owner = args["owner"]\n'
        'with DAG("d", default_args=args):\n'
        '    t = dataproc_operator.DataprocWorkflowTemplateInstantiateOperator(task_id="t", template_id="x", project_id="p", default_args=args, region="global")\n',
    ),
    # an annotated binding; a `with DAG` inside a function, the call in its block
    (
        'args: dict = {"owner": "x"}\n'
        "def make():\n"
        '    with DAG("d", default_args=args):\n'
        '        t = DataprocClusterDeleteOperator(task_id="t", cluster_name="c")\n',
        'args: dict = {"owner": "x"}\n'
        "def make():\n"
        '    with DAG("d", default_args=args):\n'
        '        t = DataprocClusterDeleteOperator(task_id="t", cluster_name="c", region="global")\n',
    ),
]


@pytest.mark.parametrize(("source", "expected"), DEFAULT_FILLED)
def test_required_argument_gets_the_1_10_default(source, expected):
    check_transformed(HEAD + source, HEAD + expected, target="2", select=SELECT)


def test_the_message_names_the_release_and_the_default():
    source = (
        HEAD + 'with DAG("d") as dag:\n    t = DataprocClusterDeleteOperator(task_id="t", cluster_name="c")\n'
    )
    assert messages(source) == [
        f"DataprocDeleteClusterOperator requires `region` in {RELEASE}; 1.10's class did not: "
        'passing 1.10\'s default `region="global"` explicitly'
    ]
    for target in ("3", "2.0"):
        expected = source.replace('cluster_name="c")', 'cluster_name="c", region="global")')
        check_transformed(source, expected, target=target, select=SELECT)


DELETE = 'DataprocClusterDeleteOperator(task_id="t", cluster_name="c"{})\n'
NOT_PROVEN = [
    # a factory handed its DAG
    (
        "def build(dag):\n    return " + DELETE.format(", dag=dag"),
        "its `dag=` is not a DAG built in this file, whose default_args may give it",
    ),
    # in a function: it runs in whichever `with DAG` its caller is in
    (
        'with DAG("d") as dag:\n    def build():\n        return ' + DELETE.format(""),
        "its DAG is not one built in this file (no `dag=`, not in a `with DAG(...)` block)",
    ),
    (
        "t = " + DELETE.format(""),
        "its DAG is not one built in this file (no `dag=`, not in a `with DAG(...)` block)",
    ),
    # a DAG that a function of another module made
    (
        "from company.dags import make_dag\ndag = make_dag('d')\nt = " + DELETE.format(", dag=dag"),
        "its `dag=` is not a DAG built in this file, whose default_args may give it",
    ),
    # default_args from another module
    (
        'from company.defaults import default_args\nwith DAG("d", default_args=default_args):\n    t = '
        + DELETE.format(""),
        "the default_args at line 6 may give it",
    ),
    # keys changed after the display
    (
        'args = {"owner": "x"}\nargs.update(extra)\nwith DAG("d", default_args=args):\n    t = '
        + DELETE.format(""),
        "the default_args at line 7 may give it",
    ),
    (
        'args = {"owner": "x"}\nargs[key] = 1\nwith DAG("d", default_args=args):\n    t = '
        + DELETE.format(""),
        "the default_args at line 7 may give it",
    ),
    # bound twice
    (
        'args = {"owner": "x"}\nif flag:\n    args = other\nwith DAG("d", default_args=args):\n    t = '
        + DELETE.format(""),
        "the default_args at line 8 may give it",
    ),
    (
        'args = {"owner": "x", **base}\nwith DAG("d", default_args=args):\n    t = ' + DELETE.format(""),
        "the default_args at line 6 may give it",
    ),
    (
        'args = dict(base, owner="x")\nwith DAG("d", default_args=args):\n    t = ' + DELETE.format(""),
        "the default_args at line 6 may give it",
    ),
    (
        'with DAG("d", **settings):\n    t = ' + DELETE.format(""),
        "the DAG at line 5 may get default_args that give it",
    ),
    (
        'with DAG("d") as dag:\n    dag.default_args.update(extra)\n    t = ' + DELETE.format(""),
        "line 6 uses a DAG's default_args, which may give it",
    ),
    (
        'args = {"owner": "x"}\nsub = make_subdag(default_args=args)\nwith DAG("d", default_args=args):\n    t = '
        + DELETE.format(""),
        "line 6 hands default_args to a call that may change them",
    ),
    # a positional argument
    (
        'with DAG("d"):\n    t = DataprocClusterDeleteOperator(p, task_id="t", cluster_name="c")\n',
        "a positional argument may give it",
    ),
]


@pytest.mark.parametrize(("source", "why"), NOT_PROVEN)
def test_required_argument_default_args_may_give_is_reported_without_fix(source, why):
    check_noop(HEAD + source, target="2", select=SELECT)
    assert messages(HEAD + source) == [
        f"DataprocDeleteClusterOperator requires `region` in {RELEASE}; 1.10's class did not: pass it "
        f"(unless default_args from another module give it, the DAG fails to import); no fix: {why}"
    ]


def test_required_argument_1_10_defaulted_to_none_is_reported_without_fix():
    # 1.10's GoogleCloudStorageToS3Operator had dest_s3_key=None; the amazon release requires it
    source = (
        "from airflow import DAG\n"
        "from airflow.contrib.operators.gcs_to_s3 import GoogleCloudStorageToS3Operator\n"
        'with DAG("d"):\n'
        '    c = GoogleCloudStorageToS3Operator(task_id="c", bucket="b")\n'
    )
    check_noop(source, target="2", select=SELECT)
    release = RunOptions(parse_target("2")).providers.label("apache-airflow-providers-amazon")
    assert (
        f"GCSToS3Operator requires `dest_s3_key` in {release}; 1.10's class did not: pass it "
        "(unless default_args from another module give it, the DAG fails to import); no fix: "
        "1.10's default was None, and the provider wants a value"
    ) in messages(source)


def test_required_argument_with_kwargs_is_not_reported():
    source = HEAD + 'with DAG("d"):\n    t = ' + DELETE.format(", **extra")
    assert messages(source) == []


def test_required_argument_1_10_did_not_have_says_so():
    # 1.10's contrib SlackWebhookOperator took `http_conn_id`; the slack release requires
    # `slack_webhook_conn_id`, which it did not know
    source = (
        "from airflow import DAG\n"
        "from airflow.contrib.operators.slack_webhook_operator import SlackWebhookOperator\n"
        'with DAG("d"):\n'
        '    s = SlackWebhookOperator(task_id="s", http_conn_id="slack", message="m")\n'
    )
    release = RunOptions(parse_target("2")).providers.label("apache-airflow-providers-slack")
    assert (
        f"SlackWebhookOperator requires `slack_webhook_conn_id` in {release}; 1.10's class did not: "
        "pass it (unless default_args from another module give it, the DAG fails to import); no fix: "
        "1.10's class had no such argument"
    ) in messages(source)


def test_generator_records_the_default_the_nearest_declaring_class_gives(tmp_path, monkeypatch):
    # scripts/gen_operator_kwargs_1_10.py on a small 1.10-shaped package: the default a call
    # gets is the nearest `__init__`'s; a subclass that passes the argument to its base itself
    # leaves it without one; defaults that are no literal are left out
    import importlib
    from pathlib import Path

    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2] / "scripts"))
    generator = importlib.import_module("gen_operator_kwargs_1_10")
    package = tmp_path / "airflow" / "operators"
    package.mkdir(parents=True)
    (package / "jobs.py").write_text(
        "from airflow.models.baseoperator import BaseOperator\n"
        "class Base(BaseOperator):\n"
        "    def __init__(self, region='global', conn='c', when=None, n=compute(), *args, **kwargs):\n"
        "        super().__init__(*args, **kwargs)\n"
        "class Job(Base):\n"
        "    def __init__(self, query, conn='job', limit=-1, *, keys=('a',), **kwargs):\n"
        "        super().__init__(conn=conn, **kwargs)\n"
        "class Fixed(Base):\n"
        "    def __init__(self, **kwargs):\n"
        "        super().__init__(region='us', **kwargs)\n"
    )
    index = generator.Index(tmp_path)
    params, defaults = generator.chain_with_defaults(index, "airflow.operators.jobs.Job")
    assert params == ["conn", "keys", "limit", "n", "query", "region", "when"]
    assert defaults == {
        "conn": "'job'",
        "keys": "('a',)",
        "limit": "-1",
        "region": "'global'",
        "when": "None",
    }
    params, defaults = generator.chain_with_defaults(index, "airflow.operators.jobs.Fixed")
    assert "region" in params and defaults == {"conn": "'c'", "when": "None"}


# ----- the provider class a 1.10 class moved to: judged by what the 1.10 class took -----

TO_S3_1_10 = "from airflow.contrib.operators.gcs_to_s3 import GoogleCloudStorageToS3Operator\n"
TO_S3 = "from airflow.providers.amazon.aws.transfers.gcs_to_s3 import GCSToS3Operator\n"
COPY = 'c = {}(task_id="c", bucket="b", dest_s3_key="s3://k/", delegate_to="x", gcs_bucket="g")\n'


def test_the_moved_class_reports_what_the_1_10_class_did():
    # what AU101's fix writes; checking it reports what checking the 1.10 file did
    before = messages(TO_S3_1_10 + COPY.format("GoogleCloudStorageToS3Operator"))
    after = messages(TO_S3 + COPY.format("GCSToS3Operator"))
    assert after == before and len(after) == 2, after
    every_rule = diagnostics(TO_S3 + COPY.format("GCSToS3Operator"), target="2")
    assert [d.code for d in every_rule if d.line == 2] == ["AU162", "AU162"]  # not AU401 as well


def test_the_moved_class_does_not_get_1_10_defaults():
    # 1.10's default applied to calls of 1.10's class; this call may be written for any provider release
    source = (
        HEAD.replace("DataprocClusterDeleteOperator", "DataprocDeleteClusterOperator").replace(
            "airflow.contrib.operators.dataproc_operator", "airflow.providers.google.cloud.operators.dataproc"
        )
        + 'with DAG("d"):\n    t = DataprocDeleteClusterOperator(task_id="t", cluster_name="c")\n'
    )
    check_noop(source, target="2", select=SELECT)
    assert messages(source) == [
        f"DataprocDeleteClusterOperator requires `region` in {RELEASE}; 1.10's class did not: pass it "
        "(unless default_args from another module give it, the DAG fails to import); no fix: "
        "the call names the provider's class, not 1.10's (whose default this is)"
    ]
