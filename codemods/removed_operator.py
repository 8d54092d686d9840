"""AU163: calls of operators the target's provider release removed whose documented
replacement takes one structure instead of their arguments.

`BigQueryOperator(sql=..., destination_dataset_table=..., use_legacy_sql=False)`: 1.10's class
became the google provider's `BigQueryExecuteQueryOperator`, removed in google 11.0; the
provider named `BigQueryInsertJobOperator` as its replacement, which takes one BigQuery job
resource (`configuration={"query": {...}}`). `S3PrefixSensor(prefix=...)` was removed in
amazon 5.0 for `S3KeySensor(bucket_key=...)`.

The call is rewritten with the mapping the last release holding the class applied in its
own code, read from that wheel by scripts/gen_operator_replacements.py
(codemods/_generated/structural_replacements.json), never typed here:
- google 10.26.0: the job resource `BigQueryHook.run_query` built, step by step as its code
  did: its own rewrites of the arguments (`priority or self.priority`, `list(schema_update_options
  or [])`, the destination table split into projectId/datasetId/tableId), its list of
  (argument, configuration key, default, type) tuples with the "unset" rule `in [None, {}, ()]`
  and the type check, the keys it set next to `destinationTable`, and `labels` /
  `destinationEncryptionConfiguration` after it. The connection (`gcp_conn_id`, `bigquery_conn_id`
  renamed by the provider's own deprecation code) and `location` stay arguments; 1.10's
  default connection (`bigquery_default`) is written out when the call gave none.
- amazon 4.1.0: `bucket_key=[p if p.endswith(delimiter) else p + delimiter for p in prefixes]`.

Every value the mapping needs must be known at fix time (a literal or a module constant); the
query itself may be computed (a string the provider's class required). Anything else keeps
the report, which then says which argument blocks the rewrite: a `dataset.table` destination
(the old hook took the project from the connection at run time), Jinja in a value the old code
split or extended, an argument the old class's code did not map (`job_id`,
`api_resource_configs`, `impersonation_scopes`, 1.10's `bql`), a value the old hook refused
(its type list, or a run-time check: run_query's `if ...: raise` tests, read from the wheel and
evaluated on the call's literals: `schema_update_options` without an appending disposition),
positional arguments or `**kwargs`, any use of the class other than a call, a dict key of the
file that default_args may have given the old class. As for AU160, the import moves (AU101)
only when every use of the class in the file is rewritten, also through its module
(`from airflow.contrib.operators import bigquery_operator` -> `... import bigquery as
bigquery_operator`). The replacement renders `configuration` with Jinja recursively; values
the old class rendered too (the query, the destination, labels) render the same.

## Why
The import fails on the target; the call must be rewritten for the replacement.

## Example
```python target=2 select=AU101,AU163
from airflow.contrib.operators.bigquery_operator import BigQueryOperator

q = BigQueryOperator(task_id="q", sql="select 1", use_legacy_sql=False, gcp_conn_id="gcp", dag=dag)
```
Use instead:
```python
from airflow.providers.google.cloud.operators.bigquery import BigQueryInsertJobOperator

q = BigQueryInsertJobOperator(task_id="q", configuration={"query": {"query": "select 1", "priority": "INTERACTIVE", "useLegacySql": False, "schemaUpdateOptions": []}}, gcp_conn_id="gcp", dag=dag)
```

## Fix safety
Unsafe (`--unsafe-fixes`), never safe: the replacement is another class. It names the job
itself (`airflow_<dag>_<task>_<date>_<hash>`, a new one per try: `force_rerun`), pushes its own
link XComs, may defer (`[operators] default_deferrable`), and the connection's extras
(`use_legacy_sql`, `labels`, `location`, `api_resource_configs`) that the old hook read no
longer shape the job. `S3KeySensor` with amazon 4.x's mapping waits for an object named
`<prefix>/` (what amazon 4.x's S3PrefixSensor did); 1.10's S3PrefixSensor waited for any key
under the prefix: check each rewritten sensor. Bridge mode leaves these calls.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional

from codemods import _providers
from codemods._base import UNSAFE, Finding, Fix, Rewrite, Rule
from codemods._context import FileContext
from codemods._edit import remove_elements
from codemods._generated import tables as _tables
from codemods._target_signature import accepted_on_target, chosen_releases, renamed_in_history
from codemods.replaced_operator import (
    CallPlan,
    Catalog,
    literal_value,
    plan_file,
    provider_class,
)

if TYPE_CHECKING:
    import libcst as cst
else:
    from codemods._libcst import cst

CODE = "AU163"
DATA = Path(__file__).resolve().parent / "_generated" / "structural_replacements.json"
_JINJA_MARKERS = ("{{", "{%", "{#")
_EMPTY = (None, {}, ())  # run_query's `param in [None, {}, ()]`: unset


@cache
def structural() -> dict[str, dict]:
    return json.loads(DATA.read_text())["replacements"]


def structural_class(qualified: str) -> Optional[str]:
    """The removed class of the generated structural mappings that a 1.10 (or provider) name
    stands for: directly, through the 2.0 tables, or through a deprecated alias module's
    name (amazon 4.x `sensors.s3_prefix.S3PrefixSensor` re-exported `sensors.s3`'s)."""
    table = structural()
    home = _tables.IMPORT_RENAMES["2.0"].get(qualified, qualified)
    if home in table:
        return home
    found = _providers.replacement(home) if _providers.known(home) else None
    if found and found[0] in table and found[0].rpartition(".")[2] == home.rpartition(".")[2]:
        return found[0]
    return None


# ----- planning a call -----


class _Blocked(Exception):
    """Why a call is not rewritten (the finding says it)."""


class _Value:
    """An argument's value as the old class's code saw it: `known` (a literal, or a module
    constant bound to one) and `value`; `keyword`: the call's own keyword when the value is
    the argument exactly as written (the rewrite then keeps its source); `parameter`: the old
    class's parameter it came from (None for a default of the hook or run_query)."""

    def __init__(self, known: bool, value: Any, keyword: Optional[ast.keyword] = None, parameter=None):
        self.known, self.value, self.keyword, self.parameter = known, value, keyword, parameter

    def derived(self, value: Any) -> _Value:
        return _Value(True, value, None, self.parameter)


class StructuralCallPlan(CallPlan):
    """A call plan whose rewrite is one LibCST transform of the call."""

    transform: Optional[Callable[[cst.Call], cst.Call]] = None


def plan_structural_call(call, home, entry, constants, ctx, through_module) -> CallPlan:
    plan = StructuralCallPlan(call)
    try:
        if call.args:
            raise _Blocked("positional arguments: pass them by keyword first")
        if any(k.arg is None for k in call.keywords):
            raise _Blocked("`**kwargs` may hold arguments of the old class: rewrite by hand")
        planner = _job_configuration if entry["shape"] == "job_configuration" else _key_list
        plan.transform, reasons = planner(call, home, entry, constants, ctx)
        plan.unsafe.extend(reasons)
    except _Blocked as why:
        plan.blocked = str(why)
    return plan


def _origin(entry: dict) -> Optional[dict]:
    """The 1.10 class's facts (all 1.10 spellings agree), else None (a provider name)."""
    facts = list(entry["origins"].values())
    if facts and all(f == facts[0] for f in facts[1:]):
        return facts[0]
    if facts:
        raise _Blocked("no single 1.10 class to keep the behaviour of: rewrite by hand")
    return None


class _Call:
    """The call's arguments by the parameter of the last provider class they stand for."""

    def __init__(self, call: ast.Call, home: str, entry: dict, constants: dict, ctx: FileContext):
        self.call, self.home, self.entry, self.constants, self.ctx = call, home, entry, constants, ctx
        self.old = home.rpartition(".")[2]
        self.parameters: dict = (
            entry["old_facts"]["parameters"] if entry["shape"] == "key_list" else entry["parameters"]
        )
        self.origin = _origin(entry)
        self.by_parameter: dict[str, ast.keyword] = {}
        for keyword in call.keywords:
            name = keyword.arg or ""
            target = name if name in self.parameters else renamed_in_history(home, name)
            if target not in self.parameters:
                if self.origin and name in self.origin["parameters"]:
                    raise _Blocked(
                        f"`{name}` has no counterpart in {entry['provider']}'s {self.old}: rewrite by hand"
                    )
                continue  # BaseOperator's (task_id, dag, retries, ...): passed on as it is
            if target in self.by_parameter:
                raise _Blocked(f"both `{self.by_parameter[target].arg}` and `{name}` given")
            self.by_parameter[target] = keyword  # type: ignore[index]

    def default_text(self, parameter: str) -> Optional[str]:
        """The default the old call had: the 1.10 class's (under its 1.10 name, which the
        provider's own deprecation code renamed: `bigquery_conn_id` -> `gcp_conn_id`), else
        the provider class's."""
        if self.origin is not None:
            for name, default in self.origin["parameters"].items():
                if name == parameter or renamed_in_history(self.home, name) == parameter:
                    return default
        return self.parameters.get(parameter)

    def value(self, parameter: str) -> _Value:
        keyword = self.by_parameter.get(parameter)
        if keyword is not None:
            known, value = literal_value(keyword.value, self.constants)
            return _Value(known, value, keyword, parameter)
        text = self.default_text(parameter)
        if not text:
            raise _Blocked(f"`{parameter}` is required by the old class and not given")
        return _Value(True, ast.literal_eval(text), None, parameter)

    def quote(self) -> str:
        for keyword in self.call.keywords:
            node = keyword.value
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.lineno == node.end_lineno
            ):
                return self.ctx.lines[node.lineno - 1][node.col_offset : node.col_offset + 1].decode()
        return '"'


