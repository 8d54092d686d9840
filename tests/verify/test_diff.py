"""compare_snapshots on small snapshot documents: what counts as a difference and what does not."""

from __future__ import annotations

from tests.verify.snapshots import dag, file_record, snapshot, task
from upgrade.verify.diff import NOTE, STRUCTURE, TEMPLATE, compare_snapshots
from upgrade.verify.operator_names import OperatorNames


def compare(before_dag, after_dag):
    report = compare_snapshots(
        snapshot(file_record(dags=[before_dag])), snapshot(file_record(dags=[after_dag]), version="2.0.2")
    )
    (comparison,) = report.dags
    return report, comparison


def test_identical_dags():
    report, comparison = compare(dag(), dag())
    assert comparison.status == "identical"
    assert not report.has_differences
    assert report.summary_line() == "1 of 1 files load; 1 of 1 DAGs structurally identical"


def test_operator_moved_to_another_module_is_the_same_operator():
    after = dag(tasks={"extract": task("airflow.operators.bash.BashOperator"), "load": task()})
    assert compare(dag(), after)[1].status == "identical"


def test_renamed_operator_classes_count_as_equal():
    names = OperatorNames()
    # renamed in Airflow 2.4 (DummyOperator) and 2.0 (contrib BigQueryOperator), from the generated table
    assert names.canonical("airflow.operators.dummy_operator.DummyOperator") == names.canonical(
        "airflow.providers.standard.operators.empty.EmptyOperator"
    )
    assert names.canonical("airflow.contrib.operators.bigquery_operator.BigQueryOperator") == names.canonical(
        "airflow.providers.google.cloud.operators.bigquery.BigQueryExecuteQueryOperator"
    )
    assert names.canonical("x.BashOperator") != names.canonical("x.PythonOperator")
    before = dag(tasks={"extract": task("airflow.operators.dummy_operator.DummyOperator"), "load": task()})
    after = dag(tasks={"extract": task("airflow.operators.empty.EmptyOperator"), "load": task()})
    assert compare(before, after)[1].status == "identical"


def test_another_operator_is_a_structural_difference():
    after = dag(tasks={"extract": task("airflow.operators.python.PythonOperator"), "load": task()})
    report, comparison = compare(dag(), after)
    assert [(d.kind, d.field, d.task_id) for d in comparison.differences] == [
        (STRUCTURE, "operator", "extract")
    ]
    assert report.structurally_identical == 0
    assert report.has_differences


def test_edges_and_task_ids():
    after = dag(tasks={"extract": task(), "load": task(), "audit": task()}, edges=[("load", "extract")])
    _, comparison = compare(dag(), after)
    found = {d.field: (d.before, d.after) for d in comparison.differences}
    assert found["task_ids"] == ([], ["audit"])
    assert found["edges"] == ([["extract", "load"]], [["load", "extract"]])


def test_schedule_start_date_catchup_and_task_settings():
    before = dag()
    after = dag(schedule="0 1 * * *", start_date="2021-01-02T00:00:00.000000Z", catchup=False)
    after["tasks"]["load"]["retries"] = 3
    after["tasks"]["load"]["pool"] = "warehouse"
    _, comparison = compare(before, after)
    assert {(d.field, d.task_id) for d in comparison.differences} == {
        ("schedule", None),
        ("start_date", None),
        ("catchup", None),
        ("retries", "load"),
        ("pool", "load"),
    }


def test_provide_context_removed_by_fix_is_no_difference_but_other_keys_are():
    before = dag(default_args_keys=["owner", "provide_context", "sla"])
    assert compare(before, dag(default_args_keys=["owner", "sla"]))[1].status == "identical"
    _, comparison = compare(before, dag(default_args_keys=["owner"]))
    assert [(d.field, d.before, d.after) for d in comparison.differences] == [
        ("default_args_keys", ["sla"], [])
    ]


