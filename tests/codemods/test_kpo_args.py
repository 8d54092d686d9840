# ruff: noqa: E501 - expected rewrites are byte-exact source lines

import pytest

from codemods.kpo_args import KPO_PARAMS_1_10
from tests.airflow_envs import run_json
from tests.codemods.helpers import check_noop, check_transformed, diagnostics

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


def test_resources_dict_held_by_a_module_constant():
    check_transformed(
        KPO
        + """\
RES = {'request_cpu': '200m', 'limit_memory': '1Gi', 'limit_gpu': None}

with dag:
    t = KubernetesPodOperator(task_id="t", resources=RES)
    u = KubernetesPodOperator(task_id="u", resources=RES)
""",
        KPO
        + """\
from kubernetes.client import models as k8s
RES = {'request_cpu': '200m', 'limit_memory': '1Gi', 'limit_gpu': None}

with dag:
    t = KubernetesPodOperator(task_id="t", container_resources=k8s.V1ResourceRequirements(requests={"cpu": '200m'}, limits={"memory": '1Gi'}))
    u = KubernetesPodOperator(task_id="u", container_resources=k8s.V1ResourceRequirements(requests={"cpu": '200m'}, limits={"memory": '1Gi'}))
""",
        target="2",
        select=["AU121"],
    )


def test_resources_multiline_module_constant():
    check_transformed(
        KPO
        + """\
RES = {
    "request_cpu": "1",  # one core
    "limit_cpu": "2",
}
t = KubernetesPodOperator(task_id="t", resources=RES)
""",
        KPO
        + """\
from kubernetes.client import models as k8s
RES = {
    "request_cpu": "1",  # one core
    "limit_cpu": "2",
}
t = KubernetesPodOperator(task_id="t", container_resources=k8s.V1ResourceRequirements(requests={"cpu": "1"}, limits={"cpu": "2"}))
""",
        target="2",
        select=["AU121"],
    )


@pytest.mark.parametrize(
    "source",
    [
        # mutated, rebound, passed elsewhere or read dynamically: what it holds at the call is not proven
        "RES = {'limit_cpu': '1'}\nRES['limit_cpu'] = '2'\nt = KubernetesPodOperator(task_id='t', resources=RES)\n",
        "RES = {'limit_cpu': '1'}\nRES.update(limit_cpu='2')\nt = KubernetesPodOperator(task_id='t', resources=RES)\n",
        "RES = {'limit_cpu': '1'}\nRES = {'limit_cpu': '2'}\nt = KubernetesPodOperator(task_id='t', resources=RES)\n",
        "RES = {'limit_cpu': '1'}\nt = KubernetesPodOperator(task_id='t', resources=RES)\nprint(RES)\n",
        "RES = {'limit_cpu': '1'}\ndef f(RES):\n    return KubernetesPodOperator(task_id='t', resources=RES)\n",
        "RES = {'limit_cpu': '1'}\nfrom settings import *\nt = KubernetesPodOperator(task_id='t', resources=RES)\n",
        "RES = {'limit_cpu': '1'}\nglobals()['x'] = 1\nt = KubernetesPodOperator(task_id='t', resources=RES)\n",
        "t = KubernetesPodOperator(task_id='t', resources=RES)\nRES = {'limit_cpu': '1'}\n",
        # values that are not constants, keys that are no 1.10 Resources field
        "RES = {'limit_cpu': CPU}\nt = KubernetesPodOperator(task_id='t', resources=RES)\n",
        "RES = {'limit_cpu': '1', **MORE}\nt = KubernetesPodOperator(task_id='t', resources=RES)\n",
        "RES = {'cpu': '1'}\nt = KubernetesPodOperator(task_id='t', resources=RES)\n",
        "RES = ['limit_cpu']\nt = KubernetesPodOperator(task_id='t', resources=RES)\n",
    ],
)
def test_resources_name_not_proven_is_reported(source):
    check_noop(KPO + source, target="2", select=["AU121"])
    found = diagnostics(KPO + source, target="2", select=["AU121"])
    assert [d.fix for d in found] == [None], found
    assert "container_resources=" in found[0].message
