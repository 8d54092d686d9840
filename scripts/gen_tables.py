#!/usr/bin/env python3
"""Generate codemods/_tables.py from the Airflow installs themselves.

    python scripts/gen_tables.py            # (re)write codemods/_tables.py
    python scripts/gen_tables.py --check    # exit 1 and print a diff if the committed file drifted

Rows come from the installed Airflow's own source, read with `ast` (nothing is imported,
so Python 3.8-era and 3.11-era installs are read by the same interpreter):

* Airflow 1.10.15: the plugin-style lazy-import dicts (`_operators`, `_hooks`, `_sensors` in
  airflow/{operators,hooks,sensors,contrib/operators,contrib/hooks}/__init__.py), 1.10's own
  deprecated aliases (e.g. airflow/operators/sensors.py subclassing airflow.sensors.*), and the
  (new, old) pairs of apache-airflow-upgrade-check 1.4, installed with it (lowest priority).
* Airflow 2.0.2: the deprecated shim modules (module-level `warnings.warn`) that re-export the
  new names (`from new import New [as Old]`, or `class Old(New)` that only warns), and the
  classes those shims renamed without an alias (paired when unambiguous).
* Airflow 2.11.2: the `__deprecated_classes` dicts passed to `add_deprecated_classes`, module
  `__getattr__` hooks that warn, functions whose first statement warns and names their new home,
  plus airflow/utils/context.py `_DEPRECATION_REPLACEMENTS` (deprecated template variables).
* Airflow 3.3.2: the same kinds of tables and hooks, the `__lazy_imports` of airflow/__init__.py
  and airflow/models/__init__.py that point into the Task SDK, and the Task SDK's public
  `airflow.sdk` names (to prefer `airflow.sdk.X` over `airflow.sdk.bases.y.X`).
* ruff's AIR311 table: the 10 rows of RUFF_ONLY_EDGES_3, for Airflow 3 moves that no install
  declares (airflow.datasets, airflow.models.Variable/Connection); kept only if the target exists.

Renames are composed per target (a 1.10 name maps straight to its home on the target), and a
target is only written if the target install defines it. Targets in a provider that the
target env does not install (e.g. google) cannot be checked there; they are kept, verified only
by the text of the Airflow shim that names them (counted as "unverified" in the file header).
See docs/tables.md.
"""

from __future__ import annotations

import argparse
import ast
import functools
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from _generator import site_packages, write_or_check

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "codemods" / "_tables.py"

# tox env name -> Airflow version it holds (same names as tests/airflow_envs.py)
ENV_VERSIONS = {"af110": "1.10.15", "af20": "2.0.2", "af2": "2.11.2", "af3": "3.3.2"}

# target -> the envs whose deprecations apply, oldest first; the last one is the target install
TARGET_CHAINS = {
    "2.0": ("af110", "af20"),
    "2": ("af110", "af20", "af2"),
    "3": ("af110", "af20", "af2", "af3"),
}

# Provider ids with two levels (airflow.providers.apache.hive -> apache-airflow-providers-apache-hive).
# upgrade-check 1.4 (import_changes.py) knows apache/cncf/microsoft; common (common.sql,
# common.compat) and atlassian/dbt (jira, dbt.cloud) came with later provider releases.
TWO_LEVEL_PROVIDER_NAMESPACES = frozenset({"apache", "atlassian", "cncf", "common", "dbt", "microsoft"})

# The only rows not read from an Airflow install. Airflow 3.0 dropped airflow.datasets and
# airflow.utils.dag_parsing_context without a deprecation table, and still serves
# airflow.models.Variable/Connection without a warning. ruff names their Task SDK homes in
# crates/ruff_linter/src/rules/airflow/rules/suggested_to_update_3_0.rs (AIR311). Like every
# other edge, a row is kept only if its target exists in the Airflow 3 install.
RUFF_ONLY_EDGES_3 = {
    "airflow.datasets.Dataset": "airflow.sdk.Asset",
    "airflow.datasets.DatasetAlias": "airflow.sdk.AssetAlias",
    "airflow.datasets.DatasetAll": "airflow.sdk.AssetAll",
    "airflow.datasets.DatasetAny": "airflow.sdk.AssetAny",
    "airflow.datasets.expand_alias_to_datasets": "airflow.sdk.expand_alias_to_assets",
    "airflow.datasets.metadata.Metadata": "airflow.sdk.Metadata",
    "airflow.models.Connection": "airflow.sdk.Connection",
    "airflow.models.Variable": "airflow.sdk.Variable",
    "airflow.timetables.datasets.DatasetOrTimeSchedule": "airflow.timetables.assets.AssetOrTimeSchedule",
    "airflow.utils.dag_parsing_context.get_parsing_context": "airflow.sdk.get_parsing_context",
}

# 1.10 / 2.x modules a DAG author imports from: a name there that has no home on the target is
# reported in REMOVED. (Internal modules such as airflow.jobs or airflow.www are not DAG API.)
DAG_API_PREFIXES = (
    "airflow.operators",
    "airflow.sensors",
    "airflow.hooks",
    "airflow.contrib",
    "airflow.executors",
    "airflow.macros",
    "airflow.models",
    "airflow.decorators",
    "airflow.utils.dates",
    "airflow.utils.decorators",
    "airflow.utils.helpers",
    "airflow.utils.trigger_rule",
    "airflow.utils.timezone",
    "airflow.utils.state",
    "airflow.utils.task_group",
    "airflow.utils.dag_parsing_context",
    "airflow.datasets",
    "airflow.timetables",
)

# Parts of an install that never hold DAG-facing names.
SKIPPED_TOP_PACKAGES = frozenset(
    {"_vendor", "api", "api_connexion", "api_fastapi", "migrations", "www", "ui", "example_dags"}
)


# --------------------------------------------------------------------------------------------
# Reading one install
# --------------------------------------------------------------------------------------------


@dataclass
class Binding:
    """How a module binds a top-level name."""

    kind: (
        str  # "class" | "def" | "assign" | "import" | "lazy" (lazy-import table) | "exported" (__all__ only)
    )
    source: str = ""  # for imports: the qualified name it was imported from


