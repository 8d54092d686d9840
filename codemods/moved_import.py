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
import codecs
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Callable, Optional, Union

from codemods import _providers
from codemods._ast_nodes import of_type, walk
from codemods._base import NO_FIX, SAFE, Edit, Finding, Fix, Rewrite, Rule
from codemods._context import ast_dotted_name, build_dotted, dotted_name
from codemods._generated import tables as _tables
from codemods._import_service import ImportTransform
from codemods._import_spans import alias_spans, module_bytes_span
from codemods._internal_renames import inexact_uses, move_for
from codemods._local_bindings import names_bound_elsewhere
from codemods._name_uses import NameUses, attribute_after, describe_lines
from codemods._targets import table_key
from codemods.days_ago import rewritable
from codemods.replaced_operator import import_renames, module_rebinds

if TYPE_CHECKING:
    import libcst as cst

    StatementResult = Union[cst.SimpleStatementLine, cst.FlattenSentinel, cst.RemovalSentinel]
else:
    from codemods._libcst import cst

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
    node_types = (ast.Import, ast.ImportFrom)

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
        rebound = {**self._rebound_modules(), **module_rebinds(ctx)}
        if rebound:
            self.module_renames = {**self.module_renames, **rebound}
        renamed_classes = self._renamed_class_locals()
        # Renamed classes whose old name something else binds or names too (a parameter,
        # `__all__`, ...): imported as `New as Old`, their uses left as they are.
        self._keep_spelling = names_bound_elsewhere(ctx.tree, renamed_classes)
        # Names a try/except ImportError binds last (a bridge's `except` branch binds the 1.10
        # module, the `try` branch the target's): their uses are that compat code's, left alone.
        self._guarded_locals = self._bound_by_compat_code()
        self._module_locals_set = self._module_locals()
        # Imports fixed in place (byte edits found on the ast) when no two imports of the file
        # import the same name once fixed; else each changed import line is rewritten with LibCST.
        self._in_place = bool(ctx.options.fix) and self._imports_stay_distinct()
        # ids of the imports `check` was given (airflow imports outside compat code)
        self._checked: set[int] = set()
        self._names: Optional[dict[str, list[ast.Name]]] = None
        # Names and attributes are most of a file's nodes: attributes are looked at only when
        # some can change; the uses of a renamed class are found with its import's fix.
        if self._module_locals_set:
            self.node_types = (ast.Import, ast.ImportFrom, ast.Attribute)

    # Imports are reported on CPython's ast once the walk has seen them all (finish), with their
    # fixes: most are byte edits (the module path replaced in place); an import whose fix
    # changes more than the path (split, merged, renamed names) is a LibCST rewrite of its
    # line. A class whose local name changes is renamed at each use by the same fix.
    def check(self, node: ast.AST) -> Iterator[Finding]:
        if isinstance(node, ast.Attribute):
            yield from self._check_use(node)
        elif self._is_airflow_import(node):  # type: ignore[arg-type]
            self._checked.add(id(node))

    def finish(self) -> Iterator[Finding]:
        imports = [node for node in self.ctx.imports.import_nodes if id(node) in self._checked]
        fixes = self._import_fixes(imports) if self.ctx.options.fix else {}
        for node in imports:
            yield from self._import_findings(node, fixes.get(id(node)))

    @staticmethod
    def _is_airflow_import(node: ast.Import | ast.ImportFrom) -> bool:
        if isinstance(node, ast.Import):
            return any(alias.name.startswith("airflow") for alias in node.names)
        return (
            not node.level
            and (node.module or "").startswith("airflow")
            and all(alias.name != "*" for alias in node.names)
        )

    def _import_findings(self, node: ast.Import | ast.ImportFrom, fix: Optional[Fix]) -> Iterator[Finding]:
        """Every name of an airflow import that moved or is gone."""
        for alias in node.names:
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
                if isinstance(node, ast.ImportFrom) and self._drops_unused(node, alias, qualified):
                    yield Finding(
                        alias,
                        f"`{qualified}` is gone on the target and this file does not use it: remove the import",
                        fix,
                        code=UNUSED_REMOVED_IMPORT,
                        label=SAFE,
                    )
                    continue
                local = alias.asname or alias.name if isinstance(node, ast.ImportFrom) else None
                removed = self._removed_message(qualified, module, local)
                if removed:
                    if isinstance(node, ast.ImportFrom):
                        lines = self._name_uses().lines(alias.asname or alias.name)
                        if lines:
                            removed += f" (used at {describe_lines(lines)})"
                    yield Finding(alias, removed, code=REMOVED_IMPORT, label=NO_FIX)
                continue
            yield Finding(alias, message + self._release_note(new), fix, label=SAFE)

    # ----- fixes of the imports -----
    def _import_fixes(self, imports: list[ast.Import | ast.ImportFrom]) -> dict[int, Fix]:
        """id of an import -> the fix of its names (shared by the imports of one line)."""
        layout = _import_layout(self.ctx.tree, self.ctx.lines)  # type: ignore[arg-type]
        seen: set[tuple[str, str, Optional[str]]] = set()  # module-level imports, once fixed
        renamed: set[str] = set()  # local names whose uses a fix renames already
        fixes: dict[int, Fix] = {}
        lines: dict[int, list[tuple[ast.stmt, _Plan]]] = {}  # line (its first statement) -> plans
        line_renames: dict[int, dict[str, str]] = {}
        suites: dict[int, bool] = {}
        for node in imports:
            depth, line, plain = layout.get(id(node), (0, id(node), True))
            if self._in_place and isinstance(node, ast.ImportFrom):
                edits = self._in_place_edits(node)
                if edits is not None:
                    changes: list = [Edit(*edit) for edit in edits]
                    changes += self._renamed_uses(self._renames_of(node), renamed)
                    fixes[id(node)] = Fix.safe(*changes)
                    continue
            plan = self._plan(node, depth == 0, seen)
            if plan is None:
                continue
            lines.setdefault(line, []).append((node, plan))
            suites[line] = not plain  # the statements after `if x:` on its line
            line_renames.setdefault(line, {}).update(plan.renames)
        for line, plans in lines.items():
            first = plans[0][0]
            line_rewrite = _ImportLine(plans=tuple(plan for _, plan in plans))
            kind = "SimpleStatementSuite" if suites[line] else "SimpleStatementLine"
            changes = [Rewrite(first, line_rewrite, kind)]
            changes += self._renamed_uses(line_renames[line], renamed)
            fix = Fix.safe(*changes)
            for node, _plan in plans:
                fixes[id(node)] = fix
        return fixes

    def _renames_of(self, node: ast.ImportFrom) -> dict[str, str]:
        """Local names the fix of `from old import Old` changes (to `New`): renamed at each use."""
        renames = {}
        for alias in node.names:
            new_name = _split(self._new_home(f"{node.module}.{alias.name}") or "")[1]
            if alias.asname is None and new_name != alias.name and alias.name not in self._keep_spelling:
                renames[alias.name] = new_name
        return renames

    def _renamed_uses(self, renames: dict[str, str], renamed: set[str]) -> list[Union[Edit, Rewrite]]:
        """The uses of the classes an import's fix renames (each name once in the file: the
        first fix that renames it)."""
        changes = []
        for local, new in renames.items():
            if local in renamed:
                continue
            renamed.add(local)
            changes += [_rename(name, new, self.ctx.lines) for name in self._name_nodes().get(local, ())]
        return changes

    def _name_nodes(self) -> dict[str, list[ast.Name]]:
        """Every `Name` node of the file by name (read, assigned or deleted, compat code included)."""
        if self._names is None:
            self._names = {}
            for node in walk(self.ctx.tree):  # type: ignore[arg-type]
                if isinstance(node, ast.Name):
                    self._names.setdefault(node.id, []).append(node)
        return self._names

    def _plan(self, node: ast.Import | ast.ImportFrom, module_level: bool, seen: set) -> Optional[_Plan]:
        """What the LibCST rewrite makes of an import, name by name: None if it stays. `seen`
        holds the names module-level imports before it import (a name imported again goes)."""
        if isinstance(node, ast.Import):
            news = {
                alias.name: self.module_renames[alias.name]
                for alias in node.names
                if alias.name in self.module_renames
            }
            return _Plan("", imports=news) if news else None
        module = node.module or ""
        groups: dict[str, list[tuple[tuple[str, Optional[str]], AliasChange, tuple]]] = {}
        decisions: dict[tuple[str, Optional[str]], Union[str, tuple[str, AliasChange, bool]]] = {}
        renames: dict[str, str] = {}
        moved = False
        for alias in node.names:
            name = alias.name
            qualified = f"{module}.{name}"
            local = alias.asname or name
            new_qualified = self._new_home(qualified)
            if (
                new_qualified is None
                and qualified not in self.module_renames
                and self._drops_unused(node, alias, qualified)
            ):
                moved = True  # dropped (AU104)
                decisions[(name, alias.asname)] = _DROP
                continue
            if new_qualified is None and qualified in self.module_renames:
                new_module, new_name = _split(self.module_renames[qualified])  # `from pkg import module`
                change: AliasChange = (new_name, local if new_name != local else None)
            elif new_qualified is not None:
                new_module, new_name = _split(new_qualified)
                keep_as = local if (alias.asname is not None and local != new_name) else None
                if alias.asname is None and new_name != name:
                    if name in self._keep_spelling:
                        keep_as = name
                    else:
                        renames[name] = new_name
                change = (new_name, keep_as)
            else:
                groups.setdefault(module, []).append(
                    ((name, alias.asname), None, (module, name, alias.asname))
                )
                continue
            moved = True
            groups.setdefault(new_module, []).append(
                ((name, alias.asname), change, (new_module, new_name, change[1]))
            )
        if not moved:
            if module_level:
                seen.update((module, alias.name, alias.asname) for alias in node.names)
            return None
        for new_module, items in groups.items():
            kept = [item for item in items if item[2] not in seen] if module_level else items
            for key, change, alias_key in items:
                decisions.setdefault(key, (new_module, change, module_level and alias_key in seen))
            if module_level:
                seen.update(item[2] for item in kept)
        return _Plan(module, names=decisions, renames=renames)

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

    def _use_changes(self, node: ast.Attribute) -> bool:
        """`bo.BashOperator` / `airflow.utils.helpers.chain`: a use through a module that moves
        or names a class that moves (see _check_use)."""
        head = node.value
        while isinstance(head, ast.Attribute):
            head = head.value
        if not isinstance(head, ast.Name) or head.id not in self._module_locals_set:
            return False
        qualified = self.ctx.imports.qualified_name(node)
        return qualified is not None and (
            qualified in self.module_renames or self._new_home(qualified) is not None
        )

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

    def _check_use(self, node: ast.Attribute) -> Iterator[Finding]:
        """`bo.BashOperator` / `airflow.utils.helpers.chain`: a use through a module that moves
        or names a class that moves."""
        if not self._use_changes(node):
            return
        qualified = self.ctx.imports.qualified_name(node)
        dotted = ast_dotted_name(node)
        verdict = self._use_verdict(qualified, dotted)
        if verdict is None:
            return
        if verdict[0] == "module":  # `import a.b.c` + a `a.b.c.X` use: follows the import's fix
            yield Finding(node, "", Fix.safe(Rewrite(node, _replaced_by(verdict[1]))), silent=True)
            return
        if verdict[0] == "through":
            yield Finding(node, verdict[1], label=NO_FIX)
            return
        new_qualified = verdict[1]
        if (dotted or "") == qualified:
            change: Union[Edit, Rewrite] = Rewrite(node, _replaced_by(new_qualified))
        else:
            change = _renamed_attribute(node, _split(new_qualified)[1], self.ctx.lines)
        yield Finding(node, f"`{qualified}` is `{new_qualified}` on the target version", Fix.safe(change))

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
            found = _provider_home(provider_name, self.providers, self.newest)
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
            for node in of_type(self.ctx.tree, ast.Call)
            if isinstance(node.func, ast.Name) and node.func.id == local
        }
        return all(calls.get(id(name), False) for name in self._name_uses().reads.get(local, ()))

    def _name_uses(self) -> NameUses:
        if self._uses is None:
            assert self.ctx.tree is not None
            self._uses = NameUses(self.ctx.tree)
        return self._uses

    def _drops_unused(self, node: ast.ImportFrom, alias: ast.alias, qualified: str) -> bool:
        """A name the target removed, imported and never used: the import goes (AU104)."""
        module = node.module or ""
        if UNUSED_REMOVED_IMPORT not in self.ctx.selected_codes:
            return False
        if qualified not in self.removed and module not in self.removed:
            return False
        local = alias.asname or alias.name
        return not self._name_uses().lines(local) and local not in self._exported()

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


