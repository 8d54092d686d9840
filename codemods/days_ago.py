"""AU305: `days_ago(n)` -> `pendulum.today("UTC").add(days=-n)`.

`airflow.utils.dates.days_ago` was deprecated in Airflow 2.3 and removed in 3.0. It returned
midnight UTC of today minus n days (then `.replace(hour=, minute=, second=, microsecond=)`),
which is exactly `pendulum.today("UTC").add(days=-n, hours=..., ...)`: the same (moving)
value, so the DAG schedules as before. `import pendulum` is added; the `days_ago` import is
dropped once no use is left.
"""

from __future__ import annotations

from typing import Optional, Union

import libcst as cst

from codemods._base import SAFE, Rule
from codemods._edit import remove_elements

QUALIFIED = "airflow.utils.dates.days_ago"
_UNITS = {"hour": "hours", "minute": "minutes", "second": "seconds", "microsecond": "microseconds"}
MESSAGE = "`days_ago` was removed in Airflow 3.0: use `{new}` (the same value)"


def _negated(code: str, node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Integer):
        return "0" if node.value == "0" else f"-{code}"
    if isinstance(node, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)):
        return f"-{code}"
    return f"-({code})"


class DaysAgoReplacer(Rule):
    code = "AU305"
    name = "days-ago"
    summary = '`days_ago(n)` -> `pendulum.today("UTC").add(days=-n)` (removed in 3.0)'
    tokens = (b"days_ago",)
    min_target = (3, 0)
    fix = SAFE

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._references: dict[str, int] = {}  # local name bound to days_ago -> Name uses
        self._replaced: dict[str, int] = {}
        self._in_alias = 0
        self._fixed_any = False

    # The import's own names are not uses. (Never return False from a visit: the walk is shared.)
    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        self._in_alias += 1

    def leave_ImportAlias(self, original: cst.ImportAlias, updated: cst.ImportAlias) -> cst.ImportAlias:
        self._in_alias -= 1
        return updated

    def visit_Name(self, node: cst.Name) -> None:
        if not self._in_alias and self.ctx.imports.bindings.get(node.value) == QUALIFIED:
            self._references[node.value] = self._references.get(node.value, 0) + 1

    def _expression(self, call: cst.Call) -> Optional[str]:
        code = self.ctx.module.code_for_node
        if any(arg.star for arg in call.args):
            return None
        positional = [arg for arg in call.args if arg.keyword is None]
        keywords = {arg.keyword.value: arg.value for arg in call.args if arg.keyword is not None}
        names = ["n", "hour", "minute", "second", "microsecond"]
        values: dict[str, cst.BaseExpression] = dict(zip(names, (a.value for a in positional)))
        if len(positional) > len(names) or set(keywords) - set(names) or set(keywords) & set(values):
            return None
        values.update(keywords)
        if "n" not in values:
            return None
        parts = [f"days={_negated(code(values['n']), values['n'])}"]
        parts += [f"{_UNITS[name]}={code(values[name])}" for name in names[1:] if name in values]
        return f'pendulum.today("UTC").add({", ".join(parts)})'

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if self.ctx.imports.qualified_name(original.func) != QUALIFIED:
            return updated
        new = self._expression(original)
        if new is None:
            self.report(
                original,
                "`days_ago` was removed in Airflow 3.0: use pendulum.today('UTC').add(days=-n)",
                fix=None,
            )
            return updated
        fixing = self.may_fix()
        self.report(original, MESSAGE.format(new=new), applied=fixing)
        if not fixing:
            return updated
        self._fixed_any = True
        if isinstance(original.func, cst.Name):
            self._replaced[original.func.value] = self._replaced.get(original.func.value, 0) + 1
        return cst.parse_expression(new)

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        if not self._fixed_any:
            return updated
        unused = {name for name, count in self._replaced.items() if count == self._references.get(name, 0)}
        body: list[Union[cst.BaseStatement, cst.BaseSmallStatement]] = []
        need_pendulum = "pendulum" not in self.ctx.imports.bindings
        for statement in updated.body:
            replacement = self._drop_import(statement, unused)
            if replacement is statement:
                body.append(statement)
                continue
            if need_pendulum:  # `import pendulum` takes the days_ago import's place
                body.append(_pendulum_import(statement))
                need_pendulum = False
                if replacement is not None:
                    replacement = replacement.with_changes(leading_lines=[])
            if replacement is not None:
                body.append(replacement)
        if need_pendulum:
            body.insert(_after_imports(body), cst.parse_statement("import pendulum\n"))
        return updated.with_changes(body=body)

    def _drop_import(self, statement, unused: set[str]):
        """The statement without `days_ago` in its import (None if nothing is left of it)."""
        if not unused or not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            return statement
        node = statement.body[0]
        if not isinstance(node, cst.ImportFrom) or isinstance(node.names, cst.ImportStar):
            return statement

        def doomed(alias: cst.ImportAlias) -> bool:
            local = alias.asname.name.value if alias.asname else alias.name.value  # type: ignore[union-attr]
            return local in unused and self.ctx.imports.bindings.get(local) == QUALIFIED

        if not any(doomed(a) for a in node.names):
            return statement
        kept = remove_elements(list(node.names), doomed)
        if not kept:
            return None
        return statement.with_changes(body=[node.with_changes(names=kept)])


def _pendulum_import(statement: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
    return cst.parse_statement("import pendulum\n").with_changes(  # type: ignore[return-value]
        leading_lines=statement.leading_lines
    )


def _after_imports(body: list) -> int:
    index = 0
    for position, statement in enumerate(body):
        if isinstance(statement, cst.SimpleStatementLine) and all(
            isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body
        ):
            index = position + 1
        elif index:
            break
    return index
