"""AU161: keywords 1.10's operator class did not accept (1.10 ignored them) are removed."""

from __future__ import annotations

from codemods._operator_kwargs_1_10 import accepted_1_10
from tests.codemods.helpers import check_noop, check_transformed, diagnostics

SELECT = ["AU161"]
KPO = "from airflow.contrib.operators.kubernetes_pod_operator import KubernetesPodOperator\n"
BASH = "from airflow.operators.bash_operator import BashOperator\n"


def test_misspelt_argument_is_removed_one_per_line():
    check_transformed(
        KPO
        + 'k = KubernetesPodOperator(\n    task_id="k",\n    is_delete_pod_operator=True,\n    image="x",\n)\n',
        KPO + 'k = KubernetesPodOperator(\n    task_id="k",\n    image="x",\n)\n',
        target="2",
        select=SELECT,
    )


def test_last_argument_removed_on_one_line():
    check_transformed(
        BASH + 'b = BashOperator(task_id="b", bash_command="echo", retry=3)\n',
        BASH + 'b = BashOperator(task_id="b", bash_command="echo")\n',
        select=SELECT,
    )


def test_message_names_the_near_miss():
    [found] = diagnostics(
        KPO + 'k = KubernetesPodOperator(task_id="k", image="x", is_delete_pod_operator=True)\n',
        select=SELECT,
    )
    assert "`is_delete_operator_pod`" in found.message and found.fix == "safe"


def test_plugin_style_and_module_attribute_names():
    check_transformed(
        "from airflow.operators import BashOperator\n"
        "from airflow.operators import bash_operator\n"
        'a = BashOperator(task_id="a", bash_command="x", colour="red")\n'
        'b = bash_operator.BashOperator(task_id="b", bash_command="x", colour="red")\n',
        "from airflow.operators import BashOperator\n"
        "from airflow.operators import bash_operator\n"
        'a = BashOperator(task_id="a", bash_command="x")\n'
        'b = bash_operator.BashOperator(task_id="b", bash_command="x")\n',
        select=SELECT,
    )


def test_known_arguments_stay():
    check_noop(
        BASH
        + 'b = BashOperator(task_id="b", bash_command="x", env={}, retries=2, pool="p", xcom_push=True)\n',
        select=SELECT,
    )


def test_a_value_that_calls_code_is_only_reported():
    source = BASH + 'b = BashOperator(task_id="b", bash_command="x", colour=pick())\n'
    check_noop(source, select=SELECT)
    [found] = diagnostics(source, select=SELECT)
    assert found.fix is None and "calls code" in found.message


def test_custom_operators_and_unknown_classes_are_left_alone():
    check_noop("from mine import MyOperator\nm = MyOperator(task_id='m', anything=1)\n", select=SELECT)


def test_provide_context_is_left_to_au110():
    source = BASH + 'b = BashOperator(task_id="b", bash_command="x", provide_context=True)\n'
    assert not [d for d in diagnostics(source, select=["AU110", "AU161"]) if d.code == "AU161"]


def test_classes_whose_kwargs_go_elsewhere_are_not_covered():
    table = accepted_1_10()
    # SubDagOperator reads its kwargs itself in 1.10.15: unknown keywords are not provably dropped
    assert table["airflow.operators.subdag_operator.SubDagOperator"] is None
    assert (
        "is_delete_operator_pod"
        in table["airflow.contrib.operators.kubernetes_pod_operator.KubernetesPodOperator"]
    )
    assert "task_id" in table["airflow.operators.bash_operator.BashOperator"]  # BaseOperator's, from 1.10.15
