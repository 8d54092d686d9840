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
from typing import Optional, Union

import libcst as cst

from codemods._base import SAFE, Rule
from codemods._edit import remove_elements
from codemods._name_uses import NameUses

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
    # The calls and the imports are found on CPython's ast (the other uses of the name by
    # NameUses); LibCST sees the statements holding a call, the `days_ago` import and the
    # statement `import pendulum` goes after (finish_chunk), not the whole module.
    ast_types = (ast.Call, ast.Import, ast.ImportFrom)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._replaceable: dict[str, int] = {}  # local name -> calls `name(...)` rewritten
        self._calls = 0  # rewritable calls, any spelling
        self._anchor = _last_line_of_first_imports(ctx.tree) if ctx.tree else None
        self._need_pendulum = "pendulum" not in ctx.imports.bindings
        self._uses: Optional[NameUses] = None

    def _name_uses(self) -> NameUses:
        if self._uses is None:
            assert self.ctx.tree is not None
            self._uses = NameUses(self.ctx.tree)
        return self._uses

    def _reads_the_import(self, name: ast.Name) -> bool:
        """False for a `days_ago` that is a parameter, a local or a loop variable there."""
        return any(node is name for node in self._name_uses().reads.get(name.id, ()))

    def _read_positions(self) -> frozenset[tuple[int, int]]:
        """(line, byte column) of every read of a name bound to days_ago that is the import."""
        bindings = self.ctx.imports.bindings
        return frozenset(
            (node.lineno, node.col_offset)
            for name, nodes in self._name_uses().reads.items()
            if bindings.get(name) == QUALIFIED
            for node in nodes
        )

    def inspect(self, node: ast.AST) -> bool:
        bindings = self.ctx.imports.bindings
        if isinstance(node, ast.Call):
            if self.ctx.imports.qualified_name(node.func) != QUALIFIED:
                return False
            if isinstance(node.func, ast.Name) and not self._reads_the_import(node.func):
                return False  # `def f(days_ago): days_ago(3)` calls the parameter
            if rewritable(node):
                self._calls += 1
                if isinstance(node.func, ast.Name):
                    self._replaceable[node.func.id] = self._replaceable.get(node.func.id, 0) + 1
            return True  # rewritten, or reported as not rewritable, in the LibCST walk
        # An import: the days_ago one may lose its name, the anchor gets `import pendulum` after it.
        if not self.may_fix():
            return False
        if node.lineno == self._anchor:  # type: ignore[attr-defined]
            return True
        return isinstance(node, ast.ImportFrom) and any(
            bindings.get(alias.asname or alias.name) == QUALIFIED for alias in node.names
        )

    def _byte_position(self, node: cst.CSTNode) -> tuple[int, int]:
        (line, col), _ = self.ctx.position(node)
        text = self.ctx.lines[line - 1].decode("utf-8", "replace") if line <= len(self.ctx.lines) else ""
        return line, len(text[: col - 1].encode("utf-8"))

    def walks_whole_module(self) -> bool:
        # No import block at the top to put `import pendulum` after: it goes first in the file.
        return self._anchor is None and self.may_fix() and self._calls > 0

    def _expression(self, call: cst.Call) -> Optional[str]:
        code = self.ctx.module.code_for_node
        if any(arg.star for arg in call.args):
            return None
        positional = [arg for arg in call.args if arg.keyword is None]
        keywords = {arg.keyword.value: arg.value for arg in call.args if arg.keyword is not None}
        values: dict[str, cst.BaseExpression] = dict(zip(_ARGUMENTS, (a.value for a in positional)))
        if (
            len(positional) > len(_ARGUMENTS)
            or set(keywords) - set(_ARGUMENTS)
            or set(keywords) & set(values)
        ):
            return None
        values.update(keywords)
        if "n" not in values:
            return None
        parts = [f"days={_negated(code(values['n']), values['n'])}"]
        parts += [f"{_UNITS[name]}={code(values[name])}" for name in _ARGUMENTS[1:] if name in values]
        return f'pendulum.today("UTC").add({", ".join(parts)})'

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if self.ctx.imports.qualified_name(original.func) != QUALIFIED:
            return updated
        if (
            isinstance(original.func, cst.Name)
            and self._byte_position(original.func) not in self._read_positions()
        ):
            return updated  # another binding of the name (see inspect)
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
        return cst.parse_expression(new)

    def finish_chunk(self, module: cst.Module, statement_lines: tuple[int, ...]) -> cst.Module:
        if not self.may_fix() or not self._calls:
            return module
        reads = self._name_uses().reads  # a loop variable of the same name is no use
        unused = {name for name, count in self._replaceable.items() if count == len(reads.get(name, ()))}
        body: list[Union[cst.BaseStatement, cst.BaseSmallStatement]] = []
        changed = False
        for statement, line in zip(module.body, statement_lines + (None,) * len(module.body)):
            replacement = self._drop_import(statement, unused)
            if replacement is not statement:
                changed = True
                if self._need_pendulum:  # `import pendulum` takes the days_ago import's place
                    body.append(_pendulum_import(statement))
                    self._need_pendulum = False
                    if replacement is not None:
                        replacement = replacement.with_changes(leading_lines=[])
                if replacement is not None:
                    body.append(replacement)
                continue
            body.append(statement)
            if self._need_pendulum and line is not None and self._pendulum_goes_after(line, unused):
                body.append(cst.parse_statement("import pendulum\n"))
                self._need_pendulum = False
                changed = True
        if self._need_pendulum and self.walks_whole_module():  # no import block: first in the file
            body.insert(0, cst.parse_statement("import pendulum\n"))
            self._need_pendulum = False
            changed = True
        if not changed:
            return module
        self.ctx.note_change()
        return module.with_changes(body=body)

    def _pendulum_goes_after(self, line: int, unused: set[str]) -> bool:
        # After the first import block - unless a days_ago import will be dropped further down,
        # whose place `import pendulum` then takes.
        return line == self._anchor and not self._drops_an_import(unused)

    def _drops_an_import(self, unused: set[str]) -> bool:
        assert self.ctx.tree is not None
        for node in self.ctx.tree.body:
            if isinstance(node, ast.ImportFrom) and any(
                (alias.asname or alias.name) in unused
                and self.ctx.imports.bindings.get(alias.asname or alias.name) == QUALIFIED
                for alias in node.names
            ):
                return True
        return False

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


_ARGUMENTS = ("n", "hour", "minute", "second", "microsecond")


def rewritable(call: ast.Call) -> bool:
    """What `_expression` accepts, decided on the ast (to know before the LibCST walk
    whether every use of the name goes)."""
    if any(isinstance(arg, ast.Starred) for arg in call.args) or any(k.arg is None for k in call.keywords):
        return False
    if len(call.args) > len(_ARGUMENTS):
        return False
    positional = set(_ARGUMENTS[: len(call.args)])
    keywords = {k.arg for k in call.keywords}
    if keywords - set(_ARGUMENTS) or keywords & positional:
        return False
    return "n" in positional | keywords


def _last_line_of_first_imports(tree: ast.Module) -> Optional[int]:
    """Start line of the last statement of the module's first run of import statements."""
    last = None
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            last = node.lineno
        elif last is not None:
            break
    return last


def _pendulum_import(statement: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
    return cst.parse_statement("import pendulum\n").with_changes(  # type: ignore[return-value]
        leading_lines=statement.leading_lines
    )
