"""AU120: the 1.10 KubernetesPodOperator models -> `kubernetes.client.models` objects.

Airflow 2.0 removed `airflow.contrib.kubernetes.*` and `airflow.kubernetes.{volume,volume_mount,
pod,pod_runtime_info_env}`; the cncf.kubernetes provider takes the kubernetes client's own models
(its 1.x `backcompat` copies of the old classes are gone from provider 2.0 on). Each 1.10 class
is rewritten to the object its 1.10.15 `to_k8s_client_obj()` produced, arguments bound by the
1.10.15 signatures (positional ones included):

    Volume(name, configs)                      -> k8s.V1Volume(name=, <snake(key)>=typed model, ...)
    VolumeMount(name, mount_path, sub_path, read_only) -> k8s.V1VolumeMount(same keywords)
    Port(name=None, container_port=None)       -> k8s.V1ContainerPort(name=, container_port=)
    Resources(request_*/limit_*)               -> k8s.V1ResourceRequirements(requests={}, limits={})
    PodRuntimeInfoEnv(name, field_path)        -> k8s.V1EnvVar(name=, value_from=...field_ref...)

1.10's Volume set each configs key (camelCase turned snake_case) as a raw attribute; the nested
dicts went to the API as they were, i.e. with the API's JSON (camelCase) keys. The rewrite turns
them into the typed models (codemods/_generated/kpo_k8s_models.py, generated from the real clients) and
reports, without a fix, anything it cannot map exactly. `Pod` (removed in 2.0, no equivalent
but `k8s.V1Pod`) and a `Secret` the 2.x classes reject are reported. The `Secret` import itself
is the import renamer's (AU101) job: its arguments did not change.

## Example
```python
from airflow.contrib.kubernetes.volume_mount import VolumeMount

mount = VolumeMount("data", mount_path="/data", sub_path=None, read_only=True)
```
Use instead:
```python
from kubernetes.client import models as k8s

mount = k8s.V1VolumeMount(name="data", mount_path="/data", sub_path=None, read_only=True)
```
"""

from __future__ import annotations

import ast
import re
from typing import Optional, Union

import libcst as cst

from codemods._base import NO_FIX, SAFE, UNSAFE, Rule
from codemods._context import dotted_name
from codemods._generated.kpo_k8s_models import K8S_MODELS, LEGACY_V1VOLUME_ATTRS
from codemods._import_spans import alias_spans
from codemods._kpo_common import (
    COMMA,
    RESOURCES_PARAMS,
    ResourcesConversion,
    as_keyword,
    bind_arguments,
    ensure_k8s_import,
    k8s_alias,
    kw,
    literal_none,
    model_call,
    used_names,
)

PACKAGES = ("airflow.contrib.kubernetes", "airflow.kubernetes")
# (module, class) of the 1.10.15 models this rule rewrites
CONVERTED = {
    ("volume", "Volume"),
    ("volume_mount", "VolumeMount"),
    ("pod", "Port"),
    ("pod", "Resources"),
    ("pod_runtime_info_env", "PodRuntimeInfoEnv"),
}
MODELS: dict[str, str] = {
    f"{package}.{module}.{cls}": cls for package in PACKAGES for module, cls in CONVERTED
}
MODELS["airflow.contrib.kubernetes.pod.Pod"] = "Pod"
MODELS.update({f"{package}.secret.Secret": "Secret" for package in PACKAGES})
MODEL_MODULES = {f"{package}.{module}" for package in PACKAGES for module, _ in CONVERTED}
CONVERTED_QUALIFIED = {f"{package}.{module}.{cls}" for package in PACKAGES for module, cls in CONVERTED}

_MODEL_TYPE = re.compile(r"^V1\w+$")
_MODEL_LIST_TYPE = re.compile(r"^list\[(V1\w+)\]$")


class Unmappable(Exception):
    """Why a 1.10 model call cannot be rewritten exactly (the message of a no-fix diagnostic)."""


def legacy_snake_case(key: str) -> str:
    # 1.10.15 Volume._convert_to_snake_case, verbatim: "downwardAPI" -> "downward_a_p_i"
    return "".join(["_" + i.lower() if i.isupper() else i for i in key]).lstrip("_")


