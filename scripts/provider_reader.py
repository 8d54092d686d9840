"""Read one provider release's Python files with `ast` (nothing is imported).

Used by scripts/gen_provider_history.py (on wheels) and by the consistency test (on the
provider files installed in the tox envs): both call `read_release(files)` with
`{relative path: source bytes}` and get the same {qualified name: STATE} mapping
(STATE as documented in codemods/_providers.py).
"""

from __future__ import annotations

import ast
import re
import zipfile
from collections.abc import Iterable, Iterator

# Parts of a provider that never hold DAG-facing names.
SKIPPED_PARTS = frozenset({"tests", "example_dags", "_vendor", "www", "migrations", "api_fastapi", "ui"})
_QUALIFIED = re.compile(r"\b(airflow\.[A-Za-z_][\w.]*[A-Za-z_0-9])")
_USE_HINT = re.compile(
    r"(?:use|using|replaced by|in favou?r of|moved to|instead)\s*:?\s*`*([A-Za-z_][\w.]*[A-Za-z_0-9])`*", re.I
)
_WARN_FUNCS = frozenset({"warn", "warnings.warn", "warn_deprecated"})


def wheel_files(path: str) -> dict[str, bytes]:
    """The provider's .py files in a wheel, by path inside the wheel."""
    with zipfile.ZipFile(path) as zf:
        return {
            name: zf.read(name)
            for name in zf.namelist()
            if name.startswith("airflow/providers/") and name.endswith(".py") and _wanted(name)
        }


def wheel_metadata(path: str) -> str:
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.endswith(".dist-info/METADATA"):
                return zf.read(name).decode("utf-8", "replace")
    return ""


def _wanted(path: str) -> bool:
    parts = path.split("/")
    return not any(part in SKIPPED_PARTS for part in parts) and parts[-1] != "get_provider_info.py"


def module_name(path: str) -> str:
    module = path[: -len(".py")].replace("/", ".")
    return module[: -len(".__init__")] if module.endswith(".__init__") else module


def read_release(files: dict[str, bytes]) -> dict[str, dict]:
    """{qualified name: STATE} for every public module, class, function and shim alias."""
    names: dict[str, dict] = {}
    trees: dict[str, tuple[ast.Module, bool]] = {}
    for path in sorted(files):
        if not _wanted(path):
            continue
        module = module_name(path)
        try:
            tree = ast.parse(files[path])
        except (SyntaxError, ValueError):
            continue
        is_package = path.endswith("__init__.py")
        names.update(_read_module(module, tree, is_package))
        trees[module] = (tree, is_package)
    for module, needed in _needed_outside(trees).items():
        if needed and module in names:
            names[module]["x"] = needed
    return names


# --------------------------------------------------------------------------------------------
# Provider modules imported at module level from outside the release
# --------------------------------------------------------------------------------------------

# What a `try:` handler catching a failed import names (bare `except:` too).
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(
        (t.id if isinstance(t, ast.Name) else t.attr if isinstance(t, ast.Attribute) else "")
        in _IMPORT_ERRORS
        for t in types
    )


def _falls_back(node: ast.Try) -> bool:
    """A handler catches the ImportError and carries on (a fallback import, `X = None`, `pass`)
    instead of raising (`raise AirflowOptionalProviderFeatureException(...)`, a bare `raise`)."""
    return any(
        _catches_import_error(handler) and not any(isinstance(s, ast.Raise) for s in handler.body)
        for handler in node.handlers
    )


def _unconditional_imports(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """Module-level imports that run on every import of the module and fail it when their module
    is missing: top level, and `try:` bodies whose handlers re-raise (google 10.x and later guard
    their apache-beam imports with `except ImportError: raise AirflowOptionalProviderFeatureException`).
    Imports under `if` (TYPE_CHECKING, version checks) and with a fallback handler are not."""
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.Try) and not _falls_back(node):
            yield from _unconditional_imports(node.body)


