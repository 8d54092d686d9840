# ruff: noqa: E501 - expected rewrites are byte-exact source lines

import pytest

from codemods.kpo_args import KPO_PARAMS_1_10
from tests.airflow_envs import run_json
from tests.codemods.helpers import check_noop, check_transformed, diagnostics, run_fix

KPO = "from airflow.contrib.operators.kubernetes_pod_operator import KubernetesPodOperator\n"


def test_keywords_the_latest_provider_rejects_or_ignores():
    check_transformed(
        KPO
        + """\
t = KubernetesPodOperator(
    task_id="t",
    resources={"request_memory": "1Gi", "limit_cpu": "1", "limit_gpu": None},
    node_selectors={"pool": "batch"},
    is_delete_operator_pod=False,
)
""",
        KPO
        + """\
from kubernetes.client import models as k8s
t = KubernetesPodOperator(
    task_id="t",
    container_resources=k8s.V1ResourceRequirements(requests={"memory": "1Gi"}, limits={"cpu": "1"}),
    node_selector={"pool": "batch"},
    on_finish_action="keep_pod",
)
""",
        target="2",
        select=["AU121"],
    )


def test_resources_model_value_only_changes_keyword_with_models_rule():
    check_transformed(
        """\
        from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator as KPO
        from airflow.contrib.kubernetes.pod import Resources
        t = KPO(task_id="t", resources=Resources(limit_memory="1Gi"), is_delete_operator_pod=True)
        """,
        """\
        from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator as KPO
        from kubernetes.client import models as k8s
        t = KPO(task_id="t", container_resources=k8s.V1ResourceRequirements(limits={"memory": "1Gi"}), on_finish_action="delete_pod")
        """,
        target="3",
        select=["AU120", "AU121"],
    )


def test_gke_pod_operator_attribute_form():
    check_transformed(
        """\
        from airflow.contrib.operators import gcp_container_operator as gco
        t = gco.GKEPodOperator(task_id="t", node_selectors=sel)
        """,
        """\
        from airflow.contrib.operators import gcp_container_operator as gco
        t = gco.GKEPodOperator(task_id="t", node_selector=sel)
        """,
        target="2",
        select=["AU121"],
    )


def test_nothing_to_do_on_2_0_target_and_for_other_classes():
    src = KPO + 't = KubernetesPodOperator(task_id="t", resources={"limit_cpu": "1"}, node_selectors={})\n'
    check_noop(src, target="2.0", select=["AU121"])
    check_noop(
        """\
        from mylib import KubernetesPodOperator
        t = KubernetesPodOperator(task_id="t", node_selectors={})
        """,
        target="2",
        select=["AU121"],
    )


def test_unmappable_values_are_reported_without_fix():
    src = KPO + (
        "a = KubernetesPodOperator(task_id='a', resources=res, is_delete_operator_pod=flag)\n"
        "b = KubernetesPodOperator(task_id='b', resources={'cpu': '1'})\n"
        "c = KubernetesPodOperator(task_id='c', node_selectors={}, node_selector={})\n"
        "d = KubernetesPodOperator(task_id='d', resources={'limit_cpu': cpu})\n"
    )
    found = sorted((d.line, d.fix, d.message) for d in diagnostics(src, target="2", select=["AU121"]))
    assert [(line, fix) for line, fix, _ in found] == [
        (2, None),
        (2, None),
        (3, None),
        (4, None),
        (5, "unsafe"),
    ]
    assert "container_resources=" in found[0][2] or "container_resources=" in found[1][2]
    assert '`on_finish_action="delete_pod"` or `"keep_pod"`' in found[0][2] + found[1][2]
    assert "`limit_cpu` is never None/empty/0" in found[4][2]


SIGNATURE = """\
import inspect, json, sys, warnings
warnings.simplefilter("ignore")
import importlib
module, _, name = sys.argv[1].rpartition(".")
cls = getattr(importlib.import_module(module), name)
print(json.dumps(list(inspect.signature(cls.__init__).parameters)))
"""


def operator_parameters(env: str, qualified: str, tmp_path) -> list:
    return run_json(env, SIGNATURE, qualified, home=tmp_path / env)


def test_keyword_changes_match_the_installed_operators(tmp_path):
    old = operator_parameters(
        "af110", "airflow.contrib.operators.kubernetes_pod_operator.KubernetesPodOperator", tmp_path
    )
    assert tuple(p for p in old if p not in ("self", "args", "kwargs")) == KPO_PARAMS_1_10
    provider_1 = operator_parameters(
        "af20", "airflow.providers.cncf.kubernetes.operators.kubernetes_pod.KubernetesPodOperator", tmp_path
    )
    assert [p for p in KPO_PARAMS_1_10 if p not in provider_1] == []  # nothing to rename for --target 2.0
    latest = operator_parameters(
        "af2", "airflow.providers.cncf.kubernetes.operators.pod.KubernetesPodOperator", tmp_path
    )
    assert [p for p in KPO_PARAMS_1_10 if p not in latest] == ["resources", "node_selectors"]
    assert {"container_resources", "node_selector", "on_finish_action", "is_delete_operator_pod"} <= set(
        latest
    )


