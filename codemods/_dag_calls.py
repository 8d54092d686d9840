"""Recognising DAG constructions and operator calls, shared by the DAG-argument rules."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Optional, Union

from codemods._ast_nodes import of_type
from codemods._base import Edit
from codemods._context import ImportTracker, ast_dotted_name, dotted_name
from codemods._dag_wrappers import forwarding_wrapper
from codemods._edit import string_key, string_literal
from codemods._generated.dag_signature import DAG_POSITIONAL_110

if TYPE_CHECKING:
    import libcst as cst

    AnyCall = Union[cst.Call, ast.Call]
else:
    from codemods._libcst import cst

# airflow.DAG, airflow.models.DAG, airflow.models.dag.DAG, airflow.sdk.DAG, ...; the TaskFlow
# decorator airflow.decorators.dag / airflow.sdk.dag takes the same arguments.
_DAG_DECORATORS = frozenset({"airflow.decorators.dag", "airflow.sdk.dag", "airflow.models.dag.dag"})


def _keywords(call: AnyCall) -> list[str]:
    if isinstance(call, ast.Call):
        return [keyword.arg for keyword in call.keywords if keyword.arg]
    return [arg.keyword.value for arg in call.args if arg.keyword is not None]


def is_dag_call(call: AnyCall, imports: ImportTracker) -> bool:
    qualified = imports.qualified_name(call.func)
    if not qualified or not qualified.startswith("airflow"):
        return False
    return qualified.rsplit(".", 1)[-1] == "DAG" or qualified in _DAG_DECORATORS


def is_dag_wrapper_call(call: AnyCall, imports: ImportTracker) -> bool:
    """A call of a company's `DAG` (a function or class called DAG that is not Airflow's:
    `from company_airflow import DAG`, a local `def DAG(dag_id, **kwargs)`)."""
    name = (ast_dotted_name(call.func) if isinstance(call, ast.Call) else dotted_name(call.func)) or ""
    if name.rsplit(".", 1)[-1] != "DAG":
        return False
    return not (imports.qualified_name(call.func) or "").startswith("airflow")


def is_operator_call(call: AnyCall, imports: ImportTracker) -> bool:
    """An Airflow operator/sensor, or any call given a task_id (custom operators)."""
    qualified = imports.qualified_name(call.func) or ""
    if qualified.startswith("airflow.") and qualified.endswith(("Operator", "Sensor")):
        return True
    return "task_id" in _keywords(call)


def names_default_args(target: ast.expr) -> bool:
    # `default_args`, `args`, `DEFAULT_ARGS`, `dag_args`: the names DAG repos give it.
    if not isinstance(target, ast.Name):
        return False
    name = target.id.lower()
    return name in ("args", "dag_args") or "default_args" in name


def dict_keys(node: cst.Dict) -> list[tuple[str, cst.DictElement]]:
    keys = []
    for element in node.elements:
        key = string_key(element)
        if key is not None and isinstance(element, cst.DictElement):
            keys.append((key, element))
    return keys


def ast_dict_keys(node: ast.Dict, lines) -> list[tuple[str, ast.Constant, ast.expr, tuple[bytes, bytes]]]:
    """dict_keys on the ast: (key, key node, value, (prefix, quote) of the key's literal) for
    each element whose key is one str literal (`"a" "b"` and f-strings are not)."""
    keys = []
    for key, value in zip(node.keys, node.values):
        literal = string_literal(key, lines) if key is not None else None
        if literal is not None and isinstance(key.value, str):  # type: ignore[union-attr]
            keys.append((key.value, key, value, literal))  # type: ignore[union-attr]
    return keys


def rename_edit(keyword: ast.keyword, new: str) -> Edit:
    """The byte edit that renames a keyword argument (`name=value` -> `new=value`)."""
    assert keyword.arg is not None
    start = keyword.col_offset
    return Edit(keyword.lineno, start, start + len(keyword.arg.encode()), new.encode())


# The DAG arguments that give a schedule (1.10 / 2.x / 2.2+ timetables / 2.4+).
SCHEDULE_ARGUMENTS = frozenset({"schedule_interval", "schedule", "timetable"})


def without_schedule(call: ast.Call, imports: ImportTracker) -> bool:
    """`DAG(...)` (not the @dag decorator) that gives no schedule, by keyword or by position, and
    cannot give one through `*` / `**`: it runs on DAG's default schedule."""
    if any(isinstance(arg, ast.Starred) for arg in call.args) or positional_schedule(call) is not None:
        return False
    if any(keyword.arg is None or keyword.arg in SCHEDULE_ARGUMENTS for keyword in call.keywords):
        return False
    return (imports.qualified_name(call.func) or "").endswith("DAG")


def positional_schedule(call: ast.Call) -> Optional[ast.expr]:
    """The schedule a `DAG(...)` call gives by position: its third argument (1.10's
    `schedule_interval`; `schedule` since 2.4 put it there), or None."""
    index = DAG_POSITIONAL_110.index("schedule_interval")
    return call.args[index] if len(call.args) > index else None


def append_keyword(call: cst.Call, name: str, value: str) -> cst.Call:
    """Add `name=value` after the last argument, laid out like the arguments already there: on a
    line of its own when they are one per line. The last argument keeps its line and its comment,
    and what stood before `)` (its line break, blank lines, a trailing comma) comes after the new one."""
    args = list(call.args)
    new = cst.Arg(
        keyword=cst.Name(name),
        value=cst.parse_expression(value),
        equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
    )
    if not args:
        return call.with_changes(args=[new])
    last = args[-1]
    between = _between_arguments(call)
    trailing = last.comma if isinstance(last.comma, cst.Comma) else None
    after = trailing.whitespace_after if trailing is not None else last.whitespace_after_arg  # up to `)`
    if isinstance(after, cst.ParenthesizedWhitespace) and isinstance(between, cst.ParenthesizedWhitespace):
        kept = after.with_changes(empty_lines=(), indent=between.indent, last_line=between.last_line)
        closing: cst.BaseParenthesizableWhitespace = after.with_changes(first_line=cst.TrailingWhitespace())
    else:
        kept, closing = between, after
    if trailing is not None:
        args[-1] = last.with_changes(comma=trailing.with_changes(whitespace_after=kept))
        new = new.with_changes(
            comma=cst.Comma(whitespace_after=closing), whitespace_after_arg=last.whitespace_after_arg
        )
    else:
        args[-1] = last.with_changes(
            comma=cst.Comma(whitespace_after=kept), whitespace_after_arg=cst.SimpleWhitespace("")
        )
        new = new.with_changes(whitespace_after_arg=closing)
    args.append(new)
    return call.with_changes(args=args)


def _between_arguments(call: cst.Call) -> cst.BaseParenthesizableWhitespace:
    """What separates the call's arguments after a comma (without a comment or blank lines): the
    space after the comma before the last argument, or with one argument the line break after
    `(` when it stands on a line of its own; else one space."""
    args = call.args
    if len(args) >= 2 and isinstance(args[-2].comma, cst.Comma):
        space = args[-2].comma.whitespace_after
    else:
        space = call.whitespace_before_args
        if not isinstance(space, cst.ParenthesizedWhitespace):
            return cst.SimpleWhitespace(" ")
    if isinstance(space, cst.ParenthesizedWhitespace):
        return space.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=())
    return space