@cache
def _provider_home(
    provider_name: str, chosen: _providers.Releases, newest: _providers.Releases
) -> Optional[str]:
    """Where a provider name lives in the chosen releases: the same in every file of a run."""
    found = _providers.home(provider_name, chosen)
    return found if found is not None else _providers.locate(provider_name, chosen, newest)


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


AliasChange = Optional[tuple[str, Optional[str]]]  # (new name, local name or None); None: kept


_DROP = "drop"  # a name the fix leaves out (AU104)


@dataclass(frozen=True)
class _Plan:
    """The rewrite of one import statement, decided on the ast name by name (the statement the
    rewrite gets may have lost names to another rule's byte edits): for `import a.b`, the new
    module of each moved name; for `from m import ...`, by (name, local name): _DROP, or the
    module it is imported from now, its change (None: kept as it is) and whether an import
    before it already imports it (then it goes)."""

    module: str
    imports: dict = field(default_factory=dict)
    names: dict = field(default_factory=dict)
    renames: dict = field(default_factory=dict)  # local -> new name, renamed at the uses


def _import_layout(tree: ast.Module, lines: list[bytes]) -> dict[int, tuple[int, int, bool]]:
    """id of each import statement -> (def/class depth, id of the first statement of its
    line, whether that line is a plain statement line, not the body after `if x:`)."""
    layout: dict[int, tuple[int, int, bool]] = {}
    stack: list[tuple[list[ast.stmt], int]] = [(tree.body, 0)]
    while stack:
        body, depth = stack.pop()
        first: Optional[ast.stmt] = None
        plain = False
        previous: Optional[ast.stmt] = None
        for statement in body:
            if previous is None or not _same_line(previous, statement):
                first = statement
                line = lines[statement.lineno - 1]
                if statement.lineno == 1 and line.startswith(codecs.BOM_UTF8):
                    line = line[len(codecs.BOM_UTF8) :]  # the ast's offsets do not count it
                plain = not line[: statement.col_offset].strip()
            previous = statement
            if isinstance(statement, (ast.Import, ast.ImportFrom)):
                layout[id(statement)] = (depth, id(first), plain)
                continue
            inner = depth + isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            for field_name in ("body", "orelse", "finalbody"):
                block = getattr(statement, field_name, None)
                if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                    stack.append((block, inner))
            for handler in getattr(statement, "handlers", ()):
                stack.append((handler.body, inner))
            for case in getattr(statement, "cases", ()):
                stack.append((case.body, inner))
    return layout


