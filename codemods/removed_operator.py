"""AU163: calls of an operator that the target's provider release removed, whose documented
replacement takes other arguments (no mapping to rewrite with).

`BigQueryOperator(sql=..., destination_dataset_table=..., use_legacy_sql=False)`: 1.10's class
became the google provider's `BigQueryExecuteQueryOperator`, removed in google 11.0; the
provider named `BigQueryInsertJobOperator` as its replacement, which takes one BigQuery job
resource (`configuration={"query": {...}}`) instead of the query arguments. Each call is
reported at the line that has to change, with the release the advice is for, the replacement
the last release holding the class named (its deprecation, codemods/_providers.py), and the
call's arguments the replacement does not take. Classes AU160 rewrites (their provider mapped
the arguments in its own code) are not reported here.

## Why
The import fails on the target (AU101 / AU102 report the import line); this points at every
call that must be rewritten for the replacement.

## Example
```python target=2
from airflow.contrib.operators.bigquery_operator import BigQueryOperator

q = BigQueryOperator(task_id="q", sql="select 1", use_legacy_sql=False, dag=dag)
```
Use instead:
```python
from airflow.providers.google.cloud.operators.bigquery import BigQueryInsertJobOperator

q = BigQueryInsertJobOperator(
    task_id="q", configuration={"query": {"query": "select 1", "useLegacySql": False}}, dag=dag
)
```

## Fix safety
No automatic fix: the old class built its job from runtime values (the connection's default
project for a `dataset.table` destination, its own defaults for unset options), so no rewrite
is provably the same. Even a call with only `sql` / `use_legacy_sql` (a job resource that could
be written out) runs differently on the replacement (google 22.x `BigQueryInsertJobOperator`),
with nothing to turn it off: it labels every job `airflow-dag` / `airflow-task`, names it
`airflow_<dag>_<task>_...` (1.10 let BigQuery name it) and pushes `job_id_path` and link XComs
(1.10's class pushed none).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Optional

from codemods import _providers
from codemods._base import NO_FIX, Finding, Rule
from codemods._generated import tables as _tables
from codemods._target_signature import accepted_on_target, chosen_releases
from codemods.replaced_operator import provider_class


def removed_with_replacement(qualified: str, chosen: _providers.Releases) -> Optional[tuple[str, str, str]]:
    """(provider class, replacement, last release holding it) when the chosen release of its
    provider no longer holds the class a 1.10 (or provider) name stands for, and the last
    release holding it named a replacement of another shape."""
    home = _tables.IMPORT_RENAMES["2.0"].get(qualified, qualified)
    dist = _providers.dist_of(home)
    version = chosen.version(dist) if dist else None
    if version is None or _providers.exists(home, version) or not _providers.known(home):
        return None
    if _providers.home(home, chosen) is not None:
        return None  # a same-shape home exists: AU101 moves it there
    found = _providers.replacement(home)
    if found is None or found[0] is None:
        return None
    use, last = found[0], found[2]
    for _ in range(5):  # an alias module's name points at a deprecated class: follow to its replacement
        dist = _providers.dist_of(use)
        version = chosen.version(dist) if dist else None
        if version is None or _providers.exists(use, version):
            break
        further = _providers.replacement(use)
        if further is None or further[0] is None:
            return None
        use = further[0]
    return home, use, last


class RemovedOperator(Rule):
    code = "AU163"
    name = "removed-operator"
    summary = (
        "Report calls of operators the target's provider release removed in favour of a class "
        "with other arguments (e.g. BigQueryOperator -> BigQueryInsertJobOperator)"
    )
    tokens = (b"Operator", b"Sensor")
    fix = NO_FIX
    node_types = (ast.Call,)

    def check(self, node: ast.Call) -> Iterator[Finding]:
        qualified = self.ctx.imports.qualified_name(node.func)
        if not qualified or not qualified.startswith("airflow."):
            return
        if provider_class(qualified) is not None and "AU160" in self.ctx.selected_codes:
            return  # rewritten (or reported) by AU160 with the provider's own mapping
        chosen = chosen_releases(self.ctx)
        found = removed_with_replacement(qualified, chosen)
        if found is None:
            return
        home, replacement, last = found
        dist = _providers.dist_of(home) or ""
        following = [r for r in _providers.releases(dist) if _version(r) > _version(last)]
        removed = f"removed in {following[0]}, " if following else ""
        old, new = home.rsplit(".", 1)[-1], replacement.rsplit(".", 1)[-1]
        message = (
            f"`{old}` is not in {chosen.label(dist)} ({removed}last in {last}): rewrite this call for "
            f"`{replacement}`"
        )
        accepted = accepted_on_target(replacement, self.ctx)
        if accepted is not None:
            missing = [k.arg for k in node.keywords if k.arg and k.arg not in accepted]
            if missing:
                message += f"; `{new}` has no " + ", ".join(f"`{name}`" for name in missing)
        yield Finding(node, message, end=node.func)


def _version(text: str) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in text.split("."))
