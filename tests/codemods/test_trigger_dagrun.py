from tests.codemods.helpers import check_noop, diagnostics


def test_python_callable_reported_without_fix():
    src = """\
        from airflow.operators.dagrun_operator import TriggerDagRunOperator as Trigger
        def set_payload(context, dag_run_obj):
            dag_run_obj.payload = {"x": 1}
            return dag_run_obj
        t = Trigger(task_id="t", trigger_dag_id="other", python_callable=set_payload)
        """
    check_noop(src, select=["AU130"])
    (d,) = diagnostics(src, select=["AU130"])
    assert (d.code, d.line, d.col, d.fix) == ("AU130", 5, 50, None)
    assert "conf=" in d.message and "ShortCircuitOperator" in d.message


def test_attribute_form_and_conf_only_call():
    src = """\
        import airflow.operators.dagrun_operator as dro
        a = dro.TriggerDagRunOperator(task_id="a", trigger_dag_id="o", python_callable=lambda c, d: d)
        b = dro.TriggerDagRunOperator(task_id="b", trigger_dag_id="o", conf={"x": 1})
        """
    assert [d.line for d in diagnostics(src, select=["AU130"])] == [2]


def test_other_classes_ignored():
    assert (
        diagnostics(
            """\
        from mylib import TriggerDagRunOperator
        t = TriggerDagRunOperator(task_id="t", python_callable=f)
        """,
            select=["AU130"],
        )
        == []
    )