def _imported_modules(module: str, tree: ast.Module, is_package: bool) -> Iterator[str]:
    """The modules an import of `module` imports unconditionally (`from m import n` gives m and
    m.n, since n may be a submodule; the caller keeps those that are modules)."""
    package = module if is_package else module.rpartition(".")[0]
    for node in _unconditional_imports(tree.body):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
            continue
        base = node.module or ""
        if node.level:
            parts = package.split(".")
            up = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
            base = ".".join(up + ([node.module] if node.module else []))
        yield base
        for alias in node.names:
            if alias.name != "*":
                yield f"{base}.{alias.name}"


def _parents(module: str) -> Iterator[str]:
    parts = module.split(".")
    for end in range(1, len(parts)):
        yield ".".join(parts[:end])


def _needed_outside(trees: dict[str, tuple[ast.Module, bool]]) -> dict[str, list[str]]:
    """module -> the `airflow.providers.*` modules outside the release that importing it imports
    (through the release's own modules it imports and its parent packages), sorted; a module
    whose import fails without them. Which distribution holds them is the reader of the data's
    question (codemods/_providers.py needs_distributions)."""
    direct: dict[str, set[str]] = {}
    outside: dict[str, set[str]] = {}
    for module, (tree, is_package) in trees.items():
        inner, outer = set(), set()
        for name in _imported_modules(module, tree, is_package):
            if name in trees:
                inner.add(name)
                inner.update(p for p in _parents(name) if p in trees)
            elif name.startswith("airflow.providers.") and name.rpartition(".")[0] not in trees:
                # outside the release (`from m import n` with m a module of it: n is a name of m)
                outer.add(name)
        inner.update(p for p in _parents(module) if p in trees)
        inner.discard(module)
        direct[module], outside[module] = inner, outer
    # `from m import n` gave both m and m.n: keep the shortest (m; the same distribution)
    for module, outer in outside.items():
        outside[module] = {n for n in outer if not any(p in outer for p in _parents(n))}
    closure: dict[str, set[str]] = {}
    for module in trees:
        seen, stack, found = {module}, [module], set()
        while stack:
            current = stack.pop()
            found |= outside[current]
            for nxt in direct[current]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        closure[module] = found
    return {module: sorted(found) for module, found in closure.items()}


# --------------------------------------------------------------------------------------------


def _imports(module: str, tree: ast.Module, is_package: bool) -> dict[str, str]:
    """local name -> qualified name, for the module's top-level (and try/if) imports."""
    out: dict[str, str] = {}
    package = module if is_package else module.rpartition(".")[0]
    for node in _top_statements(tree.body):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                up = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
                base = ".".join(up + ([node.module] if node.module else []))
            for alias in node.names:
                if alias.name != "*":
                    out[alias.asname or alias.name] = f"{base}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    out[alias.asname] = alias.name
                else:
                    out[alias.name.partition(".")[0]] = alias.name.partition(".")[0]
    return out


def _top_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Top-level statements, looking into try/if blocks (TYPE_CHECKING, ImportError fallbacks)."""
    for node in body:
        if isinstance(node, ast.Try):
            yield from _top_statements(node.body)
            for handler in node.handlers:
                yield from _top_statements(handler.body)
        elif isinstance(node, ast.If):
            yield from _top_statements(node.body)
            yield from _top_statements(node.orelse)
        else:
            yield node


def _qualify(node: ast.expr, imports: dict[str, str], module: str, local: set[str]) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Subscript):  # Generic[...]-style bases
        return _qualify(node.value, imports, module, local)
    if not isinstance(node, ast.Name):
        return None
    head = imports.get(node.id) or (f"{module}.{node.id}" if node.id in local else node.id)
    return ".".join([head, *reversed(parts)])


def _text(node: ast.expr | None) -> str | None:
    """A message's text, whitespace runs folded (see _raw_text)."""
    text = _raw_text(node)
    return " ".join(text.split()) if text is not None else None


