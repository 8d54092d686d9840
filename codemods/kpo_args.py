"""AU121: KubernetesPodOperator arguments that the Airflow 2 operator no longer takes.

* From the latest Airflow 2.x on (cncf.kubernetes provider 10.x; checked against the installed
  operator's signature in tests/codemods/test_kpo_args.py):
  - `resources=` is gone (renamed `container_resources`, and the provider stopped accepting a
    dict in 5.0): a dict literal becomes `container_resources=k8s.V1ResourceRequirements(...)`
    the way 1.10 built it; so does a module-level `NAME = {...}` read only as `resources=NAME`
    (the assignment becomes the model, the argument `container_resources=NAME`); a
    `Resources(...)`/`V1ResourceRequirements(...)` value only changes keyword; anything else is
    reported.
  - `node_selectors=` is gone: `node_selector=`.
  - `is_delete_operator_pod=` is accepted but IGNORED (provider 10): the pod is now deleted unless
    `on_finish_action="keep_pod"`; True/False become `on_finish_action="delete_pod"/"keep_pod"`.

## Example
```python target=2.11
from airflow.providers.cncf.kubernetes.operators.kubernetes_pod import KubernetesPodOperator

pod = KubernetesPodOperator(task_id="pod", name="pod", image="etl:1", node_selectors={"pool": "etl"}, dag=dag)
```
Use instead:
```python
from airflow.providers.cncf.kubernetes.operators.kubernetes_pod import KubernetesPodOperator

pod = KubernetesPodOperator(task_id="pod", name="pod", image="etl:1", node_selector={"pool": "etl"}, dag=dag)
```
"""

from __future__ import annotations

import ast
from typing import NamedTuple, Optional

import libcst as cst

from codemods._base import NO_FIX, SAFE, UNSAFE, Rule
from codemods._edit import is_airflow_class
from codemods._kpo_common import (
    RESOURCES_PARAMS,
    ResourcesConversion,
    ensure_k8s_import,
    k8s_alias,
)
from codemods.kpo_models import MODELS

KPO_CLASSES = frozenset({"KubernetesPodOperator", "GKEPodOperator", "GKEStartPodOperator"})
# 1.10.15 airflow/contrib/operators/kubernetes_pod_operator.py KubernetesPodOperator.__init__
# (positional use never loaded: 1.10's apply_defaults already raised "Use keyword arguments").
# tests/codemods/test_kpo_args.py checks it against the installed 1.10.15 signature and that
# every other one of these keywords is still accepted by the installed providers.
KPO_PARAMS_1_10 = (
    "namespace", "image", "name", "cmds", "arguments", "ports", "volume_mounts", "volumes", "env_vars",
    "secrets", "in_cluster", "cluster_context", "labels", "reattach_on_restart", "startup_timeout_seconds",
    "get_logs", "image_pull_policy", "annotations", "resources", "affinity", "config_file", "node_selectors",
    "image_pull_secrets", "service_account_name", "is_delete_operator_pod", "hostnetwork", "tolerations",
    "configmaps", "security_context", "pod_runtime_info_envs", "dnspolicy", "schedulername", "full_pod_spec",
    "init_containers", "log_events_on_failure", "do_xcom_push", "pod_template_file", "priority_class_name",
    "termination_grace_period",
)  # fmt: skip
LATEST_PROVIDER_TARGET = (2, 11)
ON_FINISH = {"True": "delete_pod", "False": "keep_pod"}
PROVIDER = "the cncf.kubernetes provider of the latest Airflow 2.x (10.x)"