@dataclass(eq=False)
class Install:
    """One Airflow site-packages directory, read with ast only."""

    env: str
    site_packages: Path
    modules: dict[str, Path] = field(default_factory=dict)

    def __post_init__(self) -> None:
        root = self.site_packages / "airflow"
        if not root.is_dir():
            raise SystemExit(f"gen_tables: no Airflow install at {root} (env {self.env})")
        for path in sorted(root.rglob("*.py")):
            parts = path.relative_to(self.site_packages).with_suffix("").parts
            if len(parts) > 1 and parts[1] in SKIPPED_TOP_PACKAGES or {"tests", "example_dags"} & set(parts):
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            self.modules[name] = path

    @property
    def version(self) -> str:
        return ENV_VERSIONS[self.env]

    @functools.cache  # noqa: B019 - installs live for the whole run
    def tree(self, module: str) -> ast.Module | None:
        path = self.modules.get(module)
        if path is None:
            return None
        try:
            tree = ast.parse(path.read_bytes(), filename=str(path))
        except SyntaxError:
            return None
        tree._is_package = path.name == "__init__.py"  # type: ignore[attr-defined]
        return tree

    @functools.cache  # noqa: B019
    def bindings(self, module: str) -> dict[str, Binding]:
        tree = self.tree(module)
        return {} if tree is None else module_bindings(tree, module)

    def provider_installed(self, qualname: str) -> bool:
        """Whether the provider distribution that would hold `qualname` is in this install."""
        prefix = provider_prefix(qualname)
        return prefix is None or prefix in self.modules

    def has_home(self, qualname: str) -> bool:
        """True if `qualname` is a module of this install or a name one of its modules binds."""
        if qualname in self.modules:
            return True
        module, _, name = qualname.rpartition(".")
        return name in self.bindings(module)

    def is_deprecated_module(self, module: str) -> bool:
        """A shim module that warns when imported (Airflow 2.0's airflow/operators/bash_operator.py)."""
        tree = self.tree(module)
        return tree is not None and warns_at_module_level(tree)

    def package_export(self, qualname: str) -> str | None:
        """`airflow.models.dagbag.DagBag` is gone from its module in 3.3.2, but the package still
        serves `airflow.models.DagBag` through its lazy-import table: use that."""
        module, _, name = qualname.rpartition(".")
        package = module.rpartition(".")[0]
        binding = self.bindings(package).get(name) if package.startswith("airflow.") else None
        return f"{package}.{name}" if binding is not None and binding.kind == "lazy" else None

    def relocated_in_provider(self, qualname: str) -> str | None:
        """Where this provider now defines a class it has moved to another module of the same
        package (amazon 9.x: `...aws.operators.emr_add_steps.EmrAddStepsOperator` now lives in
        `...aws.operators.emr`; the provider releases in between, whose shims said so, are in no env)."""
        module, _, name = qualname.rpartition(".")
        package = module.rpartition(".")[0]
        homes = self.classes_by_package().get((package, name), [])
        return homes[0] if len(homes) == 1 else None

    @functools.cache  # noqa: B019
    def classes_by_package(self) -> dict[tuple[str, str], list[str]]:
        """(provider package such as airflow.providers.amazon.aws.operators, class) -> its homes."""
        index: dict[tuple[str, str], list[str]] = {}
        for module in sorted(self.modules):
            if not module.startswith("airflow.providers.") or self.modules[module].name == "__init__.py":
                continue
            for name, binding in self.bindings(module).items():
                if binding.kind == "class" and not name.startswith("_"):
                    index.setdefault((module.rpartition(".")[0], name), []).append(f"{module}.{name}")
        return index

    @functools.cache  # noqa: B019
    def function_notice(self, qualname: str) -> str | None:
        """The warning a top-level function or class gives first thing when called or built
        (2.x `days_ago`, `apply_defaults`, `airflow.utils.helpers.chain`)."""
        module, _, name = qualname.rpartition(".")
        tree = self.tree(module)
        if tree is None:
            return None
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
                return first_statement_warning(node)
        return None

    @functools.cache  # noqa: B019
    def provider_version(self, prefix: str) -> str | None:
        """Version of the provider distribution holding `prefix` (from its .dist-info name)."""
        dist = provider_distribution(prefix).replace("-", "_")
        found = sorted(self.site_packages.glob(f"{dist}-*.dist-info"))
        return found[0].name[len(dist) + 1 : -len(".dist-info")] if found else None

    @functools.cache  # noqa: B019
    def deprecation_notice(self, module: str) -> str | None:
        """The message of a module-level `warnings.warn("This module is deprecated. ...")`."""
        tree = self.tree(module)
        if tree is None:
            return None
        for node in tree.body:
            if is_warnings_warn(node) and node.value.args:
                text = literal_str(node.value.args[0])
                if text:
                    return " ".join(text.split())
        return None

    def is_airflow_name(self, qualname: str) -> bool:
        """A home that is Airflow's own (not `Popen` re-exported from subprocess by a shim)."""
        if qualname in self.modules:
            return True
        module, _, name = qualname.rpartition(".")
        binding = self.bindings(module).get(name)
        if binding is None:
            return False
        return binding.kind != "import" or binding.source.startswith("airflow")


def module_bindings(tree: ast.Module, module: str) -> dict[str, Binding]:
    """Top-level names a module binds at run time, including __all__ and lazy-import tables."""
    bindings: dict[str, Binding] = {}
    exported: list[str] = []
    package = module if tree_is_package(tree) else module.rpartition(".")[0]
    for node in top_level_statements(tree):
        if isinstance(node, ast.ClassDef):
            bindings[node.name] = Binding("class")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            bindings[node.name] = Binding("def")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                bound, source = imported_binding(node, alias, package)
                if bound != "*":
                    bindings.setdefault(bound, Binding("import", source))
        else:
            for target in assigned_names(node):
                if target in ("__lazy_imports", "_lazy_imports") and isinstance(node.value, ast.Dict):
                    for key in string_keys(node.value):
                        bindings.setdefault(key, Binding("lazy"))
                elif target == "__all__" and isinstance(node.value, (ast.List, ast.Tuple)):
                    exported += [literal_str(elt) for elt in node.value.elts if literal_str(elt)]
                else:
                    bindings.setdefault(target, Binding("assign"))
    for name in exported:  # in __all__ but bound nowhere visible: served by a module __getattr__
        bindings.setdefault(name, Binding("exported"))
    return bindings


