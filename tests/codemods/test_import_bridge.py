"""AU103 (`fix --close-bridge`): import bridges collapse to the import the target wants."""

import pytest

from tests.codemods.helpers import check_noop, check_transformed, diagnostics, run_fix


def test_bridge_collapses_to_its_try_branch():
    check_transformed(
        """\
        import os
        try:
            from airflow.operators.bash import BashOperator  # the new home
        except ImportError:  # Airflow 1.10
            from airflow.operators.bash_operator import BashOperator
        t = BashOperator
        """,
        """\
        import os
        from airflow.operators.bash import BashOperator  # the new home
        t = BashOperator
        """,
        target="2",
        close_bridge=True,
    )


def test_nested_and_hand_written_pairs():
    check_transformed(
        """\
        def f():
            try:
                from airflow.operators.python import PythonOperator, BranchPythonOperator
            except (ImportError, ModuleNotFoundError):
                # 1.10
                from airflow.operators.python_operator import PythonOperator
                from airflow.operators.python_operator import BranchPythonOperator
            return PythonOperator
        """,
        """\
        def f():
            from airflow.operators.python import PythonOperator, BranchPythonOperator
            return PythonOperator
        """,
        target="2",
        close_bridge=True,
    )


@pytest.mark.parametrize(
    "source",
    [
        # the try branch itself is not what the target wants (deprecated on 2.x)
        """\
        try:
            from airflow.operators.bash_operator import BashOperator
        except ImportError:
            from airflow.operators.bash import BashOperator
        """,
        # the except branch binds a name the try branch does not
        """\
        try:
            from airflow.operators.bash import BashOperator
        except ImportError:
            from airflow.operators.bash_operator import BashOperator
            HAS_NEW = False
        """,
        """\
        try:
            from airflow.operators.bash import BashOperator
        except ImportError as exc:
            from airflow.operators.bash_operator import BashOperator
        """,
        """\
        try:
            from airflow.operators.bash import BashOperator
        except Exception:
            from airflow.operators.bash_operator import BashOperator
        """,
        """\
        try:
            from airflow.operators.bash import BashOperator
        except ImportError:
            from airflow.operators.bash_operator import BashOperator
        else:
            NEW = True
        """,
        # a fallback for another library than Airflow
        """\
        try:
            import queue
        except ImportError:
            import Queue as queue
        """,
    ],
)
def test_other_try_statements_stay(source):
    check_noop(source, target="2", close_bridge=True, select=["AU103"])


def test_only_with_close_bridge():
    source = """\
        try:
            from airflow.operators.bash import BashOperator
        except ImportError:
            from airflow.operators.bash_operator import BashOperator
        """
    check_noop(source, target="2")
    assert diagnostics(source, target="2") == []
    _, result = run_fix(source, target="2", close_bridge=True, fix=False)
    assert [(d.code, d.line, d.col) for d in result.diagnostics] == [("AU103", 1, 1)]
