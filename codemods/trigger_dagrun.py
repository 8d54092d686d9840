"""AU130: `TriggerDagRunOperator(python_callable=...)` is rejected by Airflow 2.0.

1.10's operator called `python_callable(context, dag_run_obj)` and triggered the run with
`dag_run_obj.payload` as its conf, or did not trigger when it returned None. Airflow 2.0 removed
the argument (and `DagRunOrder`): the conf is the templated `conf=` argument and the "maybe"
belongs to an upstream ShortCircuitOperator/BranchPythonOperator. What the callable computes is
arbitrary Python, so there is no automatic fix.
"""

from __future__ import annotations

import libcst as cst

from codemods._base import NO_FIX, Rule
from codemods._edit import is_airflow_class, keyword_arg

MESSAGE = (
    "`python_callable` was removed from TriggerDagRunOperator in Airflow 2.0 (and `DagRunOrder` with it): "
    "pass the payload as `conf={...}` (templated, e.g. `conf={'date': '{{ ds }}'}`); if the callable "
    "decided whether to trigger (returned None), put that test in a ShortCircuitOperator upstream"
)


class TriggerDagRunCallable(Rule):
    code = "AU130"
    name = "trigger-dagrun-callable"
    summary = "Report `TriggerDagRunOperator(python_callable=...)` (removed in 2.0: use `conf=`)"
    tokens = (b"TriggerDagRunOperator",)
    fix = NO_FIX

    def statement_tokens(self) -> tuple[bytes, ...]:
        # the statement that builds the task names the argument, whatever the class is called there
        return (b"python_callable",)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if self.ctx.in_import_guard:
            return updated
        if not is_airflow_class(
            self.ctx.imports.qualified_name(original.func), frozenset({"TriggerDagRunOperator"})
        ):
            return updated
        arg = keyword_arg(original, "python_callable")
        if arg is not None:
            self.report(arg, MESSAGE, fix=NO_FIX)
        return updated