def top_level_statements(tree: ast.Module) -> Iterator[ast.stmt]:
    """Module-level statements, looking into `if`/`try`/`with` blocks (py-version guards...)."""
    stack = list(reversed(tree.body))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If):
            # `if TYPE_CHECKING:` names are for type checkers only: 3.3.2's airflow/sdk/types.py
            # has `Operator` there, yet Airflow's own deprecation table points at it.
            runtime_body = [] if is_type_checking(node.test) else node.body
            stack.extend(reversed(runtime_body + node.orelse))
        elif isinstance(node, ast.Try):
            stack.extend(reversed(node.body + node.orelse + node.finalbody))
        elif isinstance(node, ast.With):  # 2.0.2: `with warnings.catch_warnings(): from ... import X`
            stack.extend(reversed(node.body))
        else:
            yield node


def first_statement_warning(node: ast.FunctionDef | ast.ClassDef) -> str | None:
    """The message of a `warnings.warn` that is the first statement (after the docstring) of a
    function, or of a class's `__init__`: an unconditional deprecation, not a per-argument one."""
    if isinstance(node, ast.ClassDef):
        init = next((n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
        if init is None:
            return None
        node = init
    body = [s for s in node.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if not body or not is_warnings_warn(body[0]) or not body[0].value.args:
        return None
    return message_text(body[0].value.args[0])


def message_text(node: ast.expr) -> str | None:
    """A warning message as text; f-string parts are kept as `{expression}`."""
    if isinstance(node, ast.JoinedStr):
        parts = [
            v.value if isinstance(v, ast.Constant) else "{" + ast.unparse(v.value) + "}" for v in node.values
        ]
        text = "".join(str(p) for p in parts)
    else:
        text = literal_str(node)
    return " ".join(text.split()) if text else None


def is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported_binding(node: ast.Import | ast.ImportFrom, alias: ast.alias, package: str) -> tuple[str, str]:
    if isinstance(node, ast.Import):
        bound = alias.asname or alias.name.split(".")[0]
        return bound, alias.name if alias.asname else bound
    source_module = resolve_relative(node.module or "", node.level, package)
    return alias.asname or alias.name, f"{source_module}.{alias.name}"


def resolve_relative(module: str, level: int, package: str) -> str:
    if level == 0:
        return module
    base = package.split(".")
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def assigned_names(node: ast.stmt) -> list[str]:
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    return []


def string_keys(node: ast.Dict) -> list[str]:
    return [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]


def provider_prefix(qualname: str) -> str | None:
    """`airflow.providers.apache.hive.operators.hive.X` -> `airflow.providers.apache.hive`."""
    parts = qualname.split(".")
    if parts[:2] != ["airflow", "providers"] or len(parts) < 3:
        return None
    depth = 4 if parts[2] in TWO_LEVEL_PROVIDER_NAMESPACES else 3
    return ".".join(parts[:depth])


def provider_distribution(prefix: str) -> str:
    return "apache-airflow-providers-" + "-".join(prefix.split(".")[2:]).replace("_", "-")


# --------------------------------------------------------------------------------------------
# Deprecation edges: (old qualified name -> new qualified name) as one install declares them
# --------------------------------------------------------------------------------------------


@dataclass
class Edges:
    names: dict[str, str] = field(default_factory=dict)
    modules: dict[str, str] = field(default_factory=dict)  # add_deprecated_classes "*" entries
    # 2.11's airflow/kubernetes/__init__.py `__override_deprecated_names`: the name the warning
    # recommends (needs a newer provider), preferred over the import target when it exists
    overrides: dict[str, str] = field(default_factory=dict)

    def update(self, other: Edges) -> None:
        self.names.update(other.names)
        self.modules.update(other.modules)
        self.overrides.update(other.overrides)


def install_edges(install: Install) -> Edges:
    edges = Edges()
    for module in sorted(install.modules):
        tree = install.tree(module)
        if tree is None:
            continue
        edges.names.update(shim_module_edges(tree, module))
        edges.names.update(trivial_subclass_edges(tree, module))
        edges.names.update(getattr_hook_edges(tree, module))
        edges.names.update(deprecated_function_edges(install, tree, module))
        table_edges = deprecated_classes_edges(tree, module, install)
        edges.update(table_edges)
    if install.version.startswith("1."):
        edges.names.update(plugin_import_edges(install))
        # lowest priority: any edge Airflow itself declares wins over upgrade-check's table
        edges.names = {**upgrade_check_edges(install), **edges.names}
    if install.version.startswith("3."):
        edges.names.update(sdk_lazy_import_edges(install))
        edges.names = {**RUFF_ONLY_EDGES_3, **edges.names}
    return edges


def warns_at_module_level(tree: ast.Module) -> bool:
    return any(is_warnings_warn(node) for node in tree.body)


def is_warnings_warn(node: ast.AST) -> bool:
    call = node.value if isinstance(node, ast.Expr) else node
    if not isinstance(call, ast.Call):
        return False
    func = call.func
    return (isinstance(func, ast.Attribute) and func.attr == "warn") or (
        isinstance(func, ast.Name) and func.id == "warn"
    )


def class_body(node: ast.ClassDef) -> list[ast.stmt]:
    """The class body without its docstring."""
    return [s for s in node.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]


def is_warning_init_only(node: ast.ClassDef) -> bool:
    """2.0 shim classes: the body is only an `__init__` (or a Protocol's `__new__`) that warns."""
    body = class_body(node)
    return (
        bool(body)
        and all(isinstance(s, ast.FunctionDef) and s.name in SHIM_CLASS_METHODS for s in body)
        and any(is_warnings_warn(inner) for inner in ast.walk(node))
    )


def passes_arguments_through(node: ast.ClassDef) -> bool:
    """`super().__init__(*args, **kwargs)` only: standard's TimeSensorAsync adds `deferrable=True`,
    so it is not a plain alias of TimeSensor."""
    for call in ast.walk(node):
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "__init__"
        ):
            if any(keyword.arg is not None for keyword in call.keywords):
                return False
    return True


def names_its_base(node: ast.ClassDef, base: str) -> bool:
    """The class's docstring or warning tells users to use the base instead (2.x DagFileExists
    subclasses AirflowBadRequest and warns, but is not a renamed AirflowBadRequest)."""
    texts = [ast.get_docstring(node) or ""]
    warn_calls = [n for n in ast.walk(node) if isinstance(n, ast.Call) and is_warnings_warn(n) and n.args]
    texts += [message_text(call.args[0]) or "" for call in warn_calls]
    return any(base in text for text in texts)


# what a deprecated alias class may define: 2.0.2's `__init__`, a Protocol's `__new__`, and
# 2.x's attrs-based ExternalTaskSensorLink `__attrs_post_init__`
SHIM_CLASS_METHODS = frozenset({"__init__", "__new__", "__attrs_post_init__"})


def is_pass_only(node: ast.ClassDef) -> bool:
    return all(isinstance(s, ast.Pass) for s in class_body(node))


def airflow_imports(tree: ast.Module, module: str) -> dict[str, str]:
    """Module-level `from airflow... import X [as Y]` -> {Y: airflow...X}."""
    package = module if tree_is_package(tree) else module.rpartition(".")[0]
    imports = {}
    for node in top_level_statements(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                bound, source = imported_binding(node, alias, package)
                if source.startswith("airflow.") and bound != "*":
                    imports[bound] = source
    return imports


def tree_is_package(tree: ast.Module) -> bool:
    return getattr(tree, "_is_package", False)


def shim_module_edges(tree: ast.Module, module: str) -> dict[str, str]:
    """A module that warns on import re-exports its names from their new home (2.0 shims)."""
    if not warns_at_module_level(tree) or not is_pure_shim(tree):
        return {}
    categories = warning_categories(tree)
    edges = {}
    for bound, source in airflow_imports(tree, module).items():
        if not bound.startswith("_") and bound not in categories and source != f"{module}.{bound}":
            edges[f"{module}.{bound}"] = source
    return edges


def is_pure_shim(tree: ast.Module) -> bool:
    """Only imports, the warning and shim classes: a module that still has code of its own (3.x's
    airflow/utils/context.py) is not a re-export table, its imports are not renames."""
    for node in top_level_statements(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)) or is_warnings_warn(node):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue
        if isinstance(node, ast.ClassDef) and (is_warning_init_only(node) or is_pass_only(node)):
            continue
        if assigned_names(node) == ["__all__"]:
            continue
        return False
    return True


def warning_categories(tree: ast.Module) -> set[str]:
    """Names used in the module-level warn call (`RemovedInAirflow3Warning`), not re-exports."""
    return {
        name.id
        for node in tree.body
        if is_warnings_warn(node)
        for name in ast.walk(node)
        if isinstance(name, ast.Name)
    }


def trivial_subclass_edges(tree: ast.Module, module: str) -> dict[str, str]:
    """`class Old(New)` that only warns (2.0 shims) or only passes (1.10 aliases) -> Old is New."""
    imports = airflow_imports(tree, module)
    defined_classes = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
    edges = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or not node.bases:
            continue
        base = node.bases[0]
        if not isinstance(base, ast.Name) or base.id == node.name:
            continue
        if base.id in imports:
            source = imports[base.id]
        elif base.id in defined_classes:  # 2.x: ExternalTaskSensorLink(ExternalDagLink) in one module
            source = f"{module}.{base.id}"
        else:
            continue
        # 1.10's airflow/operators/sensors.py: `class HdfsSensor(HdfsSensorImp): pass` where
        # HdfsSensorImp is airflow.sensors.hdfs_sensor.HdfsSensor (same name, new module).
        same_name_alias = is_pass_only(node) and source.rpartition(".")[2] == node.name
        deprecated_alias = (
            is_warning_init_only(node)
            and passes_arguments_through(node)
            and names_its_base(node, source.rpartition(".")[2])
        )
        if same_name_alias or deprecated_alias:
            edges[f"{module}.{node.name}"] = source
    return edges


QUALIFIED_NAME_IN_TEXT = re.compile(r"`(airflow(?:\.[A-Za-z_]\w*)+)(?:\(\))?`")


def deprecated_function_edges(install: Install, tree: ast.Module, module: str) -> dict[str, str]:
    """`def chain(...): warnings.warn("... Please use `airflow.models.baseoperator.chain`.")` (2.x):
    a function whose first statement warns and names one airflow function/class of the same
    name is an alias of it."""
    edges = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
            continue
        text = first_statement_warning(node)
        named = QUALIFIED_NAME_IN_TEXT.findall(text or "")
        same_name = [n for n in named if n.rpartition(".")[2] == node.name and n != f"{module}.{node.name}"]
        if len(set(same_name)) == 1 and install.has_home(same_name[0]):
            edges[f"{module}.{node.name}"] = same_name[0]
    return edges


def getattr_hook_edges(tree: ast.Module, module: str) -> dict[str, str]:
    """A module-level `__getattr__` that warns and hands out a moved name (Airflow 2.11 / 3.x):

    * `__deprecated_imports = {"BaseOperatorLink": "airflow.models.baseoperatorlink"}` + `.get(name)`
    * `if name in _DEPRECATED_EXCEPTIONS: ... f"airflow.sdk.exceptions.{name}"`
    * `if name not in ("DAG", "dag"): raise ...; getattr(airflow.sdk, name)`
    * `if name == "JobState": from airflow.jobs.job import JobState`
    """
    hook = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "__getattr__"), None)
    if hook is None or not any(is_warnings_warn(n) for n in ast.walk(hook)):
        return {}
    tables = module_literals(tree)
    edges = {}
    for table_name in looked_up_tables(hook):
        if "lazy" in table_name:  # `__lazy_imports`: plain lazy loading, not a deprecation
            continue
        for name, target_module in dict_items(tables.get(table_name)):
            edges[f"{module}.{name}"] = f"{target_module}.{name}"
    handed_out = names_tested_in(hook, tables)
    target_module = getattr_target_module(hook)
    for name in handed_out:
        target = local_import_of(hook, name) or (target_module and f"{target_module}.{name}")
        if target:
            edges[f"{module}.{name}"] = target
    return edges


