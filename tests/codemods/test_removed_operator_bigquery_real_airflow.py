"""AU163's BigQuery rewrite against real Airflow: a 1.10 DAG with contrib's BigQueryOperator
loads on 1.10.15; after `fix --target 2 --unsafe-fixes` it loads on Airflow 2.11.2 with the
google release the fix targets (which no longer has BigQueryExecuteQueryOperator, removed in
google 11.0.0) as BigQueryInsertJobOperator, whose `configuration` is the job resource that
google 10.26.0's own BigQueryExecuteQueryOperator.execute -> BigQueryHook.run_query built
from the 1.10 operator's arguments, before and after template rendering.

The expectation comes from the provider's code, not from this file: google 10.26.0 is
installed into a second folder and its operator's real `execute` runs in the 2.11.2 env with
only `BigQueryHook.insert_job` (the call to the BigQuery API) replaced by a recorder. Neither
google release is in the tox envs: both are installed alone and their missing client libraries
are stand-ins (tests/provider_release.py); Airflow's and the provider's modules are real.
"""

from __future__ import annotations

import json
from pathlib import Path

from codemods._context import RunOptions
from codemods._targets import parse_target
from tests.airflow_envs import airflow_python, run_json
from tests.codemods.helpers import run_fix
from tests.provider_release import STUBS, install_release

GOOGLE = "apache-airflow-providers-google"
# the last google release with BigQueryExecuteQueryOperator, whose run_query the mapping read
LAST_WITH_OLD = "10.26.0"
CONTEXT = {"ds": "2021-01-02", "ds_nodash": "20210102"}

DAG_SOURCE = """\
from datetime import datetime
from airflow import DAG
from airflow.contrib.operators.bigquery_operator import BigQueryOperator

default_args = {"owner": "data", "start_date": datetime(2021, 1, 1)}
with DAG("bq", default_args=default_args, schedule_interval="@daily") as dag:
    load = BigQueryOperator(
        task_id="load",
        sql="SELECT name, value FROM `proj.src.events` WHERE day = '{{ ds }}'",
        use_legacy_sql=False,
        destination_dataset_table="proj.dataset.table",
        write_disposition="WRITE_TRUNCATE",
        allow_large_results=True,
        location="EU",
        labels={"team": "data", "day": "{{ ds_nodash }}"},
    )
    legacy = BigQueryOperator(
        task_id="legacy",
        sql="SELECT COUNT(*) FROM [proj:src.events] WHERE day = '{{ ds }}'",
        bigquery_conn_id="bq_conn",
        destination_dataset_table="proj.dataset.daily",
        write_disposition="WRITE_APPEND",
        time_partitioning={"type": "DAY"},
        priority="BATCH",
        maximum_bytes_billed=1e9,
        schema_update_options=["ALLOW_FIELD_ADDITION"],
    )
    load >> legacy
"""

# The arguments 1.10.15's BigQueryOperator.execute handed to its hook's run_query, by the
# names google 10.26.0's BigQueryExecuteQueryOperator takes them (its connection aside).
QUERY_ARGUMENTS = (
    "sql",
    "destination_dataset_table",
    "write_disposition",
    "create_disposition",
    "allow_large_results",
    "flatten_results",
    "udf_config",
    "use_legacy_sql",
    "maximum_billing_tier",
    "maximum_bytes_billed",
    "schema_update_options",
    "query_params",
    "labels",
    "priority",
    "time_partitioning",
    "api_resource_configs",
    "cluster_fields",
    "location",
    "encryption_configuration",
)

BIGQUERY_1_10 = (
    "operators/bigquery_operator.py",
    "hooks/bigquery_hook.py",
    "hooks/gcs_hook.py",
    "hooks/gcp_api_base_hook.py",
)

# 1.10.15: argv = DAG file, [files whose imports may be stood in], names, context. Each task's class, the arguments as
# attributes and its template fields rendered with the context.
BEFORE = (
    STUBS
    + """\
import json, sys, warnings
warnings.simplefilter("ignore")
use_release("", *json.loads(sys.argv[2]))
names, context = json.loads(sys.argv[3]), json.loads(sys.argv[4])
namespace = {"__name__": "dagfile"}
exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"), namespace)
tasks = {}
for task in namespace["dag"].tasks:
    rendered = {f: task.render_template(getattr(task, f), context) for f in task.template_fields}
    tasks[task.task_id] = {
        "class": type(task).__name__,
        "arguments": {n: getattr(task, n) for n in names},
        "conn_id": task.bigquery_conn_id,
        "rendered": rendered,
    }
print(json.dumps(tasks))
"""
)

