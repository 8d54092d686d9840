#!/usr/bin/env python3
"""Generate codemods/_generated/operator_kwargs_1_10.json: the keyword arguments each Airflow
1.10.15 operator and sensor accepted, whether any other keyword was ignored, and the literal
defaults of those arguments.

    python scripts/gen_operator_kwargs_1_10.py            # (re)write the table
    python scripts/gen_operator_kwargs_1_10.py --check    # exit 1 if the committed table drifted

1.10's BaseOperator only warned about keywords it did not know ("Invalid arguments were passed
... Support for passing such arguments will be dropped in Airflow 2.0") and dropped them; 2.0
raises. A class's unknown keywords reached BaseOperator (and were dropped) when every
`__init__` along its bases passes `**kwargs` on to the base's `__init__` and uses it for
nothing else. Read with `ast` from the af110 tox env (nothing imported): every class under
airflow/operators, airflow/sensors, airflow/contrib/operators and airflow/contrib/sensors whose
bases lead to BaseOperator, also under its plugin-style name (`airflow.operators.BashOperator`,
from the packages' `_operators` / `_sensors` tables). BaseOperator's own arguments are in
codemods/_generated/dag_signature.py.

A parameter's default is the value the class got when a call omitted it (and no default_args gave
it): that of the nearest `__init__` along the bases that declares the parameter, recorded (as the
`repr` of the value) when it is a literal (`ast.literal_eval` reads it). None is recorded when a
subclass below that one passes the parameter to its base itself (`super().__init__(region="x",
**kwargs)`: the caller cannot give it) or reads it from `**kwargs`.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path
from typing import Optional

from _generator import generator_main, site_packages

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "codemods" / "_generated" / "operator_kwargs_1_10.json"
PACKAGES = ("airflow/operators", "airflow/sensors", "airflow/contrib/operators", "airflow/contrib/sensors")
BASE_OPERATOR = "airflow.models.baseoperator.BaseOperator"
BASE_ALIASES = {"airflow.models.BaseOperator": BASE_OPERATOR}


class Index:
    """Classes of the 1.10 package, by qualified name, with each module's import bindings."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.classes: dict[str, tuple[str, ast.ClassDef]] = {}
        self.bindings: dict[str, dict[str, str]] = {}
        self._loaded: set[str] = set()

    def load(self, module: str) -> None:
        if module in self._loaded:
            return
        self._loaded.add(module)
        base = self.site / module.replace(".", "/")
        path = base.with_suffix(".py") if base.with_suffix(".py").exists() else base / "__init__.py"
        if not path.exists():
            return
        tree = ast.parse(path.read_bytes())
        bindings: dict[str, str] = {}
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in tree.body:
            if isinstance(node, ast.ImportFrom):
                source = node.module or ""
                if node.level:
                    parts = package.split(".")
                    source = ".".join(parts[: len(parts) - node.level + 1] + ([source] if source else []))
                for alias in node.names:
                    bindings[alias.asname or alias.name] = f"{source}.{alias.name}"
            elif isinstance(node, ast.ClassDef):
                self.classes[f"{module}.{node.name}"] = (module, node)
                bindings[node.name] = f"{module}.{node.name}"
        self.bindings[module] = bindings

    def resolve(self, qualified: str) -> Optional[tuple[str, ast.ClassDef]]:
        qualified = BASE_ALIASES.get(qualified, qualified)
        module = qualified.rpartition(".")[0]
        self.load(module)
        if qualified in self.classes:
            return self.classes[qualified]
        name = qualified.rpartition(".")[2]
        target = self.bindings.get(module, {}).get(name)  # re-exported from another module
        if target and target != qualified:
            return self.resolve(target)
        return None

    def base_of(self, module: str, cls: ast.ClassDef) -> Optional[str]:
        """The first base: `super().__init__(**kwargs)` of the class reaches it first (MRO)."""
        if not cls.bases:
            return None
        base = cls.bases[0]
        if isinstance(base, ast.Name):
            bound = self.bindings.get(module, {}).get(base.id)
            return BASE_ALIASES.get(bound, bound) if bound else None
        if isinstance(base, ast.Attribute):
            return ast.unparse(base)
        return None


def _init(cls: ast.ClassDef) -> Optional[ast.FunctionDef]:
    for node in cls.body:
        if isinstance(node, ast.FunctionDef) and node.name == "__init__":
            return node
    return None


def _kwargs_reads(init: ast.FunctionDef) -> Optional[list[str]]:
    """The keys `__init__` reads from `**kwargs` (`kwargs.get("k")`, `kwargs["k"]`, `"k" in
    kwargs`: those keywords are not simply dropped), or None unless `**kwargs` is otherwise only
    passed on, once, as `**kwargs` of a `super().__init__` / `Base.__init__` call."""
    if init.args.kwarg is None:
        return None
    name = init.args.kwarg.arg
    explained: set[int] = set()
    reads: list[str] = []
    forwarded = 0
    for node in ast.walk(init):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "__init__"
        ):
            for keyword in node.keywords:
                if keyword.arg is None and isinstance(keyword.value, ast.Name) and keyword.value.id == name:
                    forwarded += 1
                    explained.add(id(keyword.value))
        key = None
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == name
            and node.args
        ):
            key, holder = node.args[0], node.func.value
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Load)
            and isinstance(node.value, ast.Name)
            and node.value.id == name
        ):
            key, holder = node.slice, node.value
        elif (
            isinstance(node, ast.Compare)
            and len(node.ops) == 1
            and isinstance(node.ops[0], (ast.In, ast.NotIn))
            and isinstance(node.comparators[0], ast.Name)
            and node.comparators[0].id == name
        ):
            key, holder = node.left, node.comparators[0]
        if key is not None:
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                return None
            reads.append(key.value)
            explained.add(id(holder))
    uses = [n for n in ast.walk(init) if isinstance(n, ast.Name) and n.id == name]
    if forwarded != 1 or any(id(n) not in explained for n in uses):
        return None
    return reads


