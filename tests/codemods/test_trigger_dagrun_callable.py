import pytest

from tests.codemods.helpers import check_noop, check_transformed, diagnostics

IMPORT = "from airflow.operators.dagrun_operator import TriggerDagRunOperator\n"
FIXED_IMPORT = "from airflow.operators.trigger_dagrun import TriggerDagRunOperator\n"

CALLABLE_FIXED = [
    # the common shape: a constant payload becomes conf=
    (
        "def set_payload(context, dag_run_obj):\n"
        '    """Always the same conf."""\n'
        '    dag_run_obj.payload = {"x": 1, "y": [True, None, 2.5, "s"], "z": {"k": "v"}}\n'
        "    return dag_run_obj\n"
        "t = TriggerDagRunOperator(task_id='t', trigger_dag_id='o', python_callable=set_payload)\n",
        "def set_payload(context, dag_run_obj):\n"
        '    """Always the same conf."""\n'
        '    dag_run_obj.payload = {"x": 1, "y": [True, None, 2.5, "s"], "z": {"k": "v"}}\n'
        "    return dag_run_obj\n"
        't = TriggerDagRunOperator(task_id=\'t\', trigger_dag_id=\'o\', conf={"x": 1, "y": [True, None, 2.5, "s"], "z": {"k": "v"}})\n',
    ),
    # no payload: the callable goes (conf None, always triggered)
    (
        "t = TriggerDagRunOperator(\n"
        "    task_id='t',\n"
        "    python_callable=lambda context, dag_run_obj: dag_run_obj,\n"
        "    trigger_dag_id='o',\n"
        ")\n",
        "t = TriggerDagRunOperator(\n    task_id='t',\n    trigger_dag_id='o',\n)\n",
    ),
    (
        "def go(c, d):\n    return d\n"
        "t = TriggerDagRunOperator(task_id='t', trigger_dag_id='o', python_callable=go)\n",
        "def go(c, d):\n    return d\nt = TriggerDagRunOperator(task_id='t', trigger_dag_id='o')\n",
    ),
]


@pytest.mark.parametrize(("source", "expected"), CALLABLE_FIXED)
def test_callable_fixed(source, expected):
    check_transformed(IMPORT + source, FIXED_IMPORT + expected, select=["AU101", "AU130"])


PAYLOAD_REPORTED = [
    # depends on the context
    (
        "def f(context, dag_run_obj):\n    dag_run_obj.payload = {'d': context['ds']}\n    return dag_run_obj\n",
        "{'d': context['ds']}",
    ),
    # Jinja in a string: 2.0 renders conf, 1.10 passed it as written
    (
        "def f(context, dag_run_obj):\n    dag_run_obj.payload = {'d': '{{ ds }}'}\n    return dag_run_obj\n",
        "{'d': '{{ ds }}'}",
    ),
    # a tuple: json.dumps made it a list
    (
        "def f(context, dag_run_obj):\n    dag_run_obj.payload = {'d': (1, 2)}\n    return dag_run_obj\n",
        "{'d': (1, 2)}",
    ),
]


@pytest.mark.parametrize(("callable_source", "payload"), PAYLOAD_REPORTED)
def test_payload_not_constant_reported_with_it(callable_source, payload):
    src = (
        IMPORT
        + callable_source
        + "t = TriggerDagRunOperator(task_id='t', trigger_dag_id='o', python_callable=f)\n"
    )
    check_noop(src, select=["AU130"])
    (d,) = diagnostics(src, select=["AU130"])
    assert d.fix is None and f"payload `{payload}`" in d.message and "Jinja" in d.message


CALLABLE_REPORTED = [
    # decides whether to trigger
    "def f(context, dag_run_obj):\n    if context['x']:\n        return dag_run_obj\n",
    # rebound: not provably that function
    "def f(c, d):\n    return d\nf = g\n",
]


@pytest.mark.parametrize("callable_source", CALLABLE_REPORTED)
def test_callable_reported(callable_source):
    src = (
        IMPORT
        + callable_source
        + "t = TriggerDagRunOperator(task_id='t', trigger_dag_id='o', python_callable=f)\n"
    )
    check_noop(src, select=["AU130"])
    (d,) = diagnostics(src, select=["AU130"])
    assert d.fix is None and "conf=" in d.message and "ShortCircuitOperator" in d.message