class KubernetesPodOperatorArguments(Rule):
    code = "AU121"
    name = "kpo-arguments"
    summary = (
        "KubernetesPodOperator on latest 2.x/3: `resources` -> "
        "`container_resources`, `node_selectors` -> `node_selector`, `is_delete_operator_pod` -> "
        "`on_finish_action`"
    )
    tokens = (b"PodOperator",)
    min_target = LATEST_PROVIDER_TARGET
    fix = SAFE

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.alias: Optional[str] = None
        # module-level `NAME = {...}` resource dicts read only as `resources=NAME`
        self._named: Optional[dict[str, NamedResources]] = None

    def named_resources(self) -> dict[str, NamedResources]:
        if self._named is None:
            self._named = resource_dict_names(self.ctx.tree, self.ctx.imports) if self.ctx.tree else {}
        return self._named

    def statement_tokens(self) -> tuple[bytes, ...]:
        return self.tokens + tuple(name.encode() for name in self.named_resources())

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.BaseSmallStatement:
        """`NAME = {"request_cpu": ...}` read only as `resources=NAME`: the value becomes the
        model, each use `container_resources=NAME` (leave_Call)."""
        if len(original.targets) != 1 or not isinstance(original.targets[0].target, cst.Name):
            return updated
        named = self.named_resources().get(original.targets[0].target.value)
        if named is None or not isinstance(updated.value, cst.Dict):
            return updated
        alias = k8s_alias(self.ctx.imports)
        if alias is None or not self.may_fix(named.safety):
            return updated
        values = {}
        for element in updated.value.elements:
            assert isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString)
            if element.key.evaluated_value not in named.falsy:  # 1.10 dropped falsy values
                values[element.key.evaluated_value] = element.value
        self.alias = alias
        return updated.with_changes(value=ResourcesConversion(alias, values).expression)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if self.ctx.in_import_guard:
            return updated
        qualified = self.ctx.imports.qualified_name(original.func)
        if not is_airflow_class(qualified, KPO_CLASSES):
            return updated
        args = list(updated.args)
        changed = False
        for index, arg in enumerate(original.args):
            handler = getattr(self, f"_kw_{arg.keyword.value}", None) if arg.keyword is not None else None
            if handler is None:
                continue
            new = handler(arg, args[index], original)
            if new is not None:
                args[index] = new
                changed = True
        return updated.with_changes(args=args) if changed else updated

    # ----- keywords the latest provider rejects or ignores -----
    def _kw_resources(self, original: cst.Arg, updated: cst.Arg, call: cst.Call) -> Optional[cst.Arg]:
        value = original.value
        if isinstance(value, cst.Name) and value.value in self.named_resources():
            safety = self.named_resources()[value.value].safety
            message = (
                f"`resources=` is not a KubernetesPodOperator argument with {PROVIDER}, and no dict is "
                f"accepted: `{value.value}` becomes `k8s.V1ResourceRequirements(requests=..., limits=...)` "
                "(where it is assigned) and this argument `container_resources=`"
            )
            if safety == UNSAFE:
                message += "; the rewrite assumes its non-literal values are never None/empty/0 at run time"
            fixing = self.may_fix(safety) and k8s_alias(self.ctx.imports) is not None
            self.report(original, message, fix=safety, applied=fixing)
            return updated.with_changes(keyword=cst.Name("container_resources")) if fixing else None
        if isinstance(value, cst.Dict) and isinstance(updated.value, cst.Dict):
            return self._resources_dict(original, updated)
        if isinstance(value, cst.Call):
            qualified = self.ctx.imports.qualified_name(value.func) or ""
            if (
                MODELS.get(qualified) == "Resources"
                or qualified == "kubernetes.client.models.V1ResourceRequirements"
            ):
                fixing = self.may_fix()
                self.report(
                    original,
                    f"`resources=` is not a KubernetesPodOperator argument with {PROVIDER}: it is "
                    "`container_resources=`",
                    applied=fixing,
                )
                return updated.with_changes(keyword=cst.Name("container_resources")) if fixing else None
        self.report(
            original,
            f"`resources=` is not a KubernetesPodOperator argument with {PROVIDER}: pass a "
            "`k8s.V1ResourceRequirements(requests={...}, limits={...})` as `container_resources=` "
            "(a dict is no longer accepted)",
            fix=NO_FIX,
        )
        return None

    def _resources_dict(self, original: cst.Arg, updated: cst.Arg) -> Optional[cst.Arg]:
        values = {}
        problem = None
        for element in updated.value.elements:  # type: ignore[attr-defined]
            key = (
                element.key.evaluated_value
                if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString)
                else None
            )
            if key not in RESOURCES_PARAMS:
                problem = "it has a key that is not one of " + ", ".join(RESOURCES_PARAMS)
                break
            values[key] = element.value
        alias = k8s_alias(self.ctx.imports)
        if problem is None and alias is None:
            problem = "the name `k8s` is bound to something else in this file"
        if problem is not None:
            self.report(
                original,
                f"`resources={{...}}` must become `container_resources=k8s.V1ResourceRequirements(...)` with "
                f"{PROVIDER}, but {problem}: rewrite it by hand",
                fix=NO_FIX,
            )
            return None
        assert alias is not None
        conversion = ResourcesConversion(alias, values)
        message = (
            f"`resources={{...}}` is not accepted by {PROVIDER}: "
            "`container_resources=k8s.V1ResourceRequirements(requests=..., limits=...)`"
        )
        safety = SAFE
        if conversion.assumptions:
            safety = UNSAFE
            message += f"; the rewrite {conversion.assumption_text()}"
        fixing = self.may_fix(safety)
        self.report(original, message, fix=safety, applied=fixing)
        if not fixing:
            return None
        self.alias = alias
        return updated.with_changes(keyword=cst.Name("container_resources"), value=conversion.expression)

    def _kw_node_selectors(self, original: cst.Arg, updated: cst.Arg, call: cst.Call) -> Optional[cst.Arg]:
        if any(a.keyword is not None and a.keyword.value == "node_selector" for a in call.args):
            self.report(
                original,
                "both `node_selectors=` and `node_selector=` are given: keep only `node_selector=`",
                fix=NO_FIX,
            )
            return None
        fixing = self.may_fix()
        self.report(
            original,
            f"`node_selectors=` is not accepted by {PROVIDER}: it is `node_selector=`",
            applied=fixing,
        )
        return updated.with_changes(keyword=cst.Name("node_selector")) if fixing else None

    def _kw_is_delete_operator_pod(
        self, original: cst.Arg, updated: cst.Arg, call: cst.Call
    ) -> Optional[cst.Arg]:
        value = original.value
        has_on_finish = any(
            a.keyword is not None and a.keyword.value == "on_finish_action" for a in call.args
        )
        if has_on_finish or not (isinstance(value, cst.Name) and value.value in ON_FINISH):
            self.report(
                original,
                f"`is_delete_operator_pod=` is ignored by {PROVIDER} (pods are deleted unless "
                '`on_finish_action="keep_pod"`): replace it with `on_finish_action="delete_pod"` or '
                '`"keep_pod"`',
                fix=NO_FIX,
            )
            return None
        action = ON_FINISH[value.value]
        fixing = self.may_fix()
        self.report(
            original,
            f"`is_delete_operator_pod={value.value}` is ignored by {PROVIDER}: it is "
            f'`on_finish_action="{action}"`',
            applied=fixing,
        )
        if not fixing:
            return None
        return updated.with_changes(
            keyword=cst.Name("on_finish_action"), value=cst.SimpleString(f'"{action}"')
        )

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        return ensure_k8s_import(updated, self.alias) if self.alias else updated


