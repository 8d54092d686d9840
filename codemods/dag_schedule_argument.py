"""AU301: `DAG(schedule_interval=...)` / `DAG(timetable=...)` -> `DAG(schedule=...)`.

`schedule` was added in Airflow 2.4 and the two older arguments were deprecated then; Airflow
3.0 removed them (the DAG fails to import). The value is kept as it is: `schedule` accepts the
cron strings, presets, timedeltas, None and timetables the old arguments took.

In bridge mode (`fix --bridge`), where 1.10.15 knows only `schedule_interval=`, the keyword
becomes `**schedule_argument(value)` (compat/dag.py: `schedule_interval=` before 2.4,
`schedule=` from 2.4 on); closing the bridge turns it back into `schedule=value`.

## Example
```python target=3
from airflow import DAG

dag = DAG("etl", schedule_interval="@daily")
```
Use instead:
```python
from airflow import DAG

dag = DAG("etl", schedule="@daily")
```

## Fix safety
For a company's own `DAG` (`from company_airflow import DAG`) the fix is safe when that
callable's source in the DAG repo shows it hands the keywords on to Airflow's DAG unchanged
(codemods/_dag_wrappers.py; the message names the definition) or the `dag-wrappers` setting
names it; otherwise it is unsafe: the wrapper may give the keyword another meaning.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING, Optional

from codemods._base import NO_FIX, SAFE, Finding, Fix, Rewrite, Rule
from codemods._compat_calls import helper_qualified, unpacked, use_helper
from codemods._context import FileContext
from codemods._dag_calls import DagConstructions, rename_edit

if TYPE_CHECKING:
    import libcst as cst
else:
    from codemods._libcst import cst

OLD = ("schedule_interval", "timetable")
# every keyword the fix takes away or writes: a company `DAG` must hand them all on unchanged
TOUCHED = frozenset({*OLD, "schedule"})


class DagScheduleArgument(DagConstructions, Rule):
    code = "AU301"
    name = "dag-schedule-argument"
    summary = "`DAG(schedule_interval=...)` / `DAG(timetable=...)` -> `DAG(schedule=...)` (removed in 3.0)"
    tokens = (b"schedule_interval", b"timetable", b"schedule_argument")
    min_target = (3, 0)
    fix = SAFE
    node_types = (ast.Call,)
    in_import_guards = True  # a DAG built inside an import guard is migrated too

    def check(self, node: ast.Call) -> Iterator[Finding]:
        safety = self.construction_fix(node, names=TOUCHED)
        if safety is None:
            return
        has_schedule = any(k.arg == "schedule" for k in node.keywords)
        if self.ctx.options.close_bridge and not has_schedule:
            yield from self._close(node, safety)
        old = [k for k in node.keywords if k.arg in OLD]
        if not old:
            return
        if len(old) > 1 or has_schedule:
            yield Finding(
                old[0], "several schedule arguments: keep one `schedule=` (Airflow 3.0)", label=NO_FIX
            )
            return
        if self.ctx.options.bridge:
            yield from self._bridge(node, old[0], safety)
            return
        note = self.wrapper_note(node, safety, TOUCHED)
        yield Finding(
            old[0],
            f"`{old[0].arg}` was removed in Airflow 3.0: use `schedule=`{note}",
            Fix(safety, (rename_edit(old[0], "schedule"),)),
        )

    def _bridge(self, node: ast.Call, old: ast.keyword, safety: str) -> Iterator[Finding]:
        """Bridge mode: 1.10.15 rejects `schedule=`, 3.0 `schedule_interval=`."""
        problem = None
        if old.arg != "schedule_interval":
            problem = "Airflow 1.10 has no `timetable=`"
        elif any(
            isinstance(arg, ast.Starred) and (arg.lineno, arg.col_offset) > (old.lineno, old.col_offset)
            for arg in node.args
        ):
            problem = "a `*args` argument follows it"  # `f(**a, *b)` does not parse
        helper = use_helper(self.ctx, "schedule_argument") if problem is None else None
        if problem is None and helper is None:
            problem = "the name `schedule_argument` is bound to something else in this file"
        if problem is not None or helper is None:
            yield Finding(
                old,
                f"`{old.arg}` was removed in Airflow 3.0 and `schedule=` does not exist in 1.10, "
                f"but {problem}: pass `**schedule_argument(...)` (compat.dag) by hand",
                label=NO_FIX,
            )
            return
        note = self.wrapper_note(node, safety, TOUCHED)

        def bridged(call: cst.Call) -> cst.Call:
            return call.with_changes(
                args=[
                    unpacked(arg, helper, [cst.Arg(value=arg.value)])
                    if arg.keyword is not None and arg.keyword.value == "schedule_interval"
                    else arg
                    for arg in call.args
                ]
            )

        yield Finding(
            old,
            "`schedule_interval` was removed in Airflow 3.0 and `schedule=` does not exist in 1.10: "
            f"`**schedule_argument(...)` (compat.dag) passes the keyword each side takes{note}",
            Fix(safety, (Rewrite(node, bridged),), bridged=True),
        )

    def _close(self, node: ast.Call, safety: str) -> Iterator[Finding]:
        """Closing the bridge: `**schedule_argument(value)` is `schedule=value` again."""
        fix = None
        for keyword in node.keywords:
            if bridged_schedule_value(keyword, self.ctx) is None:
                continue
            fix = fix or Fix(safety, (Rewrite(node, lambda call: _closed(call, self.ctx)),))
            yield Finding(
                keyword, "closing the bridge: `**schedule_argument(value)` is `schedule=value`", fix
            )


def _closed(call: cst.Call, ctx: FileContext) -> cst.Call:
    args = []
    for arg in call.args:
        value = bridged_schedule(arg, ctx)
        if value is not None:
            arg = cst.Arg(
                keyword=cst.Name("schedule"),
                value=value,
                equal=cst.AssignEqual(
                    whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
                ),
                comma=arg.comma,
                whitespace_after_arg=arg.whitespace_after_arg,
            )
        args.append(arg)
    return call.with_changes(args=args)


def bridged_schedule_value(keyword: ast.keyword, ctx: FileContext) -> Optional[ast.expr]:
    """bridged_schedule on the ast: the schedule passed by `**schedule_argument(value)`."""
    value = keyword.value
    if keyword.arg is not None or not isinstance(value, ast.Call) or value.keywords or len(value.args) != 1:
        return None
    if isinstance(value.args[0], ast.Starred):
        return None
    if ctx.imports.qualified_name(value.func) != helper_qualified(ctx, "schedule_argument"):
        return None
    return value.args[0]


def bridged_schedule(arg: cst.Arg, ctx: FileContext) -> Optional[cst.BaseExpression]:
    """The schedule passed by `**schedule_argument(value)` (compat.dag), else None."""
    value = arg.value
    if arg.star != "**" or not isinstance(value, cst.Call) or len(value.args) != 1:
        return None
    if value.args[0].keyword is not None or value.args[0].star:
        return None
    if ctx.imports.qualified_name(value.func) != helper_qualified(ctx, "schedule_argument"):
        return None
    return value.args[0].value
