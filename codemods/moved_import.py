"""AU101 / AU102: 1.10 import paths and class names -> their homes on the target version.

Driven by the generated tables in codemods/_generated/tables.py (Airflow's own deprecation shims: the
2.0 `airflow/contrib/**` and `*_operator.py` modules, later 2.x `__deprecated_classes`, the
3.x moves to `airflow.providers.standard` / `airflow.sdk`). Names are resolved by qualified
name, so `from x import A as B`, `import a.b as m; m.A`, `from pkg import module; module.A`
and fully qualified `a.b.A` uses are all found. Imports inside try/except ImportError are
already version-aware compat code and are left alone.

## Example
```python
from airflow.operators.bash_operator import BashOperator
from airflow.contrib.operators.kubernetes_pod_operator import KubernetesPodOperator
```
Use instead:
```python
from airflow.operators.bash import BashOperator
from airflow.providers.cncf.kubernetes.operators.kubernetes_pod import KubernetesPodOperator
```
"""

from __future__ import annotations

import ast
from functools import cache
from typing import Optional, Union

import libcst as cst

from codemods import _providers
from codemods._base import NO_FIX, SAFE, Rule
from codemods._context import ast_dotted_name, build_dotted, dotted_name
from codemods._generated import tables as _tables
from codemods._import_spans import alias_spans, module_bytes_span
from codemods._internal_renames import inexact_uses, move_for
from codemods._local_bindings import names_bound_elsewhere
from codemods._name_uses import NameUses, attribute_after, describe_lines
from codemods._targets import table_key
from codemods.days_ago import rewritable
from codemods.replaced_operator import import_renames, module_rebinds

# Names with no import home that another rule rewrites at their uses (and then drops the
# import): AU102 stays quiet about them while that rule is selected.
_HANDLED_ELSEWHERE = {
    # 1.10 contrib pod models (Volume, Port, Resources, ...) -> kubernetes.client.models
    "airflow.contrib.kubernetes.": "AU120",
    # days_ago(n) -> pendulum.today("UTC").add(days=-n) (removed in 3.0)
    "airflow.utils.dates.days_ago": "AU305",
    # @apply_defaults (applied by BaseOperator's metaclass since 2.0; module gone in 3.0)
    "airflow.utils.decorators": "AU140",
    "airflow.utils.apply_defaults": "AU140",
    # DagRunOrder (removed in 2.0 with TriggerDagRunOperator's python_callable)
    "airflow.operators.dagrun_operator.DagRunOrder": "AU130",
    # SubDagOperator -> TaskGroup (removed in 3.0); AU131 reports the import when it stays
    "airflow.operators.subdag_operator.SubDagOperator": "AU131",
    "airflow.operators.subdag.SubDagOperator": "AU131",
    "airflow.operators.SubDagOperator": "AU131",
}

StatementResult = Union[cst.SimpleStatementLine, cst.FlattenSentinel, cst.RemovalSentinel]


def _split(qualified: str) -> tuple[str, str]:
    module, _, name = qualified.rpartition(".")
    return module, name


# The codes of the rules whose findings AU101's walk of the imports makes (one walk for all three):
REMOVED_IMPORT = "AU102"  # codemods/removed_import.py
UNUSED_REMOVED_IMPORT = "AU104"  # codemods/unused_removed_import.py


