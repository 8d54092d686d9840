"""AU131: SubDagOperator -> TaskGroup (the operator deprecated in Airflow 2.0, removed in 3.0).

A subdag built by a factory function of the same file (`sub = DAG(...)` with `with sub:`, tasks
with `dag=sub`, or `with DAG(...) as sub:`, then `return sub`), used as
`SubDagOperator(task_id=child, subdag=factory(...), dag=dag)`, becomes a function building a
TaskGroup of the parent DAG: it takes the parent DAG (`*, parent_dag`) and enters it, so the
tasks belong to the parent whether the call site used `dag=` or a `with DAG(...)` block; the
call site calls it with `parent_dag=`. A subdag built next to its use, without a factory
(`sub = DAG("parent.section", ...)`, `SubDagOperator(task_id="section", subdag=sub, dag=dag)`),
becomes `sub = TaskGroup(group_id="section", dag=dag, ...)`, its tasks `dag=dag,
task_group=sub`, `with dag, sub:`, and the operator `sub`. The SubDagOperator import gives its
place to the TaskGroup one.

Everything else is reported with the reason: a factory imported from another file (with the
TaskGroup shape and the call to write) or used elsewhere, SubDagOperator arguments with no
TaskGroup equivalent (`pool=`, `trigger_rule=`, `retries=`, ...), subdag DAG arguments with
none (`concurrency=`, `params=`, `user_defined_macros=`, callbacks), nested subdags, the
subdag DAG object used as a value. At --target 3 the SubDagOperator import that stays is
reported with the lines still using it. `executor=` on a use not converted is removed alone
(Airflow 2.0 rejects it).

## Why
Airflow 3.0 removed SubDagOperator; TaskGroup (Airflow 2.0) is its replacement. The group's
tasks are `section-1.extract`, ... - the ids 1.10's UI showed for the subdag's tasks (the
subdag DAG `parent.section-1`); the edges inside and around the group are those of the subdag
(`x >> group` reaches the group's first tasks, as `x >> subdag_task` did). `airflow-upgrade
verify` knows the mapping: a 1.10 subdag `parent.child` is compared with the task group
`child` of `parent` ("same tasks and edges").

## Example
```python target=3
from airflow.models import DAG
from airflow.operators.bash_operator import BashOperator
from airflow.operators.subdag_operator import SubDagOperator


def section(parent, child, args):
    sub = DAG(f"{parent}.{child}", default_args=args, schedule_interval="@daily")
    with sub:
        BashOperator(task_id="extract", bash_command="extract.sh") >> BashOperator(task_id="load", bash_command="load.sh")
    return sub


dag = DAG("etl", default_args=args, schedule_interval="@daily")
section_1 = SubDagOperator(task_id="section-1", subdag=section("etl", "section-1", args), dag=dag)
```
Use instead:
```python target=3
from airflow.models import DAG
from airflow.operators.bash_operator import BashOperator
from airflow.sdk import TaskGroup


def section(parent, child, args, *, parent_dag):
    with parent_dag, TaskGroup(group_id=child, default_args=args) as sub:
        BashOperator(task_id="extract", bash_command="extract.sh") >> BashOperator(task_id="load", bash_command="load.sh")
    return sub


dag = DAG("etl", default_args=args, schedule_interval="@daily")
section_1 = section("etl", "section-1", args, parent_dag=dag)
```

## Fix safety
Unsafe. The subdag's tasks run in the parent's DAG run, in parallel under the scheduler's
executor (1.10's SubDagOperator ran them one at a time with a SequentialExecutor, or with its
`executor=`, which the diagnostic names). The subdag DAG's own arguments (`schedule_interval`,
`catchup`, `start_date`, ...) are dropped and named; a subdag schedule other than its parent's
is named with what it changes (1.10 ran a subdag for its parent's date whatever its schedule,
but its tasks' `next_ds`, `prev_ds`, ... followed it). The tasks also take the parent DAG's
default_args for keys the group's lack (named unless the parent's are provably the dict the
subdag got). Offered from --target 2.2 when the subdag has `default_args` (TaskGroup takes them
from Airflow 2.2), from 2.0 otherwise; the shape without a factory, whose tasks pass
`task_group=`, from --target 2 (explicit `task_group=` takes the group's default_args from
Airflow 2.11, checked on 2.11.2 and 3.3.2; 2.2.0 ignored them, apache/airflow#19078).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Optional, Union

from codemods._base import NO_FIX, UNSAFE, Finding, Fix, Rewrite, Rule
from codemods._edit import is_airflow_class, keyword_arg, remove_elements
from codemods._generated import tables as _tables
from codemods._import_service import add_import, remove_import
from codemods._subdag_plan import (
    SUBDAG_OPERATOR,
    Factory,
    InlineSubDag,
    SubDagPlan,
    SubDagUse,
    group_id_source,
    plan,
)
from codemods._targets import table_key

if TYPE_CHECKING:
    import libcst as cst
else:
    from codemods._libcst import cst

TASK_GROUP = "airflow.utils.task_group.TaskGroup"
TASK_GROUP_PATHS = frozenset(
    {TASK_GROUP, "airflow.sdk.TaskGroup", "airflow.sdk.definitions.taskgroup.TaskGroup"}
)


class SubDagOperatorUse(Rule):
    code = "AU131"
    name = "subdag-operator"
    summary = "SubDagOperator -> a TaskGroup built by the subdag's factory (unsafe fix; removed in 3.0)"
    tokens = (b"SubDagOperator",)
    fix = UNSAFE
    node_types = (ast.Call, ast.ImportFrom)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._plan = SubDagPlan()
        self._calls: dict[int, SubDagUse] = {}  # id of the ast call -> use
        self._dropped_names: set[str] = set()  # SubDagOperator names whose every use converts
        # the one fix of the file: every conversion and the import changes, all or nothing
        self._conversion: Optional[Fix] = None
        self._converted: list[Finding] = []  # the findings carrying it
        self._imports: list[ast.ImportFrom] = []  # `from ... import SubDagOperator` at column 0
        self._rewritten: set[str] = set()  # factories the fix turned into TaskGroup builders

    # ----- deciding, on CPython's ast -----
    def relevant(self) -> bool:
        if self.ctx.tree is None:
            return False
        self._plan = plan(self.ctx.tree, b"".join(self.ctx.lines), self.ctx.imports, self.ctx.target)
        self._check_task_group_name()
        self._check_imported_by_name()
        self._calls = {id(use.call): use for use in self._plan.uses}
        converted = self._plan.converted
        if converted:
            names = {use.call.func.id for use in self._plan.uses if isinstance(use.call.func, ast.Name)}
            for local in names:
                references = sum(
                    1 for n in ast.walk(self.ctx.tree) if isinstance(n, ast.Name) and n.id == local
                )
                if references == sum(1 for u in converted if _local_name(u) == local):
                    self._dropped_names.add(local)
            self._conversion = Fix.unsafe(*self._conversion_rewrites())
        return bool(self._plan.uses) or self.ctx.target >= (3, 0)

    def _conversion_rewrites(self) -> list[Rewrite]:
        """The statements and calls the conversion changes, inner ones of a node before it."""
        assert self.ctx.tree is not None
        rewrites = [
            Rewrite(factory.node, partial(self._task_group_function, factory))
            for factory in self._plan.factories.values()
        ]
        inlines = [use.inline for use in self._plan.converted if use.inline is not None]
        for inline in inlines:
            rewrites.append(Rewrite(inline.creation, partial(self._task_group_creation, inline)))
        by_keyword = {id(k): inline for inline in inlines for k in inline.dag_arguments}
        by_item = {id(item): inline for inline in inlines for item in inline.with_items}
        if by_keyword or by_item:
            for node in ast.walk(self.ctx.tree):
                if isinstance(node, ast.Call):
                    inline = next((by_keyword[id(k)] for k in node.keywords if id(k) in by_keyword), None)
                    if inline is not None:
                        rewrites.append(Rewrite(node, partial(_task_group_argument, inline)))
                elif isinstance(node, ast.With):
                    parents = {
                        i: by_item[id(item)].parent
                        for i, item in enumerate(node.items)
                        if id(item) in by_item
                    }
                    if parents:
                        rewrites.append(Rewrite(node, partial(_with_parent_items, parents)))
        for use in self._plan.converted:
            rewrites.append(Rewrite(use.call, partial(self._converted_call, use)))
        # the SubDagOperator names no use is left of leave their imports; the TaskGroup import
        # is asked after, so it takes the place of the first one that goes
        for node in self.ctx.tree.body:
            if isinstance(node, ast.ImportFrom) and not node.level:
                names = {alias.asname or alias.name for alias in _bound(node)} & self._dropped_names
                rewrites += remove_import(self.ctx, node, names)
        if "TaskGroup" not in self.ctx.imports.bindings:
            new_path = _tables.IMPORT_RENAMES[table_key(self.ctx.target)].get(TASK_GROUP, TASK_GROUP)
            module, _, name = new_path.rpartition(".")
            addition = add_import(self.ctx, module, name)
            if addition is not None:
                rewrites.append(addition)
        return rewrites

    def _check_task_group_name(self) -> None:
        bound = self.ctx.imports.bindings.get("TaskGroup")
        taken = bound is not None and bound not in TASK_GROUP_PATHS
        if not taken and self.ctx.tree is not None:
            taken = any(
                isinstance(n, ast.Name) and n.id == "TaskGroup" and isinstance(n.ctx, ast.Store)
                for n in ast.walk(self.ctx.tree)
            )
        if not taken:
            return
        for use in self._plan.converted:
            use.reason = "the name `TaskGroup` means something else in this file: convert it by hand"
            use.factory = use.inline = None
        self._plan.factories.clear()

    def _check_imported_by_name(self) -> None:
        """Converted uses call a name `from ... import SubDagOperator` binds at the top of the
        file: its import is the one the fix can drop once no use is left (a module's,
        `subdag_operator.SubDagOperator(...)`, would stay, and fail on Airflow 3)."""
        assert self.ctx.tree is not None
        by_name = {
            alias.asname or alias.name
            for node in self.ctx.tree.body
            if isinstance(node, ast.ImportFrom) and not node.level and node.module
            for alias in node.names
            if is_airflow_class(f"{node.module}.{alias.name}", SUBDAG_OPERATOR)
        }
        blocked = {
            use.factory.node.name
            for use in self._plan.converted
            if use.factory is not None and _local_name(use) not in by_name
        }
        for use in self._plan.uses:
            inline_blocked = use.inline is not None and _local_name(use) not in by_name
            if inline_blocked or (use.factory is not None and use.factory.node.name in blocked):
                use.reason = (
                    "SubDagOperator is not imported by name at the top of the file "
                    "(`from ... import SubDagOperator`): convert it by hand"
                )
                use.factory = use.inline = None
        for name in blocked:
            del self._plan.factories[name]

    def check(self, node: ast.AST) -> Iterator[Finding]:
        if isinstance(node, ast.ImportFrom):
            if _bound(node) and not node.level and not node.col_offset:
                self._imports.append(node)  # reported in finish(), once the fix is known
            return
        use = self._calls.get(id(node))
        if use is None:
            return
        if use.reason is None:
            finding = Finding(node, self._converted_message(use), self._conversion)
            self._converted.append(finding)
            yield finding
            return
        yield Finding(node, self._reported_message(use), label=NO_FIX)
        executor = next((k for k in node.keywords if k.arg == "executor"), None)  # type: ignore[attr-defined]
        if executor is not None:
            yield Finding(
                executor,
                "`executor=` was removed from SubDagOperator in Airflow 2.0 (the scheduler's executor runs "
                "the subdag's tasks, in parallel where 1.10's default SequentialExecutor ran one at a time): "
                "remove it",
                Fix.unsafe(Rewrite(node, _without_executor)),
            )

    def finish(self) -> Iterator[Finding]:
        """At --target 3, the SubDagOperator imports that stay (their uses not all converted)."""
        if self.ctx.target < (3, 0):
            return
        fixing = bool(self._converted) and self.ctx.applied(self._converted[0])
        for node in self._imports:
            names = [alias.asname or alias.name for alias in _bound(node)]
            stays = {name for name in names if name not in self._dropped_names or not fixing}
            if stays:
                why, label = self._why_the_import_stays(stays)
                yield Finding(
                    node, f"SubDagOperator was removed in Airflow 3.0, this import fails: {why}", label=label
                )

    def _why_the_import_stays(self, names: set[str]) -> tuple[str, Optional[str]]:
        assert self.ctx.tree is not None
        converted = {id(use.call.func) for use in self._plan.converted}
        references = [n for n in ast.walk(self.ctx.tree) if isinstance(n, ast.Name) and n.id in names]
        left = sorted({n.lineno for n in references if id(n) not in converted})
        if left:
            lines = ", ".join(str(line) for line in left)
            return f"its uses on line {lines} are not converted: rewrite them as TaskGroups", NO_FIX
        if references:
            return "AU131's unsafe fix converts its uses to TaskGroups and drops this import", UNSAFE
        return "remove it", NO_FIX

    def _converted_message(self, use: SubDagUse) -> str:
        built = use.factory or use.inline
        assert built is not None
        if use.factory is not None:
            subject = f"`{use.factory.node.name}()` builds a TaskGroup in the parent DAG instead"
        else:
            subject = f"the subdag `{use.inline.name}` becomes a TaskGroup of the parent DAG"  # type: ignore[union-attr]
        head = (
            "SubDagOperator was removed in Airflow 3.0"
            if self.ctx.target >= (3, 0)
            else "SubDagOperator is deprecated since Airflow 2.0 (removed in 3.0)"
        )
        executor = f"`{use.executor}`" if use.executor else "a SequentialExecutor, one at a time"
        message = (
            f"{head}: {subject} (task ids "
            f"`<group>.<task>` and edges as the subdag's); its tasks run in the parent's DAG run, in "
            f"parallel under the scheduler's executor (1.10 ran them with {executor})"
        )
        if use.schedules is not None:
            mine, theirs = use.schedules
            message += (
                f"; the subdag's schedule {mine} is not its parent's {theirs}: its tasks' templates "
                "using `next_ds`, `prev_ds`, `next_execution_date`, ... now follow the parent's"
            )
        if use.inherited_default_args is not None:
            message += (
                f"; its tasks also take the parent DAG's default_args (`{use.inherited_default_args}`) "
                "for keys the subdag's lack"
            )
        dropped = [
            n for n in built.dropped if use.schedules is None or n not in ("schedule_interval", "schedule")
        ]
        if dropped:
            named = ", ".join(f"`{name}=`" for name in dropped)
            message += f"; the subdag DAG's {named} dropped (a group has no schedule of its own)"
        return message

    def _reported_message(self, use: SubDagUse) -> str:
        if self.ctx.target >= (3, 0):
            head = "SubDagOperator was removed in Airflow 3.0: rewrite the subdag as a TaskGroup"
        else:
            head = (
                "SubDagOperator is deprecated since Airflow 2.0 and removed in 3.0: rewrite it as a TaskGroup"
            )
        return f"{head}; not converted automatically: {use.reason}"

    # ----- the fix's transforms, on the LibCST nodes of the statements it changes -----
    def _task_group_function(self, factory: Factory, function: cst.FunctionDef) -> cst.FunctionDef:
        new = _task_group_function(function, factory)
        if new is None:
            return function
        self._rewritten.add(factory.node.name)
        self._forget_findings_on(factory.dag_call)
        return new

    def _task_group_creation(self, inline: InlineSubDag, assign: cst.Assign) -> cst.Assign:
        """`sub = DAG("parent.section", ...)` -> `sub = TaskGroup(group_id="section", dag=parent, ...)`."""
        if not isinstance(assign.value, cst.Call):
            return assign
        group = _task_group_call(assign.value, dag=inline.parent)
        if group is None:
            return assign
        self._forget_findings_on(inline.dag_call)
        return assign.with_changes(value=group)

    def _forget_findings_on(self, call: ast.Call) -> None:
        """Other rules' open findings on the subdag's DAG(...) call (its schedule's semantics, its
        catchup default) are about code the fix just removed: a group has neither."""
        first, last = call.lineno, call.end_lineno or call.lineno
        self.ctx.diagnostics[:] = [
            d for d in self.ctx.diagnostics if d.applied or d.code == self.code or not first <= d.line <= last
        ]

    def _converted_call(self, use: SubDagUse, call: cst.Call) -> cst.BaseExpression:
        if use.inline is not None:
            return cst.Name(use.inline.name)
        factory = use.factory
        assert factory is not None
        if factory.node.lineno < use.call.lineno and factory.node.name not in self._rewritten:
            return call  # its factory could not be rewritten: the call must stay as it is
        return _factory_call(call, use)


def _code(node: cst.CSTNode) -> str:
    """The code of a LibCST node."""
    return cst.Module([]).code_for_node(node)


def _bound(node: ast.ImportFrom) -> list[ast.alias]:
    """The aliases of `from ... import` that bind SubDagOperator."""
    if not node.module:
        return []
    return [alias for alias in node.names if is_airflow_class(f"{node.module}.{alias.name}", SUBDAG_OPERATOR)]


def _without_executor(call: cst.Call) -> cst.Call:
    return call.with_changes(
        args=remove_elements(call.args, lambda a: a.keyword is not None and a.keyword.value == "executor")
    )


def _task_group_argument(inline: InlineSubDag, call: cst.Call) -> cst.Call:
    """`dag=sub` of an inline subdag's task -> `dag=<parent>, task_group=sub`."""
    args = []
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "dag":
            args.append(
                arg.with_changes(
                    value=cst.Name(inline.parent),
                    comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")),
                )
            )
            args.append(arg.with_changes(keyword=cst.Name("task_group"), value=cst.Name(inline.name)))
        else:
            args.append(arg)
    return call.with_changes(args=args)