def _renders_same(
    value: _Value, old_templated: set[str], extensions: list[str], old_extensions: list[str]
) -> bool:
    """The replacement renders every string of the value with Jinja (and reads one ending with
    a template extension as a file): the same as the old class did, or nothing."""
    if not value.known:
        return False
    strings = _strings(value.value)
    if value.parameter in old_templated:
        new = [e for e in extensions if e not in old_extensions]
        return not any(s.endswith(tuple(new)) for s in strings if new)
    return not any(m in s for s in strings for m in _JINJA_MARKERS) and not any(
        s.endswith(tuple(extensions)) for s in strings if extensions
    )


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.items() for part in item for s in _strings(part)]
    if isinstance(value, (list, tuple)):
        return [s for item in value for s in _strings(item)]
    return []


_TYPES = {"str": str, "bool": bool, "list": list, "dict": dict, "int": int, "float": float}


def _of_type(value: Any, text: str) -> Optional[bool]:
    """`isinstance(value, <run_query's type>)`, None when the type is not a builtin."""
    names = [n.strip() for n in text.strip("()").split(",") if n.strip()]
    if not names or any(n not in _TYPES for n in names):
        return None
    return isinstance(value, tuple(_TYPES[n] for n in names))


def _split_table(text: str, argument: str) -> tuple[str, str, str]:
    """`project.dataset.table` / `project:dataset.table` as google 10.26.0's
    BigQueryHook.split_tablename split it; a name without its project took the connection's
    project at run time, which the fix cannot know."""
    if any(m in text for m in _JINJA_MARKERS):
        raise _Blocked(
            f"`{argument}` holds Jinja, rendered at run time before the old hook split it: rewrite by hand"
        )
    if "." not in text or text.count(".") + text.count(":") > 3:
        raise _Blocked(f"`{argument}` is no `project.dataset.table`: rewrite by hand")
    pieces = text.rsplit(":", 1)
    project, rest = None, text
    if len(pieces) == 2 and pieces[0].count(":") <= 1:
        if pieces[-1].count(".") != 2:
            project, rest = pieces
    elif len(pieces) != 1:
        raise _Blocked(f"`{argument}` is no `project.dataset.table`: rewrite by hand")
    parts = rest.split(".")
    if len(parts) == 3 and project is None:
        return parts[0], parts[1], parts[2]
    if len(parts) == 2 and project is not None:
        return project, parts[0], parts[1]
    if len(parts) == 2:
        raise _Blocked(
            f"`{argument}` names no project (`dataset.table`): the old hook took the connection's "
            "project at run time; write `project.dataset.table`, then fix"
        )
    raise _Blocked(f"`{argument}` is no `project.dataset.table`: rewrite by hand")


