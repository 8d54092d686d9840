"""AU131: SubDagOperator - `executor=` rejected by Airflow 2.0; the operator deprecated, gone in 3.

Airflow 2.0 dropped `SubDagOperator(executor=...)` (the subdag's tasks are scheduled like any
other, by the scheduler's executor), so the argument makes the DAG fail to import. Removing it is
the only way to load, but it changes how the subdag runs (1.10's default was a
SequentialExecutor: one task at a time): an unsafe fix. The operator itself is deprecated in
favour of TaskGroup (Airflow 2.0) and removed in Airflow 3.0; that needs restructuring the DAG,
so it is a diagnostic.
"""

from __future__ import annotations

import libcst as cst

from codemods._base import NO_FIX, UNSAFE, Rule
from codemods._edit import is_airflow_class, keyword_arg, remove_elements

SUBDAG = frozenset({"SubDagOperator"})


class SubDagOperatorUse(Rule):
    code = "AU131"
    name = "subdag-operator"
    summary = (
        "SubDagOperator: drop `executor=` (rejected by 2.0; unsafe fix); "
        "report the operator (TaskGroup; removed in 3.0)"
    )
    tokens = (b"SubDagOperator",)
    fix = UNSAFE

    def statement_tokens(self) -> tuple[bytes, ...]:
        """The class name, its local aliases, and `module.` for airflow modules imported under a name."""
        tokens = {b"SubDagOperator"}
        for local, qualified in self.ctx.imports.bindings.items():
            if qualified.endswith(".SubDagOperator"):
                tokens.add(local.encode())
            elif qualified.startswith("airflow") and local != "airflow":
                tokens.add(f"{local}.".encode())
        return tuple(sorted(tokens))

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if self.ctx.in_import_guard:
            return updated
        if not is_airflow_class(self.ctx.imports.qualified_name(original.func), SUBDAG):
            return updated
        if self.ctx.target >= (3, 0):
            self.report(
                original,
                "SubDagOperator was removed in Airflow 3.0: rewrite the subdag as a TaskGroup "
                "(`with TaskGroup('name') as group:` inside the parent DAG)",
                fix=NO_FIX,
            )
        else:
            self.report(
                original,
                "SubDagOperator is deprecated since Airflow 2.0 and removed in 3.0: plan to rewrite it "
                "as a TaskGroup",
                fix=NO_FIX,
            )
        arg = keyword_arg(original, "executor")
        if arg is None:
            return updated
        fixing = self.may_fix(UNSAFE)
        self.report(
            arg,
            "`executor=` was removed from SubDagOperator in Airflow 2.0 (the scheduler's executor runs "
            "the subdag's "
            "tasks, in parallel where 1.10's default SequentialExecutor ran one at a time): remove it",
            fix=UNSAFE,
            applied=fixing,
        )
        if not fixing:
            return updated
        return updated.with_changes(
            args=remove_elements(
                updated.args, lambda a: a.keyword is not None and a.keyword.value == "executor"
            )
        )
