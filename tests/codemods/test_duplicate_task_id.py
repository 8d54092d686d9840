import pytest

from tests.codemods.helpers import check_noop, diagnostics

HEAD = """\
from airflow import DAG
from airflow.operators.dummy_operator import DummyOperator
dag = DAG('d')
"""

REPORTED = [
    # (source after HEAD, [(line, col)], message part)
    (
        "a = DummyOperator(task_id='t', dag=dag)\nb = DummyOperator(task_id='t', dag=dag)\n",
        [(5, 5)],
        "line 4",
    ),
    ("for i in range(3):\n    DummyOperator(task_id='t', dag=dag)\n", [(5, 5)], "loop"),
    ("for i in ['a', 'b']:\n    DummyOperator(task_id='t', dag=dag)\n", [(5, 5)], "loop"),
    # the DAG of the `with` block
    (
        "with DAG('e') as e:\n    a = DummyOperator(task_id='t')\n    b = DummyOperator(task_id='t')\n",
        [(6, 9)],
        "line 5",
    ),
    # a function creating a task with a literal id, called twice in one `with DAG` block
    (
        "def sensor(x):\n    return DummyOperator(task_id='wait', retries=x)\n"
        "with DAG('e') as e:\n    a = sensor(1)\n    b = sensor(2)\n",
        [(8, 9)],
        "line 7",
    ),
]


@pytest.mark.parametrize(("source", "positions", "why"), REPORTED)
def test_reported(source, positions, why):
    found = diagnostics(HEAD + source, select=["AU152"])
    assert [(d.line, d.col) for d in found] == positions
    assert all(why in d.message and "DuplicateTaskIdFound" in d.message and d.fix is None for d in found)
    check_noop(HEAD + source, select=["AU152"])


NOT_REPORTED = [
    "a = DummyOperator(task_id='t', dag=dag)\nb = DummyOperator(task_id='u', dag=dag)\n",
    # other DAGs
    "e = DAG('e')\na = DummyOperator(task_id='t', dag=dag)\nb = DummyOperator(task_id='t', dag=e)\n",
    "with DAG('e'):\n    a = DummyOperator(task_id='t')\nwith DAG('f'):\n    b = DummyOperator(task_id='t')\n",
    # only one of them runs
    "if x:\n    a = DummyOperator(task_id='t', dag=dag)\nelse:\n    a = DummyOperator(task_id='t', dag=dag)\n",
    "try:\n    a = DummyOperator(task_id='t', dag=dag)\nexcept E:\n    a = DummyOperator(task_id='t', dag=dag)\n",
    # loops that may run once, or ids that differ each time
    "for i in items:\n    DummyOperator(task_id='t', dag=dag)\n",
    "for i in range(1):\n    DummyOperator(task_id='t', dag=dag)\n",
    "for i in range(3):\n    DummyOperator(task_id=f't{i}', dag=dag)\n",
    "for i in range(3):\n    DummyOperator(task_id='t', dag=dag)\n    break\n",
    # in a function: depends on how often it is called
    "def f():\n    return DummyOperator(task_id='t', dag=dag)\n",
    "def f(d):\n    return DummyOperator(task_id='t', dag=d)\nf(dag)\nf(dag)\n",
    # `dag` rebound: not certainly the same DAG
    "a = DummyOperator(task_id='t', dag=dag)\ndag = DAG('e')\nb = DummyOperator(task_id='t', dag=dag)\n",
]


@pytest.mark.parametrize("source", NOT_REPORTED)
def test_not_reported(source):
    assert diagnostics(HEAD + source, select=["AU152"]) == []
