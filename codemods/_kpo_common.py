"""Helpers shared by the KubernetesPodOperator rules (AU120 models, AU121 operator arguments).

Both rules emit `k8s.V1...` calls: they agree on the local name of `kubernetes.client.models`
(an existing import of it, else `k8s`) and add `from kubernetes.client import models as k8s`
through the import service (codemods/_import_service.py: once per file, where its rule puts it)
unless the file already has it. The rules decide on CPython's
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
from codemods._edit import ast_source
from codemods._import_service import add_import

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


def simple_string(node: ast.AST, lines: list[bytes]) -> bool:
    """A str/bytes literal written as one string token (LibCST's SimpleString, not an
    implicit concatenation)."""
    if not (isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))):
        return False
    try:
        tokens = list(tokenize.tokenize(io.BytesIO(ast_source(node, lines)).readline))
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


def k8s_import(ctx, alias: str) -> Optional[Rewrite]:
    """The Rewrite adding `from kubernetes.client import models as <alias>` to this file, the
    same for every fix that needs it (the import service places it); None when the file has it."""
    return add_import(ctx, "kubernetes.client", "models", None if alias == "models" else alias)