# 2.11.2 + google 10.26.0: argv = google folder, {case: {task_id: operator kwargs}}. Runs the
# real BigQueryExecuteQueryOperator.execute for each; prints what reached insert_job.
EXPECTED = (
    STUBS
    + """\
import json, os, sys, warnings
warnings.simplefilter("ignore")
use_release(sys.argv[1], os.path.join(sys.argv[1], "airflow", "providers", "google"))
cases = json.loads(sys.argv[2])
for kwargs in (k for case in cases.values() for k in case.values()):
    # run_query needs the connection's project (it bills the job to it); anonymous: no
    # credentials to look up (google.auth is a stand-in)
    os.environ["AIRFLOW_CONN_" + kwargs["gcp_conn_id"].upper()] = json.dumps(
        {"conn_type": "google_cloud_platform", "extra": {"project": "billing", "is_anonymous": True}})
import airflow.providers.google
from airflow.providers.google.cloud.hooks.bigquery import BigQueryHook
from airflow.providers.google.cloud.operators.bigquery import BigQueryExecuteQueryOperator
assert airflow.providers.google.__version__ == "10.26.0", airflow.providers.google.__version__
calls = []


class Job:
    job_id = "job"


def insert_job(self, configuration, project_id=None, location=None, **rest):
    # 10.26.0's insert_job: location = location or self.location
    calls.append({"configuration": configuration, "project_id": project_id,
                  "location": location or self.location, "rest": sorted(rest)})
    return Job()


class TaskInstance:
    def xcom_push(self, key, value):
        pass


BigQueryHook.insert_job = insert_job
out = {}
for case, tasks in cases.items():
    for task_id, kwargs in tasks.items():
        del calls[:]
        BigQueryExecuteQueryOperator(task_id=task_id, **kwargs).execute({"task_instance": TaskInstance()})
        assert len(calls) == 1, calls
        out.setdefault(case, {})[task_id] = calls[0]
print(json.dumps(out))
"""
)

# 2.11.2 + the google release the fix targets: argv = DAG file, google folder, context.
AFTER = (
    STUBS
    + """\
import json, os, sys, warnings
warnings.simplefilter("ignore")
use_release(sys.argv[2], os.path.join(sys.argv[2], "airflow", "providers", "google"))
context = json.loads(sys.argv[3])
namespace = {"__name__": "dagfile"}
exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"), namespace)
import airflow.providers.google
tasks = {}
for task in namespace["dag"].tasks:
    tasks[task.task_id] = {
        "class": type(task).__name__,
        "module": type(task).__module__,
        "provider": airflow.providers.google.__version__,
        "configuration": task.configuration,
        "rendered": task.render_template(task.configuration, context),
        "gcp_conn_id": task.gcp_conn_id,
        "location": task.location,
    }
print(json.dumps(tasks))
"""
)


def run_script(env: str, script: str, *args: str, tmp_path: Path, name: str):
    return run_json(env, script, *args, home=tmp_path / f"home_{name}")


def test_bigquery_operator_becomes_insert_job_with_the_job_google_10_26_built(tmp_path):
    target_google = RunOptions(parse_target("2")).providers.version(GOOGLE)
    old_google = install_release(GOOGLE, LAST_WITH_OLD, tmp_path / "google_old")
    new_google = install_release(GOOGLE, target_google, tmp_path / "google_new")

    _, result = run_fix(DAG_SOURCE, target="2", unsafe=True)
    assert result.error is None and result.new_source is not None
    fixed = result.new_source.decode()
    assert (
        "from airflow.providers.google.cloud.operators.bigquery import BigQueryInsertJobOperator\n" in fixed
    )
    assert "BigQueryOperator" not in fixed, fixed
    paths = {}
    for name, source in (("orig", DAG_SOURCE), ("fixed", fixed)):
        paths[name] = tmp_path / f"{name}.py"
        paths[name].write_text(source)

    contrib = next(airflow_python("af110").parent.parent.glob("lib/python3*/site-packages/airflow/contrib"))
    # the modules 1.10's BigQueryOperator imports (not all of contrib: see use_release)
    own = json.dumps([str(contrib / m) for m in BIGQUERY_1_10])
    context = json.dumps(CONTEXT)
    before = run_script(
        "af110", BEFORE, str(paths["orig"]), own, json.dumps(QUERY_ARGUMENTS), context,
        tmp_path=tmp_path, name="orig",
    )  # fmt: skip
    assert {t["class"] for t in before.values()} == {"BigQueryOperator"}
    assert (
        before["load"]["rendered"]["sql"]
        == "SELECT name, value FROM `proj.src.events` WHERE day = '2021-01-02'"
    )

    # the same arguments, as given and as 1.10 rendered them before execute, into 10.26.0's operator
    cases = {"given": {}, "rendered": {}}
    for task_id, old in before.items():
        given = {**old["arguments"], "gcp_conn_id": old["conn_id"]}
        cases["given"][task_id] = given
        rendered = {name: old["rendered"].get(name, value) for name, value in given.items()}
        cases["rendered"][task_id] = rendered
    expected = run_script(
        "af2", EXPECTED, str(old_google), json.dumps(cases), tmp_path=tmp_path, name="expected"
    )

    after = run_script(
        "af2", AFTER, str(paths["fixed"]), str(new_google), context, tmp_path=tmp_path, name="fixed"
    )
    assert set(after) == set(before)
    for task_id, old in before.items():
        new = after[task_id]
        assert (new["class"], new["module"], new["provider"]) == (
            "BigQueryInsertJobOperator",
            "airflow.providers.google.cloud.operators.bigquery",
            target_google,
        )
        job, rendered_job = expected["given"][task_id], expected["rendered"][task_id]
        assert new["configuration"] == job["configuration"], task_id
        assert new["rendered"] == rendered_job["configuration"], task_id
        assert new["rendered"]["query"]["query"] == old["rendered"]["sql"], task_id
        # the job ran where the hook said (the operator's location); the connection stays
        assert new["location"] == job["location"] == old["arguments"]["location"], task_id
        assert new["gcp_conn_id"] == old["conn_id"], task_id
    assert after["legacy"]["gcp_conn_id"] == "bq_conn"
    assert after["load"]["rendered"]["labels"] == {"team": "data", "day": "20210102"}
