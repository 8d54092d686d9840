"""Which SubDagOperator uses of a file AU131 can turn into TaskGroups, decided on CPython's ast.

The shape converted: a module-level factory function that builds the subdag DAG and returns it,

    def section(parent, child, args):
        sub = DAG(f"{parent}.{child}", default_args=args, schedule_interval="@daily")
        with sub:                                  # or tasks with dag=sub,
            ...tasks and their edges...            # or `with DAG(...) as sub:`
        return sub

used only as `SubDagOperator(task_id=child, subdag=section(...), dag=dag)`. Everything else is
a reason, worded for the user, why the use is reported instead (`SubDagUse.reason`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Optional

from codemods._context import ImportTracker
from codemods._edit import is_airflow_class

SUBDAG_OPERATOR = frozenset({"SubDagOperator"})
DAG_CLASS = frozenset({"DAG"})
PARENT_PARAMETER = "parent_dag"

# SubDagOperator arguments a TaskGroup needs no equivalent for: the group takes its id from the
# subdag's dag_id and lives in the parent DAG; `default_args` only configured the operator's
# own task; `executor` is gone with the operator (Airflow 2.0 dropped it too).
OPERATOR_ARGUMENTS_CONSUMED = frozenset({"task_id", "subdag", "dag", "default_args", "executor"})
# DAG arguments of the subdag that mean nothing for a group run inside its parent's DAG runs
# (1.10's SubDagOperator ran the subdag for the parent's execution date, whatever its own
# schedule): dropped, and named in the diagnostic.
DAG_ARGUMENTS_DROPPED = (
    "schedule_interval",
    "schedule",
    "catchup",
    "start_date",
    "end_date",
    "max_active_runs",
    "dagrun_timeout",
    "description",
    "doc_md",
    "tags",
    "is_paused_upon_creation",
    "default_view",
    "orientation",
)
# TaskGroup(default_args=) exists from Airflow 2.2 (TaskGroup itself from 2.0).
GROUP_DEFAULT_ARGS_SINCE = (2, 2)


@dataclass
class Factory:
    """A module-level function that builds a subdag, and how to make it build a TaskGroup."""

    node: ast.FunctionDef
    dag_name: str  # the local variable holding the subdag DAG
    create_index: int  # body index of `NAME = DAG(...)` or `with DAG(...) as NAME:`
    with_index: Optional[int]  # body index of the `with NAME:` block (NAME = DAG(...) shape)
    dag_call: ast.Call
    group_id: str  # source of the group id expression, derived from the dag_id expression
    has_default_args: bool
    dropped: tuple[str, ...]  # DAG arguments dropped
    parent_parameter: str


@dataclass
class InlineSubDag:
    """`sub = DAG("parent.child", ...)` in the same scope as `SubDagOperator(subdag=sub, ...)`."""

    name: str
    creation: ast.Assign
    dag_call: ast.Call
    group_id: str
    parent: str  # the parent DAG's name
    dag_arguments: list[ast.keyword]  # `dag=sub` of the subdag's tasks
    with_items: list[ast.withitem]  # `with sub:`
    has_default_args: bool
    dropped: tuple[str, ...]


@dataclass
class SubDagUse:
    call: ast.Call
    factory: Optional[Factory] = None
    parent_dag: Optional[str] = None  # the parent DAG's expression, when not `dag=`
    executor: Optional[str] = None  # the source of its `executor=`
    reason: Optional[str] = None  # None: converted
    # (subdag's, parent's) schedule source when they differ; None when equal or not known
    schedules: Optional[tuple[str, str]] = None
    # the parent DAG's default_args source, when the group's tasks may take keys from it
    inherited_default_args: Optional[str] = None
    inline: Optional[InlineSubDag] = None  # `sub = DAG(...)` next to the use, no factory


@dataclass
class SubDagPlan:
    uses: list[SubDagUse] = field(default_factory=list)
    factories: dict[str, Factory] = field(default_factory=dict)  # only those converted

    @property
    def converted(self) -> list[SubDagUse]:
        return [use for use in self.uses if use.reason is None]


def plan(tree: ast.Module, source: bytes, imports: ImportTracker, target: tuple[int, int]) -> SubDagPlan:
    text = source.decode("utf-8", "replace")
    uses = [
        SubDagUse(call, parent_dag=parent, executor=_executor(call, text))
        for call, parent in _subdag_calls(tree, imports)
    ]
    result = SubDagPlan(uses)
    if not uses:
        return result
    functions = _module_functions(tree)
    by_factory: dict[str, list[SubDagUse]] = {}
    parents = {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for use in uses:
        use.reason = _call_site_problem(use)
        subdag = next((k.value for k in use.call.keywords if k.arg == "subdag"), None)
        if use.reason == NOT_A_FACTORY_CALL and isinstance(subdag, ast.Name):
            use.inline, use.reason = _inline_subdag(use, subdag.id, parents, tree, imports, text, target)
            if use.inline is not None:
                parent_call = _parent_dag_call(use, tree, imports)
                use.inherited_default_args = _inherited_default_args_inline(use.inline, parent_call, text)
                use.schedules = _different_schedules(use.inline.dag_call, parent_call, text)
            continue
        if use.reason is None:
            name = _factory_call(use.call).func.id  # type: ignore[union-attr]
            if name not in functions:
                origin = imports.bindings.get(name)
                where = (
                    f"imported from `{origin.rpartition('.')[0]}`" if origin else "not defined in this file"
                )
                use.reason = (
                    f"its subdag comes from `{name}()`, {where}: the factory and its uses are "
                    "converted together only within one file; make it build a TaskGroup "
                    "(`with parent_dag, TaskGroup(group_id=<child>, default_args=...) as group:` "
                    f"... `return group`) and write here {_call_with_parent(use, text)}"
                )
            else:
                by_factory.setdefault(name, []).append(use)
    for name, factory_uses in by_factory.items():
        factory, problem = _factory(functions[name], text, imports)
        if problem is None:
            problem = _used_elsewhere(tree, name, factory_uses)
        if (
            problem is None
            and factory is not None
            and factory.has_default_args
            and target < GROUP_DEFAULT_ARGS_SINCE
        ):
            problem = (
                "TaskGroup takes `default_args` from Airflow 2.2: the conversion is offered "
                "with --target 2.2 or later"
            )
        for use in factory_uses:
            use.reason = problem
            use.factory = factory if problem is None else None
            if factory is not None and problem is None:
                parent_call = _parent_dag_call(use, tree, imports)
                use.schedules = _different_schedules(factory.dag_call, parent_call, text)
                use.inherited_default_args = _inherited_default_args(factory, use, parent_call, text)
        if problem is None and factory is not None:
            result.factories[name] = factory
    return result


def _subdag_calls(tree: ast.Module, imports: ImportTracker):
    """(call, name of the enclosing `with DAG(...) as NAME:` or None) for each SubDagOperator call."""
    found: list[tuple[ast.Call, Optional[str]]] = []

    def walk(node: ast.AST, dag_name: Optional[str]) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            dag_name = None  # a body runs later, in whatever context its caller has
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                walk(item.context_expr, dag_name)
                if item.optional_vars is not None:
                    walk(item.optional_vars, dag_name)
            inner = dag_name
            for item in node.items:
                if (
                    isinstance(item.context_expr, ast.Call)
                    and is_airflow_class(imports.qualified_name(item.context_expr.func), DAG_CLASS)
                    and isinstance(item.optional_vars, ast.Name)
                ):
                    inner = item.optional_vars.id
            for statement in node.body:
                walk(statement, inner)
            return
        if isinstance(node, ast.Call) and is_airflow_class(
            imports.qualified_name(node.func), SUBDAG_OPERATOR
        ):
            found.append((node, dag_name))
        for child in ast.iter_child_nodes(node):
            walk(child, dag_name)

    walk(tree, None)
    return found


def _executor(call: ast.Call, text: str) -> Optional[str]:
    value = next((k.value for k in call.keywords if k.arg == "executor"), None)
    return None if value is None else (ast.get_source_segment(text, value) or "its `executor=`")


def _call_with_parent(use: SubDagUse, text: str) -> str:
    """`factory(a, b, parent_dag=dag)`: what the call site becomes once its factory builds a TaskGroup."""
    call = _factory_call(use.call)
    dag = next((k.value for k in use.call.keywords if k.arg == "dag"), None)
    parent = ast.get_source_segment(text, dag) if dag is not None else use.parent_dag
    source = ast.get_source_segment(text, call) if call is not None else None
    if not source or not parent or "\n" in source or not source.endswith(")"):
        return f"`{PARENT_PARAMETER}=<the parent DAG>` in the call"
    inner = source[:-1].rstrip()
    separator = "" if inner.endswith("(") else ", "
    return f"`{inner}{separator}{PARENT_PARAMETER}={parent})`"


def _factory_call(call: ast.Call) -> Optional[ast.Call]:
    for keyword in call.keywords:
        if keyword.arg == "subdag":
            value = keyword.value
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
                return value
    return None


def _call_site_problem(use: SubDagUse) -> Optional[str]:
    call = use.call
    if call.args or any(k.arg is None for k in call.keywords):
        return "it passes positional or `**` arguments: convert it by hand"
    others = sorted({k.arg for k in call.keywords} - OPERATOR_ARGUMENTS_CONSUMED)  # type: ignore[arg-type]
    if others:
        named = ", ".join(f"`{name}=`" for name in others)
        return (
            f"{named} applied to the subdag task as a whole and a TaskGroup has no such "
            "setting: move it to the subdag's tasks and convert by hand"
        )
    if not any(k.arg == "dag" for k in call.keywords) and use.parent_dag is None:
        return "its parent DAG is neither `dag=` nor an enclosing `with DAG(...) as name:`"
    factory_call = _factory_call(call)
    if factory_call is None:
        return NOT_A_FACTORY_CALL
    if any(k.arg == PARENT_PARAMETER for k in factory_call.keywords):
        return f"its factory is already called with `{PARENT_PARAMETER}=`"
    return None


NOT_A_FACTORY_CALL = (
    "its `subdag=` is neither a call of a factory function nor a DAG built next to it: convert it by hand"
)
# Explicit `task_group=` arguments take the group's default_args from Airflow 2.11 on (checked
# on 2.11.2 and 3.3.2; 2.2.0 ignored them, apache/airflow#19078): the inline shape needs them.
INLINE_DEFAULT_ARGS_SINCE = (2, 11)


def _scope_of(node: ast.AST, parents: dict) -> ast.AST:
    """The function (or module) whose body holds `node`."""
    current = parents.get(id(node))
    while current is not None and not isinstance(
        current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)
    ):
        current = parents.get(id(current))
    return current


def _scope_nodes(scope: ast.AST):
    """The nodes of `scope`, not those of functions and classes defined in it."""
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))


def _inline_subdag(use, name, parents, tree, imports, text, target):
    """(InlineSubDag, None) when `subdag=name` is a DAG built in the same scope, else (None, reason)."""
    scope = _scope_of(use.call, parents)
    nodes = list(_scope_nodes(scope)) if scope is not None else []
    where = f"its subdag `{name}`"
    creations = [
        n
        for n in nodes
        if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in n.targets)
    ]
    bound = [n for n in nodes if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)]
    if len(creations) != 1 or len(bound) != 1 or len(creations[0].targets) != 1:
        return (
            None,
            f"{where} is not built once, as `{name} = DAG(...)`, where it is used: convert it by hand",
        )
    creation = creations[0]
    dag_call = _dag_call(creation.value, imports)
    if dag_call is None or creation.lineno > use.call.lineno:
        return None, f"{where} is not built as `{name} = DAG(...)` before its use: convert it by hand"
    everywhere = sum(1 for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == name)
    if everywhere != sum(1 for n in nodes if isinstance(n, ast.Name) and n.id == name):
        return None, f"{where} is also a name in another function or class: convert it by hand"
    subdag_value = next(k.value for k in use.call.keywords if k.arg == "subdag")
    dag_arguments, with_items = [], []
    allowed = {id(subdag_value), id(bound[0])}
    for node in nodes:
        if isinstance(node, ast.keyword) and node.arg == "dag" and isinstance(node.value, ast.Name):
            if node.value.id == name:
                dag_arguments.append(node)
                allowed.add(id(node.value))
        elif isinstance(node, ast.withitem) and isinstance(node.context_expr, ast.Name):
            if node.context_expr.id == name and node.optional_vars is None:
                with_items.append(node)
                allowed.add(id(node.context_expr))
    other = next(
        (n for n in nodes if isinstance(n, ast.Name) and n.id == name and id(n) not in allowed), None
    )
    if other is not None:
        return (
            None,
            f"{where} is used as a value (line {other.lineno}): a TaskGroup is not a DAG, convert it by hand",
        )
    dag = next((k.value for k in use.call.keywords if k.arg == "dag"), None)
    parent = dag.id if isinstance(dag, ast.Name) else use.parent_dag if dag is None else None
    if parent is None:
        return None, "its parent DAG is not a name: convert it by hand"
    parent_bound = [
        n.lineno for n in nodes if isinstance(n, ast.Name) and n.id == parent and isinstance(n.ctx, ast.Store)
    ]
    if not parent_bound or min(parent_bound) > creation.lineno:
        return None, f"{where} is built before its parent DAG `{parent}`: convert it by hand"
    problem = _dag_arguments_problem(dag_call)
    if problem is not None:
        return None, f"{where}: {problem}"
    dag_id = _dag_id(dag_call)
    group_id = group_id_source(ast.get_source_segment(text, dag_id) or "") if dag_id is not None else None
    if group_id is None:
        return None, f'{where}: the group id cannot be told from its dag_id (not `"parent.child"`)'
    keywords = {k.arg for k in dag_call.keywords}
    if "default_args" in keywords and target < INLINE_DEFAULT_ARGS_SINCE:
        return None, (
            "the group's tasks take its `default_args` through `task_group=` from Airflow 2.11 on: "
            "the conversion is offered with --target 2 or 3"
        )
    inline = InlineSubDag(
        name=name,
        creation=creation,
        dag_call=dag_call,
        group_id=group_id,
        parent=parent,
        dag_arguments=dag_arguments,
        with_items=with_items,
        has_default_args="default_args" in keywords,
        dropped=tuple(n for n in DAG_ARGUMENTS_DROPPED if n in keywords),
    )
    return inline, None


def _inherited_default_args_inline(
    inline: InlineSubDag, parent: Optional[ast.Call], text: str
) -> Optional[str]:
    if parent is None:
        return None
    theirs = next((k.value for k in parent.keywords if k.arg == "default_args"), None)
    if theirs is None:
        return None
    mine = next((k.value for k in inline.dag_call.keywords if k.arg == "default_args"), None)
    if mine is not None and isinstance(theirs, ast.Name) and ast.dump(mine) == ast.dump(theirs):
        return None
    return ast.get_source_segment(text, theirs) or "its default_args"


def _module_functions(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    functions: dict[str, ast.FunctionDef] = {}
    bound_otherwise: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            if node.name in functions:
                bound_otherwise.add(node.name)
            functions[node.name] = node
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            bound_otherwise.update(t.id for t in targets if isinstance(t, ast.Name))
    return {name: node for name, node in functions.items() if name not in bound_otherwise}


def _dag_call(node: ast.expr, imports: ImportTracker) -> Optional[ast.Call]:
    if isinstance(node, ast.Call) and is_airflow_class(imports.qualified_name(node.func), DAG_CLASS):
        return node
    return None


def _factory(function: ast.FunctionDef, text: str, imports: ImportTracker):
    """(Factory, None) when `function` has the converted shape, else (None, reason)."""
    where = f"its factory `{function.name}()`"
    if function.decorator_list:
        return None, f"{where} is decorated: convert it by hand"
    body = function.body
    last = body[-1]
    if body[0].lineno == function.lineno:
        return None, f"{where} is written on one line: convert it by hand"
    creation = None
    for index, statement in enumerate(body):
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and _dag_call(statement.value, imports) is not None
        ):
            creation = (index, statement.targets[0].id, statement.value)
            break
        if (
            isinstance(statement, ast.With)
            and len(statement.items) == 1
            and isinstance(statement.items[0].optional_vars, ast.Name)
            and _dag_call(statement.items[0].context_expr, imports) is not None
        ):
            creation = (index, statement.items[0].optional_vars.id, statement.items[0].context_expr)
            break
    if creation is None:
        return None, f"{where} does not build its DAG as `name = DAG(...)` or `with DAG(...) as name:`"
    index, name, dag_call = creation
    returned = last
    if isinstance(body[index], ast.With) and last is body[index]:
        returned = body[index].body[-1]  # type: ignore[attr-defined]
    if not (
        isinstance(returned, ast.Return)
        and isinstance(returned.value, ast.Name)
        and returned.value.id == name
    ):
        return None, f"{where} does not end with `return {name}`"
    if any(_mentions(statement, name) for statement in body[:index]):
        return None, f"{where} uses `{name}` before building its DAG"
    with_index = None
    if isinstance(body[index], ast.With):
        region = list(body[index].body)  # type: ignore[attr-defined]
        outside = body[index + 1 :]
    else:
        blocks = [
            i
            for i, statement in enumerate(body[index + 1 :], index + 1)
            if isinstance(statement, ast.With)
            and len(statement.items) == 1
            and isinstance(statement.items[0].context_expr, ast.Name)
            and statement.items[0].context_expr.id == name
            and statement.items[0].optional_vars is None
        ]
        if len(blocks) > 1:
            return None, f"{where} enters `with {name}:` more than once: convert it by hand"
        with_index = blocks[0] if blocks else None
        if with_index is None:
            region, outside = body[index + 1 : -1], [last]
            if not region:
                return None, f"{where} adds no task to its DAG: convert it by hand"
        else:
            region = list(body[with_index].body)  # type: ignore[attr-defined]
            outside = body[index + 1 : with_index] + body[with_index + 1 :]
    if region and region[-1] is returned:
        region = region[:-1]
    outside = [statement for statement in outside if statement is not returned]
    other = _other_use(region, name) or next(
        (f"a value outside its `with` block (line {s.lineno})" for s in outside if _mentions(s, name)), None
    )
    if other is not None:
        return None, (
            f"{where} uses the subdag DAG `{name}` as {other}: a TaskGroup is not a DAG, convert it by hand"
        )
    nested = next((n for n in ast.walk(function) if _is_subdag_call(n, imports)), None)
    if nested is not None:
        return (
            None,
            f"{where} builds a SubDagOperator itself (line {nested.lineno}): convert nested subdags by hand",
        )
    problem = _dag_arguments_problem(dag_call)
    if problem is not None:
        return None, f"{where}: {problem}"
    dag_id = _dag_id(dag_call)
    group_id = group_id_source(ast.get_source_segment(text, dag_id) or "") if dag_id is not None else None
    if group_id is None:
        return (
            None,
            f'{where}: the group id cannot be told from the subdag\'s dag_id (not `f"{{parent}}.{{child}}"`)',
        )
    keywords = {k.arg for k in dag_call.keywords}
    dropped = tuple(name for name in DAG_ARGUMENTS_DROPPED if name in keywords)
    used_names = {n.id for n in ast.walk(function) if isinstance(n, ast.Name)}
    used_names |= {a.arg for a in ast.walk(function.args) if isinstance(a, ast.arg)}
    parameter = PARENT_PARAMETER
    while parameter in used_names:
        parameter += "_"
    return (
        Factory(
            node=function,
            dag_name=name,
            create_index=index,
            with_index=with_index,
            dag_call=dag_call,
            group_id=group_id,
            has_default_args="default_args" in keywords,
            dropped=dropped,
            parent_parameter=parameter,
        ),
        None,
    )


def _is_subdag_call(node: ast.AST, imports: ImportTracker) -> bool:
    return isinstance(node, ast.Call) and is_airflow_class(imports.qualified_name(node.func), SUBDAG_OPERATOR)


def _mentions(node: ast.AST, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node))


def _other_use(statements: list[ast.stmt], name: str) -> Optional[str]:
    """How `name` is used other than as `dag=name` (which the group's context replaces), or None."""
    allowed: set[int] = set()
    for statement in statements:
        for node in ast.walk(statement):
            if isinstance(node, ast.keyword) and node.arg == "dag" and isinstance(node.value, ast.Name):
                allowed.add(id(node.value))
    for statement in statements:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and node.id == name and id(node) not in allowed:
                if isinstance(node.ctx, ast.Store):
                    return f"an assignment target (line {node.lineno})"
                return f"a value (line {node.lineno})"
    return None


def _dag_arguments_problem(call: ast.Call) -> Optional[str]:
    if any(k.arg is None for k in call.keywords) or len(call.args) > 1:
        return "the subdag's DAG(...) takes `**` or several positional arguments: convert it by hand"
    kept = sorted(
        k.arg
        for k in call.keywords
        if k.arg not in ("dag_id", "default_args") and k.arg not in DAG_ARGUMENTS_DROPPED  # type: ignore[operator]
    )
    if kept:
        named = ", ".join(f"`{name}=`" for name in kept)
        return (
            f"the subdag DAG's {named} has no TaskGroup equivalent (the group's tasks would lose "
            "it): convert it by hand"
        )
    return None


def _dag_id(call: ast.Call) -> Optional[ast.expr]:
    if call.args:
        return call.args[0]
    return next((k.value for k in call.keywords if k.arg == "dag_id"), None)


def group_id_source(dag_id: str) -> Optional[str]:
    """The source of the child part of a subdag dag_id expression (`f"{parent}.{child}"` -> `child`).

    1.10's SubDagOperator required the subdag's dag_id to be `<parent dag_id>.<task_id>`, and the
    TaskGroup's id is that task_id: the part after the parent's. Shapes: an f-string, `+`
    concatenation, `"%s.%s" % (...)`, `"{}.{}".format(...)`, `".".join([...])` and a literal.
    None when the expression has another shape.
    """
    try:
        tree = ast.parse(dag_id.strip(), mode="eval")
    except SyntaxError:
        return None
    source = dag_id.strip()
    node = tree.body

    def segment(part: ast.AST) -> str:
        return ast.get_source_segment(source, part) or ""

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if "." not in node.value:
            return None
        return _quoted(node.value.split(".", 1)[1], source)
    if isinstance(node, ast.JoinedStr):
        return _joined_str_rest(node, segment)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _concatenation_rest(node, segment)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        pattern = node.left
        values = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
        if isinstance(pattern, ast.Constant) and isinstance(pattern.value, str):
            return _format_rest(pattern.value, "%s", values, segment, "%")
        return None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not node.keywords:
        receiver = node.func.value
        if not (isinstance(receiver, ast.Constant) and isinstance(receiver.value, str)):
            return None
        if node.func.attr == "format":
            return _format_rest(receiver.value, "{}", node.args, segment, "format")
        if node.func.attr == "join" and receiver.value == "." and len(node.args) == 1:
            items = node.args[0]
            if isinstance(items, (ast.List, ast.Tuple)) and len(items.elts) == 2:
                return segment(items.elts[1])
    return None


def _quoted(value: str, like: str) -> str:
    """`value` as a string literal, in the quotes of the literal `like` when they fit."""
    quote = like.lstrip("rbfuRBFU")[:1]
    if quote in ("'", '"') and quote not in value and "\\" not in value and "\n" not in value:
        return f"{quote}{value}{quote}"
    return repr(value)


def _joined_str_rest(node: ast.JoinedStr, segment) -> Optional[str]:
    values = node.values
    if len(values) < 2 or not isinstance(values[0], ast.FormattedValue):
        return None
    head = values[1]
    if not (isinstance(head, ast.Constant) and isinstance(head.value, str) and head.value.startswith(".")):
        return None
    rest_text = head.value[1:]
    rest = values[2:]
    if not rest_text and len(rest) == 1:
        only = rest[0]
        if isinstance(only, ast.FormattedValue) and only.conversion == -1 and only.format_spec is None:
            return segment(only.value)
    if not rest:
        return _quoted(rest_text, segment(node)) if rest_text else None
    # Rebuild the f-string's tail from its parts' source (quotes as in the original).
    pieces = [rest_text.replace("{", "{{").replace("}", "}}")]
    for part in rest:
        if isinstance(part, ast.Constant):
            pieces.append(str(part.value).replace("{", "{{").replace("}", "}}"))
        elif isinstance(part, ast.FormattedValue) and part.conversion == -1 and part.format_spec is None:
            inner = segment(part.value)  # (a FormattedValue's own position is the whole string's)
            if not inner or "{" in inner or "'" in inner or '"' in inner:
                return None
            pieces.append("{" + inner + "}")
        else:
            return None
    body = "".join(pieces)
    if '"' in body and "'" in body or "\\" in body or "\n" in body:
        return None
    quote = "'" if '"' in body else '"'
    return f"f{quote}{body}{quote}"


def _concatenation_rest(node: ast.BinOp, segment) -> Optional[str]:
    terms: list[ast.expr] = []

    def flatten(part: ast.expr) -> None:
        if isinstance(part, ast.BinOp) and isinstance(part.op, ast.Add):
            flatten(part.left)
            flatten(part.right)
        else:
            terms.append(part)

    flatten(node)
    if len(terms) < 3:
        return None
    dot = terms[1]
    if not (isinstance(dot, ast.Constant) and isinstance(dot.value, str) and dot.value.startswith(".")):
        return None
    rest = [segment(term) for term in terms[2:]]
    if dot.value != ".":
        rest.insert(0, repr(dot.value[1:]))
    return " + ".join(rest)


def _format_rest(pattern: str, slot: str, values: list[ast.expr], segment, kind: str) -> Optional[str]:
    head = slot + "."
    if not pattern.startswith(head) or not values or any(isinstance(v, ast.Starred) for v in values):
        return None
    tail = pattern[len(head) :]
    rest = values[1:]
    if tail.count(slot) != len(rest) or (kind == "%" and tail.replace("%s", "").count("%")):
        return None
    if kind == "format" and tail.replace("{}", "").count("{") + tail.replace("{}", "").count("}"):
        return None
    if tail == slot:
        return segment(rest[0])
    if not rest:
        return repr(tail)
    arguments = ", ".join(segment(value) for value in rest)
    if kind == "%":
        return f"{tail!r} % ({arguments},)"
    return f"{tail!r}.format({arguments})"


# 1.10's DAG default when no schedule is given: timedelta(days=1).
DEFAULT_SCHEDULE = "the default (one day)"


def _parent_dag_call(use: SubDagUse, tree: ast.Module, imports: ImportTracker) -> Optional[ast.Call]:
    """The DAG(...) call that built the use's parent DAG, when one name in the file binds it."""
    dag = next((k.value for k in use.call.keywords if k.arg == "dag"), None)
    name = dag.id if isinstance(dag, ast.Name) else use.parent_dag if dag is None else None
    if name is None:
        return None
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            calls.append(_dag_call(node.value, imports))
        elif isinstance(node, ast.withitem) and isinstance(node.optional_vars, ast.Name):
            if node.optional_vars.id == name:
                calls.append(_dag_call(node.context_expr, imports))
    return calls[0] if len(calls) == 1 else None


def _schedule(call: ast.Call) -> Optional[ast.expr]:
    return next((k.value for k in call.keywords if k.arg in ("schedule_interval", "schedule")), None)


def _different_schedules(
    subdag: ast.Call, parent: Optional[ast.Call], text: str
) -> Optional[tuple[str, str]]:
    """1.10's SubDagOperator ran the subdag for the parent's execution date whatever the subdag's
    schedule (DAG.get_run_dates ignores it for subdags), but its tasks' templates computed
    `next_ds`, `prev_ds`, `next_execution_date`, ... from the subdag's schedule; a group's
    tasks compute them from the parent's."""
    if parent is None or any(k.arg is None for k in parent.keywords):
        return None
    mine, theirs = _schedule(subdag), _schedule(parent)
    if mine is None and theirs is None:
        return None
    if mine is not None and theirs is not None and ast.dump(mine) == ast.dump(theirs):
        return None

    def source(node: Optional[ast.expr]) -> str:
        if node is None:
            return DEFAULT_SCHEDULE
        return f"`{ast.get_source_segment(text, node)}`"

    return source(mine), source(theirs)


def _inherited_default_args(
    factory: Factory, use: SubDagUse, parent: Optional[ast.Call], text: str
) -> Optional[str]:
    """A subdag's tasks took their defaults from the subdag's default_args alone; a group's tasks
    take the parent DAG's too, for keys the group's lack. The parent's default_args source, unless
    it is provably the dict the subdag got (the same name passed for the factory's parameter)."""
    if parent is None:
        return None
    theirs = next((k.value for k in parent.keywords if k.arg == "default_args"), None)
    if theirs is None:
        return None
    mine = next((k.value for k in factory.dag_call.keywords if k.arg == "default_args"), None)
    passed = _argument_for(factory.node, mine, _factory_call(use.call)) if mine is not None else None
    if passed is not None and isinstance(theirs, ast.Name) and ast.dump(passed) == ast.dump(theirs):
        return None
    return ast.get_source_segment(text, theirs) or "its default_args"


def _argument_for(function: ast.FunctionDef, value: ast.expr, call: Optional[ast.Call]) -> Optional[ast.expr]:
    """The argument `call` passes for the parameter `value` names (None if it is not a parameter)."""
    if call is None or not isinstance(value, ast.Name):
        return None
    positional = [a.arg for a in function.args.posonlyargs + function.args.args]
    for keyword in call.keywords:
        if keyword.arg == value.id:
            return keyword.value
    if value.id in positional:
        index = positional.index(value.id)
        if index < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args[: index + 1]):
            return call.args[index]
    return None


def _used_elsewhere(tree: ast.Module, name: str, uses: list[SubDagUse]) -> Optional[str]:
    expected = {id(_factory_call(use.call).func) for use in uses}  # type: ignore[union-attr]
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == name and id(node) not in expected:
            return (
                f"its factory `{name}()` is also used elsewhere (line {node.lineno}), where it must "
                "stay a DAG: convert it by hand"
            )
    return None
