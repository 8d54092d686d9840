"""AU161: keyword arguments a 1.10 operator did not know, which 1.10 dropped and 2.0 rejects.

What: `KubernetesPodOperator(..., is_delete_pod_operator=True)` (a misspelt
`is_delete_operator_pod`), `BashOperator(..., retry=3)`: an argument the 1.10.15 class's
signature does not have.

Why: 1.10's BaseOperator only warned about unknown keywords ("Invalid arguments were passed
... Support for passing such arguments will be dropped in Airflow 2.0") and ignored them; since
2.0 BaseOperator raises and the DAG fails to import. The argument never had an effect, so
removing it keeps every run as it was on 1.10:

    KubernetesPodOperator(task_id="t", image="x", is_delete_pod_operator=True)
    ->  KubernetesPodOperator(task_id="t", image="x")

If you meant the argument (a typo of a real one, or one the target's class now accepts), put
the right spelling back after the upgrade: it will then start to apply.

The accepted arguments are generated from 1.10.15's sources
(codemods/_generated/operator_kwargs_1_10.json, scripts/gen_operator_kwargs_1_10.py): only
classes whose every `__init__` up to BaseOperator passes unknown keywords straight on are
covered. Fix safety: safe, when the value has no side effect (a call in it would no longer
run); otherwise reported without a fix.

## Example
```python
from airflow.operators.bash_operator import BashOperator

run = BashOperator(task_id="run", bash_command="run.sh", python_callable=print, dag=dag)
```
Use instead:
```python
from airflow.operators.bash_operator import BashOperator

run = BashOperator(task_id="run", bash_command="run.sh", dag=dag)
```
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Optional

from codemods._base import SAFE, Finding, Fix, Rewrite, Rule
from codemods._edit import remove_elements
from codemods._operator_kwargs_1_10 import accepted_1_10
from codemods.unknown_dag_arguments import near_miss

if TYPE_CHECKING:
    import libcst as cst
else:
    from codemods._libcst import cst

# Keywords another rule rewrites with more knowledge (it stays quiet about them only while selected).
_HANDLED_ELSEWHERE = {"provide_context": "AU110"}
_SIDE_EFFECTS = (ast.Call, ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)


def ignored_keywords(call: ast.Call, qualified: Optional[str]) -> list[ast.keyword]:
    """The call's keywords that 1.10.15's class dropped (it warned and ignored them)."""
    accepted = accepted_1_10().get(qualified or "")
    if accepted is None:
        return []
    return [k for k in call.keywords if k.arg is not None and k.arg not in accepted]


def meant_argument(word: str, accepted: frozenset[str]) -> Optional[str]:
    """The accepted argument `word` probably misspells: same words in another order
    (`is_delete_pod_operator`), else a near miss."""
    words = sorted(word.lower().split("_"))
    for candidate in sorted(accepted):
        if sorted(candidate.split("_")) == words:
            return candidate
    return near_miss(word, accepted, fuzzy=True)


def has_side_effects(node: ast.expr) -> bool:
    return any(isinstance(n, _SIDE_EFFECTS) for n in ast.walk(node))


class IgnoredOperatorArgument(Rule):
    code = "AU161"
    name = "ignored-operator-argument"
    summary = "Remove operator keywords the 1.10 class did not accept (1.10 ignored them, 2.0 rejects them)"
    tokens = (b"Operator", b"Sensor")
    fix = SAFE
    bridge_compatible = True  # 1.10 ignored the removed keywords
    node_types = (ast.Call,)

    def check(self, node: ast.Call) -> Iterator[Finding]:
        qualified = self.ctx.imports.qualified_name(node.func)
        if not qualified or not qualified.startswith("airflow."):
            return
        head = node.func
        while isinstance(head, ast.Attribute):
            head = head.value
        if isinstance(head, ast.Name) and self.ctx.imports.differs_by_version(head.id):
            return  # the 1.10 class is not the one the target runs (a bridge pair)
        cls = qualified.rsplit(".", 1)[-1]
        for keyword in ignored_keywords(node, qualified):
            owner = _HANDLED_ELSEWHERE.get(keyword.arg or "")
            if owner and owner in self.ctx.selected_codes:
                continue
            if has_side_effects(keyword.value):
                yield Finding(
                    keyword,
                    f"`{keyword.arg}` is no argument of 1.10's {cls} (1.10 ignored it, Airflow >=2.0 rejects it): "
                    "remove it (its value calls code, so it is not removed automatically)",
                    length=len(keyword.arg or ""),
                )
                continue
            meant = meant_argument(keyword.arg or "", accepted_1_10()[qualified] or frozenset())
            hint = f"`{meant}`" if meant else "the argument you meant"
            yield Finding(
                keyword,
                f"`{keyword.arg}` is no argument of 1.10's {cls}: 1.10 ignored it, Airflow >=2.0 rejects it; "
                f"removed (put {hint} back after the upgrade if you want it to apply)",
                Fix.safe(Rewrite(node, partial(_without_keyword, keyword.arg))),
                length=len(keyword.arg or ""),
            )


def _without_keyword(name: str, call: cst.Call) -> cst.Call:
    return call.with_changes(
        args=remove_elements(call.args, lambda a: a.keyword is not None and a.keyword.value == name)
    )
