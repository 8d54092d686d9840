"""Per-file state shared by the rules during the one walk over a file's tree."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Optional

from codemods._ast_nodes import nodes_of, of_type
from codemods._base import SAFE, UNSAFE, Diagnostic, Edit, FileFinding, Finding
from codemods._hashing import content_hash

if TYPE_CHECKING:
    import libcst as cst
else:
    from codemods._libcst import cst


@dataclass
class RunOptions:
    target: tuple[int, int]
    fix: bool = False  # rewrite code (fix / --diff) or only report (check)
    unsafe_fixes: bool = False
    include_templates: bool = False
    blanket_noqa: bool = False  # a bare noqa comment suppresses our findings too (upgrade/noqa.py)
    # `fix --bridge`: the output must load on Airflow 1.10.15 too. Only the fixes of rules
    # marked `bridge_compatible` apply; rewritten imports become guarded pairs (codemods/_bridge.py).
    bridge: bool = False
    # `fix --close-bridge`: AU103 collapses import bridges to their target-side branch.
    close_bridge: bool = False
    # Package the bridged code imports the runtime layer from (`--compat-package`, settings
    # `compat-package`): the name `compat vendor --package` gave the copy in the DAG repo.
    compat_package: str = "compat"
    # `--airflow-cfg FILE`: the team's `[scheduler] catchup_by_default` (upgrade/team_config.py),
    # the value a DAG without `catchup=` ran with on 1.10; None when not given.
    catchup_by_default: Optional[bool] = None
    catchup_source: str = ""
    # Provider releases the user pinned (--providers / settings `providers`): ((dist, version), ...);
    # unpinned providers are taken at their newest release allowing the target.
    provider_pins: tuple[tuple[str, str], ...] = ()
    # Setting `dag-wrappers`: qualified names of the team's own `DAG` callables that pass every
    # keyword argument on to Airflow's DAG (DAG-argument renames of their calls are then exact).
    dag_wrappers: tuple[str, ...] = ()

    @cached_property  # asked for by every provider lookup; the options never change in a run
    def providers(self):
        """The provider release of each distribution this run targets (codemods/_providers.py
        Releases): the pins over the newest release allowing the target."""
        from codemods._providers import releases_for
        from codemods._targets import table_key

        return releases_for(table_key(self.target), self.provider_pins)


class ImportTracker:
    """Local name -> qualified name, from the file's import statements, in walk order.

    Cheaper than LibCST's QualifiedNameProvider (which needs a full scope analysis pass) and
    enough for DAG files: imports sit at the top, before the names are used.
    """

    def __init__(self) -> None:
        self.bindings: dict[str, str] = {}
        self.import_nodes: list[ast.Import | ast.ImportFrom] = []  # source order
        # Line ranges (1-based, inclusive) of `try:` statements catching ImportError: code
        # there is already written for several Airflow versions and is left alone.
        self.guarded_ranges: list[tuple[int, int]] = []
        # id of an ast expression -> (it, its qualified name): most rules ask for each call's
        # function; the bindings never change once the imports are read.
        self._qualified: dict[int, tuple[ast.AST, Optional[str]]] = {}

    @classmethod
    def from_ast(cls, tree: ast.Module, indexed: bool = False) -> ImportTracker:
        """Every import of the file, in source order, before any statement is walked.

        The engine parses only the statements a rule may change (see upgrade/engine.py), so the
        bindings come from CPython's ast of the whole file, not from the LibCST walk. `indexed`:
        `tree` is the file being processed, whose node index (codemods/_ast_nodes.py) the rules'
        walk makes anyway; any other tree (a wrapper module, a fixed file) is walked on its own,
        which leaves the index of the file in hand alone.
        """
        by_type: dict[type, list] = {}
        if not indexed:
            for node in nodes_of(tree):
                by_type.setdefault(node.__class__, []).append(node)

        def listed(kind: type) -> list:
            return of_type(tree, kind) if indexed else by_type.get(kind, [])

        tracker = cls()
        imports = [*listed(ast.Import), *listed(ast.ImportFrom)]
        tracker.import_nodes = sorted(imports, key=lambda node: (node.lineno, node.col_offset))
        tracker.guarded_ranges = [
            (node.lineno, node.end_lineno or node.lineno)
            for node in (*listed(ast.Try), *listed(ast.If))
            if (isinstance(node, ast.Try) and _catches_import_error(node)) or _is_version_switch(node)
        ]
        for node in tracker.import_nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        tracker.bindings[alias.asname] = alias.name
                    else:
                        head = alias.name.split(".", 1)[0]
                        tracker.bindings[head] = head
            elif not node.level and node.module:
                for alias in node.names:
                    if alias.name != "*":
                        tracker.bindings[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        return tracker

    def guarded(self, line: int) -> bool:
        return any(start <= line <= end for start, end in self.guarded_ranges)

    def differs_by_version(self, local: str) -> bool:
        """A try/except ImportError binds `local` to classes of different names
        (`SQLExecuteQueryOperator`, and 1.10's `PostgresOperator as SQLExecuteQueryOperator`):
        what it stands for depends on the Airflow version, the tracker knows only the last."""
        names = set()
        for node in self.import_nodes:
            if not self.guarded(node.lineno) or not isinstance(node, ast.ImportFrom):
                continue
            names.update(alias.name for alias in node.names if (alias.asname or alias.name) == local)
        return len(names) > 1

    def qualified_name(self, expr: cst.BaseExpression | ast.expr) -> Optional[str]:
        """`bq.BigQueryOperator` -> `airflow.contrib.operators.bigquery_operator.BigQueryOperator`.

        Takes a LibCST expression or a CPython ast one (rules that work on the ast).
        """
        known = self._qualified.get(id(expr))  # asked for most calls by several rules: first
        if known is not None and known[0] is expr:
            return known[1]
        if not isinstance(expr, ast.AST):
            return self._resolve(dotted_name(expr))
        qualified = self._resolve(ast_dotted_name(expr))
        self._qualified[id(expr)] = (expr, qualified)
        return qualified

    def _resolve(self, dotted: Optional[str]) -> Optional[str]:
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        bound = self.bindings.get(head)
        if bound is None:
            return None
        return f"{bound}.{rest}" if rest else bound


def dotted_name(expr: cst.CSTNode) -> Optional[str]:
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute):
        base = dotted_name(expr.value)
        return None if base is None else f"{base}.{expr.attr.value}"
    return None


IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError"}
_IMPORT_ERROR_SPELLINGS = IMPORT_ERRORS | {f"builtins.{name}" for name in IMPORT_ERRORS}


_BINDING_STATEMENTS = (ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign, ast.FunctionDef, ast.ClassDef)


def _catches_import_error(node: ast.Try) -> bool:
    """A `try:` whose ImportError handler provides a fallback (imports or defines something):
    code written for several versions. A handler that only logs or passes (`except
    ImportError: log.warning(...)`) is no fallback: the guarded code would just vanish on the
    target, so it is migrated like any other."""
    for handler in node.handlers:
        kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        # `builtins.ImportError`: what bridge mode writes in a file binding `ImportError` itself
        if any(ast_dotted_name(kind) in _IMPORT_ERROR_SPELLINGS for kind in kinds if kind is not None):
            if any(
                isinstance(inner, _BINDING_STATEMENTS) for stmt in handler.body for inner in ast.walk(stmt)
            ):
                return True
    return False


_AIRFLOW_VERSION_NAME = re.compile(r"airflow.*(version|_v_?\d)", re.I)


def _is_version_switch(node: ast.stmt) -> bool:
    """`if airflow.__version__.startswith("1."): <1.10 imports> else: <2.x imports>` (or
    AIRFLOW_VERSION >= ..., AIRFLOW_V_2_PLUS): compat code like try/except ImportError, each
    branch written for its own Airflow version."""
    if not isinstance(node, ast.If) or not node.orelse:
        return False
    return any(
        _AIRFLOW_VERSION_NAME.search(dotted)
        for inner in ast.walk(node.test)
        if isinstance(inner, (ast.Name, ast.Attribute)) and (dotted := ast_dotted_name(inner))
    )


def ast_dotted_name(expr: ast.AST) -> Optional[str]:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        base = ast_dotted_name(expr.value)
        return None if base is None else f"{base}.{expr.attr}"
    return None


def build_dotted(dotted: str) -> cst.Name | cst.Attribute:
    """`a.b.c` -> the CST expression for it."""
    parts = dotted.split(".")
    expr: cst.Name | cst.Attribute = cst.Name(parts[0])
    for part in parts[1:]:
        expr = cst.Attribute(value=expr, attr=cst.Name(part))
    return expr


@dataclass
class FileContext:
    path: str
    options: RunOptions
    imports: ImportTracker = field(default_factory=ImportTracker)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Codes the user selected; a rule never reports nor fixes under a code not in it.
    selected_codes: frozenset = frozenset()
    # Codes whose fixes keep a file loading on 1.10.15 (Rule.bridge_compatible): in bridge mode
    # the others only report.
    bridge_codes: frozenset = frozenset()
    # The file's lines (bytes): ast positions are UTF-8 byte offsets, diagnostics count characters.
    lines: list = field(default_factory=list)
    tree: Optional[ast.Module] = None  # CPython's ast of the whole file
    # Edits of single lines found on the ast (line 0-based, start byte, end byte, new bytes):
    # applied before any LibCST chunk is parsed, never changing the number of lines.
    byte_edits: list = field(default_factory=list)
    # The 0-based lines of the applied byte edits that remove code (Edit.reparse): the
    # statements holding them are parsed again before the file is written.
    reparse_lines: set = field(default_factory=set)
    # Other files the result depends on (a template file a rule read, or looked for and did
    # not find): path -> content hash, None if missing. A cached result is reused only while
    # they are unchanged, and never for another path holding the same DAG content.
    dependencies: dict = field(default_factory=dict)
    # Codes whose fixes stay off in this file (a fix would change a line silenced by noqa).
    no_fix_codes: frozenset = frozenset()
    # Bridge mode: (module, name) of the compat helpers the bridged fixes call; the engine adds
    # their imports after the file's imports (codemods/_compat_calls.py).
    compat_imports: set = field(default_factory=set)
    # 1.10 qualified name -> the name AU101 imports instead (its tables, provider histories and
    # internal moves combined): bridge mode pairs each rewritten import with the 1.10 one by it.
    homes: dict = field(default_factory=dict)
    # Qualified names a rule imports in bridge mode because 1.10.15 has them too
    # (`airflow.utils.decorators.apply_defaults`): such an import needs no guarded pair.
    on_both: set = field(default_factory=set)
    # What several rules work out from the same file, once (key: the function computing it).
    memo: dict = field(default_factory=dict)
    # Rewrites of applied fixes (codemods/_base.py Rewrite), made in the LibCST phase.
    rewrites: list = field(default_factory=list)
    # the findings whose fixes were applied, by id (FileContext.applied)
    _applied: dict = field(default_factory=dict)

    def take(self, rule, findings) -> None:
        """The framework's side of Rule.check / Rule.finish: report each finding and apply its
        fix when this run accepts it (mode, safety, selection, noqa, bridge mode)."""
        for finding in findings:
            code = finding.code or rule.code
            if code not in self.selected_codes:
                continue
            fix = finding.fix
            # a fix is linked to the rule that makes it (noqa blocks that rule's fixes)
            applied = fix is not None and self.may_fix(fix.safety, rule.code, fix.bridged)
            if applied:
                self._applied[id(finding)] = finding
                # one fix that resolves several findings is made once
                first = id(fix) not in self._applied
                self._applied[id(fix)] = fix
                for change in fix.changes if first else ():
                    if id(change) in self._applied:
                        continue  # a change several fixes share (an import they all need) is made once
                    self._applied[id(change)] = change
                    if isinstance(change, Edit):
                        self.byte_edits.append((change.line - 1, change.start, change.end, change.new))
                        if change.reparse:
                            self.reparse_lines.add(change.line - 1)
                    else:
                        self.rewrites.append(change)
            if isinstance(finding, Finding) and finding.silent:  # a fix with no report of its own
                continue
            if isinstance(finding, FileFinding):
                self._report_file(finding, code, fix, applied)
                continue
            self.report_ast(
                finding.node,
                code,
                finding.message,
                fix=fix.safety if fix is not None else finding.label,
                applied=applied,
                length=finding.length,
                end_node=finding.end,
            )

    def _report_file(self, finding: FileFinding, code: str, fix, applied: bool) -> None:
        self.diagnostics.append(
            Diagnostic(
                path=finding.path,
                line=finding.line,
                col=finding.col,
                code=code,
                message=finding.message,
                fix=fix.safety if fix is not None else finding.label,
                applied=applied,
            )
        )

    def applied(self, finding: Finding) -> bool:
        """The fix of this finding (taken earlier in this file) was applied."""
        return id(finding) in self._applied

    @property
    def target(self) -> tuple[int, int]:
        return self.options.target

    def may_fix(self, safety: Optional[str], code: str, bridged: bool = False) -> bool:
        """`bridged`: the fix is written in its bridge form (it runs on 1.10.15 too)."""
        if not self.options.fix or safety is None or code not in self.selected_codes:
            return False
        if code in self.no_fix_codes:
            return False
        if self.options.bridge and code not in self.bridge_codes and not bridged:
            return False
        return safety == SAFE or (safety == UNSAFE and self.options.unsafe_fixes)

    def report_ast(
        self,
        node: ast.AST,
        code: str,
        message: str,
        *,
        fix: Optional[str],
        applied: bool = False,
        length: int = 0,
        end_node: Optional[ast.AST] = None,
    ) -> None:
        """Report at a CPython ast node (rules that inspect the ast, see Rule.inspect), up to
        the end of `end_node` (default: the node itself), or `length` characters when given
        (e.g. to underline only a keyword's name)."""
        last = end_node or node
        start = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
        end = (last.end_lineno or last.lineno, last.end_col_offset or last.col_offset)  # type: ignore[attr-defined]
        self.report_span(start, end, code, message, fix=fix, applied=applied, length=length)

    def report_span(
        self,
        start: tuple[int, int],
        end: tuple[int, int],
        code: str,
        message: str,
        *,
        fix: Optional[str],
        applied: bool = False,
        length: int = 0,
    ) -> None:
        """Report at (line, byte offset) positions as CPython's ast gives them; diagnostics
        count characters."""
        if code not in self.selected_codes:
            return
        col = self._char_column(*start)
        end_line, end_col = (start[0], col + length) if length else (end[0], self._char_column(*end))
        self.diagnostics.append(
            Diagnostic(
                path=self.path,
                line=start[0],
                col=col + 1,
                code=code,
                message=message,
                fix=fix,
                applied=applied,
                end_line=end_line,
                end_col=end_col + 1,
            )
        )

    def depends_on(self, path: str, data: Optional[bytes]) -> None:
        """The result depends on this file's content (`data`, None when it does not exist)."""
        self.dependencies[path] = None if data is None else content_hash(data)

    def _char_column(self, line: int, byte_offset: int) -> int:
        if not self.lines or line > len(self.lines):
            return byte_offset
        return len(self.lines[line - 1][:byte_offset].decode("utf-8", "replace"))
