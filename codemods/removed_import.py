"""AU102: 1.10 modules and names with no home on the target (found in AU101's walk)."""

from __future__ import annotations

from codemods._base import NO_FIX, Rule
from codemods.moved_import import REMOVED_IMPORT, ImportRenamer


class RemovedImport(Rule):
    """Report 1.10 modules and names that have no home on the target (reported during AU101's
    walk of the imports: one walk for both).

    ## Example
    ```python
    from airflow.models.chart import Chart

    chart = Chart(label="rows per day")
    ```
    Use instead:
    ```python
    # Airflow 2.0 removed charts with the old web UI: draw them from the metadata DB elsewhere.
    chart = None
    ```
    """

    code = REMOVED_IMPORT
    name = "removed-import"
    summary = "Report 1.10 modules and names with no home on the target (e.g. airflow.operators.sensors, DagRunOrder)"
    tokens = (b"airflow",)
    fix = NO_FIX
    reported_by = ImportRenamer
