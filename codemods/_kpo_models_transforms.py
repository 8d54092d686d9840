"""AU120's LibCST walk: unused 1.10 model imports dropped in every block (kpo_models.py).

Apart from the rule so that only a fix applying it imports LibCST.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

if TYPE_CHECKING:
    from codemods.kpo_models import KubernetesModelRewriter


class ImportPruner(cst.CSTTransformer):
    """Drops unused 1.10 model imports in every block (also inside functions)."""

    def __init__(self, rule: KubernetesModelRewriter, still_used: set[str]) -> None:
        super().__init__()
        self.rule = rule
        self.still_used = still_used

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return False

    def leave_IndentedBlock(
        self, original: cst.IndentedBlock, updated: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        body = self.rule.prune_body(updated.body, self.still_used)
        if not body:  # the block held only the import: keep it valid
            body = [cst.SimpleStatementLine(body=[cst.Pass()], leading_lines=updated.body[0].leading_lines)]
        return updated.with_changes(body=body)