def is_dag_class(name: str) -> bool:
    return name == "DAG"


def is_operator_class(name: str) -> bool:
    return name.endswith(("Operator", "Sensor"))


def _is_airflow_base(base: ast.expr, imports: ImportTracker, bases) -> bool:
    qualified = imports.qualified_name(base)
    return bool(qualified and qualified.startswith("airflow") and bases(qualified.rsplit(".", 1)[-1]))


def _init_reaches_airflow(
    base: ast.expr, imports: ImportTracker, local_classes: dict, bases: frozenset
) -> bool:
    """`base.__init__` is the Airflow class's own: `base` is that class, or a class of this file
    that defines no `__init__` and has that one base (single inheritance all the way)."""
    seen: set[str] = set()
    while True:
        if _is_airflow_base(base, imports, bases):
            return True
        if not isinstance(base, ast.Name) or base.id not in local_classes or base.id in seen:
            return False
        seen.add(base.id)
        cls = local_classes[base.id]
        if len(cls.bases) != 1 or cls.keywords:
            return False
        if any(isinstance(item, ast.FunctionDef) and item.name == "__init__" for item in cls.body):
            return False
        base = cls.bases[0]


def superclass_init_calls(
    tree: ast.Module, imports: ImportTracker, bases: frozenset
) -> frozenset[tuple[int, int]]:
    """(line, col offset) of the calls that hand a subclass's arguments to an Airflow class
    (whose name `bases` accepts: is_dag_class, is_operator_class) itself: in a class's `__init__`, `super().__init__(...)` / `super(Cls, self).__init__(...)`
    when its one base's `__init__` is Airflow's, and `DAG.__init__(self, ...)`. Their keyword
    arguments are that class's arguments: the DAG (operator) argument rules apply to them as
    to a direct call. (With several bases super() may reach a mixin's `__init__`: left alone.)"""
    # every class of the file, by name (the last one bound wins, as in ast.walk's order)
    local_classes = {node.name: node for node in of_type(tree, ast.ClassDef)}
    found = set()
    for cls in local_classes.values():
        through_super = None  # asked only when an `__init__` calls super()
        for method in cls.body:
            if not (isinstance(method, ast.FunctionDef) and method.name == "__init__"):
                continue
            for node in of_type(method, ast.Call):
                func = node.func
                if not (func.__class__ is ast.Attribute and func.attr == "__init__"):
                    continue
                owner = func.value
                is_super = (
                    isinstance(owner, ast.Call)
                    and isinstance(owner.func, ast.Name)
                    and owner.func.id == "super"
                )
                if is_super:
                    if through_super is None:
                        through_super = len(cls.bases) == 1 and _init_reaches_airflow(
                            cls.bases[0], imports, local_classes, bases
                        )
                    if through_super:
                        found.add((node.lineno, node.col_offset))
                elif node.args and _init_reaches_airflow(owner, imports, local_classes, bases):
                    found.add((node.lineno, node.col_offset))
    return frozenset(found)