_COMPOUND = (
    ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.If, ast.For, ast.AsyncFor, ast.While,
    ast.With, ast.AsyncWith, ast.Try,
    *((ast.TryStar,) if hasattr(ast, "TryStar") else ()),  # Python 3.11
    *((ast.Match,) if hasattr(ast, "Match") else ()),  # Python 3.10
)  # fmt: skip


def _same_line(previous: ast.stmt, statement: ast.stmt) -> bool:
    """`a; b`: two simple statements of one line."""
    return not isinstance(previous, _COMPOUND) and statement.lineno == (
        previous.end_lineno or previous.lineno
    )


def _rename(name: ast.Name, new: str, lines: list[bytes]) -> Union[Edit, Rewrite]:
    old = name.id.encode()
    line = lines[name.lineno - 1]
    if name.end_lineno == name.lineno and line[name.col_offset : name.end_col_offset] == old:
        return Edit(name.lineno, name.col_offset, name.end_col_offset, new.encode())  # type: ignore[arg-type]
    return Rewrite(name, lambda node: node.with_changes(value=new))  # e.g. inside an f-string before 3.12


def _renamed_attribute(node: ast.Attribute, new_name: str, lines: list[bytes]) -> Union[Edit, Rewrite]:
    old = node.attr.encode()
    line, end = node.end_lineno or node.lineno, node.end_col_offset or 0
    if lines[line - 1][end - len(old) : end] == old:
        return Edit(line, end - len(old), end, new_name.encode())
    return Rewrite(node, lambda attribute: attribute.with_changes(attr=cst.Name(new_name)))


