import pytest

from tests.codemods.helpers import check_noop, diagnostics

HEAD = """\
import datetime as dt
from datetime import datetime, timedelta
import pendulum
from airflow import DAG
from airflow.operators.bash_operator import BashOperator
from airflow.utils.dates import days_ago
"""

REPORTED = [
    ("d = DAG('d', params={'start': datetime(2021, 1, 1)})\n", "`start` is a datetime", (7, 31)),
    ("d = DAG('d', params={'gap': dt.timedelta(days=1)})\n", "a timedelta", (7, 29)),
    ("d = DAG('d', params={'when': dt.datetime.now()})\n", "a datetime", (7, 30)),
    ("t = BashOperator(task_id='t', params={'ids': {1, 2}})\n", "a set", (7, 46)),
    ("t = BashOperator(task_id='t', params={'raw': b'x', 'ok': 1})\n", "bytes", (7, 46)),
    ("t = BashOperator(task_id='t', params={'f': [1, lambda: 2]})\n", "a function", (7, 44)),
    ("default_args = {'params': {'s': days_ago(1)}}\n", "params in default_args", (7, 33)),
    ("d = DAG('d', default_args={'params': {'s': pendulum.datetime(2021, 1, 1)}})\n", "pendulum", (7, 44)),
    ("P = {'s': datetime(2021, 1, 1)}\nd = DAG('d', params=P)\n", "`s` is a datetime", (7, 11)),
]


@pytest.mark.parametrize(("source", "what", "position"), REPORTED)
def test_reported(source, what, position):
    (d,) = diagnostics(HEAD + source, target="3", select=["AU310"])
    assert what in d.message and "ParamValidationError" in d.message and d.fix is None
    assert (d.line, d.col) == position
    check_noop(HEAD + source, target="3", select=["AU310"])


NOT_REPORTED = [
    "d = DAG('d', params={'start': '2021-01-01', 'n': 1, 'l': [1, None], 'm': {'a': True}})\n",
    "d = DAG('d', params={'start': some_value})\n",  # not certainly a non-JSON value
    "d = DAG('d', params=make())\n",
    "x = other(params={'s': datetime(2021, 1, 1)})\n",
    "P = {'s': datetime(2021, 1, 1)}\nP = {}\nd = DAG('d', params=P)\n",
]


@pytest.mark.parametrize("source", NOT_REPORTED)
def test_not_reported(source):
    assert diagnostics(HEAD + source, target="3", select=["AU310"]) == []


def test_only_on_3():
    assert diagnostics(HEAD + REPORTED[0][0], target="2", select=["AU3"]) == []
