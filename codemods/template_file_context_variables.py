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

import ast
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Optional

from codemods._base import SAFE, FileFinding, Finding, Fix, Rule
from codemods._dag_calls import is_dag_call, is_operator_call
from codemods._jinja import REPLACEMENTS, Use, apply_uses, mentions_deprecated, scan_template
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


@dataclass(frozen=True)
class _Template:
    """A template file read, its deprecated variables and the finding whose fix rewrites each."""

    path: str
    data: bytes
    text: str
    uses: list[Use]
    findings: dict[str, FileFinding]


def _strings(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant):
        return [node.value] if isinstance(node.value, str) else []
    if isinstance(node, (ast.List, ast.Tuple)):
        return [s for element in node.elts for s in _strings(element)]
    if isinstance(node, ast.Starred):  # an element or argument `*[...]`
        return _strings(node.value)
    return []


def _arguments(call: ast.Call) -> list[ast.expr]:
    """The values of a call's arguments, in source order."""
    arguments = sorted([*call.args, *call.keywords], key=lambda a: (a.lineno, a.col_offset))
    return [a.value if isinstance(a, ast.keyword) else a for a in arguments]


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
    node_types = (ast.Call,)
    in_import_guards = True

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._calls: list[ast.Call] = []
        self._templates: list[_Template] = []
        self._searchpath: list[str] = []
        self._seen: set[str] = set()

    def check(self, node: ast.Call) -> Iterator[Finding]:
        self._calls.append(node)
        return iter(())

    def finish(self) -> Iterator[Finding | FileFinding]:
        # in source order: a DAG's template_searchpath counts for the operators after it
        for call in sorted(self._calls, key=_source_order):
            if is_dag_call(call, self.ctx.imports):
                for keyword in call.keywords:
                    if keyword.arg == "template_searchpath":
                        self._searchpath.extend(_strings(keyword.value))
                continue
            if not is_operator_call(call, self.ctx.imports):
                continue
            for argument in _arguments(call):
                for value in _strings(argument):
                    if value.endswith(TEMPLATE_EXTENSIONS):
                        path = self._resolve(value)
                        if path is not None and path not in self._seen:
                            self._seen.add(path)
                            yield from self._check(path, call)

    def _resolve(self, name: str) -> Optional[str]:
        # Airflow's loader: the DAG file's folder first, then template_searchpath.
        folder = os.path.dirname(os.path.abspath(self.ctx.path))
        for base in [folder, *(os.path.join(folder, p) for p in self._searchpath)]:
            candidate = os.path.normpath(os.path.join(base, name))
            if os.path.isfile(candidate):
                return candidate
            self.ctx.depends_on(candidate, None)  # created later, it would be found: not cacheable as is
        return None

    def _check(self, path: str, node: ast.Call) -> Iterator[Finding | FileFinding]:
        try:
            with open(path, "rb") as handle:
                data = handle.read(_MAX_BYTES + 1)
            self.ctx.depends_on(path, data)
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            yield Finding(node, f"template file {path} cannot be read ({exc}): check it by hand")
            return
        if len(data) > _MAX_BYTES or not mentions_deprecated(text):
            return
        scan = scan_template(text, quote="\0")
        shown = path if os.path.isabs(self.ctx.path) else os.path.relpath(path)
        if scan.problem:
            yield FileFinding(shown, 1, 1, f"template file mentions deprecated variables but {scan.problem}")
            return
        # the file is rewritten only with --include-templates
        include = self.ctx.options.include_templates
        findings: dict[str, FileFinding] = {}
        for use in scan.uses:
            if use.name in findings:
                continue
            line, col = _position(text, use.start)
            message = describe(use.name, use.replacement)
            safety = REPLACEMENTS[use.name].fix
            if safety is not None and not include:
                message += " [fixed by `fix --include-templates`]"
            fix = Fix(safety) if safety is not None and include else None
            findings[use.name] = FileFinding(shown, line, col, message, fix, label=safety)
            yield findings[use.name]
        for name in sorted(scan.unsure):
            yield FileFinding(
                shown, 1, 1, f"`{name}` is assigned or used in a way not rewritten automatically"
            )
        self._templates.append(_Template(path, data, text, scan.uses, findings))

    @property
    def extra_files(self) -> list[ExtraFile]:
        """The template files with the variables whose fixes were applied rewritten."""
        files = []
        for template in self._templates:
            chosen = [use for use in template.uses if self.ctx.applied(template.findings[use.name])]  # type: ignore[arg-type]
            if chosen:
                new_text = apply_uses(template.text, chosen)
                files.append(ExtraFile(template.path, template.data, new_text.encode("utf-8")))
        return files


def _source_order(call: ast.Call) -> tuple[int, int, int, int]:
    """Where LibCST's walk meets a call: by its start, an enclosing call first."""
    return (call.lineno, call.col_offset, -(call.end_lineno or 0), -(call.end_col_offset or 0))
