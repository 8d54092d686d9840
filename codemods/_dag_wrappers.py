"""A company's `DAG` that hands keyword arguments on to Airflow's DAG unchanged, proven from its
source in the DAG repo.

DAG repos often wrap Airflow's DAG to give every DAG the team's defaults:

    def DAG(dag_id, **kwargs):
        for key, value in DAG_DEFAULTS.items():
            kwargs.setdefault(key, value)
        return airflow.DAG(dag_id, **kwargs)

Renaming `schedule_interval=` to `schedule=` (Airflow 3.0) in a call of such a wrapper is exact
when the wrapper neither takes nor reads nor changes either name: the keyword then arrives at
Airflow's DAG as written. That is decided here on the wrapper's ast, conservatively (any other
use of `**kwargs` and the wrapper is not proven):

- a function with no decorators whose parameters include neither name, whose every `return`
  is a call of Airflow's DAG given `**kwargs` (and neither name), and whose body uses
  `kwargs` only by keys known not to be either name: a string literal, or the loop variable
  of `for key in D` / `D.keys()` / `D.items()` over a module-level dict literal with string
  keys that the module only reads;
- or a class deriving from Airflow's DAG alone, defining no `__init__` or `__new__`.

Where the wrapper comes from: defined in the DAG file itself, or a module of the DAG repo
where Airflow's import finds it, in the DAG file's folder or an ancestor (the DAG folder is on
`sys.path`) or an ancestor's `plugins` folder (so is the plugins folder). A module found in more
than one of those places is ambiguous and not used. A package that re-exports the wrapper
(`from .factory import DAG` in its `__init__.py`) is followed to the definition. The result
depends on the files read (FileContext.depends_on), so a cached result is recomputed when one
changes. The assumption left: no other module changes the wrapper module's dict of defaults at
import time.
"""

from __future__ import annotations

import ast
import os
from functools import lru_cache
from typing import Optional

from codemods._context import FileContext, ImportTracker, ast_dotted_name

_MAX_BYTES = 1_000_000  # a module larger than this is not read (nor proven)
# builtins that read or change a function's locals behind the names' backs
_OPAQUE_CALLS = frozenset({"locals", "vars", "exec", "eval", "globals"})
# the capture patterns of `match` (Python 3.10+)
_MATCH_PATTERNS = tuple(
    getattr(ast, kind) for kind in ("MatchAs", "MatchStar", "MatchMapping") if hasattr(ast, kind)
)


def forwarding_wrapper(ctx: FileContext, call: ast.Call, names: frozenset[str]) -> Optional[str]:
    """Where (`path:line`) the company `DAG` this call calls is defined, when that definition
    provably hands every keyword named in `names` on to Airflow's DAG unchanged; else None."""
    spelled = ast_dotted_name(call.func)  # `DAG`, `company_airflow.DAG`
    if spelled is None or ctx.tree is None:
        return None
    # asked by each DAG-argument rule for each call, and again for its message: decided once
    key = ("dag wrapper", spelled, names)
    if key not in ctx.memo:
        ctx.memo[key] = _forwarding(ctx, call.func, names)
    return ctx.memo[key]


def _forwarding(ctx: FileContext, func: ast.expr, names: frozenset[str]) -> Optional[str]:
    key = ("dag wrapper definition", ast_dotted_name(func))
    if key not in ctx.memo:
        ctx.memo[key] = _definition_of(ctx, func)
    found = ctx.memo[key]
    if found is None:
        return None
    definition, module, imports, path, proofs = found
    proven = proofs.get((id(definition), names))
    if proven is None:
        if isinstance(definition, ast.FunctionDef):
            proven = _function_forwards(definition, names, imports, module)
        else:
            proven = _subclass_forwards(definition, imports)
        proofs[(id(definition), names)] = proven
    return f"{path}:{definition.lineno}" if proven else None


_MAX_REEXPORTS = 3  # `company/__init__.py: from .dag import DAG`, followed this many times


