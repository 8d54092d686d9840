"""AU160: operators that later provider releases removed in favour of a generic one.

What: `PostgresOperator`, `MySqlOperator`, `MsSqlOperator`, `SqliteOperator`, `OracleOperator`,
`JdbcOperator`, `SnowflakeOperator`, `VerticaOperator`, `TrinoOperator`, ... became thin
deprecated subclasses of `airflow.providers.common.sql.operators.sql.SQLExecuteQueryOperator`
and were then removed (postgres 6.0, mysql 6.0, mssql 4.0, ...). On the target's provider
releases the import fails. Each call is rewritten to the replacement with the argument mapping
that the last release holding the class applied in its own `__init__` (read from that wheel by
scripts/gen_operator_replacements.py, never typed here):

    from airflow.operators.postgres_operator import PostgresOperator
    PostgresOperator(task_id="load", sql="load.sql", postgres_conn_id="warehouse", database="dw")

becomes

    from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator
    SQLExecuteQueryOperator(do_xcom_push=False, task_id="load", sql="load.sql", conn_id="warehouse", hook_params={"database": "dw"})

Why each edit keeps a run the same as on 1.10:
- renamed arguments (`postgres_conn_id` -> `conn_id`), and the old default written out when the
  call omitted it (the replacement has none, or another one: SnowflakeOperator's `autocommit`
  was True on 1.10, SQLExecuteQueryOperator's is False);
- an argument the old class turned into a `hook_params` key gets that key; a group the old class
  set together (SnowflakeOperator: `if any([warehouse, database, role, ...])`, every key, None
  for the unset ones) becomes that one dict, or goes when none of it is set (unsafe when whether
  one is set is known only at run time);
- the 1.10 class's `execute` returned nothing, the replacement returns the query result, which
  Airflow pushes to XCom (a large or unserialisable result fails the task): `do_xcom_push=False`
  keeps 1.10's "nothing pushed". Drop it if you want the result in XCom;
- the replacement renders more fields with Jinja (`conn_id`, `parameters`, `hook_params`) and
  reads `.json` files as templates: a value for such a field must be a literal (or a module
  constant) that holds no Jinja and names no template file, or the fix is unsafe (1.10 passed
  it through as it was). `sql` was already rendered; a `sql` ending in `.json`, now read as a
  template, never ran as SQL on 1.10.
- the connection's type picks the hook (as it did in the provider's own deprecated class).

Not fixed, reported instead: positional arguments, `**kwargs`, an argument the old class's
`__init__` handled in a way the mapping does not cover (`runtime_parameters`), `hook_params`
next to an argument that becomes one of its keys, a file whose default_args may carry one of
the old arguments (1.10 applied them, the replacement does not know them), and any use of the
class other than a call (subclassing, isinstance, a dotted `a.b.module.Class`). Calls through a
module name (`from airflow.operators import postgres_operator`, `postgres_operator.PostgresOperator(...)`)
are rewritten when every use of that name is such a call: AU101 then binds the name to the
replacement's module (`from airflow.providers.common.sql.operators import sql as postgres_operator`).

Bridge mode (`fix --bridge`): the same rewrite, and an old argument the call gave is passed on
to 1.10.15's class (the name's `except ImportError` binding there) through the task's
`default_args={"postgres_conn_id": ...}`, which the replacement ignores (both versions fill from
default_args only the parameters an operator declares); `fix --close-bridge` removes it again.

Fix safety: safe when every call of the class in the file is rewritten as above; unsafe when a
newly templated value cannot be checked; otherwise no fix. The import is rewritten by AU101
(it moves only when every use of the class is rewritten).

## Example
```python target=2 select=AU101,AU160
from airflow.operators.postgres_operator import PostgresOperator

load = PostgresOperator(task_id="load", postgres_conn_id="warehouse", sql="load.sql", dag=dag)
```
Use instead:
```python
from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator

load = SQLExecuteQueryOperator(do_xcom_push=False, task_id="load", conn_id="warehouse", sql="load.sql", dag=dag)
```
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional

from codemods import _providers
from codemods._ast_nodes import children, walk
from codemods._base import NO_FIX, SAFE, UNSAFE, Edit, Finding, Fix, Rewrite, Rule
from codemods._context import FileContext
from codemods._edit import remove_elements
from codemods._generated import tables as _tables
from codemods._target_signature import chosen_releases

if TYPE_CHECKING:
    import libcst as cst
else:
    from codemods._libcst import cst

DATA = Path(__file__).resolve().parent / "_generated" / "operator_replacements.json"
CODE = "AU160"
_JINJA_MARKERS = ("{{", "{%", "{#")
# Runs of edits are byte edits inside one line: (1-based line, start byte, end byte, new bytes).
ByteEdit = tuple[int, int, int, bytes]


@cache
def replacements() -> dict[str, dict]:
    return json.loads(DATA.read_text())["replacements"]


def provider_class(qualified: str) -> Optional[str]:
    """The removed provider class that a 1.10 (or provider) name stands for, if any."""
    table = replacements()
    if qualified in table:
        return qualified
    home = _tables.IMPORT_RENAMES["2.0"].get(qualified)
    return home if home in table else None


def gone_on_target(provider_cls: str, ctx: FileContext) -> bool:
    """The chosen release of the class's provider no longer holds it (Airflow 2.0's releases
    still do; the newest ones for later 2.x and 3.x removed it)."""
    dist = _providers.dist_of(provider_cls)
    version = chosen_releases(ctx).version(dist) if dist else None
    return version is not None and not _providers.exists(provider_cls, version)


def origin_facts(entry: dict) -> Optional[dict]:
    """What the 1.10 class did (all 1.10 spellings of one class agree, else None)."""
    facts = list(entry["origins"].values())
    if not facts or any(f != facts[0] for f in facts[1:]):
        return None
    return facts[0]


# ----- values -----


def _module_constants(tree: ast.Module) -> dict[str, ast.expr]:
    """Module-level names assigned exactly once: NAME = <expr>."""
    seen: dict[str, list[ast.expr]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    seen.setdefault(target.id, []).append(node.value)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and isinstance(node.target, ast.Name):
            seen.setdefault(node.target.id, []).extend([node.value] * 2)  # type: ignore[list-item]
    return {name: values[0] for name, values in seen.items() if len(values) == 1}


def literal_value(node: ast.expr, constants: dict[str, ast.expr]):
    """(True, value) for a literal or a module constant bound to one, else (False, None)."""
    if isinstance(node, ast.Name) and node.id in constants:
        node = constants[node.id]
    try:
        return True, ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False, None


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.items() for part in item for s in _strings(part)]
    if isinstance(value, (list, tuple, set, frozenset)):
        return [s for item in value for s in _strings(item)]
    return []


def template_inert(node: ast.expr, constants: dict[str, ast.expr], extensions: list[str]) -> bool:
    """Rendering this value with Jinja (and template_ext) gives the value back unchanged."""
    known, value = literal_value(node, constants)
    if not known:
        return False
    return not any(marker in text for text in _strings(value) for marker in _JINJA_MARKERS) and not any(
        text.endswith(tuple(extensions)) for text in _strings(value) if extensions
    )


# ----- the plan -----


@dataclass
class CallPlan:
    call: ast.Call
    edits: list[ByteEdit] = field(default_factory=list)
    blocked: Optional[str] = None  # why the call cannot be rewritten
    # hook_params groups rewritten in the LibCST walk: (mode "dict" | "drop", ((key, argument), ...), given)
    merges: list[tuple[str, tuple[tuple[str, str], ...], frozenset[str]]] = field(default_factory=list)
    unsafe: list[str] = field(default_factory=list)  # why the rewrite may change a run


@dataclass
class ClassPlan:
    qualified: str  # as the file imports it
    provider_class: str
    entry: dict
    locals: set[str] = field(default_factory=set)
    calls: list[CallPlan] = field(default_factory=list)
    blockers: list[tuple[ast.AST, str]] = field(default_factory=list)  # other uses, file-level reasons
    through_module: bool = False  # called as `module.Class(...)` (the import of the module is AU101's)

    @property
    def fixable(self) -> bool:
        return not self.blockers and all(c.blocked is None for c in self.calls)

    @property
    def safety(self) -> Optional[str]:
        if not self.fixable:
            return NO_FIX
        return UNSAFE if any(c.unsafe for c in self.calls) else SAFE


def _class_name(qualified: str) -> str:
    return qualified.rsplit(".", 1)[-1]


def _parents(tree: ast.AST) -> dict[int, ast.AST]:
    parents: dict[int, ast.AST] = {}
    for node in walk(tree):
        for child in children(node):
            parents[id(child)] = node
    return parents


@dataclass(frozen=True)
class Catalog:
    """Removed classes of one kind and how a call of one is planned: this module's (generated
    by scripts/gen_operator_replacements.py into operator_replacements.json) and AU163's
    (codemods/removed_operator.py, classes whose replacement takes one structure)."""

    code: str
    lookup: Callable[[str], Optional[str]]  # a 1.10 (or provider) name -> the removed class
    entries: Callable[[], dict[str, dict]]
    # (call, removed class, entry, module constants, ctx, through a module name) -> the call's plan
    plan_call: Callable[[ast.Call, str, dict, dict, FileContext, bool], CallPlan]
    # old arguments that a default_args dict of the file may carry to the old class
    old_arguments: Callable[[dict], set[str]]
    # (the name as the file imports it, the removed class, ctx): the target's release lacks it
    gone: Callable[[str, str, FileContext], bool] = lambda qualified, home, ctx: gone_on_target(home, ctx)
    # a class not rewritten keeps its import as it is (AU101 must not move it to the 2.0 home,
    # which the target's release lacks); False: AU101 reports that import as it would anyway
    pins_import: bool = True


def _sql_plan_call(call, home, entry, constants, ctx, through_module):
    if through_module:
        return plan_call(call, home, entry, constants, ctx.lines)
    return plan_call(call, home, entry, constants, ctx.lines, bridge=ctx.options.bridge)


def plan_file(ctx: FileContext, catalog: Optional[Catalog] = None) -> dict[str, ClassPlan]:
    """For each removed class the file imports: how every use is rewritten, or why not (made
    once per file: AU101 asks too)."""
    catalog = catalog or SQL_CATALOG
    plans = ctx.memo.get((plan_file, catalog.code))
    if plans is None:
        plans = ctx.memo[(plan_file, catalog.code)] = _plan_file(ctx, catalog)
    return plans


def _plan_file(ctx: FileContext, catalog: Catalog) -> dict[str, ClassPlan]:
    provider_class, replacements = catalog.lookup, catalog.entries
    tree = ctx.tree
    if tree is None:
        return {}
    plans: dict[str, ClassPlan] = {}
    by_local: dict[str, ClassPlan] = {}
    for node in ctx.imports.import_nodes:
        if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
            continue
        if ctx.imports.guarded(node.lineno):
            continue  # version-aware compat code: left alone
        for alias in node.names:
            qualified = f"{node.module}.{alias.name}"
            home = provider_class(qualified)
            if home is None or not catalog.gone(qualified, home, ctx):
                continue
            plan = plans.setdefault(qualified, ClassPlan(qualified, home, replacements()[home]))
            plan.locals.add(alias.asname or alias.name)
            by_local[alias.asname or alias.name] = plan
    if not plans and not any(
        _module_holds_class(provider_class, replacements, bound) for bound in ctx.imports.bindings.values()
    ):
        return {}
    parents = _parents(tree)
    constants = _module_constants(tree)
    file_reasons = _default_args_reasons(tree, plans, ctx, catalog.old_arguments)
    for node in walk(tree):
        if isinstance(node, ast.Name) and node.id in by_local:
            plan = by_local[node.id]
            parent = parents.get(id(node))
            if isinstance(parent, ast.Call) and parent.func is node:
                plan.calls.append(
                    catalog.plan_call(parent, plan.provider_class, plan.entry, constants, ctx, False)
                )
            else:
                plan.blockers.append(
                    (node, f"`{node.id}` is used here other than called; rewrite this use by hand")
                )
        elif isinstance(node, ast.Attribute):
            qualified = ctx.imports.qualified_name(node)
            home = provider_class(qualified) if qualified else None
            if home is not None and catalog.gone(qualified, home, ctx):  # type: ignore[arg-type]
                plan = plans.setdefault(qualified, ClassPlan(qualified, home, replacements()[home]))  # type: ignore[arg-type]
                parent = parents.get(id(node))
                if (
                    _through_module_binding(node, ctx)
                    and isinstance(parent, ast.Call)
                    and parent.func is node
                ):
                    # `postgres_operator.PostgresOperator(...)`: AU101 rebinds the module name to the
                    # replacement's module when every use through it goes there
                    plan.through_module = True
                    plan.calls.append(
                        catalog.plan_call(parent, plan.provider_class, plan.entry, constants, ctx, True)
                    )
                else:
                    plan.blockers.append(
                        (node, "used through its module: import the replacement class instead")
                    )
    for plan in plans.values():
        for reason in file_reasons.get(plan.qualified, ()):
            plan.blockers.append((None, reason))  # type: ignore[arg-type]
    rebinds = _module_rebinds(plans, ctx)
    for plan in plans.values():
        module = plan.qualified.rpartition(".")[0]
        if plan.through_module and module not in rebinds and plan.fixable:
            # (a call that cannot be rewritten keeps the module's import already: said at that call)
            plan.blockers.append(
                (
                    plan.calls[0].call.func if plan.calls else None,
                    "its module is also used otherwise here: "
                    f"`from {plan.entry['replacement'].rpartition('.')[0]} import {_class_name(plan.entry['replacement'])}`"
                    " and call that name",
                )  # type: ignore[arg-type]
            )
    return plans


def _module_rebinds(plans: dict[str, ClassPlan], ctx: FileContext) -> dict[str, str]:
    """Modules bound to a name (`from airflow.operators import postgres_operator`) whose every use
    in the file is a call of a removed class that is rewritten: module -> the replacement's module,
    which AU101 then binds under the same name (`from ...common.sql.operators import sql as
    postgres_operator`). A module name used for anything else keeps its import."""
    through = {q: p for q, p in plans.items() if p.through_module and p.fixable}
    if not through or ctx.tree is None:
        return {}
    parents = _parents(ctx.tree)
    homes: dict[str, set[Optional[str]]] = {}
    for node in walk(ctx.tree):
        if not isinstance(node, ast.Name):
            continue
        module = ctx.imports.bindings.get(node.id)
        if module is None or module == node.id or not any(q.startswith(module + ".") for q in through):
            continue
        parent = parents.get(id(node))
        plan = through.get(f"{module}.{parent.attr}") if isinstance(parent, ast.Attribute) else None
        home = (
            plan.entry["replacement"].rpartition(".")[0] if plan and isinstance(node.ctx, ast.Load) else None
        )
        homes.setdefault(module, set()).add(home)
    return {
        module: next(iter(found)) for module, found in homes.items() if len(found) == 1 and None not in found
    }


def module_rebinds(ctx: FileContext) -> dict[str, str]:
    """For AU101: modules whose import is rebound to the replacement's module on this run."""
    found: dict[str, str] = {}
    for catalog in _catalogs():
        found.update(_catalog_module_rebinds(ctx, catalog))
    return found


