from tests.codemods.helpers import check_noop, check_transformed, diagnostics, run_fix


def test_schedule_interval_and_timetable_become_schedule():
    check_transformed(
        """\
        from airflow import DAG
        from airflow.models import DAG as D
        a = DAG("a", schedule_interval="@daily", start_date=s)
        b = D(
            "b",
            timetable=my_timetable,
        )
        """,
        """\
        from airflow import DAG
        from airflow.models import DAG as D
        a = DAG("a", schedule="@daily", start_date=s)
        b = D(
            "b",
            schedule=my_timetable,
        )
        """,
        target="3",
        select=["AU301"],
    )


def test_schedule_rules_only_for_target_3():
    source = """\
        from airflow import DAG
        dag = DAG("a", schedule_interval="@daily", concurrency=4)
        """
    for target in ("2.0", "2.2", "2"):
        check_noop(source, target=target, select=["AU3"])


def test_both_schedule_arguments_is_a_diagnostic():
    source = """\
        from airflow import DAG
        dag = DAG("a", schedule_interval="@daily", schedule="@hourly")
        """
    check_noop(source, target="3", select=["AU301"])
    assert [d.fix for d in diagnostics(source, target="3", select=["AU301"])] == [None]


def test_concurrency_renamed_on_dags_only():
    check_transformed(
        """\
        from airflow import DAG
        from airflow.operators.bash_operator import BashOperator
        dag = DAG("a", concurrency=4)
        t = BashOperator(task_id="t", bash_command="x", pool="p")
        other(concurrency=4)
        """,
        """\
        from airflow import DAG
        from airflow.operators.bash_operator import BashOperator
        dag = DAG("a", max_active_tasks=4)
        t = BashOperator(task_id="t", bash_command="x", pool="p")
        other(concurrency=4)
        """,
        target="3",
        select=["AU302"],
    )


def test_task_concurrency_in_operators_and_default_args():
    check_transformed(
        """\
        from airflow.operators.bash_operator import BashOperator
        default_args = {"owner": "a", 'task_concurrency': 1}
        t = BashOperator(task_id="t", bash_command="x", task_concurrency=2)
        """,
        """\
        from airflow.operators.bash_operator import BashOperator
        default_args = {"owner": "a", 'max_active_tis_per_dag': 1}
        t = BashOperator(task_id="t", bash_command="x", max_active_tis_per_dag=2)
        """,
        target="3",
        select=["AU303"],
    )


def test_catchup_made_explicit_only_with_unsafe_fixes():
    source = """\
        from airflow import DAG
        a = DAG("a", schedule_interval="@daily")
        b = DAG(
            "b",
            schedule_interval="0 3 * * *",
            default_args=args,
        )
        c = DAG("c", schedule_interval=None)
        d = DAG("d", schedule_interval="@daily", catchup=False)
        e = DAG("e", **kwargs)
        """
    check_noop(source, target="3", select=["AU304"])
    assert [d.line for d in diagnostics(source, target="3", select=["AU304"])] == [2, 3]
    check_transformed(
        source,
        """\
        from airflow import DAG
        a = DAG("a", schedule_interval="@daily", catchup=True)
        b = DAG(
            "b",
            schedule_interval="0 3 * * *",
            default_args=args,
            catchup=True,
        )
        c = DAG("c", schedule_interval=None)
        d = DAG("d", schedule_interval="@daily", catchup=False)
        e = DAG("e", **kwargs)
        """,
        target="3",
        select=["AU304"],
        unsafe=True,
    )


def test_catchup_typo_is_not_overridden_but_reported():
    source = """\
        from airflow import DAG
        dag = DAG("a", schedule_interval="@daily", catchUp=False)
        """
    check_noop(source, target="3", select=["AU304", "AU401"], unsafe=True)
    (d,) = diagnostics(source, target="3", select=["AU304", "AU401"])
    assert d.code == "AU401" and "`catchup`" in d.message and (d.line, d.col) == (2, 44)


def test_days_ago_becomes_pendulum_and_import_replaced():
    check_transformed(
        """\
        from airflow import DAG
        from airflow.utils.dates import days_ago

        args = {"start_date": days_ago(2)}
        dag = DAG("a", start_date=days_ago(1, hour=3))
        """,
        """\
        from airflow import DAG
        import pendulum

        args = {"start_date": pendulum.today("UTC").add(days=-2)}
        dag = DAG("a", start_date=pendulum.today("UTC").add(days=-1, hours=3))
        """,
        target="3",
        select=["AU305"],
    )


def test_days_ago_kept_import_when_other_names_and_pendulum_present():
    check_transformed(
        """\
        import pendulum
        from airflow.utils.dates import days_ago, cron_presets
        import airflow.utils.dates as dates
        start = dates.days_ago(n + 1)
        """,
        """\
        import pendulum
        from airflow.utils.dates import days_ago, cron_presets
        import airflow.utils.dates as dates
        start = pendulum.today("UTC").add(days=-(n + 1))
        """,
        target="3",
        select=["AU305"],
    )