def _with_parent_items(parents: dict[int, str], block: cst.With) -> cst.With:
    """`with sub:` -> `with parent, sub:` (`parents`: index of the item -> the parent DAG's name)."""
    items = []
    for index, item in enumerate(block.items):
        if index in parents and isinstance(item.item, cst.Name):
            items.append(
                cst.WithItem(
                    item=cst.Name(parents[index]),
                    comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")),
                )
            )
        items.append(item)
    if len(items) == len(block.items):
        return block
    return block.with_changes(items=items)


def _local_name(use: SubDagUse) -> Optional[str]:
    return use.call.func.id if isinstance(use.call.func, ast.Name) else None


def _factory_call(call: cst.Call, use: SubDagUse) -> cst.Call:
    """`SubDagOperator(task_id=..., subdag=f(a, b), dag=d)` -> `f(a, b, parent_dag=d)`."""
    factory = use.factory
    subdag = keyword_arg(call, "subdag")
    if factory is None or subdag is None or not isinstance(subdag.value, cst.Call):
        return call  # decided on the ast: cannot happen
    inner = subdag.value
    dag = keyword_arg(call, "dag")
    parent = dag.value if dag is not None else cst.Name(use.parent_dag or "dag")
    args = list(inner.args)
    new_comma: Union[cst.Comma, cst.MaybeSentinel] = cst.MaybeSentinel.DEFAULT
    if args:
        new_comma, args[-1] = _comma_for_one_more(args[-1], inner.whitespace_before_args)
    args.append(
        cst.Arg(
            keyword=cst.Name(factory.parent_parameter),
            value=parent,
            equal=cst.AssignEqual(
                whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
            ),
            comma=new_comma,
        )
    )
    return inner.with_changes(args=args)


