"""AU202: deprecated task-context keys read from Python (`kwargs["execution_date"]`, ...).

The task context a python_callable receives (`**kwargs`, `**context`), the `context` argument of
`execute()` and of callbacks, and `get_current_context()` lost `execution_date`,
`next_execution_date`, `next_ds`, `prev_ds`, `yesterday_ds`... : deprecated in Airflow 2.2
(AIP-39 data intervals), removed in 3.0 (a KeyError at run time). Context keys are also passed
by parameter name (`def f(ds, execution_date, **_)`), so such parameters are renamed with their
uses. Replacements follow Airflow 2.x airflow/utils/context.py; targets 2.0/2.1 keep the old keys.

## Example
```python target=2.2
def load(**kwargs):
    day = kwargs["execution_date"]
    return day
```
Use instead:
```python
def load(**kwargs):
    day = kwargs["logical_date"]
    return day
```
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Optional

from codemods._ast_nodes import children, of_type, parents, with_ancestors
from codemods._base import NO_FIX, SAFE, UNSAFE, Edit, Finding, Fix, Rewrite, Rule
from codemods._jinja import REPLACEMENTS, RUN_OBJECTS
from codemods._string_pieces import pieces, source

if TYPE_CHECKING:
    import libcst as cst
else:
    from codemods._libcst import cst

# key -> the key replacing it, and the fix's safety (the templates' table: only `logical_date`
# is exact for every run; the data-interval keys differ for manually triggered runs)
_SIMPLE: dict[str, tuple[str, str]] = {
    key: (REPLACEMENTS[key].expression, REPLACEMENTS[key].fix)  # type: ignore[misc]
    for key in ("execution_date", "next_execution_date", "prev_execution_date_success")
}
# key -> (Python expression template over the context variable `{c}`, fix safety)
_EXPRESSIONS: dict[str, tuple[str, str]] = {
    # Airflow's `ds` filter is value.strftime("%Y-%m-%d"); `ds_nodash` "%Y%m%d".
    "next_ds": ("{c}[{q}data_interval_end{q}].strftime({q}%Y-%m-%d{q})", REPLACEMENTS["next_ds"].fix),
    "next_ds_nodash": (
        "{c}[{q}data_interval_end{q}].strftime({q}%Y%m%d{q})",
        REPLACEMENTS["next_ds_nodash"].fix,
    ),
    "yesterday_ds": ("{c}[{q}macros{q}].ds_add({c}[{q}ds{q}], -1)", UNSAFE),
    "tomorrow_ds": ("{c}[{q}macros{q}].ds_add({c}[{q}ds{q}], 1)", UNSAFE),
    "yesterday_ds_nodash": ("{c}[{q}macros{q}].ds_add({c}[{q}ds{q}], -1).replace({q}-{q}, {q}{q})", UNSAFE),
    "tomorrow_ds_nodash": ("{c}[{q}macros{q}].ds_add({c}[{q}ds{q}], 1).replace({q}-{q}, {q}{q})", UNSAFE),
}
TOKENS = tuple(
    name.encode() for name in ("execution_date", "next_ds", "prev_ds", "tomorrow_ds", "yesterday_ds")
)
TOKENS += (b'"conf"', b"'conf'")


def _removed(key: str) -> str:
    return f"context key `{key}` is deprecated since Airflow 2.2 and gone in 3.0"


@dataclass
class _Frame:
    context_names: set[str] = field(default_factory=set)
    run_params: set[str] = field(default_factory=set)  # dag_run / ti parameters of a context callable


@dataclass
class _Rename:
    """A parameter renamed with its uses, once its finding's fix is applied."""

    key: str
    new: str
    finding: Optional[Finding] = None


def _index(node: ast.Subscript) -> Optional[ast.expr]:
    """The key of `x[key]` (not a slice, not several)."""
    key = node.slice
    return None if isinstance(key, (ast.Slice, ast.Tuple)) else key


