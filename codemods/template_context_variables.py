"""AU201: deprecated task-context variables in Jinja templates written in the DAG file.

Airflow 2.2 (AIP-39) replaced `execution_date`, `next_execution_date`, `next_ds`, `prev_ds`,
`tomorrow_ds`, `yesterday_ds`... by data intervals and deprecated them; Airflow 3.0 removed them
from the context, so a template using them fails to render. The rule looks at string literals
passed to operators (any call resolving to an Airflow class, named `...Operator`/`...Sensor`, or
given a `task_id=`) and at module-level constants (the `YESTERDAY = '{{ execution_date... }}'`
idiom), finds the variables with Jinja's own lexer/parser (codemods/_jinja.py) and edits only
the variable's characters. data_interval_* exist from 2.2 only: targets 2.0/2.1 keep the old names.

In bridge mode on a 3.x target (`fix --target 3 --bridge`: 1.10.15 has no `logical_date`, 3.0
no `execution_date`) a variable becomes `(logical_date if logical_date is defined else
execution_date)`: Jinja's `is defined` picks the name the running Airflow's context has, with no
macro to register. A second run leaves it alone; closing the bridge keeps `logical_date` alone.

## Example
```python target=2.2
from airflow.operators.bash_operator import BashOperator

run = BashOperator(task_id="run", bash_command="run.sh {{ execution_date }}", dag=dag)
```
Use instead:
```python
from airflow.operators.bash_operator import BashOperator

run = BashOperator(task_id="run", bash_command="run.sh {{ logical_date }}", dag=dag)
```
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Optional

from codemods._ast_nodes import children
from codemods._base import SAFE, Finding, Fix, Rule
from codemods._jinja import (
    ATTRIBUTE,
    MENTION,
    REPLACEMENTS,
    Use,
    apply_uses,
    bridged,
    mentions_deprecated,
    occurrences,
    rewrite_literal,
    scan_template,
)
from codemods._string_pieces import Piece, edits, pieces

TOKENS = tuple(
    name.encode() for name in ("execution_date", "next_ds", "prev_ds", "tomorrow_ds", "yesterday_ds")
)
TOKENS += (b"{{ conf", b"{{conf")
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _is_task_call(call: ast.Call, qualified: str | None) -> bool:
    if qualified and qualified.startswith("airflow."):
        return True
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    if name.endswith(("Operator", "Sensor")):
        return True
    return any(keyword.arg == "task_id" for keyword in call.keywords)


def _bridgeable(name: str) -> bool:
    """Bridge mode can write the fix of `name` so that 1.10.15 renders it too: a conditional on
    the 2.2+ variable (`bridged`), or a replacement built from names 1.10 has (macros.ds_add);
    not `dag_run.execution_date` (1.10's DagRun has no `logical_date`, Jinja would print "")."""
    return name != ATTRIBUTE


def describe(name: str, replacement: str) -> str:
    info = REPLACEMENTS[name]
    if name == ATTRIBUTE:
        return (
            "`.execution_date` of dag_run / ti / task_instance is deprecated since Airflow 2.2 and removed "
            f"in 3.0: use `dag_run.logical_date` ({info.note})"
        )
    removed = f"`{name}` is deprecated since Airflow 2.2 and gone from the task context in 3.0"
    if not replacement:
        return f"{removed}: rewrite by hand ({info.note})"
    return f"{removed}: use `{replacement.strip('()') if replacement.startswith('(') else replacement}` ({info.note})"


def _places(tree: ast.Module, imports) -> dict[int, bool]:
    """id of each string node the rule looks at -> whether it is a template: inside a task
    call, or a module-level constant (assigned outside any def/class). The literal parts and
    format specs of f-strings are no string nodes of their own (absent)."""
    places: dict[int, bool] = {}
    parts: set[int] = set()
    stack: list[tuple[ast.AST, int, bool]] = [(tree, 0, False)]
    while stack:
        node, depth, scoped = stack.pop()
        if isinstance(node, ast.Call):
            depth += _is_task_call(node, imports.qualified_name(node.func))
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and not scoped:
            depth += 1
        elif isinstance(node, _SCOPES):
            scoped = True
        elif isinstance(node, ast.JoinedStr):
            for value in node.values:
                if isinstance(value, ast.Constant):
                    parts.add(id(value))
                elif isinstance(value, ast.FormattedValue) and value.format_spec is not None:
                    parts.add(id(value.format_spec))
                    parts.update(id(v) for v in value.format_spec.values)  # type: ignore[attr-defined]
        if isinstance(node, (ast.Constant, ast.JoinedStr)) and id(node) not in parts:
            places[id(node)] = depth > 0
        # children(): iter_child_nodes less the Load/Store and operator singletons
        stack.extend((child, depth, scoped) for child in children(node))
    return places


class TemplateContextRewriter(Rule):
    code = "AU201"
    name = "template-context-variables"
    summary = "Rewrite deprecated context variables (execution_date, next_ds, ...) in Jinja templates"
    tokens = TOKENS
    min_target = (2, 2)
    fix = SAFE
    node_types = (ast.Constant, ast.JoinedStr)
    in_import_guards = True

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._places: Optional[dict[int, bool]] = None

    def _in_template(self, node: ast.AST) -> Optional[bool]:
        if self._places is None:
            self._places = _places(self.ctx.tree, self.ctx.imports)
        return self._places.get(id(node))

    def check(self, node: ast.AST) -> Iterator[Finding]:
        if isinstance(node, ast.Constant):
            if not isinstance(node.value, str) or not mentions_deprecated(node.value):
                return
        else:
            assert isinstance(node, ast.JoinedStr)
            text = "\0".join(v.value for v in node.values if isinstance(v, ast.Constant))
            if "{" not in text or MENTION.search(text) is None:
                return
        in_template = self._in_template(node)
        if in_template is None:
            return
        found = pieces(self.ctx.lines, node)
        if isinstance(node, ast.Constant) and not _spells(found, node.value):
            return  # the ast's position is not the literal's (a string inside an f-string's field)
        for piece in found:
            if piece.formatted:
                yield from self._formatted(piece, in_template)
            else:
                yield from self._string(piece, in_template)

    # -- the strings ---------------------------------------------------------------------
    def _string(self, piece: Piece, in_template: bool) -> Iterator[Finding]:
        value = piece.value()
        if not isinstance(value, str) or not mentions_deprecated(value):
            return
        at = piece.node
        if not in_template:
            # e.g. a command built in a helper function and passed to an operator later: it may
            # be rendered by Airflow, or by other code - say so, rewrite nothing.
            names = sorted({use.name for use in scan_template(value).uses} - {ATTRIBUTE})
            if names:
                yield Finding(
                    at,
                    f"Jinja template outside an operator call uses {', '.join(names)} (deprecated since Airflow "
                    "2.2, removed in 3.0): if Airflow renders it, rewrite it (execution_date -> logical_date)",
                )
            return
        quote = piece.quote
        scan = scan_template(value, quote=quote[0])
        if scan.problem:
            names = sorted(set(MENTION.findall(value)))
            yield Finding(at, f"template mentions {', '.join(names)} but {scan.problem}: check it by hand")
            return
        for name in sorted(scan.unsure):
            yield Finding(
                at,
                f"`{name}` in this template is assigned or used in a way not rewritten automatically: "
                + describe(name, REPLACEMENTS[name].expression or ""),
            )
        by_name: dict[str, list] = {}
        for use in scan.uses:
            by_name.setdefault(use.name, []).append(use)
        uses = scan.uses
        bridging = self.ctx.options.bridge and self.ctx.target >= (3, 0)
        if bridging:
            uses = [self._bridged(use, quote[0]) for use in uses]
        closing = scan.bridges if self.ctx.options.close_bridge else []
        fixable = [use for use in uses if REPLACEMENTS[use.name].fix is not None]
        changes = _changes(piece, value, fixable + closing)
        if changes is None and (fixable or closing):  # never write what we cannot verify by evaluating it
            closing = []
        for use in closing:
            yield Finding(
                at,
                f"closing the bridge: `{use.name}` is gone from the context in Airflow 3.0: "
                f"`{use.replacement}` alone",
                Fix.safe(*changes[id(use)]),  # type: ignore[index]
            )
        if changes is None and fixable:
            yield Finding(at, "template could not be rewritten exactly (escapes): fix by hand")
        for name, name_uses in by_name.items():
            message = describe(name, name_uses[0].replacement)
            safety = REPLACEMENTS[name].fix
            if bridging and safety is not None:
                message += (
                    f"; bridge mode writes `{bridged(name)}`, which 1.10.15 renders too"
                    if bridged(name)
                    else "; 1.10.15 renders the replacement too"
                    if _bridgeable(name)
                    else "; not in bridge mode: 1.10.15 has no `logical_date` attribute"
                )
            if safety is None or changes is None:
                yield Finding(at, message, label=safety)
                continue
            own = [edit for use in uses if use.name == name for edit in changes[id(use)]]
            yield Finding(at, message, Fix(safety, tuple(own), bridged=bridging and _bridgeable(name)))

    def _bridged(self, use: Use, quote: str) -> Use:
        form = bridged(use.name, quote)
        return use if form is None else Use(use.name, use.start, use.end, form)

    def _formatted(self, piece: Piece, in_template: bool) -> Iterator[Finding]:
        if not in_template:
            return
        text = _literal_text(piece.body)
        if "{{" not in text:
            return
        names = sorted(set(MENTION.findall(text)))
        if names:
            yield Finding(
                piece.node,
                f"f-string template uses {', '.join(names)} (deprecated since Airflow 2.2, removed in 3.0): "
                "rewrite by hand, e.g. execution_date -> logical_date",
            )


def _spells(found: list[Piece], value: str) -> bool:
    """The pieces are the source of a string constant of this value."""
    try:
        return bool(found) and "".join(piece.value() for piece in found) == value  # type: ignore[misc]
    except (ValueError, SyntaxError, TypeError):
        return False


def _changes(piece: Piece, value: str, uses: list[Use]) -> Optional[dict[int, list]]:
    """id of each use -> the byte edits writing its replacement into the literal, or None when
    the literal (with all of them, or the uses of any one name) could not be written exactly
    (codemods/_jinja.py rewrite_literal, which checks the result by evaluating it)."""
    if not uses:
        return {}
    head = piece.prefix + piece.quote
    body = piece.body
    groups = [uses, *({use.name: [u for u in uses if u.name == use.name] for use in uses}.values())]
    for group in groups if len(groups) > 2 else groups[:1]:
        if rewrite_literal(head, body, piece.quote, value, apply_uses(value, group), group) is None:
            return None
    found: dict[int, list] = {}
    for use in uses:
        if body == value:
            start = use.start
        else:
            word = value[use.start : use.end]
            start = occurrences(body, word)[occurrences(value, word).index(use.start)]
        start += len(head)
        found[id(use)] = edits(piece, [(start, start + use.end - use.start, use.replacement)])
    return found


def _literal_text(body: str) -> str:
    """The literal parts of an f-string's body as written (`{{` stays doubled), without the
    replacement fields."""
    out = []
    index = 0
    while index < len(body):
        char = body[index]
        if char in "{}" and body[index : index + 2] in ("{{", "}}"):
            out.append(body[index : index + 2])
            index += 2
        elif char == "{":
            index = _field_end(body, index)
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _field_end(body: str, index: int) -> int:
    """The index after the replacement field starting at `body[index]` (`{`)."""
    depth = 0
    quote = ""
    while index < len(body):
        char = body[index]
        if quote:
            if char == "\\":
                index += 1
            elif body.startswith(quote, index):
                index += len(quote) - 1
                quote = ""
        elif char in "\"'":
            quote = body[index : index + 3] if body[index : index + 3] in ('"""', "'''") else char
            index += len(quote) - 1
        elif char in "{[(":
            depth += 1
        elif char in "}])":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return index