def _raw_text(node: ast.expr | None) -> str | None:
    """A message's text: string constants, concatenations, f-strings ({...} kept as source)."""
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        out = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                out.append(str(value.value))
            else:
                out.append("{" + ast.unparse(value.value) + "}")  # type: ignore[attr-defined]
        return "".join(out)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _raw_text(node.left), _raw_text(node.right)
        if left is not None and right is not None:
            return left + right
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _raw_text(node.func.value)
    return None


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return f"{func.value.id}.{func.attr}"
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _warning(stmt: ast.stmt) -> str | None:
    """The message of `warnings.warn(msg, ...)` as a statement, else None."""
    if (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Call)
        and _call_name(stmt.value) in _WARN_FUNCS
    ):
        call = stmt.value
        message = call.args[0] if call.args else None
        for kw in call.keywords:
            if kw.arg == "message":
                message = kw.value
        text = _text(message)
        return text if text is not None else (ast.unparse(message) if message is not None else "")
    return None


def _warnings_in(body: list[ast.stmt]) -> Iterator[str]:
    for stmt in body:
        text = _warning(stmt)
        if text is not None:
            yield text


def _deprecated_decorator(decorators: list[ast.expr]) -> dict | None:
    for dec in decorators:
        if not isinstance(dec, ast.Call):
            continue
        name = _call_name(dec).rpartition(".")[2]
        if name != "deprecated":
            continue
        info: dict = {"m": _text(dec.args[0]) if dec.args else None, "use": None, "rm": None}
        for kw in dec.keywords:
            value = kw.value
            if kw.arg in ("reason", "instructions") and info["m"] is None:
                info["m"] = _text(value)
            elif kw.arg == "use_instead":
                info["use"] = _text(value)
            elif kw.arg in ("planned_removal_date", "planned_removal_release", "version"):
                text = _text(value)
                info["rm"] = text if kw.arg != "version" else info["rm"]
        if info["m"] is None:
            info["m"] = ""
        return info
    return None


def _use_from_message(message: str, imports: dict[str, str], module: str, local: set[str]) -> str | None:
    for match in _QUALIFIED.finditer(message):
        name = match.group(1).rstrip(".")
        if name.startswith("airflow.providers.") or name.count(".") >= 2:
            return name
    for match in _USE_HINT.finditer(message):
        word = match.group(1)
        if word in imports:
            return imports[word]
        if word in local:
            return f"{module}.{word}"
    return None


def _params(func: ast.FunctionDef | ast.AsyncFunctionDef, drop_first: bool) -> list[str]:
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    defaults_from = len(positional) - len(args.defaults)
    out = [a.arg + ("=" if i >= defaults_from else "") for i, a in enumerate(positional)]
    if drop_first and out:
        out = out[1:]
    if args.vararg:
        out.append("*" + args.vararg.arg)
    elif args.kwonlyargs:
        out.append("*")
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        out.append(arg.arg + ("=" if default is not None else ""))
    if args.kwarg:
        out.append("**" + args.kwarg.arg)
    return out


def _names_in(node: ast.expr) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _tested_param(test: ast.expr, params: set[str]) -> str | None:
    """`old`, `old is not None`, `"old" in kwargs` -> old (a parameter or a kwargs key)."""
    if (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Constant)
        and isinstance(test.left.value, str)
        and isinstance(test.ops[0], ast.In)
    ):
        return test.left.value
    tested = _names_in(test) & params
    return next(iter(tested)) if len(tested) == 1 else None


def _assigned_from(stmt: ast.stmt, old: str) -> str | None:
    """`new = old`, `self.new = old`, `kwargs["new"] = old` / `= kwargs["old"]` / `= kwargs.pop("old")`."""
    if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1:
        return None
    value = stmt.value
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr in ("pop", "get")
    ):
        value = value.args[0] if value.args else value
    if isinstance(value, ast.Subscript):
        value = value.slice
    source = (
        value.id if isinstance(value, ast.Name) else value.value if isinstance(value, ast.Constant) else None
    )
    if source != old:
        return None
    target = stmt.targets[0]
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant):
        return str(target.slice.value)
    return None


