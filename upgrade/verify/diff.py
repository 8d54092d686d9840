"""Compare two snapshots: which files stopped loading, which DAGs Airflow now builds differently.

Three kinds of difference:
  structure  dag ids, task ids, edges, operator classes (renames count as equal), schedule,
             start_date, catchup, timezone, default_args keys, retries, pool, queue, trigger rule
  template   a templated field's value before rendering (e.g. a rewritten `execution_date`)
  note       reported, not counted as a difference: the same DAG runs under changed semantics
             (Airflow 3 cron schedules: a trigger timetable instead of data intervals)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from upgrade.verify.operator_names import OperatorNames
from upgrade.verify.subdags import expand, grouped_subdags, touches_group

STRUCTURE, TEMPLATE, NOTE = "structure", "template", "note"

DAG_FIELDS = ("schedule", "start_date", "end_date", "catchup", "timezone")
TASK_FIELDS = ("retries", "pool", "queue", "trigger_rule")
# default_args keys that `fix` removes because the target Airflow rejects or ignores them:
# provide_context (Airflow 2.0 always passes the context).
REMOVED_DEFAULT_ARGS = frozenset({"provide_context"})
# An unset templated field: operators of different versions default it to None, "", [] or {}.
EMPTY_VALUES = (None, "", [], {})
# Trigger rules Airflow renamed, old -> new: both spellings build the same task.
TRIGGER_RULE_RENAMES = {
    "none_failed_or_skipped": "none_failed_min_one_success",  # renamed in Airflow 2.2
    "dummy": "always",  # renamed in Airflow 2.2, the old name removed in 3.0
}


@dataclass
class Difference:
    kind: str
    field: str
    before: Any = None
    after: Any = None
    task_id: str | None = None


@dataclass
class DagComparison:
    dag_id: str
    path: str
    status: str  # identical | different | expected | missing | new  (expected: see verify --expect)
    differences: list[Difference] = field(default_factory=list)

    def has(self, kind: str) -> bool:
        return any(d.kind == kind for d in self.differences)


@dataclass
class FileOutcome:
    path: str
    before: str
    after: str
    errors: list[str]


@dataclass
class VerifyReport:
    before_version: str
    after_version: str
    files_total: int
    files_loading_before: int
    files_still_loading: int
    new_import_errors: list[FileOutcome]
    failing_before: list[FileOutcome]
    missing_files: list[str]
    dags: list[DagComparison]

    @property
    def dags_before(self) -> list[DagComparison]:
        return [dag for dag in self.dags if dag.status != "new"]

    @property
    def structurally_identical(self) -> int:
        return sum(1 for dag in self.dags_before if dag.status != "missing" and not dag.has(STRUCTURE))

    @property
    def fully_identical(self) -> int:
        return sum(1 for dag in self.dags_before if dag.status == "identical")

    @property
    def has_differences(self) -> bool:
        return bool(self.new_import_errors or self.missing_files) or any(
            dag.status not in ("identical", "expected") for dag in self.dags
        )

    def summary_line(self) -> str:
        return (
            f"{self.files_still_loading} of {self.files_loading_before} files load; "
            f"{self.structurally_identical} of {len(self.dags_before)} DAGs structurally identical"
        )

    def to_json(self) -> dict:
        data = asdict(self)
        data["summary"] = {
            "files_loading_before": self.files_loading_before,
            "files_still_loading": self.files_still_loading,
            "dags_before": len(self.dags_before),
            "dags_structurally_identical": self.structurally_identical,
            "dags_identical": self.fully_identical,
            "line": self.summary_line(),
        }
        return data


def compare_snapshots(before: dict, after: dict, names: OperatorNames | None = None) -> VerifyReport:
    names = names or OperatorNames()
    before_files = {record["path"]: record for record in before["files"]}
    after_files = {record["path"]: record for record in after["files"]}
    loading_before = [path for path, record in before_files.items() if record["status"] == "ok"]
    new_errors, failing_before = [], []
    for path, record in sorted(before_files.items()):
        after_record = after_files.get(path)
        if after_record is None:
            continue
        outcome = FileOutcome(path, record["status"], after_record["status"], after_record["errors"])
        if record["status"] != "ok":
            failing_before.append(
                FileOutcome(path, record["status"], after_record["status"], record["errors"])
            )
        elif after_record["status"] != "ok":
            new_errors.append(outcome)
    missing_files = sorted(set(before_files) - set(after_files))
    # A file the migration removed (e.g. a helper replaced by compat/) is listed as missing, not
    # counted as a file that fails to load.
    loading_before = [path for path in loading_before if path in after_files]
    still_loading = sum(1 for path in loading_before if after_files[path]["status"] == "ok")
    return VerifyReport(
        before_version=before["airflow_version"],
        after_version=after["airflow_version"],
        files_total=len(before_files),
        files_loading_before=len(loading_before),
        files_still_loading=still_loading,
        new_import_errors=new_errors,
        failing_before=failing_before,
        missing_files=missing_files,
        dags=_compare_dags(before_files, after_files, names),
    )


def _dags_by_id(files: dict, only_loading: bool) -> dict[str, tuple[str, dict]]:
    found = {}
    for path, record in files.items():
        if only_loading and record["status"] != "ok":
            continue
        for dag in record["dags"]:
            found[dag["dag_id"]] = (path, dag)
    return found


def _compare_dags(before_files: dict, after_files: dict, names: OperatorNames) -> list[DagComparison]:
    # A DAG counts only if its file loaded cleanly before: a half-loaded file proves nothing.
    before_dags = _dags_by_id(before_files, only_loading=True)
    after_dags = _dags_by_id(after_files, only_loading=False)
    comparisons = []
    before_by_id = {dag_id: dag for dag_id, (_, dag) in before_dags.items()}
    compared: dict[str, tuple[dict, list[Difference]]] = {}  # dag id -> (expanded before, differences)
    for dag_id, (path, dag) in sorted(before_dags.items()):
        if dag_id not in after_dags:
            continue
        after_dag = after_dags[dag_id][1]
        groups = grouped_subdags(dag, after_dag, before_by_id)
        if groups:
            dag = expand(dag, groups, before_by_id, after_dag)
        differences = compare_dag(dag, after_dag, names)
        compared[dag_id] = (dag, differences)
        counted = [d for d in differences if d.kind != NOTE]
        comparisons.append(DagComparison(dag_id, path, "different" if counted else "identical", differences))
    for dag_id, (path, _dag) in sorted(before_dags.items()):
        if dag_id in after_dags:
            continue
        group = _task_group_of(dag_id, compared)
        if group is not None:
            parent_id, task_id = group
            comparisons.append(_grouped_subdag(dag_id, path, parent_id, task_id, compared[parent_id][1]))
            continue
        after_record = after_files.get(path)
        if after_record is None:
            reason = "its file is gone"
        elif after_record["errors"]:
            reason = "; ".join(after_record["errors"])
        else:
            # e.g. a `try: import X / except ImportError` in the file now takes the except branch
            reason = "its file loads but no longer builds this DAG"
        difference = Difference(STRUCTURE, "dag", before="present", after=reason)
        comparisons.append(DagComparison(dag_id, path, "missing", [difference]))
    comparisons.sort(key=lambda comparison: comparison.dag_id)
    for dag_id in sorted(set(after_dags) - set(before_dags) - set(_dags_by_id(before_files, False))):
        path = after_dags[dag_id][0]
        comparisons.append(
            DagComparison(dag_id, path, "new", [Difference(STRUCTURE, "dag", None, "present")])
        )
    return comparisons


def _task_group_of(dag_id: str, compared: dict) -> tuple[str, str] | None:
    """(parent dag id, task group id) when a 1.10 subdag `dag_id` became a task group of a
    compared parent (its before side expanded with the subdag's tasks, see subdags.py)."""
    parts = dag_id.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        parent_id, task_id = ".".join(parts[:cut]), ".".join(parts[cut:])
        if parent_id in compared and any(
            name.startswith(f"{task_id}.") for name in compared[parent_id][0]["tasks"]
        ):
            return parent_id, task_id
    return None


def _grouped_subdag(
    dag_id: str, path: str, parent_id: str, task_id: str, parent_differences
) -> DagComparison:
    differ = any(d.kind == STRUCTURE and touches_group(d, task_id) for d in parent_differences)
    outcome = f"tasks or edges differ (see DAG {parent_id})" if differ else "same tasks and edges"
    note = Difference(
        STRUCTURE if differ else NOTE,
        "task_group",
        f"subdag {dag_id}",
        f"subdag {dag_id} is task group {task_id} of {parent_id}: {outcome}",
    )
    return DagComparison(dag_id, path, "different" if differ else "identical", [note])


def compare_dag(before: dict, after: dict, names: OperatorNames) -> list[Difference]:
    differences = [
        Difference(STRUCTURE, name, before.get(name), after.get(name))
        for name in DAG_FIELDS
        if before.get(name) != after.get(name)
    ]
    if before.get("schedule_semantics") != after.get("schedule_semantics"):
        differences.append(
            Difference(
                NOTE, "schedule_semantics", before.get("schedule_semantics"), after.get("schedule_semantics")
            )
        )
    keys_before = set(before["default_args_keys"]) - REMOVED_DEFAULT_ARGS
    keys_after = set(after["default_args_keys"]) - REMOVED_DEFAULT_ARGS
    if keys_before != keys_after:
        differences.append(
            Difference(
                STRUCTURE,
                "default_args_keys",
                sorted(keys_before - keys_after),
                sorted(keys_after - keys_before),
            )
        )
    tasks_before, tasks_after = before["tasks"], after["tasks"]
    if set(tasks_before) != set(tasks_after):
        differences.append(
            Difference(
                STRUCTURE,
                "task_ids",
                sorted(set(tasks_before) - set(tasks_after)),
                sorted(set(tasks_after) - set(tasks_before)),
            )
        )
    edges_before = {tuple(edge) for edge in before["edges"]}
    edges_after = {tuple(edge) for edge in after["edges"]}
    if edges_before != edges_after:
        differences.append(
            Difference(
                STRUCTURE,
                "edges",
                [list(e) for e in sorted(edges_before - edges_after)],
                [list(e) for e in sorted(edges_after - edges_before)],
            )
        )
    for task_id in sorted(set(tasks_before) & set(tasks_after)):
        differences += compare_task(task_id, tasks_before[task_id], tasks_after[task_id], names)
    return differences


def compare_task(task_id: str, before: dict, after: dict, names: OperatorNames) -> list[Difference]:
    differences = []
    if names.canonical(before["operator"]) != names.canonical(after["operator"]):
        differences.append(Difference(STRUCTURE, "operator", before["operator"], after["operator"], task_id))
    for name in TASK_FIELDS:
        value_before, value_after = before.get(name), after.get(name)
        if name == "trigger_rule":
            value_before = TRIGGER_RULE_RENAMES.get(value_before, value_before)
            value_after = TRIGGER_RULE_RENAMES.get(value_after, value_after)
        if value_before != value_after:
            differences.append(Difference(STRUCTURE, name, before.get(name), after.get(name), task_id))
    templated_before, templated_after = before["templated"], after["templated"]
    # Only fields templated on both sides compare: operators gain template fields between
    # versions (BashOperator `cwd` in 2.2, KubernetesPodOperator `labels`, `name` in the provider),
    # and a field that was not templated before held no template to change.
    for name in sorted(set(templated_before) & set(templated_after)):
        value_before, value_after = templated_before[name], templated_after[name]
        if value_before != value_after and not (value_before in EMPTY_VALUES and value_after in EMPTY_VALUES):
            differences.append(
                Difference(
                    TEMPLATE, f"templated.{name}", templated_before[name], templated_after[name], task_id
                )
            )
    return differences
