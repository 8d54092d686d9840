"""AU301 `schedule_interval=` -> `schedule=` (Airflow 3.0), and its bridge form: 1.10.15 knows
only `schedule_interval=`, so `fix --bridge` passes `**schedule_argument(value)` (compat/dag.py),
which closing the bridge turns back into `schedule=value`."""

from tests.codemods.helpers import check_noop, check_transformed, diagnostics, run_fix

DAG_SDK = "from airflow.sdk import DAG\n"


def test_plain_fix_renames_the_keyword():
    check_transformed(
        DAG_SDK + 'dag = DAG("etl", schedule_interval="@daily")\n',
        DAG_SDK + 'dag = DAG("etl", schedule="@daily")\n',
        target="3",
        select=["AU301"],
    )


def test_bridge_passes_the_keyword_each_side_takes():
    check_transformed(
        DAG_SDK
        + """\
dag = DAG(
    "etl",
    default_args=default_args,
    schedule_interval="0 8 * * *",  # KST 17:00
)
""",
        DAG_SDK
        + """\
from compat.dag import schedule_argument
dag = DAG(
    "etl",
    default_args=default_args,
    **schedule_argument("0 8 * * *"),  # KST 17:00
)
""",
        target="3",
        select=["AU301"],
        bridge=True,
    )


def test_bridge_on_a_2_x_target_keeps_schedule_interval():
    # 2.x still takes schedule_interval (deprecated from 2.4): nothing to bridge.
    check_noop(DAG_SDK + 'dag = DAG("etl", schedule_interval="@daily")\n', target="2", bridge=True)


def test_bridge_reports_what_it_cannot_write():
    source = DAG_SDK + (
        'a = DAG("a", timetable=MyTimetable())\n'
        'b = DAG("b", schedule_interval="@daily", *extra)\n'
        "def schedule_argument(): pass\n"
    )
    check_noop(source, target="3", select=["AU301"], bridge=True)
    _, result = run_fix(source, target="3", select=["AU301"], bridge=True)
    assert [(d.line, d.applied) for d in result.diagnostics] == [(2, False), (3, False)]
    assert "Airflow 1.10 has no `timetable=`" in result.diagnostics[0].message
    assert "a `*args` argument follows it" in result.diagnostics[1].message
    _, shadowed = run_fix(
        DAG_SDK + 'a = DAG("a", schedule_interval="@daily")\nschedule_argument = None\n',
        target="3",
        select=["AU301"],
        bridge=True,
    )
    assert shadowed.new_source is None
    assert "`schedule_argument` is bound to something else" in shadowed.diagnostics[0].message


def test_closing_the_bridge_gives_schedule_back():
    check_transformed(
        DAG_SDK
        + """\
from compat.dag import schedule_argument
dag = DAG(
    "etl",
    **schedule_argument("0 8 * * *"),  # KST 17:00
)
""",
        DAG_SDK
        + """\
dag = DAG(
    "etl",
    schedule="0 8 * * *",  # KST 17:00
)
""",
        target="3",
        select=["AU301"],
        close_bridge=True,
    )


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


def test_closing_the_bridge_of_a_company_dag_is_labelled_unsafe():
    # the fix applies only with --unsafe-fixes: its label says so
    source = """\
        from company_airflow import DAG
        from compat.dag import schedule_argument
        dag = DAG("a", **schedule_argument("@daily"))
        """
    check_noop(source, target="3", select=["AU301"], close_bridge=True)
    _, result = run_fix(source, target="3", select=["AU301"], close_bridge=True)
    assert [(d.code, d.fix, d.applied) for d in result.diagnostics] == [("AU301", "unsafe", False)]
    check_transformed(
        source,
        """\
        from company_airflow import DAG
        dag = DAG("a", schedule="@daily")
        """,
        target="3",
        select=["AU301"],
        close_bridge=True,
        unsafe=True,
    )


def test_dag_argument_rules_decide_on_the_ast(monkeypatch):
    # check mode never parses with LibCST for AU153, AU301-AU304, AU306-AU308, AU150, AU151
    import libcst as cst

    parsed = []
    monkeypatch.setattr(cst, "parse_module", lambda *args, **kwargs: parsed.append(args) or cst.Module([]))
    source = """\
        from datetime import timedelta
        from airflow import DAG
        from airflow.operators.bash_operator import BashOperator
        default_args = {"task_concurrency": 1, "trigger_rule": "dummy"}
        dag = DAG("a", "desc", schedule_interval="0 8 * * *", concurrency=2)
        other = DAG("b")
        t1 = BashOperator(task_id="t1", bash_command="x", task_concurrency=1, trigger_rule="dummy")
        t2 = BashOperator(task_id="t2", bash_command="x")
        t1 > t2
        dag >> t2
        """
    codes = ["AU150", "AU151", "AU153", "AU301", "AU302", "AU303", "AU304", "AU306", "AU307", "AU308"]
    found = diagnostics(source, target="3", select=codes)
    assert sorted({d.code for d in found}) == codes
    assert parsed == []
