"""One walk per file: every selected rule's handlers, called for each node of the tree.

django-upgrade's shape with LibCST nodes: instead of running N transformers (N walks), the
Dispatcher builds a table node-type-name -> handlers once per file and calls them from
``on_visit`` / ``on_leave``. It also keeps the import bindings and the try/except-ImportError
depth in the FileContext up to date before any rule sees a node.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Callable, Union

import libcst as cst

from codemods._base import Rule, handler_names
from codemods._context import IMPORT_ERRORS, FileContext
from codemods._rewrites import StatementsAround

_BINDING_STATEMENTS = (cst.Import, cst.ImportFrom, cst.Assign, cst.AnnAssign, cst.FunctionDef, cst.ClassDef)


class _BindingFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found = False

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, _BINDING_STATEMENTS):
            self.found = True
        return not self.found


def _provides_fallback(handler: cst.ExceptHandler) -> bool:
    # The same test as codemods/_context.py's on the ast: the handler imports or defines something.
    finder = _BindingFinder()
    handler.body.visit(finder)
    return finder.found


def _catches_import_error(node: cst.Try) -> bool:
    for handler in node.handlers:
        kind = handler.type
        names: list[cst.BaseExpression] = []
        if isinstance(kind, cst.Tuple):
            names = [element.value for element in kind.elements]
        elif kind is not None:
            names = [kind]
        if any(isinstance(n, cst.Name) and n.value in IMPORT_ERRORS for n in names) and _provides_fallback(
            handler
        ):
            return True
    return False


class Dispatcher(cst.CSTTransformer):
    def __init__(self, ctx: FileContext, rules: list[Rule]) -> None:
        super().__init__()
        self.ctx = ctx
        self._visit: dict[str, list[Callable]] = defaultdict(list)
        self._leave: dict[str, list[Callable]] = defaultdict(list)
        for rule in rules:
            for attr in handler_names(type(rule)):
                if attr.startswith("visit_"):
                    self._visit[attr[len("visit_") :]].append(getattr(rule, attr))
                else:
                    self._leave[attr[len("leave_") :]].append(getattr(rule, attr))
        self._guarding_tries: set[int] = set()
        # id of a LibCST node of the chunk -> the transforms of the applied fixes made on it
        # (codemods/_rewrites.py), set by the engine before each chunk's walk
        self.rewrites: dict[int, list[Callable]] = {}

    # No rule has per-attribute handlers (`visit_Call_func`): LibCST's default looks them up by
    # name twice for every child attribute of every node (about a tenth of a walk).
    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        return None

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        return None

    def on_visit(self, node: cst.CSTNode) -> bool:
        statement = self.ctx.statement_index.get(id(node))
        if statement is not None:  # one of the chunk's statements (FileContext.position)
            self.ctx.current_statement = statement
        kind = type(node).__name__
        if kind == "Try" and _catches_import_error(node):  # type: ignore[arg-type]
            self._guarding_tries.add(id(node))
            self.ctx.import_guard_depth += 1
        elif kind in ("Import", "ImportFrom"):
            self.ctx.imports.record(node)  # type: ignore[arg-type]
        descend = True
        for handler in self._visit.get(kind, ()):
            if handler(node) is False:
                descend = False
        return descend

    def on_leave(
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> Union[cst.CSTNode, cst.RemovalSentinel, cst.FlattenSentinel]:
        kind = type(original_node).__name__
        if kind == "Try" and id(original_node) in self._guarding_tries:
            self.ctx.import_guard_depth -= 1
        result: Union[cst.CSTNode, cst.RemovalSentinel, cst.FlattenSentinel] = updated_node
        for handler in self._leave.get(kind, ()):
            result = handler(original_node, result)
            if not isinstance(result, type(original_node)):
                break  # removed, flattened or replaced by another kind: later handlers don't apply
        transforms = self.rewrites.get(id(original_node), ())
        for transform in transforms:
            if isinstance(transform, StatementsAround):
                continue  # after the others, see below
            if not isinstance(result, cst.CSTNode):
                break
            result = transform(result)
            self.ctx.changes += 1
        for transform in transforms:
            # statements added around this one, whatever the other fixes made of it
            if isinstance(transform, StatementsAround):
                result = transform(result)
                self.ctx.changes += 1
        if id(original_node) in self.ctx.statement_index:
            self.ctx.current_statement = None
        return result
