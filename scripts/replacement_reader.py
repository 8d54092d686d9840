"""Read, with `ast`, how a deprecated operator class maps its arguments onto its replacement.

A provider that folds an operator into a generic one first keeps the old class as a thin
deprecated subclass whose `__init__` translates the old arguments, e.g. postgres 5.14.0:

    class PostgresOperator(SQLExecuteQueryOperator):
        def __init__(self, *, postgres_conn_id="postgres_default", database=None, runtime_parameters=None, **kwargs):
            if database is not None:
                hook_params = kwargs.pop("hook_params", {})
                kwargs["hook_params"] = {"database": database, **hook_params}
            if runtime_parameters:
                warnings.warn(...)
                ...
            super().__init__(conn_id=postgres_conn_id, **kwargs)

`read_mapping` turns such an `__init__` into data: `postgres_conn_id` is passed on as `conn_id`
(its default too), `database` becomes the `database` key of `hook_params` (the caller's own
`hook_params` keys win), `runtime_parameters` is handled by code this reader does not
recognise and is listed as unmapped (a call passing it cannot be rewritten). Only these shapes
are recognised; any other use of a parameter makes it unmapped, never guessed.

Used by scripts/gen_operator_replacements.py; nothing here imports provider code.
"""

from __future__ import annotations

import ast
from typing import Optional

HOOK_PARAMS = "hook_params"


def literal_text(node: Optional[ast.expr]) -> Optional[str]:
    """Source text of a literal default (`'postgres_default'`, `None`, `False`), else None."""
    if node is None:
        return None
    try:
        ast.literal_eval(node)
    except ValueError:
        return None
    return ast.unparse(node)


def init_of(cls: ast.ClassDef) -> Optional[ast.FunctionDef]:
    for node in cls.body:
        if isinstance(node, ast.FunctionDef) and node.name == "__init__":
            return node
    return None


def parameters(init: ast.FunctionDef) -> dict[str, Optional[str]]:
    """Named parameters (without self) -> literal default text ("" when required, None when not literal)."""
    args = init.args
    positional = [*args.posonlyargs, *args.args]
    defaults: dict[str, Optional[str]] = {}
    padded = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    for arg, default in zip(positional, padded):
        defaults[arg.arg] = "" if default is None else literal_text(default)
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        defaults[arg.arg] = "" if default is None else literal_text(default)
    defaults.pop("self", None)
    return defaults


def _is_super_init(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "__init__"
        and isinstance(node.func.value, ast.Call)
        and isinstance(node.func.value.func, ast.Name)
        and node.func.value.func.id == "super"
    )


def _hook_params_assignment(statements: list[ast.stmt], kwargs_name: str) -> Optional[dict[str, str]]:
    """`hp = kwargs.pop("hook_params", {}); kwargs["hook_params"] = {"key": param, ..., **hp}`
    -> {key: param}, or None when the block is anything else."""
    if len(statements) != 2:
        return None
    pop, store = statements
    if not (
        isinstance(pop, ast.Assign)
        and len(pop.targets) == 1
        and isinstance(pop.targets[0], ast.Name)
        and isinstance(pop.value, ast.Call)
        and ast.unparse(pop.value.func) == f"{kwargs_name}.pop"
        and [literal_text(a) for a in pop.value.args] == [repr(HOOK_PARAMS), "{}"]
    ):
        return None
    popped = pop.targets[0].id
    if not (
        isinstance(store, ast.Assign)
        and len(store.targets) == 1
        and ast.unparse(store.targets[0]) == f"{kwargs_name}[{HOOK_PARAMS!r}]"
        and isinstance(store.value, ast.Dict)
    ):
        return None
    keys: dict[str, str] = {}
    spread_last = False
    for key, value in zip(store.value.keys, store.value.values):
        if key is None:  # `**hp`: the caller's hook_params, which must come last (they win)
            spread_last = isinstance(value, ast.Name) and value.id == popped
            continue
        if spread_last or not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            return None
        if not isinstance(value, ast.Name):
            return None
        keys[key.value] = value.id
    return keys if spread_last else None