def _task_group_function(function: cst.FunctionDef, factory: Factory) -> Optional[cst.FunctionDef]:
    if not isinstance(function.body, cst.IndentedBlock):
        return None
    body = list(function.body.body)
    creation = body[factory.create_index]
    dag_call = _creation_call(creation)
    if dag_call is None:
        return None
    header = _with_items(dag_call, factory)
    if header is None:
        return None
    from codemods._subdag_operator_transforms import DagArgumentRemover  # LibCST: fix mode only

    remover = DagArgumentRemover(factory.dag_name)
    if isinstance(creation, cst.With):  # with DAG(...) as sub:
        body[factory.create_index] = creation.with_changes(items=header, body=creation.body.visit(remover))
    elif factory.with_index is not None:  # sub = DAG(...) ... with sub:
        block = body[factory.with_index]
        if not isinstance(block, cst.With):
            return None
        body[factory.with_index] = block.with_changes(items=header, body=block.body.visit(remover))
        following = body[factory.create_index + 1]
        body[factory.create_index + 1] = following.with_changes(
            leading_lines=[*creation.leading_lines, *following.leading_lines]
        )
        del body[factory.create_index]
    else:  # sub = DAG(...); tasks with dag=sub
        inner = [statement.visit(remover) for statement in body[factory.create_index + 1 : -1]]
        if not inner:
            return None
        lines = list(inner[0].leading_lines)
        while lines and lines[0].comment is None:
            lines.pop(0)  # no blank line right under the new `with` header
        inner[0] = inner[0].with_changes(leading_lines=lines)
        block = cst.With(
            items=header,
            body=cst.IndentedBlock(body=inner),  # type: ignore[arg-type]
            leading_lines=creation.leading_lines,
        )
        body[factory.create_index : -1] = [block]
    parameters = _with_parent_parameter(
        function.params, factory.parent_parameter, function.whitespace_before_params
    )
    return function.with_changes(params=parameters, body=function.body.with_changes(body=body))