def looked_up_tables(hook: ast.FunctionDef) -> set[str]:
    """Names of the dicts the hook looks `name` up in: `X[name]` or `X.get(name)`."""
    found = set()
    for node in ast.walk(hook):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            found.add(node.value.id)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
            if isinstance(node.func.value, ast.Name):
                found.add(node.func.value.id)
    return found


def module_literals(tree: ast.Module) -> dict[str, ast.expr]:
    return {
        target: node.value
        for node in tree.body
        for target in assigned_names(node)
        if isinstance(node.value, (ast.Dict, ast.Set, ast.List, ast.Tuple))
    }


def dict_items(node: ast.expr | None) -> list[tuple[str, str]]:
    if not isinstance(node, ast.Dict):
        return []
    pairs = [(literal_str(k), literal_str(v)) for k, v in zip(node.keys, node.values)]
    return [(k, v) for k, v in pairs if k and v]


def names_tested_in(hook: ast.FunctionDef, tables: dict[str, ast.expr]) -> list[str]:
    """Names in `name in X` / `name not in (...)` / `name == "X"` tests of the hook."""
    names: list[str] = []
    for node in ast.walk(hook):
        if not (isinstance(node, ast.Compare) and isinstance(node.left, ast.Name) and len(node.ops) == 1):
            continue
        right = node.comparators[0]
        if isinstance(node.ops[0], ast.Eq) and literal_str(right):
            names.append(literal_str(right))
        elif isinstance(node.ops[0], (ast.In, ast.NotIn)):
            collection = tables.get(right.id) if isinstance(right, ast.Name) else right
            if isinstance(collection, (ast.Set, ast.List, ast.Tuple)):
                names += [literal_str(e) for e in collection.elts if literal_str(e)]
    return names