NAMED = """\
from airflow.contrib.operators.kubernetes_pod_operator import KubernetesPodOperator
compute = {"request_cpu": "200m", "limit_memory": "1Gi", "limit_gpu": None}
a = KubernetesPodOperator(task_id="a", name="a", image="x", resources=compute)
b = KubernetesPodOperator(task_id="b", name="b", image="x", resources=compute)
"""
NAMED_FIXED = """\
from airflow.contrib.operators.kubernetes_pod_operator import KubernetesPodOperator
from kubernetes.client import models as k8s
compute = k8s.V1ResourceRequirements(requests={"cpu": "200m"}, limits={"memory": "1Gi"})
a = KubernetesPodOperator(task_id="a", name="a", image="x", container_resources=compute)
b = KubernetesPodOperator(task_id="b", name="b", image="x", container_resources=compute)
"""


def test_resources_dict_bound_to_a_module_level_name():
    check_transformed(NAMED, NAMED_FIXED, target="2", select=["AU121"])


def test_resources_dict_name_with_a_value_that_may_be_falsy_is_unsafe():
    source = """\
        from airflow.contrib.operators.kubernetes_pod_operator import KubernetesPodOperator
        compute = {"request_cpu": CPU}
        a = KubernetesPodOperator(task_id="a", resources=compute)
        """
    check_noop(source, target="2", select=["AU121"])
    check_transformed(
        source,
        """\
        from airflow.contrib.operators.kubernetes_pod_operator import KubernetesPodOperator
        from kubernetes.client import models as k8s
        compute = k8s.V1ResourceRequirements(requests={"cpu": CPU})
        a = KubernetesPodOperator(task_id="a", container_resources=compute)
        """,
        target="2",
        select=["AU121"],
        unsafe=True,
    )


@pytest.mark.parametrize(
    "other_use",
    [
        "print(compute)\n",  # read otherwise
        "compute['limit_cpu'] = '1'\n",  # changed before use
        "compute = {'request_cpu': '1'}\n",  # bound twice
        "__all__ = ['compute']\n",  # exported
        "def f(compute):\n    return compute\n",
        "c = Other(task_id='c', resources=compute)\n",  # another class's resources
        "import os\n",  # an import after the assignment: `k8s` would be bound too late
    ],
)
def test_resources_dict_name_used_otherwise_is_reported(other_use):
    source = NAMED + other_use
    check_noop(source, target="2", select=["AU121"], unsafe=True)
    found = [d for d in diagnostics(source, target="2", select=["AU121"]) if d.line in (3, 4)]
    assert found and all(d.fix is None and "container_resources" in d.message for d in found), found


def test_resources_dict_name_with_an_unknown_key_is_left_to_the_report():
    source = NAMED.replace('"limit_gpu"', '"gpu"')
    check_noop(source, target="2", select=["AU121"], unsafe=True)


LOAD_RESOURCES = """\
import json, sys, warnings
warnings.simplefilter("ignore")
namespace = {"__name__": "dagfile"}
exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"), namespace)
task = namespace["a"]
# the pod the operator would start: 1.10.15 create_pod_request_obj, the provider build_pod_request_obj
if hasattr(task, "build_pod_request_obj"):
    pod = task.build_pod_request_obj(dry_run=True)  # dry run: no cluster credentials needed
else:
    pod = task.create_pod_request_obj()
resources = pod.spec.containers[0].resources
print(json.dumps({"requests": resources.requests, "limits": resources.limits}))
"""


def test_named_resources_fix_loads_with_the_same_pod_resources_on_airflow_3(tmp_path):
    source = (
        "from datetime import datetime\nfrom airflow import DAG\n"
        + NAMED
        + 'dag = DAG("named", start_date=datetime(2021, 1, 1), schedule_interval=None)\n'
        + "a.dag = b.dag = dag\n"
    )
    before_file = tmp_path / "before.py"
    before_file.write_text(source)
    before = run_json("af110", LOAD_RESOURCES, str(before_file), home=tmp_path / "home110")
    assert before == {"requests": {"cpu": "200m"}, "limits": {"memory": "1Gi"}}
    _, result = run_fix(source, target="3", unsafe=True)
    assert result.error is None and result.new_source is not None
    after_file = tmp_path / "after.py"
    after_file.write_text(result.new_source.decode())
    after = run_json("af3", LOAD_RESOURCES, str(after_file), home=tmp_path / "home3")
    assert after == before
