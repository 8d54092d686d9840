from tests.codemods.helpers import check_noop, check_transformed, diagnostics


def test_removes_keyword_from_python_operator():
    check_transformed(
        """\
        from airflow.operators.python_operator import PythonOperator
        t = PythonOperator(task_id="t", python_callable=f, provide_context=True, dag=dag)
        """,
        """\
        from airflow.operators.python_operator import PythonOperator
        t = PythonOperator(task_id="t", python_callable=f, dag=dag)
        """,
        select=["AU110"],
    )


def test_last_argument_on_its_own_line_keeps_layout():
    check_transformed(
        """\
        from airflow.operators.python_operator import PythonOperator as PO
        t = PO(
            task_id="t",
            python_callable=f,
            provide_context=True,
        )
        """,
        """\
        from airflow.operators.python_operator import PythonOperator as PO
        t = PO(
            task_id="t",
            python_callable=f,
        )
        """,
        select=["AU110"],
    )


def test_attribute_form_and_branch_operator():
    check_transformed(
        """\
        import airflow.operators.python_operator as po
        t = po.BranchPythonOperator(task_id="t", provide_context=True, python_callable=f)
        """,
        """\
        import airflow.operators.python_operator as po
        t = po.BranchPythonOperator(task_id="t", python_callable=f)
        """,
        select=["AU110"],
    )


def test_default_args_dict_literal():
    check_transformed(
        """\
        default_args = {
            "owner": "airflow",
            "provide_context": True,
        }
        """,
        """\
        default_args = {
            "owner": "airflow",
        }
        """,
        select=["AU110"],
    )


def test_default_args_passed_inline_as_dict_call():
    check_transformed(
        """\
        from airflow import DAG
        dag = DAG("d", default_args=dict(owner="a", provide_context=True))
        """,
        """\
        from airflow import DAG
        dag = DAG("d", default_args=dict(owner="a"))
        """,
        select=["AU110"],
    )


def test_other_callables_and_dicts_untouched():
    check_noop(
        """\
        from mylib import PythonOperator
        t = PythonOperator(task_id="t", provide_context=True)
        op_kwargs = {"provide_context": 1}
        call(provide_context=True)
        """,
        select=["AU110"],
    )


def test_check_reports_position_and_fix_flag():
    (d,) = diagnostics(
        """\
        from airflow.operators.python_operator import PythonOperator
        t = PythonOperator(task_id="t",
                           provide_context=True)
        """,
        select=["AU110"],
    )
    assert (d.code, d.line, d.col, d.fix, d.applied) == ("AU110", 3, 20, "safe", False)
    assert "provide_context" in d.message


def test_comments_below_the_removed_entry_are_kept():
    check_transformed(
        """\
        default_args = {
            "owner": "airflow",
            "provide_context": True,
            # why the next key is here
            "retries": 1,
        }
        """,
        """\
        default_args = {
            "owner": "airflow",
            # why the next key is here
            "retries": 1,
        }
        """,
        select=["AU110"],
    )


def test_middle_argument_on_one_line():
    check_transformed(
        """\
        from airflow.operators.python_operator import PythonOperator
        t = PythonOperator(task_id="t",  provide_context=True,   python_callable=f)
        """,
        """\
        from airflow.operators.python_operator import PythonOperator
        t = PythonOperator(task_id="t",   python_callable=f)
        """,
        select=["AU110"],
    )


def test_other_airflow_operators_lose_it_too():
    # 1.10's BaseOperator ignored the unknown keyword (PendingDeprecationWarning); 2.0 rejects it
    check_transformed(
        """\
        from airflow.operators.bash_operator import BashOperator
        from airflow.contrib.sensors.file_sensor import FileSensor
        t = BashOperator(task_id="t", bash_command="x", provide_context=True)
        s = FileSensor(task_id="s", filepath="/x", provide_context=True)
        """,
        """\
        from airflow.operators.bash_operator import BashOperator
        from airflow.contrib.sensors.file_sensor import FileSensor
        t = BashOperator(task_id="t", bash_command="x")
        s = FileSensor(task_id="s", filepath="/x")
        """,
        select=["AU110"],
    )
    (d, _) = diagnostics(
        """\
        from airflow.operators.bash_operator import BashOperator
        from airflow.contrib.sensors.file_sensor import FileSensor
        t = BashOperator(task_id="t", bash_command="x", provide_context=True)
        s = FileSensor(task_id="s", filepath="/x", provide_context=True)
        """,
        select=["AU110"],
    )
    assert "never an argument of BashOperator" in d.message and "ignored" in d.message


