from tests.codemods.helpers import check_noop, check_transformed, diagnostics


def test_string_and_enum_forms():
    check_transformed(
        """\
        from airflow.operators.dummy_operator import DummyOperator
        from airflow.utils.trigger_rule import TriggerRule
        from airflow.utils import trigger_rule as tr
        a = DummyOperator(task_id="a", trigger_rule='none_failed_or_skipped')
        b = DummyOperator(task_id="b", trigger_rule=TriggerRule.DUMMY)
        c = DummyOperator(task_id="c", trigger_rule=tr.TriggerRule.NONE_FAILED_OR_SKIPPED)
        default_args = {"owner": "x", "trigger_rule": "dummy"}
        """,
        """\
        from airflow.operators.dummy_operator import DummyOperator
        from airflow.utils.trigger_rule import TriggerRule
        from airflow.utils import trigger_rule as tr
        a = DummyOperator(task_id="a", trigger_rule='none_failed_min_one_success')
        b = DummyOperator(task_id="b", trigger_rule=TriggerRule.ALWAYS)
        c = DummyOperator(task_id="c", trigger_rule=tr.TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS)
        default_args = {"owner": "x", "trigger_rule": "always"}
        """,
        target="3",
        select=["AU306"],
    )


def test_only_target_3_and_only_airflow_names():
    source = """\
        from airflow.operators.dummy_operator import DummyOperator
        from mylib import TriggerRule
        a = DummyOperator(task_id="a", trigger_rule="dummy")
        b = TriggerRule.DUMMY
        c = call(trigger_rule="dummy")
        """
    for target in ("2.0", "2"):
        check_noop(source, target=target, select=["AU3"])
    assert [d.line for d in diagnostics(source, target="3", select=["AU306"])] == [3]