def _definition_of(ctx: FileContext, func: ast.expr):
    """(the `def` or `class`, its module's tree, that module's imports, its path, the proofs
    made on that module) of the called `DAG`, following a package's re-exports (`from
    .factory import DAG`)."""
    qualified = ctx.imports.qualified_name(func)
    if qualified is None and not isinstance(func, ast.Name):
        return None  # an attribute of something not imported
    if qualified is None:  # defined in the file itself
        read = _Module(ctx.tree, ctx.imports)  # type: ignore[arg-type]
        name, path = func.id, ctx.path
    else:
        module, _, name = qualified.rpartition(".")
        path = _module_file(ctx, module) if module else None
        read = _read_module(ctx, path) if path else None
    for _ in range(_MAX_REEXPORTS + 1):
        if read is None:
            return None
        binding = _single_binding(read.tree, name)
        if isinstance(binding, (ast.FunctionDef, ast.ClassDef)):
            return binding, read.tree, read.imports, path, read.proofs
        if not isinstance(binding, ast.ImportFrom) or not binding.module and not binding.level:
            return None
        name = next(alias for alias in binding.names if (alias.asname or alias.name) == name).name
        path = _imported_file(ctx, path, binding)
        read = _read_module(ctx, path) if path else None
    return None


class _Module:
    """A module a wrapper is looked for in: its tree, its imports, and the proofs made on it
    ((id of the definition, names) -> proven)."""

    __slots__ = ("tree", "imports", "proofs")

    def __init__(self, tree: ast.Module, imports: ImportTracker) -> None:
        self.tree = tree
        self.imports = imports
        self.proofs: dict[tuple[int, frozenset[str]], bool] = {}


def _single_binding(tree: ast.Module, name: str) -> Optional[ast.stmt]:
    """The module's one binding of `name`, a statement of its top level; None when it is
    bound more than once, conditionally or inside a function."""
    bindings = [node for node in ast.walk(tree) if _binds(node, name)]
    if len(bindings) != 1:
        return None
    return next((node for node in tree.body if node is bindings[0]), None)


def _imported_file(ctx: FileContext, importer: str, node: ast.ImportFrom) -> Optional[str]:
    """The file `from <module> import ...` in `importer` reads (a package's `__init__.py`)."""
    if not node.level:
        return _module_file(ctx, node.module or "")
    folder = os.path.dirname(importer)
    for _ in range(node.level - 1):
        folder = os.path.dirname(folder)
    base = os.path.join(folder, *(node.module or "").split(".")) if node.module else folder
    for candidate in (os.path.join(base, "__init__.py"), base + ".py"):  # a package wins, as in Python
        if os.path.isfile(candidate):
            return os.path.normpath(candidate)
        ctx.depends_on(candidate, None)
    return None


def _read_module(ctx: FileContext, path: str) -> Optional[_Module]:
    try:
        with open(path, "rb") as handle:
            data = handle.read(_MAX_BYTES + 1)
    except OSError:
        return None
    ctx.depends_on(path, data)  # read for every DAG file: the result depends on what it holds now
    if len(data) > _MAX_BYTES:
        return None
    return _parsed(data, path)


@lru_cache(maxsize=16)
def _parsed(data: bytes, path: str) -> Optional[_Module]:
    """The module of this content, parsed once per process: the DAG files of a repo that call
    one wrapper share its tree and the proofs made on it (a pure function of the content)."""
    try:
        tree = ast.parse(data, filename=path)
    except (SyntaxError, ValueError, UnicodeDecodeError, LookupError, RecursionError, MemoryError):
        return None  # what Python cannot import cannot be proven (nor is it the one imported)
    return _Module(tree, ImportTracker.from_ast(tree))


def _module_file(ctx: FileContext, module: str) -> Optional[str]:
    """The one file of the DAG repo that `import <module>` finds (see the module docstring),
    as a path beside the DAG file's as shown."""
    relative = module.replace(".", os.sep)
    current = os.path.dirname(os.path.abspath(ctx.path))
    shown = os.path.dirname(ctx.path)
    found: dict[str, str] = {}  # real path -> shown path
    while True:
        for base in ("", "plugins"):
            for name in (os.path.join(relative, "__init__.py"), relative + ".py"):
                candidate = os.path.join(current, base, name)
                if os.path.isfile(candidate):
                    found.setdefault(
                        os.path.realpath(candidate), os.path.normpath(os.path.join(shown, base, name))
                    )
                else:
                    ctx.depends_on(candidate, None)  # created later, it would be found
        parent = os.path.dirname(current)
        if parent == current:
            break
        current, shown = parent, os.path.join(shown, os.pardir)
    return next(iter(found.values())) if len(found) == 1 else None


