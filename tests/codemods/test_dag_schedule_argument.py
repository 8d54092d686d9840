"""AU301 `schedule_interval=` -> `schedule=` (Airflow 3.0), and its bridge form: 1.10.15 knows
only `schedule_interval=`, so `fix --bridge` passes `**schedule_argument(value)` (compat/dag.py),
which closing the bridge turns back into `schedule=value`."""

from tests.codemods.helpers import check_noop, check_transformed, run_fix

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