def test_renamed_trigger_rule_is_equal():
    before = dag()
    before["tasks"]["load"]["trigger_rule"] = "none_failed_or_skipped"
    after = dag()
    after["tasks"]["load"]["trigger_rule"] = "none_failed_min_one_success"
    assert compare(before, after)[1].status == "identical"


def test_template_change_is_reported_but_structure_stays_identical():
    before = dag(tasks={"extract": task(bash_command="echo {{ execution_date }}"), "load": task()})
    after = dag(tasks={"extract": task(bash_command="echo {{ logical_date }}"), "load": task()})
    report, comparison = compare(before, after)
    assert [(d.kind, d.field) for d in comparison.differences] == [(TEMPLATE, "templated.bash_command")]
    assert comparison.status == "different"
    assert report.structurally_identical == 1
    assert report.fully_identical == 0
    assert report.has_differences


def test_field_templated_on_one_side_only_is_not_compared():
    before = dag(tasks={"extract": task(bash_command="x"), "load": task()})
    after = dag(tasks={"extract": task(bash_command="x", cwd=None), "load": task()})
    assert compare(before, after)[1].status == "identical"


def test_trigger_semantics_is_a_note_only():
    report, comparison = compare(dag(), dag(schedule_semantics="trigger"))
    assert [(d.kind, d.field) for d in comparison.differences] == [(NOTE, "schedule_semantics")]
    assert comparison.status == "identical"
    assert not report.has_differences


def test_new_import_error_and_missing_dag():
    before = snapshot(file_record("a.py", [dag("a")]), file_record("b.py", [dag("b")]))
    after = snapshot(
        file_record("a.py", [dag("a")]),
        file_record("b.py", status="import_error", errors=["ModuleNotFoundError: No module named 'x'"]),
    )
    report = compare_snapshots(before, after)
    assert [(o.path, o.errors) for o in report.new_import_errors] == [
        ("b.py", ["ModuleNotFoundError: No module named 'x'"])
    ]
    assert {d.dag_id: d.status for d in report.dags} == {"a": "identical", "b": "missing"}
    assert report.summary_line() == "1 of 2 files load; 1 of 2 DAGs structurally identical"


def test_files_failing_before_are_listed_not_counted():
    before = snapshot(
        file_record("a.py", [dag("a")]), file_record("bad.py", status="timeout", errors=["timeout"])
    )
    after = snapshot(
        file_record("a.py", [dag("a")]), file_record("bad.py", status="timeout", errors=["timeout"])
    )
    report = compare_snapshots(before, after)
    assert [o.path for o in report.failing_before] == ["bad.py"]
    assert report.summary_line() == "1 of 1 files load; 1 of 1 DAGs structurally identical"
    assert not report.has_differences


def test_file_missing_after_is_a_difference():
    report = compare_snapshots(snapshot(file_record("a.py", [dag("a")])), snapshot())
    assert report.missing_files == ["a.py"]
    assert report.has_differences
    # listed as missing, not counted among the files that fail to load
    assert report.summary_line() == "0 of 0 files load; 0 of 1 DAGs structurally identical"


def test_unset_templated_field_in_another_empty_form_is_equal():
    # KubernetesPodOperator env_vars: {} on 1.10.15, [] in the cncf-kubernetes provider 10.x
    before = dag(tasks={"extract": task(env_vars={}), "load": task()})
    after = dag(tasks={"extract": task(env_vars=[]), "load": task()})
    assert compare(before, after)[1].status == "identical"


def test_dag_no_longer_built_by_a_file_that_loads():
    before = snapshot(file_record("a.py", [dag("a"), dag("b")]))
    after = snapshot(file_record("a.py", [dag("a")]))
    report = compare_snapshots(before, after)
    (missing,) = [d for d in report.dags if d.status == "missing"]
    assert missing.differences[0].after == "its file loads but no longer builds this DAG"
    assert report.new_import_errors == []
    assert report.summary_line() == "1 of 1 files load; 1 of 2 DAGs structurally identical"
