"""A 1.10 subdag `parent.child` compared with the task group `child` of `parent` (diff + report)."""

from __future__ import annotations

import io

from tests.verify.snapshots import dag, file_record, snapshot, task
from upgrade.verify.diff import NOTE, STRUCTURE, compare_snapshots
from upgrade.verify.report import print_text

SUBDAG_OPERATOR = "airflow.operators.subdag_operator.SubDagOperator"


def before_dags(subdag_edges=(("a", "b"), ("a", "c"))):
    parent = dag(
        "p",
        tasks={"start": task(), "section": task(SUBDAG_OPERATOR), "end": task()},
        edges=[("start", "section"), ("section", "end")],
    )
    subdag = dag(
        "p.section", tasks={"a": task(), "b": task(), "c": task()}, edges=subdag_edges, is_subdag=True
    )
    return [parent, subdag]


def grouped_parent(edges=None, tasks=None):
    return dag(
        "p",
        tasks=tasks or {name: task() for name in ("start", "end", "section.a", "section.b", "section.c")},
        edges=edges
        or [
            ("start", "section.a"),
            ("section.a", "section.b"),
            ("section.a", "section.c"),
            ("section.b", "end"),
            ("section.c", "end"),
        ],
    )


def compare(before, after):
    report = compare_snapshots(
        snapshot(file_record(dags=before)), snapshot(file_record(dags=after), version="3.3.2")
    )
    return report, {comparison.dag_id: comparison for comparison in report.dags}


def test_a_subdag_and_its_task_group_are_the_same():
    report, found = compare(before_dags(), [grouped_parent()])
    assert found["p"].status == "identical" and not found["p"].differences
    (note,) = found["p.section"].differences
    assert (found["p.section"].status, note.kind, note.field) == ("identical", NOTE, "task_group")
    assert report.summary_line() == "1 of 1 files load; 2 of 2 DAGs structurally identical"
    assert not report.has_differences
    out = io.StringIO()
    print_text(report, out)
    assert "note: subdag p.section is task group section of p: same tasks and edges" in out.getvalue()


def test_a_lost_edge_inside_the_group_is_a_difference_of_both():
    after = grouped_parent(
        edges=[("start", "section.a"), ("section.a", "section.b"), ("section.b", "end"), ("section.c", "end")]
    )
    report, found = compare(before_dags(), [after])
    (edges,) = found["p"].differences
    assert (edges.field, edges.before) == ("edges", [["section.a", "section.c"]])
    (note,) = found["p.section"].differences
    assert found["p.section"].status == "different" and note.kind == STRUCTURE
    assert note.after == "subdag p.section is task group section of p: tasks or edges differ (see DAG p)"
    assert report.summary_line() == "1 of 1 files load; 0 of 2 DAGs structurally identical"


def test_a_task_setting_inside_the_group_is_compared():
    tasks = {name: task() for name in ("start", "end", "section.a", "section.b", "section.c")}
    tasks["section.b"]["retries"] = 3
    _, found = compare(before_dags(), [grouped_parent(tasks=tasks)])
    assert [(d.field, d.task_id) for d in found["p"].differences] == [("retries", "section.b")]
    assert found["p.section"].status == "different"


def test_a_subdag_still_a_subdag_after_is_compared_as_before():
    report, found = compare(before_dags(), before_dags())
    assert {dag_id: c.status for dag_id, c in found.items()} == {"p": "identical", "p.section": "identical"}
    assert not found["p.section"].differences


def test_a_subdag_gone_without_a_group_is_missing():
    after = dag("p", tasks={"start": task(), "end": task()}, edges=[("start", "end")])
    _, found = compare(before_dags(), [after])
    assert found["p.section"].status == "missing"
    assert "section" in found["p"].differences[0].before


def test_a_nested_subdag_becomes_a_nested_group():
    parent = dag("p", tasks={"outer": task(SUBDAG_OPERATOR)}, edges=[])
    outer = dag(
        "p.outer",
        tasks={"first": task(), "inner": task(SUBDAG_OPERATOR)},
        edges=[("first", "inner")],
        is_subdag=True,
    )
    inner = dag("p.outer.inner", tasks={"x": task(), "y": task()}, edges=[("x", "y")], is_subdag=True)
    after = dag(
        "p",
        tasks={name: task() for name in ("outer.first", "outer.inner.x", "outer.inner.y")},
        edges=[("outer.first", "outer.inner.x"), ("outer.inner.x", "outer.inner.y")],
    )
    report, found = compare([parent, outer, inner], [after])
    assert {dag_id: c.status for dag_id, c in found.items()} == {
        "p": "identical",
        "p.outer": "identical",
        "p.outer.inner": "identical",
    }
    assert (
        found["p.outer.inner"]
        .differences[0]
        .after.startswith("subdag p.outer.inner is task group outer.inner of p")
    )


def test_a_subclass_of_subdag_operator_is_recognised_by_its_subdag():
    parent, subdag = before_dags()
    parent["tasks"]["section"] = task("dags.operators.MySubDagTask")
    _, found = compare([parent, subdag], [grouped_parent()])
    assert found["p.section"].status == "identical" and found["p"].status == "identical"