def getattr_target_module(hook: ast.FunctionDef) -> str | None:
    """`f"airflow.sdk.exceptions.{name}"` or `getattr(airflow.sdk, name)` -> the module handed out from."""
    for node in ast.walk(hook):
        if isinstance(node, ast.JoinedStr) and len(node.values) == 2:
            prefix, last = node.values
            if (
                literal_str(prefix)
                and literal_str(prefix).endswith(".")
                and isinstance(last, ast.FormattedValue)
            ):
                if isinstance(last.value, ast.Name) and last.value.id == "name":
                    return literal_str(prefix)[:-1]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr":
            chain = dotted_name(node.args[0]) if node.args else None
            if chain and chain.startswith("airflow"):
                return chain
    return None


def dotted_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted_name(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def local_import_of(hook: ast.FunctionDef, name: str) -> str | None:
    for node in ast.walk(hook):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("airflow"):
            for alias in node.names:
                if (alias.asname or alias.name) == name:
                    return f"{node.module}.{alias.name}"
    return None


def deprecated_classes_edges(tree: ast.Module, module: str, install: Install) -> Edges:
    """`__deprecated_classes = {...}` / `add_deprecated_classes({...}, ...)` tables (Airflow >= 2.4)."""
    edges = Edges()
    for table in deprecated_class_tables(tree):
        add_table_edges(table, module, edges.names, edges.modules)
    for table in override_tables(tree):
        add_table_edges(table, module, edges.overrides, {})
    return edges


def add_table_edges(table: ast.Dict, package: str, names: dict[str, str], modules: dict[str, str]) -> None:
    """{submodule or __name__: {old name or "*": new qualified name}} -> edges."""
    for key_node, value_node in zip(table.keys, table.values):
        submodule = table_module_name(key_node, package)
        if submodule is None or not isinstance(value_node, ast.Dict):
            continue
        for name_node, target_node in zip(value_node.keys, value_node.values):
            name, target = literal_str(name_node), literal_str(target_node)
            if name is None or target is None:
                continue
            if name == "*":
                modules[submodule] = target
            else:
                names[f"{submodule}.{name}"] = target


def deprecated_class_tables(tree: ast.Module) -> Iterator[ast.Dict]:
    for node in top_level_statements(tree):
        if "__deprecated_classes" in assigned_names(node) and isinstance(node.value, ast.Dict):
            yield node.value
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            func = node.value.func
            if isinstance(func, ast.Name) and func.id == "add_deprecated_classes" and node.value.args:
                first = node.value.args[0]
                if isinstance(first, ast.Dict):
                    yield first


def override_tables(tree: ast.Module) -> Iterator[ast.Dict]:
    for node in top_level_statements(tree):
        if "__override_deprecated_names" in assigned_names(node) and isinstance(node.value, ast.Dict):
            yield node.value


def table_module_name(key: ast.expr | None, package: str) -> str | None:
    if isinstance(key, ast.Name) and key.id == "__name__":
        return package
    text = literal_str(key)
    return None if text is None else f"{package}.{text}"


def literal_str(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def plugin_import_edges(install: Install) -> dict[str, str]:
    """1.10's `from airflow.operators import DummyOperator` form (AirflowImporter dicts)."""
    edges = {}
    for package, table_name in (
        ("airflow.operators", "_operators"),
        ("airflow.hooks", "_hooks"),
        ("airflow.sensors", "_sensors"),
        ("airflow.contrib.operators", "_operators"),
        ("airflow.contrib.hooks", "_hooks"),
        ("airflow.contrib.sensors", "_sensors"),
    ):
        tree = install.tree(package)
        if tree is None:
            continue
        for node in top_level_statements(tree):
            if table_name in assigned_names(node) and isinstance(node.value, ast.Dict):
                edges.update(plugin_table_edges(install, package, node.value))
    return edges


def plugin_table_edges(install: Install, package: str, table: ast.Dict) -> dict[str, str]:
    edges = {}
    for key_node, value_node in zip(table.keys, table.values):
        submodule = literal_str(key_node)
        if submodule is None or not isinstance(value_node, (ast.List, ast.Tuple)):
            continue
        for elt in value_node.elts:
            name = literal_str(elt)
            real = f"{package}.{submodule}.{name}"
            # 1.10.15's contrib/hooks table lists `spark_submit_operator`, a module that is not
            # there: only aliases whose real module defines the name are kept.
            if name and install.has_home(real):
                edges[f"{package}.{name}"] = real
    return edges


def upgrade_check_edges(install: Install) -> dict[str, str]:
    """apache-airflow-upgrade-check 1.4 `renamed_classes.py` (new, old) pairs, installed with 1.10.15.

    Only pairs whose old name really exists in 1.10.15 are kept: the table has a few old names
    that 1.10 never had (e.g. `airflow.contrib.operators.hive_to_dynamodb.HiveToDynamoDBOperator`).
    """
    tree = install.tree("airflow.upgrade.rules.renamed_classes")
    if tree is None:
        raise SystemExit(f"gen_tables: apache-airflow-upgrade-check is not installed in {install.env}")
    edges = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple) and len(node.elts) == 2:
            new, old = (literal_str(e) for e in node.elts)
            if new and old and new != old and install.has_home(old):
                edges[old] = new
    return edges


def sole_class_rename_edges(old_install: Install, shim_install: Install, shim_edges: Edges) -> dict[str, str]:
    """Classes 2.0.2 renamed without keeping the old name, paired when the pairing is unambiguous.

    E.g. 1.10's airflow/operators/hive_to_samba_operator.py defines Hive2SambaOperator; 2.0.2's shim
    of that module only re-exports HiveToSambaOperator. When the 1.10 module lost exactly one
    hook/sensor/operator class and the shim gained exactly one of the same role, it was renamed.
    """
    edges = {}
    for module in sorted(old_install.modules):
        tree = shim_install.tree(module)
        if tree is None or not warns_at_module_level(tree):
            continue
        old_classes = {n for n, b in old_install.bindings(module).items() if b.kind == "class"}
        lost = {n for n in old_classes if f"{module}.{n}" not in shim_edges.names and class_role(n)}
        gained = {n for n in airflow_imports(tree, module) if n not in old_classes and class_role(n)}
        if len(lost) == 1 and len(gained) == 1 and class_role(min(lost)) == class_role(min(gained)):
            edges[f"{module}.{lost.pop()}"] = f"{module}.{gained.pop()}"
    return edges


def class_role(name: str) -> str | None:
    """Hook / Sensor / Operator (1.10 `...Transfer` classes became `...Operator` in 2.0), else None."""
    for suffix, role in (
        ("Hook", "Hook"),
        ("Sensor", "Sensor"),
        ("Operator", "Operator"),
        ("Transfer", "Operator"),
    ):
        if name.endswith(suffix):
            return role
    return None


def sdk_lazy_import_edges(install: Install) -> dict[str, str]:
    """Airflow 3 moved the DAG-authoring names to the Task SDK: `airflow.DAG`, `airflow.models.DAG`..."""
    edges = {}
    for package in ("airflow", "airflow.models"):
        tree = install.tree(package)
        if tree is None:
            continue
        for node in top_level_statements(tree):
            if "__lazy_imports" in assigned_names(node) and isinstance(node.value, ast.Dict):
                edges.update(lazy_table_edges(package, node.value))
    return edges


def lazy_table_edges(package: str, table: ast.Dict) -> dict[str, str]:
    edges = {}
    for key_node, value_node in zip(table.keys, table.values):
        name = literal_str(key_node)
        if name is None:
            continue
        if isinstance(value_node, ast.Tuple):  # airflow/__init__.py: (module, attr, deprecated)
            module, attr, deprecated = (ast.literal_eval(e) for e in value_node.elts)
        else:  # airflow/models/__init__.py: module
            module, attr, deprecated = ast.literal_eval(value_node), name, False
        module = resolve_relative(module.lstrip("."), len(module) - len(module.lstrip(".")), package)
        if not attr:
            continue
        # Non-deprecated lazy names that stay in core (airflow.models.DagRun, ...) keep their path.
        if deprecated or module == "airflow.sdk" or module.startswith("airflow.sdk."):
            edges[f"{package}.{name}"] = f"{module}.{attr}"
    return edges


# --------------------------------------------------------------------------------------------
# Composing the edges into per-target tables
# --------------------------------------------------------------------------------------------


@dataclass
class TargetTables:
    renames: dict[str, str] = field(default_factory=dict)
    module_renames: dict[str, str] = field(default_factory=dict)
    removed: dict[str, str] = field(default_factory=dict)
    unverified: set[str] = field(default_factory=set)


@dataclass(eq=False)
class Resolver:
    """Follows deprecation edges across the installs of one target chain."""

    edges: Edges
    installs: list[Install]  # oldest first; the last one is the target install

    @property
    def home(self) -> Install:
        return self.installs[-1]

    def path(self, name: str) -> list[str]:
        """name, then each newer name it was deprecated in favour of, until one has no edge."""
        path = [name]
        while True:
            nxt = self.next_name(path[-1])
            if nxt is None or nxt in path:
                return path
            path.append(nxt)

    def next_name(self, name: str) -> str | None:
        for candidate in (self.edges.overrides.get(name), self.edges.names.get(name), self.module_edge(name)):
            if candidate and self.is_real(candidate):
                return candidate
        return None

    def module_edge(self, name: str) -> str | None:
        module, _, attr = name.rpartition(".")
        if module in self.edges.modules and not self.home.has_home(name):
            return f"{self.edges.modules[module]}.{attr}"
        return None

    def is_real(self, name: str) -> bool:
        """Edges into nothing are skipped (2.11's kubernetes table has typos such as
        `airflow.kubernetes.airflow.providers...`); names in providers no env installs are kept."""
        if name in self.edges.names or name in self.edges.overrides:
            return True
        if any(install.has_home(name) for install in self.installs):
            return True
        if provider_prefix(name) is None:
            return False
        return not any(install.provider_installed(name) for install in self.installs)


def public_sdk_name(name: str, install: Install) -> str:
    """Prefer `airflow.sdk.BaseHook` (Task SDK public API) over `airflow.sdk.bases.hook.BaseHook`."""
    if not name.startswith("airflow.sdk.") or not install.has_home("airflow.sdk"):
        return name
    attr = name.rpartition(".")[2]
    binding = install.bindings("airflow.sdk").get(attr)
    if binding is not None and name.count(".") > 2:
        return f"airflow.sdk.{attr}"
    return name


def dag_api_names(install: Install) -> set[str]:
    """Public classes and functions defined in the DAG-facing modules of an install."""
    names = set()
    for module in install.modules:
        if not module.startswith(DAG_API_PREFIXES) or any(p.startswith("_") for p in module.split(".")):
            continue
        for name, binding in install.bindings(module).items():
            if binding.kind in ("class", "def") and not name.startswith("_"):
                names.add(f"{module}.{name}")
    return names


def dag_api_modules(install: Install) -> set[str]:
    return {
        m
        for m in install.modules
        if m.startswith(DAG_API_PREFIXES) and not any(p.startswith("_") for p in m.split("."))
    }


def build_target(target: str, installs: dict[str, Install], edges: dict[str, Edges]) -> TargetTables:
    chain = TARGET_CHAINS[target]
    merged = Edges()
    for env in chain:
        merged.update(edges[env])
    resolver = Resolver(merged, [installs[env] for env in chain])
    sources = resolver.installs[:-1]
    candidates = set(merged.names) | set(merged.overrides)
    for install in sources:
        candidates |= dag_api_names(install)
    tables = TargetTables()
    for old in sorted(candidates):
        if not old.rpartition(".")[2].startswith("_") and not is_foreign_import(old, sources):
            place_name(old, resolver, tables)
    tables.module_renames = module_renames(sources, resolver.home, merged, tables)
    add_removed_modules(sources, resolver.home, merged, tables)
    return tables


def is_foreign_import(name: str, sources: list[Install]) -> bool:
    """`airflow.contrib.hooks.aws_hook.boto3`: where the name first appears (1.10) the module only
    imported a library; later shims re-export it too, but it is not an Airflow name to rewrite."""
    module, _, attr = name.rpartition(".")
    first = next((b for b in (i.bindings(module).get(attr) for i in sources) if b is not None), None)
    return first is not None and first.kind == "import" and not first.source.startswith("airflow")


def place_name(old: str, resolver: Resolver, tables: TargetTables) -> None:
    home, sources = resolver.home, resolver.installs[:-1]
    path = resolver.path(old)
    new = public_sdk_name(path[-1], home)
    if not home.provider_installed(new):
        if new != old:
            tables.renames[old] = new
            tables.unverified.add(old)
        return
    if not home.has_home(new) and provider_prefix(new):
        new = home.relocated_in_provider(new) or new
    if not home.has_home(new) and home.package_export(new):
        new = public_sdk_name(resolver.path(home.package_export(new))[-1], home)
    if home.has_home(new):
        if new != old and home.is_airflow_name(new):
            tables.renames[old] = new
        return
    if is_dag_api(old) and existed_in(old, sources) and defined_by_airflow(path, sources):
        tables.removed[old] = removed_message(path, home, sources)


def is_dag_api(name: str) -> bool:
    return name.startswith(DAG_API_PREFIXES) or name.count(".") == 1


def defined_by_airflow(path: list[str], sources: list[Install]) -> bool:
    """Some name on the path is Airflow's own code, not e.g. `typing.Protocol` re-exported by a shim."""
    for name in path:
        module, _, attr = name.rpartition(".")
        for install in sources:
            binding = install.bindings(module).get(attr)
            if binding is not None and binding.kind in ("class", "def", "assign"):
                return True
    return False


def existed_in(name: str, installs: Iterable[Install]) -> bool:
    return any(install.has_home(name) for install in installs)


def last_version_with(name: str, installs: list[Install]) -> str:
    return [install.version for install in installs if install.has_home(name)][-1]


def removed_message(path: list[str], home: Install, sources: list[Install]) -> str:
    old, last = path[0], path[-1]
    if last != old and existed_in(last, sources):
        where = f"`{old}` (later `{last}`, last in Airflow {last_version_with(last, sources)})"
    else:
        where = f"`{old}` (last in Airflow {last_version_with(old, sources)})"
    prefix = provider_prefix(last)
    if prefix and home.provider_version(prefix):
        gone = f"is not in {provider_distribution(prefix)} {home.provider_version(prefix)} (installed with Airflow {home.version})"
    else:
        gone = f"is gone in Airflow {home.version} with no replacement"
    advice = deprecation_advice(path, sources)
    todo = f"Airflow's deprecation notice said: {advice}" if advice else "remove or rewrite the code using it"
    return f"{where} {gone}; {todo}"


def deprecation_advice(path: list[str], sources: list[Install]) -> str | None:
    """The newest deprecation text on the name's path: of the function/class itself (2.11's
    `days_ago`: "... equivalent behavior with `pendulum.today('UTC').add(days=-N, ...)`") or of its
    deprecated module (2.0.2's airflow/kubernetes/volume.py: "Please use `kubernetes.client.models.V1Volume`.")."""
    advice = None
    for install in sources:
        for name in path:
            module_text = install.deprecation_notice(name.rpartition(".")[0])
            if module_text and "use" in module_text.lower():
                advice = module_text
            advice = install.function_notice(name) or advice
    return advice


def module_renames(
    sources: list[Install], home: Install, merged: Edges, tables: TargetTables
) -> dict[str, str]:
    """Old modules whose every public name lives under the same name in one new module."""
    renames = {}
    for install in sources:
        for module in sorted(dag_api_modules(install)):
            if home.has_home(module) and not home.is_deprecated_module(module):
                continue
            new_module = common_new_module(module, install, tables.renames)
            if new_module:
                renames.setdefault(module, new_module)
    for old, new in merged.modules.items():
        if home.has_home(new):
            renames[old] = new
    return renames


def common_new_module(module: str, install: Install, renames: dict[str, str]) -> str | None:
    public = [
        n for n, b in install.bindings(module).items() if b.kind in ("class", "def") and not n.startswith("_")
    ]
    if not public:
        return None
    homes = set()
    for name in public:
        new = renames.get(f"{module}.{name}")
        if new is None or new.rpartition(".")[2] != name:
            return None
        homes.add(new.rpartition(".")[0])
    return homes.pop() if len(homes) == 1 else None


def add_removed_modules(sources: list[Install], home: Install, merged: Edges, tables: TargetTables) -> None:
    for install in sources:
        for module in sorted(dag_api_modules(install)):
            if home.has_home(module) or module in tables.module_renames or module in merged.modules:
                continue
            if module in tables.renames:  # `airflow.decorators.task_group`: also a name, which wins
                continue
            tables.removed.setdefault(
                module,
                f"module `{module}` (last in Airflow {last_version_with(module, sources)}) is gone in "
                f"Airflow {home.version}: import each name from its new home (see IMPORT_RENAMES)",
            )


def context_replacements(install: Install) -> dict[str, tuple[str, ...]]:
    tree = install.tree("airflow.utils.context")
    if tree is None:
        raise SystemExit(f"gen_tables: {install.env} has no airflow/utils/context.py")
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "_DEPRECATION_REPLACEMENTS" for t in targets):
                table = ast.literal_eval(node.value)
                return {key: tuple(value) for key, value in table.items()}
    raise SystemExit(f"gen_tables: _DEPRECATION_REPLACEMENTS not found in {install.env}")


