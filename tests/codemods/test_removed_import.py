"""AU102: 1.10 modules and names with no home on the target are reported (found in AU101's walk)."""

from tests.codemods.helpers import check_noop, diagnostics


def test_removed_name_is_reported_not_fixed():
    found = diagnostics("from airflow.executors import get_default_executor\n", select=["AU102"])
    assert [(d.code, d.line, d.col, d.fix) for d in found] == [("AU102", 1, 31, None)]
    assert "get_default_executor" in found[0].message


def test_removed_code_alone_does_not_rewrite():
    check_noop("from airflow.operators.bash_operator import BashOperator\n", select=["AU102"])


def test_removed_module_used_otherwise_stays_reported():
    for use in ("ops = [gcs_to_bq]", "gcs_to_bq.NoSuchName", "gcs_to_bq.X = 1"):
        source = f"""\
            from airflow.contrib.operators import gcs_to_bq
            a = gcs_to_bq.GoogleCloudStorageToBigQueryOperator(task_id="a")
            {use}
            """
        check_noop(source, target="3", select=["AU101", "AU102"])
        found = diagnostics(source, target="3", select=["AU101", "AU102"])
        assert [d.line for d in found if d.code == "AU102"] == [1], (use, found)


def test_removed_module_names_in_two_new_modules_stays_reported():
    source = """\
        from airflow.contrib.operators import gcp_bigtable_operator as bt
        a = bt.BigtableInstanceCreateOperator(task_id="a")
        b = bt.BigtableTableWaitForReplicationSensor(task_id="b")
        """
    check_noop(source, target="3", select=["AU101", "AU102"])
    found = diagnostics(source, target="3", select=["AU101", "AU102"])
    assert [d.code for d in found if d.line == 1] == ["AU102"]


def test_removed_name_still_used_is_reported_with_its_lines():
    found = diagnostics(
        """\
        from airflow.utils.dates import round_time
        x = round_time(a, b)
        y = [round_time]
        """,
        target="3",
    )
    (d,) = [d for d in found if d.code == "AU102"]
    assert d.line == 1 and d.message.endswith("(used at lines 2, 3)"), d.message
