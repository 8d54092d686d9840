"""AU190: `airflow.configuration.get(...)` -> `airflow.configuration.conf.get(...)`.

Airflow 1.10's `airflow/configuration.py` had module-level wrappers (`get`, `getboolean`, ...)
around its `conf` object; Airflow 2.x kept them with a DeprecationWarning ("Accessing
configuration method 'get' directly from the configuration module is deprecated"), and 3.0
removed them: `configuration.get(...)` raises AttributeError at parse time.

Example::

    from airflow import configuration
    folder = configuration.get("logging", "base_log_folder")

becomes::

    from airflow import configuration
    folder = configuration.conf.get("logging", "base_log_folder")

Fix safety: safe; each wrapper only called the same method of `conf` (1.10 to 2.11). A wrapper
imported by name (`from airflow.configuration import get`) is reported.

## Example
```python target=3
from airflow import configuration

folder = configuration.get("core", "dags_folder")
```
Use instead:
```python
from airflow import configuration

folder = configuration.conf.get("core", "dags_folder")
```
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from codemods._base import SAFE, Edit, Finding, Fix, Rule

MODULE = "airflow.configuration"
# The module-level wrappers of Airflow 2.11's airflow/configuration.py (each warns and calls
# `conf.<name>`); 1.10.15 had the same names.
WRAPPERS = frozenset(
    {"get", "getboolean", "getfloat", "getint", "getsection", "has_option", "remove_option", "as_dict", "set"}
)


class ConfigModuleFunctions(Rule):
    code = "AU190"
    name = "config-module-functions"
    summary = "`airflow.configuration.get(...)` (and getboolean, getint, ...) -> `...configuration.conf.get(...)` (removed in 3.0)"
    tokens = (b"configuration",)
    fix = SAFE
    bridge_compatible = True  # `configuration.conf` is the object 1.10's wrappers called too
    node_types = (ast.Attribute, ast.ImportFrom)

    def relevant(self) -> bool:
        return any(
            qualified == MODULE or qualified == "airflow" or qualified.startswith(MODULE + ".")
            for qualified in self.ctx.imports.bindings.values()
        )

    def check(self, node: ast.AST) -> Iterator[Finding]:
        if isinstance(node, ast.ImportFrom):
            yield from self._imported_wrappers(node)
            return
        assert isinstance(node, ast.Attribute)
        if node.attr not in WRAPPERS or self.ctx.imports.qualified_name(node.value) != MODULE:
            return
        line = self.ctx.lines[node.end_lineno - 1] if node.end_lineno else b""
        start = (node.end_col_offset or 0) - len(node.attr)
        in_place = node.end_lineno is not None and line[start : node.end_col_offset] == node.attr.encode()
        yield Finding(
            node,
            f"`{MODULE}.{node.attr}` is deprecated since Airflow 2.0 and gone in 3.0: "
            f"use `{MODULE}.conf.{node.attr}`",
            Fix.safe(Edit(node.end_lineno, start, start, b"conf.")) if in_place else None,  # type: ignore[arg-type]
        )

    def _imported_wrappers(self, node: ast.ImportFrom) -> Iterator[Finding]:
        if node.module != MODULE or node.level:
            return
        for alias in node.names:
            if alias.name in WRAPPERS:
                yield Finding(
                    node,
                    f"`{MODULE}.{alias.name}` is deprecated since Airflow 2.0 and gone in 3.0: import "
                    f"`conf` from `{MODULE}` and call `conf.{alias.name}(...)`",
                )
