"""What every codemod is built from: the Rule base class, the per-file context, diagnostics.

A rule is a small class with a stable code, the Airflow versions it applies to, how safe its
fix is, and the byte tokens that must occur in a file for it to matter (the runner derives
one prefilter from them, so a file mentioning none is never parsed).

Two trees, each built once per file (see upgrade/engine.py):
- CPython's ast of the whole file. A rule naming ``ast_types`` gets ``inspect(node)`` for
  those nodes in one walk shared by all rules; it may report there (``ctx.report_ast``) and
  fix there (``ctx.replace_bytes``, edits within a line), and answers whether the statement
  holding the node must also go through LibCST.
- LibCST trees of only the statements some rule still wants (by ``inspect``, or for rules
  without ``ast_types`` by their tokens). Handlers are LibCST style ``visit_<Node>(node)`` /
  ``leave_<Node>(original, updated)`` methods, all rules' called in one walk (see
  codemods/_dispatch.py).
Rules get a fresh instance per file: no global state.
"""

from __future__ import annotations

import ast
from dataclasses import asdict, dataclass
from functools import cache
from typing import TYPE_CHECKING, ClassVar, Optional

import libcst as cst

if TYPE_CHECKING:
    from codemods._context import FileContext

_COMPOUND_STATEMENTS = (
    "With",
    "For",
    "While",
    "If",
    "Try",
    "TryStar",
    "FunctionDef",
    "ClassDef",
    "IndentedBlock",
    "Else",
)

SAFE = "safe"
UNSAFE = "unsafe"
NO_FIX = None


@dataclass(frozen=True)
class Diagnostic:
    path: str
    line: int
    col: int
    code: str
    message: str
    fix: Optional[str]  # "safe" | "unsafe" | None (no automatic fix)
    applied: bool = False
    end_line: int = 0
    end_col: int = 0

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Diagnostic:
        return cls(**data)


@cache
def handler_names(rule_class: type) -> tuple[str, ...]:
    """The rule's LibCST handlers (`visit_<Node>` / `leave_<Node>`), found once per class."""
    return tuple(attr for attr in dir(rule_class) if attr.startswith(("visit_", "leave_")))


class Rule:
    """Base class of every codemod. Subclasses set the class attributes and add handlers."""

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    # Literal byte strings; the rule can only apply to a file containing at least one.
    tokens: ClassVar[tuple[bytes, ...]] = ()
    # Lowest target Airflow version the rule applies to (inclusive).
    min_target: ClassVar[tuple[int, int]] = (2, 0)
    fix: ClassVar[Optional[str]] = SAFE
    # A code that another rule reports during its own walk (e.g. AU102 by the import renamer)
    # names that rule here; it has no handlers of its own.
    reported_by: ClassVar[Optional[type[Rule]]] = None
    # CPython ast node types handed to `inspect` (see there). A rule that names some is
    # given only the statements holding a node it asked for, not every statement holding
    # one of its tokens (which stay its file-level prefilter).
    ast_types: ClassVar[tuple[type[ast.AST], ...]] = ()
    # Its fix leaves code that still loads and behaves the same on Airflow 1.10.15, so it also
    # applies in bridge mode (`fix --bridge`, one commit for the old and the new scheduler).
    bridge_compatible: ClassVar[bool] = False
    # A rule with LibCST handlers for compound statements that needs only these kinds (CPython
    # ast types) walked whole; the engine may cut any other block into its statements. None:
    # see sees_enclosing_statements.
    kept_whole: ClassVar[Optional[tuple[type[ast.stmt], ...]]] = None

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx

    # Convenience wrappers so that rules read naturally.
    def report(
        self,
        node: cst.CSTNode,
        message: str,
        *,
        fix: Optional[str] = "default",
        applied: bool = False,
        code: Optional[str] = None,
    ) -> None:
        self.ctx.report(
            node,
            code or self.code,
            message,
            fix=self.fix if fix == "default" else fix,
            applied=applied,
        )

    def may_fix(self, safety: Optional[str] = "default", bridged: bool = False) -> bool:
        """True when this run rewrites code and the user accepts fixes of this safety.
        `bridged`: the fix is written in a form that runs on 1.10.15 too, so it applies in
        bridge mode even when the rule is not `bridge_compatible`."""
        return self.ctx.may_fix(self.fix if safety == "default" else safety, self.code, bridged)

    def relevant(self) -> bool:
        """Once the file's imports are known: can the rule apply at all? A rule that walks
        the whole module (Module handlers) says no here to spare files its tokens only brush."""
        return True

    def inspect(self, node: ast.AST) -> bool:
        """Called for each node of `ast_types` in one walk of the file's CPython ast.

        True: the statement holding the node goes through the LibCST walk (this rule may
        change it). A report-only rule reports from here (`ctx.report_ast`) and returns
        False; with no LibCST handlers it never costs a LibCST parse.
        """
        return True

    @classmethod
    def walks_libcst(cls) -> bool:
        """Has LibCST handlers: the statements it wants are parsed and walked."""
        return bool(handler_names(cls))

    @classmethod
    def applies_to(cls, target: tuple[int, int]) -> bool:
        return target >= cls.min_target

    def walks_whole_module(self) -> bool:
        """A rule with Module handlers reasons about the whole file: it gets one walk of all of it.

        Every other rule sees only the statements it wants (see `inspect` and `tokens`).
        Asked after the ast walk, so a rule may decide from what `inspect` found.
        """
        return hasattr(type(self), "visit_Module") or hasattr(type(self), "leave_Module")

    def finish_chunk(self, module: cst.Module, statement_lines: tuple[int, ...]) -> cst.Module:
        """After the LibCST walk of one chunk: edit its statements as a whole (e.g. add an import
        after one of them). `statement_lines[i]` is the file line where `module.body[i]` starts."""
        return module

    @classmethod
    def sees_enclosing_statements(cls) -> bool:
        """A rule with handlers for compound statements (def, class, with, for, if, ...) may need
        the enclosing statement of what it changes, so its files are cut only at top level.

        Other rules may be handed a statement from inside a block, dedented (the engine cuts
        `with DAG(...) as dag:` bodies into their statements when the header has no token).
        A rule that handles such nodes but does not need the enclosing context says so with
        ``nested_statements_ok = True``; one that needs only some kinds whole (a function,
        for the names its parameters bind) names their CPython ast types in ``kept_whole``.
        """
        if getattr(cls, "nested_statements_ok", False) or cls.kept_whole is not None:
            return False
        return any(
            hasattr(cls, f"{prefix}_{kind}") for prefix in ("visit", "leave") for kind in _COMPOUND_STATEMENTS
        )

    def statement_tokens(self) -> tuple[bytes, ...]:
        """Tokens that mark a top-level statement this rule must see (after the imports are known).

        Defaults to the file-level tokens; a rule that follows names bound by imports (e.g. a
        class it renames) adds those names here.
        """
        return self.tokens
