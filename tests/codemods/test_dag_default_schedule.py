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
    source = """\
        from airflow import DAG
        a = DAG("a")
        """
    check_noop(source, target="3", select=["AU308"])
    (d,) = diagnostics(source, target="3", select=["AU308"])
    assert d.fix is None and "timedelta(days=1)" in d.message