def _guard(test: ast.expr) -> Optional[tuple[str, list[str]]]:
    """`p is not None` -> ("not-none", [p]); `any([p, q, ...])` -> ("any", [p, q, ...])."""
    if (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.IsNot)
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    ):
        return "not-none", [test.left.id]
    if (
        isinstance(test, ast.Call)
        and isinstance(test.func, ast.Name)
        and test.func.id == "any"
        and len(test.args) == 1
        and isinstance(test.args[0], (ast.List, ast.Tuple))
        and all(isinstance(e, ast.Name) for e in test.args[0].elts)
    ):
        return "any", [e.id for e in test.args[0].elts]  # type: ignore[attr-defined]
    return None


def read_mapping(cls: ast.ClassDef) -> Optional[dict]:
    """The argument mapping of a deprecated subclass's `__init__`, or None if it has none of
    the recognised shape (no `super().__init__(..., **kwargs)` passing the rest through)."""
    init = init_of(cls)
    if init is None or init.args.kwarg is None:
        return None
    kwargs_name = init.args.kwarg.arg
    params = parameters(init)
    renamed: dict[str, str] = {}
    hook_params: list[dict] = []
    explained: set[str] = set()
    super_calls = [node for node in init.body if isinstance(node, ast.Expr) and _is_super_init(node.value)]
    if len(super_calls) != 1 or init.body[-1] is not super_calls[0]:
        return None
    call = super_calls[0].value
    assert isinstance(call, ast.Call)
    if call.args or not any(k.arg is None and ast.unparse(k.value) == kwargs_name for k in call.keywords):
        return None
    for keyword in call.keywords:
        if keyword.arg is None:
            continue
        if isinstance(keyword.value, ast.Name) and keyword.value.id in params:
            renamed[keyword.value.id] = keyword.arg
            explained.add(keyword.value.id)
        else:
            return None  # a computed value passed up: not a mapping of arguments
    for statement in init.body[:-1]:
        if isinstance(statement, ast.If) and not statement.orelse:
            guard = _guard(statement.test)
            keys = _hook_params_assignment(statement.body, kwargs_name) if guard else None
            if guard and keys is not None and set(guard[1]) == set(keys.values()) <= set(params):
                hook_params.append({"when": guard[0], "keys": keys})
                explained.update(keys.values())
                continue
        # Any other statement: the parameters it touches are not mapped.
    unmapped = sorted(
        name
        for name in params
        if name not in explained and any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(init))
    )
    explained_defaults = {name: params[name] for name in sorted(explained)}
    if any(default is None or default == "" for default in explained_defaults.values()):
        return None  # a required or computed default: the caller's omission cannot be written out
    return {
        "renamed": dict(sorted(renamed.items())),
        "hook_params": hook_params,
        "unmapped": unmapped,
        "defaults": explained_defaults,
    }


def class_attribute(cls: ast.ClassDef, name: str) -> Optional[ast.expr]:
    for node in cls.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return node.value
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
            return node.value
    return None


def execute_returns_value(cls: ast.ClassDef) -> Optional[bool]:
    """Does `execute` return a value (pushed to XCom)? None when the class defines no execute."""
    for node in cls.body:
        if isinstance(node, ast.FunctionDef) and node.name == "execute":
            return any(isinstance(n, ast.Return) and n.value is not None for n in ast.walk(node))
    return None


# ----- removed classes whose replacement takes one structure (google's BigQueryInsertJobOperator
# `configuration`, amazon's S3KeySensor `bucket_key`): the mapping their own code applied -----


def _self_attribute(node: ast.AST) -> Optional[str]:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return node.attr
    return None


def _calls_in(function: ast.FunctionDef, method: str) -> list[ast.Call]:
    return [
        n
        for n in ast.walk(function)
        if isinstance(n, ast.Call)
        and (
            (isinstance(n.func, ast.Attribute) and n.func.attr == method)
            or (isinstance(n.func, ast.Name) and n.func.id == method)
        )
    ]


def _keywords_from_self(call: ast.Call) -> Optional[dict[str, str]]:
    """`f(a=self.x, b=self.y)` -> {a: x, b: y}; None when any keyword is anything else."""
    found = {}
    for keyword in call.keywords:
        attribute = _self_attribute(keyword.value)
        if keyword.arg is None or attribute is None:
            return None
        found[keyword.arg] = attribute
    return found