def _job_configuration(call, home, entry, constants, ctx):
    """The job resource google 10.26.0's BigQueryHook.run_query built from the call's
    arguments, step by step as its code does (the generated `preludes`, `query` list,
    `with_destination` and `after`), and the arguments the replacement takes as they are."""
    args = _Call(call, home, entry, constants, ctx)
    replacement = entry["replacement_facts"]
    new = entry["replacement"].rpartition(".")[2]
    consumed = {*entry["hook_arguments"].values(), *entry["query_arguments"].values()}
    for parameter, keyword in args.by_parameter.items():
        if parameter not in consumed:
            raise _Blocked(
                f"`{keyword.arg}`: {entry['provider']}'s {args.old} did not pass it to the job, `{new}` would use it"
            )
    old_facts = args.origin or entry["old_facts"]
    old_templated = set(old_facts["template_fields"])
    extensions, old_extensions = replacement["template_ext"], old_facts["template_ext"]
    reasons = [
        f"`{new}` is another class: it names the job itself (`airflow_<dag>_<task>_..._<hash>`), "
        "pushes its own links to XCom and may defer (`[operators] default_deferrable`)"
    ]
    extras: set[str] = set()

    def hook_value(attribute: str) -> _Value:
        if attribute in entry["connection_fields"]:
            extras.add(entry["connection_fields"][attribute])
        if attribute in entry["hook_arguments"]:
            return args.value(entry["hook_arguments"][attribute])
        text = entry["hook_defaults"].get(attribute)
        if text is None:
            raise _Blocked(f"the old hook's `{attribute}` is computed: rewrite by hand")
        return _Value(True, ast.literal_eval(text))

    # the arguments the replacement takes under the same name (the connection, the location)
    same_name: list[tuple[str, Optional[ast.keyword], Optional[str]]] = []
    for hook_parameter, parameter in entry["hook_arguments"].items():
        used = any(d[2][:2] == ["hook", hook_parameter] for d in entry["query"]) or any(
            p[1:] == [hook_parameter] for p in entry["preludes"].values()
        )
        if hook_parameter in replacement["parameters"]:
            if hook_parameter in entry["connection_fields"]:
                extras.add(entry["connection_fields"][hook_parameter])
            keyword = args.by_parameter.get(parameter)
            written = None
            if keyword is None:
                text = args.default_text(parameter)
                if text and text != replacement["parameters"].get(hook_parameter):
                    written = _source(ast.literal_eval(text), args.quote())
            value = args.value(parameter)
            if hook_parameter in replacement["template_fields"] and not _renders_same(
                value, old_templated, extensions, old_extensions
            ):
                reasons.append(f"`{hook_parameter}` is rendered with Jinja by `{new}`")
            same_name.append((hook_parameter, keyword, written))
        elif not used:
            value = args.value(parameter)
            if not (value.known and value.value is None):
                raise _Blocked(f"`{parameter}`: `{new}` has no such argument")
    # run_query's arguments, then its own rewrites of them
    run: dict[str, _Value] = {}
    for name, text in entry["query_defaults"].items():
        run[name] = _Value(True, ast.literal_eval(text)) if text else _Value(True, None)
    for name, parameter in entry["query_arguments"].items():
        run[name] = args.value(parameter)
    base: dict = {}
    for name, (kind, *detail) in entry["preludes"].items():
        value = run[name]
        if not value.known:
            raise _Blocked(
                f"`{value.parameter}` must be a literal (or a module constant) to be mapped: rewrite by hand"
            )
        if kind == "or_hook":
            run[name] = value if value.value else hook_value(detail[0])
        elif kind == "list_or_empty":
            run[name] = value if isinstance(value.value, list) else value.derived(list(value.value or []))
        elif kind == "none_to_empty":
            run[name] = value.derived({}) if value.value is None else value
        elif kind == "falsy_hook":
            if value.value:
                raise _Blocked(f"`{value.parameter}` is merged into the job by the old hook: rewrite by hand")
            base = dict(hook_value(detail[0]).value or {})
        elif kind == "wrap":
            run[name] = value.derived({detail[0]: value.value}) if value.value else value
        elif kind == "split_table":
            if value.value:
                if not isinstance(value.value, str):
                    raise _Blocked(f"`{value.parameter}` is no string: rewrite by hand")
                parts = _split_table(value.value, value.parameter or name)
                run[name] = value.derived({key: parts[index] for key, index in detail[0]})
        else:
            raise _Blocked(
                f"the old hook rewrites `{name}` in a way this rule does not know: rewrite by hand"
            )
    constants = {k: _Value(True, ast.literal_eval(v)) for k, v in entry.get("run_time_constants", {}).items()}
    for tests, named in entry.get("run_time_checks", ()):
        # run_query raised where these tests held: an argument the call gives that they name
        # must provably not get there, since the replacement makes no such check (a value known
        # only at run time was accepted above only where None failed both)
        given = [n for n in named if entry["query_arguments"].get(n) in args.by_parameter and run[n].known]
        if given and _all_hold(tests, {**constants, **run}) is not False:
            raise _Blocked(
                f"`{run[given[0]].parameter or given[0]}`: the old hook checked it at run time "
                f"(`if {' and '.join(tests)}: raise ...`), `{new}` does not: rewrite by hand"
            )
    configuration: dict = {**base, "query": dict(base.get("query", {}))}
    query = configuration["query"]
    with_key, with_pairs = entry["with_destination"]
    destination = (
        args.value(entry["query_arguments"].get("destination_dataset_table", ""))
        if "destination_dataset_table" in entry["query_arguments"]
        else None
    )
    for name, key, default, kind in entry["query"]:
        value = run.get(name, _Value(True, None))
        if key not in query and value.known and value.value in _EMPTY:
            if key in entry["computed_defaults"]:
                mark = entry["computed_defaults"][key][1]
                if (
                    destination is not None
                    and isinstance(destination.value, str)
                    and mark in destination.value
                ):
                    raise _Blocked(
                        f"`{mark}` in the destination table: the old hook added a time partitioning: rewrite by hand"
                    )
                continue  # the helper gives the (unset) argument back
            if default[0] == "literal":
                value = _Value(True, ast.literal_eval(default[1]))
            elif default[0] == "hook":
                value = hook_value(default[1])
        if value.known and value.value in _EMPTY:
            continue
        if not value.known:
            # a value known only at run time: as the old hook set it when it is a string the
            # provider's class required (None failed the old call too; another type its check)
            required = args.parameters.get(value.parameter or "") == ""
            if not (required and _of_type("", kind)):
                raise _Blocked(
                    f"`{value.parameter}` must be a literal (or a module constant) to be mapped: rewrite by hand"
                )
            if [e for e in extensions if e not in old_extensions]:
                reasons.append(
                    f"`{value.parameter}` is read as a template file by `{new}` if it ends with a new template extension"
                )
        elif _of_type(value.value, kind) is False:
            raise _Blocked(f"`{value.parameter}`: the old hook refused this value (it must be `{kind}`)")
        query[key] = value
        if key == with_key:
            for with_name, with_parameter in with_pairs:
                query[with_name] = run[with_parameter]
                if not run[with_parameter].known:
                    raise _Blocked(
                        f"`{run[with_parameter].parameter}` must be a literal (or a module constant) to be mapped"
                    )
    for name, path in entry["after"]:
        value = run[name]
        if not value.known:
            raise _Blocked(
                f"`{value.parameter}` must be a literal (or a module constant) to be mapped: rewrite by hand"
            )
        if value.value:
            target = configuration
            for step in path[:-1]:
                target = target.setdefault(step, {})
            target[path[-1]] = value
    for value in _leaves(configuration):
        if value.known and not _renders_same(value, old_templated, extensions, old_extensions):
            reasons.append(f"`{value.parameter}` is rendered with Jinja by `{new}` (its `configuration`)")
    if extras:
        reasons.append(
            "the connection's extras ("
            + ", ".join(f"`{e}`" for e in sorted(extras))
            + ") no longer shape the job"
        )
    taken = {k.arg for k in call.keywords if k.arg and args.by_parameter.get(_param_of(args, k.arg)) is k}
    renamed = {kw.arg: hp for hp, kw, _ in same_name if kw is not None and kw.arg != hp}
    kept = {kw.arg for _, kw, _ in same_name if kw is not None}
    consumed_keywords = {name for name in taken if name not in kept}
    written = [(hp, text) for hp, _, text in same_name if text is not None]
    quote = args.quote()
    return _rewriting("configuration", configuration, consumed_keywords, renamed, written, quote), reasons