def _replaced_by(dotted: str) -> Callable[[cst.CSTNode], cst.CSTNode]:
    return lambda _node: build_dotted(dotted)


def _alias(alias: cst.ImportAlias, new_name: str, asname: Optional[str]) -> cst.ImportAlias:
    new_alias = alias.with_changes(name=cst.Name(new_name))
    if asname is None:
        return new_alias.with_changes(asname=None)
    if alias.asname is not None:
        return new_alias.with_changes(asname=alias.asname.with_changes(name=cst.Name(asname)))
    return new_alias.with_changes(asname=cst.AsName(name=cst.Name(asname)))


@dataclass(frozen=True, eq=False)
class _ImportLine(ImportTransform):
    """The LibCST rewrite of a line of imports: each planned import replaced by the statements
    it becomes (none, one, or several: then one line each). An import service transform
    (codemods/_import_service.py): applied, like an added import, to whatever the other fixes
    made of the line (another rule's fix may add an import after it or prune it)."""

    plans: tuple[_Plan, ...] = ()

    def __call__(self, result):  # type: ignore[override]
        if isinstance(result, cst.SimpleStatementLine):
            return self.line(result)
        if isinstance(result, cst.SimpleStatementSuite):
            return self.suite(result)
        if not isinstance(result, cst.FlattenSentinel):
            return result
        nodes: list[cst.CSTNode] = []
        for node in result.nodes:
            new = self.line(node) if isinstance(node, cst.SimpleStatementLine) else node
            if isinstance(new, cst.FlattenSentinel):
                nodes.extend(new.nodes)
            elif isinstance(new, cst.CSTNode):
                nodes.append(new)
        return cst.FlattenSentinel(nodes) if nodes else cst.RemovalSentinel.REMOVE

    def line(self, line: cst.SimpleStatementLine) -> StatementResult:
        new_body = self._new_body(line.body)
        if new_body is None:
            return line
        if not new_body:
            return cst.RemovalSentinel.REMOVE
        if len(line.body) == 1 and len(new_body) > 1:
            # one import became several: one line each, the first keeps the comments above it
            lines = [line.with_changes(body=[_without_trailing_semicolon(new_body[0])])]
            lines += [cst.SimpleStatementLine(body=[_without_trailing_semicolon(s)]) for s in new_body[1:]]
            return cst.FlattenSentinel(lines)
        return line.with_changes(body=new_body)

    def suite(self, suite: cst.SimpleStatementSuite) -> cst.SimpleStatementSuite:
        """`if x: from old import A`: the statements stay on the line of the `if`."""
        new_body = self._new_body(suite.body)
        return suite if not new_body else suite.with_changes(body=new_body)

    def _new_body(self, body) -> Optional[list[cst.BaseSmallStatement]]:
        """The small statements of a line once its imports are rewritten; None if unchanged."""
        from_plans = {plan.module: plan for plan in self.plans if not plan.imports}
        imports = {name: new for plan in self.plans for name, new in plan.imports.items()}
        new_body: list[cst.BaseSmallStatement] = []
        changed = False
        for statement in body:
            replacement = None
            if isinstance(statement, cst.Import) and imports:
                replacement = _renamed_modules_of(statement, imports)
            elif (
                isinstance(statement, cst.ImportFrom)
                and not statement.relative
                and statement.module is not None
                and not isinstance(statement.names, cst.ImportStar)
            ):
                plan = from_plans.get(dotted_name(statement.module) or "")
                replacement = _apply_plan(plan, statement) if plan is not None else None
            if replacement is None:
                new_body.append(statement)
            else:
                changed = True
                new_body.extend(replacement)
        if not changed:
            return None
        return [
            _without_trailing_semicolon(s) if i == len(new_body) - 1 else _with_semicolon(s)
            for i, s in enumerate(new_body)
        ]


