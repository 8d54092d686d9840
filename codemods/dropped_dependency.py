"""AU195: an import of a module that came with Airflow 1.10.15 and that Airflow 3 does not install.

apache-airflow 1.10.15 required pandas (and with it numpy and pytz), flask and its extensions,
future, tzlocal, markdown, graphviz, ...; a DAG repo importing them worked without listing
them in its own requirements. apache-airflow 3.3.2 requires none of them (pandas became an
extra, the web UI left Flask): on a plain 3.x install the import fails and the DAG file with it.
The table is generated from the installed distributions of both versions
(codemods/_generated/dropped_dependencies.json, scripts/gen_dropped_dependencies.py). Imports
guarded by `try/except ImportError` are left alone. A report: only the deployment's
requirements can fix it.

## Example
```python target=3
import pytz

tz = pytz.timezone("Europe/Paris")
```
Use instead (or list `pytz` in the deployment's requirements and mark the import
`# noqa: AU195`):
```python
import pendulum  # a requirement of Airflow 3 too

tz = pendulum.timezone("Europe/Paris")
```
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from codemods._base import NO_FIX, Finding, Rule
from codemods._import_spans import positioned_aliases

DATA = Path(__file__).resolve().parent / "_generated" / "dropped_dependencies.json"


@cache
def _table() -> dict:
    return json.loads(DATA.read_text())


class DroppedDependency(Rule):
    code = "AU195"
    name = "dropped-dependency"
    summary = (
        "Report imports of modules Airflow 1.10 installed and Airflow 3 does not (pytz, pandas, flask, ...)"
    )
    tokens = tuple(module.encode() for module in _table()["modules"])
    tokens_are_imports = True
    min_target = (3, 0)
    fix = NO_FIX
    node_types = (ast.Import, ast.ImportFrom)

    def check(self, node: ast.Import | ast.ImportFrom) -> Iterator[Finding]:
        if isinstance(node, ast.ImportFrom):
            message = _message(node.module) if node.module and not node.level else None
            if message:
                yield Finding(node, message)
            return
        for alias in positioned_aliases(node, self.ctx.lines):
            message = _message(alias.name)
            if message:
                yield Finding(alias, message)


def _message(module: str) -> str | None:
    table = _table()
    top = module.split(".", 1)[0]
    entry = table["modules"].get(top)
    if entry is None:
        return None
    chain = " -> ".join([*entry["via"], entry["dist"]])
    return (
        f"`{top}` came with Airflow {table['old']} ({entry['dist']} {entry['version']}: {chain}) and "
        f"Airflow {table['new']} does not install it: add `{entry['dist']}` to the deployment's "
        "requirements (unless it is a module of your own), or this import fails the DAG file"
    )
