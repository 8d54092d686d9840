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

from codemods._base import NO_FIX, SAFE, Rule

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
    ast_types = (ast.Attribute, ast.ImportFrom)

    def relevant(self) -> bool:
        return any(
            qualified == MODULE or qualified == "airflow" or qualified.startswith(MODULE + ".")
            for qualified in self.ctx.imports.bindings.values()
        )

    def inspect(self, node: ast.AST) -> bool:
        if isinstance(node, ast.ImportFrom):
            self._report_imported_wrappers(node)
            return False
        assert isinstance(node, ast.Attribute)
        if node.attr not in WRAPPERS or self.ctx.imports.qualified_name(node.value) != MODULE:
            return False
        if self.ctx.imports.guarded(node.lineno):
            return False
        line = self.ctx.lines[node.end_lineno - 1] if node.end_lineno else b""
        start = (node.end_col_offset or 0) - len(node.attr)
        in_place = node.end_lineno is not None and line[start : node.end_col_offset] == node.attr.encode()
        fixing = in_place and self.may_fix()
        self.ctx.report_ast(
            node,
            self.code,
            f"`{MODULE}.{node.attr}` is deprecated since Airflow 2.0 and gone in 3.0: "
            f"use `{MODULE}.conf.{node.attr}`",
            fix=SAFE if in_place else NO_FIX,
            applied=fixing,
        )
        if fixing:
            self.ctx.replace_bytes(node.end_lineno, start, start, b"conf.")  # type: ignore[arg-type]
        return False

    def _report_imported_wrappers(self, node: ast.ImportFrom) -> None:
        if node.module != MODULE or node.level or self.ctx.imports.guarded(node.lineno):
            return
        for alias in node.names:
            if alias.name in WRAPPERS:
                self.ctx.report_ast(
                    node,
                    self.code,
                    f"`{MODULE}.{alias.name}` is deprecated since Airflow 2.0 and gone in 3.0: import "
                    f"`conf` from `{MODULE}` and call `conf.{alias.name}(...)`",
                    fix=NO_FIX,
                )
