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
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from codemods._base import NO_FIX, SAFE, Rule
from codemods._compat_calls import helper_qualified, unpacked, unpacking_allowed, use_helper
from codemods._context import FileContext
from codemods._dag_calls import DagConstructions, rename_keyword
from codemods._edit import keyword_arg

OLD = ("schedule_interval", "timetable")


class DagScheduleArgument(DagConstructions, Rule):
    code = "AU301"
    name = "dag-schedule-argument"
    summary = "`DAG(schedule_interval=...)` / `DAG(timetable=...)` -> `DAG(schedule=...)` (removed in 3.0)"
    tokens = (b"schedule_interval", b"timetable", b"schedule_argument")
    min_target = (3, 0)
    fix = SAFE

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        safety = self.construction_fix(original)
        if safety is None:
            return updated
        if self.ctx.options.close_bridge:
            updated = self._close(original, updated, safety)
        old = [arg for arg in original.args if arg.keyword is not None and arg.keyword.value in OLD]
        if not old:
            return updated
        if len(old) > 1 or keyword_arg(original, "schedule") is not None:
            self.report(old[0], "several schedule arguments: keep one `schedule=` (Airflow 3.0)", fix=NO_FIX)
            return updated
        keyword = old[0].keyword.value  # type: ignore[union-attr]
        if self.ctx.options.bridge:
            return self._bridge(original, updated, old[0], safety)
        fixing = self.may_fix(safety)
        note = self.wrapper_note(original, safety)
        self.report(
            old[0],
            f"`{keyword}` was removed in Airflow 3.0: use `schedule=`{note}",
            fix=safety,
            applied=fixing,
        )
        if not fixing:
            return updated
        return updated.with_changes(
            args=[
                rename_keyword(arg, "schedule")
                if arg.keyword is not None and arg.keyword.value in OLD
                else arg
                for arg in updated.args
            ]
        )

    def _bridge(self, original: cst.Call, updated: cst.Call, old: cst.Arg, safety: str) -> cst.Call:
        """Bridge mode: 1.10.15 rejects `schedule=`, 3.0 `schedule_interval=`."""
        index = next(i for i, arg in enumerate(original.args) if arg is old)
        problem = None
        if old.keyword.value != "schedule_interval":  # type: ignore[union-attr]
            problem = "Airflow 1.10 has no `timetable=`"
        elif not unpacking_allowed(original, index):
            problem = "a `*args` argument follows it"
        helper = use_helper(self.ctx, "schedule_argument") if problem is None else None
        if problem is None and helper is None:
            problem = "the name `schedule_argument` is bound to something else in this file"
        if problem is not None or helper is None:
            self.report(
                old,
                f"`{old.keyword.value}` was removed in Airflow 3.0 and `schedule=` does not exist in 1.10, "  # type: ignore[union-attr]
                f"but {problem}: pass `**schedule_argument(...)` (compat.dag) by hand",
                fix=NO_FIX,
            )
            return updated
        fixing = self.may_fix(safety, bridged=True)
        note = self.wrapper_note(original, safety)
        self.report(
            old,
            "`schedule_interval` was removed in Airflow 3.0 and `schedule=` does not exist in 1.10: "
            f"`**schedule_argument(...)` (compat.dag) passes the keyword each side takes{note}",
            fix=safety,
            applied=fixing,
        )
        if not fixing:
            return updated
        args = list(updated.args)
        args[index] = unpacked(args[index], helper, [cst.Arg(value=args[index].value)])
        return updated.with_changes(args=args)

    def _close(self, original: cst.Call, updated: cst.Call, safety: str) -> cst.Call:
        """Closing the bridge: `**schedule_argument(value)` is `schedule=value` again."""
        args = list(updated.args)
        for index, arg in enumerate(original.args):
            value = bridged_schedule(arg, self.ctx)
            if value is None or keyword_arg(original, "schedule") is not None:
                continue
            fixing = self.may_fix(safety)
            self.report(
                arg, "closing the bridge: `**schedule_argument(value)` is `schedule=value`", applied=fixing
            )
            if fixing:
                new_value = args[index].value.args[0].value  # type: ignore[attr-defined]
                args[index] = cst.Arg(
                    keyword=cst.Name("schedule"),
                    value=new_value,
                    equal=cst.AssignEqual(
                        whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
                    ),
                    comma=arg.comma,
                    whitespace_after_arg=arg.whitespace_after_arg,
                )
        return updated.with_changes(args=args)


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