def _catalogs() -> tuple[Catalog, ...]:
    from codemods.removed_operator import STRUCTURAL_CATALOG  # it imports this module

    return (SQL_CATALOG, STRUCTURAL_CATALOG)


def _catalog_module_rebinds(ctx: FileContext, catalog: Catalog) -> dict[str, str]:
    if catalog.code not in ctx.selected_codes or not ctx.options.fix:
        return {}
    plans = plan_file(ctx, catalog)
    if not any(p.through_module for p in plans.values()):
        return {}
    fixing = {q for q, p in plans.items() if p.safety is not None and ctx.may_fix(p.safety, catalog.code)}
    return {
        module: home
        for module, home in _module_rebinds(plans, ctx).items()
        if all(q in fixing for q, p in plans.items() if p.through_module and q.startswith(module + "."))
    }


def _through_module_binding(node: ast.Attribute, ctx: FileContext) -> bool:
    """`mod.Class` where `mod` is a name bound by `from package import mod` or `import a.b as mod`
    (not a dotted `a.b.mod.Class`, whose import AU101 cannot rebind to another module)."""
    if not isinstance(node.value, ast.Name):
        return False
    bound = ctx.imports.bindings.get(node.value.id)
    return bound is not None and bound != node.value.id


def _relevant_old_arguments(entry: dict) -> set[str]:
    names = set(entry["renamed"]) | set(entry["defaults"])
    for group in entry["hook_params"]:
        names |= set(group["keys"].values())
    return names


