"""AU203: deprecated context variables in template files (`sql="query.sql"`, `bash_command="run.sh"`).

An operator's templated field whose value ends with one of its `template_ext` is read as a file
through the DAG's Jinja loader - the DAG file's folder, then `DAG(template_searchpath=...)` - and
rendered with the same context, so `{{ execution_date }}` in a .sql file breaks on Airflow 3.0
like one in the DAG file (deprecated since 2.2). Diagnostics name the template file, its line
and column; the file is rewritten (same edits as AU201, codemods/_jinja.py) only with
`--include-templates`, through the engine's extra-files hook (the runner writes it atomically,
or shows it in --diff).

## Example
```python target=2.2 include_templates
from airflow.operators.postgres_operator import PostgresOperator

load = PostgresOperator(task_id="load", sql="load.sql", dag=dag)
```
```sql file=load.sql
SELECT * FROM events WHERE day = '{{ execution_date }}'
```
Use instead:
```python
from airflow.operators.postgres_operator import PostgresOperator

load = PostgresOperator(task_id="load", sql="load.sql", dag=dag)
```
```sql file=load.sql
SELECT * FROM events WHERE day = '{{ logical_date }}'
```
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Optional

import libcst as cst

from codemods._base import NO_FIX, SAFE, Diagnostic, Rule
from codemods._dag_calls import is_dag_call, is_operator_call
from codemods._jinja import REPLACEMENTS, apply_uses, mentions_deprecated, scan_template
from codemods.template_context_variables import describe

# The template_ext of Airflow's SQL, Bash, Hive and Spark-SQL operators.
TEMPLATE_EXTENSIONS = (".sql", ".hql", ".sh", ".bash")
_MAX_BYTES = 2_000_000


@dataclass(frozen=True)
class ExtraFile:
    """A file other than the DAG file that a rule rewrote: the runner writes or diffs it."""

    path: str
    old: bytes
    new: bytes


def _strings(node: cst.BaseExpression) -> list[str]:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return [value] if isinstance(value, str) else []
    if isinstance(node, (cst.List, cst.Tuple)):
        return [s for element in node.elements for s in _strings(element.value)]
    return []


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


class TemplateFileChecker(Rule):
    code = "AU203"
    name = "template-file-context-variables"
    summary = "Report (fix with --include-templates) deprecated context variables in .sql/.sh template files"
    tokens = tuple(ext.encode() for ext in TEMPLATE_EXTENSIONS) + (b"template_searchpath",)
    min_target = (2, 2)
    fix = SAFE

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.extra_files: list[ExtraFile] = []
        self._searchpath: list[str] = []
        self._seen: set[str] = set()

    def visit_Call(self, node: cst.Call) -> None:
        if is_dag_call(node, self.ctx.imports):
            for arg in node.args:
                if arg.keyword is not None and arg.keyword.value == "template_searchpath":
                    self._searchpath.extend(_strings(arg.value))
            return
        if not is_operator_call(node, self.ctx.imports):
            return
        for arg in node.args:
            for value in _strings(arg.value):
                if value.endswith(TEMPLATE_EXTENSIONS):
                    path = self._resolve(value)
                    if path is not None and path not in self._seen:
                        self._seen.add(path)
                        self._check(path, node)

    def _resolve(self, name: str) -> Optional[str]:
        # Airflow's loader: the DAG file's folder first, then template_searchpath.
        folder = os.path.dirname(os.path.abspath(self.ctx.path))
        for base in [folder, *(os.path.join(folder, p) for p in self._searchpath)]:
            candidate = os.path.normpath(os.path.join(base, name))
            if os.path.isfile(candidate):
                return candidate
            self.ctx.depends_on(candidate, None)  # created later, it would be found: not cacheable as is
        return None

    def _check(self, path: str, node: cst.Call) -> None:
        try:
            with open(path, "rb") as handle:
                data = handle.read(_MAX_BYTES + 1)
            self.ctx.depends_on(path, data)
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.report(node, f"template file {path} cannot be read ({exc}): check it by hand", fix=NO_FIX)
            return
        if len(data) > _MAX_BYTES or not mentions_deprecated(text):
            return
        scan = scan_template(text, quote="\0")
        shown = path if os.path.isabs(self.ctx.path) else os.path.relpath(path)
        if scan.problem:
            self._add(
                shown, 1, 1, f"template file mentions deprecated variables but {scan.problem}", NO_FIX, False
            )
            return
        fixing = set()
        for use in scan.uses:
            safety = REPLACEMENTS[use.name].fix
            if safety is not None and self.ctx.options.include_templates and self.may_fix(safety):
                fixing.add(use.name)
        reported: set[str] = set()
        for use in scan.uses:
            if use.name in reported:
                continue
            reported.add(use.name)
            line, col = _position(text, use.start)
            message = describe(use.name, use.replacement)
            if REPLACEMENTS[use.name].fix is not None and not self.ctx.options.include_templates:
                message += " [fixed by `fix --include-templates`]"
            self._add(shown, line, col, message, REPLACEMENTS[use.name].fix, use.name in fixing)
        for name in sorted(scan.unsure):
            self._add(
                shown,
                1,
                1,
                f"`{name}` is assigned or used in a way not rewritten automatically",
                NO_FIX,
                False,
            )
        if fixing:
            new_text = apply_uses(text, [use for use in scan.uses if use.name in fixing])
            self.extra_files.append(ExtraFile(path, data, new_text.encode("utf-8")))

    def _add(self, path: str, line: int, col: int, message: str, fix, applied: bool) -> None:
        if self.code not in self.ctx.selected_codes:
            return
        self.ctx.diagnostics.append(
            Diagnostic(
                path=path, line=line, col=col, code=self.code, message=message, fix=fix, applied=applied
            )
        )
