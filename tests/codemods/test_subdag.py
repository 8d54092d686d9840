from tests.codemods.helpers import check_noop, check_transformed, diagnostics

SRC = """\
from airflow.operators.subdag_operator import SubDagOperator
from airflow.executors.sequential_executor import SequentialExecutor
s = SubDagOperator(
    task_id="section",
    subdag=sub,
    executor=SequentialExecutor(),
)
"""


def test_executor_removal_is_unsafe_only():
    check_noop(SRC, select=["AU131"])
    check_transformed(
        SRC,
        """\
from airflow.operators.subdag_operator import SubDagOperator
from airflow.executors.sequential_executor import SequentialExecutor
s = SubDagOperator(
    task_id="section",
    subdag=sub,
)
""",
        select=["AU131"],
        unsafe=True,
    )


def test_operator_reported_per_target():
    found = diagnostics(SRC, select=["AU131"])
    assert sorted((d.line, d.fix) for d in found) == [(3, None), (6, "unsafe")]
    assert "deprecated since Airflow 2.0" in found[0].message + found[1].message
    (removed, executor) = sorted(diagnostics(SRC, target="3", select=["AU131"]), key=lambda d: d.line)
    assert "removed in Airflow 3.0" in removed.message and "TaskGroup" in removed.message
    assert "SequentialExecutor ran one at a time" in executor.message


def test_new_path_and_other_classes():
    src = """\
        from airflow.operators.subdag import SubDagOperator
        from mylib import SubDagOperator as Mine
        a = SubDagOperator(task_id="a", subdag=s)
        b = Mine(task_id="b", executor=e)
        """
    assert [d.line for d in diagnostics(src, select=["AU131"])] == [3]