def _default_args_reasons(
    tree: ast.Module,
    plans: dict[str, ClassPlan],
    ctx: FileContext,
    old_arguments: Callable[[dict], set[str]],
) -> dict[str, list[str]]:
    """default_args given to 1.10 operators fill their own arguments (`postgres_conn_id`): when
    the file may carry one of the old arguments that way, the rewrite would lose it."""
    if not plans:
        return {}
    keys = _possible_default_args_keys(tree)
    reasons: dict[str, list[str]] = {}
    for qualified, plan in plans.items():
        found = sorted(old_arguments(plan.entry) & keys)
        if found:
            reasons[qualified] = [
                f"`{found[0]}` is a dict key in this file (default_args?): "
                f"1.10 applied it to the operator, `{_class_name(plan.entry['replacement'])}` would not; "
                "move it into the calls, then fix"
            ]
    return reasons


def _possible_default_args_keys(tree: ast.Module) -> set[str]:
    """Strings that may be keys of a default_args dict: dict-literal keys, subscript keys
    (`args["x"] = ...`, `args.update(...)` of those) and `dict(x=...)` keywords."""
    keys: set[str] = set()
    for node in walk(tree):
        if isinstance(node, ast.Dict):
            keys.update(
                k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)
            )
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            if isinstance(node.slice.value, str):
                keys.add(node.slice.value)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
            keys.update(k.arg for k in node.keywords if k.arg)
    return keys