class _Unknown(Exception):
    """A part of a generated run-time test that the call's literal values do not decide."""


_COMPARISONS: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
    ast.Is: lambda a, b: a is b,
    ast.IsNot: lambda a, b: a is not b,
}


_PURE_FUNCTIONS: dict[str, Callable[[Any], Any]] = {"set": set, "len": len, "bool": bool}
_PURE_SET_METHODS = ("issubset", "issuperset")


def _all_hold(tests: list[str], run: dict[str, _Value]) -> Optional[bool]:
    """False when one test fails for the call's values, True when all hold, else None."""
    results = [_holds(test, run) for test in tests]
    return False if False in results else (None if None in results else True)


def _holds(test: str, run: dict[str, _Value]) -> Optional[bool]:
    """Whether the provider's test (its source, from the generated data) holds for the call's
    values; None when the values do not decide it (a computed value, a call, another name)."""
    try:
        return bool(_evaluate(ast.parse(test, mode="eval").body, run))
    except _Unknown:
        return None


def _evaluate(node: ast.expr, run: dict[str, _Value]) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        value = run.get(node.id)
        if value is None or not value.known:
            raise _Unknown(node.id)
        return value.value
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_evaluate(element, run) for element in node.elts]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return not _evaluate(node.operand, run)
    if isinstance(node, ast.BoolOp):  # evaluated left to right and cut short, as Python does
        result: Any = None
        for operand in node.values:
            result = _evaluate(operand, run)
            if bool(result) == isinstance(node.op, ast.Or):
                return result
        return result
    if isinstance(node, ast.Call) and not node.keywords and len(node.args) == 1:
        argument = _evaluate(node.args[0], run)
        try:
            if isinstance(node.func, ast.Name) and node.func.id in _PURE_FUNCTIONS:
                return _PURE_FUNCTIONS[node.func.id](argument)
            if isinstance(node.func, ast.Attribute) and node.func.attr in _PURE_SET_METHODS:
                owner = _evaluate(node.func.value, run)
                if isinstance(owner, (set, frozenset)):
                    return getattr(owner, node.func.attr)(argument)
        except TypeError:
            raise _Unknown(ast.unparse(node)) from None
        raise _Unknown(ast.unparse(node))
    if isinstance(node, ast.Compare):
        left = _evaluate(node.left, run)
        for op, comparator in zip(node.ops, node.comparators):
            compare = _COMPARISONS.get(type(op))
            right = _evaluate(comparator, run)
            if compare is None:
                raise _Unknown(type(op).__name__)
            try:
                if not compare(left, right):
                    return False
            except TypeError:
                raise _Unknown(ast.unparse(node)) from None
            left = right
        return True
    raise _Unknown(ast.unparse(node))


