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

import libcst as cst

from codemods._base import NO_FIX, SAFE, Rule
from codemods._jinja import (
    ATTRIBUTE,
    MENTION,
    REPLACEMENTS,
    Use,
    apply_uses,
    bridged,
    mentions_deprecated,
    rewrite_literal,
    scan_template,
)

TOKENS = tuple(
    name.encode() for name in ("execution_date", "next_ds", "prev_ds", "tomorrow_ds", "yesterday_ds")
)
TOKENS += (b"{{ conf", b"{{conf")


def _is_task_call(call: cst.Call, qualified: str | None) -> bool:
    if qualified and qualified.startswith("airflow."):
        return True
    func = call.func
    name = (
        func.attr.value
        if isinstance(func, cst.Attribute)
        else func.value
        if isinstance(func, cst.Name)
        else ""
    )
    if name.endswith(("Operator", "Sensor")):
        return True
    return any(arg.keyword is not None and arg.keyword.value == "task_id" for arg in call.args)


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


class TemplateContextRewriter(Rule):
    code = "AU201"
    name = "template-context-variables"
    summary = "Rewrite deprecated context variables (execution_date, next_ds, ...) in Jinja templates"
    tokens = TOKENS
    min_target = (2, 2)
    fix = SAFE
    # Its def/class handlers only tell module-level constants from local ones: a statement
    # cut from a block is inside as many defs/classes as the engine says (ctx.chunk_scopes).
    kept_whole = ()

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._template_depth = 0
        self._scope_depth = 0  # inside def/class: local constants are not module-level ones
        self._calls: list[bool] = []
        self._assigns: list[bool] = []

    # -- where templates are -------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        is_task = _is_task_call(node, self.ctx.imports.qualified_name(node.func))
        self._calls.append(is_task)
        self._template_depth += is_task

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        self._template_depth -= self._calls.pop()
        return updated

    def _enter_assign(self) -> None:
        module_level = self._scope_depth == 0 and self.ctx.chunk_scopes == 0
        self._assigns.append(module_level)
        self._template_depth += module_level

    def _leave_assign(self) -> None:
        self._template_depth -= self._assigns.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        self._enter_assign()

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        self._leave_assign()
        return updated

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._enter_assign()

    def leave_AnnAssign(self, original: cst.AnnAssign, updated: cst.AnnAssign) -> cst.AnnAssign:
        self._leave_assign()
        return updated

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._scope_depth += 1

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        self._scope_depth -= 1
        return updated

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._scope_depth += 1

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        self._scope_depth -= 1
        return updated

    # -- the strings ---------------------------------------------------------------------
    def leave_SimpleString(self, original: cst.SimpleString, updated: cst.SimpleString) -> cst.SimpleString:
        value = original.evaluated_value
        if not isinstance(value, str) or not mentions_deprecated(value):
            return updated
        if self._template_depth <= 0:
            # e.g. a command built in a helper function and passed to an operator later: it may
            # be rendered by Airflow, or by other code - say so, rewrite nothing.
            names = sorted({use.name for use in scan_template(value).uses} - {ATTRIBUTE})
            if names:
                self.report(
                    original,
                    f"Jinja template outside an operator call uses {', '.join(names)} (deprecated since Airflow "
                    "2.2, removed in 3.0): if Airflow renders it, rewrite it (execution_date -> logical_date)",
                    fix=NO_FIX,
                )
            return updated
        quote = original.quote
        scan = scan_template(value, quote=quote[0])
        if scan.problem:
            names = sorted(set(MENTION.findall(value)))
            self.report(
                original,
                f"template mentions {', '.join(names)} but {scan.problem}: check it by hand",
                fix=NO_FIX,
            )
            return updated
        for name in sorted(scan.unsure):
            self.report(
                original,
                f"`{name}` in this template is assigned or used in a way not rewritten automatically: "
                + describe(name, REPLACEMENTS[name].expression or ""),
                fix=NO_FIX,
            )
        by_name: dict[str, list] = {}
        for use in scan.uses:
            by_name.setdefault(use.name, []).append(use)
        uses = scan.uses
        bridging = self.ctx.options.bridge and self.ctx.target >= (3, 0)
        if bridging:
            uses = [self._bridged(use, quote[0]) for use in uses]
        fixing = {
            name
            for name in by_name
            if REPLACEMENTS[name].fix is not None
            and self.may_fix(REPLACEMENTS[name].fix, bridged=bridging and _bridgeable(name))
        }
        if self.ctx.options.close_bridge and scan.bridges and self.may_fix(SAFE):
            for use in scan.bridges:
                self.report(
                    original,
                    f"closing the bridge: `{use.name}` is gone from the context in Airflow 3.0: "
                    f"`{use.replacement}` alone",
                    fix=SAFE,
                    applied=True,
                )
            uses = sorted([*uses, *scan.bridges], key=lambda u: u.start)
            fixing |= {use.name for use in scan.bridges}
        literal = None
        if fixing:
            chosen = [use for use in uses if use.name in fixing]
            head = original.prefix + quote
            body = original.value[len(head) : len(original.value) - len(quote)]
            literal = rewrite_literal(head, body, quote, value, apply_uses(value, chosen), chosen)
            if literal is None:  # never write what we cannot verify by evaluating it
                self.report(
                    original, "template could not be rewritten exactly (escapes): fix by hand", fix=NO_FIX
                )
                fixing = set()
        for name, name_uses in by_name.items():
            message = describe(name, name_uses[0].replacement)
            if bridging and REPLACEMENTS[name].fix is not None:
                message += (
                    f"; bridge mode writes `{bridged(name)}`, which 1.10.15 renders too"
                    if bridged(name)
                    else "; 1.10.15 renders the replacement too"
                    if _bridgeable(name)
                    else "; not in bridge mode: 1.10.15 has no `logical_date` attribute"
                )
            self.report(
                original,
                message,
                fix=REPLACEMENTS[name].fix,
                applied=name in fixing,
            )
        return updated.with_changes(value=literal) if literal is not None else updated

    def _bridged(self, use: Use, quote: str) -> Use:
        form = bridged(use.name, quote)
        return use if form is None else Use(use.name, use.start, use.end, form)

    def leave_FormattedString(
        self, original: cst.FormattedString, updated: cst.FormattedString
    ) -> cst.FormattedString:
        if self._template_depth <= 0:
            return updated
        text = "".join(p.value for p in original.parts if isinstance(p, cst.FormattedStringText))
        if "{{" not in text:
            return updated
        names = sorted(set(MENTION.findall(text)))
        if names:
            self.report(
                original,
                f"f-string template uses {', '.join(names)} (deprecated since Airflow 2.2, removed in 3.0): "
                "rewrite by hand, e.g. execution_date -> logical_date",
                fix=NO_FIX,
            )
        return updated