def plan_call(
    call: ast.Call,
    provider_cls: str,
    entry: dict,
    constants: dict[str, ast.expr],
    lines: list[bytes],
    bridge: bool = False,
) -> CallPlan:
    """`bridge`: the call must also build the same task on 1.10.15, where the name is bound to
    the old class (a guarded import pair): see `_bridge_default_args`."""
    plan = CallPlan(call)
    old = _class_name(provider_cls)
    facts = origin_facts(entry)
    new_facts = entry["replacement_facts"]
    if facts is None:
        plan.blocked = f"no single 1.10 `{old}` to keep the behaviour of: rewrite by hand"
        return plan
    if call.args:
        plan.blocked = "positional arguments: pass them by keyword first"
        return plan
    if any(k.arg is None for k in call.keywords):
        plan.blocked = "`**kwargs` may hold arguments of the old class: rewrite by hand"
        return plan
    given = {k.arg: k for k in call.keywords if k.arg}
    if bridge:
        plan.blocked = _bridge_blocker(given, entry, constants)
        if plan.blocked:
            return plan
    unmapped = sorted(set(given) & set(entry["unmapped"]))
    if unmapped:
        plan.blocked = f"`{unmapped[0]}` has no mapping in the provider's own {old} code: rewrite by hand"
        return plan
    new_templated = set(new_facts["template_fields"]) - set(facts["template_fields"])
    extensions = new_facts["template_ext"]
    insert: list[str] = []
    # renamed arguments, and their defaults written out
    for old_name, new_name in entry["renamed"].items():
        if new_name in given and old_name in given:
            plan.blocked = f"both `{old_name}` and `{new_name}` given"
            return plan
        if old_name in given:
            keyword = given[old_name]
            edit = _rename_keyword(keyword, new_name, lines)
            if edit is None:
                plan.blocked = f"cannot locate `{old_name}=` in the source"
                return plan
            plan.edits.append(edit)
            if new_name in new_templated and not template_inert(keyword.value, constants, extensions):
                plan.unsafe.append(f"`{new_name}` is rendered with Jinja by the replacement")
        elif new_name not in given:
            default = facts["parameters"].get(old_name, entry["defaults"].get(old_name))
            insert.append(f"{new_name}={_in_file_quotes(default, call, lines)}")
    # hook_params keys
    for group in entry["hook_params"]:
        present = [name for name in group["keys"].values() if name in given]
        if not present:
            continue
        if "hook_params" in given:
            plan.blocked = f"`{present[0]}` and `hook_params` given: merge them by hand"
            return plan
        if group["when"] == "any":
            if not _plan_merge(plan, group, present, given, facts, constants, extensions, new_templated):
                return plan
            continue
        if len(group["keys"]) != 1:
            plan.blocked = (
                f"`{present[0]}` becomes part of `hook_params` together with "
                f"{', '.join(sorted(group['keys'].values()))}: rewrite by hand"
            )
            return plan
        ((key, name),) = group["keys"].items()
        keyword = given[name]
        known, value = literal_value(keyword.value, constants)
        if known and value is None:
            continue  # the old class ignored None; the replacement's own `database=None` is its default
        edits = _wrap_in_dict(keyword, "hook_params", key, lines)
        if edits is None:
            plan.blocked = f"cannot locate `{name}=` in the source"
            return plan
        plan.edits.extend(edits)
        if "hook_params" in new_templated and not template_inert(keyword.value, constants, extensions):
            plan.unsafe.append("`hook_params` is rendered with Jinja by the replacement")
    # other arguments the replacement templates and 1.10 did not
    for name, keyword in given.items():
        if name in new_templated and name not in entry["renamed"].values():
            if not template_inert(keyword.value, constants, extensions):
                plan.unsafe.append(f"`{name}` is rendered with Jinja by the replacement")
    # defaults that changed between the 1.10 class and the replacement
    mapped_away = set(entry["renamed"]) | {n for g in entry["hook_params"] for n in g["keys"].values()}
    for name, default in sorted(facts["parameters"].items()):
        if name in given or name in mapped_away or not default:
            continue
        new_default = new_facts["parameters"].get(name, "")
        if name in new_facts["parameters"] and new_default is not None and new_default != default:
            insert.append(f"{name}={_in_file_quotes(default, call, lines)}")
    # XCom: 1.10's execute returned nothing
    if facts["returns_value"] is False and new_facts["returns_value"]:
        keyword = given.get("do_xcom_push")
        if keyword is None:
            insert.insert(0, "do_xcom_push=False")
        else:
            known, value = literal_value(keyword.value, {})
            if not (known and value is False):
                edit = _replace_value(keyword, "False", lines)
                if edit is None:
                    plan.blocked = "`do_xcom_push` spans lines: set it to False by hand"
                    return plan
                plan.edits.append(edit)
    if bridge:
        carried = _bridge_default_args(given, entry, lines)
        if carried is None:
            plan.blocked = "bridge: an argument's value spans lines: rewrite by hand"
            return plan
        if carried:
            insert.append(carried)
    if insert:
        plan.edits.append(_insert_before_arguments(call, ", ".join(insert), lines))
    return plan