class ImportRenamer(Rule):
    code = "AU101"
    name = "moved-import"
    summary = (
        "Rewrite 1.10 module paths and renamed classes (contrib, *_operator, hooks, sensors) to their homes"
    )
    tokens = (b"airflow",)
    fix = SAFE
    # In bridge mode the engine pairs each rewritten import with its 1.10 form (codemods/_bridge.py).
    bridge_compatible = True
    # Its def/class handlers only track nesting depth, which the engine supplies for a
    # statement cut from inside a block (ctx.chunk_depth).
    nested_statements_ok = True

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        key = table_key(ctx.target)
        self.renames: dict[str, str] = _tables.IMPORT_RENAMES[key]
        # Removed classes whose every call AU160 rewrites to their replacement: import that.
        replaced = import_renames(ctx)
        self._replaced = replaced
        if replaced:
            self.renames = {**self.renames, **replaced}
        self.module_renames: dict[str, str] = _tables.MODULE_RENAMES[key]
        self.removed: dict[str, str] = _tables.REMOVED[key]
        # Provider releases the advice is for: the user's pins (--providers / settings) over the
        # newest release of each provider that allows the target (codemods/_providers.py).
        self.newest = _providers.releases_for(key)
        self.providers = ctx.options.providers
        self._homes: dict[str, Optional[str]] = {}
        self._uses: Optional[NameUses] = None
        self._add_internal_moves()
        # (import line, local name) of removed names imported but never used: dropped (AU104)
        self._unused_removed: set[tuple[int, str]] = set()
        rebound = {**self._rebound_modules(), **module_rebinds(ctx)}
        if rebound:
            self.module_renames = {**self.module_renames, **rebound}
        # local name -> new local name, for `from old import Old` that became `from new import New`
        self.renamed_locals: dict[str, str] = {}
        # Name nodes that must not be renamed, by id; the node is kept so its id is not reused
        # by a node of a later statement chunk.
        self._protected_names: dict[int, cst.Name] = {}
        self._module_level_imports: set[tuple[str, str, Optional[str]]] = set()
        self._depth = 0  # 0 = module level
        renamed_classes = self._renamed_class_locals()
        # Renamed classes whose old name something else binds or names too (a parameter,
        # `__all__`, ...): imported as `New as Old`, their uses left as they are.
        self._keep_spelling = names_bound_elsewhere(ctx.tree, renamed_classes)
        # Uses worth a LibCST walk (see inspect); renamed classes only matter when fixing.
        self._renamed_classes = renamed_classes - self._keep_spelling if ctx.options.fix else frozenset()
        # Names a try/except ImportError binds last (a bridge's `except` branch binds the 1.10
        # module, the `try` branch the target's): their uses are that compat code's, left alone.
        self._guarded_locals = self._bound_by_compat_code()
        self._module_locals_set = self._module_locals()
        self._in_place = self.may_fix() and self._imports_stay_distinct()
        # Imports fixed in place, by id of their ast node: the byte edits to make.
        self._import_edits: dict[int, list[tuple[int, int, int, bytes]]] = {}
        self._renamed_in_place: dict[str, str] = {}  # local -> new name, uses edited in place
        if self._in_place:
            self._plan_in_place()
        # Names and attributes are most of a file's nodes: inspect them only when some can change.
        self.ast_types = (ast.Import, ast.ImportFrom)
        if self._renamed_classes or self._renamed_in_place:
            self.ast_types += (ast.Name,)
        if self._module_locals_set:
            self.ast_types += (ast.Attribute,)

    # Imports are reported on CPython's ast, and most are fixed there too (the module path
    # replaced in place); LibCST walks only the imports whose fix changes more than the path
    # (split, merged, renamed names) and the uses of names whose spelling changes (a use of
    # a class whose local name stays, `BashOperator`, needs no edit).
    ast_types = (ast.Import, ast.ImportFrom, ast.Name, ast.Attribute)

    def inspect(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Name):
            new = self._renamed_in_place.get(node.id)
            if new is not None and self._replace_name(node, new):
                return False
            return node.id in self._renamed_classes
        if isinstance(node, ast.Attribute):
            if not self._use_changes(node):
                return False
            if self.ctx.options.fix:
                return True
            self._report_use(node)  # a check: what leave_Attribute would report, on the ast
            return False
        assert isinstance(node, (ast.Import, ast.ImportFrom))
        if not self._is_airflow_import(node) or self.ctx.imports.guarded(node.lineno):
            return False
        moves = self._report_import(node)
        if not self.may_fix():
            return False
        if not self._in_place:
            return True  # the LibCST walk merges duplicates: it must see every airflow import
        edits = self._import_edits.get(id(node))
        if edits is None:
            return moves or any(line == node.lineno for line, _ in self._unused_removed)
        for edit in edits:
            self.ctx.replace_bytes(*edit)
        return False

    @staticmethod
    def _is_airflow_import(node: ast.Import | ast.ImportFrom) -> bool:
        if isinstance(node, ast.Import):
            return any(alias.name.startswith("airflow") for alias in node.names)
        return (
            not node.level
            and (node.module or "").startswith("airflow")
            and all(alias.name != "*" for alias in node.names)
        )

    def _report_import(self, node: ast.Import | ast.ImportFrom) -> bool:
        """Report every name of an airflow import that moved or is gone; True if one moved."""
        spans = alias_spans(node, self.ctx.lines)
        moved = False
        for alias, (start, end) in zip(node.names, spans):
            if isinstance(node, ast.ImportFrom):
                qualified = f"{node.module}.{alias.name}"
                new = self._new_home(qualified) or self.module_renames.get(qualified)
                message = f"`{qualified}` moved to `{new}`: import it from there"
                module = node.module or ""
            else:
                qualified = module = alias.name
                new = self.module_renames.get(qualified)
                message = f"module `{qualified}` moved to `{new}`: import that instead"
            if new is None:
                if isinstance(node, ast.ImportFrom) and self._drops_unused(
                    node, alias, qualified, start, end
                ):
                    continue
                local = alias.asname or alias.name if isinstance(node, ast.ImportFrom) else None
                removed = self._removed_message(qualified, module, local)
                if removed:
                    if isinstance(node, ast.ImportFrom):
                        lines = self._name_uses().lines(alias.asname or alias.name)
                        if lines:
                            removed += f" (used at {describe_lines(lines)})"
                    self.ctx.report_span(start, end, REMOVED_IMPORT, removed, fix=NO_FIX)
                continue
            moved = True
            message += self._release_note(new)
            self.ctx.report_span(start, end, self.code, message, fix=self.fix, applied=self.may_fix())
        return moved

    def _plan_in_place(self) -> None:
        """Which imports can be fixed by editing bytes, without LibCST: `from old import A, B`
        whose names all moved to one module (module path replaced, renamed names replaced).
        The local names that change are then renamed at each use (ast Name nodes)."""
        for node in self.ctx.imports.import_nodes:
            if not isinstance(node, ast.ImportFrom) or not self._is_airflow_import(node):
                continue
            if self.ctx.imports.guarded(node.lineno):
                continue
            edits = self._in_place_edits(node)
            if edits is None:
                continue
            self._import_edits[id(node)] = edits
            for alias in node.names:
                new_name = _split(self._new_home(f"{node.module}.{alias.name}") or "")[1]
                if alias.asname is None and new_name != alias.name and alias.name not in self._keep_spelling:
                    self._renamed_in_place[alias.name] = new_name
        # A use the bytes cannot be trusted for (see _replace_name) goes through LibCST,
        # which renames it too.
        self.renamed_locals.update(self._renamed_in_place)

    def _in_place_edits(self, node: ast.ImportFrom) -> Optional[list[tuple[int, int, int, bytes]]]:
        new_homes = [self._new_home(f"{node.module}.{alias.name}") for alias in node.names]
        if None in new_homes or len({_split(new)[0] for new in new_homes}) != 1:  # type: ignore[arg-type]
            return None  # a name stays, is gone, or the names go to several modules: LibCST
        new_module = _split(new_homes[0])[0]  # type: ignore[arg-type]
        span = module_bytes_span(node, self.ctx.lines)
        if span is None:
            return None
        edits = [(node.lineno, span[0], span[1], new_module.encode())]
        for alias, new, (start, _end) in zip(node.names, new_homes, alias_spans(node, self.ctx.lines)):
            new_name = _split(new)[1]  # type: ignore[arg-type]
            if new_name == alias.name:
                continue
            old = alias.name.encode()
            line, col = start
            if self.ctx.lines[line - 1][col : col + len(old)] != old:
                return None
            if alias.asname is None and alias.name in self._keep_spelling:
                new_name = f"{new_name} as {alias.name}"
            edits.append((line, col, col + len(old), new_name.encode()))
        return edits

    def _replace_name(self, node: ast.Name, new: str) -> bool:
        old = node.id.encode()
        line = self.ctx.lines[node.lineno - 1]
        if node.end_lineno != node.lineno or line[node.col_offset : node.end_col_offset] != old:
            return False  # e.g. positions inside an f-string before Python 3.12
        self.ctx.replace_bytes(node.lineno, node.col_offset, node.end_col_offset, new.encode())
        return True

    def _imports_stay_distinct(self) -> bool:
        """No two imports of the file would import the same name once fixed: then no import
        needs merging and each can be fixed on its own, in place."""
        seen = set()
        for node in self.ctx.imports.import_nodes:
            for alias in node.names:
                if isinstance(node, ast.ImportFrom):
                    qualified = f"{'.' * node.level}{node.module or ''}.{alias.name}"
                    new = self._new_home(qualified) or self.module_renames.get(qualified) or qualified
                    key = (new, alias.asname)
                else:
                    key = (self.module_renames.get(alias.name, alias.name), alias.asname)
                if key in seen:
                    return False
                seen.add(key)
        return True

    def _add_internal_moves(self) -> None:
        """Airflow internals moved without a shim (codemods/_internal_renames.py): a rename where
        every use in this file is served the same by the new name, else a removal to report."""
        moves = {}
        for local, qualified in self.ctx.imports.bindings.items():
            move = move_for(qualified, self.ctx.target)
            if move is not None:
                moves[qualified] = (local, move)
        if not moves or self.ctx.tree is None:
            return
        renames, removed = {}, {}
        for qualified, (local, move) in moves.items():
            lines = inexact_uses(self.ctx.tree, self._name_uses(), local, move)
            if not lines:
                renames[qualified] = move.new
            else:
                removed[qualified] = (
                    f"`{qualified}` is gone on the target: {move.why}; `{move.new}` does not serve "
                    f"the uses at {describe_lines(lines)} the same: rewrite them"
                )
        self.renames = {**self.renames, **renames}
        self.removed = {**self.removed, **removed}

    def _rebound_modules(self) -> dict[str, str]:
        """Removed modules imported as a name whose every use maps into one new module.

        `from airflow.contrib.operators import gcs_to_bq` and `gcs_to_bq.GoogleCloudStorageToBigQueryOperator`:
        the module is gone on the target, but each name used through it has a home, and all of
        them in `airflow.providers.google.cloud.transfers.gcs_to_bigquery`. The import then
        binds that module under the old name (and renamed classes are renamed at their uses),
        as if the tables had a module rename for this file. A module also used otherwise (passed
        around, a name without a home, names in several modules) stays reported (AU102).
        """
        candidates: dict[str, list[tuple[str, int]]] = {}  # module -> (local name, depth)
        for node in self.ctx.imports.import_nodes:
            if self.ctx.imports.guarded(node.lineno) or not self._is_airflow_import(node):
                continue
            for alias in node.names:
                if isinstance(node, ast.ImportFrom):
                    module, local, depth = f"{node.module}.{alias.name}", alias.asname or alias.name, 0
                elif alias.asname:
                    module, local, depth = alias.name, alias.asname, 0
                else:
                    module, local = alias.name, alias.name.split(".", 1)[0]
                    depth = alias.name.count(".")
                if (
                    module in self.removed
                    and module not in self.module_renames
                    and module in _renamed_modules(table_key(self.ctx.target))
                    and self.ctx.imports.bindings.get(local) == (module if depth == 0 else local)
                ):
                    candidates.setdefault(module, []).append((local, depth))
        if not candidates or self.ctx.tree is None:
            return {}
        uses = NameUses(self.ctx.tree)
        rebound = {}
        for module, bindings in candidates.items():
            homes = set()
            for local, depth in bindings:
                for name in uses.reads.get(local, ()):
                    home = self._home_through(uses, name, module, depth)
                    if home is not False:
                        homes.add(home)
            if len(homes) == 1 and None not in homes:
                rebound[module] = homes.pop()
        return rebound

    def _home_through(self, uses: NameUses, name: ast.Name, module: str, depth: int):
        """The new module of the name used through `module` here; None if this use cannot be
        mapped; False if the read does not go through the module (`airflow.x` for `import
        airflow.contrib.y`)."""
        chain = uses.chain(name)
        if depth:
            through = attribute_after(chain, depth) if chain is not None else None
            if through is None or ast_dotted_name(through) != module:
                return False
        first = attribute_after(chain, depth + 1) if chain is not None else None
        if first is None or not isinstance(first.ctx, ast.Load):
            return None  # the module object itself, or an attribute assigned
        new = self._new_home(f"{module}.{first.attr}")
        return _split(new)[0] if new else None

    def _renamed_class_locals(self) -> frozenset[str]:
        """Local names of imported classes renamed on the target: their uses are renamed."""
        names = set()
        for local, qualified in self.ctx.imports.bindings.items():
            new = self._new_home(qualified) if qualified.startswith("airflow") else None
            if new is not None and _split(new)[1] != local:
                names.add(local)
        return frozenset(names)

    def _module_locals(self) -> frozenset[str]:
        """Local names bound to airflow modules (`import airflow`, `... as bo`, `from pkg import mod`)."""
        modules = _renamed_modules(table_key(self.ctx.target))
        return frozenset(
            local
            for local, qualified in self.ctx.imports.bindings.items()
            if (
                (local == "airflow" and qualified == "airflow")
                or qualified in modules
                or qualified in self.module_renames
            )
            and local not in self._guarded_locals
        )

    def _bound_by_compat_code(self) -> frozenset[str]:
        last: dict[str, int] = {}
        for node in self.ctx.imports.import_nodes:
            for alias in node.names:
                if isinstance(node, ast.Import) and not alias.asname:
                    if not self.ctx.imports.guarded(node.lineno):  # a guarded `import airflow.x`
                        last[alias.name.split(".", 1)[0]] = node.lineno  # probes, `airflow` stays
                else:
                    last[alias.asname or alias.name] = node.lineno
        return frozenset(local for local, line in last.items() if self.ctx.imports.guarded(line))

    def _use_changes(self, node: ast.Attribute | cst.Attribute) -> bool:
        """`bo.BashOperator` / `airflow.utils.helpers.chain`: a use through a module that moves
        or names a class that moves (fixed or reported by leave_Attribute; in a check,
        reported on the ast). Takes the node of either tree."""
        head = node.value
        while isinstance(head, (ast.Attribute, cst.Attribute)):
            head = head.value
        name = head.id if isinstance(head, ast.Name) else head.value if isinstance(head, cst.Name) else None
        if name not in self._module_locals_set:
            return False
        qualified = self.ctx.imports.qualified_name(node)
        return qualified is not None and (
            qualified in self.module_renames or self._new_home(qualified) is not None
        )

    # ----- scope depth: only module-level imports are merged -----
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._depth += 1
        self._protect(node.name)

    def leave_FunctionDef(self, original, updated):
        self._depth -= 1
        return updated

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._depth += 1
        self._protect(node.name)

    def leave_ClassDef(self, original, updated):
        self._depth -= 1
        return updated

    # ----- statements -----
    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> StatementResult:
        # Compat code: a try/except ImportError, or a branch of an Airflow version switch
        # (found on the ast: the engine may hand over a branch's statement alone).
        if self._in_compat_code(original):
            return updated
        new_body: list[cst.BaseSmallStatement] = []
        changed = False
        for old_stmt, new_stmt in zip(original.body, updated.body):
            if isinstance(old_stmt, cst.ImportFrom):
                replacement = self._rewrite_import_from(old_stmt, new_stmt)  # type: ignore[arg-type]
            elif isinstance(old_stmt, cst.Import):
                replacement = self._rewrite_import(old_stmt, new_stmt)  # type: ignore[arg-type]
            else:
                replacement = None
            if replacement is None:
                new_body.append(new_stmt)
            else:
                changed = True
                new_body.extend(replacement)
        if not changed:
            return updated
        self.ctx.note_change()  # reported on the ast (inspect)
        if not new_body:
            return cst.RemovalSentinel.REMOVE
        new_body = [
            _without_trailing_semicolon(s) if i == len(new_body) - 1 else _with_semicolon(s)
            for i, s in enumerate(new_body)
        ]
        if len(original.body) == 1 and len(new_body) > 1:
            # one import became several: one line each, the first keeps the comments above it
            lines = [updated.with_changes(body=[_without_trailing_semicolon(new_body[0])])]
            lines += [cst.SimpleStatementLine(body=[_without_trailing_semicolon(s)]) for s in new_body[1:]]
            return cst.FlattenSentinel(lines)
        return updated.with_changes(body=new_body)

    def _rewrite_import_from(self, original: cst.ImportFrom, updated: cst.ImportFrom):
        """None = unchanged; else the statements that replace it (possibly none)."""
        if original.relative or original.module is None or isinstance(original.names, cst.ImportStar):
            return None
        module = dotted_name(original.module)
        if module is None or not module.startswith("airflow"):
            return None
        groups: dict[str, list[cst.ImportAlias]] = {}
        moved = False
        for alias in original.names:
            name = dotted_name(alias.name) or ""
            qualified = f"{module}.{name}"
            local = alias.asname.name.value if alias.asname else name  # type: ignore[union-attr]
            new_qualified = self._new_home(qualified)
            if self._unused_removed and (self.ctx.position(original)[0][0], local) in self._unused_removed:
                moved = True  # dropped (reported on the ast)
                continue
            if new_qualified is None and qualified in self.module_renames:
                new_qualified = self.module_renames[qualified]  # `from pkg import module`
                new_module, new_name = _split(new_qualified)
                new_alias = self._alias(alias, new_name, local if new_name != local else None)
            elif new_qualified is not None:
                new_module, new_name = _split(new_qualified)
                keep_as = local if (alias.asname is not None and local != new_name) else None
                if alias.asname is None and new_name != name:
                    if name in self._keep_spelling:
                        keep_as = name
                    else:
                        self.renamed_locals[name] = new_name
                new_alias = self._alias(alias, new_name, keep_as)
            else:
                groups.setdefault(module, []).append(alias)
                continue
            moved = True  # reported on the ast (inspect)
            groups.setdefault(new_module, []).append(new_alias)
        if not moved or not self.may_fix():
            self._remember(module, original.names)
            return None
        statements = []
        for new_module, aliases in groups.items():
            if self._depth + self.ctx.chunk_depth == 0:
                aliases = [a for a in aliases if not self._already_imported(new_module, a)]
                self._remember(new_module, aliases)
            if not aliases:
                continue
            # The last name loses its comma (`from x import A,` does not parse) - unless all
            # names stay, in their parentheses, where a trailing comma and the line break
            # before `)` are the file's own layout.
            keeps_parentheses = (
                len(groups) == 1 and updated.lpar is not None and len(aliases) == len(original.names)
            )
            aliases = [
                a.with_changes(comma=cst.MaybeSentinel.DEFAULT)
                if i == len(aliases) - 1 and not keeps_parentheses
                else a
                for i, a in enumerate(aliases)
            ]
            if len(groups) == 1:
                statements.append(updated.with_changes(module=build_dotted(new_module), names=aliases))
            else:
                aliases = [
                    a.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
                    if i < len(aliases) - 1
                    else a
                    for i, a in enumerate(aliases)
                ]
                statements.append(cst.ImportFrom(module=build_dotted(new_module), names=aliases))
        return statements

    def _rewrite_import(self, original: cst.Import, updated: cst.Import):
        names = []
        moved = False
        for alias in original.names:
            module = dotted_name(alias.name) or ""
            new_module = self.module_renames.get(module)
            if new_module is None:
                names.append(alias)
                continue
            moved = True  # reported on the ast (inspect)
            names.append(alias.with_changes(name=build_dotted(new_module)))
        if not moved or not self.may_fix():
            return None
        return [updated.with_changes(names=names)]

    # ----- uses -----
    def visit_Attribute(self, node: cst.Attribute) -> None:
        if self.renamed_locals and node.attr.value in self.renamed_locals:
            self._protect(node.attr)

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._protect(node.keyword)

    def visit_Param(self, node: cst.Param) -> None:
        self._protect(node.name)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        if self.renamed_locals:
            for sub in (node.name, node.asname.name if node.asname else None):
                if isinstance(sub, cst.Name):
                    self._protect(sub)

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        new = self.renamed_locals.get(original.value)
        if new is None or id(original) in self._protected_names or not self.may_fix():
            return updated
        self.ctx.note_change()
        return updated.with_changes(value=new)

    def _use_verdict(self, qualified: Optional[str], dotted: Optional[str]):
        """What a use `dotted` of `qualified` through a module becomes: None (nothing to say),
        ("module", new module) for a fully qualified use of a moved module, ("through", message)
        for a use that stays reported, or ("moved", new qualified name)."""
        if qualified is None or not qualified.startswith("airflow"):
            return None
        dotted = dotted or ""
        if dotted.split(".", 1)[0] in self._guarded_locals:
            return None  # a name a bridge pair binds: compat code
        fully_qualified = dotted == qualified
        new_module = self.module_renames.get(qualified)
        if new_module is not None and fully_qualified:
            return ("module", new_module)
        new_qualified = self._new_home(qualified)
        if new_qualified is None:
            return None
        old_module, old_name = _split(qualified)
        target_module, new_name = _split(new_qualified)
        if self.module_renames.get(old_module, old_module) != target_module:
            return (
                "through",
                f"`{qualified}` moved to `{new_qualified}`, but it is used through its module here: "
                f"`from {target_module} import {new_name}` and use that name",
            )
        if new_name == old_name and not fully_qualified:
            return None  # the module import was rewritten; this use stays valid
        return ("moved", new_qualified)

    def _report_use(self, node: ast.Attribute) -> None:
        if self.ctx.imports.guarded(node.lineno):
            return  # compat code (see _in_compat_code)
        qualified = self.ctx.imports.qualified_name(node)
        verdict = self._use_verdict(qualified, ast_dotted_name(node))
        if verdict is None or verdict[0] == "module":
            return
        if verdict[0] == "through":
            self.ctx.report_ast(node, self.code, verdict[1], fix=NO_FIX)
        else:
            message = f"`{qualified}` is `{verdict[1]}` on the target version"
            self.ctx.report_ast(node, self.code, message, fix=self.fix)

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        if not self.ctx.options.fix and self._use_changes(original):
            return updated  # reported on the ast (inspect)
        if self._in_compat_code(original):
            return updated
        qualified = self.ctx.imports.qualified_name(original)
        verdict = self._use_verdict(qualified, dotted_name(original))
        if verdict is None:
            return updated
        if verdict[0] == "module":
            if not self.may_fix():
                return updated
            self.ctx.note_change()  # `import a.b.c` + `a.b.c.X` use: follows the import's fix
            return build_dotted(verdict[1])
        if verdict[0] == "through":
            self.report(original, verdict[1], fix=NO_FIX)
            return updated
        new_qualified = verdict[1]
        fully_qualified = (dotted_name(original) or "") == qualified
        new_name = _split(new_qualified)[1]
        fixing = self.may_fix()
        self.report(original, f"`{qualified}` is `{new_qualified}` on the target version", applied=fixing)
        if not fixing:
            return updated
        if fully_qualified:
            return build_dotted(new_qualified)
        return updated.with_changes(attr=cst.Name(new_name))

    # ----- helpers -----
    def _in_compat_code(self, node: cst.CSTNode) -> bool:
        """In a try/except ImportError, or a branch of an Airflow version switch (found on the
        ast: the engine may hand over a branch's statement alone)."""
        if self.ctx.in_import_guard:
            return True
        # (positions cost a codegen pass of the chunk: asked only when the file has compat code)
        return bool(self.ctx.imports.guarded_ranges) and self.ctx.imports.guarded(
            self.ctx.position(node)[0][0]
        )

    def _new_home(self, qualified: str) -> Optional[str]:
        if qualified not in self._homes:
            found = self._homes[qualified] = self._find_home(qualified)
            if found is not None:
                self.ctx.homes[qualified] = found
        return self._homes[qualified]

    def _find_home(self, qualified: str) -> Optional[str]:
        """Where `qualified` lives in the chosen provider releases. A name whose 2.0-era home
        is in a provider follows that provider's own history (classes moved to another module,
        modules removed after a deprecation) to the chosen release, which may be older than the
        table's target; a provider name itself stays when the chosen release still has it."""
        if qualified in self._replaced:  # AU160 rewrites its uses (or reports why they stay)
            new = self._replaced[qualified]
            return new if new != qualified else None
        provider_name = self._provider_name(qualified)
        if provider_name is not None:
            found = _providers.home(provider_name, self.providers)
            if found is None:
                found = _providers.locate(provider_name, self.providers, self.newest)
            return found if found != qualified else None
        new = self.renames.get(qualified)
        return new if new != qualified else None

    def _provider_name(self, qualified: str) -> Optional[str]:
        """The provider name `qualified` stands for, if the provider data knows it: the name
        itself, its row in the 2.0 or target table, or, for a name of a 1.10 module whose other
        names all moved into one provider module, that module's same-named name (1.10 modules
        exposed helpers and enums besides their main class: sftp_operator.SFTPOperation)."""
        candidates = [qualified, _tables.IMPORT_RENAMES["2.0"].get(qualified), self.renames.get(qualified)]
        module, _, name = qualified.rpartition(".")
        sibling = _sibling_module(module)
        if sibling is not None:
            candidates.append(f"{sibling}.{name}")
        for candidate in candidates:
            if candidate and candidate.startswith("airflow.providers.") and _providers.known(candidate):
                return candidate
        return None

    def _release_note(self, new: str) -> str:
        dist = _providers.dist_of(new)
        return f" ({self.providers.label(dist)})" if dist and _providers.known(new) else ""

    def _gone_from_provider(self, qualified: str) -> Optional[str]:
        """Why a name the tables send into a provider (or a provider name) has no same-shape home
        in the chosen provider release, naming that release and what the provider said to use."""
        if qualified in self._replaced:
            return None  # AU160 reports it
        target = self._provider_name(qualified)
        dist = _providers.dist_of(target) if target else None
        if dist is None or self._new_home(qualified) is not None:
            return None
        version = self.providers.version(dist)
        if version is None:
            return f"`{qualified}`: {dist} has no release that allows this Airflow target"
        if _providers.exists(target, version):
            return None  # still there: left alone
        last = _providers.last_release(target)
        if last is not None and _providers.resolve_release(dist, version) is not None:
            read = _providers.releases(dist)
            if read.index(_providers.resolve_release(dist, version)) < read.index(
                _providers.first_release(target)
            ):
                return f"`{qualified}` is `{target}`, which {self.providers.label(dist)} does not have yet"
        use, message, last = _providers.replacement(target) or (None, "", last or "")
        use = self._final_replacement(use)
        advice = f"use `{use}`" if use else "no replacement was named"
        said = f' ("{message}")' if message else ""
        return f"`{qualified}` is not in {self.providers.label(dist)} (last in {last}{said}): {advice}"

    def _final_replacement(self, use: Optional[str]) -> Optional[str]:
        """Follow replacements that the chosen release removed in turn (S3PrefixSensor ->
        sensors.s3.S3PrefixSensor -> S3KeySensor) to one it has."""
        seen = set()
        while use and use not in seen and _providers.known(use):
            seen.add(use)
            version = self.providers.version(_providers.dist_of(use) or "")
            if version is None or _providers.exists(use, version):
                break
            gone = _providers.replacement(use)
            if not gone or not gone[0]:
                break
            use = gone[0]
        return use

    def _only_rewritable_calls(self, local: str) -> bool:
        """Every read of `local` is a `days_ago(...)` call AU305 rewrites (then it drops the import)."""
        assert self.ctx.tree is not None
        calls = {
            id(node.func): rewritable(node)
            for node in ast.walk(self.ctx.tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == local
        }
        return all(calls.get(id(name), False) for name in self._name_uses().reads.get(local, ()))

    def _name_uses(self) -> NameUses:
        if self._uses is None:
            assert self.ctx.tree is not None
            self._uses = NameUses(self.ctx.tree)
        return self._uses

    def _drops_unused(self, node: ast.ImportFrom, alias: ast.alias, qualified: str, start, end) -> bool:
        """A name the target removed, imported and never used: the import goes (AU104)."""
        module = node.module or ""
        if UNUSED_REMOVED_IMPORT not in self.ctx.selected_codes:
            return False
        if qualified not in self.removed and module not in self.removed:
            return False
        local = alias.asname or alias.name
        if self._name_uses().lines(local) or local in self._exported():
            return False
        fixing = self.ctx.may_fix(SAFE, UNUSED_REMOVED_IMPORT)
        self.ctx.report_span(
            start,
            end,
            UNUSED_REMOVED_IMPORT,
            f"`{qualified}` is gone on the target and this file does not use it: remove the import",
            fix=SAFE,
            applied=fixing,
        )
        if fixing:
            self._unused_removed.add((node.lineno, local))
        return True

    def _exported(self) -> frozenset[str]:
        """Names listed in a module-level `__all__` (re-exported: a use elsewhere)."""
        names: set[str] = set()
        for statement in self.ctx.tree.body if self.ctx.tree else ():
            if isinstance(statement, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__all__" for t in statement.targets
            ):
                if isinstance(statement.value, (ast.List, ast.Tuple)):
                    names.update(e.value for e in statement.value.elts if isinstance(e, ast.Constant))
        return frozenset(n for n in names if isinstance(n, str))

    def _removed_message(self, qualified: str, module: str, local: Optional[str] = None) -> Optional[str]:
        for prefix, owner in _HANDLED_ELSEWHERE.items():
            if qualified.startswith(prefix) and owner in self.ctx.selected_codes:
                if owner == "AU305" and local is not None and not self._only_rewritable_calls(local):
                    break  # a use AU305 cannot rewrite (the name read otherwise): the import stays
                return None  # that rule rewrites the uses and the import itself
        # The provider data names the chosen provider release; the generated message (from the
        # installed Airflow envs) already names the old path and says what to do.
        return self._gone_from_provider(qualified) or self.removed.get(qualified) or self.removed.get(module)

    def _alias(self, alias: cst.ImportAlias, new_name: str, asname: Optional[str]) -> cst.ImportAlias:
        new_alias = alias.with_changes(name=cst.Name(new_name))
        if asname is None:
            return new_alias.with_changes(asname=None)
        if alias.asname is not None:
            return new_alias.with_changes(asname=alias.asname.with_changes(name=cst.Name(asname)))
        return new_alias.with_changes(asname=cst.AsName(name=cst.Name(asname)))

    def _already_imported(self, module: str, alias: cst.ImportAlias) -> bool:
        return _alias_key(module, alias) in self._module_level_imports

    def _remember(self, module: str, aliases) -> None:
        if self._depth + self.ctx.chunk_depth == 0 and not isinstance(aliases, cst.ImportStar):
            for alias in aliases:
                self._module_level_imports.add(_alias_key(module, alias))

    def _protect(self, name: Optional[cst.CSTNode]) -> None:
        if isinstance(name, cst.Name):
            self._protected_names[id(name)] = name


@cache
@cache
def _sibling_module(module: str) -> Optional[str]:
    """The one provider module that the 1.10 `module`'s names moved to in Airflow 2.0, if one."""
    return _modules_moved_into_providers().get(module)


@cache
def _modules_moved_into_providers() -> dict[str, str]:
    homes: dict[str, set[str]] = {}
    for old, new in _tables.IMPORT_RENAMES["2.0"].items():
        if new.startswith("airflow.providers.") and not old.startswith("airflow.providers."):
            homes.setdefault(_split(old)[0], set()).add(_split(new)[0])
    return {old: next(iter(new)) for old, new in homes.items() if len(new) == 1}


@cache
def _renamed_modules(key: str) -> frozenset[str]:
    """Modules whose names (or themselves) move on this target: a use `module.X` may change."""
    modules = {_split(old)[0] for old in _tables.IMPORT_RENAMES[key]}
    return frozenset(modules | set(_tables.MODULE_RENAMES[key]))


def _alias_key(module: str, alias: cst.ImportAlias) -> tuple[str, str, Optional[str]]:
    asname = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else None
    return (module, dotted_name(alias.name) or "", asname)


def _with_semicolon(statement: cst.BaseSmallStatement) -> cst.BaseSmallStatement:
    if isinstance(statement.semicolon, cst.Semicolon):
        return statement
    return statement.with_changes(
        semicolon=cst.Semicolon(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(" ")
        )
    )


def _without_trailing_semicolon(statement: cst.BaseSmallStatement) -> cst.BaseSmallStatement:
    return statement.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