def _stored_parameters(init: ast.FunctionDef) -> dict[str, str]:
    """`self.attr = param` in `__init__` -> {attr: param} (only plain stores)."""
    stored = {}
    for node in init.body:
        if (
            isinstance(node, (ast.Assign, ast.AnnAssign))
            and isinstance(node.value, ast.Name)
            and _self_attribute(node.targets[0] if isinstance(node, ast.Assign) else node.target)
        ):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            stored[_self_attribute(target)] = node.value.id  # type: ignore[index]
    return stored


def _method(cls: ast.ClassDef, name: str) -> Optional[ast.FunctionDef]:
    return next((n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == name), None)


def _connection_fields(hook_init: ast.FunctionDef) -> dict[str, str]:
    """`self.attr = self._get_field("name", ...)`: attributes the connection's extras override."""
    found = {}
    for node in hook_init.body:
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        if (
            isinstance(value, ast.Call)
            and _self_attribute(value.func) == "_get_field"
            and value.args
            and isinstance(value.args[0], ast.Constant)
            and _self_attribute(target)
        ):
            found[_self_attribute(target)] = value.args[0].value  # type: ignore[index]
    return found


def _prelude(statement: ast.stmt, parameters: set[str]) -> Optional[tuple[str, list]]:
    """How run_query rewrites one of its parameters before building the job resource:
    (parameter, [kind, ...]) for the shapes it has, (parameter, ["unknown"]) for any other
    assignment, None when the statement assigns no parameter."""
    assigned = [
        t.id
        for n in ast.walk(statement)
        if isinstance(n, (ast.Assign, ast.AnnAssign))
        for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
        if isinstance(t, ast.Name) and t.id in parameters
    ]
    if not assigned:
        return None
    name = assigned[0]
    text = ast.unparse(statement)
    if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.BoolOp):
        values = statement.value.values
        if (
            isinstance(statement.value.op, ast.Or)
            and len(values) == 2
            and isinstance(values[0], ast.Name)
            and values[0].id == name
            and _self_attribute(values[1])
        ):
            return name, ["or_hook", _self_attribute(values[1])]
    if text == f"{name} = list({name} or [])":
        return name, ["list_or_empty"]
    if text == f"if {name} is None:\n    {name} = {{}}":
        return name, ["none_to_empty"]
    if (
        isinstance(statement, ast.If)
        and ast.unparse(statement.test) == f"not {name}"
        and len(statement.body) == 1
        and isinstance(statement.body[0], ast.Assign)
        and _self_attribute(statement.body[0].value)
    ):
        return name, ["falsy_hook", _self_attribute(statement.body[0].value)]
    if isinstance(statement, ast.If) and ast.unparse(statement.test) == name and len(statement.body) == 1:
        store = statement.body[0]
        if isinstance(store, ast.Assign) and isinstance(store.value, ast.Dict) and len(store.value.keys) == 1:
            key = store.value.keys[0]
            if isinstance(key, ast.Constant) and ast.unparse(store.value.values[0]) == name:
                return name, ["wrap", key.value]
    if isinstance(statement, ast.If) and ast.unparse(statement.test) == name and len(statement.body) == 2:
        split, store = statement.body
        if (
            isinstance(split, ast.Assign)
            and isinstance(split.targets[0], ast.Tuple)
            and isinstance(split.value, ast.Call)
            and _self_attribute(split.value.func) == "split_tablename"
            and isinstance(store, ast.Assign)
            and isinstance(store.value, ast.Dict)
        ):
            parts = [e.id for e in split.targets[0].elts if isinstance(e, ast.Name)]
            keys = [  # [key, index of the part], in the provider's order
                [k.value, parts.index(v.id)]
                for k, v in zip(store.value.keys, store.value.values)
                if isinstance(k, ast.Constant) and isinstance(v, ast.Name) and v.id in parts
            ]
            if len(keys) == len(parts) == 3:
                return name, ["split_table", keys]
    return name, ["unknown"]


