"""AU162: arguments a 1.10 operator took that the target's provider release no longer accepts,
and arguments that release requires which 1.10 did not.

What: `GCSToBigQueryOperator(bigquery_conn_id=...)` (one `gcp_conn_id` since google 7.0),
`DataprocCreateClusterOperator(...)` without `region` (required since google 7.0; 1.10
defaulted it to "global"), `delegate_to=` (removed in google 10.0).

Why: Airflow >=2.0 rejects an unknown argument and a missing required one at DAG import. The
signatures are those of the run's chosen provider releases (codemods/_providers.py, read from
the provider wheels); the message names the release and, when some release's own deprecation
code named one, the replacement argument.

    GCSToBigQueryOperator(task_id="load", bucket="b", bigquery_conn_id="bq")
    -> GCSToBigQueryOperator(task_id="load", bucket="b", gcp_conn_id="bq")

Fix safety: a connection-id argument that a release's deprecation code assigned to its
successor (`gcp_conn_id = bigquery_conn_id`) is renamed when the call gives a non-empty
literal and not the successor too (safe: the provider did the same with it); everything else is
reported without a fix: a removed argument's effect has to be rebuilt by hand.

## Example
```python target=2
from airflow.contrib.operators.gcs_to_s3 import GoogleCloudStorageToS3Operator

copy = GoogleCloudStorageToS3Operator(
    task_id="copy", bucket="b", dest_s3_key="s3://k/", google_cloud_storage_conn_id="gcs", dag=dag
)
```
Use instead:
```python
from airflow.contrib.operators.gcs_to_s3 import GoogleCloudStorageToS3Operator

copy = GoogleCloudStorageToS3Operator(
    task_id="copy", bucket="b", dest_s3_key="s3://k/", gcp_conn_id="gcs", dag=dag
)
```
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Optional

from codemods import _providers
from codemods._base import SAFE, Edit, Finding, Fix, Rule
from codemods._operator_kwargs_1_10 import accepted_1_10
from codemods._target_signature import (
    accepted_on_target,
    chosen_releases,
    renamed_in_history,
    required_on_target,
    target_home,
)

# Arguments other rules rewrite with more knowledge (quiet about them while that rule is selected).
_HANDLED_ELSEWHERE = {
    "provide_context": "AU110",
    "xcom_push": "AU132",
    "schedule_interval": "AU133",
    "auto_remove": "AU111",
    "allow_null": "AU134",
}


def _is_conn_id(name: str) -> bool:
    return name.endswith("_conn_id")


class RemovedOperatorArgument(Rule):
    code = "AU162"
    name = "removed-operator-argument"
    summary = (
        "Report (or rename) 1.10 operator arguments the target's provider release dropped, "
        "and arguments it now requires (signatures from the provider releases)"
    )
    tokens = (b"Operator", b"Sensor")
    fix = SAFE
    node_types = (ast.Call,)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._named: Optional[frozenset] = None  # strings and keyword names of the file

    def check(self, node: ast.Call) -> Iterator[Finding]:
        qualified = self.ctx.imports.qualified_name(node.func)
        old_params = accepted_1_10().get(qualified or "")
        if not qualified or old_params is None:
            return  # not a 1.10 operator class whose arguments are known
        home = target_home(qualified, self.ctx)
        accepted = accepted_on_target(home, self.ctx) if home else None
        if home is None or accepted is None:
            return
        release = chosen_releases(self.ctx).label(_providers.dist_of(home) or "")
        cls = home.rsplit(".", 1)[-1]
        given = {k.arg for k in node.keywords if k.arg}
        for keyword in node.keywords:
            name = keyword.arg
            if name is None or name in accepted or name not in old_params:
                continue  # AU161 handles what 1.10 did not accept either
            owner = _HANDLED_ELSEWHERE.get(name)
            if owner and owner in self.ctx.selected_codes:
                continue
            yield self._removed(keyword, name, home, cls, release, accepted, given)
        if not any(k.arg is None for k in node.keywords):
            for name in required_on_target(home, self.ctx):
                if name not in given and not self._maybe_in_default_args(name):
                    yield Finding(
                        node,
                        f"{cls} requires `{name}` in {release}; 1.10's class did not: pass it "
                        "(unless default_args from another module give it, the DAG fails to import)",
                        end=node.func,
                    )

    def _removed(self, keyword, name, home, cls, release, accepted, given) -> Finding:
        new = renamed_in_history(home, name)
        if new is not None and new not in accepted:
            new = None
        base = f"`{name}` is no argument of {cls} in {release} (Airflow >=2.0 rejects it)"
        edit = self._rename(keyword, name, new, given)
        if edit is not None:
            return Finding(
                keyword, f"{base}: the provider replaced it by `{new}`", Fix.safe(edit), length=len(name)
            )
        if new:
            hint = f"the provider's deprecation code pointed to `{new}`"
        else:
            connections = sorted(a for a in accepted if _is_conn_id(a)) if _is_conn_id(name) else []
            hint = (
                f"the class's connection argument is {' / '.join(f'`{c}`' for c in connections)}"
                if connections
                else "remove it and rebuild its effect with the class's current arguments"
            )
        return Finding(keyword, f"{base}: {hint}", length=len(name))

    def _rename(self, keyword: ast.keyword, old: str, new: Optional[str], given: set) -> Optional[Edit]:
        if new is None or new in given or not (_is_conn_id(old) and _is_conn_id(new)):
            return None
        value = keyword.value
        if not (isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value):
            return None  # the provider passed a falsy value on as its default, not as the new argument
        line = self.ctx.lines[keyword.lineno - 1]
        if line[keyword.col_offset : keyword.col_offset + len(old)] != old.encode():
            return None
        return Edit(keyword.lineno, keyword.col_offset, keyword.col_offset + len(old), new.encode())

    def _maybe_in_default_args(self, name: str) -> bool:
        """default_args fill an operator's arguments: a file naming the argument anywhere (a
        dict key, `dict(region=...)`) may give it that way."""
        if self._named is None:
            tree = self.ctx.tree
            self._named = frozenset(
                node.value if isinstance(node, ast.Constant) else node.arg
                for node in (ast.walk(tree) if tree is not None else ())
                if (isinstance(node, ast.Constant) and isinstance(node.value, str))
                or (isinstance(node, ast.keyword) and node.arg)
            )
        return name in self._named