SQL_CATALOG = Catalog(CODE, provider_class, replacements, _sql_plan_call, _relevant_old_arguments)


@cache
def _old_arguments_into(replacement: str) -> frozenset[str]:
    """Arguments of removed classes that their replacement names otherwise and does not take."""
    names = set()
    for entry in replacements().values():
        if entry["replacement"] == replacement:
            names |= set(entry["renamed"]) - set(entry["replacement_facts"]["parameters"])
    return frozenset(names)


# ----- bridge mode (`fix --bridge`): the same call on 1.10.15 and the target -----
#
# On 1.10.15 the replacement's name is bound to the old class (the import becomes a guarded
# pair). 1.10's BaseOperator ignores keywords it does not know (with a warning): the
# replacement's `conn_id=` and `do_xcom_push=False` (1.10's execute pushed nothing) change
# nothing there. An old argument the call gave (`postgres_conn_id=`) is passed to the old
# class through the task's `default_args`: both versions fill from default_args only the
# parameters an operator's `__init__` declares (1.10.15 and 2.x `apply_defaults`), so the
# replacement, which does not declare it, ignores it.


def _bridge_blocker(
    given: dict[str, ast.keyword], entry: dict, constants: dict[str, ast.expr]
) -> Optional[str]:
    if "default_args" in given:
        return (
            "bridge: the call has its own `default_args`, which the old arguments would join: rewrite by hand"
        )
    new_parameters = entry["replacement_facts"]["parameters"]
    for old_name in entry["renamed"]:
        if old_name not in given:
            continue
        if old_name in new_parameters:
            return f"bridge: `{_class_name(entry['replacement'])}` takes `{old_name}` too: rewrite by hand"
        value = given[old_name].value
        if not (_pure(value) or literal_value(value, constants)[0]):
            return f"bridge: the value of `{old_name}` would be computed twice: bind it to a name first"
    for group in entry["hook_params"]:
        present = [name for name in group["keys"].values() if name in given]
        if present and not all(
            literal_value(given[name].value, constants) == (True, None) for name in present
        ):
            return f"bridge: `{present[0]}` becomes a `hook_params` key, which 1.10.15 does not know: rewrite by hand"
    return None