def provider_packages(all_tables: dict[str, TargetTables]) -> dict[str, str]:
    prefixes = set()
    for tables in all_tables.values():
        for new in list(tables.renames.values()) + list(tables.module_renames.values()):
            prefix = provider_prefix(new)
            if prefix:
                prefixes.add(prefix)
    return {prefix: provider_distribution(prefix) for prefix in sorted(prefixes)}


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


TABLE_COMMENTS = {
    "IMPORT_RENAMES": [
        "# old qualified name -> new qualified name, composed per target (a 1.10 name maps straight to",
        '# its home on that target). "2.0": Airflow 2.0.2 (+ providers); "2": latest 2.x (2.11.2);',
        '# "3": Airflow 3.x. Keys: 1.10 names (module paths and the plugin-style `airflow.operators.X`)',
        "# and, for 2 and 3, the 2.x-era names too.",
    ],
    "MODULE_RENAMES": [
        "# whole-module moves: only where every public name of the old module lives under the same",
        "# name in the new module (other modules are handled name by name in IMPORT_RENAMES).",
    ],
    "REMOVED": [
        "# names/modules of 1.10 (or 2.x for target 3) with no replacement on the target -> what to do",
    ],
    "CONTEXT_REPLACEMENTS": [
        "# deprecated task-context / template variables -> replacements, as Airflow 2.x lists them",
        "# (airflow/utils/context.py _DEPRECATION_REPLACEMENTS); () means no replacement exists.",
    ],
    "PROVIDER_PACKAGES": [
        "# provider module prefix -> the distribution to install for it",
    ],
}


