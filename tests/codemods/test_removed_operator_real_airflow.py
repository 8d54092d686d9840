"""AU163 against real Airflow: a 1.10 DAG with S3PrefixSensor loads on 1.10.15; after
`fix --target 2 --unsafe-fixes` it loads on Airflow 2.11.2 (amazon 9.39.0, which no longer has
S3PrefixSensor) as S3KeySensor whose `bucket_key` is what amazon 4.1.0's S3PrefixSensor made of
the old `prefix` and `delimiter`, with the other arguments as they were and the same values
after template rendering.

(The BigQuery rewrite, which needs google releases the tox envs lack, is loaded in
test_removed_operator_bigquery_real_airflow.py.)
"""

from __future__ import annotations

from tests.airflow_envs import run_json
from tests.codemods.helpers import run_fix

DAG_SOURCE = """\
from datetime import datetime
from airflow import DAG
from airflow.sensors.s3_prefix_sensor import S3PrefixSensor

dag = DAG("s3_wait", start_date=datetime(2021, 1, 1), schedule_interval="@daily")
wait = S3PrefixSensor(
    task_id="wait",
    aws_conn_id="lake",
    bucket_name="commoncrawl",
    prefix="crawl-data/2021",
    poke_interval=60,
    timeout=600,
    soft_fail=True,
    mode="reschedule",
    dag=dag,
)
other = S3PrefixSensor(task_id="other", bucket_name="b", prefix="logs-", delimiter="-", dag=dag)
"""

# Loads the DAG file and prints each sensor's class, arguments and its rendered template fields.
ARGUMENTS = """\
import json, sys, warnings
warnings.simplefilter("ignore")
namespace = {"__name__": "dagfile"}
exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"), namespace)
tasks = {}
for task in namespace["dag"].tasks:
    names = ("bucket_name", "bucket_key", "prefix", "delimiter", "aws_conn_id", "poke_interval",
             "timeout", "soft_fail", "mode", "wildcard_match")
    found = {n: getattr(task, n) for n in names if hasattr(task, n)}
    rendered = {f: task.render_template(getattr(task, f), {}) for f in task.template_fields if hasattr(task, f)}
    tasks[task.task_id] = {"class": type(task).__name__, **found, "rendered": rendered}
print(json.dumps(tasks, default=repr))
"""


def test_s3_prefix_sensor_becomes_s3_key_sensor_with_the_providers_own_bucket_key(tmp_path):
    _, result = run_fix(DAG_SOURCE, target="2", unsafe=True)
    assert result.error is None and result.new_source is not None
    fixed = result.new_source.decode()
    assert "from airflow.providers.amazon.aws.sensors.s3 import S3KeySensor\n" in fixed, fixed
    paths = {}
    for name, source in (("orig", DAG_SOURCE), ("fixed", fixed)):
        paths[name] = tmp_path / f"{name}.py"
        paths[name].write_text(source)
    before = run_json("af110", ARGUMENTS, str(paths["orig"]), home=tmp_path / "home_orig")
    after = run_json("af2", ARGUMENTS, str(paths["fixed"]), home=tmp_path / "home_fixed")
    assert {t["class"] for t in before.values()} == {"S3PrefixSensor"}
    assert {t["class"] for t in after.values()} == {"S3KeySensor"}
    for task_id, old in before.items():
        new = after[task_id]
        # amazon 4.1.0: [p if p.endswith(delimiter) else p + delimiter for p in prefixes]
        prefixes = [old["prefix"]] if isinstance(old["prefix"], str) else old["prefix"]
        expected = [p if p.endswith(old["delimiter"]) else p + old["delimiter"] for p in prefixes]
        assert new["bucket_key"] == expected
        assert new["rendered"]["bucket_key"] == expected  # rendering leaves it as it is
        assert new["rendered"]["bucket_name"] == old["rendered"]["bucket_name"] == old["bucket_name"]
        assert new["wildcard_match"] is False
        for name in ("bucket_name", "aws_conn_id", "poke_interval", "timeout", "soft_fail", "mode"):
            assert new[name] == old[name], (task_id, name)
    assert after["wait"]["bucket_key"] == ["crawl-data/2021/"]
    assert after["other"]["bucket_key"] == ["logs-"]  # already ends with its delimiter
