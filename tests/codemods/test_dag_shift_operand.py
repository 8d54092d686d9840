import pytest

from tests.codemods.helpers import check_noop, check_transformed, diagnostics

HEAD = """\
from airflow import DAG
from airflow.operators.bash_operator import BashOperator
from mylib import LogOperator
"""

FIXED = [
    # created in the `with` block: already in the DAG, `dag >>` goes
    (
        "with DAG('d') as dag:\n"
        "    t1 = BashOperator(task_id='t1', bash_command='x')\n"
        "    t2 = BashOperator(task_id='t2', bash_command='x')\n"
        "    dag >> t1 >> t2\n",
        "with DAG('d') as dag:\n"
        "    t1 = BashOperator(task_id='t1', bash_command='x')\n"
        "    t2 = BashOperator(task_id='t2', bash_command='x')\n"
        "    t1 >> t2\n",
    ),
    # parenthesized, several lines, `<<` too
    (
        "with DAG('d') as dag:\n"
        "    t1 = BashOperator(task_id='t1', bash_command='x')\n"
        "    t2 = BashOperator(task_id='t2', bash_command='x')\n"
        "    (dag >> t1\n"
        "     << t2)\n",
        "with DAG('d') as dag:\n"
        "    t1 = BashOperator(task_id='t1', bash_command='x')\n"
        "    t2 = BashOperator(task_id='t2', bash_command='x')\n"
        "    (t1\n"
        "     << t2)\n",
    ),
    # `dag=dag`, module level; a lone `dag >> t` is a no-op there and goes
    (
        "dag = DAG('d')\nt1 = BashOperator(task_id='t1', bash_command='x', dag=dag)\ndag >> t1\nx = 1\n",
        "dag = DAG('d')\nt1 = BashOperator(task_id='t1', bash_command='x', dag=dag)\nx = 1\n",
    ),
    # a custom operator (it may place itself anywhere): the 1.10 meaning, written out
    (
        "with DAG('d') as dag:\n"
        "    t1 = LogOperator(task_id='t1')\n"
        "    t2 = BashOperator(task_id='t2', bash_command='x')\n"
        "    # run them\n"
        "    dag >> t1 >> t2  # chain\n",
        "with DAG('d') as dag:\n"
        "    t1 = LogOperator(task_id='t1')\n"
        "    t2 = BashOperator(task_id='t2', bash_command='x')\n"
        "    # run them\n"
        "    t1.dag = dag\n"
        "    t1 >> t2  # chain\n",
    ),
    # created without a DAG: assigned, as 1.10 did
    (
        "dag = DAG('d')\nt1 = BashOperator(task_id='t1', bash_command='x')\ndag >> t1\n",
        "dag = DAG('d')\nt1 = BashOperator(task_id='t1', bash_command='x')\nt1.dag = dag\n",
    ),
    # another DAG given: the assignment keeps 1.10's error
    (
        "dag = DAG('d')\n"
        "other = DAG('o')\n"
        "t1 = BashOperator(task_id='t1', bash_command='x', dag=other)\n"
        "dag >> t1\n",
        "dag = DAG('d')\n"
        "other = DAG('o')\n"
        "t1 = BashOperator(task_id='t1', bash_command='x', dag=other)\n"
        "t1.dag = dag\n",
    ),
    # the task made before the DAG is bound in that block: not provably in it
    (
        "with DAG('d') as dag:\n"
        "    pass\n"
        "with DAG('d') as dag:\n"
        "    t1 = BashOperator(task_id='t1', bash_command='x', dag=dag)\n"
        "    dag >> t1 >> t1\n",
        "with DAG('d') as dag:\n"
        "    pass\n"
        "with DAG('d') as dag:\n"
        "    t1 = BashOperator(task_id='t1', bash_command='x', dag=dag)\n"
        "    t1.dag = dag\n"
        "    t1 >> t1\n",
    ),
]


@pytest.mark.parametrize(("source", "expected"), FIXED)
def test_fixed(source, expected):
    check_transformed(HEAD + source, HEAD + expected, select=["AU150"])


NOT_FIXED = [
    # `dag` is a function parameter: not provably a DAG
    "t1 = BashOperator(task_id='t1', bash_command='x')\ndef f(dag):\n    dag >> t1\n",
    # `dag` rebound to something else somewhere in its scope
    "dag = DAG('d')\nt1 = BashOperator(task_id='t1', bash_command='x')\ndag >> t1\ndag = t1\n",
    # the task is not provably an operator
    "dag = DAG('d')\nt1 = make()\ndag >> t1\n",
    "dag = DAG('d')\ndag >> [a, b]\n",
    # an ordinary chain
    "dag = DAG('d')\nt1 = BashOperator(task_id='t1', bash_command='x', dag=dag)\nt1 >> t1\n",
]


@pytest.mark.parametrize("source", NOT_FIXED)
def test_not_fixed(source):
    check_noop(HEAD + source, select=["AU150"])


def test_unprovable_task_reported_with_the_replacement():
    (d,) = diagnostics(HEAD + "dag = DAG('d')\nt1 = make()\ndag >> t1 >> t2\n", select=["AU150"])
    assert (d.line, d.col, d.end_col, d.fix) == (6, 1, 10, None)
    assert "write `t1.dag = dag` and remove `dag >>` from the chain" in d.message
    assert "update_relative" in d.message


def test_not_a_dag_not_reported():
    assert diagnostics(HEAD + "def f(dag, t1):\n    dag >> t1\n", select=["AU150"]) == []


def test_applies_in_bridge_mode():
    # the rewrite runs the same on 1.10.15: `fix --bridge` applies it
    from codemods._context import RunOptions
    from upgrade.engine import process_source
    from upgrade.registry import select_rules

    source = HEAD + "dag = DAG('d')\nt1 = BashOperator(task_id='t1', bash_command='x')\ndag >> t1\n"
    options = RunOptions((2, 0), fix=True, bridge=True)
    result = process_source("dag.py", source.encode(), select_rules((2, 0), ["AU150"]), options)
    assert result.new_source.decode().endswith("t1.dag = dag\n")
