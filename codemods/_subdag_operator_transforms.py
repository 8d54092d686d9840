"""AU131's LibCST walk: `dag=<subdag>` dropped from the calls in the new task group (subdag_operator.py).

Apart from the rule so that only a fix applying it imports LibCST.
"""

from __future__ import annotations

import libcst as cst

from codemods._edit import remove_elements


class DagArgumentRemover(cst.CSTTransformer):
    """Drops `dag=<name>` from calls: the tasks are created inside the group's `with` block."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        def doomed(arg: cst.Arg) -> bool:
            return (
                arg.keyword is not None
                and arg.keyword.value == "dag"
                and isinstance(arg.value, cst.Name)
                and arg.value.value == self.name
            )

        if not any(doomed(arg) for arg in updated.args):
            return updated
        return updated.with_changes(args=remove_elements(updated.args, doomed))