def _creation_call(statement: cst.CSTNode) -> Optional[cst.Call]:
    if isinstance(statement, cst.With) and isinstance(statement.items[0].item, cst.Call):
        return statement.items[0].item
    if isinstance(statement, cst.SimpleStatementLine) and isinstance(statement.body[0], cst.Assign):
        value = statement.body[0].value
        return value if isinstance(value, cst.Call) else None
    return None


def _task_group_call(dag_call: cst.Call, dag: Optional[str] = None) -> Optional[cst.Call]:
    """`TaskGroup(group_id=<child>[, dag=<parent>][, default_args=...])` for the subdag's DAG(...) call."""
    dag_id = (
        dag_call.args[0]
        if dag_call.args and dag_call.args[0].keyword is None
        else keyword_arg(dag_call, "dag_id")
    )
    if dag_id is None:
        return None
    group_id = group_id_source(_code(dag_id.value))
    if group_id is None:
        return None
    arguments = [f"group_id={group_id}"]
    if dag is not None:
        arguments.append(f"dag={dag}")
    default_args = keyword_arg(dag_call, "default_args")
    if default_args is not None:
        arguments.append(f"default_args={_code(default_args.value)}")
    return cst.parse_expression(f"TaskGroup({', '.join(arguments)})")  # type: ignore[return-value]