def _binds(node: ast.AST, name: str) -> bool:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return node.name == name
    if isinstance(node, ast.Name):
        return node.id == name and not isinstance(node.ctx, ast.Load)
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return any((alias.asname or alias.name.partition(".")[0]) == name for alias in node.names)
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return name in node.names
    if isinstance(node, ast.ExceptHandler):
        return node.name == name
    if isinstance(node, ast.arg):
        return node.arg == name
    if isinstance(node, _MATCH_PATTERNS):  # `case {"a": 1, **name}`, `case [*name]`, `case x as name`
        return name in (getattr(node, "name", None), getattr(node, "rest", None))
    return False


def _is_airflow_dag(expr: ast.expr, imports: ImportTracker) -> bool:
    qualified = imports.qualified_name(expr) or ""
    return qualified.startswith("airflow.") and qualified.rsplit(".", 1)[-1] == "DAG"


def _subclass_forwards(node: ast.ClassDef, imports: ImportTracker) -> bool:
    if node.decorator_list or node.keywords or len(node.bases) != 1:
        return False
    if not _is_airflow_dag(node.bases[0], imports):
        return False
    return not any(
        _binds(statement, special) for statement in node.body for special in ("__init__", "__new__")
    )


def _function_forwards(
    func: ast.FunctionDef, names: frozenset[str], imports: ImportTracker, module: ast.Module
) -> bool:
    arguments = func.args
    if func.decorator_list or arguments.kwarg is None:
        return False
    kwargs = arguments.kwarg.arg
    parameters = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    if arguments.vararg is not None:
        parameters.append(arguments.vararg)
    if any(parameter.arg in names for parameter in parameters):
        return False  # the wrapper takes it itself
    parents = {id(child): parent for parent in ast.walk(func) for child in ast.iter_child_nodes(parent)}
    returns = []
    for node in ast.walk(func):
        if node is not func and isinstance(
            node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
        ):
            return False  # a closure could reach `kwargs`
        if isinstance(node, (ast.Yield, ast.YieldFrom, ast.Await, ast.Global, ast.Nonlocal)):
            return False
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _OPAQUE_CALLS:
            return False
        if isinstance(node, ast.Return):
            returns.append(node)
    if not returns or not all(_returns_forwarding_call(r, kwargs, names, imports) for r in returns):
        return False
    keys = _KnownKeys(func, module)
    for node in ast.walk(func):
        if isinstance(node, ast.Name) and node.id == kwargs:
            if not _reads_known_key(node, parents, keys, names):
                return False
    return True


def _returns_forwarding_call(
    node: ast.Return, kwargs: str, names: frozenset[str], imports: ImportTracker
) -> bool:
    call = node.value
    if not isinstance(call, ast.Call) or not _is_airflow_dag(call.func, imports):
        return False
    unpacked = [keyword for keyword in call.keywords if keyword.arg is None]
    if len(unpacked) != 1 or not (isinstance(unpacked[0].value, ast.Name) and unpacked[0].value.id == kwargs):
        return False
    return not any(keyword.arg in names for keyword in call.keywords)


def _reads_known_key(node: ast.Name, parents: dict, keys: _KnownKeys, names: frozenset[str]) -> bool:
    """This use of `kwargs` is `**kwargs` in a forwarding return (checked already), or touches
    only keys known to be none of `names`."""
    parent = parents.get(id(node))
    if (
        isinstance(parent, ast.keyword)
        and parent.arg is None
        and isinstance(parents.get(id(parent)), ast.Call)
    ):
        return isinstance(parents.get(id(parents[id(parent)])), ast.Return)
    if isinstance(parent, ast.Subscript) and parent.value is node and not isinstance(parent.ctx, ast.Del):
        return keys.known_not(parent.slice, names)
    if isinstance(parent, ast.Compare) and parent.comparators == [node] and len(parent.ops) == 1:
        return isinstance(parent.ops[0], (ast.In, ast.NotIn)) and keys.known_not(parent.left, names)
    if isinstance(parent, ast.Attribute) and parent.attr in ("get", "setdefault", "pop"):
        called = parents.get(id(parent))
        return (
            isinstance(called, ast.Call)
            and called.func is parent
            and bool(called.args)
            and not called.keywords
            and not any(isinstance(argument, ast.Starred) for argument in called.args)
            and keys.known_not(called.args[0], names)
        )
    return False


