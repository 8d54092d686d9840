"""AU130: `TriggerDagRunOperator(python_callable=...)` and `DagRunOrder`, removed in Airflow 2.0.

1.10's operator called `python_callable(context, dag_run_obj)` and triggered the run with
`json.dumps(dag_run_obj.payload)` as its conf, or did not trigger when it returned a false
value. Airflow 2.0 removed the argument and `DagRunOrder`: the conf is the (templated) `conf=`
argument, and the "maybe" belongs to an upstream ShortCircuitOperator/BranchPythonOperator.

Fixed (safe) when the callable is the common shape, a function of the module (or a lambda)

    def set_payload(context, dag_run_obj):
        dag_run_obj.payload = {"source": "daily", "limit": 10}
        return dag_run_obj

and the payload does not depend on the context: a literal of JSON values (what `json.dumps`
passed through unchanged) whose strings hold no Jinja markers (2.0 renders `conf`; 1.10 passed
the strings as they were). `python_callable=set_payload` becomes `conf={"source": "daily",
"limit": 10}`; a callable that only returns `dag_run_obj` is dropped (conf None, as before).
Anything else is reported with what to write instead.

`DagRunOrder` itself: an import of it whose every use is in an annotation (a type hint of such
a callable) or that is unused is removed, and the annotations holding it become strings (never
evaluated, so the file no longer needs the name). Other uses are reported on their lines.

## Example
```python
from airflow.operators.dagrun_operator import TriggerDagRunOperator


def pass_day(context, dag_run_obj):
    dag_run_obj.payload = {"day": "monday"}
    return dag_run_obj


trigger = TriggerDagRunOperator(task_id="trigger", trigger_dag_id="report", python_callable=pass_day, dag=dag)
```
Use instead:
```python
from airflow.operators.dagrun_operator import TriggerDagRunOperator


def pass_day(context, dag_run_obj):
    dag_run_obj.payload = {"day": "monday"}
    return dag_run_obj


trigger = TriggerDagRunOperator(task_id="trigger", trigger_dag_id="report", conf={"day": "monday"}, dag=dag)
```
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Optional, Union

from codemods._ast_nodes import walk
from codemods._base import SAFE, Edit, Finding, Fix, Rewrite, Rule
from codemods._bindings import FileScopes
from codemods._edit import is_airflow_class
from codemods._import_spans import alias_spans
from codemods._name_uses import NameUses, describe_lines

if TYPE_CHECKING:
    import libcst as cst
else:
    from codemods._libcst import cst

DAG_RUN_ORDER = "airflow.operators.dagrun_operator.DagRunOrder"
TRIGGER = frozenset({"TriggerDagRunOperator"})
_JINJA_MARKERS = ("{{", "{%", "{#")

MESSAGE = (
    "`python_callable` was removed from TriggerDagRunOperator in Airflow 2.0 (and `DagRunOrder` with it): "
    "pass the payload as `conf={...}` (templated, e.g. `conf={'date': '{{ ds }}'}`); if the callable "
    "decided whether to trigger (returned None), put that test in a ShortCircuitOperator upstream"
)


@dataclass(frozen=True)
class CallablePlan:
    conf: Optional[str]  # source of the payload literal; None: no payload (drop the callable)
    name: str  # how the callable is spelt in the call
    exact: bool = True  # False: the payload is no constant JSON literal (reported with its text)


def json_literal(node: ast.expr) -> bool:
    """A literal that `json.dumps` keeps as it is and that holds no Jinja markers."""
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, str):
            return not any(marker in value for marker in _JINJA_MARKERS)
        if isinstance(value, float):
            return value == value and value not in (float("inf"), float("-inf"))
        return value is None or isinstance(value, (bool, int))
    if isinstance(node, ast.List):
        return all(json_literal(item) for item in node.elts)
    if isinstance(node, ast.Dict):
        return all(
            isinstance(key, ast.Constant)
            and isinstance(key.value, str)
            and json_literal(key)
            and json_literal(value)
            for key, value in zip(node.keys, node.values)
        )
    return False


def _two_positional(args: ast.arguments) -> Optional[tuple[str, str]]:
    if args.vararg or args.kwarg or args.kwonlyargs or args.defaults:
        return None
    params = [*args.posonlyargs, *args.args]
    return (params[0].arg, params[1].arg) if len(params) == 2 else None


def payload_of(function: Union[ast.FunctionDef, ast.Lambda]) -> tuple[bool, Optional[ast.expr]]:
    """(is the common shape, its payload expression or None) of a 1.10 trigger callable."""
    params = _two_positional(function.args)
    if params is None:
        return False, None
    _, order = params
    if isinstance(function, ast.Lambda):
        body = function.body
        return isinstance(body, ast.Name) and body.id == order, None
    statements = list(function.body)
    if statements and isinstance(statements[0], ast.Expr) and isinstance(statements[0].value, ast.Constant):
        statements = statements[1:]  # docstring
    if function.decorator_list or not statements:
        return False, None
    last = statements[-1]
    if not (isinstance(last, ast.Return) and isinstance(last.value, ast.Name) and last.value.id == order):
        return False, None
    if len(statements) == 1:
        return True, None
    if len(statements) != 2:
        return False, None
    assign = statements[0]
    if not (
        isinstance(assign, ast.Assign)
        and len(assign.targets) == 1
        and isinstance(assign.targets[0], ast.Attribute)
        and assign.targets[0].attr == "payload"
        and isinstance(assign.targets[0].value, ast.Name)
        and assign.targets[0].value.id == order
    ):
        return False, None
    return True, assign.value


def plan_callable(call: ast.Call, scopes: FileScopes, source: bytes) -> Optional[CallablePlan]:
    """The exact `conf=` for `python_callable=` of this call, or None when there is none."""
    if any(keyword.arg in (None, "conf") for keyword in call.keywords):
        return None  # **kwargs, or a `conf=` 1.10 ignored
    value = next(keyword.value for keyword in call.keywords if keyword.arg == "python_callable")
    if isinstance(value, ast.Lambda):
        function: Union[ast.FunctionDef, ast.Lambda] = value
    elif isinstance(value, ast.Name):
        bindings = scopes.bindings_at(call, value.id)
        if len(bindings) != 1 or not isinstance(bindings[0].node, ast.FunctionDef):
            return None
        function = bindings[0].node
    else:
        return None
    shape, payload = payload_of(function)
    if not shape:
        return None
    text = ast.get_source_segment(source.decode("utf-8"), payload) if payload is not None else None
    if payload is not None and text is None:
        return None
    name = ast.unparse(value) if not isinstance(value, ast.Lambda) else "lambda"
    return CallablePlan(text, name, payload is None or json_literal(payload))


def annotation_nodes(tree: ast.Module) -> tuple[list[ast.expr], bool]:
    """Every annotation of the file, and whether `from __future__ import annotations` is on."""
    postponed = any(
        isinstance(node, ast.ImportFrom)
        and node.module == "__future__"
        and any(alias.name == "annotations" for alias in node.names)
        for node in tree.body
    )
    found: list[ast.expr] = []
    for node in walk(tree):  # the file's node list (codemods/_ast_nodes.py), in ast.walk's order
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args
            for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
                if arg is not None and arg.annotation is not None:
                    found.append(arg.annotation)
            if node.returns is not None:
                found.append(node.returns)
        elif isinstance(node, ast.AnnAssign):
            found.append(node.annotation)
    return found, postponed


def _shown(text: Optional[str], limit: int = 80) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _content(line: bytes) -> bytes:
    return line.rstrip(b"\r\n")


def _at(alias: ast.alias, span) -> ast.AST:
    """The alias, with its position (Python 3.9's ast.alias has none: the span found)."""
    if hasattr(alias, "lineno"):
        return alias
    (line, col), (end_line, end_col) = span
    return ast.alias(
        name=alias.name,
        asname=alias.asname,
        lineno=line,
        col_offset=col,
        end_lineno=end_line,
        end_col_offset=end_col,
    )


class TriggerDagRunCallable(Rule):
    code = "AU130"
    name = "trigger-dagrun-callable"
    summary = (
        "`TriggerDagRunOperator(python_callable=...)` -> `conf={...}` when the payload is a constant; "
        "drop `DagRunOrder` used only in annotations (removed in 2.0)"
    )
    tokens = (b"TriggerDagRunOperator", b"DagRunOrder")
    fix = SAFE
    # In bridge mode (`fix --bridge`) only the `DagRunOrder` import goes (its annotations become
    # strings, never evaluated on 1.10.15 either); `python_callable` stays, reported: 1.10.15's
    # TriggerDagRunOperator has no `conf` (it would ignore it) and builds the payload by calling it.
    bridge_compatible = True
    node_types = (ast.Call, ast.ImportFrom)

    def check(self, node: ast.AST) -> Iterator[Finding]:
        if isinstance(node, ast.Call):
            return self._check_call(node)
        assert isinstance(node, ast.ImportFrom)
        return self._check_import(node)

    # ----- TriggerDagRunOperator(python_callable=...) -----
    def _check_call(self, node: ast.Call) -> Iterator[Finding]:
        if not is_airflow_class(self.ctx.imports.qualified_name(node.func), TRIGGER):
            return
        keyword = next((k for k in node.keywords if k.arg == "python_callable"), None)
        if keyword is None:
            return
        plan = plan_callable(node, self.scopes, b"".join(self.ctx.lines))
        if plan is None:
            yield Finding(keyword, MESSAGE)
            return
        if not plan.exact:
            yield Finding(
                keyword,
                f"`python_callable` was removed from TriggerDagRunOperator in Airflow 2.0; `{plan.name}` always "
                f"triggers with the payload `{_shown(plan.conf)}`, which is no constant JSON literal: write it "
                "as `conf=` with what it reads from the context as Jinja (`context['ds']` -> `'{{ ds }}'`; "
                "conf is rendered since 2.0, so literal `{{` would be too)",
            )
            return
        if plan.conf is None:
            message = (
                f"`python_callable` was removed from TriggerDagRunOperator in Airflow 2.0; `{plan.name}` "
                "sets no payload and always triggers: remove it"
            )
        else:
            message = (
                f"`python_callable` was removed from TriggerDagRunOperator in Airflow 2.0; `{plan.name}` "
                f"always triggers with a constant payload: write `conf={plan.conf}`"
            )
        if self.ctx.options.bridge:
            message += (
                " once Airflow 1.10 is gone (bridge mode keeps it: 1.10.15's TriggerDagRunOperator "
                "has no `conf` and builds the payload with the callable)"
            )
            yield Finding(keyword, message, label=SAFE)
            return
        yield Finding(keyword, message, Fix.safe(Rewrite(node, partial(_with_conf, plan.conf))))

    # ----- DagRunOrder -----
    def _check_import(self, node: ast.ImportFrom) -> Iterator[Finding]:
        if node.module != "airflow.operators.dagrun_operator" or node.level:
            return
        tree = self.ctx.tree
        assert tree is not None
        spans = alias_spans(node, self.ctx.lines)
        for index, alias in enumerate(node.names):
            if alias.name != "DagRunOrder":
                continue
            local = alias.asname or alias.name
            yield self._dag_run_order(node, index, local, spans, tree)

    def _dag_run_order(self, node: ast.ImportFrom, index: int, local: str, spans, tree) -> Finding:
        annotations, postponed = annotation_nodes(tree)
        inside = {id(n) for annotation in annotations for n in ast.walk(annotation)}
        reads = NameUses(tree).reads.get(local, [])
        elsewhere = [read for read in reads if id(read) not in inside]
        at = _at(node.names[index], spans[index])
        if elsewhere:
            lines = describe_lines(sorted({read.lineno for read in elsewhere}))
            return Finding(
                at,
                f"`DagRunOrder` is gone in Airflow 2.0 and the file still uses it ({lines}): the conf of the "
                "triggered run is `TriggerDagRunOperator(conf=...)` now; rewrite those uses, then remove the import",
            )
        quoted = (
            [] if postponed else [a for a in annotations if any(n is r for r in reads for n in ast.walk(a))]
        )
        edits = [] if postponed else [self._quote(annotation) for annotation in quoted]
        removal = self._alias_removal(node, index, spans)
        if None in edits or (removal is None and len(node.names) > 1):
            return Finding(
                at,
                "`DagRunOrder` is gone in Airflow 2.0 and only annotations use it: write those annotations "
                "as strings (or drop them), then remove the import (no automatic fix for this layout)",
            )
        used = " (the annotations that name it become strings)" if quoted and not postponed else ""
        changes: list[Union[Edit, Rewrite]] = [Edit(*edit) for edit in edits]  # type: ignore[misc]
        if removal is None:
            changes.append(Rewrite(node, _without_import, cst_type="SimpleStatementLine"))
        else:
            changes.extend(Edit(*edit) for edit in removal)
        return Finding(
            at,
            f"`DagRunOrder` is gone in Airflow 2.0 (the conf of the triggered run is "
            f"`TriggerDagRunOperator(conf=...)`): remove the import{used}",
            Fix.safe(*changes),
        )

    def _quote(self, annotation: ast.expr) -> Optional[tuple[int, int, int, bytes]]:
        if annotation.end_lineno != annotation.lineno:
            return None
        line = self.ctx.lines[annotation.lineno - 1]
        text = line[annotation.col_offset : annotation.end_col_offset]
        quote = b'"' if b'"' not in text else b"'" if b"'" not in text else None
        if quote is None or b"\\" in text:
            return None
        return (annotation.lineno, annotation.col_offset, annotation.end_col_offset, quote + text + quote)

    def _alias_removal(
        self, node: ast.ImportFrom, index: int, spans
    ) -> Optional[list[tuple[int, int, int, bytes]]]:
        """The byte edits removing one name of a several-name import (with its comma), or None
        when it is the only name (the statement goes, in the LibCST walk)."""
        if len(node.names) == 1:
            return None
        (line, start), (end_line, end) = spans[index]
        if end_line != line:
            return None
        if index + 1 < len(node.names) and spans[index + 1][0][0] == line:
            return [(line, start, spans[index + 1][0][1], b"")]  # `A, B` -> `B`
        if index > 0 and spans[index - 1][1][0] == line:
            return [(line, spans[index - 1][1][1], end, b"")]  # `B, A` -> `B`
        # Alone on its line in a parenthesized import: the statement's later lines move up
        # one line (byte edits keep the number of lines: its last line is left empty).
        lines = self.ctx.lines
        if lines[line - 1][:start].strip() or lines[line - 1][end:].strip() not in (b"", b","):
            return None
        last = node.end_lineno or line
        edits = []
        for number in range(line, last + 1):
            old = lines[number - 1]
            following = lines[number] if number < last else b""
            edits.append((number, 0, len(_content(old)), _content(following)))
        return edits


def _with_conf(conf: Optional[str], call: cst.Call) -> cst.Call:
    """`python_callable=...` -> `conf=<conf>`, or dropped when there is no payload."""
    args: list[cst.Arg] = []
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "python_callable":
            if conf is None:
                if args and arg is call.args[-1]:
                    args[-1] = args[-1].with_changes(comma=arg.comma)
                continue
            arg = arg.with_changes(keyword=cst.Name("conf"), value=cst.parse_expression(conf))
        args.append(arg)
    return call.with_changes(args=args)


def _without_import(line: cst.SimpleStatementLine) -> Union[cst.SimpleStatementLine, cst.RemovalSentinel]:
    """The line goes when it is just `from airflow.operators.dagrun_operator import DagRunOrder`."""
    if len(line.body) != 1:
        return line
    statement = line.body[0]
    if not isinstance(statement, cst.ImportFrom) or isinstance(statement.names, cst.ImportStar):
        return line
    if [alias.name.value for alias in statement.names if isinstance(alias.name, cst.Name)] != ["DagRunOrder"]:
        return line
    return cst.RemovalSentinel.REMOVE
