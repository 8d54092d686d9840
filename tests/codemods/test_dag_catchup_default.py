"""AU304: the catchup default changed in Airflow 3.0; the 1.10 value is made explicit."""

from tests.codemods.helpers import check_noop, check_transformed, diagnostics


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


def test_a_schedule_given_by_position_counts():
    source = """\
        from airflow import DAG
        a = DAG("a", "description", None)
        b = DAG("b", "description", "@once")
        c = DAG("c", "description", "@daily")
        """
    assert [d.line for d in diagnostics(source, target="3", select=["AU304"])] == [4]
