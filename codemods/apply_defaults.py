"""AU140: remove `@apply_defaults` from operator `__init__` methods, and its import.

Since Airflow 2.0, BaseOperator's metaclass (BaseOperatorMeta) wraps every subclass's
`__init__` with the default_args logic itself; `airflow.utils.decorators.apply_defaults` was
deprecated (a no-op wrapper) in 2.x and the module is gone in Airflow 3.0, so the import fails
there. `from airflow.utils import apply_defaults` (a 1.10 re-export) already fails on 2.0.

Example::

    from airflow.utils.decorators import apply_defaults

    class MyOperator(BaseOperator):
        @apply_defaults
        def __init__(self, **kwargs):

becomes::

    class MyOperator(BaseOperator):
        def __init__(self, **kwargs):

Every spelling is found by qualified name: `from airflow.utils import apply_defaults`,
`... import apply_defaults as ad`, `from airflow.utils import decorators` with
`@decorators.apply_defaults`, `import airflow.utils.decorators`. The import (or the name in it)
goes when nothing else in the file uses it.

Fix safety: safe for the decorator on a method named `__init__` of a class with a base class
(what the metaclass applies it to). Anywhere else it is reported: on Airflow 3 the name no longer exists.
Imports guarded by `try/except ImportError` are compat code and left alone.

In bridge mode (`fix --bridge`, the file must keep loading on 1.10.15, where default_args reach
`__init__` only through the decorator) the decorators stay, reported; on a 2.x target the 1.10
re-export `from airflow.utils import apply_defaults`, which 2.0 dropped, becomes
`from airflow.utils.decorators import apply_defaults`, the name both versions have.

## Example
```python
from airflow.models import BaseOperator
from airflow.utils.decorators import apply_defaults


class LoadOperator(BaseOperator):
    @apply_defaults
    def __init__(self, table, **kwargs):
        super().__init__(**kwargs)
        self.table = table
```
Use instead:
```python
from airflow.models import BaseOperator


class LoadOperator(BaseOperator):
    def __init__(self, table, **kwargs):
        super().__init__(**kwargs)
        self.table = table
```
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Callable, Optional

from codemods._ast_nodes import of_type, walk
from codemods._base import SAFE, Edit, Finding, Fix, Rewrite, Rule
from codemods._import_service import remove_import
from codemods._import_spans import module_bytes_span
from codemods._keyword_removal import holds
from codemods._name_uses import NameUses, describe_lines

if TYPE_CHECKING:
    import libcst as cst
else:
    from codemods._libcst import cst

QUALIFIED = frozenset({"airflow.utils.decorators.apply_defaults", "airflow.utils.apply_defaults"})
# Modules an import may bind only to reach apply_defaults through them (`decorators.apply_defaults`).
_CARRIERS = frozenset({"airflow.utils.decorators"})

BRIDGE_NOTE = " once Airflow 1.10 is gone (bridge mode keeps it: 1.10.15 applies default_args to `__init__` only through it)"
REMOVED_MESSAGE = (
    "`@apply_defaults` is not needed since Airflow 2.0 (BaseOperator's metaclass applies it to "
    "`__init__`) and is gone in Airflow 3.0: remove it"
)
BOTH_VERSIONS = "airflow.utils.decorators.apply_defaults"


class ApplyDefaultsRemover(Rule):
    code = "AU140"
    name = "apply-defaults"
    summary = (
        "Remove `@apply_defaults` from operator `__init__` and its import (applied by BaseOperator since 2.0)"
    )
    tokens = (b"apply_defaults",)
    fix = SAFE
    # Bridge mode: only the import of 1.10's re-export moves (see the docstring).
    bridge_compatible = True
    node_types = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Import, ast.ImportFrom)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._findings: Optional[dict[int, list[Finding]]] = None  # id of a node -> its findings
        self._moved: list[Finding] = []  # bridge mode: the moved imports of 1.10's re-export

    def relevant(self) -> bool:
        return any(
            qualified in QUALIFIED or qualified in _CARRIERS or qualified in ("airflow", "airflow.utils")
            for qualified in self.ctx.imports.bindings.values()
        )

    def check(self, node: ast.AST) -> Iterator[Finding]:
        if self._findings is None:
            self._findings = self._plan()
        yield from self._findings.get(id(node), ())

    def finish(self) -> Iterator[Finding]:
        if any(self.ctx.applied(finding) for finding in self._moved):
            self.ctx.on_both.add(BOTH_VERSIONS)  # bridge mode: an import 1.10.15 has too
        return iter(())

    def _plan(self) -> dict[int, list[Finding]]:
        """Decide on the whole file once: which decorators go, which imports lose a name; the
        findings by the node (a function, an import statement) they are taken at."""
        findings: dict[int, list[Finding]] = {}
        tree = self.ctx.tree
        assert tree is not None
        imports = self.ctx.imports
        uses = NameUses(tree)
        removed_heads: set[int] = set()  # Name nodes at the head of a removed decorator
        # `__init__` of a class deriving from something (an operator, presumably: the metaclass
        # then applies the decorator itself); a class of `object` alone cannot be an operator.
        methods = {
            id(item)
            for node in of_type(tree, ast.ClassDef)
            if any(not (isinstance(base, ast.Name) and base.id == "object") for base in node.bases)
            for item in node.body
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name == "__init__"
        }
        # Names bound by an import inside try/except ImportError: version-aware code, left alone
        # (and their uses keep the import).
        guarded = {
            _binding(statement, alias)[0]
            for statement in imports.import_nodes
            if imports.guarded(statement.lineno)
            for alias in statement.names
        }
        for node in walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            removed = [
                index
                for index, decorator in enumerate(node.decorator_list)
                if id(node) in methods and not self.ctx.options.bridge and self._removable(decorator, guarded)
            ]
            fix = None
            if removed:
                # each decorator alone on its line: deleting the lines is what the LibCST
                # rewrite prints, without parsing the whole function with it
                lines = [_decorator_line(self.ctx.lines, node.decorator_list[index]) for index in removed]
                if all(lines):
                    fix = Fix.safe(*lines)  # type: ignore[arg-type]
                else:
                    fix = Fix.safe(Rewrite(node, _without_decorators(frozenset(removed))))
            for decorator in node.decorator_list:
                if not self._removable(decorator, guarded):
                    continue
                if id(node) in methods and self.ctx.options.bridge:
                    finding = Finding(decorator, REMOVED_MESSAGE + BRIDGE_NOTE, label=SAFE)
                elif id(node) in methods:
                    removed_heads.add(id(_head(decorator)))
                    finding = Finding(decorator, REMOVED_MESSAGE, fix)
                elif self.ctx.target >= (3, 0):
                    finding = Finding(
                        decorator,
                        "`apply_defaults` is gone in Airflow 3.0 and this is not an operator's "
                        "`__init__` (which BaseOperator's metaclass decorates itself): remove it",
                    )
                else:
                    continue
                findings.setdefault(id(node), []).append(finding)
        excluded = frozenset(removed_heads)
        droppable: dict[int, tuple[ast.Import | ast.ImportFrom, set[str]]] = {}  # id -> (import, local names)
        # (the findings of a guarded import are never taken: the framework leaves it alone)
        for statement in imports.import_nodes:
            if self.ctx.options.bridge:
                moved = self._bridge_import(statement)
                if moved is not None:
                    findings.setdefault(id(statement), []).append(moved)
                continue
            for alias in statement.names:
                local, qualified = _binding(statement, alias)
                if local is None or not (qualified in QUALIFIED or qualified in _CARRIERS):
                    continue
                reads = [n for n in uses.reads.get(local, ()) if id(n) not in excluded]
                through = sorted({n.lineno for n in reads if _uses_through(uses, n, qualified, imports)})
                if not through and (
                    local != "airflow"
                    or not reads
                    or any(_binds_airflow(other) for other in imports.import_nodes if other is not statement)
                ):
                    droppable.setdefault(id(statement), (statement, set()))[1].add(local)
                    continue
                if self.ctx.target < (3, 0):
                    continue  # the name still exists (deprecated) on 2.x
                if through:
                    message = (
                        f"`{qualified}` is gone in Airflow 3.0, and the file still uses it "
                        f"({describe_lines(through)}): remove those uses, then the import"
                    )
                else:
                    message = f"`{qualified}` is gone in Airflow 3.0: import `airflow` itself instead"
                at = alias if hasattr(alias, "lineno") else statement  # Python >= 3.10
                findings.setdefault(id(statement), []).append(Finding(at, message))
        for statement, doomed in droppable.values():
            # no use left once the decorators go: the import (or its name) goes with them
            rewrites = remove_import(self.ctx, statement, doomed)
            if rewrites:
                findings.setdefault(id(statement), []).append(
                    Finding(statement, "unused", Fix.safe(*rewrites), silent=True)
                )
        return findings

    def _removable(self, decorator: ast.expr, guarded: set[str]) -> bool:
        """`@apply_defaults` (any spelling) outside version-aware code."""
        imports = self.ctx.imports
        if imports.qualified_name(decorator) not in QUALIFIED or imports.guarded(decorator.lineno):
            return False
        return getattr(_head(decorator), "id", None) not in guarded

    def _bridge_import(self, statement: ast.Import | ast.ImportFrom) -> Optional[Finding]:
        """`from airflow.utils import apply_defaults` (1.10's re-export, gone in 2.0) ->
        `from airflow.utils.decorators import apply_defaults`, on a 2.x target."""
        if not isinstance(statement, ast.ImportFrom) or statement.module != "airflow.utils":
            return None
        if not any(alias.name == "apply_defaults" for alias in statement.names):
            return None
        span = module_bytes_span(statement, self.ctx.lines)
        movable = (
            self.ctx.target < (3, 0)
            and span is not None
            and all(a.name == "apply_defaults" for a in statement.names)
        )
        message = (
            "`airflow.utils.apply_defaults` is gone in Airflow 2.0: import it from `airflow.utils.decorators` "
            "(both 1.10 and 2.x have it there)"
        )
        if not movable:
            return Finding(statement, message)
        assert span is not None
        finding = Finding(
            statement,
            message,
            Fix.safe(Edit(statement.lineno, span[0], span[1], b"airflow.utils.decorators")),
        )
        self._moved.append(finding)
        return finding


_BEFORE_DECORATOR = re.compile(rb"[ \t]*@[ \t]*")
_AFTER_DECORATOR = re.compile(rb"[ \t]*(#[^\r\n]*)?(\r\n|\n|\r)")


def _decorator_line(lines: list[bytes], decorator: ast.expr) -> Optional[Edit]:
    """The deletion of the decorator's line, when the decorator stands alone on one line
    (`@apply_defaults`, a comment after it): what _without_decorators prints, the comment
    lines above it kept; else None."""
    if decorator.end_lineno != decorator.lineno or decorator.end_col_offset is None:
        return None
    line = lines[decorator.lineno - 1]
    if not _BEFORE_DECORATOR.fullmatch(line, 0, decorator.col_offset):
        return None
    if not _AFTER_DECORATOR.fullmatch(line, decorator.end_col_offset):
        return None
    if not holds(line[decorator.col_offset : decorator.end_col_offset], "{}", decorator):
        return None
    return Edit(decorator.lineno, 0, len(line), b"", reparse=True)


def _without_decorators(removed: frozenset[int]) -> Callable[[cst.FunctionDef], cst.FunctionDef]:
    """The function without the decorators at these indexes; comment lines above one stay."""

    def transform(function: cst.FunctionDef) -> cst.FunctionDef:
        decorators: list[cst.Decorator] = []
        carried: list[cst.EmptyLine] = []  # comment lines above a removed decorator
        for index, decorator in enumerate(function.decorators):
            if index in removed:
                carried.extend(decorator.leading_lines)
                continue
            if carried:
                decorator = decorator.with_changes(leading_lines=[*carried, *decorator.leading_lines])
                carried = []
            decorators.append(decorator)
        changes: dict = {"decorators": decorators}
        if carried:
            changes["lines_after_decorators"] = [*carried, *function.lines_after_decorators]
        return function.with_changes(**changes)

    return transform


def _binding(node: ast.Import | ast.ImportFrom, alias: ast.alias) -> tuple[Optional[str], str]:
    """(local name, qualified name it binds) of one imported name."""
    if isinstance(node, ast.ImportFrom):
        if node.level or not node.module or alias.name == "*":
            return None, ""
        return alias.asname or alias.name, f"{node.module}.{alias.name}"
    if alias.asname:
        return alias.asname, alias.name
    return alias.name.split(".", 1)[0], alias.name


def _head(expr: ast.expr) -> ast.expr:
    while isinstance(expr, ast.Attribute):
        expr = expr.value
    return expr


def _uses_through(uses: NameUses, node: ast.Name, qualified: str, imports) -> bool:
    """A read of a module's local name (or of `airflow` for `import airflow.utils.decorators`)
    that goes through the module (`decorators.x`, `airflow.utils.decorators.x`)."""
    chain = uses.chain(node)
    if chain is None:
        return node.id != "airflow"  # the module object itself is used
    dotted = imports.qualified_name(chain) or ""
    return dotted == qualified or dotted.startswith(qualified + ".")


def _binds_airflow(node: ast.Import | ast.ImportFrom) -> bool:
    return isinstance(node, ast.Import) and any(
        alias.asname is None and alias.name.split(".", 1)[0] == "airflow" for alias in node.names
    )
