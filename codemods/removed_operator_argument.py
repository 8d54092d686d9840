"""AU162: arguments a 1.10 operator took that the target's provider release no longer accepts,
and arguments that release requires which 1.10 did not.

What: `GCSToBigQueryOperator(bigquery_conn_id=...)` (one `gcp_conn_id` since google 7.0),
`DataprocDeleteClusterOperator(...)` without `region` (required in every google release,
DataprocCreateClusterOperator's since google 7.0; 1.10's contrib classes defaulted it to
"global"), `delegate_to=` (removed in google 10.0).

Why: Airflow >=2.0 rejects an unknown argument and a missing required one at DAG import. The
signatures are those of the run's chosen provider releases (codemods/_providers.py, read from
the provider wheels); the message names the release and, when some release's own deprecation
code named one, the replacement argument.

    GCSToBigQueryOperator(task_id="load", bucket="b", bigquery_conn_id="bq")
    -> GCSToBigQueryOperator(task_id="load", bucket="b", gcp_conn_id="bq")

Fix safety: a connection-id argument that a release's deprecation code assigned to its
successor (`gcp_conn_id = bigquery_conn_id`) is renamed when the call gives a non-empty
literal and not the successor too (safe: the provider did the same with it). A required
argument that the 1.10.15 class defaulted to a literal (`region="global"`, read from its source:
codemods/_generated/operator_kwargs_1_10.json) is passed explicitly with that value, which is
what the 1.10 class received whenever the call omitted it, when nothing else could have given it:
the call has no `**kwargs` and no positional argument; the default is not None (a provider that
made the argument required no longer takes None); and no default_args reaching the call can hold
the key, since 1.10 (and 2.x/3.x) fill omitted arguments from the DAG's default_args updated with
the call's own, and an explicit value would override them. That last one is proved from the file
alone: every `default_args=` of the file (DAG or operator call) is None, a dict display with str
keys, a `dict(...)` call without `**`, or a name bound once at module level to one of those that
is only passed on or read (no `d["k"] = ...`, no `update()`, not handed to other code), none has
the key, no DAG gets `**` arguments or `.default_args` is touched, and the call's DAG is one built
in this file (`dag=<name bound once to DAG(...)>`, or the call runs in a `with DAG(...)` block,
not in a function defined there). Otherwise (a factory receiving `dag`, default_args from another
module, ...) it is reported with the reason no fix is made; a file naming the argument anywhere
(a default_args key, `dict(region=...)`) is not reported, since it may give it that way.
Everything else is reported without a fix: a removed argument's effect has to be rebuilt by hand.
A call naming the provider class that a 1.10 class moved to (what AU101's fix writes) is judged
by that 1.10 class's arguments too, so checking the fixed file reports what checking the 1.10
file did; passing 1.10's default is left to calls of the 1.10 class itself.

## Example
```python target=2
from airflow.contrib.operators.gcs_to_s3 import GoogleCloudStorageToS3Operator

copy = GoogleCloudStorageToS3Operator(
    task_id="copy", bucket="b", dest_s3_key="s3://k/", google_cloud_storage_conn_id="gcs", dag=dag
)
```
Use instead:
```python
from airflow.contrib.operators.gcs_to_s3 import GoogleCloudStorageToS3Operator

copy = GoogleCloudStorageToS3Operator(
    task_id="copy", bucket="b", dest_s3_key="s3://k/", gcp_conn_id="gcs", dag=dag
)
```
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING, Optional

from codemods import _providers
from codemods._base import SAFE, Edit, Finding, Fix, Rewrite, Rule
from codemods._context import ImportTracker
from codemods._dag_calls import append_keyword, is_dag_call, is_operator_call
from codemods._operator_kwargs_1_10 import accepted_1_10, default_1_10
from codemods._target_signature import (
    accepted_on_target,
    chosen_releases,
    one_ten_arguments,
    one_ten_classes,
    renamed_in_history,
    required_on_target,
    target_home,
)

if TYPE_CHECKING:
    import libcst as cst
else:
    from codemods._libcst import cst

# Arguments other rules rewrite with more knowledge (quiet about them while that rule is selected).
_HANDLED_ELSEWHERE = {
    "provide_context": "AU110",
    "xcom_push": "AU132",
    "schedule_interval": "AU133",
    "auto_remove": "AU111",
    "allow_null": "AU134",
}


def _is_conn_id(name: str) -> bool:
    return name.endswith("_conn_id")


class RemovedOperatorArgument(Rule):
    code = "AU162"
    name = "removed-operator-argument"
    summary = (
        "Report (or rename) 1.10 operator arguments the target's provider release dropped, "
        "and arguments it now requires (signatures from the provider releases)"
    )
    tokens = (b"Operator", b"Sensor")
    fix = SAFE
    node_types = (ast.Call,)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._named: Optional[frozenset] = None  # strings and keyword names of the file
        self._defaults: Optional[_FileDefaultArgs] = None

    def check(self, node: ast.Call) -> Iterator[Finding]:
        qualified = self.ctx.imports.qualified_name(node.func)
        old_params = one_ten_arguments(qualified, self.ctx) if qualified else None
        if not qualified or old_params is None:
            return  # neither a 1.10 operator class whose arguments are known nor its provider home
        home = target_home(qualified, self.ctx)
        accepted = accepted_on_target(home, self.ctx) if home else None
        if home is None or accepted is None:
            return
        release = chosen_releases(self.ctx).label(_providers.dist_of(home) or "")
        cls = home.rsplit(".", 1)[-1]
        given = {k.arg for k in node.keywords if k.arg}
        for keyword in node.keywords:
            name = keyword.arg
            if name is None or name in accepted or name not in old_params:
                continue  # AU161 handles what 1.10 did not accept either
            owner = _HANDLED_ELSEWHERE.get(name)
            if owner and owner in self.ctx.selected_codes:
                continue
            yield self._removed(keyword, name, home, cls, release, accepted, given)
        if any(k.arg is None for k in node.keywords):
            return  # `**kwargs` may give it
        missing = [
            name
            for name in required_on_target(home, self.ctx)
            if name not in given and not self._maybe_in_default_args(name)
        ]
        if not missing:
            return
        defaults = {name: self._safe_default(node, qualified, name, old_params) for name in missing}
        fixable = {name: value for name, (value, _) in defaults.items() if value is not None}
        fix = (
            Fix.safe(Rewrite(node, lambda call: _append_keywords(call, fixable)), bridged=True)
            if fixable
            else None
        )
        for name in missing:
            value, why = defaults[name]
            head = f"{cls} requires `{name}` in {release}; 1.10's class did not"
            if value is not None:
                message = f"{head}: passing 1.10's default `{name}={value}` explicitly"
                yield Finding(node, message, fix, end=node.func)
            else:
                yield Finding(
                    node,
                    f"{head}: pass it (unless default_args from another module give it, the DAG "
                    f"fails to import); no fix: {why}",
                    end=node.func,
                )

    def _safe_default(
        self, node: ast.Call, qualified: str, name: str, old_params: frozenset
    ) -> tuple[Optional[str], str]:
        """1.10's default of `name` (source text) when passing it keeps what 1.10 did, else
        (None, why not)."""
        if name not in old_params:
            return None, "1.10's class had no such argument"
        defaults = {default_1_10(one_ten, name) for one_ten in one_ten_classes(qualified, self.ctx)}
        default = defaults.pop() if len(defaults) == 1 else None
        if default is None:
            return None, "1.10's class had no literal default for it"
        if default == "None":
            return None, "1.10's default was None, and the provider wants a value"
        if node.args:
            return None, "a positional argument may give it"
        why = self._file_defaults().why_not(node, name)
        if why is not None:
            return None, why
        if qualified not in accepted_1_10():
            return None, "the call names the provider's class, not 1.10's (whose default this is)"
        return self._quoted_like_call(node, default), ""

    def _quoted_like_call(self, node: ast.Call, text: str) -> str:
        """A str default (`repr` quotes it with ') in the quotes the call's strings use."""
        if not (text.startswith("'") and '"' not in text and "\\" not in text):
            return text
        for keyword in node.keywords:
            value = keyword.value
            if (
                isinstance(value, ast.Constant)
                and isinstance(value.value, str)
                and value.lineno == value.end_lineno
            ):
                quote = self.ctx.lines[value.lineno - 1][value.col_offset : value.col_offset + 1]
                return f'"{text[1:-1]}"' if quote == b'"' else text
        return text

    def _file_defaults(self) -> _FileDefaultArgs:
        if self._defaults is None:
            self._defaults = _FileDefaultArgs(self.ctx.tree, self.ctx.imports)
        return self._defaults

    def _removed(self, keyword, name, home, cls, release, accepted, given) -> Finding:
        new = renamed_in_history(home, name)
        if new is not None and new not in accepted:
            new = None
        base = f"`{name}` is no argument of {cls} in {release} (Airflow >=2.0 rejects it)"
        edit = self._rename(keyword, name, new, given)
        if edit is not None:
            return Finding(
                keyword, f"{base}: the provider replaced it by `{new}`", Fix.safe(edit), length=len(name)
            )
        if new:
            hint = f"the provider's deprecation code pointed to `{new}`"
        else:
            connections = sorted(a for a in accepted if _is_conn_id(a)) if _is_conn_id(name) else []
            hint = (
                f"the class's connection argument is {' / '.join(f'`{c}`' for c in connections)}"
                if connections
                else "remove it and rebuild its effect with the class's current arguments"
            )
        return Finding(keyword, f"{base}: {hint}", length=len(name))

    def _rename(self, keyword: ast.keyword, old: str, new: Optional[str], given: set) -> Optional[Edit]:
        if new is None or new in given or not (_is_conn_id(old) and _is_conn_id(new)):
            return None
        value = keyword.value
        if not (isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value):
            return None  # the provider passed a falsy value on as its default, not as the new argument
        line = self.ctx.lines[keyword.lineno - 1]
        if line[keyword.col_offset : keyword.col_offset + len(old)] != old.encode():
            return None
        return Edit(keyword.lineno, keyword.col_offset, keyword.col_offset + len(old), new.encode())

    def _maybe_in_default_args(self, name: str) -> bool:
        """default_args fill an operator's arguments: a file naming the argument anywhere (a
        dict key, `dict(region=...)`) may give it that way."""
        if self._named is None:
            tree = self.ctx.tree
            self._named = frozenset(
                node.value if isinstance(node, ast.Constant) else node.arg
                for node in (ast.walk(tree) if tree is not None else ())
                if (isinstance(node, ast.Constant) and isinstance(node.value, str))
                or (isinstance(node, ast.keyword) and node.arg)
            )
        return name in self._named


def _append_keywords(call: cst.CSTNode, values: dict[str, str]) -> cst.CSTNode:
    """`name=value` after the last argument, laid out like the arguments (append_keyword)."""
    assert isinstance(call, cst.Call)
    for name, value in values.items():
        if not any(arg.keyword is not None and arg.keyword.value == name for arg in call.args):
            call = append_keyword(call, name, value)
    return call


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
# 1.10's DAG(dag_id, description, schedule_interval, start_date, end_date, full_filepath,
# template_searchpath, template_undefined, user_defined_macros, user_defined_filters,
# default_args, ...): the 11th positional argument is default_args.
_DAG_POSITIONAL_DEFAULT_ARGS = 10
# What may be done to a default_args dict without changing its keys.
_READ_METHODS = frozenset({"get", "copy", "keys", "values", "items"})


class _FileDefaultArgs:
    """Whether default_args can give an operator call an argument, from this file alone.

    1.10's apply_defaults filled every argument a call omitted from the DAG's default_args (the
    `dag=` argument's DAG, else the `with DAG(...)` block the call runs in) updated with the
    call's own `default_args=`; 2.x and 3.x do the same. Passing the argument explicitly keeps
    what 1.10 did only when no default_args reaching the call holds the key: here, when every
    default_args of the file is a dict display, a `dict(...)` call or a name bound once (at module
    level) to one, whose keys never change, none of them holds it, and the call's DAG is one built
    in this file (so its default_args are among them)."""

    def __init__(self, tree: Optional[ast.Module], imports: ImportTracker) -> None:
        self.imports = imports
        self.tree = tree
        self.bindings: dict[str, list[ast.AST]] = {}  # name -> binding nodes (anywhere in the file)
        self.parents: dict[int, ast.AST] = {}
        self.in_dag_with: set[int] = set()  # calls run inside a `with DAG(...)` block of this file
        self.dags: set[str] = set()  # names bound once to a DAG built here
        self._assigned: dict[str, ast.expr] = {}  # name -> value of its one module-level Assign
        if tree is None:
            return
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parents[id(child)] = node
            for name in _bound_names(node):
                self.bindings.setdefault(name, []).append(node)
        self._module_assignments(tree.body)
        for name, value in self._assigned.items():
            if isinstance(value, ast.Call) and self._is_dag(value) and len(self.bindings[name]) == 1:
                self.dags.add(name)
        for node in ast.walk(tree):
            if isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    var = item.optional_vars
                    if (
                        isinstance(var, ast.Name)
                        and isinstance(item.context_expr, ast.Call)
                        and self._is_dag(item.context_expr)
                        and len(self.bindings.get(var.id, ())) == 1
                    ):
                        self.dags.add(var.id)
        self._mark_dag_withs(tree.body, False)

    def _module_assignments(self, body: list[ast.stmt]) -> None:
        """`name = value` statements that run in the module's scope (also inside if/with/try)."""
        for stmt in body:
            if (
                isinstance(stmt, ast.Assign)
                and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)
            ):
                self._assigned[stmt.targets[0].id] = stmt.value
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value:
                self._assigned[stmt.target.id] = stmt.value
            if isinstance(stmt, _SCOPES):
                continue
            for field in ("body", "orelse", "finalbody"):
                self._module_assignments(getattr(stmt, field, []))
            for handler in getattr(stmt, "handlers", []):
                self._module_assignments(handler.body)

    def _is_dag(self, call: ast.Call) -> bool:
        """Airflow's DAG class called (not the @dag decorator, not a company's wrapper)."""
        qualified = self.imports.qualified_name(call.func) or ""
        return is_dag_call(call, self.imports) and qualified.rsplit(".", 1)[-1] == "DAG"

    def _is_dag_context(self, expr: ast.expr) -> bool:
        if isinstance(expr, ast.Call):
            return self._is_dag(expr)
        return isinstance(expr, ast.Name) and expr.id in self.dags

    def _mark_dag_withs(self, nodes, inside: bool) -> None:
        for node in nodes:
            if isinstance(node, _SCOPES):
                # a function body runs later, under whichever `with DAG` its caller is in
                self._mark_dag_withs(ast.iter_child_nodes(node), False)
                continue
            if isinstance(node, ast.Call) and inside:
                self.in_dag_with.add(id(node))
            if isinstance(node, (ast.With, ast.AsyncWith)):
                self._mark_dag_withs(node.items, inside)
                under = inside or any(self._is_dag_context(item.context_expr) for item in node.items)
                self._mark_dag_withs(node.body, under)
                continue
            self._mark_dag_withs(ast.iter_child_nodes(node), inside)

    def why_not(self, call: ast.Call, key: str) -> Optional[str]:
        """None when no default_args reaching `call` can hold `key`; else why that is not known."""
        if self.tree is None:
            return "the file was not read"
        dag = next((k.value for k in call.keywords if k.arg == "dag"), None)
        if dag is not None:
            if not (isinstance(dag, ast.Name) and dag.id in self.dags):
                return "its `dag=` is not a DAG built in this file, whose default_args may give it"
        elif id(call) not in self.in_dag_with:
            return "its DAG is not one built in this file (no `dag=`, not in a `with DAG(...)` block)"
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Attribute) and node.attr == "default_args":
                return f"line {node.lineno} uses a DAG's default_args, which may give it"
            if not isinstance(node, ast.Call):
                continue
            if self._is_dag(node) and (
                any(k.arg is None for k in node.keywords) or len(node.args) > _DAG_POSITIONAL_DEFAULT_ARGS
            ):
                return f"the DAG at line {node.lineno} may get default_args that give it"
            for keyword in node.keywords:
                if keyword.arg != "default_args":
                    continue
                if not (self._is_dag(node) or is_operator_call(node, self.imports)):
                    return f"line {node.lineno} hands default_args to a call that may change them"
                if not self._lacks(keyword.value, key, set()):
                    return f"the default_args at line {keyword.value.lineno} may give it"
        return None

    def _lacks(self, value: ast.expr, key: str, seen: set[str]) -> bool:
        """`value` is provably a dict without `key`, at every use of the file."""
        if isinstance(value, ast.Constant) and value.value is None:
            return True
        if isinstance(value, ast.Dict):
            return all(
                isinstance(k, ast.Constant) and isinstance(k.value, str) and k.value != key
                for k in value.keys
            )
        if isinstance(value, ast.Call):
            if not (isinstance(value.func, ast.Name) and value.func.id == "dict") or "dict" in self.bindings:
                return False
            if any(k.arg is None or k.arg == key for k in value.keywords) or len(value.args) > 1:
                return False
            return all(self._lacks(arg, key, seen) for arg in value.args)
        if isinstance(value, ast.Name):
            name = value.id
            bound = self._assigned.get(name)
            if name in seen or bound is None or len(self.bindings.get(name, ())) != 1:
                return False
            if not self._keys_never_change(name):
                return False
            return self._lacks(bound, key, seen | {name})
        return False

    def _keys_never_change(self, name: str) -> bool:
        """Every use of `name` passes it as default_args or reads it (no subscript assignment,
        update(), or hand-over to code that may change it)."""
        for node in ast.walk(self.tree):  # type: ignore[arg-type]
            if not (isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)):
                continue
            parent = self.parents.get(id(node))
            if isinstance(parent, ast.keyword) and parent.arg == "default_args":
                continue
            if (
                isinstance(parent, ast.Subscript)
                and parent.value is node
                and isinstance(parent.ctx, ast.Load)
            ):
                continue
            if isinstance(parent, ast.Attribute) and parent.attr in _READ_METHODS:
                continue
            if (
                isinstance(parent, ast.Call)
                and isinstance(parent.func, ast.Name)
                and parent.func.id == "dict"
                and node in parent.args
            ):
                continue
            return False
        return True


def _bound_names(node: ast.AST) -> list[str]:
    """The names a node binds (or declares global: then it may be rebound anywhere)."""
    if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
        return [node.id]
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [(a.asname or a.name).split(".")[0] for a in node.names]
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return list(node.names) * 2  # never "bound once"
    if isinstance(node, ast.ExceptHandler) and node.name:
        return [node.name]
    return []
