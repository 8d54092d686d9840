"""Helpers shared by the KubernetesPodOperator rules (AU120 models, AU121 operator arguments).

Both rules emit `k8s.V1...` calls: they agree on the local name of `kubernetes.client.models`
(an existing import of it, else `k8s`) and add `from kubernetes.client import models as k8s`
once, after the module's last top-level import, unless the file already has it (K8sImport: a
Rewrite of that import statement in each fix that needs it). The rules decide on CPython's
ast (the `ast_*` helpers); the LibCST helpers build the new code inside Rewrite transforms.
"""

from __future__ import annotations

import ast
import io
import tokenize
from functools import cache
from typing import TYPE_CHECKING, Optional, Union

from codemods._base import Rewrite
from codemods._context import ImportTracker

if TYPE_CHECKING:
    import libcst as cst

    ArgMap = dict[str, cst.Arg]
else:
    from codemods._libcst import cst

K8S_MODULE = "kubernetes.client.models"
K8S_DEFAULT_ALIAS = "k8s"


def k8s_alias(imports: ImportTracker) -> Optional[str]:
    """Local name to write `<alias>.V1Volume` with; None if `k8s` is taken by something else."""
    for local, qualified in imports.bindings.items():
        if qualified == K8S_MODULE:
            return local
    if K8S_DEFAULT_ALIAS in imports.bindings:
        return None
    return K8S_DEFAULT_ALIAS


def model_call(alias: str, model: str, args: list[cst.Arg]) -> cst.Call:
    return cst.Call(func=cst.Attribute(value=cst.Name(alias), attr=cst.Name(model)), args=args)


def kw(
    name: str,
    value: cst.BaseExpression,
    comma: Union[cst.Comma, cst.MaybeSentinel, None] = None,  # None: MaybeSentinel.DEFAULT
):
    return cst.Arg(
        keyword=cst.Name(name),
        value=value,
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
        comma=cst.MaybeSentinel.DEFAULT if comma is None else comma,
    )


@cache
def spaced_comma() -> cst.Comma:
    """`, `: a function, as a constant would import LibCST with the rules."""
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def with_commas(
    args: list[cst.Arg],
    last: Union[cst.Comma, cst.MaybeSentinel, None] = None,  # None: MaybeSentinel.DEFAULT
) -> list[cst.Arg]:
    last = cst.MaybeSentinel.DEFAULT if last is None else last
    return [a.with_changes(comma=spaced_comma() if i < len(args) - 1 else last) for i, a in enumerate(args)]


def bind_arguments(call: cst.Call, params: tuple[str, ...]) -> Union[ArgMap, str]:
    """Map the call's arguments to the 1.10 signature `params`: {param: Arg} or why it cannot."""
    bound: ArgMap = {}
    for index, arg in enumerate(call.args):
        if arg.star:
            return f"`{arg.star}` arguments cannot be mapped statically"
        if arg.keyword is None:
            if index >= len(params):
                return f"too many positional arguments (the 1.10 signature is ({', '.join(params)}))"
            name = params[index]
        else:
            name = arg.keyword.value
            if name not in params:
                return f"unknown argument `{name}` (the 1.10 signature is ({', '.join(params)}))"
        if name in bound:
            return f"argument `{name}` given twice"
        bound[name] = arg
    return bound


def as_keyword(arg: cst.Arg, name: str) -> cst.Arg:
    """The same argument (value, comma, layout) passed as `name=`."""
    if arg.keyword is not None and arg.keyword.value == name:
        return arg
    if arg.keyword is not None:
        return arg.with_changes(keyword=cst.Name(name))
    return arg.with_changes(
        keyword=cst.Name(name),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )


def literal_none(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "None"


def literal_falsy(expr: cst.BaseExpression) -> Optional[bool]:
    """True/False when `expr` is a literal whose truth is known, None when it is not a literal."""
    if isinstance(expr, cst.Name) and expr.value in ("None", "True", "False"):
        return expr.value != "True"
    if isinstance(expr, cst.SimpleString):
        value = expr.evaluated_value
        return not value
    if isinstance(expr, (cst.Integer, cst.Float)):
        return not ast.literal_eval(expr.value)  # `0x10`, `1_000`, `1e3`
    return None


# 1.10.15 airflow/kubernetes/pod.py Resources.to_k8s_client_obj(): each field -> (section, key)
RESOURCES_FIELDS = {
    "request_memory": ("requests", "memory"),
    "request_cpu": ("requests", "cpu"),
    "request_ephemeral_storage": ("requests", "ephemeral-storage"),
    "limit_memory": ("limits", "memory"),
    "limit_cpu": ("limits", "cpu"),
    "limit_gpu": ("limits", "nvidia.com/gpu"),
    "limit_ephemeral_storage": ("limits", "ephemeral-storage"),
}
RESOURCES_PARAMS = (
    "request_memory",
    "request_cpu",
    "request_ephemeral_storage",
    "limit_memory",
    "limit_cpu",
    "limit_gpu",
    "limit_ephemeral_storage",
)
# key order of the dicts 1.10 built (limits_raw / requests_raw), kept for readable output
_SECTION_ORDER = {
    "requests": ("cpu", "memory", "ephemeral-storage"),
    "limits": ("cpu", "memory", "nvidia.com/gpu", "ephemeral-storage"),
}


class ResourcesConversion:
    """`Resources(...)` fields -> `k8s.V1ResourceRequirements(requests={...}, limits={...})`.

    1.10 dropped every falsy value (`{k: v for k, v in raw.items() if v}`): literal None/""/0
    are dropped here too; a non-literal value is kept, which is right only if it is never falsy
    at run time (`assumptions` names them; the fix is then unsafe).
    """

    def __init__(self, alias: str, values: dict[str, cst.BaseExpression]) -> None:
        self.assumptions: list[str] = []
        sections: dict[str, dict[str, cst.BaseExpression]] = {"requests": {}, "limits": {}}
        for field, value in values.items():
            section, key = RESOURCES_FIELDS[field]
            falsy = literal_falsy(value)
            if falsy:
                continue
            if falsy is None:
                self.assumptions.append(field)
            sections[section][key] = value
        args = []
        for section in ("requests", "limits"):
            entries = sections[section]
            if not entries:
                continue
            keys = [k for k in _SECTION_ORDER[section] if k in entries]
            elements = [
                cst.DictElement(
                    key=cst.SimpleString(f'"{k}"'),
                    value=entries[k],
                    comma=spaced_comma() if i < len(keys) - 1 else cst.MaybeSentinel.DEFAULT,
                )
                for i, k in enumerate(keys)
            ]
            args.append(kw(section, cst.Dict(elements=elements)))
        self.expression = model_call(alias, "V1ResourceRequirements", with_commas(args))

    def assumption_text(self) -> str:
        return self.text_of(self.assumptions)

    @staticmethod
    def text_of(assumptions: list[str]) -> str:
        names = ", ".join(f"`{n}`" for n in assumptions)
        return (
            f"assumes {names} is never None/empty/0 at run time "
            "(1.10 dropped falsy resource values; the kubernetes model keeps them)"
        )


# ----- the same decisions on CPython's ast -----


def source_of(node: ast.AST, lines: list[bytes]) -> bytes:
    """The original source bytes of an ast node (without its enclosing parentheses)."""
    first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1  # type: ignore[attr-defined]
    start, end = node.col_offset, node.end_col_offset  # type: ignore[attr-defined]
    if first == last:
        return lines[first][start:end]
    return lines[first][start:] + b"".join(lines[first + 1 : last]) + lines[last][:end]


def simple_string(node: ast.AST, lines: list[bytes]) -> bool:
    """A str/bytes literal written as one string token (LibCST's SimpleString, not an
    implicit concatenation)."""
    if not (isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))):
        return False
    try:
        tokens = list(tokenize.tokenize(io.BytesIO(source_of(node, lines)).readline))
    except (tokenize.TokenError, SyntaxError):
        return False
    return sum(token.type == tokenize.STRING for token in tokens) == 1


def ast_literal_none(expr: ast.AST) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is None


def ast_literal_falsy(expr: ast.AST, lines: list[bytes]) -> Optional[bool]:
    """literal_falsy on the ast: True/False for a literal whose truth is known, else None."""
    if not isinstance(expr, ast.Constant):
        return None
    value = expr.value
    if value is None or isinstance(value, bool):
        return not value
    if isinstance(value, (str, bytes)):
        return not value if simple_string(expr, lines) else None
    if isinstance(value, (int, float)):
        return not value
    return None  # complex, Ellipsis: not literals LibCST reads a truth from


def resources_assumptions(values: dict[str, ast.AST], lines: list[bytes]) -> list[str]:
    """The fields ResourcesConversion would name in `assumptions`, decided on ast values."""
    return [field for field, value in values.items() if ast_literal_falsy(value, lines) is None]


def ast_bind_arguments(call: ast.Call, params: tuple[str, ...]) -> Union[dict[str, ast.AST], str]:
    """bind_arguments on an ast call: {param: the argument node (keyword or positional
    expression)} or why it cannot be bound. Arguments are taken in source order."""
    bound: dict[str, ast.AST] = {}
    items: list[ast.AST] = sorted(
        [*call.args, *call.keywords],
        key=lambda n: (n.lineno, n.col_offset),  # type: ignore[attr-defined]
    )
    for index, arg in enumerate(items):
        if isinstance(arg, ast.Starred):
            return "`*` arguments cannot be mapped statically"
        if isinstance(arg, ast.keyword):
            if arg.arg is None:
                return "`**` arguments cannot be mapped statically"
            name = arg.arg
            if name not in params:
                return f"unknown argument `{name}` (the 1.10 signature is ({', '.join(params)}))"
        else:
            if index >= len(params):
                return f"too many positional arguments (the 1.10 signature is ({', '.join(params)}))"
            name = params[index]
        if name in bound:
            return f"argument `{name}` given twice"
        bound[name] = arg
    return bound