def _default_kind(node: ast.expr, name: str) -> Optional[list]:
    if _self_attribute(node):
        return ["hook", _self_attribute(node)]
    if isinstance(node, ast.Name) and node.id == name:
        return ["itself"]
    text = literal_text(node)
    return None if text is None else ["literal", text]


def read_job_configuration(operator: ast.ClassDef, hook: ast.ClassDef, module: ast.Module) -> Optional[dict]:
    """How a query operator's `execute` turned its arguments into one BigQuery job resource,
    through `self.hook = Hook(a=self.a, ...)` and `self.hook.run_query(b=self.b, ...)` (google
    up to 10.26.0): `run_query`'s list of (argument, configuration key, default, type), the
    rewrites of its arguments before it, what is added next to `destinationTable`, and the
    keys set after the list. None unless every part has the recognised shape."""
    init, execute = init_of(operator), _method(operator, "execute")
    run_query, hook_init = _method(hook, "run_query"), init_of(hook)
    if init is None or execute is None or run_query is None or hook_init is None:
        return None
    stored = _stored_parameters(init)
    made = [c for c in _calls_in(execute, hook.name)]
    queries = [c for c in _calls_in(execute, "run_query")]
    if len(made) != 1 or not queries:
        return None
    hook_arguments = _keywords_from_self(made[0])
    query_arguments = _keywords_from_self(queries[0])
    if hook_arguments is None or query_arguments is None:
        return None
    to_parameter = {attr: stored.get(attr) for attr in {*hook_arguments.values(), *query_arguments.values()}}
    if None in to_parameter.values():
        return None
    run_parameters = set(parameters(run_query))
    preludes: dict[str, list] = {}
    tuples: list[list] = []
    with_destination: list[list[str]] = []  # [key, parameter] in the provider's order
    with_key = None
    after: list[list] = []
    computed_defaults: dict[str, str] = {}
    seen_list = False
    for statement in run_query.body:
        if isinstance(statement, ast.AnnAssign) and ast.unparse(statement.target) == "query_param_list":
            seen_list = True
            if not isinstance(statement.value, ast.List):
                return None
            for element in statement.value.elts:
                if not (isinstance(element, ast.Tuple) and len(element.elts) == 4):
                    return None
                variable, key, default, kind_of = element.elts
                if not (isinstance(variable, ast.Name) and isinstance(key, ast.Constant)):
                    return None
                kind = _default_kind(default, variable.id)
                if kind is None:
                    return None
                tuples.append([variable.id, key.value, kind, ast.unparse(kind_of)])
            continue
        if not seen_list:
            found = _prelude(statement, run_parameters)
            if found:
                preludes[found[0]] = found[1]
            continue
        if isinstance(statement, ast.For):
            for node in ast.walk(statement):
                # `if param_name == "timePartitioning": param_default = helper(...)`
                if (
                    isinstance(node, ast.If)
                    and isinstance(node.test, ast.Compare)
                    and isinstance(node.test.comparators[0], ast.Constant)
                    and isinstance(node.body[0], ast.Assign)
                    and isinstance(node.body[0].value, ast.Call)
                    and isinstance(node.body[0].value.func, ast.Name)
                ):
                    computed_defaults[node.test.comparators[0].value] = node.body[0].value.func.id
                # `if param_name == "destinationTable": ... configuration["query"].update({...})`
                updates = [
                    n
                    for n in ast.walk(node)
                    if isinstance(n, ast.Call)
                    and isinstance(n.func, ast.Attribute)
                    and n.func.attr == "update"
                    and n.args
                    and isinstance(n.args[0], ast.Dict)
                ]
                if (
                    isinstance(node, ast.If)
                    and updates
                    and isinstance(node.test, ast.Compare)
                    and isinstance(node.test.comparators[0], ast.Constant)
                    and with_key is None
                ):
                    with_key = node.test.comparators[0].value
                    for key, value in zip(updates[0].args[0].keys, updates[0].args[0].values):
                        if isinstance(key, ast.Constant) and isinstance(value, ast.Name):
                            with_destination.append([key.value, value.id])
            continue
        # `if name: configuration[...][...] = name` (after the list)
        if (
            isinstance(statement, ast.If)
            and isinstance(statement.test, ast.Name)
            and isinstance(statement.body[-1], ast.Assign)
            and isinstance(statement.body[-1].targets[0], ast.Subscript)
            and ast.unparse(statement.body[-1].value) == statement.test.id
        ):
            target = statement.body[-1].targets[0]
            path = []
            while isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant):
                path.insert(0, target.slice.value)
                target = target.value
            if isinstance(target, ast.Name) and target.id == "configuration":
                after.append([statement.test.id, path])
    if not tuples:
        return None
    helpers = {}
    for name in computed_defaults.values():
        function = next((n for n in module.body if isinstance(n, ast.FunctionDef) and n.name == name), None)
        marks = (
            [
                n.left.value
                for n in ast.walk(function)
                if isinstance(n, ast.Compare)
                and isinstance(n.left, ast.Constant)
                and isinstance(n.ops[0], ast.In)
            ]
            if function
            else []
        )
        if len(marks) != 1:
            return None
        helpers[name] = marks[0]  # the default is added only when the destination holds it
    connection = _connection_fields(hook_init)
    hook_defaults = parameters(hook_init)
    return {
        "parameters": parameters(init),
        "hook_arguments": {k: to_parameter[v] for k, v in sorted(hook_arguments.items())},
        "query_arguments": {k: to_parameter[v] for k, v in sorted(query_arguments.items())},
        "query_defaults": {k: v for k, v in sorted(parameters(run_query).items())},
        "hook_defaults": {k: v for k, v in sorted(hook_defaults.items())},
        "connection_fields": dict(sorted(connection.items())),
        "preludes": dict(sorted(preludes.items())),
        "query": tuples,
        "computed_defaults": {k: [v, helpers[v]] for k, v in sorted(computed_defaults.items())},
        "with_destination": [with_key, with_destination],
        "after": after,
    }