def test_days_ago_still_referenced_keeps_import_and_adds_pendulum():
    check_transformed(
        """\
        from airflow.utils.dates import days_ago
        start = days_ago(0)
        helper = days_ago
        """,
        """\
        from airflow.utils.dates import days_ago
        import pendulum
        start = pendulum.today("UTC").add(days=0)
        helper = days_ago
        """,
        target="3",
        select=["AU305"],
    )


def test_days_ago_called_through_another_binding_of_the_name_is_left_alone():
    check_transformed(
        """\
        from airflow.utils.dates import days_ago
        start = days_ago(1)
        def f(days_ago):
            return days_ago(3)
        for days_ago in (len, abs):
            days_ago(2)
        """,
        """\
        import pendulum
        start = pendulum.today("UTC").add(days=-1)
        def f(days_ago):
            return days_ago(3)
        for days_ago in (len, abs):
            days_ago(2)
        """,
        target="3",
        select=["AU305"],
    )


def test_unknown_dag_arguments_and_removed_ones():
    found = diagnostics(
        """\
        from airflow import DAG
        dag = DAG("a", max_active_run=1, full_filepath="f", shedule_interval="@daily", banana=1)
        """,
        target="3",
        select=["AU401"],
    )
    messages = [d.message for d in found]
    assert "did you mean `max_active_runs`" in messages[0]
    assert "1.10" in messages[1] and "full_filepath" in messages[1]
    assert "did you mean `schedule`" in messages[2] or "shedule_interval" in messages[2]
    assert "no argument `banana`" in messages[3]
    assert all(d.fix is None for d in found)


def test_default_args_typos_and_dag_only_keys():
    found = diagnostics(
        """\
        default_args = {
            "owner": "a",
            "catchUp": False,
            "retry_Delay": 5,
            "max_active_runs": 1,
            "bash_command": "ok: operator-specific",
        }
        """,
        target="2",
        select=["AU401"],
    )
    assert [(d.line, d.code) for d in found] == [(3, "AU401"), (4, "AU401"), (5, "AU401")]
    assert "`catchup`" in found[0].message and "DAG(...)" in found[0].message
    assert "`retry_delay`" in found[1].message
    assert "DAG argument" in found[2].message


def test_operator_keyword_typo():
    (d,) = diagnostics(
        """\
        from airflow.operators.bash_operator import BashOperator
        t = BashOperator(task_id="t", bash_command="x", Retries=3, env={})
        """,
        target="2",
        select=["AU401"],
    )
    assert "`retries`" in d.message


def test_valid_arguments_are_silent():
    check_noop(
        """\
        from airflow import DAG
        dag = DAG("a", schedule_interval="@daily", catchup=False, default_args=args, tags=["x"])
        """,
        target="2",
        select=["AU401"],
    )
    assert (
        diagnostics(
            "from airflow import DAG\ndag = DAG('a', schedule_interval='@daily')\n",
            target="2",
            select=["AU401"],
        )
        == []
    )


def test_dag_built_inside_an_import_guard_is_still_migrated():
    # 1.10's example_kubernetes_operator builds its DAG inside `try: ... except ImportError`;
    # only the guarded imports are compat code, not the DAG built there.
    check_transformed(
        """\
        from airflow.models import DAG
        from airflow.utils.dates import days_ago
        try:
            from airflow.contrib.operators.kubernetes_pod_operator import KubernetesPodOperator
            with DAG("k", default_args={"start_date": days_ago(2)}, schedule_interval=None) as dag:
                pass
        except ImportError:
            pass
        """,
        """\
        from airflow.models import DAG
        import pendulum
        try:
            from airflow.contrib.operators.kubernetes_pod_operator import KubernetesPodOperator
            with DAG("k", default_args={"start_date": pendulum.today("UTC").add(days=-2)}, schedule=None) as dag:
                pass
        except ImportError:
            pass
        """,
        target="3",
        select=["AU301", "AU305"],
    )


def test_days_ago_import_further_down_gives_its_place_to_pendulum():
    check_transformed(
        """\
        \"\"\"Doc.\"\"\"
        from airflow import DAG
        x = 1
        from airflow.utils.dates import days_ago
        dag = DAG("a", start_date=days_ago(1))
        """,
        """\
        \"\"\"Doc.\"\"\"
        from airflow import DAG
        x = 1
        import pendulum
        dag = DAG("a", start_date=pendulum.today("UTC").add(days=-1))
        """,
        target="3",
        select=["AU305"],
    )


def test_days_ago_imported_in_a_function_puts_pendulum_first():
    check_transformed(
        """\
        def make():
            from airflow.utils.dates import days_ago
            return days_ago(1)
        """,
        """\
        import pendulum
        def make():
            from airflow.utils.dates import days_ago
            return pendulum.today("UTC").add(days=-1)
        """,
        target="3",
        select=["AU305"],
    )


def test_pendulum_goes_after_the_first_import_block_when_days_ago_stays():
    check_transformed(
        """\
        from airflow.utils.dates import days_ago
        from airflow import DAG

        start = days_ago(2)
        later = days_ago
        """,
        """\
        from airflow.utils.dates import days_ago
        from airflow import DAG
        import pendulum

        start = pendulum.today("UTC").add(days=-2)
        later = days_ago
        """,
        target="3",
        select=["AU305"],
    )


