"""One stable import place for the operators the reference DAGs use, on Airflow 1.10 to 3.x.

    from compat.operators import BashOperator, PythonOperator, KubernetesPodOperator, k8s

Each name resolves to the module that is current on the running Airflow, so no deprecation
warning is emitted: Airflow 3.0 moved the core operators to the ``standard`` provider, 2.0 moved
them out of ``*_operator`` modules (and contrib's KubernetesPodOperator to the cncf.kubernetes
provider), 2.3 renamed DummyOperator to EmptyOperator.
"""

import inspect

from kubernetes.client import models as k8s  # noqa: F401  (re-exported: V1Volume, V1ResourceRequirements...)

from compat._imports import first_importable
from compat.version import airflow_version

BashOperator = first_importable(
    "BashOperator",
    [
        "airflow.providers.standard.operators.bash",  # Airflow 3.0+
        "airflow.operators.bash",  # Airflow 2.0-2.x
        "airflow.operators.bash_operator",  # Airflow 1.10
    ],
)

_PythonOperator = first_importable(
    "PythonOperator",
    [
        "airflow.providers.standard.operators.python",
        "airflow.operators.python",
        "airflow.operators.python_operator",
    ],
)
_BranchPythonOperator = first_importable(
    "BranchPythonOperator",
    [
        "airflow.providers.standard.operators.python",
        "airflow.operators.python",
        "airflow.operators.python_operator",
    ],
)

try:
    EmptyOperator = first_importable(
        "EmptyOperator",
        ["airflow.providers.standard.operators.empty", "airflow.operators.empty"],  # 3.0+, 2.3+
    )
except ImportError:
    EmptyOperator = first_importable(
        "DummyOperator",
        ["airflow.operators.dummy", "airflow.operators.dummy_operator"],  # 2.0-2.2, 1.10
    )
DummyOperator = EmptyOperator

KubernetesPodOperator = first_importable(
    "KubernetesPodOperator",
    [
        "airflow.providers.cncf.kubernetes.operators.pod",  # provider 4.0+ (Airflow 2.3+)
        "airflow.providers.cncf.kubernetes.operators.kubernetes_pod",  # provider 1.x-3.x (Airflow 2.0)
        "airflow.contrib.operators.kubernetes_pod_operator",  # Airflow 1.10
    ],
)

IS_AIRFLOW_1 = airflow_version()[0] < 2


def _accepted_kwargs(func, kwargs):
    """The subset of ``kwargs`` that ``func`` accepts (all of them if it takes ``**kwargs``)."""
    parameters = inspect.signature(func).parameters.values()
    if any(p.kind == p.VAR_KEYWORD for p in parameters):
        return dict(kwargs)
    names = {p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
    return {k: v for k, v in kwargs.items() if k in names}


if IS_AIRFLOW_1:

    class _Airflow2ContextPassing(object):
        """Airflow 2 passes the context keys a callable names; 1.10 needs provide_context=True and
        then passes *every* key, which breaks callables without ``**kwargs``. This gives 1.10 the
        Airflow 2 behaviour so the same callable works on both."""

        def __init__(self, *args, **kwargs):
            kwargs.setdefault("provide_context", True)
            super(_Airflow2ContextPassing, self).__init__(*args, **kwargs)

        def execute_callable(self):
            return self.python_callable(
                *self.op_args, **_accepted_kwargs(self.python_callable, self.op_kwargs)
            )

    class PythonOperator(_Airflow2ContextPassing, _PythonOperator):
        pass

    class BranchPythonOperator(_Airflow2ContextPassing, _BranchPythonOperator):
        pass

else:
    PythonOperator = _PythonOperator
    BranchPythonOperator = _BranchPythonOperator


def get_current_context():
    """The running task's context (Airflow 2.0+). Airflow 1.10 has no such function: there,
    take ``**context`` in the callable (``compat.operators.PythonOperator`` passes it)."""
    if IS_AIRFLOW_1:
        raise RuntimeError(
            "get_current_context() needs Airflow 2.0+; on 1.10 accept **context in the python_callable"
        )
    function = first_importable(
        "get_current_context",
        ["airflow.sdk", "airflow.operators.python"],  # Airflow 3.0+, 2.0-2.x
    )
    return function()


# 1.10.15 airflow/kubernetes/pod.py Resources.to_k8s_client_obj(): field -> (section, key)
_RESOURCE_FIELDS = (
    ("request_memory", "requests", "memory"),
    ("request_cpu", "requests", "cpu"),
    ("request_ephemeral_storage", "requests", "ephemeral-storage"),
    ("limit_memory", "limits", "memory"),
    ("limit_cpu", "limits", "cpu"),
    ("limit_gpu", "limits", "nvidia.com/gpu"),
    ("limit_ephemeral_storage", "limits", "ephemeral-storage"),
)


def pod_resources(
    request_cpu=None,
    request_memory=None,
    limit_cpu=None,
    limit_memory=None,
    request_ephemeral_storage=None,
    limit_gpu=None,
    limit_ephemeral_storage=None,
):
    """KubernetesPodOperator keyword arguments for container resources on this Airflow.

    1.10 takes ``resources=`` as a dict of request_*/limit_* keys; the cncf.kubernetes provider
    1.x-3.x takes ``resources=`` as ``k8s.V1ResourceRequirements``; provider 4.0 renamed it
    ``container_resources=`` (and later dropped ``resources``). As on 1.10, a falsy value
    (None, "", 0) sets nothing. ``airflow-upgrade fix --bridge`` writes
    ``**pod_resources(...)`` for a 1.10 ``resources={...}`` dict.
    """
    given = {
        "request_cpu": request_cpu,
        "request_memory": request_memory,
        "limit_cpu": limit_cpu,
        "limit_memory": limit_memory,
        "request_ephemeral_storage": request_ephemeral_storage,
        "limit_gpu": limit_gpu,
        "limit_ephemeral_storage": limit_ephemeral_storage,
    }
    if IS_AIRFLOW_1:
        return {"resources": {k: v for k, v in given.items() if v is not None}}
    sections = {"requests": {}, "limits": {}}
    for field, section, key in _RESOURCE_FIELDS:
        if given[field]:  # 1.10 kept only truthy values: {k: v for k, v in raw.items() if v}
            sections[section][key] = given[field]
    requirements = k8s.V1ResourceRequirements(
        requests=sections["requests"] or None, limits=sections["limits"] or None
    )
    parameters = inspect.signature(KubernetesPodOperator.__init__).parameters
    if "container_resources" in parameters:
        return {"container_resources": requirements}
    return {"resources": requirements}



def pod_on_finish(is_delete_operator_pod):
    """KubernetesPodOperator keyword argument for what happens to the pod when it finishes.

    1.10 and the cncf.kubernetes provider before 7.0 take ``is_delete_operator_pod=`` (default
    False: keep the pod); later providers take ``on_finish_action=`` and from 10.0 ignore
    ``is_delete_operator_pod`` (the default there deletes the pod). ``airflow-upgrade fix
    --bridge`` writes ``**pod_on_finish(False)`` for a 1.10 ``is_delete_operator_pod=False``.
    """
    parameters = inspect.signature(KubernetesPodOperator.__init__).parameters
    if "on_finish_action" in parameters:
        return {"on_finish_action": "delete_pod" if is_delete_operator_pod else "keep_pod"}
    return {"is_delete_operator_pod": is_delete_operator_pod}
