"""AU121: KubernetesPodOperator arguments that the Airflow 2 operator no longer takes.

* From the latest Airflow 2.x on (cncf.kubernetes provider 10.x; checked against the installed
  operator's signature in tests/codemods/test_kpo_arguments.py):
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
from collections.abc import Iterator
from typing import TYPE_CHECKING, Optional

from codemods._base import SAFE, UNSAFE, Edit, Finding, Fix, Rewrite, Rule
from codemods._compat_calls import unpacked, use_helper
from codemods._edit import ast_source, is_airflow_class
from codemods._kpo_common import (
    RESOURCES_PARAMS,
    ResourcesConversion,
    k8s_alias,
    k8s_import,
    kw,
    resources_assumptions,
    simple_string,
    with_commas,
)
from codemods._module_constant import constant_dict
from codemods.kpo_models import MODELS

if TYPE_CHECKING:
    import libcst as cst
else:
    from codemods._libcst import cst

KPO_CLASSES = frozenset({"KubernetesPodOperator", "GKEPodOperator", "GKEStartPodOperator"})
# 1.10.15 airflow/contrib/operators/kubernetes_pod_operator.py KubernetesPodOperator.__init__
# (positional use never loaded: 1.10's apply_defaults already raised "Use keyword arguments").
# tests/codemods/test_kpo_arguments.py checks it against the installed 1.10.15 signature and that
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
    node_types = (ast.Call,)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._parents: Optional[dict[int, ast.AST]] = None  # of ctx.tree, built on first need

    def check(self, node: ast.Call) -> Iterator[Finding]:
        qualified = self.ctx.imports.qualified_name(node.func)
        if not is_airflow_class(qualified, KPO_CLASSES):
            return
        for keyword in node.keywords:
            handler = getattr(self, f"_kw_{keyword.arg}", None) if keyword.arg is not None else None
            if keyword.arg is None and self.ctx.options.close_bridge:
                handler = self._closed_pod_resources
            if handler is not None:
                yield from handler(keyword, node)

    def _rename(self, keyword: ast.keyword, name: str) -> Edit:
        """The keyword's name (where the ast's keyword starts) becomes `name`."""
        return Edit(
            keyword.lineno, keyword.col_offset, keyword.col_offset + len(keyword.arg or ""), name.encode()
        )

    # ----- keywords the latest provider rejects or ignores -----
    def _kw_resources(self, keyword: ast.keyword, call: ast.Call) -> Iterator[Finding]:
        value = keyword.value
        if isinstance(value, ast.Dict):
            yield from self._resources_dict(keyword, call, value)
            return
        if isinstance(value, ast.Name):
            literal = self._resources_constant(value.id, keyword.lineno)
            if literal is not None:
                yield from self._resources_dict(keyword, call, literal, source=value.id)
                return
        if isinstance(value, ast.Call):
            qualified = self.ctx.imports.qualified_name(value.func) or ""
            if (
                MODELS.get(qualified) == "Resources"
                or qualified == "kubernetes.client.models.V1ResourceRequirements"
            ):
                yield Finding(
                    keyword,
                    f"`resources=` is not a KubernetesPodOperator argument with {PROVIDER}: it is "
                    "`container_resources=`",
                    Fix.safe(self._rename(keyword, "container_resources")),
                )
                return
        yield Finding(
            keyword,
            f"`resources=` is not a KubernetesPodOperator argument with {PROVIDER}: pass a "
            "`k8s.V1ResourceRequirements(requests={...}, limits={...})` as `container_resources=` "
            "(a dict is no longer accepted)",
        )

    def _resources_constant(self, name: str, line: int) -> Optional[ast.Dict]:
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
        try:
            ast_source(literal, self.ctx.lines).decode()
        except UnicodeDecodeError:
            return None
        return literal

    def _resources_dict(
        self, keyword: ast.keyword, call: ast.Call, literal: ast.Dict, source: str = ""
    ) -> Iterator[Finding]:
        values: dict[str, ast.AST] = {}
        problem = None
        for key_node, value in zip(literal.keys, literal.values):
            key = key_node.value if key_node is not None and simple_string(key_node, self.ctx.lines) else None
            if key not in RESOURCES_PARAMS:
                problem = "it has a key that is not one of " + ", ".join(RESOURCES_PARAMS)
                break
            if key in values:
                problem = f"it gives `{key}` twice"
                break
            values[key] = value  # type: ignore[index]
        if self.ctx.options.bridge:
            yield from self._bridged_resources(keyword, call, literal, problem)
            return
        alias = k8s_alias(self.ctx.imports)
        if problem is None and alias is None:
            problem = "the name `k8s` is bound to something else in this file"
        if problem is not None:
            yield Finding(
                keyword,
                f"`{'resources=' + source if source else 'resources={...}'}` must become "
                "`container_resources=k8s.V1ResourceRequirements(...)` with "
                f"{PROVIDER}, but {problem}: rewrite it by hand",
            )
            return
        assert alias is not None
        assumptions = resources_assumptions(values, self.ctx.lines)
        given = f"resources={source}" if source else "resources={...}"
        message = (
            f"`{given}` is not accepted by {PROVIDER}: "
            "`container_resources=k8s.V1ResourceRequirements(requests=..., limits=...)`"
        )
        if source:
            message += f" (the dict `{source}` holds, written out at the call)"
        safety = SAFE
        if assumptions:
            safety = UNSAFE
            message += f"; the rewrite {ResourcesConversion.text_of(assumptions)}"
        text = ast_source(literal, self.ctx.lines).decode() if source else None

        def convert(arg: cst.Arg) -> cst.Arg:
            value = cst.parse_expression(text) if text is not None else arg.value
            conversion = ResourcesConversion(alias, _dict_values(value))  # type: ignore[arg-type]
            return arg.with_changes(keyword=cst.Name("container_resources"), value=conversion.expression)

        changes: list = [Rewrite(keyword, convert)]
        import_rewrite = k8s_import(self.ctx, alias)
        if import_rewrite is not None:
            changes.append(import_rewrite)
        yield Finding(keyword, message, Fix(safety, tuple(changes)))

    def _bridged_resources(
        self, keyword: ast.keyword, call: ast.Call, literal: ast.Dict, problem: Optional[str]
    ) -> Iterator[Finding]:
        """Bridge mode: 1.10 takes only the dict, the latest provider only `container_resources=`:
        `**pod_resources(request_cpu=...)` (compat/operators.py) passes the one each side
        takes, dropping falsy values at run time as 1.10 did, so the rewrite is exact (for a
        module constant, with the dict it holds written out at the call, as the plain fix does)."""
        helper = None
        if problem is None and not _unpacking_allowed(call, keyword):
            problem = "a `*args` argument follows it"
        if problem is None:
            helper = use_helper(self.ctx, "pod_resources")
            if helper is None:
                problem = "the name `pod_resources` is bound to something else in this file"
        if problem is not None or helper is None:
            yield Finding(
                keyword,
                f"`resources={{...}}` is not accepted by {PROVIDER} and its `container_resources=` not by "
                f"Airflow 1.10, but {problem}: pass `**pod_resources(...)` (compat.operators) by hand",
            )
            return
        text = ast_source(literal, self.ctx.lines).decode() if keyword.value is not literal else None

        def bridged(arg: cst.Arg) -> cst.Arg:
            value = cst.parse_expression(text) if text is not None else arg.value
            values = _dict_values(value)  # type: ignore[arg-type]
            return unpacked(arg, helper, with_commas([kw(key, v) for key, v in values.items()]))

        yield Finding(
            keyword,
            f"`resources={{...}}` is not accepted by {PROVIDER}, and `container_resources=` not by "
            "Airflow 1.10: `**pod_resources(...)` (compat.operators) passes what each side takes",
            Fix.safe(Rewrite(keyword, bridged), bridged=True),
        )

    def _closed_pod_resources(self, keyword: ast.keyword, call: ast.Call) -> Iterator[Finding]:
        """Closing the bridge: `**pod_resources(...)` becomes what the plain fix writes for the
        1.10 dict, `container_resources=k8s.V1ResourceRequirements(...)`."""
        value = keyword.value
        if not isinstance(value, ast.Call):
            return
        qualified = self.ctx.imports.qualified_name(value.func)
        if qualified == f"{self.ctx.options.compat_package}.operators.pod_on_finish":
            yield from self._closed_on_finish(keyword, value)
            return
        if qualified != f"{self.ctx.options.compat_package}.operators.pod_resources":
            return
        if value.args or any(k.arg is None or k.arg not in RESOURCES_PARAMS for k in value.keywords):
            return
        alias = k8s_alias(self.ctx.imports)
        if alias is None:
            return
        assumptions = resources_assumptions({k.arg: k.value for k in value.keywords}, self.ctx.lines)  # type: ignore[misc]
        safety = UNSAFE if assumptions else SAFE
        message = (
            "closing the bridge: `**pod_resources(...)` is "
            "`container_resources=k8s.V1ResourceRequirements(requests=..., limits=...)`"
        )
        if assumptions:
            message += f"; the rewrite {ResourcesConversion.text_of(assumptions)}"

        def closed(arg: cst.Arg) -> cst.Arg:
            helper_call = arg.value
            conversion = ResourcesConversion(alias, {a.keyword.value: a.value for a in helper_call.args})  # type: ignore[attr-defined,union-attr]
            return kw("container_resources", conversion.expression, arg.comma).with_changes(
                whitespace_after_arg=arg.whitespace_after_arg
            )

        changes: list = [Rewrite(keyword, closed)]
        import_rewrite = k8s_import(self.ctx, alias)
        if import_rewrite is not None:
            changes.append(import_rewrite)
        yield Finding(keyword, message, Fix(safety, tuple(changes)))

    def _bridged_on_finish(self, keyword: ast.keyword, call: ast.Call, flag: bool) -> Iterator[Finding]:
        """Bridge mode: 1.10 knows only `is_delete_operator_pod=`. True already deletes the pod on
        both sides (the latest provider's default); False becomes `**pod_on_finish(False)`
        (compat/operators.py: `on_finish_action="keep_pod"` where the provider has it)."""
        if flag:
            yield Finding(
                keyword,
                f"`is_delete_operator_pod=True` is ignored by {PROVIDER}, whose default "
                '`on_finish_action="delete_pod"` does the same: it becomes that when the bridge closes',
            )
            return
        helper = use_helper(self.ctx, "pod_on_finish") if _unpacking_allowed(call, keyword) else None
        if helper is None:
            yield Finding(
                keyword,
                f"`is_delete_operator_pod=False` is ignored by {PROVIDER} (the pod is deleted), "
                "`on_finish_action=` unknown to 1.10: pass `**pod_on_finish(False)` (compat.operators) by hand",
            )
            return
        yield Finding(
            keyword,
            f"`is_delete_operator_pod=False` is ignored by {PROVIDER} (the pod is deleted), "
            '`on_finish_action="keep_pod"` unknown to 1.10: `**pod_on_finish(False)` (compat.operators) '
            "passes what each side takes",
            Fix.safe(
                Rewrite(keyword, lambda arg: unpacked(arg, helper, [cst.Arg(value=arg.value)])), bridged=True
            ),
        )

    def _closed_on_finish(self, keyword: ast.keyword, value: ast.Call) -> Iterator[Finding]:
        """Closing the bridge: `**pod_on_finish(True/False)` -> `on_finish_action="delete_pod"/"keep_pod"`."""
        if len(value.args) != 1 or value.keywords or isinstance(value.args[0], ast.Starred):
            return
        flag = value.args[0]
        if not (isinstance(flag, ast.Constant) and isinstance(flag.value, bool)):
            return
        action = ON_FINISH[str(flag.value)]
        yield Finding(
            keyword,
            f'closing the bridge: `**pod_on_finish({flag.value})` is `on_finish_action="{action}"`',
            Fix.safe(
                Rewrite(
                    keyword,
                    lambda arg: kw(
                        "on_finish_action", cst.SimpleString(f'"{action}"'), arg.comma
                    ).with_changes(whitespace_after_arg=arg.whitespace_after_arg),
                )
            ),
        )

    def _kw_node_selectors(self, keyword: ast.keyword, call: ast.Call) -> Iterator[Finding]:
        if any(k.arg == "node_selector" for k in call.keywords):
            yield Finding(
                keyword,
                "both `node_selectors=` and `node_selector=` are given: keep only `node_selector=`",
            )
            return
        yield Finding(
            keyword,
            f"`node_selectors=` is not accepted by {PROVIDER}: it is `node_selector=`",
            Fix.safe(self._rename(keyword, "node_selector")),
        )

    def _kw_is_delete_operator_pod(self, keyword: ast.keyword, call: ast.Call) -> Iterator[Finding]:
        value = keyword.value
        has_on_finish = any(k.arg == "on_finish_action" for k in call.keywords)
        if has_on_finish or not (isinstance(value, ast.Constant) and isinstance(value.value, bool)):
            yield Finding(
                keyword,
                f"`is_delete_operator_pod=` is ignored by {PROVIDER} (pods are deleted unless "
                '`on_finish_action="keep_pod"`): replace it with `on_finish_action="delete_pod"` or '
                '`"keep_pod"`',
            )
            return
        action = ON_FINISH[str(value.value)]
        if self.ctx.options.bridge:
            yield from self._bridged_on_finish(keyword, call, value.value)
            return
        yield Finding(
            keyword,
            f"`is_delete_operator_pod={value.value}` is ignored by {PROVIDER}: it is "
            f'`on_finish_action="{action}"`',
            Fix.safe(
                Rewrite(
                    keyword,
                    lambda arg: arg.with_changes(
                        keyword=cst.Name("on_finish_action"), value=cst.SimpleString(f'"{action}"')
                    ),
                )
            ),
        )


def _unpacking_allowed(call: ast.Call, keyword: ast.keyword) -> bool:
    """`**helper(...)` may replace `keyword`: no `*args` follows it (`f(**a, *b)` does not parse)."""
    at = (keyword.lineno, keyword.col_offset)
    return not any(isinstance(arg, ast.Starred) and (arg.lineno, arg.col_offset) > at for arg in call.args)


def _dict_values(value: cst.Dict) -> dict:
    """{key: value} of a resources dict literal the check accepted (string keys, no `**`)."""
    return {element.key.evaluated_value: element.value for element in value.elements}  # type: ignore[attr-defined,union-attr]