class NamedResources(NamedTuple):
    safety: str  # UNSAFE when a value is no literal: 1.10 dropped falsy values, the model keeps them
    falsy: frozenset[str]  # fields whose literal value is falsy: 1.10 dropped them


def resource_dict_names(tree: ast.Module, imports) -> dict[str, NamedResources]:
    """Module-level `NAME = {...}` whose keys are 1.10 Resources fields, bound nowhere else and
    read only as the `resources=` argument of KubernetesPodOperator calls (outside import guards)."""
    candidates: dict[str, NamedResources] = {}
    # the k8s import goes after the last top-level import: the assignment must come later
    last_import = max(
        (i for i, statement in enumerate(tree.body) if isinstance(statement, (ast.Import, ast.ImportFrom))),
        default=-1,
    )
    for index, statement in enumerate(tree.body):
        if (
            index > last_import
            and isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and isinstance(statement.value, ast.Dict)
            and statement.value.keys
            and all(
                isinstance(key, ast.Constant) and key.value in RESOURCES_PARAMS
                for key in statement.value.keys
            )
        ):
            values = statement.value.values
            literal = all(isinstance(value, ast.Constant) for value in values)
            falsy = frozenset(
                key.value  # type: ignore[union-attr]
                for key, value in zip(statement.value.keys, values)
                if isinstance(value, ast.Constant) and not value.value
            )
            candidates[statement.targets[0].id] = NamedResources(SAFE if literal else UNSAFE, falsy)
    if not candidates:
        return {}
    bindings: dict[str, int] = {}
    reads: dict[str, int] = {}
    as_resources: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in candidates:
            counter = reads if isinstance(node.ctx, ast.Load) else bindings
            counter[node.id] = counter.get(node.id, 0) + 1
        elif isinstance(node, ast.Call) and is_airflow_class(imports.qualified_name(node.func), KPO_CLASSES):
            for keyword in node.keywords:
                if (
                    keyword.arg == "resources"
                    and isinstance(keyword.value, ast.Name)
                    and not imports.guarded(node.lineno)
                ):
                    as_resources[keyword.value.id] = as_resources.get(keyword.value.id, 0) + 1
        else:
            # any other binding of the name (a parameter, def, class, import, global, except
            # name) or a string naming it (`__all__`, getattr): another module may see it
            for name in _other_bindings(node):
                bindings[name] = bindings.get(name, 0) + 2
    return {
        name: named
        for name, named in candidates.items()
        if bindings.get(name) == 1 and reads.get(name, 0) > 0 and reads.get(name) == as_resources.get(name)
    }


def _other_bindings(node: ast.AST):
    if isinstance(node, ast.arg):
        yield node.arg
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield node.name
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        for alias in node.names:
            yield (alias.asname or alias.name).split(".")[0]
    elif isinstance(node, (ast.Global, ast.Nonlocal)):
        yield from node.names
    elif isinstance(node, ast.ExceptHandler) and node.name:
        yield node.name
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
