"""What every rule is built from: the Rule base class, findings, fixes and diagnostics.

A rule is a small class with a stable code, the Airflow versions it applies to, how safe its
fix is, and the byte tokens that must occur in a file for it to matter (the runner derives one
prefilter from them, so a file mentioning none is never parsed). It registers the CPython ast
node types it wants (`node_types`) and decides once, on the ast, in `check(node)`: it yields
Findings, each with an optional Fix (byte edits within a line, or a LibCST Rewrite of one
node) and its safety. The framework (upgrade/engine.py, FileContext.take) applies fixes by mode
and safety; docs/writing-a-rule.md shows a rule start to finish. Rules get a fresh instance per
file: no global state.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Callable, ClassVar, Optional, Union

if TYPE_CHECKING:
    import libcst as cst

    from codemods._context import FileContext

from codemods._bindings import FileScopes

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
    them) by `new`. Edits never split lines; one may delete a whole line. A change of more
    than one line is a Rewrite. `reparse`: the edit removes code rather than swapping a name
    (codemods/_keyword_removal.py), so the statement holding it is parsed again before the
    file is written."""

    line: int
    start: int
    end: int
    new: bytes
    reparse: bool = False


if TYPE_CHECKING:
    CstResult = Union[cst.CSTNode, cst.RemovalSentinel, cst.FlattenSentinel]


@dataclass(frozen=True)
class Rewrite:
    """Replace the concrete (LibCST) node of an ast `node` by `transform(updated)`, where
    `updated` already holds the other fixes made inside it. The framework parses only the
    statement holding the node, finds the LibCST node at the ast node's position (of the
    LibCST class `cst_type`, default the one named like the ast class: Call, Name, Attribute,
    ...; `keyword` -> Arg, `arg` -> Param, `Constant` -> SimpleString/Integer/...) and calls it
    once, in fix mode only. `cst_type` is the class's name, not the class: a check never
    imports LibCST."""

    node: ast.AST
    transform: Callable[[cst.CSTNode], CstResult]
    cst_type: Optional[str] = None

    def __post_init__(self) -> None:
        if self.cst_type is not None and not isinstance(self.cst_type, str):
            raise TypeError(f"Rewrite.cst_type takes the LibCST class's name: {self.cst_type.__name__!r}")


class ImportTransform:
    """A Rewrite transform of an import's statement line (codemods/_import_service.py: an
    import added after, before or in place of it; AU101's rewrite of the imports of a line).
    The framework applies it after the node's other transforms (codemods/_rewrites.py
    RewriteApplier), to whatever those made of the statement: kept, split into several, or
    removed."""

    def __call__(self, result: CstResult) -> CstResult:
        raise NotImplementedError


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


class Rule:
    """Base class of every rule. Subclasses set the class attributes and implement `check`."""

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    # Literal byte strings; the rule can only apply to a file containing at least one.
    tokens: ClassVar[tuple[bytes, ...]] = ()
    # The tokens are the top-level modules of the only imports the rule reports (AU195's 53
    # dropped packages): per file the engine looks them up among the file's imports instead of
    # searching the bytes for each. They still make the prefilter.
    tokens_are_imports: ClassVar[bool] = False
    # Lowest target Airflow version the rule applies to (inclusive).
    min_target: ClassVar[tuple[int, int]] = (2, 0)
    fix: ClassVar[Optional[str]] = SAFE
    # A code that another rule reports during its own walk (e.g. AU102 by the import renamer)
    # names that rule here; it has no `check` of its own.
    reported_by: ClassVar[Optional[type[Rule]]] = None
    # Its fix leaves code that still loads and behaves the same on Airflow 1.10.15, so it also
    # applies in bridge mode (`fix --bridge`, one commit for the old and the new scheduler).
    bridge_compatible: ClassVar[bool] = False

    # The one rule API: the ast node types handed to `check`, decided once on CPython's ast.
    node_types: ClassVar[tuple[type[ast.AST], ...]] = ()
    # `check` also gets nodes inside `try: ... except ImportError:` fallbacks and Airflow
    # version switches (code already written for several versions, left alone by default).
    in_import_guards: ClassVar[bool] = False

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx

    @property
    def scopes(self) -> FileScopes:
        """Parents, statement lists and name bindings of the file (codemods/_bindings.py),
        built at the first rule's ask and shared by every rule of the file."""
        assert self.ctx.tree is not None
        return FileScopes.build(self.ctx.tree)

    def check(self, node: ast.AST) -> Iterable[Finding]:
        """Called for each node of `node_types` in one walk of the file's ast: the findings."""
        return ()

    def finish(self) -> Iterable[Finding]:
        """After the walk: findings that need the whole file seen (e.g. an import all of
        whose uses the rule's applied fixes replaced: `self.ctx.applied(finding)`)."""
        return ()

    def relevant(self) -> bool:
        """Once the file's imports are known: can the rule apply at all? Says no early to spare
        files that the rule's tokens only brush."""
        return True

    @classmethod
    def applies_to(cls, target: tuple[int, int]) -> bool:
        return target >= cls.min_target
