from tests.codemods.helpers import check_noop, diagnostics


def test_allow_null_reported():
    src = """\
        from airflow.sensors.sql_sensor import SqlSensor
        s = SqlSensor(task_id="s", conn_id="db", sql="select 1", allow_null=False)
        """
    check_noop(src, select=["AU134"])
    (d,) = diagnostics(src, select=["AU134"])
    assert (d.line, d.fix) == (2, None) and "success=lambda cell: cell is None or bool(cell)" in d.message


def test_without_allow_null_nothing():
    assert (
        diagnostics(
            """\
        from airflow.sensors.sql_sensor import SqlSensor
        s = SqlSensor(task_id="s", conn_id="db", sql="select 1")
        """,
            select=["AU134"],
        )
        == []
    )