def render(all_tables: dict[str, TargetTables], context: dict[str, tuple[str, ...]]) -> str:
    versions = ", ".join(f"{env}={ver}" for env, ver in ENV_VERSIONS.items())
    lines = [
        '"""Rename tables for the codemods. GENERATED by scripts/gen_tables.py: do not edit.',
        "",
        f"Read (with ast) from the installed Airflow versions: {versions}.",
        "Regenerate: python scripts/gen_tables.py   (see docs/tables.md)",
        "",
    ]
    for target, tables in all_tables.items():
        lines.append(
            f"Target {target}: {len(tables.renames)} renames ({len(tables.unverified)} into providers not "
            f"installed in the {TARGET_CHAINS[target][-1]} env, verified by the shim text only), "
            f"{len(tables.module_renames)} module renames, {len(tables.removed)} removed."
        )
    lines += ['"""', "", "# fmt: off", ""]
    lines += TABLE_COMMENTS["IMPORT_RENAMES"]
    lines += render_nested(
        "IMPORT_RENAMES", {t: x.renames for t, x in all_tables.items()}, "dict[str, dict[str, str]]"
    )
    lines += TABLE_COMMENTS["MODULE_RENAMES"]
    lines += render_nested(
        "MODULE_RENAMES", {t: x.module_renames for t, x in all_tables.items()}, "dict[str, dict[str, str]]"
    )
    lines += TABLE_COMMENTS["REMOVED"]
    lines += render_nested(
        "REMOVED", {t: x.removed for t, x in all_tables.items()}, "dict[str, dict[str, str]]"
    )
    lines += TABLE_COMMENTS["CONTEXT_REPLACEMENTS"]
    lines.append("CONTEXT_REPLACEMENTS: dict[str, tuple[str, ...]] = {")
    for key in sorted(context):
        lines.append(f"    {quote(key)}: {render_tuple(context[key])},")
    lines += ["}", ""]
    lines += TABLE_COMMENTS["PROVIDER_PACKAGES"]
    lines.append("PROVIDER_PACKAGES: dict[str, str] = {")
    for prefix, dist in provider_packages(all_tables).items():
        lines.append(f"    {quote(prefix)}: {quote(dist)},")
    lines += ["}", "", "# fmt: on", ""]
    return "\n".join(lines)