def test_dag_subclass_init_arguments_are_dag_arguments():
    check_transformed(
        """\
        from airflow.models import DAG
        class Company(DAG):
            def __init__(self, dag_id, **kwargs):
                super().__init__(dag_id, schedule_interval="@daily", concurrency=4, **kwargs)
        class Team(Company):
            pass
        class Squad(Team):
            def __init__(self, dag_id):
                super(Squad, self).__init__(dag_id, concurrency=2)
                DAG.__init__(self, dag_id, timetable=t)
        """,
        """\
        from airflow.models import DAG
        class Company(DAG):
            def __init__(self, dag_id, **kwargs):
                super().__init__(dag_id, schedule="@daily", max_active_tasks=4, **kwargs)
        class Team(Company):
            pass
        class Squad(Team):
            def __init__(self, dag_id):
                super(Squad, self).__init__(dag_id, concurrency=2)
                DAG.__init__(self, dag_id, schedule=t)
        """,
        target="3",
        select=["AU301", "AU302"],
    )


def test_init_calls_outside_dag_subclasses_untouched():
    check_noop(
        """\
        from airflow.models import DAG
        class Plain(Base):
            def __init__(self):
                super().__init__(schedule_interval="@daily", concurrency=4)
        class Mine(DAG):
            def setup(self):
                super().__init__(schedule_interval="@daily")
        """,
        target="3",
        select=["AU301", "AU302"],
    )


def test_operator_subclass_init_arguments_are_operator_arguments():
    check_transformed(
        """\
        from airflow.models import BaseOperator
        from airflow.operators.bash_operator import BashOperator
        class Limited(BaseOperator):
            def __init__(self, **kwargs):
                super().__init__(task_concurrency=1, **kwargs)
        class Shell(BashOperator):
            def __init__(self, cmd, **kwargs):
                BashOperator.__init__(self, bash_command=cmd, task_concurrency=2, **kwargs)
        """,
        """\
        from airflow.models import BaseOperator
        from airflow.operators.bash_operator import BashOperator
        class Limited(BaseOperator):
            def __init__(self, **kwargs):
                super().__init__(max_active_tis_per_dag=1, **kwargs)
        class Shell(BashOperator):
            def __init__(self, cmd, **kwargs):
                BashOperator.__init__(self, bash_command=cmd, max_active_tis_per_dag=2, **kwargs)
        """,
        target="3",
        select=["AU303"],
    )


def test_company_dag_wrapper_gets_the_same_fixes_unsafe():
    source = """\
        from company_airflow import DAG
        with DAG("a", schedule_interval="@daily", concurrency=4, default_view="graph") as dag:
            pass
        """
    check_noop(source, target="3", select=["AU301", "AU302", "AU304", "AU309"])
    found = diagnostics(source, target="3", select=["AU301", "AU302", "AU304", "AU309"])
    assert [(d.code, d.fix) for d in found] == [
        ("AU304", "unsafe"),
        ("AU301", "unsafe"),
        ("AU302", "unsafe"),
        ("AU309", "unsafe"),
    ]
    assert all("not Airflow's" in d.message for d in found)
    check_transformed(
        source,
        """\
        from company_airflow import DAG
        with DAG("a", schedule="@daily", max_active_tasks=4, catchup=True) as dag:
            pass
        """,
        target="3",
        select=["AU301", "AU302", "AU304", "AU309"],
        unsafe=True,
    )
    # other calls are not DAGs
    check_noop(
        'from x import Dag\nd = Dag("a", schedule_interval="@daily")\n',
        target="3",
        select=["AU301"],
        unsafe=True,
    )


def test_declared_dag_wrapper_gets_the_renames_safe_and_catchup_stays_unsafe():
    source = """\
        from company_airflow import DAG
        import other_airflow
        with DAG("a", schedule_interval="@daily", concurrency=4, default_view="graph") as dag:
            pass
        other = other_airflow.DAG("b", schedule_interval="@daily")
        """
    declared = {"dag_wrappers": ("company_airflow.DAG",)}
    check_transformed(
        source,
        """\
        from company_airflow import DAG
        import other_airflow
        with DAG("a", schedule="@daily", max_active_tasks=4) as dag:
            pass
        other = other_airflow.DAG("b", schedule_interval="@daily")
        """,
        target="3",
        select=["AU301", "AU302", "AU304", "AU309"],
        **declared,
    )
    _, result = run_fix(source, target="3", select=["AU301", "AU302", "AU304", "AU309"], **declared)
    found = {(d.line, d.code): (d.fix, d.message) for d in result.diagnostics}
    assert found[(3, "AU301")][0] == "safe" and "the `dag-wrappers` setting says" in found[(3, "AU301")][1]
    assert found[(3, "AU304")][0] == "unsafe"  # the wrapper may give catchup its own default
    assert (
        found[(5, "AU301")][0] == "unsafe"
        and "name it in the `dag-wrappers` setting" in found[(5, "AU301")][1]
    )
