"""One name per operator class, whatever module and Airflow version it came from.

1.10 `airflow.operators.bash_operator.BashOperator`, 2.x `airflow.operators.bash.BashOperator`
and 3.x `airflow.providers.standard.operators.bash.BashOperator` are the same operator; so are
classes Airflow renamed (`DummyOperator` -> `EmptyOperator` in 2.4, `BigQueryOperator` ->
`BigQueryExecuteQueryOperator` in 2.0). Names are compared by class name, and class names that
the codemods' rename tables (codemods/_generated/tables.py, generated from Airflow's own deprecation
shims) connect are one name: the alphabetically first of the connected group.
"""

from __future__ import annotations

from collections.abc import Iterable

# Used only when codemods/_generated/tables.py cannot be imported (e.g. a trimmed install).
FALLBACK_CLASS_RENAMES = {
    "DummyOperator": "EmptyOperator",
    "BigQueryOperator": "BigQueryExecuteQueryOperator",
    "DataProcSparkOperator": "DataprocSubmitSparkJobOperator",
    "DataProcPigOperator": "DataprocSubmitPigJobOperator",
    "DataprocClusterCreateOperator": "DataprocCreateClusterOperator",
    "DataprocClusterDeleteOperator": "DataprocDeleteClusterOperator",
    "GoogleCloudStorageToBigQueryOperator": "GCSToBigQueryOperator",
}


class OperatorNames:
    def __init__(self, renames: Iterable[tuple[str, str]] | None = None) -> None:
        self._parent: dict[str, str] = {}
        for old, new in default_class_renames() if renames is None else renames:
            self._union(old, new)

    def canonical(self, qualified_class: str | None) -> str | None:
        if qualified_class is None:
            return None
        return self._find(qualified_class.rpartition(".")[2])

    def _find(self, name: str) -> str:
        root = name
        while self._parent.get(root, root) != root:
            root = self._parent[root]
        return root

    def _union(self, a: str, b: str) -> None:
        root_a, root_b = self._find(a), self._find(b)
        if root_a != root_b:
            first, second = sorted((root_a, root_b))
            self._parent[second] = first
            self._parent.setdefault(first, first)


def default_class_renames() -> list[tuple[str, str]]:
    try:
        from codemods._generated import tables as _tables
    except ImportError:
        return list(FALLBACK_CLASS_RENAMES.items())
    pairs = set(FALLBACK_CLASS_RENAMES.items())
    for table in _tables.IMPORT_RENAMES.values():
        for old, new in table.items():
            old_name, new_name = old.rpartition(".")[2], new.rpartition(".")[2]
            if old_name != new_name:
                pairs.add((old_name, new_name))
    return sorted(pairs)