class _KnownKeys:
    """The string values an expression used as a key of `kwargs` can take, when known."""

    def __init__(self, func: ast.FunctionDef, module: ast.Module) -> None:
        self.func = func
        self.module = module

    def known_not(self, expr: ast.expr, names: frozenset[str]) -> bool:
        values = self.values(expr)
        return values is not None and values.isdisjoint(names)

    def values(self, expr: ast.expr) -> Optional[frozenset[str]]:
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return frozenset({expr.value})
        if isinstance(expr, ast.Name):
            return self._loop_keys(expr.id)
        return None

    def _loop_keys(self, name: str) -> Optional[frozenset[str]]:
        # `name` is bound only as the key of `for` loops over module dicts of known keys
        loops = [
            node
            for node in ast.walk(self.func)
            if isinstance(node, ast.For) and (key := _loop_key(node)) is not None and key.id == name
        ]
        if not loops:
            return None
        loop_keys = {id(_loop_key(loop)) for loop in loops}
        if any(_binds(node, name) and id(node) not in loop_keys for node in ast.walk(self.func)):
            return None  # also a parameter, assigned, a comprehension's variable, ...
        keys: set[str] = set()
        for loop in loops:
            found = self._module_dict_keys(loop.iter)
            if found is None:
                return None
            keys |= found
        return frozenset(keys)

    def _module_dict_keys(self, iterated: ast.expr) -> Optional[frozenset[str]]:
        # `D`, `D.keys()`, `D.items()`
        if isinstance(iterated, ast.Call) and not iterated.args and not iterated.keywords:
            func = iterated.func
            if not (isinstance(func, ast.Attribute) and func.attr in ("keys", "items")):
                return None
            iterated = func.value
        if not isinstance(iterated, ast.Name):
            return None
        return _read_only_dict_keys(self.module, iterated.id)


def _loop_key(loop: ast.For) -> Optional[ast.Name]:
    target = loop.target
    iterated = loop.iter
    items = (
        isinstance(iterated, ast.Call)
        and isinstance(iterated.func, ast.Attribute)
        and iterated.func.attr == "items"
    )
    if isinstance(target, ast.Tuple) and len(target.elts) == 2 and items:
        target = target.elts[0]  # `for key, value in D.items()`
    elif items:
        return None  # `for pair in D.items()`: a tuple, not a key
    return target if isinstance(target, ast.Name) else None


def _read_only_dict_keys(module: ast.Module, name: str) -> Optional[frozenset[str]]:
    """The keys of the module-level `name = {"a": ..., "b": ...}`, when that is its only binding
    and the module only reads it (iterates it, takes its items/keys/values, subscripts it)."""
    assignments = [
        node
        for node in module.body
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id == name
    ]
    if len(assignments) != 1 or not isinstance(assignments[0].value, ast.Dict):
        return None
    literal = assignments[0].value
    if not all(isinstance(key, ast.Constant) and isinstance(key.value, str) for key in literal.keys):
        return None  # a `**other` element (key None) or a computed key
    parents = {id(child): parent for parent in ast.walk(module) for child in ast.iter_child_nodes(parent)}
    for node in ast.walk(module):
        if not _binds(node, name) and not (isinstance(node, ast.Name) and node.id == name):
            continue
        if node is assignments[0].targets[0]:
            continue
        if not (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)):
            return None
        parent = parents.get(id(node))
        if isinstance(parent, ast.Attribute) and parent.attr in ("items", "keys", "values", "get"):
            continue
        if isinstance(parent, ast.Subscript) and isinstance(parent.ctx, ast.Load):
            continue
        if isinstance(parent, (ast.For, ast.comprehension)) and parent.iter is node:
            continue
        if isinstance(parent, ast.Compare) and node in parent.comparators:
            continue
        return None  # passed, returned or stored elsewhere: it may be changed
    return frozenset(key.value for key in literal.keys)  # type: ignore[union-attr]
