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
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Optional

from codemods._ast_nodes import walk
from codemods._base import SAFE, UNSAFE, Finding, Fix, Rewrite, Rule
from codemods._edit import ast_source
from codemods._generated.kpo_k8s_models import K8S_MODELS, LEGACY_V1VOLUME_ATTRS
from codemods._import_service import remove_import
from codemods._import_spans import alias_spans
from codemods._kpo_common import (
    RESOURCES_PARAMS,
    ResourcesConversion,
    argument_value,
    as_keyword,
    ast_bind_arguments,
    ast_literal_none,
    bind_arguments,
    k8s_alias,
    k8s_import,
    kw,
    model_call,
    resources_assumptions,
    simple_string,
    spaced_comma,
)

if TYPE_CHECKING:
    import libcst as cst
else:
    from codemods._libcst import cst

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
    node_types = (ast.Call, ast.Import, ast.ImportFrom)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        # local name -> import alias nodes binding a 1.10 model (or its module), outside import guards
        self.model_imports: dict[str, list[ast.alias]] = {}
        self._kept_imports_reported: set = set()  # import spans reported by _report_import_kept
        self.doomed_locals: set[str] = set()
        # module-level names bound once to a dict literal and read once: name -> (ast, source)
        self._single_use_dicts: Optional[dict[str, tuple[ast.Dict, str]]] = None
        # names whose uses applied fixes replaced (the head of each rewritten call), with counts
        self._replaced: Counter = Counter()

    def relevant(self) -> bool:
        # `kubernetes` is in every file using the k8s client; only imports of 1.10's models
        # (`from airflow.contrib.kubernetes.volume import Volume`, `import airflow.kubernetes.pod`,
        # `from airflow.contrib import kubernetes`) matter.
        for node in self.ctx.imports.import_nodes:
            prefix = f"{node.module}." if isinstance(node, ast.ImportFrom) and node.module else ""
            if any(f"{prefix}{alias.name}".startswith(PACKAGES) for alias in node.names):
                return True
        return False

    def _report_import_kept(self, func: ast.expr, qualified: str) -> Iterator[Finding]:
        """A use left as it was keeps its import, which fails on the target: say so at the import
        too (where the file stops loading), once per imported name."""
        head = (_ast_dotted(func) or "").split(".", 1)[0]
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
                yield Finding(
                    _at(start, end),
                    f"`{qualified}` is gone since Airflow 2.0 and a use of it is not rewritten (see its "
                    "finding): this import fails until that use is rewritten by hand",
                )

    def check(self, node: ast.AST) -> Iterator[Finding]:
        if isinstance(node, ast.Call):
            yield from self._check_call(node)
        elif isinstance(node, ast.ImportFrom):
            if node.level or node.module is None or node.names[0].name == "*":
                return
            for alias in node.names:
                self._remember_import(f"{node.module}.{alias.name}", alias, alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname is not None:  # `import a.b.volume` binds `a`: never pruned
                    self._remember_import(alias.name, alias, alias.asname)

    def _remember_import(self, qualified: str, alias: ast.alias, local: str) -> None:
        if qualified in CONVERTED_QUALIFIED or qualified in MODEL_MODULES:
            self.model_imports.setdefault(local, []).append(alias)

    def _check_call(self, call: ast.Call) -> Iterator[Finding]:
        qualified = self.ctx.imports.qualified_name(call.func)
        kind = MODELS.get(qualified or "")
        if kind is None:
            return
        if kind == "Pod":
            yield Finding(
                call,
                "`airflow.contrib.kubernetes.pod.Pod` was removed in Airflow 2.0: describe the pod as a "
                "`kubernetes.client.models.V1Pod` and pass it as KubernetesPodOperator(full_pod_spec=...) "
                "(or use pod_template_file)",
            )
            return
        if kind == "Secret":
            yield from self._check_secret(call)
            return
        alias = k8s_alias(self.ctx.imports)
        if alias is None:
            yield Finding(
                call,
                f"`{kind}` must become a kubernetes.client.models object on Airflow 2, but the name `k8s` "
                "is bound to something else in this file: rewrite it by hand",
            )
            return
        try:
            safety, message = getattr(self, f"_check_{kind}")(call)
        except Unmappable as exc:
            yield Finding(call, f"`{kind}` (removed in Airflow 2.0) cannot be rewritten automatically: {exc}")
            yield from self._report_import_kept(call.func, qualified or kind)
            return

        def rewrite(updated: cst.Call) -> cst.BaseExpression:
            # the check above decided on the ast that the call converts: this only builds it
            return getattr(self, f"_convert_{kind}")(updated, alias)

        changes: list = [Rewrite(call, rewrite)]
        import_rewrite = k8s_import(self.ctx, alias)
        if import_rewrite is not None:
            changes.append(import_rewrite)
        finding = Finding(call, message, Fix(safety, tuple(changes)))
        yield finding
        if self.ctx.applied(finding):
            head = (_ast_dotted(call.func) or "").split(".", 1)[0]
            self._replaced[head] += 1

    # ----- the same decisions on the ast -----
    def _ast_bind(
        self, call: ast.Call, params: tuple[str, ...], required: tuple[str, ...]
    ) -> dict[str, ast.AST]:
        bound = ast_bind_arguments(call, params)
        if isinstance(bound, str):
            raise Unmappable(bound)
        missing = [p for p in required if p not in bound]
        if missing:
            raise Unmappable(
                f"missing argument {', '.join(f'`{m}`' for m in missing)} (a TypeError on 1.10 too)"
            )
        return bound

    def single_use_dicts(self) -> dict[str, tuple[ast.Dict, str]]:
        """Module-level names bound once to a dict literal and read exactly once (inlinable configs).

        Module level includes the bodies of module-level `with` blocks (`with DAG(...) as dag:`,
        the common 1.10 layout): they run in the module's scope, in order."""
        if self._single_use_dicts is None:
            tree = self.ctx.tree
            candidates: dict[str, ast.Dict] = {}
            for body in _module_scope_bodies(tree.body):
                lines_used = Counter(statement.lineno for statement in body)
                for statement in body:
                    if (
                        isinstance(statement, ast.Assign)
                        and len(statement.targets) == 1
                        and isinstance(statement.targets[0], ast.Name)
                        and isinstance(statement.value, ast.Dict)
                        and lines_used[statement.lineno] == 1
                        and statement.end_lineno == _next_start(body, statement)
                    ):
                        candidates[statement.targets[0].id] = statement.value
            counts = name_counts(tree, with_imports=True) if candidates else Counter()
            self._single_use_dicts = {
                name: (d, ast_source(d, self.ctx.lines).decode("utf-8", "replace"))
                for name, d in candidates.items()
                if counts.get(name) == 2
            }
        return self._single_use_dicts

    def _check_Volume(self, call: ast.Call):
        bound = self._ast_bind(call, ("name", "configs"), ("name", "configs"))
        configs = argument_value(bound["configs"])
        if isinstance(configs, ast.Name) and configs.id in self.single_use_dicts():
            configs = self.single_use_dicts()[configs.id][0]
        if not isinstance(configs, ast.Dict):
            raise Unmappable(
                "`configs` is not a dict literal (nor a module-level name bound once to one and used only "
                "here): write `k8s.V1Volume(name=..., <source>=k8s.V1...VolumeSource(...))` from its value"
            )
        for key_node, value in zip(configs.keys, configs.values):
            key = self._ast_string_key(key_node)
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
            self._ast_typed(spec[1], value, f"configs[{key!r}]")
        return (
            SAFE,
            "`Volume(name, configs)` was removed in Airflow 2.0: use `k8s.V1Volume` with typed sources",
        )

    def _check_VolumeMount(self, call: ast.Call):
        params = ("name", "mount_path", "sub_path", "read_only")
        self._ast_bind(call, params, params)
        return (
            SAFE,
            "`VolumeMount` was removed in Airflow 2.0: use `k8s.V1VolumeMount` (same fields, as keywords)",
        )

    def _check_Port(self, call: ast.Call):
        bound = self._ast_bind(call, ("name", "container_port"), ())
        port = bound.get("container_port")
        if port is None or ast_literal_none(argument_value(port)):
            raise Unmappable(
                "`container_port` is required by k8s.V1ContainerPort (1.10 failed only when the pod was "
                "built)"
            )
        return (
            SAFE,
            "`Port` was removed in Airflow 2.0: use `k8s.V1ContainerPort(name=..., container_port=...)`",
        )

    def _check_Resources(self, call: ast.Call):
        bound = self._ast_bind(call, RESOURCES_PARAMS, ())
        assumptions = resources_assumptions(
            {name: argument_value(arg) for name, arg in bound.items()}, self.ctx.lines
        )
        message = (
            "`Resources` was removed in Airflow 2.0: "
            "use `k8s.V1ResourceRequirements(requests=..., limits=...)`"
        )
        if assumptions:
            return UNSAFE, f"{message}; the rewrite {ResourcesConversion.text_of(assumptions)}"
        return SAFE, message

    def _check_PodRuntimeInfoEnv(self, call: ast.Call):
        self._ast_bind(call, ("name", "field_path"), ("name", "field_path"))
        return (
            SAFE,
            "`PodRuntimeInfoEnv` was removed in Airflow 2.0: use `k8s.V1EnvVar(name=..., "
            "value_from=k8s.V1EnvVarSource("
            "field_ref=k8s.V1ObjectFieldSelector(field_path=...)))`",
        )

    def _ast_string_key(self, key: Optional[ast.AST]) -> Optional[str]:
        if key is not None and simple_string(key, self.ctx.lines) and isinstance(key.value, str):  # type: ignore[attr-defined]
            return key.value  # type: ignore[attr-defined]
        return None

    def _ast_typed(self, kind: str, value: ast.AST, where: str) -> None:
        if _MODEL_TYPE.match(kind) and kind in K8S_MODELS:
            self._ast_model_from_dict(kind, value, where)
            return
        match = _MODEL_LIST_TYPE.match(kind)
        if match and match.group(1) in K8S_MODELS:
            if not isinstance(value, ast.List):
                raise Unmappable(
                    f"{where} must be a list literal of dicts to become a list of {match.group(1)}"
                )
            for index, element in enumerate(value.elts):
                if isinstance(element, ast.Starred):
                    raise Unmappable(f"{where} has a `*` entry")
                self._ast_model_from_dict(match.group(1), element, f"{where}[{index}]")
            return
        if "V1" in kind:
            raise Unmappable(f"{where} has type {kind}, which this rule does not map")

    def _ast_model_from_dict(self, model: str, value: ast.AST, where: str) -> None:
        if not isinstance(value, ast.Dict):
            raise Unmappable(f"{where} is not a dict literal, so it cannot become a typed `{model}`")
        fields = K8S_MODELS[model]["fields"]
        by_json = {json_name: (snake, kind) for snake, (json_name, kind) in fields.items()}
        seen: set[str] = set()
        for key_node, element in zip(value.keys, value.values):
            key = self._ast_string_key(key_node)
            if key is None:
                raise Unmappable(f"{where} has a key that is not a string literal (or a `**` entry)")
            if key not in by_json:
                hint = f" (the API name is {fields[key][0]!r})" if key in fields else ""
                raise Unmappable(
                    f"{where}: {key!r} is not a field of {model}{hint}; 1.10 sent it to the API unchanged"
                )
            snake, kind = by_json[key]
            seen.add(snake)
            self._ast_typed(kind, element, f"{where}[{key!r}]")
        missing = [fields[r][0] for r in K8S_MODELS[model]["required"] if r not in seen]
        if missing:
            raise Unmappable(
                f"{where} lacks {', '.join(repr(m) for m in missing)}, required by {model} "
                "(the typed model refuses to be built without it)"
            )

    # ----- the models -----
    def _bind(self, call: cst.Call, params: tuple[str, ...]) -> dict[str, cst.Arg]:
        bound = bind_arguments(call, params)
        assert not isinstance(bound, str)  # bound on the ast first (_ast_bind)
        return bound

    def _convert_Volume(self, call: cst.Call, alias: str):
        bound = self._bind(call, ("name", "configs"))
        configs = bound["configs"].value
        if isinstance(configs, cst.Name) and configs.value in self.single_use_dicts():
            # `volume_config = {...}` then `Volume(name, configs=volume_config)` (the 1.10 docs'
            # example): the name is bound once, to a dict literal, and read only here.
            configs = cst.parse_expression(self.single_use_dicts()[configs.value][1])
        assert isinstance(configs, cst.Dict)  # _check_Volume
        name_arg = as_keyword(bound["name"], "name")
        separator = name_arg.comma if isinstance(name_arg.comma, cst.Comma) else spaced_comma()
        source_args: list[cst.Arg] = []
        for element in configs.elements:  # every key a V1Volume field (_check_Volume)
            snake = legacy_snake_case(_string_key(element))  # type: ignore[arg-type]
            value = self._typed(K8S_MODELS["V1Volume"]["fields"][snake][1], element.value, alias)  # type: ignore[union-attr]
            source_args.append(kw(snake, _dedented(value, _flattening_depth(configs, separator)), separator))
        if source_args:
            source_args[-1] = source_args[-1].with_changes(comma=bound["configs"].comma)
            name_arg = name_arg.with_changes(comma=separator)
        else:
            name_arg = name_arg.with_changes(comma=bound["configs"].comma)
        return model_call(alias, "V1Volume", [name_arg, *source_args]).with_changes(
            whitespace_before_args=call.whitespace_before_args
        )

    def _convert_VolumeMount(self, call: cst.Call, alias: str):
        bound = self._bind(call, ("name", "mount_path", "sub_path", "read_only"))
        return self._keywords_call(call, alias, "V1VolumeMount", bound)

    def _convert_Port(self, call: cst.Call, alias: str):
        return self._keywords_call(
            call, alias, "V1ContainerPort", self._bind(call, ("name", "container_port"))
        )

    def _convert_Resources(self, call: cst.Call, alias: str):
        bound = self._bind(call, RESOURCES_PARAMS)
        return ResourcesConversion(alias, {name: arg.value for name, arg in bound.items()}).expression

    def _convert_PodRuntimeInfoEnv(self, call: cst.Call, alias: str):
        bound = self._bind(call, ("name", "field_path"))
        name_arg = as_keyword(bound["name"], "name")
        path_arg = bound["field_path"]
        selector = model_call(
            alias,
            "V1ObjectFieldSelector",
            [as_keyword(path_arg, "field_path").with_changes(comma=cst.MaybeSentinel.DEFAULT)],
        )
        source = model_call(alias, "V1EnvVarSource", [kw("field_ref", selector)])
        first, last = call.args[0], call.args[-1]
        separator = first.comma if isinstance(first.comma, cst.Comma) else spaced_comma()
        args = [name_arg.with_changes(comma=separator), kw("value_from", source, last.comma)]
        return model_call(alias, "V1EnvVar", args).with_changes(
            whitespace_before_args=call.whitespace_before_args
        )

    def _keywords_call(self, call: cst.Call, alias: str, model: str, bound: dict[str, cst.Arg]) -> cst.Call:
        """Same arguments, same layout, every one passed by keyword, to `<alias>.<model>`."""
        names = {id(arg): name for name, arg in bound.items()}
        args = [as_keyword(arg, names[id(arg)]) for arg in call.args]
        return call.with_changes(func=cst.Attribute(value=cst.Name(alias), attr=cst.Name(model)), args=args)

    # ----- nested configs -> typed models -----
    def _typed(self, kind: str, value: cst.BaseExpression, alias: str) -> cst.BaseExpression:
        """`value` as the typed model `kind` names (its dicts and lists checked by _ast_typed)."""
        if _MODEL_TYPE.match(kind) and kind in K8S_MODELS:
            return self._model_from_dict(kind, value, alias)
        match = _MODEL_LIST_TYPE.match(kind)
        if match and match.group(1) in K8S_MODELS:
            assert isinstance(value, cst.List)
            elements = [
                element.with_changes(value=self._model_from_dict(match.group(1), element.value, alias))
                for element in value.elements
            ]
            return value.with_changes(elements=elements)
        return value  # a plain value: 1.10 sent it to the API as it is; so does the model

    def _model_from_dict(self, model: str, value: cst.BaseExpression, alias: str) -> cst.Call:
        assert isinstance(value, cst.Dict)  # _ast_model_from_dict
        fields = K8S_MODELS[model]["fields"]
        by_json = {json_name: (snake, kind) for snake, (json_name, kind) in fields.items()}
        args: list[cst.Arg] = []
        for element in value.elements:
            snake, kind = by_json[_string_key(element)]  # type: ignore[index]
            converted = self._typed(kind, element.value, alias)  # type: ignore[union-attr]
            args.append(kw(snake, converted, element.comma))  # type: ignore[union-attr]
        if args:
            args[-1] = args[-1].with_changes(whitespace_after_arg=value.rbrace.whitespace_before)
        return model_call(alias, model, args).with_changes(
            whitespace_before_args=value.lbrace.whitespace_after
        )

    # ----- Secret -----
    def _check_secret(self, call: ast.Call) -> Iterator[Finding]:
        bound = ast_bind_arguments(call, ("deploy_type", "deploy_target", "secret", "key"))
        if isinstance(bound, str):
            return
        deploy_type, target, key = bound.get("deploy_type"), bound.get("deploy_target"), bound.get("key")
        if deploy_type is None or target is None or key is None:
            return
        deploy = argument_value(deploy_type)
        is_volume = simple_string(deploy, self.ctx.lines) and deploy.value == "volume"  # type: ignore[attr-defined]
        if (
            is_volume
            and ast_literal_none(argument_value(target))
            and not ast_literal_none(argument_value(key))
        ):
            # 1.10.15 raised only for deploy_type "env"; Airflow 2.0.2 and the provider's Secret raise
            # for "volume" too, at DAG import.
            yield Finding(
                call,
                "Secret('volume', None, ..., key=...) is rejected by Airflow 2 (`If key is set, "
                "deploy_target "
                "should not be None`): give the mount path as deploy_target, or drop `key` to mount the "
                "whole secret",
            )

    # ----- imports -----
    def finish(self) -> Iterator[Finding]:
        # An import of a removed 1.10 model fails on Airflow 2 even when nothing uses it: once every
        # use is rewritten (or there was none), the import goes.
        if not self.model_imports:
            return
        uses = name_counts(self.ctx.tree, with_imports=False)
        self.doomed_locals = {
            local for local in self.model_imports if uses.get(local, 0) - self._replaced.get(local, 0) <= 0
        }
        if not self.doomed_locals:
            return
        rewrites = self._prune_rewrites()
        fix = Fix.safe(*rewrites)
        for local in sorted(self.doomed_locals):
            for alias in self.model_imports[local]:
                finding = Finding(
                    alias,
                    f"`{local}` (a 1.10 KubernetesPodOperator model removed in Airflow 2.0) is no "
                    "longer used: "
                    "remove the import",
                    fix,
                )
                yield finding

    def _doomed_alias(self, node: ast.AST, alias: ast.alias) -> bool:
        if isinstance(node, ast.ImportFrom):
            if node.level or node.module is None or alias.name == "*":
                return False
            qualified, local = f"{node.module}.{alias.name}", alias.asname or alias.name
        elif alias.asname is None:
            return False
        else:
            qualified, local = alias.name, alias.asname
        return (
            qualified in CONVERTED_QUALIFIED or qualified in MODEL_MODULES
        ) and local in self.doomed_locals

    def _prune_rewrites(self) -> list[Rewrite]:
        """The import service's Rewrites dropping the doomed names from every import holding one,
        in blocks too (a block left empty keeps a `pass`). The k8s import the conversions add
        runs after these (an import service transform): in place of its anchor statement when
        that is removed."""
        assert self.ctx.tree is not None
        rewrites: list[Rewrite] = []
        for statement in walk(self.ctx.tree):  # the file's shared node list (ast.walk's order)
            if not isinstance(statement, (ast.Import, ast.ImportFrom)):
                continue
            names = {
                alias.asname or alias.name
                for alias in statement.names
                if self._doomed_alias(statement, alias)
            }
            rewrites += (r for r in remove_import(self.ctx, statement, names) if r not in rewrites)
        return rewrites


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


def _ast_dotted(node: ast.AST) -> Optional[str]:
    """`a.b.c` of a Name/Attribute chain, like dotted_name on LibCST nodes; None otherwise."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _ast_dotted(node.value)
        return f"{head}.{node.attr}" if head is not None else None
    return None


def _at(start: tuple[int, int], end: tuple[int, int]) -> ast.AST:
    """A node standing for a source span (line, byte offset), to report at."""
    node = ast.Pass()
    node.lineno, node.col_offset = start
    node.end_lineno, node.end_col_offset = end
    return node


def _module_scope_bodies(body: list[ast.stmt]) -> Iterator[list[ast.stmt]]:
    """The module's statement list and those of the `with` blocks in it (recursively): every
    statement there runs once, in order, in the module's scope."""
    yield body
    for statement in body:
        if isinstance(statement, ast.With):
            yield from _module_scope_bodies(statement.body)


def _next_start(body: list[ast.stmt], statement: ast.stmt) -> Optional[int]:
    """The end line of `statement` when no other statement starts on it (one statement a line)."""
    end = statement.end_lineno
    for other in body:
        if other is not statement and other.lineno == end:
            return None
    return end


def name_counts(tree: ast.Module, with_imports: bool) -> Counter:
    """How often each name occurs as LibCST's Name nodes would (bound or read; keyword names
    and attribute names excluded), with or without the names in import statements."""
    counts: Counter = Counter()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            counts[node.id] += 1
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            counts[node.name] += 1
        elif isinstance(node, ast.arg):
            counts[node.arg] += 1
        elif isinstance(node, ast.ExceptHandler) and node.name:
            counts[node.name] += 1
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            counts.update(node.names)
        elif isinstance(node, ast.alias):
            if with_imports and node.name != "*":
                counts[node.name.split(".", 1)[0]] += 1
                if node.asname:
                    counts[node.asname] += 1
        elif isinstance(node, ast.ImportFrom):
            if with_imports and node.module:
                counts[node.module.split(".", 1)[0]] += 1
        elif type(node).__name__ in ("MatchAs", "MatchStar") and getattr(node, "name", None):
            counts[node.name] += 1  # type: ignore[attr-defined]
        elif type(node).__name__ == "MatchMapping" and getattr(node, "rest", None):
            counts[node.rest] += 1  # type: ignore[attr-defined]
    return counts
