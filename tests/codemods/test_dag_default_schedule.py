"""AU308: a DAG without a schedule gets the 1.10 default written out (the default changed in 2.x/3.0)."""

from tests.codemods.helpers import check_noop, check_transformed, diagnostics


def test_missing_schedule_gets_the_old_default():
    check_transformed(
        """\
        from datetime import datetime, timedelta
        from airflow import DAG
        a = DAG("a", start_date=datetime(2021, 1, 1))
        b = DAG("b", schedule_interval=None)
        c = DAG("c", **kwargs)
        """,
        """\
        from datetime import datetime, timedelta
        from airflow import DAG
        a = DAG("a", start_date=datetime(2021, 1, 1), schedule=timedelta(days=1))
        b = DAG("b", schedule_interval=None)
        c = DAG("c", **kwargs)
        """,
        target="3",
        select=["AU308"],
    )


def test_missing_schedule_with_datetime_module_and_without_import():
    check_transformed(
        """\
        import datetime as dt
        from airflow import DAG
        a = DAG(
            "a",
            start_date=dt.datetime(2021, 1, 1),
        )
        """,
        """\
        import datetime as dt
        from airflow import DAG
        a = DAG(
            "a",
            start_date=dt.datetime(2021, 1, 1),
            schedule=dt.timedelta(days=1),
        )
        """,
        target="3",
        select=["AU308"],
    )
    # neither imported: `from datetime import timedelta` is added (placed by the import service)
    check_transformed(
        """\
        from airflow import DAG
        a = DAG("a")
        b = DAG("b")
        """,
        """\
        from airflow import DAG
        from datetime import timedelta
        a = DAG("a", schedule=timedelta(days=1))
        b = DAG("b", schedule=timedelta(days=1))
        """,
        target="3",
        select=["AU308"],
    )
    # ... unless the file spells `timedelta` anywhere: a name of that spelling may be bound
    for other in ("def f(timedelta):\n    pass\n", "timedelta = 1\n", "# timedelta\n"):
        source = "from airflow import DAG\n" + other + 'a = DAG("a")\n'
        check_noop(source, target="3", select=["AU308"])
        (d,) = diagnostics(source, target="3", select=["AU308"])
        assert d.fix is None and "write `schedule=timedelta(days=1)`" in d.message


def test_the_schedule_goes_on_a_line_of_its_own_in_a_call_laid_out_one_argument_per_line():
    check_transformed(
        """\
        from datetime import datetime
        from airflow import DAG
        a = DAG(
            dag_id="a",
            start_date=datetime(2021, 1, 1)  # the first run
        )
        """,
        """\
        from datetime import datetime, timedelta
        from airflow import DAG
        a = DAG(
            dag_id="a",
            start_date=datetime(2021, 1, 1),  # the first run
            schedule=timedelta(days=1)
        )
        """,
        target="3",
        select=["AU308"],
    )


def test_a_schedule_given_by_position_is_a_schedule():
    # 1.10's third positional argument is schedule_interval (2.4+'s is schedule): adding
    # `schedule=` would repeat it, which does not compile
    check_noop(
        """\
        from datetime import timedelta
        from airflow import DAG
        a = DAG("a", "description", "@daily")
        """,
        target="3",
        select=["AU308"],
    )