class ContextKeyRewriter(Rule):
    code = "AU202"
    name = "context-keys"
    summary = "Rewrite deprecated task-context keys read in Python (kwargs['execution_date'], get_current_context())"
    tokens = TOKENS
    min_target = (2, 2)
    fix = SAFE
    node_types = (ast.Module,)
    in_import_guards = True

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._frames: list[_Frame] = []
        self._simple: dict[int, bool] = {}

    def check(self, node: ast.AST) -> Iterator[Finding]:
        if not self._candidates(node):
            return
        needed = self._needed(node)
        # the names holding a context depend on the statements before: one walk in source order
        stack: list[tuple[ast.AST, bool]] = [(node, False)]
        while stack:
            current, leaving = stack.pop()
            if isinstance(current, _Report):
                yield from current.findings
                continue
            if leaving:
                self._frames.pop()
                continue
            if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield from self._enter_function(current)
                stack.append((current, True))
            elif isinstance(current, ast.Assign):
                self._assign(current)
            elif isinstance(current, (ast.Subscript, ast.Attribute, ast.Call)):
                # a read is reported after the reads inside it, as LibCST leaves them (post-order)
                found = list(self._read(current))
                if found:
                    stack.append((_Report(found), False))  # type: ignore[arg-type]
            stack.extend((child, False) for child in reversed(children(current)) if id(child) in needed)

    def _needed(self, tree: ast.AST) -> set[int]:
        """ids of the nodes the walk must enter: those holding a function (a frame), a
        get_current_context() call, a name that may hold a context or a run (every read found
        is of one of them) or, closing a bridge, a subscript keyed by a conditional."""
        kinds = (ast.FunctionDef, ast.AsyncFunctionDef)
        functions = [function for kind in kinds for function in of_type(tree, kind)]
        contexts = [call for call in of_type(tree, ast.Call) if self._is_get_current_context(call)]
        names = {"context", *RUN_OBJECTS}
        names.update(function.args.kwarg.arg for function in functions if function.args.kwarg is not None)
        for assign in of_type(tree, ast.Assign):
            if isinstance(assign.value, ast.Call) and self._is_get_current_context(assign.value):
                names.update(target.id for target in assign.targets if isinstance(target, ast.Name))
        wanted: list[ast.AST] = [*functions, *contexts]
        wanted += [name for name in of_type(tree, ast.Name) if name.id in names]
        if self.ctx.options.close_bridge:
            wanted += [node for node in of_type(tree, ast.Subscript) if isinstance(_index(node), ast.IfExp)]
        return with_ancestors(wanted, parents(tree))

    def _candidates(self, tree: ast.AST) -> bool:
        """Cheap: the file reads a deprecated key or run attribute, or names a parameter after one."""
        keys = REPLACEMENTS.keys() | RUN_OBJECTS
        for node in of_type(tree, ast.Subscript):
            key = _index(node)
            if isinstance(key, ast.IfExp) or (isinstance(key, ast.Constant) and key.value in keys):
                return True
        if any(node.attr == "execution_date" for node in of_type(tree, ast.Attribute)):
            return True
        for node in of_type(tree, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "get":
                firsts = [*node.args[:1], *(keyword.value for keyword in node.keywords[:1])]
                if any(isinstance(first, ast.Constant) and first.value in REPLACEMENTS for first in firsts):
                    return True
        return any(node.arg in REPLACEMENTS for node in of_type(tree, ast.arg))

    # -- which names hold a task context -------------------------------------------------
    def _enter_function(self, node) -> Iterator[Finding]:
        frame = _Frame()
        arguments = node.args
        star = arguments.kwarg
        if star is not None:
            frame.context_names.add(star.arg)
        every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        for param in every:
            if param.arg == "context":
                frame.context_names.add("context")
        if star is not None:
            yield from self._plan_renames(node, every)
            frame.run_params = {p.arg for p in every} & RUN_OBJECTS
        self._frames.append(frame)

    def _plan_renames(self, node, params: list[ast.arg]) -> Iterator[Finding]:
        # Airflow passes context keys by parameter name to a callable taking **kwargs.
        taken = {param.arg for param in params}
        renames: list[_Rename] = []
        for param in params:
            key = param.arg
            if key not in REPLACEMENTS:
                continue
            new, safety = _SIMPLE.get(key, (None, NO_FIX))
            if new is None or new in taken or _mentions_name(node.body, new):
                detail = f"rename it to `{new}`" if new else REPLACEMENTS[key].note
                yield Finding(param, f"parameter `{key}`: {_removed(key)}: {detail}", length=len(key))
                continue
            rename = _Rename(key, new)
            renames.append(rename)
            rename.finding = Finding(
                param,
                f"parameter `{key}`: {_removed(key)}: renamed to `{new}` ({REPLACEMENTS[key].note})",
                Fix(safety, (Rewrite(node, partial(self._renamed, renames, rename)),)),  # type: ignore[arg-type]
                length=len(key),
            )
            yield rename.finding

    def _renamed(self, renames: list[_Rename], rename: _Rename, updated: cst.FunctionDef) -> cst.FunctionDef:
        """The function with the parameters whose fixes were applied renamed with their uses
        (all at once, by the first of them)."""
        from codemods._context_keys_transforms import Renamer  # LibCST: fix mode only

        applied = {r.key: r.new for r in renames if self.ctx.applied(r.finding)}  # type: ignore[arg-type]
        if next(r for r in renames if r.key in applied) is not rename:
            return updated
        params = updated.params

        def renamed(items):
            return [
                p.with_changes(name=cst.Name(applied[p.name.value])) if p.name.value in applied else p
                for p in items
            ]

        params = params.with_changes(
            posonly_params=renamed(params.posonly_params),
            params=renamed(params.params),
            kwonly_params=renamed(params.kwonly_params),
        )
        return updated.with_changes(params=params, body=updated.body.visit(Renamer(applied)))

    def _assign(self, node: ast.Assign) -> None:
        if self._frames and isinstance(node.value, ast.Call) and self._is_get_current_context(node.value):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self._frames[-1].context_names.add(target.id)

    def _is_get_current_context(self, call: ast.Call) -> bool:
        qualified = self.ctx.imports.qualified_name(call.func) or ""
        return qualified.endswith(".get_current_context") or (
            isinstance(call.func, ast.Name) and call.func.id == "get_current_context"
        )

    def _holds_context(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Name):
            return any(node.id in frame.context_names for frame in self._frames)
        return isinstance(node, ast.Call) and self._is_get_current_context(node)

    def _string(self, node: Optional[ast.AST]) -> Optional[str]:
        """The value of a string literal of one piece (not `"a" "b"`)."""
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            return None
        simple = self._simple.get(id(node))
        if simple is None:
            simple = self._simple[id(node)] = len(pieces(self.ctx.lines, node)) == 1
        return node.value if simple else None

    def _source(self, node: ast.AST) -> str:
        return source(self.ctx.lines, node)

    def _with_value(self, node: ast.Constant, value: str) -> Edit | Rewrite:
        """The key literal `node` holding `value` instead (same prefix and quotes)."""
        (piece,) = pieces(self.ctx.lines, node)
        new = f"{piece.prefix}{piece.quote}{value}{piece.quote}"
        return self._replaced(node, new)

    def _replaced(self, node: ast.AST, new: str) -> Edit | Rewrite:
        if node.lineno == node.end_lineno:  # type: ignore[attr-defined]
            return Edit(node.lineno, node.col_offset, node.end_col_offset, new.encode("utf-8"))  # type: ignore[attr-defined, arg-type]
        return Rewrite(node, lambda _: cst.parse_expression(new))

    # -- the reads -----------------------------------------------------------------------
    def _read(self, node: ast.expr) -> Iterator[Finding]:
        if isinstance(node, ast.Subscript):
            yield from self._subscript(node)
        elif isinstance(node, ast.Attribute):
            yield from self._attribute(node)
        else:
            yield from self._get(node)  # type: ignore[arg-type]

    def _subscript(self, node: ast.Subscript) -> Iterator[Finding]:
        key_node = _index(node)
        if key_node is None:
            return
        if self.ctx.options.close_bridge and isinstance(key_node, ast.IfExp):
            yield from self._closed(node, key_node)
            return
        if not _names(key_node, REPLACEMENTS):
            return
        key = self._string(key_node)
        if key not in REPLACEMENTS or not self._holds_context(node.value):
            return
        assert isinstance(key_node, ast.Constant)
        if key in _SIMPLE:
            new, safety = _SIMPLE[key]
            # Bridge mode on 3.x: 1.10's context has no `logical_date`, 3.0's no `execution_date`;
            # `c["logical_date" if "logical_date" in c else "execution_date"]` reads the one it has.
            bridging = (
                self.ctx.options.bridge and self.ctx.target >= (3, 0) and isinstance(node.value, ast.Name)
            )
            message = f"{_removed(key)}: use `{new}` ({REPLACEMENTS[key].note})"
            if bridging:
                message += (
                    f"; bridge mode reads `{new}` where the context has it, else `{key}` (Airflow 1.10)"
                )
            change = self._with_value(key_node, new)
            if bridging:
                (piece,) = pieces(self.ctx.lines, key_node)
                q = piece.quote
                holder = node.value.id  # type: ignore[attr-defined]
                change = self._replaced(key_node, f"{q}{new}{q} if {q}{new}{q} in {holder} else {piece.text}")
            yield Finding(node, message, Fix(safety, (change,), bridged=bridging))
            return
        if key in _EXPRESSIONS:
            template, safety = _EXPRESSIONS[key]
            (piece,) = pieces(self.ctx.lines, key_node)
            expression = template.format(c=self._source(node.value), q=piece.quote)
            yield Finding(
                node,
                f"{_removed(key)}: use `{expression}` ({REPLACEMENTS[key].note})",
                Fix(safety, (self._replaced(node, expression),)),
            )
            return
        yield Finding(node, f"{_removed(key)}: rewrite by hand ({REPLACEMENTS[key].note})")

    def _closed(self, node: ast.Subscript, key_node: ast.IfExp) -> Iterator[Finding]:
        """Closing the bridge: `c["logical_date" if "logical_date" in c else "execution_date"]`
        is `c["logical_date"]` (the form bridge mode writes, see _subscript)."""
        test, body, old = key_node.test, self._string(key_node.body), self._string(key_node.orelse)
        if not (
            old in _SIMPLE
            and body == _SIMPLE[old][0]
            and isinstance(node.value, ast.Name)
            and isinstance(test, ast.Compare)
            and self._string(test.left) == body
            and len(test.ops) == 1
            and isinstance(test.ops[0], ast.In)
            and isinstance(test.comparators[0], ast.Name)
            and test.comparators[0].id == node.value.id
        ):
            return
        yield Finding(
            node,
            f"closing the bridge: the context key is `{body}` alone",
            Fix.safe(self._replaced(key_node, self._source(key_node.body))),
        )

    def _attribute(self, node: ast.Attribute) -> Iterator[Finding]:
        # context["dag_run"].execution_date, kwargs["ti"].execution_date, def f(dag_run, **kw)
        if node.attr != "execution_date":
            return
        owner = node.value
        attr = _attribute_name(node)
        if isinstance(owner, ast.Subscript):
            key_node = _index(owner)
            if key_node is None:
                return
            if not _names(key_node, RUN_OBJECTS):
                return
            key = self._string(key_node)
            if key not in RUN_OBJECTS or not self._holds_context(owner.value):
                return
            assert isinstance(key_node, ast.Constant)
            (piece,) = pieces(self.ctx.lines, key_node)
            new_owner = f"{self._source(owner.value)}[{piece.quote}dag_run{piece.quote}]"
            yield Finding(
                node,
                ATTRIBUTE_MESSAGE + f"use `{new_owner}.logical_date` (exact for every run)",
                Fix.safe(self._with_value(key_node, "dag_run"), attr),
            )
            return
        if isinstance(owner, ast.Name) and any(owner.id in f.run_params for f in self._frames):
            if owner.id != "dag_run":
                # Airflow 3's runtime task instance has no logical_date; take the dag_run parameter.
                yield Finding(
                    node, ATTRIBUTE_MESSAGE + "use `dag_run.logical_date` (add a `dag_run` parameter)"
                )
                return
            yield Finding(
                node, ATTRIBUTE_MESSAGE + "use `dag_run.logical_date` (exact for every run)", Fix.safe(attr)
            )

    def _get(self, node: ast.Call) -> Iterator[Finding]:
        # context.get("execution_date") / kwargs.get("next_ds", None)
        func = node.func
        if not (isinstance(func, ast.Attribute) and func.attr == "get"):
            return
        arguments = sorted([*node.args, *node.keywords], key=lambda a: (a.lineno, a.col_offset))
        if not arguments:
            return
        first = arguments[0]
        key_node = first.value if isinstance(first, ast.keyword) else first
        if not _names(key_node, REPLACEMENTS):
            return
        key = self._string(key_node)
        if key not in REPLACEMENTS or not self._holds_context(func.value):
            return
        if key not in _SIMPLE:
            yield Finding(node, f"{_removed(key)}: rewrite by hand ({REPLACEMENTS[key].note})")
            return
        new, safety = _SIMPLE[key]
        yield Finding(
            node,
            f"{_removed(key)}: use `{new}` ({REPLACEMENTS[key].note})",
            Fix(safety, (self._with_value(key_node, new),)),  # type: ignore[arg-type]
        )


def _names(node: ast.AST, keys) -> bool:
    """A string literal whose value is one of `keys` (whether it is one piece is asked after:
    that needs the file's tokens)."""
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in keys


@dataclass
class _Report:
    """The findings of a read, reported when the walk leaves it."""

    findings: list


def _attribute_name(node: ast.Attribute) -> Edit | Rewrite:
    """`.execution_date` -> `.logical_date`: the attribute's name is the node's last token."""
    end = node.end_col_offset or 0
    if node.end_lineno is not None:
        return Edit(node.end_lineno, end - len(node.attr.encode()), end, b"logical_date")
    return Rewrite(node, lambda updated: updated.with_changes(attr=cst.Name("logical_date")))


ATTRIBUTE_MESSAGE = (
    "`.execution_date` of the dag run / task instance is deprecated since Airflow 2.2 and removed in 3.0: "
)


def _mentions_name(body: list[ast.stmt], name: str) -> bool:
    """Whether any name in these statements (variable, attribute, keyword, parameter,
    definition, import) is `name`."""
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name):
                found = node.id == name
            elif isinstance(node, ast.Attribute):
                found = node.attr == name
            elif isinstance(node, (ast.keyword, ast.arg)):
                found = node.arg == name
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                found = node.name == name
            elif isinstance(node, ast.alias):
                found = name in node.name.split(".") or node.asname == name
            elif isinstance(node, ast.ImportFrom):
                found = name in (node.module or "").split(".")
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                found = name in node.names
            elif isinstance(node, ast.ExceptHandler):
                found = node.name == name
            else:
                continue
            if found:
                return True
    return False
