"""Bridge mode: the fixed file keeps loading on Airflow 1.10.15 too (`fix --bridge`).

During a staged upgrade git-sync hands the same commit to the old 1.10.15 scheduler and to
the new ones. After the rules have fixed a file for the target, every import they rewrote
becomes a guarded pair, the form the tool already treats as compat code:

    try:
        from airflow.operators.bash import BashOperator
    except ImportError:  # Airflow 1.10
        from airflow.operators.bash_operator import BashOperator

The `except` branch binds the same local names as the new import, from the 1.10 import the
file had (`from airflow.contrib.operators.gcs_to_bq import GoogleCloudStorageToBigQueryOperator
as GCSToBigQueryOperator` when the rule renamed the class at its uses). A module whose classes
the fix renamed at their uses (`gcs_to_bq.GCSToBigQueryOperator`) gets the new name on 1.10 in
the `except` branch: `gcs_to_bq.GCSToBigQueryOperator = gcs_to_bq.GoogleCloudStorageToBigQueryOperator`.
Some imports cannot be paired exactly: `import airflow.x.y` (it binds the package, whose paths
the uses spell out), a name no 1.10 import of the file bound (or several did).

A file that binds `ImportError` itself anywhere (maintenance DAGs import 1.10's
`airflow.models.ImportError` model) gets `except builtins.ImportError:` in every pair, after an
`import builtins` before the first of them: a plain `except ImportError:` would catch the
file's class (or read an unbound local inside a function), never the error.

Closing the bridge (`fix --close-bridge`, once the old side is gone) collapses such pairs, the
tool's and hand-written ones alike, to their `try` branch when that branch is already what the
target wants (see `closable_bridges`).

If any import of a file cannot be paired, the file is left unchanged (the engine reports why):
half a bridge would load on neither side. Plain functions over CPython's ast and the file's
bytes: no LibCST parse.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Optional, Union

from codemods._context import ImportTracker

BRIDGE_COMMENT = b"  # Airflow 1.10"
# What a pair catches when the file binds `ImportError` itself (see the module docstring)
BUILTINS_GUARD = b"builtins.ImportError"

ImportNode = Union[ast.Import, ast.ImportFrom]


@dataclass(frozen=True)
class BridgeProblem:
    line: int  # 1-based, in the original file: the 1.10 import the fix rewrote (1 if none)
    col: int
    message: str


@dataclass(frozen=True)
class _Binding:
    local: str
    qualified: str  # what the local name is bound to (`airflow.operators.bash_operator.BashOperator`)
    node: ImportNode


def _bindings(node: ImportNode) -> list[_Binding]:
    if isinstance(node, ast.Import):
        return [
            _Binding(
                a.asname or a.name.split(".", 1)[0], a.name if a.asname else a.name.split(".", 1)[0], node
            )
            for a in node.names
        ]
    if node.level or not node.module:
        return []
    return [
        _Binding(a.asname or a.name, f"{node.module}.{a.name}", node) for a in node.names if a.name != "*"
    ]


def is_airflow_import(node: ImportNode) -> bool:
    if isinstance(node, ast.Import):
        return any(alias.name.split(".", 1)[0] == "airflow" for alias in node.names)
    return not node.level and (node.module or "").split(".", 1)[0] == "airflow"


def _imports(tree: ast.Module) -> list[ImportNode]:
    found: list[ImportNode] = []

    def collect(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                found.append(node)
                continue
            for name in ("body", "orelse", "finalbody"):
                inner = getattr(node, name, None)
                if isinstance(inner, list):
                    collect(inner)
            for handler in getattr(node, "handlers", ()):
                collect(handler.body)
            for case in getattr(node, "cases", ()):
                collect(case.body)

    collect(tree.body)
    return found


def _attributes_by_name(tree: ast.Module) -> dict[str, set[str]]:
    """local name -> attributes read on it (`m.X` -> {"X"})."""
    seen: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            seen.setdefault(node.value.id, set()).add(node.attr)
    return seen


def _import_key(node: ImportNode) -> tuple:
    if isinstance(node, ast.Import):
        return ("import", tuple((a.name, a.asname) for a in node.names))
    return ("from", node.module, node.level, tuple((a.name, a.asname) for a in node.names))


def _indent_unit(lines: list[bytes]) -> bytes:
    for line in lines:
        stripped = line.lstrip(b" \t")
        if stripped and line[:1] in (b" ", b"\t") and not stripped.startswith(b"#"):
            return line[: len(line) - len(stripped)]
    return b"    "


def _newline(lines: list[bytes]) -> bytes:
    for line in lines:
        if line.endswith(b"\r\n"):
            return b"\r\n"
        if line.endswith(b"\n"):
            return b"\n"
    return b"\n"


def _stands_alone(node: ImportNode, lines: list[bytes]) -> bool:
    """The import is the only statement on its lines (no `import a; b = 1`)."""
    first = lines[node.lineno - 1]
    if first[: node.col_offset].strip():
        return False
    last = lines[(node.end_lineno or node.lineno) - 1]
    rest = last[node.end_col_offset or 0 :].strip()
    return not rest or rest.startswith(b"#")


def bridge_imports(
    original: bytes, fixed: bytes, home: dict[str, str], on_both: frozenset = frozenset()
) -> tuple[bytes, list[BridgeProblem]]:
    """Pair each import the fix rewrote with the 1.10 import it replaced.

    `home` maps a 1.10 qualified name to its home on the target (the AU101 table); it links
    a renamed class (`GoogleCloudStorageToBigQueryOperator` -> `GCSToBigQueryOperator`) to
    the 1.10 import that bound it. An import binding only names of `on_both` (ones a rule
    chose because 1.10.15 has them too) stays as it is.
    """
    fixed_tree = ast.parse(fixed)
    original_tree = ast.parse(original)
    tracker = ImportTracker.from_ast(fixed_tree)
    unchanged = {_import_key(node) for node in _imports(original_tree)}
    old_by_local: dict[str, _Binding] = {}
    old_by_home: dict[str, _Binding] = {}
    shared: set[str] = set()  # homes of several 1.10 names: no one name to bind on 1.10
    for node in _imports(original_tree):
        if not is_airflow_import(node):
            continue
        for binding in _bindings(node):
            old_by_local.setdefault(binding.local, binding)
            target = home.get(binding.qualified, binding.qualified)
            first = old_by_home.setdefault(target, binding)
            if first.qualified.rpartition(".")[2] != binding.qualified.rpartition(".")[2]:
                # PostgresOperator and MySqlOperator -> SQLExecuteQueryOperator (one name's
                # two 1.10 paths, `airflow.operators.BashOperator`, are one class)
                shared.add(target)
    old_attributes = _attributes_by_name(original_tree)
    new_attributes = _attributes_by_name(fixed_tree)
    lines = fixed.splitlines(keepends=True)
    unit, newline = _indent_unit(lines), _newline(lines)
    problems: list[BridgeProblem] = []
    edits: list[tuple[int, int, list[bytes]]] = []  # (first line, end line, new lines), 0-based
    bound = _bound_names(fixed_tree)
    guard = BUILTINS_GUARD if "ImportError" in bound else b"ImportError"
    for node in _imports(fixed_tree):
        if not is_airflow_import(node) or tracker.guarded(node.lineno) or _import_key(node) in unchanged:
            continue
        if isinstance(node, ast.ImportFrom) and all(b.qualified in on_both for b in _bindings(node)):
            continue
        pairs, aliases, why = _old_bindings(
            node, old_by_local, old_by_home, old_attributes, new_attributes, home, shared
        )
        if (
            why is None
            and not aliases
            and all(local == old.local and old.qualified == binding for local, old, binding in pairs)
        ):
            continue  # the import the file had, split off another one: it loads on 1.10.15 as it is
        if why is None and not _stands_alone(node, lines):
            why = "it shares its line with another statement"
        if why is not None:
            problems.append(
                BridgeProblem(
                    node.lineno,
                    node.col_offset + 1,
                    f"bridge: this import will not load on Airflow 1.10.15: {why}",
                )
            )
            continue
        start, end = node.lineno - 1, node.end_lineno or node.lineno
        indent = lines[start][: node.col_offset]
        body = [unit + line if line.strip() else line for line in lines[start:end]]
        if not body[-1].endswith((b"\n", b"\r")):
            body[-1] += newline
        fallback = [indent + unit + statement + newline for statement in [*_old_statements(pairs), *aliases]]
        edits.append(
            (
                start,
                end,
                [
                    indent + b"try:" + newline,
                    *body,
                    indent + b"except " + guard + b":" + BRIDGE_COMMENT + newline,
                    *fallback,
                ],
            )
        )
    if edits and guard == BUILTINS_GUARD and not problems:
        first = min(start for start, _, _ in edits)
        at = _builtins_import_line(fixed_tree, first + 1)
        if isinstance(at, str):
            problems.append(
                BridgeProblem(first + 1, 1, f"bridge: this import will not load on Airflow 1.10.15: {at}")
            )
        elif at is not None:
            edits.append((at, at, [b"import builtins" + newline]))
    for start, end, new_lines in sorted(edits, reverse=True):
        lines[start:end] = new_lines
    return b"".join(lines), problems


def _builtins_import_line(tree: ast.Module, first_pair: int) -> Union[int, str, None]:
    """0-based line before which `import builtins` goes: before the top-level statement holding
    the first pair (1-based line `first_pair`), so that every pair's `except` can read it; None
    when a top-level `import builtins` comes before that already; why not, when the file binds
    `builtins` to anything else."""
    for node in ast.walk(tree):
        if "builtins" in _names_bound_by(node) and not _imports_builtins(node):
            return "the file binds `builtins`, which the bridge's `except builtins.ImportError` reads"
    for node in tree.body:
        if (node.end_lineno or node.lineno) < first_pair:
            if _imports_builtins(node):
                return None
            continue
        return min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))]) - 1
    return None


def _imports_builtins(node: ast.AST) -> bool:
    return isinstance(node, ast.Import) and all(a.name == "builtins" and not a.asname for a in node.names)


def _old_bindings(
    node: ImportNode,
    old_by_local: dict[str, _Binding],
    old_by_home: dict[str, _Binding],
    old_attributes: dict[str, set[str]],
    new_attributes: dict[str, set[str]],
    home: dict[str, str],
    shared: set[str],
) -> tuple[list[tuple[str, _Binding, str]], list[bytes], Optional[str]]:
    """(new local name, the 1.10 binding to give it, the name the import binds it to) for every
    name the import binds, the alias statements a module whose attributes were renamed needs on
    1.10, or why the import cannot be paired."""
    pairs, aliases = [], []
    for binding in _bindings(node):
        if isinstance(node, ast.Import) and not node.names[0].asname:
            return (
                [],
                [],
                f"`import {node.names[0].name}` binds the package `airflow`, whose paths the fix changed",
            )
        if binding.qualified in shared:
            return [], [], f"`{binding.local}` stands for several 1.10 names of this file"
        old = old_by_home.get(binding.qualified) or old_by_local.get(binding.local)
        if old is None:
            return [], [], f"no 1.10 import of this file binds `{binding.local}`"
        read_before = old_attributes.get(old.local, set())
        for attribute in sorted(new_attributes.get(binding.local, set()) - read_before):
            if attribute.startswith("__") and attribute.endswith("__"):
                continue  # `DockerOperator.__module__` (AU111's bridge): every object has it
            # `gcs_to_bq.GCSToBigQueryOperator` where the file read `gcs_to_bq.GoogleCloudStorageToBigQueryOperator`:
            # on 1.10 the old module gets the new name too, bound to the class the file used
            before = [
                name
                for name in sorted(read_before)
                if home.get(f"{old.qualified}.{name}") == f"{binding.qualified}.{attribute}"
            ]
            if len(before) != 1:
                return [], [], f"`{binding.local}.{attribute}` does not exist in the 1.10 module"
            aliases.append(f"{binding.local}.{attribute} = {binding.local}.{before[0]}".encode())
        pairs.append((binding.local, old, binding.qualified))
    return pairs, aliases, None


def _old_statements(pairs: list[tuple[str, _Binding, str]]) -> list[bytes]:
    """The 1.10 imports binding each local name, grouped by module in order of appearance."""
    grouped: dict[str, list[bytes]] = {}
    for local, old, _ in pairs:
        if isinstance(old.node, ast.Import):
            grouped.setdefault("", []).append(f"import {old.qualified} as {local}".encode())
            continue
        module, _, name = old.qualified.rpartition(".")
        grouped.setdefault(module, []).append((name if name == local else f"{name} as {local}").encode())
    statements = []
    for module, names in grouped.items():
        if module == "":
            statements.extend(names)
        else:
            statements.append(b"from " + module.encode() + b" import " + b", ".join(names))
    return statements


_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})


def _is_import_error(kind: Optional[ast.expr]) -> bool:
    """`ImportError`, `ModuleNotFoundError`, or either as `builtins.X` (what the bridge writes in
    a file that binds `ImportError` itself)."""
    if isinstance(kind, ast.Name):
        return kind.id in _IMPORT_ERRORS
    return (
        isinstance(kind, ast.Attribute)
        and kind.attr in _IMPORT_ERRORS
        and isinstance(kind.value, ast.Name)
        and kind.value.id == "builtins"
    )


def _catches_only_import_error(handler: ast.ExceptHandler) -> bool:
    kind = handler.type
    if isinstance(kind, ast.Tuple):
        return bool(kind.elts) and all(_is_import_error(e) for e in kind.elts)
    return _is_import_error(kind)


def _bound_names(tree: ast.AST) -> set[str]:
    """Every name something in `tree` binds."""
    return {name for node in ast.walk(tree) for name in _names_bound_by(node)}


def _names_bound_by(node: ast.AST) -> list[str]:
    """The names one node binds: an assignment or other target, `del`, a parameter, def/class,
    an import, except-as, `global`/`nonlocal`, a match capture."""
    if isinstance(node, ast.Name):
        return [] if isinstance(node.ctx, ast.Load) else [node.id]
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, ast.Import):
        return [a.asname or a.name.split(".", 1)[0] for a in node.names]
    if isinstance(node, ast.ImportFrom):
        return [a.asname or a.name for a in node.names if a.name != "*"]
    if isinstance(node, ast.ExceptHandler):
        return [node.name] if node.name else []
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return list(node.names)
    if type(node).__name__ in ("MatchAs", "MatchStar"):
        return [node.name] if getattr(node, "name", None) else []  # type: ignore[attr-defined]
    if type(node).__name__ == "MatchMapping":
        return [node.rest] if getattr(node, "rest", None) else []  # type: ignore[attr-defined]
    return []


def bridge_pair(node: ast.Try) -> Optional[tuple[list[ImportNode], list[ImportNode]]]:
    """(the `try` imports, the `except ImportError` imports) of a statement that is nothing but
    an import pair, or None."""
    if node.orelse or node.finalbody or len(node.handlers) != 1:
        return None
    handler = node.handlers[0]
    if handler.name or not _catches_only_import_error(handler):
        return None
    body = node.body
    fallback = [s for s in handler.body if not _is_alias(s)]
    if not all(isinstance(s, (ast.Import, ast.ImportFrom)) for s in [*body, *fallback]):
        return None
    names = binds(fallback)  # type: ignore[arg-type]
    if any(s.targets[0].value.id not in names for s in handler.body if _is_alias(s)):  # type: ignore[attr-defined]
        return None
    return body, fallback  # type: ignore[return-value]


def _is_alias(node: ast.stmt) -> bool:
    """`module.New = module.Old`: the name a 1.10 module lacks, in a bridge's `except` branch."""
    if not isinstance(node, ast.Assign) or len(node.targets) != 1:
        return False
    target, value = node.targets[0], node.value
    return (
        isinstance(target, ast.Attribute)
        and isinstance(value, ast.Attribute)
        and isinstance(target.value, ast.Name)
        and isinstance(value.value, ast.Name)
        and target.value.id == value.value.id
    )


def binds(nodes: list[ImportNode]) -> set[str]:
    return {binding.local for node in nodes for binding in _bindings(node)}