def chain(index: Index, qualified: str) -> Optional[list[str]]:
    """Arguments accepted along the bases (BaseOperator's excluded), or None when unknown
    keywords are not provably dropped by BaseOperator."""
    found = chain_with_defaults(index, qualified)
    return None if found is None else found[0]


def _declared_defaults(init: ast.FunctionDef) -> dict[str, Optional[ast.expr]]:
    """Each parameter of `__init__` (self excluded) and its default expression (None: none)."""
    args = init.args
    positional = [*args.posonlyargs, *args.args]
    padded: list[Optional[ast.expr]] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    declared = {a.arg: d for a, d in zip(positional, padded)}
    declared.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults)})
    declared.pop("self", None)
    return declared


def _passed_to_base(init: ast.FunctionDef) -> set[str]:
    """Keywords `__init__` names itself in its `super().__init__(...)` / `Base.__init__(...)` call."""
    named: set[str] = set()
    for node in ast.walk(init):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "__init__"
        ):
            named.update(k.arg for k in node.keywords if k.arg)
    return named


def _literal(node: ast.expr) -> Optional[str]:
    try:
        return repr(ast.literal_eval(node))
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None


def chain_with_defaults(index: Index, qualified: str) -> Optional[tuple[list[str], dict[str, str]]]:
    """chain(), and the literal default (its repr) of each argument that has one."""
    params: list[str] = []
    defaults: dict[str, str] = {}
    settled: set[str] = set()  # the nearest class that declares (or fixes) it decided
    seen = set()
    current = qualified
    while current != BASE_OPERATOR:
        if current in seen:
            return None
        seen.add(current)
        found = index.resolve(current)
        if found is None:
            return None
        module, cls = found
        init = _init(cls)
        if init is not None:
            declared = _declared_defaults(init)
            params += declared
            reads = _kwargs_reads(init)
            if reads is None:
                return None
            params += reads
            for name, default in declared.items():
                literal = _literal(default) if default is not None and name not in settled else None
                if literal is not None:
                    defaults[name] = literal
            settled.update(declared, reads, _passed_to_base(init))
        base = index.base_of(module, cls)
        if base is None:
            return None
        current = BASE_ALIASES.get(base, base)
    return sorted(set(params)), dict(sorted(defaults.items()))


def plugin_names(site: Path, package: str) -> dict[str, str]:
    """`airflow.operators.BashOperator` -> `airflow.operators.bash_operator.BashOperator`."""
    path = site / package / "__init__.py"
    if not path.exists():
        return {}
    names = {}
    for node in ast.parse(path.read_bytes()).body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
            try:
                table = ast.literal_eval(node.value)
            except ValueError:
                continue
            dotted = package.replace("/", ".")
            for module, classes in table.items():
                for name in classes:
                    names[f"{dotted}.{name}"] = f"{dotted}.{module}.{name}"
    return names


def collect(tox_dir: Path) -> dict[str, Optional[tuple[list[str], dict[str, str]]]]:
    site = site_packages("af110", tox_dir)
    index = Index(site)
    table: dict[str, Optional[tuple[list[str], dict[str, str]]]] = {}
    for package in PACKAGES:
        for path in sorted((site / package).glob("*.py")):
            if path.name == "__init__.py":
                continue
            module = f"{package.replace('/', '.')}.{path.stem}"
            index.load(module)
            for qualified, (owner, cls) in list(index.classes.items()):
                if owner != module or cls.name.startswith("_"):
                    continue
                if not _reaches_base_operator(index, qualified):
                    continue
                table[qualified] = chain_with_defaults(index, qualified)
        for plugin, real in plugin_names(site, package).items():
            if real in table:
                table[plugin] = table[real]
    return dict(sorted(table.items()))


def _reaches_base_operator(index: Index, qualified: str) -> bool:
    current: Optional[str] = qualified
    for _ in range(20):
        if current == BASE_OPERATOR:
            return True
        found = index.resolve(current) if current else None
        if found is None:
            return False
        current = index.base_of(*found)
        current = BASE_ALIASES.get(current, current) if current else None
    return False


def render(table: dict) -> str:
    lines = [
        "{",
        ' "generated_by": "scripts/gen_operator_kwargs_1_10.py from Airflow 1.10.15 (af110 env); do not edit",',
        ' "format": "1.10 class -> its arguments along its bases (BaseOperator\'s not included), or null when '
        'keywords it does not know are not provably dropped by BaseOperator",',
        ' "defaults_format": "1.10 class -> {argument: repr of its literal default} (arguments whose default '
        'is no literal left out; only classes with a known argument list)",',
        ' "classes": {',
    ]
    items = [f"  {json.dumps(name)}: {json.dumps(found and found[0])}" for name, found in table.items()]
    lines.append(",\n".join(items))
    lines += [" },", ' "defaults": {']
    items = [
        f"  {json.dumps(name)}: {json.dumps(found[1])}" for name, found in table.items() if found and found[1]
    ]
    lines.append(",\n".join(items))
    lines += [" }", "}", ""]
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> int:
    return generator_main(
        __doc__, OUTPUT, lambda tox: render(collect(tox)), "gen_operator_kwargs_1_10.py", argv
    )


if __name__ == "__main__":
    sys.exit(main())