def argument_value(arg: ast.AST) -> ast.AST:
    return arg.value if isinstance(arg, ast.keyword) else arg  # type: ignore[attr-defined]


def k8s_import_statement(alias: str) -> cst.SimpleStatementLine:
    names = [
        cst.ImportAlias(
            name=cst.Name("models"), asname=None if alias == "models" else cst.AsName(name=cst.Name(alias))
        )
    ]
    return cst.SimpleStatementLine(
        body=[
            cst.ImportFrom(
                module=cst.Attribute(value=cst.Name("kubernetes"), attr=cst.Name("client")), names=names
            )
        ]
    )


def ast_has_k8s_import(tree: ast.Module, alias: str) -> bool:
    """has_k8s_import on the ast: a top-level import binds `alias` to kubernetes.client.models."""
    for statement in tree.body:
        if (
            isinstance(statement, ast.ImportFrom)
            and not statement.level
            and statement.module == "kubernetes.client"
        ):
            for name in statement.names:
                if name.name == "models" and (name.asname or name.name) == alias:
                    return True
        if isinstance(statement, ast.Import):
            for name in statement.names:
                if name.name == K8S_MODULE and name.asname == alias:
                    return True
    return False


def import_anchor(tree: ast.Module) -> tuple[Optional[ast.stmt], bool]:
    """Where module_level_import_index puts a new import: (the statement it goes after, True)
    -- the last top-level import, else a module docstring --, or (the first statement it goes
    before, False); (None, False) for an empty module."""
    last = None
    for statement in tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            last = statement
    if last is not None:
        return last, True
    body = tree.body
    if not body:
        return None, False
    first = body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        if isinstance(first.value.value, (str, bytes)):
            return first, True
    return first, False


def statement_cst_type(statement: ast.stmt) -> Optional[str]:
    """The LibCST class of a whole statement: simple statements sit in a SimpleStatementLine."""
    if isinstance(
        statement,
        (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.If, ast.For, ast.AsyncFor, ast.While,
         ast.With, ast.AsyncWith, ast.Try),
    ):  # fmt: skip
        return None
    if type(statement).__name__ in ("TryStar", "Match"):
        return None
    return "SimpleStatementLine"


class K8sImport:
    """Adds `from kubernetes.client import models as <alias>` where module_level_import_index
    puts it, once per file whichever rule's fix needs it (AU120, AU121): the Rewrite of that
    statement, shared by every fix that needs the import. `before` (set by AU120): transforms
    of the same statement to run first (its pruned imports)."""

    def __init__(self, tree: ast.Module, alias: str) -> None:
        self.alias = alias
        self.before: list = []
        self.moved = False
        self.anchor, self.after = import_anchor(tree)
        self.rewrite: Optional[Rewrite] = None
        if self.anchor is not None and not ast_has_k8s_import(tree, alias):
            self.rewrite = Rewrite(self.anchor, self._transform, statement_cst_type(self.anchor))

    def applied(self, ctx) -> bool:
        """A fix taken in this file adds the import."""
        return self.rewrite is not None and any(r is self.rewrite for r in ctx.rewrites)

    def _transform(self, statement: cst.CSTNode):
        for transform in self.before:
            if not isinstance(statement, cst.CSTNode):
                break
            statement = transform(statement)
        if self.moved:  # AU120 removed the anchor: the import goes where it would have gone then
            return statement
        return self.added(statement, self.after)

    def added(self, statement, after: bool):
        """`statement` (as a transform returned it) with the import after or before it."""
        new = k8s_import_statement(self.alias)
        if isinstance(statement, cst.RemovalSentinel):
            # the import takes the place of the statement another fix removed
            return cst.FlattenSentinel([new])
        if isinstance(statement, cst.FlattenSentinel):
            return cst.FlattenSentinel([*statement.nodes, new] if after else [new, *statement.nodes])
        return cst.FlattenSentinel([statement, new] if after else [new, statement])


def k8s_import(ctx, alias: str) -> Optional[Rewrite]:
    """The shared Rewrite adding the k8s import to this file (None when it has it already)."""
    adder = ctx.memo.get(K8sImport)
    if adder is None or adder.alias != alias:
        adder = ctx.memo[K8sImport] = K8sImport(ctx.tree, alias)
    return adder.rewrite
