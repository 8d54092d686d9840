import pytest

from tests.codemods.helpers import check_noop, check_transformed, diagnostics

HEAD = """\
from airflow import DAG
from airflow.operators.bash_operator import BashOperator
dag = DAG('d')
t1 = BashOperator(task_id='t1', bash_command='x', dag=dag)
t2 = BashOperator(task_id='t2', bash_command='x', dag=dag)
"""

FIXED = [
    ("t1 > t2\nx = 1\n", "x = 1\n"),
    ("t1 < t2  # typo\n", ""),
    ("t1 >= t2 <= t1\n", ""),
    ("if True:\n    t1 > t2\n", "if True:\n    pass\n"),
    ("if True:\n    t1 > t2\n    x = 1\n", "if True:\n    x = 1\n"),
]


@pytest.mark.parametrize(("source", "expected"), FIXED)
def test_fixed(source, expected):
    check_transformed(HEAD + source, HEAD + expected, select=["AU151"])


NOT_FIXED = [
    "t1 == t2\n",  # a no-op in 2.x too
    "x = t1 > t2\n",  # the value is used
    "t1 > other\n",  # not provably an operator
    "t1 > [t2]\n",
    "t1 >> t2\n",
    "def f(t1):\n    t1 > t2\n",
]


@pytest.mark.parametrize("source", NOT_FIXED)
def test_not_fixed(source):
    check_noop(HEAD + source, select=["AU151"])


def test_message():
    (d,) = diagnostics(HEAD + "t1 > t2\n", select=["AU151"])
    assert (d.line, d.col, d.end_col, d.fix) == (6, 1, 8, "safe")
    assert "`t1 > t2`" in d.message and "no-op" in d.message and "`>>`" in d.message