def _pure(node: ast.expr) -> bool:
    """A name or a dotted name: reading it twice gives the same value."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def _bridge_default_args(given: dict[str, ast.keyword], entry: dict, lines: list[bytes]) -> Optional[str]:
    """`default_args={"postgres_conn_id": <its value>}` for the old arguments the call gave
    ("" when none), None when a value's text spans lines."""
    items = []
    for old_name in entry["renamed"]:
        if old_name not in given:
            continue
        value = given[old_name].value
        if value.end_lineno != value.lineno:
            return None
        text = lines[value.lineno - 1][value.col_offset : value.end_col_offset].decode("utf-8")
        items.append(f"{json.dumps(old_name)}: {text}")
    return f"default_args={{{', '.join(items)}}}" if items else ""


def _plan_merge(plan, group, present, given, facts, constants, extensions, new_templated) -> bool:
    """`if any([warehouse, database, ...]): kwargs["hook_params"] = {"warehouse": warehouse, ...}`
    (SnowflakeOperator): the call's arguments of the group become one `hook_params` dict with
    every key of the group (None for the ones not given), or go when none is set."""
    missing = [name for name in present if name not in facts["parameters"]]
    if missing:
        plan.blocked = f"`{missing[0]}` was no argument of the 1.10 class: remove it first (AU161)"
        return False
    values = [literal_value(given[name].value, constants) for name in present]
    if any(given[name].value.lineno != given[name].value.end_lineno for name in present):
        plan.blocked = "a value of the `hook_params` group spans lines: rewrite by hand"
        return False
    if all(known for known, _ in values):
        mode = "dict" if any(value for _, value in values) else "drop"
    else:
        mode = "dict"
        plan.unsafe.append(
            f"the provider set `hook_params` only when one of {', '.join(present)} is set, known here only at run time"
        )
    if mode == "dict" and "hook_params" in new_templated:
        if not all(template_inert(given[name].value, constants, extensions) for name in present):
            plan.unsafe.append("`hook_params` is rendered with Jinja by the replacement")
    plan.merges.append((mode, tuple(group["keys"].items()), frozenset(present)))
    return True


@cache  # per name a file binds (`import a.b as m`, `from a import b`); files bind the same ones
def _module_holds_class(provider_class, replacements, bound: str) -> bool:
    """A use `m.PostgresOperator` of the module bound as `m` would be one of the catalog's
    removed classes (provider_class, replacements: the catalog's lookup and table)."""
    return any(provider_class(f"{bound}.{_class_name(p)}") for p in replacements())