def read_key_list(cls: ast.ClassDef) -> Optional[dict]:
    """`prefixes = [prefix] if isinstance(prefix, str) else prefix;
    keys = [p if p.endswith(delimiter) else p + delimiter for p in prefixes];
    super().__init__(bucket_key=keys, **kwargs)` (amazon 4.x S3PrefixSensor) ->
    {"into": "bucket_key", "items": "prefix", "suffix": "delimiter", "parameters": {...}}."""
    init = init_of(cls)
    if init is None or init.args.kwarg is None:
        return None
    body = [
        s
        for s in init.body
        if not (
            isinstance(s, ast.Expr) and isinstance(s.value, ast.Call) and "warn" in ast.unparse(s.value.func)
        )
    ]
    if len(body) != 3 or not _is_super_init(getattr(body[2], "value", None)):
        return None
    listing, keys, call = body
    if not (isinstance(listing, ast.Assign) and isinstance(listing.value, ast.IfExp)):
        return None
    test = listing.value.test
    if not (
        isinstance(test, ast.Call)
        and ast.unparse(test.func) == "isinstance"
        and isinstance(test.args[0], ast.Name)
        and ast.unparse(test.args[1]) == "str"
        and ast.unparse(listing.value.body) == f"[{test.args[0].id}]"
        and ast.unparse(listing.value.orelse) == test.args[0].id
    ):
        return None
    items = test.args[0].id
    listed = listing.targets[0].id  # type: ignore[attr-defined]
    if not (isinstance(keys, ast.Assign) and isinstance(keys.value, ast.ListComp)):
        return None
    comp = keys.value
    element = comp.generators[0].target.id  # type: ignore[attr-defined]
    expected = f"[{element} if {element}.endswith(SUFFIX) else {element} + SUFFIX for {element} in {listed}]"
    suffix = next((n.id for n in ast.walk(comp.elt) if isinstance(n, ast.Name) and n.id != element), None)
    if suffix is None or ast.unparse(comp) != expected.replace("SUFFIX", suffix):
        return None
    call_node = body[2].value  # type: ignore[attr-defined]
    passed = [k for k in call_node.keywords if k.arg is not None]
    if len(passed) != 1 or ast.unparse(passed[0].value) != keys.targets[0].id:  # type: ignore[attr-defined]
        return None
    return {"into": passed[0].arg, "items": items, "suffix": suffix, "parameters": parameters(init)}
