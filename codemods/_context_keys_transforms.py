"""AU202's LibCST walk: a function's parameters renamed with their uses (context_keys.py).

Apart from the rule so that only a fix applying it imports LibCST.
"""

from __future__ import annotations

import libcst as cst


class Renamer(cst.CSTTransformer):
    """Rename a function's parameters and their uses; leaves attribute and keyword names alone."""

    def __init__(self, renames: dict[str, str]) -> None:
        super().__init__()
        self.renames = renames
        self._shadowed = 0

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
        return updated.with_changes(attr=original.attr)

    def leave_Arg(self, original: cst.Arg, updated: cst.Arg) -> cst.Arg:
        return updated.with_changes(keyword=original.keyword)

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._shadowed += _rebinds(node.params, self.renames)

    def leave_Lambda(self, original: cst.Lambda, updated: cst.Lambda) -> cst.Lambda:
        self._shadowed -= _rebinds(original.params, self.renames)
        return updated

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._shadowed += self._nested(node)

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        self._shadowed -= self._nested(original)
        return updated

    def _nested(self, node: cst.FunctionDef) -> int:
        return _rebinds(node.params, self.renames)

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        if self._shadowed or original.value not in self.renames:
            return updated
        return updated.with_changes(value=self.renames[original.value])


def _rebinds(params: cst.Parameters, renames: dict[str, str]) -> int:
    names = {p.name.value for p in [*params.posonly_params, *params.params, *params.kwonly_params]}
    return 1 if names & set(renames) else 0
