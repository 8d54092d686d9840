"""AU121: KubernetesPodOperator arguments that the Airflow 2 operator no longer takes.

* From the latest Airflow 2.x on (cncf.kubernetes provider 10.x; checked against the installed
  operator's signature in tests/codemods/test_kpo_args.py):
  - `resources=` is gone (renamed `container_resources`, and the provider stopped accepting a
    dict in 5.0): a dict literal becomes `container_resources=k8s.V1ResourceRequirements(...)`
    the way 1.10 built it, and so does a module-level name bound once to such a literal of
    constants and used only as `resources=` (the literal is written out at the call;
    codemods/_module_constant.py says what proves it); a `Resources(...)`/
    `V1ResourceRequirements(...)` value only changes keyword; anything else is reported.
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
from typing import Optional

import libcst as cst

from codemods._base import NO_FIX, SAFE, UNSAFE, Rule
from codemods._edit import is_airflow_class
from codemods._kpo_common import (
    RESOURCES_PARAMS,
    ResourcesConversion,
    ensure_k8s_import,
    k8s_alias,
)
from codemods._module_constant import constant_dict
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
        self._parents: Optional[dict[int, ast.AST]] = None  # of ctx.tree, built on first need

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
        if isinstance(value, cst.Dict) and isinstance(updated.value, cst.Dict):
            return self._resources_dict(original, updated)
        if isinstance(value, cst.Name) and isinstance(updated.value, cst.Name):
            literal = self._resources_constant(value.value, self.ctx.position(original)[0][0])
            if literal is not None:
                return self._resources_dict(original, updated.with_changes(value=literal), source=value.value)
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

    def _resources_constant(self, name: str, line: int) -> Optional[cst.Dict]:
        """`resources=compute_resources`, the name bound once to a dict literal of constants at
        module level and used only as `resources=` of pod operators: that dict (1.10 built the
        same Resources from it at each call; copying constants into the call cannot change it)."""
        tree = self.ctx.tree
        if tree is None:
            return None
        if self._parents is None:
            self._parents = {id(c): n for n in ast.walk(tree) for c in ast.iter_child_nodes(n)}
        parents = self._parents

        def resources_of_pod_operator(node: ast.Name) -> bool:
            keyword = parents.get(id(node))
            call = parents.get(id(keyword))
            return (
                isinstance(keyword, ast.keyword)
                and keyword.arg == "resources"
                and isinstance(call, ast.Call)
                and is_airflow_class(self.ctx.imports.qualified_name(call.func), KPO_CLASSES)
            )

        literal = constant_dict(tree, name, line, resources_of_pod_operator)
        if literal is None or literal.end_lineno is None or literal.end_col_offset is None:
            return None
        lines = self.ctx.lines[literal.lineno - 1 : literal.end_lineno]
        if len(lines) == 1:
            text = lines[0][literal.col_offset : literal.end_col_offset]
        else:
            text = (
                lines[0][literal.col_offset :] + b"".join(lines[1:-1]) + lines[-1][: literal.end_col_offset]
            )
        try:
            parsed = cst.parse_expression(text.decode())
        except (cst.ParserSyntaxError, UnicodeDecodeError):
            return None
        return parsed if isinstance(parsed, cst.Dict) else None

    def _resources_dict(self, original: cst.Arg, updated: cst.Arg, source: str = "") -> Optional[cst.Arg]:
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
                f"`{'resources=' + source if source else 'resources={...}'}` must become "
                "`container_resources=k8s.V1ResourceRequirements(...)` with "
                f"{PROVIDER}, but {problem}: rewrite it by hand",
                fix=NO_FIX,
            )
            return None
        assert alias is not None
        conversion = ResourcesConversion(alias, values)
        given = f"resources={source}" if source else "resources={...}"
        message = (
            f"`{given}` is not accepted by {PROVIDER}: "
            "`container_resources=k8s.V1ResourceRequirements(requests=..., limits=...)`"
        )
        if source:
            message += f" (the dict `{source}` holds, written out at the call)"
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