def _renamed_modules_of(
    statement: cst.Import, news: dict[str, str]
) -> Optional[list[cst.BaseSmallStatement]]:
    names = []
    moved = False
    for alias in statement.names:
        new = news.get(dotted_name(alias.name) or "")
        moved = moved or new is not None
        names.append(alias if new is None else alias.with_changes(name=build_dotted(new)))
    return [statement.with_changes(names=names)] if moved else None


def _apply_plan(plan: _Plan, statement: cst.ImportFrom) -> Optional[list[cst.BaseSmallStatement]]:
    assert not isinstance(statement.names, cst.ImportStar)
    groups: dict[str, list[cst.ImportAlias]] = {}
    moved = False
    for alias in statement.names:
        asname = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else None
        decision = plan.names.get((dotted_name(alias.name) or "", asname))
        if decision == _DROP:
            moved = True
            continue
        module, change, imported_before = decision or (plan.module, None, False)
        moved = moved or change is not None
        aliases = groups.setdefault(module, [])
        if not imported_before:
            aliases.append(alias if change is None else _alias(alias, *change))
    if not moved:
        return None
    statements: list[cst.BaseSmallStatement] = []
    for new_module, aliases in groups.items():
        if not aliases:
            continue
        # The last name loses its comma (`from x import A,` does not parse) - unless all
        # names stay, in their parentheses, where a trailing comma and the line break
        # before `)` are the file's own layout.
        keeps_parentheses = (
            len(groups) == 1 and statement.lpar is not None and len(aliases) == len(statement.names)
        )
        aliases = [
            a.with_changes(comma=cst.MaybeSentinel.DEFAULT)
            if i == len(aliases) - 1 and not keeps_parentheses
            else a
            for i, a in enumerate(aliases)
        ]
        if len(groups) == 1:
            statements.append(statement.with_changes(module=build_dotted(new_module), names=aliases))
        else:
            aliases = [
                a.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
                if i < len(aliases) - 1
                else a
                for i, a in enumerate(aliases)
            ]
            statements.append(cst.ImportFrom(module=build_dotted(new_module), names=aliases))
    return statements


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
