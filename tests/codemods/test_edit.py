"""Removing an argument on its own line (codemods/_edit.py, here through AU110): the line goes
with its comment; every other line, its comment and the closing bracket stay as they were."""

from __future__ import annotations

import pytest

from tests.codemods.helpers import check_transformed

HEAD = "from airflow.operators.python import PythonOperator\nt = PythonOperator(\n"

CASES = {
    "middle": (
        '    task_id="t",  # the id\n    provide_context=True,  # needed in 1.10\n    python_callable=len,  # callable\n)\n',
        '    task_id="t",  # the id\n    python_callable=len,  # callable\n)\n',
    ),
    "comment lines around": (
        '    task_id="t",  # the id\n    # about the context\n    provide_context=True,\n    # about the callable\n'
        "    python_callable=len,\n)\n",
        '    task_id="t",  # the id\n    # about the context\n    # about the callable\n    python_callable=len,\n)\n',
    ),
    "last, with a trailing comma": (
        '    task_id="t",  # the id\n    python_callable=len,  # callable\n    provide_context=True,  # needed in 1.10\n)\n',
        '    task_id="t",  # the id\n    python_callable=len,  # callable\n)\n',
    ),
    "last, without a trailing comma": (
        '    task_id="t",  # the id\n    python_callable=len,  # callable\n    provide_context=True  # needed in 1.10\n)\n',
        '    task_id="t",  # the id\n    python_callable=len,  # callable\n)\n',
    ),
    "first": (
        '    provide_context=True,  # needed in 1.10\n    task_id="t",  # the id\n    python_callable=len,\n)\n',
        '    task_id="t",  # the id\n    python_callable=len,\n)\n',
    ),
    "closing bracket on the last line": (
        '    task_id="t", python_callable=len,\n    provide_context=True)\n',
        '    task_id="t", python_callable=len)\n',
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_an_argument_on_its_own_line_goes_with_its_comment(case: str):
    before, after = CASES[case]
    check_transformed(HEAD + before, HEAD + after, target="2")


def test_one_line_calls_keep_their_layout():
    check_transformed(
        "from airflow.operators.python import PythonOperator\n"
        't = PythonOperator(task_id="t", provide_context=True, python_callable=len)\n'
        'u = PythonOperator(task_id="u", python_callable=len, provide_context=True)\n',
        "from airflow.operators.python import PythonOperator\n"
        't = PythonOperator(task_id="t", python_callable=len)\n'
        'u = PythonOperator(task_id="u", python_callable=len)\n',
        target="2",
    )


DICT_HEAD = "from airflow import DAG\ndefault_args = {\n"
DICT_TAIL = 'dag = DAG("d", default_args=default_args)\n'
DICT_CASES = {
    "last, with a trailing comma": (
        '    "owner": "me",  # who\n    "provide_context": True,  # ctx\n}\n',
        '    "owner": "me",  # who\n}\n',
    ),
    "last, without a trailing comma": (
        '    "owner": "me",  # who\n    "provide_context": True  # ctx\n}\n',
        '    "owner": "me",  # who\n}\n',
    ),
    "middle": (
        '    "owner": "me",  # who\n    "provide_context": True,  # ctx\n    "retries": 1,  # retries\n}\n',
        '    "owner": "me",  # who\n    "retries": 1,  # retries\n}\n',
    ),
}


@pytest.mark.parametrize("case", sorted(DICT_CASES))
def test_a_default_args_entry_on_its_own_line_goes_with_its_comment(case: str):
    before, after = DICT_CASES[case]
    check_transformed(DICT_HEAD + before + DICT_TAIL, DICT_HEAD + after + DICT_TAIL, target="2")


def test_a_dict_left_empty_is_closed():
    check_transformed(
        'from airflow import DAG\ndefault_args = {\n    "provide_context": True,  # ctx\n}\n' + DICT_TAIL,
        "from airflow import DAG\ndefault_args = {}\n" + DICT_TAIL,
        target="2",
    )
