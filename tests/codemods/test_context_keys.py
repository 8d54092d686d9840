from tests.codemods.helpers import check_noop, check_transformed, diagnostics


def test_kwargs_subscript_and_get():
    check_transformed(
        """\
        def load(**kwargs):
            start = kwargs["execution_date"]
            end = kwargs.get('next_execution_date')
            return start, end
        """,
        """\
        def load(**kwargs):
            start = kwargs["logical_date"]
            end = kwargs.get('next_execution_date')
            return start, end
        """,
        target="2",
        select=["AU202"],
    )


def test_data_interval_keys_are_unsafe_fixes():
    # `data_interval_end` is `next_execution_date` only for scheduled runs: a manual run's data
    # interval ends before its trigger time.
    source = """\
        def load(**kwargs):
            start = kwargs["execution_date"]
            end = kwargs.get('next_execution_date')
            last = kwargs["prev_execution_date_success"]
        """
    check_transformed(
        source,
        """\
        def load(**kwargs):
            start = kwargs["logical_date"]
            end = kwargs.get('data_interval_end')
            last = kwargs["prev_data_interval_start_success"]
        """,
        target="2",
        select=["AU202"],
        unsafe=True,
    )
    found = diagnostics(source, target="2", select=["AU202"])
    assert [(d.line, d.fix) for d in found] == [(2, "safe"), (3, "unsafe"), (4, "unsafe")]
    assert "every run" in found[0].message and "scheduled runs only" in found[1].message


def test_execute_context_and_next_ds_expression():
    check_transformed(
        """\
        from airflow.models import BaseOperator
        class Loader(BaseOperator):
            def execute(self, context):
                day = context["next_ds"]
                raw = context['next_ds_nodash']
        """,
        """\
        from airflow.models import BaseOperator
        class Loader(BaseOperator):
            def execute(self, context):
                day = context["data_interval_end"].strftime("%Y-%m-%d")
                raw = context['data_interval_end'].strftime('%Y%m%d')
        """,
        target="3",
        select=["AU202"],
        unsafe=True,
    )


def test_get_current_context_variable_and_direct_call():
    check_transformed(
        """\
        from airflow.operators.python import get_current_context
        def f():
            ctx = get_current_context()
            a = ctx["execution_date"]
            b = get_current_context()["next_execution_date"]
        """,
        """\
        from airflow.operators.python import get_current_context
        def f():
            ctx = get_current_context()
            a = ctx["logical_date"]
            b = get_current_context()["data_interval_end"]
        """,
        target="2",
        select=["AU202"],
        unsafe=True,
    )


def test_parameters_passed_by_name_are_renamed_with_their_uses():
    check_transformed(
        """\
        def report(ds, execution_date, **_):
            print(ds, execution_date.year, execution_date)
            other(execution_date=execution_date)
            obj.execution_date = 1
        """,
        """\
        def report(ds, logical_date, **_):
            print(ds, logical_date.year, logical_date)
            other(execution_date=logical_date)
            obj.execution_date = 1
        """,
        target="2",
        select=["AU202"],
    )


def test_parameter_not_renamed_when_new_name_is_taken_or_no_simple_replacement():
    source = """\
        def a(execution_date, logical_date, **kw):
            return execution_date
        def b(next_ds, **kw):
            return next_ds
        """
    check_noop(source, target="2", select=["AU202"])
    found = diagnostics(source, target="2", select=["AU202"])
    assert [(d.line, d.fix) for d in found] == [(1, None), (3, None)]


def test_unsafe_ds_arithmetic_and_manual_prev_ds():
    source = """\
        def f(**context):
            y = context["yesterday_ds"]
            p = context["prev_ds"]
        """
    check_noop(source, target="2", select=["AU202"])
    check_transformed(
        source,
        """\
        def f(**context):
            y = context["macros"].ds_add(context["ds"], -1)
            p = context["prev_ds"]
        """,
        target="2",
        select=["AU202"],
        unsafe=True,
    )
    found = diagnostics(source, target="2", select=["AU202"])
    assert [(d.line, d.fix) for d in found] == [(2, "unsafe"), (3, None)]
    assert "daily" in found[1].message


def test_other_dicts_and_old_targets_untouched():
    source = """\
        row = {"execution_date": 1}
        row["execution_date"]
        def f(x):
            return x["execution_date"]
        def g(**kwargs):
            return kwargs["execution_date"]
        """
    for target in ("2.0", "2.1"):
        check_noop(source, target=target, select=["AU2"])
        assert diagnostics(source, target=target, select=["AU2"]) == []
    assert [d.line for d in diagnostics(source, target="3", select=["AU202"])] == [6]
    check_noop(source.replace('kwargs["execution_date"]', "kwargs"), target="3", select=["AU202"])


def test_run_object_execution_date_attribute():
    source = """\
        def f(dag_run, ti, **kwargs):
            a = kwargs["dag_run"].execution_date
            b = kwargs['ti'].execution_date
            c = dag_run.execution_date
            d = ti.execution_date
            e = other.execution_date
        """
    check_transformed(
        source,
        """\
        def f(dag_run, ti, **kwargs):
            a = kwargs["dag_run"].logical_date
            b = kwargs['dag_run'].logical_date
            c = dag_run.logical_date
            d = ti.execution_date
            e = other.execution_date
        """,
        target="3",
        select=["AU202"],
    )
    found = diagnostics(source, target="3", select=["AU202"])
    assert [(d.line, d.fix) for d in found] == [(2, "safe"), (3, "safe"), (4, "safe"), (5, None)]


def test_bridge_on_3_reads_the_key_each_context_has():
    check_transformed(
        """\
        def load(**kwargs):
            return kwargs["execution_date"], kwargs['next_execution_date'], kwargs["next_ds"]
        """,
        """\
        def load(**kwargs):
            return kwargs["logical_date" if "logical_date" in kwargs else "execution_date"], kwargs['data_interval_end' if 'data_interval_end' in kwargs else 'next_execution_date'], kwargs["next_ds"]
        """,
        target="3",
        select=["AU202"],
        unsafe=True,
        bridge=True,
    )


def test_closing_the_bridge_keeps_the_new_key():
    check_transformed(
        """\
        def load(**kwargs):
            return kwargs["logical_date" if "logical_date" in kwargs else "execution_date"], kwargs["a" if "a" in kwargs else "b"]
        """,
        """\
        def load(**kwargs):
            return kwargs["logical_date"], kwargs["a" if "a" in kwargs else "b"]
        """,
        target="3",
        select=["AU202"],
        close_bridge=True,
    )