def _with_items(dag_call: cst.Call, factory: Factory) -> Optional[list[cst.WithItem]]:
    """`parent_dag, TaskGroup(group_id=..., default_args=...) as sub` from the DAG(...) call."""
    task_group = _task_group_call(dag_call)
    if task_group is None:
        return None
    return [
        cst.WithItem(
            item=cst.Name(factory.parent_parameter),
            comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")),
        ),
        cst.WithItem(
            item=task_group,
            asname=cst.AsName(
                name=cst.Name(factory.dag_name),
                whitespace_before_as=cst.SimpleWhitespace(" "),
                whitespace_after_as=cst.SimpleWhitespace(" "),
            ),
        ),
    ]


def _comma_for_one_more(last, whitespace_before_first):
    """(comma for a new last element, the old last element with the comma it then needs).

    One element per line with a trailing comma (`(\n    a,\n    b,\n)`): the old last one takes
    the comma-and-newline the first line has, the new one the trailing comma. Otherwise the
    old last one gets `, ` and the new one none.
    """
    comma = last.comma
    multi_line = isinstance(comma, cst.Comma) and isinstance(
        comma.whitespace_after, cst.ParenthesizedWhitespace
    )
    if multi_line and isinstance(whitespace_before_first, cst.ParenthesizedWhitespace):
        return comma, last.with_changes(comma=cst.Comma(whitespace_after=whitespace_before_first))
    if isinstance(comma, cst.Comma):
        return cst.MaybeSentinel.DEFAULT, last
    return cst.MaybeSentinel.DEFAULT, last.with_changes(
        comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    )


