"""One fresh interpreter per test run for the checks that must not share the test process:

1. which deprecation warnings compat/ and dags/ raise on import (a module-level deprecation shim
   warns only on its first import, so nothing may be imported before recording starts);
2. loading the original 1.10 DAGs (tests/fixtures/dags_1_10), whose own monkey patch replaces
   FileTaskHandler._read at parse time and must not leak into the other tests.

Both run in the same subprocess (one Airflow import instead of two: the envs' budget is short).
"""

import functools
import json
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURE_DAGS = os.path.join(REPO, "tests", "fixtures", "dags_1_10")

PROBE = r"""
import importlib, inspect, json, os, pkgutil, runpy, sys, warnings
import airflow  # Airflow's own import-time warnings (config, providers) are not under test

repo, fixture_dags = sys.argv[1], sys.argv[2]
found = []
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import compat
    modules = sorted(m.name for m in pkgutil.iter_modules(compat.__path__, "compat."))
    for name in modules:
        importlib.import_module(name)
    from compat import pod_log_patch, slack
    slack._base_hook()
    pod_log_patch.first_importable(
        "get_kube_client",
        ["airflow.providers.cncf.kubernetes.kube_client", "airflow.kubernetes.kube_client"],
    )
    runpy.run_path(os.path.join(repo, "dags", "test_dag.py"), run_name="reference_dag")
for w in caught:
    if not issubclass(w.category, (DeprecationWarning, PendingDeprecationWarning, FutureWarning)):
        continue
    filename = os.path.abspath(w.filename) if not w.filename.startswith("<") else w.filename
    ours = filename.startswith((os.path.join(repo, "compat"), os.path.join(repo, "dags")))
    via_import = "importlib" in filename
    # Airflow's own deprecation categories (RemovedInAirflow3Warning, AirflowProviderDeprecationWarning,
    # DeprecatedImportWarning) are often attributed to Airflow's frames (operator __init__ wrappers);
    # config-option moves are about airflow.cfg, not about this code.
    airflow_category = w.category.__module__.split(".")[0] == "airflow" and "option in [" not in str(w.message)
    if ours or via_import or airflow_category:
        found.append("%s:%s %s: %s" % (w.filename, w.lineno, w.category.__name__, w.message))

# The fixture DAGs import their helper package (utils/) from the DAG folder, as on 1.10.
sys.path.insert(0, fixture_dags)
from airflow.models import DagBag
kwargs = {"include_examples": False} if "include_examples" in inspect.signature(DagBag.__init__).parameters else {}
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    bag = DagBag(dag_folder=fixture_dags, **kwargs)
dag = bag.dags.get("test_dag")
print(json.dumps({
    "modules": modules,
    "warnings": found,
    "fixture_errors": {k.rsplit("/", 1)[-1]: v[-300:] for k, v in bag.import_errors.items()},
    "fixture_edges": sorted([t.task_id, d] for t in dag.tasks for d in t.downstream_task_ids) if dag else None,
}))
"""


@functools.lru_cache(maxsize=1)
def fresh_interpreter_report():
    """The probe's JSON report (run once per test process)."""
    env = dict(
        os.environ,
        PYTHONPATH=REPO,
        # 2.x warns about the metrics timer default (a config choice, not this code's) unless set
        AIRFLOW__METRICS__TIMER_UNIT_CONSISTENCY="True",
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE, REPO, FIXTURE_DAGS],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])