def _omission_default(node: ast.If, params: set[str]) -> tuple[str, str] | None:
    """`if region is None: warnings.warn(...); region = "global"`: leaving the parameter out is
    deprecated, and this value is used then -> (parameter, value source)."""
    test = node.test
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and isinstance(test.operand, ast.Name):
        name = test.operand.id
    elif (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and isinstance(test.ops[0], ast.Is)
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    ):
        name = test.left.id
    else:
        return None
    if name not in params:
        return None
    for stmt in node.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            bound = (
                target.id
                if isinstance(target, ast.Name)
                else target.attr
                if isinstance(target, ast.Attribute)
                else None
            )
            if bound == name and not isinstance(stmt.value, ast.Name):
                return name, ast.unparse(stmt.value)[:120]
    return None


def _omission_defaults(init: ast.FunctionDef, params: set[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for node in ast.walk(init):
        if isinstance(node, ast.If) and any(True for _ in _warnings_in(node.body)):
            found = _omission_default(node, params)
            if found:
                out.setdefault(*found)
    return out


def _deprecated_params(init: ast.FunctionDef, params: set[str]) -> dict[str, str | None]:
    """`if old is not None: warnings.warn(...); new = old` (or self.new = old, kwargs["new"] = old);
    without such an assignment, the parameter the warning names ("use `new` instead")."""
    out: dict[str, str | None] = {}
    for node in ast.walk(init):
        if not isinstance(node, ast.If):
            continue
        messages = list(_warnings_in(node.body))
        old = _tested_param(node.test, params) if messages else None
        if old is None or old in ("kwargs", "args"):
            continue
        new: str | None = None
        for stmt in node.body:
            new = new or _assigned_from(stmt, old)
        if new is None:
            named = [w for w in re.findall(r"[A-Za-z_]\w*", messages[0]) if w in params and w != old]
            new = named[0] if named else None
        if new == old:
            new = None
        out.setdefault(old, new)
    return out


def _super_keywords(init: ast.FunctionDef) -> dict[str, str]:
    """Keyword arguments `__init__` passes to `super().__init__(...)`, as source text:
    how a deprecated class maps its own arguments onto its replacement's."""
    for node in ast.walk(init):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "__init__"
            and isinstance(node.func.value, ast.Call)
            and _call_name(node.func.value) == "super"
        ):
            return {kw.arg: ast.unparse(kw.value)[:120] for kw in node.keywords if kw.arg}
    return {}


def _passes_through(init: ast.FunctionDef) -> bool:
    """`__init__(self, *args, **kwargs)` that only warns and calls its base with the same arguments."""
    params = _params(init, drop_first=True)
    return all(p.startswith("*") for p in params)


def _class_state(
    node: ast.ClassDef, module: str, imports: dict[str, str], local: set[str], module_dep: dict | None
) -> dict:
    bases = [b for b in (_qualify(base, imports, module, local) for base in node.bases) if b]
    state: dict = {"k": "class", "b": bases}
    init = next(
        (
            s
            for s in node.body
            if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef)) and s.name == "__init__"
        ),
        None,
    )
    deprecation = _deprecated_decorator(node.decorator_list)
    messages = list(_warnings_in(node.body))
    if init is not None:
        params = _params(init, drop_first=True)
        state["p"] = params
        dp = _deprecated_params(init, {p.strip("*=") for p in params})
        if dp:
            state["dp"] = dp
        omitted = _omission_defaults(init, {p.strip("*=") for p in params})
        if omitted:
            state["dd"] = omitted
        messages += _warnings_in(init.body)
        passed = _super_keywords(init)
        if passed:
            state["sc"] = passed
    if deprecation is None and messages:
        deprecation = {"m": messages[0], "use": None, "rm": None}
    if deprecation is None and module_dep is not None:
        deprecation = dict(module_dep, use=None)
    if deprecation is not None:
        if not deprecation["use"]:
            deprecation["use"] = _use_from_message(deprecation["m"] or "", imports, module, local)
        if not deprecation["use"] and len(bases) == 1 and bases[0].startswith("airflow.providers."):
            deprecation["use"] = bases[0]
        use = deprecation["use"]
        if use and "." not in use:
            use = imports.get(use) or (f"{module}.{use}" if use in local else use)
            deprecation["use"] = use
        state["d"] = deprecation
        if len(bases) == 1 and bases[0].startswith("airflow.") and (init is None or _passes_through(init)):
            if use is None or use == bases[0] or use.rpartition(".")[2] == bases[0].rpartition(".")[2]:
                state["to"] = bases[0]
    return state


