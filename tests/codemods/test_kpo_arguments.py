# ruff: noqa: E501 - expected rewrites are byte-exact source lines

import pytest

from codemods.kpo_arguments import KPO_PARAMS_1_10
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


NEW_KPO = "from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator\n"


def test_bridge_passes_resources_through_the_compat_helper():
    # 1.10 takes only the dict, the latest provider only container_resources=: pod_resources
    # (compat/operators.py) returns the keyword each side takes, dropping falsy values as 1.10 did.
    for target in ("2", "3"):
        check_transformed(
            NEW_KPO
            + """\
t = KubernetesPodOperator(
    task_id="t",
    resources={"request_memory": "1Gi", "limit_cpu": CPU, "limit_gpu": None},  # sized for etl
    dag=dag,
)
""",
            NEW_KPO
            + """\
from compat.operators import pod_resources
t = KubernetesPodOperator(
    task_id="t",
    **pod_resources(request_memory="1Gi", limit_cpu=CPU, limit_gpu=None),  # sized for etl
    dag=dag,
)
""",
            target=target,
            select=["AU121"],
            bridge=True,
        )


def test_bridge_reports_resources_it_cannot_pass_through_the_helper():
    source = NEW_KPO + (
        't = KubernetesPodOperator(task_id="t", resources={"memory": "1Gi"})\n'
        't = KubernetesPodOperator(task_id="t", resources={"limit_cpu": "1", "limit_cpu": "2"})\n'
        't = KubernetesPodOperator(task_id="t", resources={"limit_cpu": "1"}, *args)\n'
        "t = KubernetesPodOperator(task_id='t', resources=RESOURCES)\n"
    )
    check_noop(source, target="2", select=["AU121"], bridge=True)
    _, result = run_fix(source, target="2", select=["AU121"], bridge=True)
    messages = [d.message for d in result.diagnostics]
    assert len(messages) == 4
    assert "it has a key that is not one of" in messages[0]
    assert "it gives `limit_cpu` twice" in messages[1]
    assert "a `*args` argument follows it" in messages[2]
    assert "a dict is no longer accepted" in messages[3]


def test_closing_the_bridge_writes_the_plain_fix_for_pod_resources():
    check_transformed(
        NEW_KPO
        + """\
from compat.operators import pod_resources
t = KubernetesPodOperator(
    task_id="t",
    **pod_resources(request_memory="1Gi", limit_cpu="1", limit_gpu=None),  # sized for etl
    dag=dag,
)
""",
        NEW_KPO
        + """\
from kubernetes.client import models as k8s
t = KubernetesPodOperator(
    task_id="t",
    container_resources=k8s.V1ResourceRequirements(requests={"memory": "1Gi"}, limits={"cpu": "1"}),  # sized for etl
    dag=dag,
)
""",
        target="2",
        select=["AU121"],
        close_bridge=True,
    )
    # without --close-bridge a hand-written helper call is compat code: left alone
    check_noop(
        NEW_KPO + "from compat.operators import pod_resources\n"
        't = KubernetesPodOperator(task_id="t", **pod_resources(limit_cpu="1"))\n',
        target="2",
    )


def test_bridge_keeps_pods_only_where_1_10_kept_them():
    # True: the latest provider ignores it but its default deletes the pod too (reported only);
    # False: on_finish_action="keep_pod" there, is_delete_operator_pod=False on 1.10.
    source = (
        NEW_KPO
        + 'a = KubernetesPodOperator(task_id="a", is_delete_operator_pod=True)\n'
        + 'b = KubernetesPodOperator(task_id="b", is_delete_operator_pod=False, dag=dag)\n'
    )
    result = check_transformed(
        source,
        NEW_KPO
        + "from compat.operators import pod_on_finish\n"
        + 'a = KubernetesPodOperator(task_id="a", is_delete_operator_pod=True)\n'
        + 'b = KubernetesPodOperator(task_id="b", **pod_on_finish(False), dag=dag)\n',
        target="2",
        select=["AU121"],
        bridge=True,
    )
    assert [(d.line, d.fix, d.applied) for d in result.diagnostics] == [(2, None, False), (3, "safe", True)]
    check_transformed(
        result.new_source.decode(),
        NEW_KPO
        + 'a = KubernetesPodOperator(task_id="a", on_finish_action="delete_pod")\n'
        + 'b = KubernetesPodOperator(task_id="b", on_finish_action="keep_pod", dag=dag)\n',
        target="2",
        select=["AU121"],
        close_bridge=True,
    )


def test_bridge_writes_out_a_module_constant_of_resources():
    # As the plain fix does: the dict the name provably holds, at each call, so closing gives it.
    check_transformed(
        NEW_KPO
        + 'compute = {"request_cpu": "200m", "limit_memory": "1Gi"}\n'
        + 't = KubernetesPodOperator(task_id="t", resources=compute)\n'
        + 'u = KubernetesPodOperator(task_id="u", resources=compute, dag=dag)\n',
        NEW_KPO
        + "from compat.operators import pod_resources\n"
        + 'compute = {"request_cpu": "200m", "limit_memory": "1Gi"}\n'
        + 't = KubernetesPodOperator(task_id="t", **pod_resources(request_cpu="200m", limit_memory="1Gi"))\n'
        + 'u = KubernetesPodOperator(task_id="u", **pod_resources(request_cpu="200m", limit_memory="1Gi"), dag=dag)\n',
        target="2",
        select=["AU121"],
        bridge=True,
    )
    for other in ('compute["limit_cpu"] = "1"\n', "print(compute)\n", "compute = {}\n"):
        check_noop(
            NEW_KPO
            + 'compute = {"request_cpu": "200m"}\n'
            + other
            + 't = KubernetesPodOperator(task_id="t", resources=compute)\n',
            target="2",
            select=["AU121"],
            bridge=True,
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
