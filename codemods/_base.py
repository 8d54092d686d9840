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
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import cache
from typing import TYPE_CHECKING, Callable, ClassVar, Optional, Union

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


@dataclass(frozen=True)
class Edit:
    """Replace bytes `start:end` of one line (1-based line; byte offsets as CPython's ast gives
    them) by `new`. Edits never join or split lines; a change of more than one line is a Rewrite."""

    line: int
    start: int
    end: int
    new: bytes


CstResult = Union[cst.CSTNode, cst.RemovalSentinel, cst.FlattenSentinel]


@dataclass(frozen=True)
class Rewrite:
    """Replace the concrete (LibCST) node of an ast `node` by `transform(updated)`, where
    `updated` already holds the other fixes made inside it. The framework parses only the
    statement holding the node, finds the LibCST node at the ast node's position (of the
    LibCST class `cst_type`, default the one named like the ast class: Call, Name, Attribute,
    ...; `keyword` -> Arg, `arg` -> Param, `Constant` -> SimpleString/Integer/...) and calls it
    once, in fix mode only."""

    node: ast.AST
    transform: Callable[[cst.CSTNode], CstResult]
    cst_type: Optional[type[cst.CSTNode]] = None


@dataclass(frozen=True)
class Fix:
    """What a finding changes, all or nothing: byte edits and rewrites, and how safe that is.

    The framework applies it only when the run fixes (`fix`, `--diff`), the user accepts its
    safety (`--unsafe-fixes` for UNSAFE) and neither `# noqa` nor bridge mode keeps it out.
    `bridged`: written in a form that also runs on 1.10.15, so it applies in bridge mode even
    when the rule is not `bridge_compatible`."""

    safety: str
    changes: tuple[Union[Edit, Rewrite], ...] = ()
    bridged: bool = False

    @classmethod
    def safe(cls, *changes: Union[Edit, Rewrite], bridged: bool = False) -> Fix:
        return cls(SAFE, changes, bridged)

    @classmethod
    def unsafe(cls, *changes: Union[Edit, Rewrite], bridged: bool = False) -> Fix:
        return cls(UNSAFE, changes, bridged)


@dataclass(frozen=True, eq=False)
class Finding:
    """One report of a rule, at an ast node (to the end of `end`, default the node itself, or
    `length` characters when given), with the fix that resolves it, if any. `code`: report
    under another code than the rule's (a rule that reports several related codes)."""

    node: ast.AST
    message: str
    fix: Optional[Fix] = None
    code: str = ""
    end: Optional[ast.AST] = None
    length: int = 0
    # the label shown when there is no fix object (a fix the rule cannot build here)
    label: Optional[str] = None
    # a fix that needs no report of its own (an import left unused once the reported uses
    # are rewritten): applied like any other, never shown
    silent: bool = False


@dataclass(frozen=True, eq=False)
class FileFinding:
    """A report in a file other than the DAG file (a template file the DAG file reads), at a
    1-based line and column of `path` (as shown). The framework reports it and decides
    whether its fix applies (as for a Finding); the rule makes the applied fixes itself
    (e.g. a rule's `extra_files`, which the runner writes, asking `ctx.applied(finding)`)."""

    path: str
    line: int
    col: int
    message: str
    fix: Optional[Fix] = None
    code: str = ""
    label: Optional[str] = None


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

    # The one rule API: the ast node types handed to `check`, decided once on CPython's ast.
    node_types: ClassVar[tuple[type[ast.AST], ...]] = ()
    # `check` also gets nodes inside `try: ... except ImportError:` fallbacks and Airflow
    # version switches (code already written for several versions, left alone by default).
    in_import_guards: ClassVar[bool] = False

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx

    def check(self, node: ast.AST) -> Iterable[Finding]:
        """Called for each node of `node_types` in one walk of the file's ast: the findings."""
        return ()

    def finish(self) -> Iterable[Finding]:
        """After the walk: findings that need the whole file seen (e.g. an import all of
        whose uses the rule's applied fixes replaced: `self.ctx.applied(finding)`)."""
        return ()

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
