from tests.codemods.helpers import diagnostics


def test_cron_and_timedelta_schedules_get_a_config_note():
    found = diagnostics(
        """\
        from datetime import timedelta
        from airflow import DAG
        a = DAG("a", schedule_interval="0 3 * * *")
        b = DAG("b", schedule_interval=timedelta(hours=1))
        c = DAG("c", schedule_interval=None)
        d = DAG("d", schedule_interval="@once")
        """,
        target="3",
        select=["AU307"],
    )
    assert [(d.line, d.fix) for d in found] == [(3, None), (4, None)]
    assert "create_cron_data_intervals = True" in found[0].message
    assert "create_delta_data_intervals = True" in found[1].message


def test_nothing_before_target_3():
    source = """\
        from airflow import DAG
        a = DAG("a", schedule_interval="0 3 * * *")
        b = DAG("b")
        """
    for target in ("2.0", "2.2", "2"):
        assert diagnostics(source, target=target, select=["AU3"]) == []


def test_bridged_schedule_is_judged_by_its_value():
    found = diagnostics(
        """\
        from airflow import DAG
        from compat.dag import schedule_argument
        a = DAG("a", **schedule_argument("0 3 * * *"))
        b = DAG("b", **schedule_argument(None))
        """,
        target="3",
        select=["AU307"],
    )
    assert [(d.line, d.col) for d in found] == [(3, 34)]


def test_a_schedule_given_by_position_and_the_default_one():
    found = diagnostics(
        """\
        from airflow import DAG
        a = DAG("a", "description", "0 3 * * *")
        b = DAG("b", "description", None)
        c = DAG("c", start_date=start)
        d = DAG("d", **settings)
        """,
        target="3",
        select=["AU307"],
    )
    assert [(d.line, d.col) for d in found] == [(2, 29), (4, 5)]
    assert "create_cron_data_intervals = True" in found[0].message
    # what AU308 writes for the DAG without a schedule is a timedelta one
    assert found[1].message.startswith("no schedule: 1.10's default `timedelta(days=1)` (AU308 writes it)")
    assert "create_delta_data_intervals = True" in found[1].message