def _param_of(args: _Call, keyword: str) -> str:
    return keyword if keyword in args.parameters else renamed_in_history(args.home, keyword) or keyword


def _leaves(tree) -> Iterator[_Value]:
    if isinstance(tree, _Value):
        yield tree
    elif isinstance(tree, dict):
        for item in tree.values():
            yield from _leaves(item)


def _key_list(call, home, entry, constants, ctx):
    """amazon 4.1.0's S3PrefixSensor: `bucket_key=[p if p.endswith(delimiter) else p + delimiter
    for p in ([prefix] if a string else prefix)]`, passed to S3KeySensor."""
    args = _Call(call, home, entry, constants, ctx)
    new = entry["replacement"].rpartition(".")[2]
    into, items_name, suffix_name = entry["into"], entry["items"], entry["suffix"]
    if into in args.by_parameter:
        raise _Blocked(f"`{into}` given next to `{items_name}`: the old class refused both")
    items, suffix = args.value(items_name), args.value(suffix_name)
    for value in (items, suffix):
        if not value.known:
            raise _Blocked(
                f"`{value.parameter}` must be a literal (or a module constant) to be mapped: rewrite by hand"
            )
    if not isinstance(suffix.value, str) or not suffix.value:
        raise _Blocked(f"`{suffix_name}` is no string: rewrite by hand")
    listed = [items.value] if isinstance(items.value, str) else items.value
    if not isinstance(listed, list) or not all(isinstance(p, str) for p in listed):
        raise _Blocked(f"`{items_name}` is no string or list of strings: rewrite by hand")
    if any(m in p for p in listed for m in _JINJA_MARKERS):
        raise _Blocked(
            f"`{items_name}` holds Jinja, rendered at run time before the delimiter was added: rewrite by hand"
        )
    keys = [p if p.endswith(suffix.value) else p + suffix.value for p in listed]
    reasons = [
        f"`{new}` waits for an object named like each key (as {entry['provider']}'s {args.old} did); "
        f"Airflow 1.10's {args.old} waited for any key under the prefix"
    ]
    old_facts = args.origin or entry["old_facts"]
    replacement = entry["replacement_facts"]
    for keyword in call.keywords:
        name = keyword.arg or ""
        if name in replacement["template_fields"] and name not in old_facts["template_fields"]:
            value = (
                args.value(name)
                if name in args.parameters
                else _Value(*literal_value(keyword.value, constants), keyword, name)
            )
            if not _renders_same(
                value,
                set(old_facts["template_fields"]),
                replacement["template_ext"],
                old_facts["template_ext"],
            ):
                reasons.append(f"`{name}` is rendered with Jinja by `{new}`")
    consumed = {k.arg for k in call.keywords if k.arg in (items_name, suffix_name)}
    return _rewriting(into, [_Value(True, k) for k in keys], consumed, {}, [], args.quote()), reasons


