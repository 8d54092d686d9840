"""Bridge mode: fixes written as calls of the runtime layer (compat/) vendored into the DAG repo.

Some 1.10 arguments are rejected by the target and their target form by 1.10
(`KubernetesPodOperator(resources={...})`, `DAG(schedule_interval=...)` on 3.x,
`provide_context=True` on 3.x). Their bridged form passes the keyword the running Airflow
accepts through a compat helper that returns it:

    KubernetesPodOperator(..., **pod_resources(request_cpu="100m"), dag=dag)

The rule registers the helper here (`use_helper`); the engine adds
`from <compat package>.<module> import <name>` after the file's first block of imports
(`add_helper_imports`), the package being the one `compat vendor --package` named
(`--compat-package`, settings `compat-package`). Closing the bridge drops those imports once
nothing uses their names (`drop_unused_helper_imports`).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Optional

from codemods._context import FileContext
from codemods._import_service import is_import_try

if TYPE_CHECKING:
    import libcst as cst
else:
    from codemods._libcst import cst

# helper name -> compat submodule defining it (compat/operators.py, compat/dag.py, compat/context.py)
HELPERS = {
    "pod_resources": "operators",
    "pod_on_finish": "operators",
    "schedule_argument": "dag",
    "provide_context_kwargs": "context",
}


def helper_qualified(ctx: FileContext, name: str) -> str:
    return f"{ctx.options.compat_package}.{HELPERS[name]}.{name}"


def _bound_elsewhere(tree: Optional[ast.Module], name: str, qualified: str) -> bool:
    """`name` is bound in the file to anything but `qualified` (a def, an assignment, a
    parameter, another import): the helper's import would shadow it, or it the helper."""
    if tree is None:
        return False
    module, _, attr = qualified.rpartition(".")
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return True
        if isinstance(node, ast.arg) and node.arg == name:
            return True
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if (alias.asname or alias.name) == name and (node.module, alias.name) != (module, attr):
                    return True
        elif isinstance(node, ast.Import):
            if any((alias.asname or alias.name.split(".")[0]) == name for alias in node.names):
                return True
    return False


def helper_available(ctx: FileContext, name: str) -> bool:
    """The file leaves the name free for the compat helper `name` (or imports that helper)."""
    return not _bound_elsewhere(ctx.tree, name, helper_qualified(ctx, name))


def use_helper(ctx: FileContext, name: str) -> Optional[str]:
    """The local name to call the compat helper `name` by (its import is added by the engine),
    or None when the file binds that name to something else."""
    qualified = helper_qualified(ctx, name)
    if _bound_elsewhere(ctx.tree, name, qualified):
        return None
    ctx.compat_imports.add((qualified.rpartition(".")[0], name))
    return name


def unpacking_allowed(call: cst.Call, index: int) -> bool:
    """`**helper(...)` may replace argument `index`: no `*args` follows it (`f(**a, *b)` does
    not parse)."""
    return not any(arg.star == "*" for arg in call.args[index + 1 :])


def unpacked(original: cst.Arg, helper: str, args: list[cst.Arg]) -> cst.Arg:
    """`**helper(args)` in the place of `original`, keeping its comma (and layout after it)."""
    return cst.Arg(
        value=cst.Call(func=cst.Name(helper), args=args),
        star="**",
        comma=original.comma,
        whitespace_after_arg=original.whitespace_after_arg,
    )


def _first_import_block_end(tree: ast.Module) -> int:
    """0-based line after the file's first run of imports (guarded `try: import` pairs count),
    after its docstring when it has no imports, else 0."""
    body = tree.body
    index = 0
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        if isinstance(body[0].value.value, str):
            index = 1
    end = body[index - 1].end_lineno if index else 0
    for statement in body[index:]:
        if isinstance(statement, (ast.Import, ast.ImportFrom)) or is_import_try(statement):
            end = statement.end_lineno
            continue
        break
    return end or 0


def _imported(tree: ast.Module) -> set[tuple[str, str]]:
    return {
        (node.module or "", alias.name)
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and not node.level
        for alias in node.names
        if alias.asname is None
    }


def add_helper_imports(source: bytes, wanted: set[tuple[str, str]]) -> bytes:
    """`source` with `from MODULE import NAME` for each wanted helper it does not import yet,
    one statement per module, after its first block of imports."""
    tree = ast.parse(source)
    missing: dict[str, list[str]] = {}
    for module, name in sorted(wanted - _imported(tree)):
        missing.setdefault(module, []).append(name)
    if not missing:
        return source
    lines = source.splitlines(keepends=True)
    newline = b"\r\n" if lines and lines[0].endswith(b"\r\n") else b"\n"
    at = _first_import_block_end(tree)
    if at == 0:  # no import, no docstring: after the shebang / coding / comment lines on top
        while at < len(lines) and lines[at].lstrip().startswith(b"#"):
            at += 1
    if at and not lines[at - 1].endswith((b"\n", b"\r")):
        lines[at - 1] += newline
    new = [f"from {module} import {', '.join(names)}".encode() + newline for module, names in missing.items()]
    lines[at:at] = new
    return b"".join(lines)


def drop_unused_helper_imports(source: bytes, package: str) -> bytes:
    """Closing the bridge: remove each top-level `from <package>.<module> import ...` of
    helpers only, none of whose names the file uses any more."""
    tree = ast.parse(source)
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    doomed = []
    for node in tree.body:
        if not isinstance(node, ast.ImportFrom) or node.level:
            continue
        names = [(alias.name, alias.asname) for alias in node.names]
        if all(
            asname is None
            and HELPERS.get(name)
            and node.module == f"{package}.{HELPERS[name]}"
            and name not in used
            for name, asname in names
        ):
            doomed.append(node)
    if not doomed:
        return source
    lines = source.splitlines(keepends=True)
    for node in reversed(doomed):
        first, last = node.lineno - 1, node.end_lineno or node.lineno
        if lines[first][: node.col_offset].strip() or lines[last - 1][node.end_col_offset or 0 :].strip():
            continue  # shares a line with another statement or a comment: leave it
        del lines[first:last]
    return b"".join(lines)
