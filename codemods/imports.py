"""AU101 / AU102: 1.10 import paths and class names -> their homes on the target version.

Driven by the generated tables in codemods/_tables.py (Airflow's own deprecation shims: the
2.0 `airflow/contrib/**` and `*_operator.py` modules, later 2.x `__deprecated_classes`, the
3.x moves to `airflow.providers.standard` / `airflow.sdk`). Names are resolved by qualified
name, so `from x import A as B`, `import a.b as m; m.A`, `from pkg import module; module.A`
and fully qualified `a.b.A` uses are all found. Imports inside try/except ImportError are
already version-aware compat code and are left alone.
"""

from __future__ import annotations

from functools import cache
from typing import Optional, Union

import libcst as cst

from codemods import _tables
from codemods._base import NO_FIX, SAFE, Rule
from codemods._context import build_dotted, dotted_name
from upgrade.targets import table_key

# Names with no import home that another rule rewrites at their uses (and then drops the
# import): AU102 stays quiet about them while that rule is selected.
_HANDLED_ELSEWHERE = {
    # 1.10 contrib pod models (Volume, Port, Resources, ...) -> kubernetes.client.models
    "airflow.contrib.kubernetes.": "AU120",
    # days_ago(n) -> pendulum.today("UTC").add(days=-n) (removed in 3.0)
    "airflow.utils.dates.days_ago": "AU305",
}

StatementResult = Union[cst.SimpleStatementLine, cst.FlattenSentinel, cst.RemovalSentinel]


def _split(qualified: str) -> tuple[str, str]:
    module, _, name = qualified.rpartition(".")
    return module, name


class ImportRenamer(Rule):
    code = "AU101"
    name = "moved-import"
    summary = (
        "Rewrite 1.10 module paths and renamed classes (contrib, *_operator, hooks, sensors) to their homes"
    )
    tokens = (b"airflow",)
    fix = SAFE
    # Its def/class handlers only track nesting depth, which the engine supplies for a
    # statement cut from inside a block (ctx.chunk_depth).
    nested_statements_ok = True

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        key = table_key(ctx.target)
        self.renames: dict[str, str] = _tables.IMPORT_RENAMES[key]
        self.module_renames: dict[str, str] = _tables.MODULE_RENAMES[key]
        self.removed: dict[str, str] = _tables.REMOVED[key]
        # local name -> new local name, for `from old import Old` that became `from new import New`
        self.renamed_locals: dict[str, str] = {}
        # Name nodes that must not be renamed, by id; the node is kept so its id is not reused
        # by a node of a later statement chunk.
        self._protected_names: dict[int, cst.Name] = {}
        self._module_level_imports: set[tuple[str, str, Optional[str]]] = set()
        self._depth = 0  # 0 = module level

    def statement_tokens(self) -> tuple[bytes, ...]:
        """`airflow`, plus local names whose uses change: renamed classes and module aliases."""
        modules = _renamed_modules(table_key(self.ctx.target))
        tokens = [b"airflow"]
        for local, qualified in self.ctx.imports.bindings.items():
            if not qualified.startswith("airflow") or local == "airflow":
                continue
            new = self._new_home(qualified)
            if new is not None and _split(new)[1] != local:
                tokens.append(local.encode())
            elif qualified in modules:
                tokens.append(f"{local}.".encode())  # `bo.BashOperator` through `import ... as bo`
        return tuple(tokens)

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
        if self.ctx.in_import_guard:
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
            if new_qualified is None and qualified in self.module_renames:
                new_qualified = self.module_renames[qualified]  # `from pkg import module`
                new_module, new_name = _split(new_qualified)
                new_alias = self._alias(alias, new_name, local if new_name != local else None)
            elif new_qualified is not None:
                new_module, new_name = _split(new_qualified)
                if alias.asname is None and new_name != name:
                    self.renamed_locals[name] = new_name
                keep_as = local if (alias.asname is not None and local != new_name) else None
                new_alias = self._alias(alias, new_name, keep_as)
            else:
                self._report_removed(alias, qualified, module)
                groups.setdefault(module, []).append(alias)
                continue
            moved = True
            self.report(
                alias,
                f"`{qualified}` moved to `{new_qualified}`: import it from there",
                applied=self.may_fix(),
            )
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
            aliases = [
                a.with_changes(comma=cst.MaybeSentinel.DEFAULT) if i == len(aliases) - 1 else a
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
                self._report_removed(alias, module, module)
                names.append(alias)
                continue
            moved = True
            self.report(
                alias,
                f"module `{module}` moved to `{new_module}`: import that instead",
                applied=self.may_fix(),
            )
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

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        if self.ctx.in_import_guard:
            return updated
        qualified = self.ctx.imports.qualified_name(original)
        if qualified is None or not qualified.startswith("airflow"):
            return updated
        dotted = dotted_name(original) or ""
        fully_qualified = dotted == qualified
        new_module = self.module_renames.get(qualified)
        if new_module is not None and fully_qualified:
            if not self.may_fix():
                return updated
            self.ctx.note_change()  # `import a.b.c` + `a.b.c.X` use: follows the import's fix
            return build_dotted(new_module)
        new_qualified = self._new_home(qualified)
        if new_qualified is None:
            return updated
        old_module, old_name = _split(qualified)
        target_module, new_name = _split(new_qualified)
        if self.module_renames.get(old_module, old_module) != target_module:
            self.report(
                original,
                f"`{qualified}` moved to `{new_qualified}`, but it is used through its module here: "
                f"`from {target_module} import {new_name}` and use that name",
                fix=NO_FIX,
            )
            return updated
        if new_name == old_name and not fully_qualified:
            return updated  # the module import was rewritten; this use stays valid
        fixing = self.may_fix()
        self.report(original, f"`{qualified}` is `{new_qualified}` on the target version", applied=fixing)
        if not fixing:
            return updated
        if fully_qualified:
            return build_dotted(new_qualified)
        return updated.with_changes(attr=cst.Name(new_name))

    # ----- helpers -----
    def _new_home(self, qualified: str) -> Optional[str]:
        new = self.renames.get(qualified)
        return new if new != qualified else None

    def _report_removed(self, node: cst.CSTNode, qualified: str, module: str) -> None:
        for prefix, owner in _HANDLED_ELSEWHERE.items():
            if qualified.startswith(prefix) and owner in self.ctx.selected_codes:
                return  # that rule rewrites the uses and the import itself
        message = self.removed.get(qualified) or self.removed.get(module)
        if message:
            # The generated message already names the old path and says what to do.
            self.ctx.report(node, RemovedImport.code, message, fix=NO_FIX, applied=False)

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


class RemovedImport(Rule):
    """Documentation entry for AU102, which ImportRenamer reports (one walk for both)."""

    code = "AU102"
    name = "removed-import"
    summary = "Report 1.10 modules and names with no home on the target (e.g. airflow.operators.sensors, DagRunOrder)"
    tokens = (b"airflow",)
    fix = NO_FIX
    reported_by = ImportRenamer


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