# ----- the rewrite -----


def _source(value: Any, quote: str) -> str:
    """Python source of a literal, strings in the file's quotes."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False) if quote == '"' else repr(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_source(k, quote)}: {_source(v, quote)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_source(v, quote) for v in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(_source(v, quote) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    return repr(value)


def _rewriting(into: str, structure, consumed: set, renamed: dict, written: list, quote: str):
    """The call with the consumed keywords replaced by `into=<structure>` (at the first one's
    place; a value written as the call gave it keeps its source), renamed keywords renamed and
    old defaults written out after it."""

    def transform(call: cst.Call) -> cst.Call:
        sources = {
            a.keyword.value: cst.Module([]).code_for_node(a.value) for a in call.args if a.keyword is not None
        }

        def text(tree) -> str:
            if isinstance(tree, _Value):
                if tree.keyword is not None and tree.keyword.arg in sources:
                    return sources[tree.keyword.arg]
                return _source(tree.value, quote)
            if isinstance(tree, dict):
                return "{" + ", ".join(f"{_source(k, quote)}: {text(v)}" for k, v in tree.items()) + "}"
            return "[" + ", ".join(text(v) for v in tree) + "]"

        new_args: list[cst.Arg] = []
        doomed: set[int] = set()
        placed = False
        for arg in call.args:
            name = arg.keyword.value if arg.keyword is not None else None
            if name in consumed:
                if placed:
                    new_args.append(arg)
                    doomed.add(id(arg))
                    continue
                placed = True
                extra = [
                    cst.Arg(
                        keyword=cst.Name(parameter),
                        value=cst.parse_expression(value),
                        equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
                        comma=arg.comma,
                    )
                    for parameter, value in written
                ]
                comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")) if extra else arg.comma
                new_args.append(
                    arg.with_changes(
                        keyword=cst.Name(into), value=cst.parse_expression(text(structure)), comma=comma
                    )
                )
                for index, added in enumerate(extra):
                    if index < len(extra) - 1:
                        added = added.with_changes(
                            comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                        )
                    new_args.append(added)
            elif name in renamed:
                new_args.append(arg.with_changes(keyword=cst.Name(renamed[name])))
            else:
                new_args.append(arg)
        return call.with_changes(args=remove_elements(new_args, lambda a: id(a) in doomed))

    return transform


def _old_arguments(entry: dict) -> set[str]:
    """Arguments the old class took and the replacement does not: a default_args dict holding
    one filled it on the old class, the rewrite would lose it."""
    names = set(entry["old_facts"]["parameters"])
    for facts in entry["origins"].values():
        names |= set(facts["parameters"])
    return names - set(entry["replacement_facts"]["parameters"])


def _gone(qualified: str, home: str, ctx: FileContext) -> bool:
    """The name the file uses has no home on the target's release (its own 2.0 home, e.g. amazon
    1.x's `sensors.s3_prefix.S3PrefixSensor`, may still be there while the class the structural
    mapping was read from is not)."""
    return removed_with_replacement(qualified, chosen_releases(ctx)) is not None


# AU101 already reports these imports as gone on the target (AU102), naming the replacement
STRUCTURAL_CATALOG = Catalog(
    CODE, structural_class, structural, plan_structural_call, _old_arguments, _gone, pins_import=False
)


# ----- the rule -----


def removed_with_replacement(qualified: str, chosen: _providers.Releases) -> Optional[tuple[str, str, str]]:
    """(provider class, replacement, last release holding it) when the chosen release of its
    provider no longer holds the class a 1.10 (or provider) name stands for, and the last
    release holding it named a replacement of another shape."""
    home = _tables.IMPORT_RENAMES["2.0"].get(qualified, qualified)
    dist = _providers.dist_of(home)
    version = chosen.version(dist) if dist else None
    if version is None or _providers.exists(home, version) or not _providers.known(home):
        return None
    if _providers.home(home, chosen) is not None:
        return None  # a same-shape home exists: AU101 moves it there
    found = _providers.replacement(home)
    if found is None or found[0] is None:
        return None
    use, last = found[0], found[2]
    for _ in range(5):  # an alias module's name points at a deprecated class: follow to its replacement
        dist = _providers.dist_of(use)
        version = chosen.version(dist) if dist else None
        if version is None or _providers.exists(use, version):
            break
        further = _providers.replacement(use)
        if further is None or further[0] is None:
            return None
        use = further[0]
    return home, use, last


class RemovedOperator(Rule):
    code = CODE
    name = "removed-operator"
    summary = (
        "Rewrite (unsafe) or report calls of operators the target's provider release removed in favour "
        "of a class taking one structure (BigQueryOperator -> BigQueryInsertJobOperator(configuration=...))"
    )
    tokens = (b"Operator", b"Sensor")
    fix = UNSAFE
    min_target = (2, 0)
    node_types = (ast.Module, ast.Call)
    in_import_guards = True

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._planned: set[int] = set()  # calls the file's plan reported

    def check(self, node: ast.AST) -> Iterator[Finding]:
        if isinstance(node, ast.Module):  # the first node walked: the whole file's plan
            for plan in plan_file(self.ctx, STRUCTURAL_CATALOG).values():
                yield from self._plan_findings(plan)
            return
        assert isinstance(node, ast.Call)
        if id(node) in self._planned or self.ctx.imports.guarded(node.lineno):
            return
        found = self._report(node)
        if found is not None:
            yield Finding(node, found, end=node.func)

    def _report(self, node: ast.Call, reason: Optional[str] = None) -> Optional[str]:
        """Today's report of a call of a removed class: the release, the replacement, and the
        call's arguments the replacement does not take (or why the call is not rewritten)."""
        qualified = self.ctx.imports.qualified_name(node.func)
        if not qualified or not qualified.startswith("airflow."):
            return None
        if provider_class(qualified) is not None and "AU160" in self.ctx.selected_codes:
            return None  # rewritten (or reported) by AU160 with the provider's own mapping
        chosen = chosen_releases(self.ctx)
        found = removed_with_replacement(qualified, chosen)
        if found is None:
            return None
        home, replacement, last = found
        dist = _providers.dist_of(home) or ""
        following = [r for r in _providers.releases(dist) if _version(r) > _version(last)]
        removed = f"removed in {following[0]}, " if following else ""
        old, new = home.rsplit(".", 1)[-1], replacement.rsplit(".", 1)[-1]
        message = (
            f"`{old}` is not in {chosen.label(dist)} ({removed}last in {last}): rewrite this call for "
            f"`{replacement}`"
        )
        accepted = accepted_on_target(replacement, self.ctx)
        if accepted is not None:
            missing = [k.arg for k in node.keywords if k.arg and k.arg not in accepted]
            if missing:
                message += f"; `{new}` has no " + ", ".join(f"`{name}`" for name in missing)
        if reason:
            message += f"; not rewritten: {reason}"
        return message

    def _plan_findings(self, plan) -> Iterator[Finding]:
        entry = plan.entry
        with_import = "AU101" in self.ctx.selected_codes  # the import moves with the calls
        for node, reason in plan.blockers:
            node = node if node is not None else (plan.calls[0].call if plan.calls else None)
            if node is not None:
                yield Finding(
                    node,
                    f"`{plan.provider_class.rpartition('.')[2]}` is gone on the target; use `{entry['replacement']}`: {reason}",
                )
        for call in plan.calls:
            self._planned.add(id(call.call))
            if call.blocked or not plan.fixable:
                reason = call.blocked or _kept_by(plan)
                message = self._report(call.call, reason)
                if message is not None:
                    yield Finding(call.call, message, end=call.call.func)
                continue
            message = self._report(call.call) or ""
            message = message.split("; `", 1)[0]  # the arguments it lacks are mapped now
            message += (
                f" (rewritten with the mapping of {entry['provider']}'s own code); unsafe: "
                + "; ".join(call.unsafe)
            )
            if not with_import:
                yield Finding(call.call, message, end=call.call.func, label=UNSAFE)
                continue
            yield Finding(
                call.call, message, Fix(UNSAFE, (Rewrite(call.call, call.transform),)), end=call.call.func
            )


def _kept_by(plan) -> Optional[str]:
    """Why a call that could be rewritten is not: another use keeps the class's import."""
    lines = sorted(
        {c.call.lineno for c in plan.calls if c.blocked} | {n.lineno for n, _ in plan.blockers if n}
    )
    if not lines:
        return None
    where = ", ".join(str(line) for line in lines)
    return f"the import stays for the use{'s' if len(lines) > 1 else ''} of the class at line{'s' if len(lines) > 1 else ''} {where}"


def _version(text: str) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in text.split("."))