def _function_state(node: ast.FunctionDef | ast.AsyncFunctionDef, module: str, imports, local) -> dict:
    state: dict = {"k": "function", "p": _params(node, drop_first=False)}
    deprecation = _deprecated_decorator(node.decorator_list)
    if deprecation is None:
        message = next(_warnings_in(node.body), None)
        if message is not None:
            deprecation = {"m": message, "use": None, "rm": None}
    if deprecation is not None:
        if not deprecation["use"]:
            deprecation["use"] = _use_from_message(deprecation["m"] or "", imports, module, local)
        state["d"] = deprecation
    return state


def _constant_names(node: ast.stmt) -> list[str]:
    """Upper-case names a top-level assignment binds (`X = ...`, `X: T = ...`)."""
    if isinstance(node, ast.Assign):
        targets = [t for t in node.targets if isinstance(t, ast.Name)]
    elif isinstance(node, ast.AnnAssign) and node.value is not None and isinstance(node.target, ast.Name):
        targets = [node.target]
    else:
        return []
    return [t.id for t in targets if t.id.isupper() and not t.id.startswith("_")]


def _read_module(module: str, tree: ast.Module, is_package: bool) -> dict[str, dict]:
    imports = _imports(module, tree, is_package)
    local = {
        node.name
        for node in tree.body
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
    }
    out: dict[str, dict] = {}
    module_messages = [m for m in _warnings_in(list(_top_statements(tree.body)))]
    module_state: dict = {"k": "module"}
    module_dep = None
    if module_messages:
        message = module_messages[0]
        module_dep = {"m": message, "use": None, "rm": None}
        use = _use_from_message(message, imports, module, local)
        module_state["d"] = dict(module_dep, use=use)
    out[module] = module_state
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            out[f"{module}.{node.name}"] = _class_state(node, module, imports, local, module_dep)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_"):
            if node.name != "__getattr__":
                out[f"{module}.{node.name}"] = _function_state(node, module, imports, local)
        else:
            # module constants (RUN_NOW_ENDPOINT, HIVE_QUEUE_PRIORITIES): 1.10 modules exposed them too
            for name in _constant_names(node):
                out.setdefault(f"{module}.{name}", {"k": "constant"})
    if module_dep is not None:
        # A deprecated shim module re-exports its replacement's names: `from new import X` there.
        for name, target in imports.items():
            if name.startswith("_") or f"{module}.{name}" in out or not target.startswith("airflow."):
                continue
            if target.rpartition(".")[0] in ("airflow", "airflow.exceptions", "airflow.utils"):
                continue
            out[f"{module}.{name}"] = {"k": "alias", "to": target}
    return out


def installed_files(site_packages: str, record_lines: Iterable[str]) -> dict[str, bytes]:
    """A provider's .py files as installed (paths from its dist-info RECORD)."""
    import os

    out = {}
    for line in record_lines:
        path = line.split(",", 1)[0]
        if path.startswith("airflow/providers/") and path.endswith(".py") and _wanted(path):
            with open(os.path.join(site_packages, path), "rb") as f:
                out[path] = f.read()
    return out