def test_super_init_of_an_airflow_operator_subclass():
    check_transformed(
        """\
        from airflow.operators.python_operator import PythonOperator
        class LogInfoOperator(PythonOperator):
            def __init__(self, **kwargs):
                super().__init__(python_callable=log,
                                 provide_context=True,
                                 **kwargs)
        class Mine(Base):
            def __init__(self, **kwargs):
                super().__init__(provide_context=True, **kwargs)
        """,
        """\
        from airflow.operators.python_operator import PythonOperator
        class LogInfoOperator(PythonOperator):
            def __init__(self, **kwargs):
                super().__init__(python_callable=log,
                                 **kwargs)
        class Mine(Base):
            def __init__(self, **kwargs):
                super().__init__(provide_context=True, **kwargs)
        """,
        select=["AU110"],
    )


PYTHON_3 = "from airflow.providers.standard.operators.python import PythonOperator\n"
BASH_3 = "from airflow.providers.standard.operators.bash import BashOperator\n"


def test_bridge_on_3_passes_provide_context_on_1_10_only():
    # 1.10's PythonOperator needs provide_context=True to pass the context; 3.0's rejects the
    # keyword. default_args entries reach only operators that declare the parameter: kept.
    check_transformed(
        PYTHON_3
        + BASH_3
        + """\
default_args = {"owner": "x", "provide_context": True}
a = PythonOperator(
    task_id="a",
    python_callable=run,
    provide_context=True,  # needs ds
    dag=dag,
)
b = BashOperator(task_id="b", bash_command="echo", provide_context=True)


class Mine(PythonOperator):
    def __init__(self, **kwargs):
        super().__init__(provide_context=flag, **kwargs)
""",
        PYTHON_3
        + BASH_3
        + """\
from compat.context import provide_context_kwargs
default_args = {"owner": "x", "provide_context": True}
a = PythonOperator(
    task_id="a",
    python_callable=run,
    **provide_context_kwargs(True),  # needs ds
    dag=dag,
)
b = BashOperator(task_id="b", bash_command="echo")


class Mine(PythonOperator):
    def __init__(self, **kwargs):
        super().__init__(**provide_context_kwargs(flag), **kwargs)
""",
        target="3",
        select=["AU110"],
        bridge=True,
    )


def test_bridge_on_3_reports_what_it_cannot_write():
    from tests.codemods.helpers import run_fix

    source = PYTHON_3 + 'a = PythonOperator(task_id="a", provide_context=True, *args)\n'
    check_noop(source, target="3", select=["AU110"], bridge=True)
    _, result = run_fix(source, target="3", select=["AU110"], bridge=True)
    (finding,) = result.diagnostics
    assert finding.fix is None and "a `*args` argument follows it" in finding.message


def test_closing_the_bridge_removes_the_helper_call():
    check_transformed(
        PYTHON_3
        + """\
from compat.context import provide_context_kwargs
a = PythonOperator(task_id="a", python_callable=run, **provide_context_kwargs(True), dag=dag)
""",
        PYTHON_3
        + """\
a = PythonOperator(task_id="a", python_callable=run, dag=dag)
""",
        target="3",
        select=["AU110"],
        close_bridge=True,
    )


def test_bridge_on_2_passes_it_to_python_sensor_on_1_10_only():
    # 2.x's PythonOperator family pops provide_context (deprecated); PythonSensor rejects it.
    check_transformed(
        """\
        from airflow.sensors.python import PythonSensor
        from airflow.operators.python import PythonOperator
        s = PythonSensor(task_id="s", python_callable=ready, provide_context=True)
        p = PythonOperator(task_id="p", python_callable=run, provide_context=True)
        """,
        """\
        from airflow.sensors.python import PythonSensor
        from airflow.operators.python import PythonOperator
        from compat.context import provide_context_kwargs
        s = PythonSensor(task_id="s", python_callable=ready, **provide_context_kwargs(True))
        p = PythonOperator(task_id="p", python_callable=run, provide_context=True)
        """,
        target="2",
        select=["AU110"],
        bridge=True,
    )


def test_statement_after_a_form_feed():
    # LibCST drops the lead of a line up to its form feed: the rewrite still finds the call
    check_transformed(
        "from airflow.operators.python_operator import PythonOperator\n"
        '\x0ct1 = PythonOperator(task_id="t1", python_callable=len, provide_context=True)\n'
        "with dag:\n"
        '    t2 = PythonOperator(task_id="t2", python_callable=len, provide_context=True)\n'
        '\x0c    t3 = PythonOperator(task_id="t3", python_callable=len, provide_context=True)\n',
        "from airflow.operators.python_operator import PythonOperator\n"
        '\x0ct1 = PythonOperator(task_id="t1", python_callable=len)\n'
        "with dag:\n"
        '    t2 = PythonOperator(task_id="t2", python_callable=len)\n'
        '\x0c    t3 = PythonOperator(task_id="t3", python_callable=len)\n',
        select=["AU110"],
    )
