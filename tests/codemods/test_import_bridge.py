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


def test_pairs_catching_builtins_import_error_collapse_and_import_builtins_goes():
    # the form `fix --bridge` writes in a file that binds `ImportError` itself
    check_transformed(
        """\
        import os
        import builtins
        try:
            from airflow.jobs.job import Job
        except builtins.ImportError:  # Airflow 1.10
            from airflow.jobs import BaseJob as Job
        try:
            from airflow.models.errors import ParseImportError as ImportError
        except (builtins.ImportError, builtins.ModuleNotFoundError):
            from airflow.models import ImportError
        models = [Job, ImportError]
        """,
        """\
        import os
        from airflow.jobs.job import Job
        from airflow.models.errors import ParseImportError as ImportError
        models = [Job, ImportError]
        """,
        target="2",
        close_bridge=True,
    )


@pytest.mark.parametrize(
    "rest",
    [
        # another use of `builtins`
        "print(builtins.len)\n",
        # a pair that does not collapse (its try branch is not what the target wants) still reads it
        "try:\n    from airflow.operators.bash_operator import BashOperator\n"
        "except builtins.ImportError:\n    from airflow.operators.bash import BashOperator\n",
    ],
)
def test_import_builtins_stays_while_something_reads_it(rest):
    source = (
        "import builtins\n"
        "try:\n"
        "    from airflow.jobs.job import Job\n"
        "except builtins.ImportError:  # Airflow 1.10\n"
        "    from airflow.jobs import BaseJob as Job\n"
    ) + rest
    _, result = run_fix(source, target="2", close_bridge=True, select=["AU103"])
    assert result.new_source == ("import builtins\nfrom airflow.jobs.job import Job\n" + rest).encode()


def test_other_attribute_spellings_are_no_bridge():
    check_noop(
        """\
        try:
            from airflow.jobs.job import Job
        except errors.ImportError:
            from airflow.jobs import BaseJob as Job
        """,
        target="2",
        close_bridge=True,
        select=["AU103"],
    )


def test_closed_with_other_fixes_of_the_same_statements():
    # AU140 drops the apply_defaults import: the statement after it (the bridge, which this rule
    # closes by byte edits) takes the blank line above it
    check_transformed(
        """\
        from __future__ import division

        from airflow.utils import apply_defaults

        try:
            from airflow.providers.amazon.aws.operators.emr import EmrAddStepsOperator
        except ImportError:  # Airflow 1.10
            from airflow.contrib.operators.emr_add_steps_operator import EmrAddStepsOperator


        class Op(EmrAddStepsOperator):
            @apply_defaults
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
        """,
        """\
        from __future__ import division


        from airflow.providers.amazon.aws.operators.emr import EmrAddStepsOperator


        class Op(EmrAddStepsOperator):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
        """,
        target="3",
        close_bridge=True,
    )
    # the lines a closed bridge lost: a rewrite further down the same block is found all the same
    check_transformed(
        """\
        from airflow.utils.dates import days_ago
        try:
            try:
                from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator
            except ImportError:  # Airflow 1.10
                from airflow.contrib.operators.kubernetes_pod_operator import KubernetesPodOperator
            args = {"start_date": days_ago(0)}
        except ImportError:
            pass
        """,
        """\
        import pendulum
        try:
            from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator
            args = {"start_date": pendulum.today("UTC").add(days=0)}
        except ImportError:
            pass
        """,
        target="3",
        close_bridge=True,
    )
    # an import another fix adds after the import block, whose last statement is a closed bridge
    check_transformed(
        """\
        import airflow
        try:
            from airflow.sdk import DAG
        except ImportError:  # Airflow 1.10
            from airflow.models import DAG
        START = airflow.utils.dates.days_ago(1)
        """,
        """\
        import airflow
        from airflow.sdk import DAG
        import pendulum
        START = pendulum.today("UTC").add(days=-1)
        """,
        target="3",
        close_bridge=True,
    )
