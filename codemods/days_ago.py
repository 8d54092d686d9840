"""AU305: `days_ago(n)` -> `pendulum.today("UTC").add(days=-n)`.

`airflow.utils.dates.days_ago` was deprecated in Airflow 2.3 and removed in 3.0. It returned
midnight UTC of today minus n days (then `.replace(hour=, minute=, second=, microsecond=)`),
which is exactly `pendulum.today("UTC").add(days=-n, hours=..., ...)`: the same (moving)
value, so the DAG schedules as before. `import pendulum` is added; the `days_ago` import is
dropped once no use is left.

## Example
```python target=3
from airflow import DAG
from airflow.utils.dates import days_ago

dag = DAG("etl", schedule="@daily", start_date=days_ago(1), catchup=False)
```
Use instead:
```python
from airflow import DAG
import pendulum

dag = DAG("etl", schedule="@daily", start_date=pendulum.today("UTC").add(days=-1), catchup=False)
```
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING, Optional

from codemods._ast_nodes import of_type
from codemods._base import SAFE, Edit, Finding, Fix, Rewrite, Rule
from codemods._import_service import add_import, remove_import_if_unused
from codemods._keyword_removal import holds
from codemods._name_uses import NameUses

if TYPE_CHECKING:
    import libcst as cst
else:
    from codemods._libcst import cst

QUALIFIED = "airflow.utils.dates.days_ago"
_UNITS = {"hour": "hours", "minute": "minutes", "second": "seconds", "microsecond": "microseconds"}
MESSAGE = "`days_ago` was removed in Airflow 3.0: use `{new}` (the same value)"
_ARGUMENTS = ("n", "hour", "minute", "second", "microsecond")


class DaysAgoReplacer(Rule):
    code = "AU305"
    name = "days-ago"
    summary = '`days_ago(n)` -> `pendulum.today("UTC").add(days=-n)` (removed in 3.0)'
    tokens = (b"days_ago",)
    min_target = (3, 0)
    fix = SAFE
    node_types = (ast.Call,)
    # A call in a version switch or an ImportError fallback computes the same value: rewritten too.
    in_import_guards = True

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._uses: Optional[NameUses] = None
        self._fix: Optional[Fix] = None

    def _name_uses(self) -> NameUses:
        if self._uses is None:
            assert self.ctx.tree is not None
            self._uses = NameUses(self.ctx.tree)
        return self._uses

    def _calls_days_ago(self, call: ast.Call) -> bool:
        if self.ctx.imports.qualified_name(call.func) != QUALIFIED:
            return False
        # `def f(days_ago): days_ago(3)` calls the parameter (a local, a loop variable)
        return not isinstance(call.func, ast.Name) or any(
            node is call.func for node in self._name_uses().reads.get(call.func.id, ())
        )

    def check(self, node: ast.Call) -> Iterator[Finding]:
        if not self._calls_days_ago(node):
            return
        if not rewritable(node):
            yield Finding(
                node, "`days_ago` was removed in Airflow 3.0: use pendulum.today('UTC').add(days=-n)"
            )
            return
        if self._fix is None:
            self._fix = self._file_fix()
        yield Finding(node, MESSAGE.format(new=self._expression_text(node)), self._fix)

    def _expression_text(self, call: ast.Call) -> str:
        values: dict[str, ast.expr] = dict(zip(_ARGUMENTS, call.args))
        values.update({k.arg: k.value for k in call.keywords if k.arg})
        texts = {name: _source(self.ctx.lines, value, call) for name, value in values.items()}
        return _expression(texts, _ast_negated(texts["n"], values["n"]))

    def _call_edit(self, call: ast.Call) -> Optional[Edit]:
        """A call on one line, not in parentheses of its own, as a byte edit: the text
        _pendulum_call prints (LibCST would drop the parentheses around the call)."""
        if call.end_lineno != call.lineno or call.end_col_offset is None:
            return None
        line = self.ctx.lines[call.lineno - 1]
        if line[: call.col_offset].rstrip().endswith(b"(") and line[
            call.end_col_offset :
        ].lstrip().startswith(b")"):
            return None
        if not holds(line[call.col_offset : call.end_col_offset], "{}", call):
            return None
        new = self._expression_text(call).encode("utf-8")
        return Edit(call.lineno, call.col_offset, call.end_col_offset, new, reparse=True)

    def _file_fix(self) -> Fix:
        """One fix for the file: every rewritable call, the `days_ago` imports no use is left
        of, and `import pendulum` (placed by the import service: where a dropped import was,
        else after the first import block)."""
        tree = self.ctx.tree
        assert tree is not None
        calls = [node for node in of_type(tree, ast.Call) if self._calls_days_ago(node) and rewritable(node)]
        changes: list[Edit | Rewrite] = [
            self._call_edit(call) or Rewrite(call, _pendulum_call) for call in calls
        ]
        # a loop variable of the same name is no use (NameUses), nor a read of another binding
        names = [call.func for call in calls if isinstance(call.func, ast.Name)]
        changes += remove_import_if_unused(self.ctx, QUALIFIED, names)
        if "pendulum" not in self.ctx.imports.bindings or self.ctx.imports.bindings["pendulum"] == "pendulum":
            pendulum = add_import(self.ctx, "pendulum")
            if pendulum is not None:
                changes.append(pendulum)
        return Fix.safe(*changes)


def rewritable(call: ast.Call) -> bool:
    """The call has the arguments of `days_ago(n, hour=0, minute=0, second=0, microsecond=0)`
    (then it is rewritten, and the import goes once every use of the name is)."""
    if any(isinstance(arg, ast.Starred) for arg in call.args) or any(k.arg is None for k in call.keywords):
        return False
    if len(call.args) > len(_ARGUMENTS):
        return False
    positional = set(_ARGUMENTS[: len(call.args)])
    keywords = {k.arg for k in call.keywords}
    if keywords - set(_ARGUMENTS) or keywords & positional:
        return False
    return "n" in positional | keywords


def _expression(texts: dict[str, str], days: str) -> str:
    parts = [f"days={days}"]
    parts += [f"{_UNITS[name]}={texts[name]}" for name in _ARGUMENTS[1:] if name in texts]
    return f'pendulum.today("UTC").add({", ".join(parts)})'


def _source(lines: list[bytes], node: ast.expr, call: ast.Call) -> str:
    """The argument's source text with its own parentheses, as LibCST prints the value
    (CPython's ast positions are byte offsets and leave the parentheses out)."""
    own_lines = lines[call.lineno - 1 : call.end_lineno or call.lineno]  # the call's text only
    starts = [0]
    for line in own_lines:
        starts.append(starts[-1] + len(line))
    data = b"".join(own_lines)

    def offset(line: Optional[int], col: Optional[int]) -> int:
        return starts[(line or call.lineno) - call.lineno] + (col or 0)

    before = offset(node.lineno, node.col_offset)
    after = offset(node.end_lineno, node.end_col_offset)
    func_end = offset(call.func.end_lineno, call.func.end_col_offset)
    own = func_end + len(data[func_end:before]) - len(data[func_end:before].lstrip())  # the call's `(`
    while True:
        back = len(data[:before].rstrip())
        ahead = after + len(data[after:]) - len(data[after:].lstrip())
        if back == 0 or data[back - 1 : back] != b"(" or back - 1 == own or data[ahead : ahead + 1] != b")":
            break
        before, after = back - 1, ahead + 1
    return data[before:after].decode("utf-8")


def _ast_negated(code: str, node: ast.expr) -> str:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return "0" if code == "0" else f"-{code}"
    if isinstance(node, (ast.Name, ast.Attribute, ast.Call, ast.Subscript)) or (
        isinstance(node, ast.Constant) and (node.value is None or isinstance(node.value, bool))
    ):  # True, False, None are names to LibCST
        return f"-{code}"
    return f"-({code})"


def _negated(code: str, node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Integer):
        return "0" if node.value == "0" else f"-{code}"
    if isinstance(node, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)):
        return f"-{code}"
    return f"-({code})"


def _pendulum_call(call: cst.Call) -> cst.BaseExpression:
    code = cst.Module([]).code_for_node
    positional = [arg.value for arg in call.args if arg.keyword is None]
    values: dict[str, cst.BaseExpression] = dict(zip(_ARGUMENTS, positional))
    values.update({arg.keyword.value: arg.value for arg in call.args if arg.keyword is not None})
    texts = {name: code(value) for name, value in values.items()}
    return cst.parse_expression(_expression(texts, _negated(texts["n"], values["n"])))
