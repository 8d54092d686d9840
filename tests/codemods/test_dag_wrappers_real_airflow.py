"""A company DAG wrapper in the DAG repo's plugins folder, against real Airflow: the DAG file
loads on 1.10.15, Airflow 3.3.2 rejects it, and after a safe `fix --target 3` (the wrapper's
source proves it hands the keywords on) it loads on 3.3.2 with the same schedule, task limit
and the wrapper's defaults."""

from __future__ import annotations

from tests.airflow_envs import run_json
from tests.codemods.test_dag_wrappers import FORWARDS_DEFAULTS, _fix_safety

DAG_FILE = """\
from datetime import datetime

from company_airflow import DAG

with DAG("etl", start_date=datetime(2021, 1, 1), schedule_interval="0 8 * * *", concurrency=4) as dag:
    pass
"""

# The DAG folder and the plugins folder on sys.path, as Airflow puts them there.
LOAD = """\
import json, sys, warnings
warnings.simplefilter("ignore")
sys.path[:0] = [sys.argv[2], sys.argv[3]]
namespace = {"__name__": "dagfile"}
try:
    exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"), namespace)
except Exception as exc:
    print(json.dumps({"error": "%s: %s" % (type(exc).__name__, exc)}))
else:
    dag = namespace["dag"]
    print(json.dumps({
        "error": None,
        "schedule": str(getattr(dag, "schedule", None) or dag.schedule_interval),
        "tasks": getattr(dag, "max_active_tasks", None) or dag.concurrency,
        "owner": dag.default_args["owner"],
        "catchup": dag.catchup,
    }))
"""


def _load(env: str, tmp_path) -> dict:
    dag = tmp_path / "dags" / "dag.py"
    return run_json(
        env, LOAD, str(dag), str(dag.parent), str(tmp_path / "plugins"), home=tmp_path / f"home_{env}"
    )


def test_wrapped_dag_fixed_safe_loads_on_3_3_2_as_on_1_10(tmp_path):
    found, result = _fix_safety(tmp_path, FORWARDS_DEFAULTS, call=DAG_FILE, codes=("AU301", "AU302"))
    before = _load("af110", tmp_path)
    assert before == {"error": None, "schedule": "0 8 * * *", "tasks": 4, "owner": "data", "catchup": False}
    rejected = _load("af3", tmp_path)["error"]
    assert rejected is not None and "schedule_interval" in rejected, rejected
    assert found == [("AU301", "safe", True), ("AU302", "safe", True)]
    (tmp_path / "dags" / "dag.py").write_bytes(result.new_source)
    assert _load("af3", tmp_path) == before
