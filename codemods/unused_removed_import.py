"""AU104: imports of names the target removed that the file never uses (found in AU101's walk)."""

from __future__ import annotations

from codemods._base import SAFE, Rule
from codemods.moved_import import UNUSED_REMOVED_IMPORT, ImportRenamer


class UnusedRemovedImport(Rule):
    """AU104: an import of a name (or module) the target removed, which the file never uses.

    Left behind once another rule rewrote the uses (days_ago, apply_defaults) or unused from
    the start, it fails the import on the target all the same. Safe: nothing reads the name.
    A name listed in `__all__` counts as used (re-exported).

    ## Example
    ```python target=3 select=AU101,AU104
    from airflow import DAG
    from airflow.utils.dates import days_ago

    dag = DAG("etl", schedule="@daily", catchup=False)
    ```
    Use instead:
    ```python
    from airflow.sdk import DAG

    dag = DAG("etl", schedule="@daily", catchup=False)
    ```
    """

    code = UNUSED_REMOVED_IMPORT
    name = "unused-removed-import"
    summary = (
        "Remove imports of names the target removed that the file never uses (e.g. a leftover `days_ago`)"
    )
    tokens = (b"airflow",)
    fix = SAFE
    bridge_compatible = True  # nothing reads the name, on 1.10 either
    reported_by = ImportRenamer