def _with_parent_parameter(params: cst.Parameters, name: str, whitespace_before_params) -> cst.Parameters:
    """The function's parameters with a keyword-only `name` (the parent DAG) added last."""
    kwonly = list(params.kwonly_params)
    if kwonly:
        comma, kwonly[-1] = _comma_for_one_more(kwonly[-1], whitespace_before_params)
        kwonly.append(cst.Param(name=cst.Name(name), comma=comma))
        return params.with_changes(kwonly_params=kwonly)
    star = params.star_arg
    if isinstance(star, cst.ParamStar):  # a bare `*` with nothing after it cannot be: keep its comma
        return params.with_changes(kwonly_params=[cst.Param(name=cst.Name(name))])
    if isinstance(star, cst.Param):  # *args
        comma, star = _comma_for_one_more(star, whitespace_before_params)
        new = cst.Param(name=cst.Name(name), comma=comma)
        return params.with_changes(star_arg=star, kwonly_params=[new])
    plain = list(params.params)
    if not plain:
        return params.with_changes(star_arg=cst.ParamStar(), kwonly_params=[cst.Param(name=cst.Name(name))])
    comma, plain[-1] = _comma_for_one_more(plain[-1], whitespace_before_params)
    if comma is cst.MaybeSentinel.DEFAULT:  # one line
        star_comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    else:
        star_comma = plain[-1].comma
    return params.with_changes(
        params=plain,
        star_arg=cst.ParamStar(comma=star_comma),
        kwonly_params=[cst.Param(name=cst.Name(name), comma=comma)],
    )