def quote(text: str) -> str:
    """A double-quoted Python string literal (JSON string syntax is valid Python for these)."""
    return json.dumps(text, ensure_ascii=False)


def render_tuple(items: tuple[str, ...]) -> str:
    if not items:
        return "()"
    return "(" + ", ".join(quote(i) for i in items) + ("," if len(items) == 1 else "") + ")"


def render_nested(name: str, per_target: dict[str, dict[str, str]], annotation: str) -> list[str]:
    lines = [f"{name}: {annotation} = {{"]
    for target, table in per_target.items():
        lines.append(f"    {quote(target)}: {{")
        for key in sorted(table):
            lines.append(f"        {quote(key)}: {quote(table[key])},")
        lines.append("    },")
    return lines + ["}", ""]


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def default_site_packages(env: str) -> Path:
    return site_packages(env)


def site_packages_of(path: Path) -> Path:
    """Accept a venv dir, a site-packages dir or the airflow package dir itself."""
    if (path / "airflow").is_dir():
        return path
    if path.name == "airflow" and path.is_dir():
        return path.parent
    found = sorted(path.glob("lib/python3*/site-packages"))
    return found[0] if found else path


def generate(paths: dict[str, Path]) -> str:
    installs = {env: Install(env, site_packages_of(path)) for env, path in paths.items()}
    edges = {env: install_edges(install) for env, install in installs.items()}
    inferred = sole_class_rename_edges(installs["af110"], installs["af20"], edges["af20"])
    edges["af20"].names = {**inferred, **edges["af20"].names}
    all_tables = {target: build_target(target, installs, edges) for target in TARGET_CHAINS}
    return render(all_tables, context_replacements(installs["af2"]))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 with a diff if the file would change")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    for env, version in ENV_VERSIONS.items():
        parser.add_argument(
            f"--{env}",
            type=Path,
            default=None,
            help=f"Airflow {version} env, site-packages or airflow package dir "
            f"(default: $AU_TOX_WORKDIR/{env} or .tox/{env})",
        )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    paths = {env: getattr(args, env) or default_site_packages(env) for env in ENV_VERSIONS}
    text = generate(paths)
    return write_or_check({args.output: text}, check=args.check, script="gen_tables.py")


if __name__ == "__main__":
    sys.exit(main())