class KubernetesModelRewriter(Rule):
    code = "AU120"
    name = "kpo-models"
    summary = (
        "contrib KubernetesPodOperator models (Volume, VolumeMount, Port, Resources, PodRuntimeInfoEnv) "
        "-> kubernetes.client.models; report Pod and Secrets 2.x rejects"
    )
    tokens = (b"kubernetes",)
    fix = SAFE

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.alias: Optional[str] = None  # set when a call was rewritten
        # local name -> import alias nodes binding a 1.10 model (or its module), outside import guards
        self.model_imports: dict[str, list[cst.ImportAlias]] = {}
        self._kept_imports_reported: set = set()  # import spans reported by _report_import_kept
        self.doomed_locals: set[str] = set()
        self.single_use_dicts: dict[str, cst.Dict] = {}

    def relevant(self) -> bool:
        # `kubernetes` is in every file using the k8s client; only imports of 1.10's models
        # (`from airflow.contrib.kubernetes.volume import Volume`, `import airflow.kubernetes.pod`,
        # `from airflow.contrib import kubernetes`) matter.
        for node in self.ctx.imports.import_nodes:
            prefix = f"{node.module}." if isinstance(node, ast.ImportFrom) and node.module else ""
            if any(f"{prefix}{alias.name}".startswith(PACKAGES) for alias in node.names):
                return True
        return False

    def _report_import_kept(self, func: cst.BaseExpression, qualified: str) -> None:
        """A use left as it was keeps its import, which fails on the target: say so at the import
        too (where the file stops loading), once per imported name."""
        head = (dotted_name(func) or "").split(".", 1)[0]
        for node in self.ctx.imports.import_nodes:
            if self.ctx.imports.guarded(node.lineno):
                continue
            for alias, (start, end) in zip(node.names, alias_spans(node, self.ctx.lines)):
                local = alias.asname or (
                    alias.name if isinstance(node, ast.ImportFrom) else alias.name.split(".")[0]
                )
                if local != head or (start, end) in self._kept_imports_reported:
                    continue
                self._kept_imports_reported.add((start, end))
                self.ctx.report_span(
                    start,
                    end,
                    self.code,
                    f"`{qualified}` is gone since Airflow 2.0 and a use of it is not rewritten (see its "
                    "finding): this import fails until that use is rewritten by hand",
                    fix=NO_FIX,
                )

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if self.ctx.in_import_guard:
            return updated
        qualified = self.ctx.imports.qualified_name(original.func)
        kind = MODELS.get(qualified or "")
        if kind is None:
            return updated
        if kind == "Pod":
            self.report(
                original,
                "`airflow.contrib.kubernetes.pod.Pod` was removed in Airflow 2.0: describe the pod as a "
                "`kubernetes.client.models.V1Pod` and pass it as KubernetesPodOperator(full_pod_spec=...) "
                "(or use pod_template_file)",
                fix=NO_FIX,
            )
            return updated
        if kind == "Secret":
            self._check_secret(original)
            return updated
        alias = k8s_alias(self.ctx.imports)
        if alias is None:
            self.report(
                original,
                f"`{kind}` must become a kubernetes.client.models object on Airflow 2, but the name `k8s` "
                "is bound to something else in this file: rewrite it by hand",
                fix=NO_FIX,
            )
            return updated
        try:
            new, safety, message = getattr(self, f"_convert_{kind}")(updated, alias)
        except Unmappable as exc:
            self.report(
                original,
                f"`{kind}` (removed in Airflow 2.0) cannot be rewritten automatically: {exc}",
                fix=NO_FIX,
            )
            self._report_import_kept(original.func, qualified or kind)
            return updated
        fixing = self.may_fix(safety)
        self.report(original, message, fix=safety, applied=fixing)
        if not fixing:
            return updated
        self.alias = alias
        return new

    def visit_Module(self, node: cst.Module) -> None:
        """Module-level names bound once to a dict literal and read exactly once (inlinable configs)."""
        candidates: dict[str, cst.Dict] = {}
        for statement in node.body:
            if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
                assign = statement.body[0]
                if (
                    isinstance(assign, cst.Assign)
                    and len(assign.targets) == 1
                    and isinstance(assign.targets[0].target, cst.Name)
                    and isinstance(assign.value, cst.Dict)
                ):
                    candidates[assign.targets[0].target.value] = assign.value
        if candidates:
            counter = _NameCounter(set(candidates))
            node.visit(counter)
            self.single_use_dicts = {
                name: d for name, d in candidates.items() if counter.counts.get(name) == 2
            }

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if (
            node.relative
            or node.module is None
            or isinstance(node.names, cst.ImportStar)
            or self.ctx.in_import_guard
        ):
            return
        module = dotted_name(node.module) or ""
        for alias in node.names:
            self._remember_import(f"{module}.{dotted_name(alias.name)}", alias)

    def visit_Import(self, node: cst.Import) -> None:
        if not self.ctx.in_import_guard:
            for alias in node.names:
                if alias.asname is not None:  # `import a.b.volume` binds `a`: never pruned
                    self._remember_import(dotted_name(alias.name) or "", alias)

    def _remember_import(self, qualified: str, alias: cst.ImportAlias) -> None:
        if qualified in CONVERTED_QUALIFIED or qualified in MODEL_MODULES:
            local = alias.asname.name.value if alias.asname else dotted_name(alias.name)  # type: ignore[union-attr]
            self.model_imports.setdefault(local or "", []).append(alias)

    # ----- the models -----
    def _bind(self, call: cst.Call, params: tuple[str, ...], required: tuple[str, ...]) -> dict[str, cst.Arg]:
        bound = bind_arguments(call, params)
        if isinstance(bound, str):
            raise Unmappable(bound)
        missing = [p for p in required if p not in bound]
        if missing:
            raise Unmappable(
                f"missing argument {', '.join(f'`{m}`' for m in missing)} (a TypeError on 1.10 too)"
            )
        return bound

    def _convert_Volume(self, call: cst.Call, alias: str):
        bound = self._bind(call, ("name", "configs"), ("name", "configs"))
        configs = bound["configs"].value
        if isinstance(configs, cst.Name) and configs.value in self.single_use_dicts:
            # `volume_config = {...}` then `Volume(name, configs=volume_config)` (the 1.10 docs'
            # example): the name is bound once, to a dict literal, and read only here.
            configs = self.single_use_dicts[configs.value]
        if not isinstance(configs, cst.Dict):
            raise Unmappable(
                "`configs` is not a dict literal (nor a module-level name bound once to one and used only "
                "here): write `k8s.V1Volume(name=..., <source>=k8s.V1...VolumeSource(...))` from its value"
            )
        name_arg = as_keyword(bound["name"], "name")
        separator = name_arg.comma if isinstance(name_arg.comma, cst.Comma) else COMMA
        source_args: list[cst.Arg] = []
        for element in configs.elements:
            key = _string_key(element)
            if key is None:
                raise Unmappable("`configs` has a key that is not a string literal (or a `**` entry)")
            snake = legacy_snake_case(key)
            if snake == "name":
                raise Unmappable("`configs` sets `name`, which overrides the volume name: merge them by hand")
            if snake not in LEGACY_V1VOLUME_ATTRS:
                raise Unmappable(
                    f"configs key {key!r} is not a V1Volume field (1.10 raised AttributeError for it "
                    "when the pod "
                    "was built, so this volume never worked)"
                )
            spec = K8S_MODELS["V1Volume"]["fields"].get(snake)
            if spec is None:
                raise Unmappable(
                    f"V1Volume field `{snake}` does not exist in the kubernetes client of Airflow 2"
                )
            value = self._typed(spec[1], element.value, f"configs[{key!r}]", alias)  # type: ignore[union-attr]
            source_args.append(kw(snake, _dedented(value, _flattening_depth(configs, separator)), separator))
        if source_args:
            source_args[-1] = source_args[-1].with_changes(comma=bound["configs"].comma)
            name_arg = name_arg.with_changes(comma=separator)
        else:
            name_arg = name_arg.with_changes(comma=bound["configs"].comma)
        new = model_call(alias, "V1Volume", [name_arg, *source_args]).with_changes(
            whitespace_before_args=call.whitespace_before_args
        )
        return (
            new,
            SAFE,
            "`Volume(name, configs)` was removed in Airflow 2.0: use `k8s.V1Volume` with typed sources",
        )

    def _convert_VolumeMount(self, call: cst.Call, alias: str):
        params = ("name", "mount_path", "sub_path", "read_only")
        bound = self._bind(call, params, params)
        return (
            self._keywords_call(call, alias, "V1VolumeMount", bound),
            SAFE,
            "`VolumeMount` was removed in Airflow 2.0: use `k8s.V1VolumeMount` (same fields, as keywords)",
        )

    def _convert_Port(self, call: cst.Call, alias: str):
        bound = self._bind(call, ("name", "container_port"), ())
        port = bound.get("container_port")
        if port is None or literal_none(port.value):
            raise Unmappable(
                "`container_port` is required by k8s.V1ContainerPort (1.10 failed only when the pod was "
                "built)"
            )
        return (
            self._keywords_call(call, alias, "V1ContainerPort", bound),
            SAFE,
            "`Port` was removed in Airflow 2.0: use `k8s.V1ContainerPort(name=..., container_port=...)`",
        )

    def _convert_Resources(self, call: cst.Call, alias: str):
        bound = self._bind(call, RESOURCES_PARAMS, ())
        conversion = ResourcesConversion(alias, {name: arg.value for name, arg in bound.items()})
        message = (
            "`Resources` was removed in Airflow 2.0: "
            "use `k8s.V1ResourceRequirements(requests=..., limits=...)`"
        )
        if conversion.assumptions:
            return conversion.expression, UNSAFE, f"{message}; the rewrite {conversion.assumption_text()}"
        return conversion.expression, SAFE, message

    def _convert_PodRuntimeInfoEnv(self, call: cst.Call, alias: str):
        bound = self._bind(call, ("name", "field_path"), ("name", "field_path"))
        name_arg = as_keyword(bound["name"], "name")
        path_arg = bound["field_path"]
        selector = model_call(
            alias,
            "V1ObjectFieldSelector",
            [as_keyword(path_arg, "field_path").with_changes(comma=cst.MaybeSentinel.DEFAULT)],
        )
        source = model_call(alias, "V1EnvVarSource", [kw("field_ref", selector)])
        first, last = call.args[0], call.args[-1]
        separator = first.comma if isinstance(first.comma, cst.Comma) else COMMA
        args = [name_arg.with_changes(comma=separator), kw("value_from", source, last.comma)]
        new = model_call(alias, "V1EnvVar", args).with_changes(
            whitespace_before_args=call.whitespace_before_args
        )
        return (
            new,
            SAFE,
            "`PodRuntimeInfoEnv` was removed in Airflow 2.0: use `k8s.V1EnvVar(name=..., "
            "value_from=k8s.V1EnvVarSource("
            "field_ref=k8s.V1ObjectFieldSelector(field_path=...)))`",
        )

    def _keywords_call(self, call: cst.Call, alias: str, model: str, bound: dict[str, cst.Arg]) -> cst.Call:
        """Same arguments, same layout, every one passed by keyword, to `<alias>.<model>`."""
        names = {id(arg): name for name, arg in bound.items()}
        args = [as_keyword(arg, names[id(arg)]) for arg in call.args]
        return call.with_changes(func=cst.Attribute(value=cst.Name(alias), attr=cst.Name(model)), args=args)

    # ----- nested configs -> typed models -----
    def _typed(self, kind: str, value: cst.BaseExpression, where: str, alias: str) -> cst.BaseExpression:
        if _MODEL_TYPE.match(kind) and kind in K8S_MODELS:
            return self._model_from_dict(kind, value, where, alias)
        match = _MODEL_LIST_TYPE.match(kind)
        if match and match.group(1) in K8S_MODELS:
            if not isinstance(value, cst.List):
                raise Unmappable(
                    f"{where} must be a list literal of dicts to become a list of {match.group(1)}"
                )
            elements = []
            for index, element in enumerate(value.elements):
                if not isinstance(element, cst.Element):
                    raise Unmappable(f"{where} has a `*` entry")
                converted = self._model_from_dict(match.group(1), element.value, f"{where}[{index}]", alias)
                elements.append(element.with_changes(value=converted))
            return value.with_changes(elements=elements)
        if "V1" in kind:
            raise Unmappable(f"{where} has type {kind}, which this rule does not map")
        return value  # a plain value: 1.10 sent it to the API as it is; so does the model

    def _model_from_dict(self, model: str, value: cst.BaseExpression, where: str, alias: str) -> cst.Call:
        if not isinstance(value, cst.Dict):
            raise Unmappable(f"{where} is not a dict literal, so it cannot become a typed `{model}`")
        fields = K8S_MODELS[model]["fields"]
        by_json = {json_name: (snake, kind) for snake, (json_name, kind) in fields.items()}
        args: list[cst.Arg] = []
        seen: set[str] = set()
        for element in value.elements:
            key = _string_key(element)
            if key is None:
                raise Unmappable(f"{where} has a key that is not a string literal (or a `**` entry)")
            if key not in by_json:
                hint = f" (the API name is {fields[key][0]!r})" if key in fields else ""
                raise Unmappable(
                    f"{where}: {key!r} is not a field of {model}{hint}; 1.10 sent it to the API unchanged"
                )
            snake, kind = by_json[key]
            seen.add(snake)
            converted = self._typed(kind, element.value, f"{where}[{key!r}]", alias)  # type: ignore[union-attr]
            args.append(kw(snake, converted, element.comma))  # type: ignore[union-attr]
        missing = [fields[r][0] for r in K8S_MODELS[model]["required"] if r not in seen]
        if missing:
            raise Unmappable(
                f"{where} lacks {', '.join(repr(m) for m in missing)}, required by {model} "
                "(the typed model refuses to be built without it)"
            )
        if args:
            args[-1] = args[-1].with_changes(whitespace_after_arg=value.rbrace.whitespace_before)
        return model_call(alias, model, args).with_changes(
            whitespace_before_args=value.lbrace.whitespace_after
        )

    # ----- Secret -----
    def _check_secret(self, original: cst.Call) -> None:
        bound = bind_arguments(original, ("deploy_type", "deploy_target", "secret", "key"))
        if isinstance(bound, str):
            return
        deploy_type, target, key = bound.get("deploy_type"), bound.get("deploy_target"), bound.get("key")
        if deploy_type is None or target is None or key is None:
            return
        is_volume = (
            isinstance(deploy_type.value, cst.SimpleString) and deploy_type.value.evaluated_value == "volume"
        )
        if is_volume and literal_none(target.value) and not literal_none(key.value):
            # 1.10.15 raised only for deploy_type "env"; Airflow 2.0.2 and the provider's Secret raise
            # for "volume" too, at DAG import.
            self.report(
                original,
                "Secret('volume', None, ..., key=...) is rejected by Airflow 2 (`If key is set, "
                "deploy_target "
                "should not be None`): give the mount path as deploy_target, or drop `key` to mount the "
                "whole secret",
                fix=NO_FIX,
            )

    # ----- imports -----
    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        # An import of a removed 1.10 model fails on Airflow 2 even when nothing uses it: once every
        # use is rewritten (or there was none), the import goes.
        still_used = used_names(updated) if self.model_imports else set()
        self.doomed_locals = {local for local in self.model_imports if local not in still_used}
        fixing = self.may_fix()
        for local in sorted(self.doomed_locals):
            for alias in self.model_imports[local]:
                self.report(
                    alias,
                    f"`{local}` (a 1.10 KubernetesPodOperator model removed in Airflow 2.0) is no "
                    "longer used: "
                    "remove the import",
                    applied=fixing,
                )
        if fixing and self.doomed_locals:
            updated = updated.visit(_ImportPruner(self, still_used))  # type: ignore[assignment]
        return ensure_k8s_import(updated, self.alias) if self.alias else updated

    def prune_body(self, body, still_used: set[str]) -> list:
        """Statements of one block without the imports the rewrite made unused (comments kept)."""
        new_body = []
        carried: Union[list, None] = None  # comments of a removed import statement, for the next one
        for statement in body:
            if isinstance(statement, cst.SimpleStatementLine):
                new_statement = self._prune_imports(statement, still_used)
                if new_statement is None:
                    carried = (carried or []) + list(statement.leading_lines)
                    continue
                statement = new_statement
            if carried and hasattr(statement, "leading_lines"):
                statement = statement.with_changes(leading_lines=[*carried, *statement.leading_lines])
                carried = None
            new_body.append(statement)
        return new_body

    def _prune_imports(self, statement: cst.SimpleStatementLine, still_used: set[str]):
        """The statement without imports of the rewritten 1.10 models that nothing uses any more."""
        changed = False
        smalls = []
        for small in statement.body:
            if (
                isinstance(small, cst.ImportFrom)
                and not small.relative
                and small.module is not None
                and not isinstance(small.names, cst.ImportStar)
            ):
                module = dotted_name(small.module) or ""
                kept = [
                    a
                    for a in small.names
                    if not self._doomed(f"{module}.{dotted_name(a.name)}", a, still_used)
                ]
                if len(kept) != len(small.names):
                    changed = True
                    if not kept:
                        continue
                    kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                    small = small.with_changes(names=kept)
            elif isinstance(small, cst.Import):
                kept = [
                    a
                    for a in small.names
                    if not (a.asname and self._doomed(dotted_name(a.name) or "", a, still_used))
                ]
                if len(kept) != len(small.names):
                    changed = True
                    if not kept:
                        continue
                    kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                    small = small.with_changes(names=kept)
            smalls.append(small)
        if not changed:
            return statement
        if not smalls:
            return None
        smalls[-1] = smalls[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
        return statement.with_changes(body=smalls)

    def _doomed(self, qualified: str, alias: cst.ImportAlias, still_used: set[str]) -> bool:
        """An import of a 1.10 model (module) that nothing uses any more."""
        if qualified not in CONVERTED_QUALIFIED and qualified not in MODEL_MODULES:
            return False
        local = alias.asname.name.value if alias.asname else dotted_name(alias.name)  # type: ignore[union-attr]
        return local in self.doomed_locals


class _NameCounter(cst.CSTVisitor):
    """How often each of some names occurs (bound or read), keywords and attributes excluded."""

    def __init__(self, names: set[str]) -> None:
        self.names = names
        self.counts: dict[str, int] = {}

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in self.names:
            self.counts[node.value] = self.counts.get(node.value, 0) + 1


class _ImportPruner(cst.CSTTransformer):
    """Drops unused 1.10 model imports in every block (also inside functions)."""

    def __init__(self, rule: KubernetesModelRewriter, still_used: set[str]) -> None:
        super().__init__()
        self.rule = rule
        self.still_used = still_used

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return False

    def leave_IndentedBlock(
        self, original: cst.IndentedBlock, updated: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        body = self.rule.prune_body(updated.body, self.still_used)
        if not body:  # the block held only the import: keep it valid
            body = [cst.SimpleStatementLine(body=[cst.Pass()], leading_lines=updated.body[0].leading_lines)]
        return updated.with_changes(body=body)

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        return updated.with_changes(body=self.rule.prune_body(updated.body, self.still_used))


def _last_line(whitespace) -> Optional[str]:
    return whitespace.last_line.value if isinstance(whitespace, cst.ParenthesizedWhitespace) else None


def _flattening_depth(configs: cst.Dict, separator: cst.Comma) -> int:
    """How many columns deeper the configs entries sit than the V1Volume arguments they become."""
    entry_indent = _last_line(configs.lbrace.whitespace_after)
    arg_indent = _last_line(separator.whitespace_after)
    if entry_indent is None or arg_indent is None:
        return 0
    return max(len(entry_indent) - len(arg_indent), 0)


def _dedented(value: cst.BaseExpression, depth: int) -> cst.BaseExpression:
    """`value` with its continuation lines moved `depth` columns left (one-line values unchanged)."""
    code = cst.Module(body=[]).code_for_node(value)
    lines = code.split("\n")
    if depth == 0 or len(lines) == 1 or any(q in code for q in ('"""', "'''", "\\\n")):
        return value
    if not all(line.startswith(" " * depth) or not line.strip() for line in lines[1:]):
        return value
    try:
        return cst.parse_expression("\n".join([lines[0], *(line[depth:] for line in lines[1:])]))
    except cst.ParserSyntaxError:
        return value


def _string_key(element: cst.BaseDictElement) -> Optional[str]:
    if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
        value = element.key.evaluated_value
        return value if isinstance(value, str) else None
    return None