def _in_file_quotes(literal: str, call: ast.Call, lines: list[bytes]) -> str:
    """A string default written with the quotes the call's own strings use."""
    value = ast.literal_eval(literal)
    if not isinstance(value, str):
        return literal
    for keyword in call.keywords:
        node = keyword.value
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.lineno == node.end_lineno:
            if lines[node.lineno - 1][node.col_offset : node.col_offset + 1] == b'"':
                return json.dumps(value)
            break
    return repr(value)


# ----- byte edits (all within one line) -----


def _rename_keyword(keyword: ast.keyword, new: str, lines: list[bytes]) -> Optional[ByteEdit]:
    old = (keyword.arg or "").encode()
    line = lines[keyword.lineno - 1]
    if line[keyword.col_offset : keyword.col_offset + len(old)] != old:
        return None
    return (keyword.lineno, keyword.col_offset, keyword.col_offset + len(old), new.encode())


def _wrap_in_dict(
    keyword: ast.keyword, new_name: str, key: str, lines: list[bytes]
) -> Optional[list[ByteEdit]]:
    """`name=value` -> `new_name={"key": value}`."""
    rename = _rename_keyword(keyword, new_name, lines)
    value = keyword.value
    if rename is None or value.end_lineno is None or value.end_col_offset is None:
        return None
    return [
        rename,
        (value.lineno, value.col_offset, value.col_offset, f"{{{json.dumps(key)}: ".encode()),
        (value.end_lineno, value.end_col_offset, value.end_col_offset, b"}"),
    ]


def _replace_value(keyword: ast.keyword, new: str, lines: list[bytes]) -> Optional[ByteEdit]:
    value = keyword.value
    if value.end_lineno != value.lineno or value.end_col_offset is None:
        return None
    return (value.lineno, value.col_offset, value.end_col_offset, new.encode())


def _insert_before_arguments(call: ast.Call, text: str, lines: list[bytes]) -> ByteEdit:
    """Before the first keyword (`f(a=1)` -> `f(new, a=1)`), or right after `(` when there is none."""
    if call.keywords:
        first = call.keywords[0]
        return (first.lineno, first.col_offset, first.col_offset, f"{text}, ".encode())
    end_line, end_col = call.end_lineno or call.lineno, (call.end_col_offset or 1) - 1  # the `)`
    return (end_line, end_col, end_col, text.encode())


# ----- what AU101 asks -----


def import_renames(ctx: FileContext) -> dict[str, str]:
    """For AU101: imported removed classes -> where their import goes on this run.

    Every use rewritten: the replacement (`...postgres_operator.PostgresOperator` ->
    `...sql.SQLExecuteQueryOperator`). Otherwise the name itself (= stays): its provider
    module on the target no longer holds it, and AU160 reports why the uses stay.
    """
    renames = {}
    for catalog in _catalogs():
        if catalog.code not in ctx.selected_codes:
            continue
        for qualified, plan in plan_file(ctx, catalog).items():
            fixing = ctx.options.fix and plan.safety is not None and ctx.may_fix(plan.safety, catalog.code)
            if fixing:
                renames[qualified] = plan.entry["replacement"]
            elif catalog.pins_import:
                renames[qualified] = qualified
    return renames


