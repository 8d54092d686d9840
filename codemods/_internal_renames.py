"""Moves of Airflow internals that no deprecation shim declares, for AU101 / AU102.

The generated tables (codemods/_generated/tables.py) come from Airflow's own shims; these names went
without one (or behind a module `__getattr__` the generator does not read), yet DAG repos use
them - maintenance DAGs query the metadata DB. Each row says which release made the move, and
when the new name is only the same thing for some uses (`BaseJob` as an ORM model), which.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Optional

from codemods._ast_nodes import of_type
from codemods._name_uses import NameUses

# Columns of the `job` table, the same on BaseJob (1.10 - 2.5) and Job (2.6 -, airflow/jobs/job.py).
JOB_COLUMNS = frozenset(
    {
        "id",
        "dag_id",
        "state",
        "job_type",
        "start_date",
        "end_date",
        "latest_heartbeat",
        "executor_class",
        "hostname",
        "unixname",
    }
)


@dataclass(frozen=True)
class InternalMove:
    new: str
    since: tuple[int, int]  # first Airflow version where `new` is the name to use
    why: str
    # Only uses of these attributes (and the bare name, not called, not subclassed) are exact;
    # None: every use is.
    exact_attributes: Optional[frozenset[str]] = None


_BASE_JOB_WHY = (
    "Airflow 2.6 replaced BaseJob by the ORM model `airflow.jobs.job.Job` (same `job` table and "
    "columns; the job logic moved to job runners)"
)

MOVES: dict[str, tuple[InternalMove, ...]] = {
    # 1.10's airflow/jobs/__init__.py re-exported BaseJob; 2.0 - 2.5 have it in airflow.jobs.base_job.
    "airflow.jobs.BaseJob": (
        InternalMove("airflow.jobs.base_job.BaseJob", (2, 0), "Airflow 2.0 no longer re-exports it"),
        InternalMove("airflow.jobs.job.Job", (2, 6), _BASE_JOB_WHY, JOB_COLUMNS),
    ),
    "airflow.jobs.base_job.BaseJob": (
        InternalMove("airflow.jobs.job.Job", (2, 6), _BASE_JOB_WHY, JOB_COLUMNS),
    ),
    # 2.10 renamed the import-error model (it shadowed the builtin); airflow.models' __getattr__
    # handed out ParseImportError under the old name until 3.0.
    "airflow.models.ImportError": (
        InternalMove("airflow.models.errors.ParseImportError", (2, 10), "renamed in Airflow 2.10"),
    ),
    "airflow.models.errors.ImportError": (
        InternalMove("airflow.models.errors.ParseImportError", (2, 10), "renamed in Airflow 2.10"),
    ),
    # 2.x's airflow/utils/file.py: "This function is deprecated. Please use `tempfile.TemporaryDirectory`"
    # (it returned tempfile.TemporaryDirectory(*args, **kwargs)); gone in 3.0.
    "airflow.utils.file.TemporaryDirectory": (
        InternalMove("tempfile.TemporaryDirectory", (2, 0), "deprecated in Airflow 2.0, gone in 3.0"),
    ),
}


def move_for(qualified: str, target: tuple[int, int]) -> Optional[InternalMove]:
    """The latest move of `qualified` made by the target version, if any."""
    found = None
    for move in MOVES.get(qualified, ()):
        if move.since <= target:
            found = move
    return found


def inexact_uses(tree: ast.Module, uses: NameUses, local: str, move: InternalMove) -> list[int]:
    """Lines where `local` is used in a way the new name does not serve the same (called,
    subclassed, an attribute that is not a column)."""
    if move.exact_attributes is None:
        return []
    bases = {
        id(base) for node in of_type(tree, ast.ClassDef) for base in node.bases if isinstance(base, ast.Name)
    }
    calls = {id(node.func) for node in of_type(tree, ast.Call)}
    lines = []
    for name in uses.reads.get(local, ()):
        chain = uses.chain(name)
        if id(name) in bases or id(name) in calls:
            lines.append(name.lineno)
        elif chain is not None:
            first = chain
            while isinstance(first.value, ast.Attribute):
                first = first.value
            if first.attr not in move.exact_attributes or id(first) in calls:
                lines.append(name.lineno)
    return sorted(set(lines))