def test_existing_conf_or_kwargs_not_rewritten():
    body = "def f(c, d):\n    return d\n"
    for extra in ("conf={'a': 1}", "**kw"):
        src = IMPORT + body + f"t = TriggerDagRunOperator(task_id='t', python_callable=f, {extra})\n"
        check_noop(src, select=["AU130"])


def test_attribute_form_and_conf_only_call():
    src = """\
        import airflow.operators.dagrun_operator as dro
        a = dro.TriggerDagRunOperator(task_id="a", trigger_dag_id="o", python_callable=g)
        b = dro.TriggerDagRunOperator(task_id="b", trigger_dag_id="o", conf={"x": 1})
        """
    assert [(d.line, d.col) for d in diagnostics(src, select=["AU130"])] == [(2, 64)]


def test_other_classes_ignored():
    src = (
        "from mylib import TriggerDagRunOperator\nt = TriggerDagRunOperator(task_id='t', python_callable=f)\n"
    )
    assert diagnostics(src, select=["AU130"]) == []


DAG_RUN_ORDER_FIXED = [
    # annotations only: the import goes, the annotations become strings
    (
        "from typing import Callable\n"
        "from airflow.operators.dagrun_operator import TriggerDagRunOperator, DagRunOrder\n"
        "def f(context, dag_run_obj: DagRunOrder) -> DagRunOrder:\n"
        "    return dag_run_obj\n"
        "def make(cb: Callable[[dict, DagRunOrder], DagRunOrder] = None, x: 'int' = 1):\n"
        "    pass\n",
        "from typing import Callable\n"
        "from airflow.operators.trigger_dagrun import TriggerDagRunOperator\n"
        'def f(context, dag_run_obj: "DagRunOrder") -> "DagRunOrder":\n'
        "    return dag_run_obj\n"
        "def make(cb: \"Callable[[dict, DagRunOrder], DagRunOrder]\" = None, x: 'int' = 1):\n"
        "    pass\n",
    ),
    # first of two names; aliased; the only name of its import
    (
        "from airflow.operators.dagrun_operator import DagRunOrder as Order, TriggerDagRunOperator\n"
        "from airflow.operators.dagrun_operator import DagRunOrder\n"
        "x: Order = None\n",
        'from airflow.operators.trigger_dagrun import TriggerDagRunOperator\nx: "Order" = None\n',
    ),
    # parenthesized, one name a line
    (
        "from airflow.operators.dagrun_operator import (\n    DagRunOrder,\n    TriggerDagRunOperator,\n)\n",
        "from airflow.operators.trigger_dagrun import (\n    TriggerDagRunOperator,\n)\n\n",
    ),
    # postponed annotations: nothing to quote
    (
        "from __future__ import annotations\n"
        "from airflow.operators.dagrun_operator import DagRunOrder\n"
        "def f(c, d: DagRunOrder):\n"
        "    return d\n",
        "from __future__ import annotations\ndef f(c, d: DagRunOrder):\n    return d\n",
    ),
]


@pytest.mark.parametrize(("source", "expected"), DAG_RUN_ORDER_FIXED)
def test_dag_run_order_import_removed(source, expected):
    check_transformed(source, expected, select=["AU101", "AU130"])


def test_dag_run_order_used_at_run_time_reported_with_the_lines():
    src = (
        "from airflow.operators.dagrun_operator import DagRunOrder\n"
        "def f(context):\n"
        "    yield DagRunOrder(payload={})\n"
    )
    check_noop(src, select=["AU101", "AU102", "AU130"])
    (d,) = diagnostics(src, select=["AU101", "AU102", "AU130"])
    assert (d.code, d.line, d.col, d.fix) == ("AU130", 1, 47, None)
    assert "line 3" in d.message


def test_multi_line_annotation_reported():
    src = (
        "from airflow.operators.dagrun_operator import DagRunOrder\n"
        "def f(c, d: dict[\n    str, DagRunOrder]):\n    return d\n"
    )
    check_noop(src, select=["AU130"])
    (d,) = diagnostics(src, select=["AU130"])
    assert d.fix is None and "strings" in d.message