class ReplacedOperator(Rule):
    code = CODE
    name = "replaced-operator"
    summary = (
        "Rewrite operators later providers removed for a generic one "
        "(PostgresOperator/MySqlOperator/... -> SQLExecuteQueryOperator), with the provider's own argument mapping"
    )
    tokens = (b"Operator",)
    min_target = (2, 0)
    fix = SAFE
    # Bridge mode: the call is written so that it builds the same task with the old class on
    # 1.10.15 (see `_bridge_default_args`); closing the bridge drops the default_args it added.
    bridge_compatible = True
    node_types = (ast.Module, ast.Call)
    # The plan (plan_file) leaves version-aware imports alone itself; the calls of a removed
    # class are rewritten wherever they are, so that every use goes with its import.
    in_import_guards = True

    def check(self, node: ast.AST) -> Iterator[Finding]:
        if isinstance(node, ast.Module):  # the first node walked: the whole file's plan
            for plan in plan_file(self.ctx).values():
                yield from self._findings(plan)
        elif self.ctx.options.close_bridge:
            yield from self._close_bridge(node)  # type: ignore[arg-type]

    def _close_bridge(self, call: ast.Call) -> Iterator[Finding]:
        """`SQLExecuteQueryOperator(..., default_args={"postgres_conn_id": ...}, ...)` as bridge
        mode wrote it: once 1.10 is gone the dict only carries arguments the replacement ignores."""
        keyword = next((k for k in call.keywords if k.arg == "default_args"), None)
        if keyword is None or not isinstance(keyword.value, ast.Dict) or not keyword.value.keys:
            return
        qualified = self.ctx.imports.qualified_name(call.func) or ""
        home = provider_class(qualified)
        replacement = replacements()[home]["replacement"] if home else qualified
        if home and not (isinstance(call.func, ast.Name) and call.func.id == _class_name(replacement)):
            return  # the old class itself, not the name of a bridge pair
        old_names = _old_arguments_into(replacement)
        keys = [k.value if isinstance(k, ast.Constant) else None for k in keyword.value.keys]
        if not old_names or not all(key in old_names for key in keys):
            return
        following = [
            k for k in call.keywords if (k.lineno, k.col_offset) > (keyword.lineno, keyword.col_offset)
        ]
        line = self.ctx.lines[keyword.lineno - 1]
        if (
            not following
            or following[0].lineno != keyword.lineno
            or line[keyword.col_offset :].startswith(b"**")
        ):
            return
        yield Finding(
            keyword,
            f"closing the bridge: `{_class_name(replacement)}` ignores these default_args, the old class's "
            "arguments bridge mode passed on Airflow 1.10: remove them",
            Fix.safe(Edit(keyword.lineno, keyword.col_offset, following[0].col_offset, b"")),
            end=keyword.value,
        )

    def _findings(self, plan: ClassPlan) -> Iterator[Finding]:
        entry = plan.entry
        old = _class_name(plan.provider_class)
        new = _class_name(entry["replacement"])
        dist = _providers.dist_of(plan.provider_class) or ""
        removed = entry["removed_in"].split()[-1]
        last = entry["provider"].split()[-1]
        gone = f"`{old}` is not in {chosen_releases(self.ctx).label(dist)} (removed in {removed}, last in {last})"
        # the import moves with the calls: AU101's part of the fix
        with_import = "AU101" in self.ctx.selected_codes
        for node, reason in plan.blockers:
            if node is None:
                node = plan.calls[0].call if plan.calls else None
            if node is not None:
                yield Finding(node, f"{gone}; use `{entry['replacement']}`: {reason}")
        for call in plan.calls:
            if call.blocked:
                message = f"{gone}; `{new}` replaces it, but this call cannot be rewritten: {call.blocked}"
                yield Finding(call.call, message, end=call.call.func)
                continue
            if not plan.fixable:
                continue  # another use of the class keeps its import: reported there
            mapping = [f"{a} -> {b}" for a, b in entry["renamed"].items()]
            mapping += [
                f"{a} -> hook_params[{k!r}]" for g in entry["hook_params"] for k, a in g["keys"].items()
            ]
            message = f"{gone}: use `{new}` with the provider's own mapping ({', '.join(mapping)})"
            if call.unsafe:
                message += f"; unsafe: {'; '.join(call.unsafe)}"
            assert plan.safety is not None
            if not with_import:
                yield Finding(call.call, message, end=call.call.func, label=plan.safety)
                continue
            changes: list = [Edit(*edit) for edit in call.edits]
            if call.merges:
                changes.append(Rewrite(call.call, _merging(call.merges)))
            yield Finding(call.call, message, Fix(plan.safety, tuple(changes)), end=call.call.func)


def _merging(
    merges: list[tuple[str, tuple[tuple[str, str], ...], frozenset[str]]],
) -> Callable[[cst.Call], cst.Call]:
    """The call with each hook_params group merged (see _plan_merge)."""

    def transform(call: cst.Call) -> cst.Call:
        args = call.args
        for mode, keys, given in merges:
            args = _merged_args(args, mode, keys, given)
        return call.with_changes(args=args)

    return transform


def _merged_args(args, mode: str, keys: tuple[tuple[str, str], ...], given: frozenset[str]) -> list[cst.Arg]:
    """The group's arguments replaced by one `hook_params={...}` (at the first one's place),
    or removed ("drop": none of them was set)."""
    by_name = {a.keyword.value: a for a in args if a.keyword is not None}
    first = next(a for a in args if a.keyword is not None and a.keyword.value in given)
    elements = []
    for index, (key, name) in enumerate(keys):
        value = by_name[name].value if name in given else cst.Name("None")
        comma = (
            cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            if index < len(keys) - 1
            else cst.MaybeSentinel.DEFAULT
        )
        elements.append(cst.DictElement(cst.SimpleString(json.dumps(key)), value, comma=comma))
    merged = first.with_changes(keyword=cst.Name("hook_params"), value=cst.Dict(elements))
    swapped = [merged if a is first else a for a in args]
    doomed = {id(a) for a in args if a.keyword is not None and a.keyword.value in given and a is not first}
    if mode == "drop":
        doomed.add(id(merged))
    return remove_elements(swapped, lambda a: id(a) in doomed)
