"""AU101 renames a class at its uses only when every use is the import (codemods/_local_bindings.py);
otherwise the import keeps the old name (`New as Old`). Version switches are compat code."""

from __future__ import annotations

import pytest

from tests.codemods.helpers import check_noop, check_transformed

IMPORT = "from airflow.operators.dummy_operator import DummyOperator\n"
KEPT = "from airflow.operators.empty import EmptyOperator as DummyOperator\n"

SHADOWING = {
    "parameter": "def g(DummyOperator=None):\n    return DummyOperator\n",
    "lambda": "h = lambda DummyOperator: DummyOperator\n",
    "class attribute": "class C:\n    DummyOperator = DummyOperator\n",
    "local variable": "def f():\n    DummyOperator = len\n    return DummyOperator\n",
    "class of the same name": "class DummyOperator(DummyOperator):\n    pass\n",
    "__all__": '__all__ = ["DummyOperator"]\n',
    "string annotation": 'def make() -> "DummyOperator":\n    return DummyOperator(task_id="t")\n',
    "global": "def f():\n    global DummyOperator\n    DummyOperator = None\n",
}


@pytest.mark.parametrize("case", sorted(SHADOWING))
def test_a_name_bound_or_named_elsewhere_keeps_its_spelling(case: str):
    body = SHADOWING[case] + 't = DummyOperator(task_id="t")\n'
    check_transformed(IMPORT + body, KEPT + body, target="2")


def test_a_parenthesized_import_keeps_the_name_too():
    body = "def g(DummyOperator=None):\n    return DummyOperator\n"
    check_transformed(
        "from airflow.operators.dummy_operator import (\n    DummyOperator,\n)\n" + body,
        "from airflow.operators.empty import (\n    EmptyOperator as DummyOperator,\n)\n" + body,
        target="2",
    )


def test_without_other_bindings_the_uses_are_renamed():
    check_transformed(
        IMPORT + 't = DummyOperator(task_id="t")\n',
        'from airflow.operators.empty import EmptyOperator\nt = EmptyOperator(task_id="t")\n',
        target="2",
    )


@pytest.mark.parametrize("target", ["2.0", "2", "3"])
@pytest.mark.parametrize(
    "test",
    ['airflow.__version__.startswith("1.")', "AIRFLOW_V_1_10", 'AIRFLOW_VERSION < Version("2.0")'],
)
def test_a_version_switch_is_compat_code(target: str, test: str):
    check_noop(
        "import airflow\n"
        f"if {test}:\n"
        "    from airflow.operators.bash_operator import BashOperator\n"
        "else:\n"
        "    from airflow.operators.bash import BashOperator\n"
        't = BashOperator(task_id="t", bash_command="echo")\n',
        target=target,
    )


def test_an_if_without_a_version_test_is_migrated():
    check_transformed(
        "import os\nif os.environ.get('X'):\n    from airflow.operators.bash_operator import BashOperator\n"
        "else:\n    BashOperator = None\n",
        "import os\nif os.environ.get('X'):\n    from airflow.operators.bash import BashOperator\n"
        "else:\n    BashOperator = None\n",
        target="2",
    )