def file_superclass_init_calls(ctx, bases) -> frozenset[tuple[int, int]]:
    """superclass_init_calls of the file's tree, once per file and kind of base: shared by
    every rule that asks (ctx.memo)."""
    key = (superclass_init_calls, bases)
    positions = ctx.memo.get(key)
    if positions is None:
        positions = superclass_init_calls(ctx.tree, ctx.imports, bases) if ctx.tree else frozenset()
        ctx.memo[key] = positions
    return positions


class _SuperclassInitCalls:
    """Recognises, on the ast, the `__init__` calls of subclasses of Airflow classes."""

    _airflow_bases = staticmethod(is_dag_class)

    def is_superclass_init(self, call: ast.Call) -> bool:
        if not isinstance(call.func, ast.Attribute) or call.func.attr != "__init__":
            return False
        positions = file_superclass_init_calls(self.ctx, self._airflow_bases)  # type: ignore[attr-defined]
        return (call.lineno, call.col_offset) in positions


class DagConstructions(_SuperclassInitCalls):
    """For a Rule that changes DAG(...) arguments: `DAG(...)` calls and the `__init__` calls of
    DAG subclasses (`super().__init__(schedule_interval=...)`)."""

    def is_dag_construction(self, call: AnyCall) -> bool:
        return is_dag_call(call, self.ctx.imports) or self.is_superclass_init(call)  # type: ignore[attr-defined]

    def construction_fix(
        self, call: AnyCall, *, adds_arguments: bool = False, names: frozenset[str] = frozenset()
    ) -> Optional[str]:
        """How safe a DAG-argument fix of this call is: SAFE for Airflow's DAG (and subclass
        `__init__` calls), UNSAFE for a company's wrapper called `DAG` (a function or class of
        another package, `from company_airflow import DAG`), which most often hands its keywords
        to Airflow's DAG but may give them another meaning; None for any other call.

        Renaming or removing keywords (`names`: every name the fix takes away or writes) in a
        call of a wrapper is SAFE when the wrapper hands them on unchanged: the team declares it
        in the `dag-wrappers` setting, or its source in the DAG repo proves it
        (codemods/_dag_wrappers.py). Adding one that the call omits (`adds_arguments`) stays
        UNSAFE, as the wrapper may supply its own value, unless its source proves it does not."""
        if self.is_dag_construction(call):
            return "safe"
        if not is_dag_wrapper_call(call, self.ctx.imports):  # type: ignore[attr-defined]
            return None
        if not adds_arguments and self.declared_wrapper(call):
            return "safe"
        if self.proven_wrapper(call, names):  # an added keyword arrives too, as nothing else sets it
            return "safe"
        return "unsafe"

    def declared_wrapper(self, call: AnyCall) -> bool:
        """The call's `DAG` is one the `dag-wrappers` setting names (by qualified name)."""
        declared = self.ctx.options.dag_wrappers  # type: ignore[attr-defined]
        return bool(declared) and self.ctx.imports.qualified_name(call.func) in declared  # type: ignore[attr-defined]

    def proven_wrapper(self, call: AnyCall, names: frozenset[str]) -> Optional[str]:
        """Where the call's `DAG` is defined, when its source shows that it hands the keywords
        `names` on to Airflow's DAG unchanged."""
        if not names or not isinstance(call, ast.Call):
            return None
        return forwarding_wrapper(self.ctx, call, names)  # type: ignore[attr-defined]

    def wrapper_note(self, call: AnyCall, safety: Optional[str], names: frozenset[str] = frozenset()) -> str:
        """What the message adds for a company's `DAG`: why the fix is (un)safe."""
        if not is_dag_wrapper_call(call, self.ctx.imports):  # type: ignore[attr-defined]
            return ""
        if safety == "safe" and self.declared_wrapper(call):
            return DECLARED_WRAPPER_NOTE
        where = self.proven_wrapper(call, names) if safety == "safe" else None
        if where is not None:
            return PROVEN_WRAPPER_NOTE.format(where=where)
        return RENAME_WRAPPER_NOTE


WRAPPER_NOTE = (
    " (this `DAG` is not Airflow's: an unsafe fix, exact when it passes its keyword arguments on to "
    "Airflow's DAG)"
)
RENAME_WRAPPER_NOTE = WRAPPER_NOTE[:-1] + "; if it does, name it in the `dag-wrappers` setting)"
PROVEN_WRAPPER_NOTE = (
    " (this `DAG` is not Airflow's; its definition at {where} hands them on to Airflow's DAG unchanged)"
)
DECLARED_WRAPPER_NOTE = (
    " (this `DAG` is not Airflow's; the `dag-wrappers` setting says it passes its keyword arguments on "
    "to Airflow's DAG)"
)


class OperatorConstructions(_SuperclassInitCalls):
    """The same for operator arguments: operator calls and `super().__init__(...)` in the
    `__init__` of a subclass of an Airflow operator."""

    _airflow_bases = staticmethod(is_operator_class)

    def is_operator_construction(self, call: cst.Call) -> bool:
        return is_operator_call(call, self.ctx.imports) or self.is_superclass_init(call)  # type: ignore[attr-defined]
