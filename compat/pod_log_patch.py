"""Show a running KubernetesExecutor task's log file in the UI by reading it from the worker pod.

The reference team's monkey patch, made safe and installed with one call (e.g. in
``airflow_local_settings.py`` of the webserver / API server)::

    from compat.pod_log_patch import install_pod_log_reader
    install_pod_log_reader()

While a task runs in a KubernetesExecutor pod, its log file exists only inside that pod. The log
view then reads it with ``cat PATH`` through the Kubernetes exec API (``compat.pod_exec``: argv
list, no shell, bounded in time). If the pod is gone (404), exec is not allowed (403), the exec
times out or ``cat`` fails, the stock reader runs exactly as if the patch were not installed.

Where Airflow fetches "the log of a task that is not on this machine" (the hook point):

- 1.10.15 and 2.0.2: ``FileTaskHandler._read`` -- when the local file is missing it reads the
  pod's stdout (KubernetesExecutor) or the worker's log server. The patch answers first.
- 2.6+ and 3.x: ``FileTaskHandler._read`` asks ``_get_executor_get_task_log(ti)`` for the running
  task's executor log reader (KubernetesExecutor: the pod's stdout, since AIP-51 in 2.6) and then
  skips the worker log server. The patch hands back a reader that tries the exec first and calls
  the executor's own reader otherwise. The 3.x API server's task log reader
  (``airflow.utils.log.log_reader.TaskLogReader``) goes through the same ``FileTaskHandler._read``.
(2.1-2.5 have no ``_get_executor_get_task_log`` and get the ``_read`` hook like 2.0; they are not
in this repository's tox matrix.)
"""

import logging
import os

from compat import pod_exec
from compat._imports import first_importable

log = logging.getLogger(__name__)

KUBERNETES_EXECUTORS = ("KubernetesExecutor", "CeleryKubernetesExecutor", "LocalKubernetesExecutor")
WORKER_CONTAINER = "base"  # the KubernetesExecutor worker pod's container name (1.10-3.x)
_INSTALLED_ATTRIBUTE = "_compat_pod_log_patch"


def airflow_kube_client():
    """The CoreV1Api Airflow itself uses (``[kubernetes]``/``[kubernetes_executor]`` config)."""
    get_kube_client = first_importable(
        "get_kube_client",
        ["airflow.providers.cncf.kubernetes.kube_client", "airflow.kubernetes.kube_client"],  # 2.7+, 1.10-2.6
    )
    return get_kube_client()


def _conf():
    from airflow.configuration import conf

    return conf


class PodLogReader(object):
    """Reads a task's log file from the task's worker pod; None (and a log line) when it cannot."""

    def __init__(self, kube_client_factory, namespace, container, timeout, kubernetes_executor_only):
        self.kube_client_factory = kube_client_factory
        self.namespace = namespace
        self.container = container
        self.timeout = timeout
        self.kubernetes_executor_only = kubernetes_executor_only

    def applies_to(self, ti):
        if not getattr(ti, "hostname", None):
            return False
        if not self.kubernetes_executor_only:
            return True
        # ti.executor exists from 2.10 (several executors); None there means the default one,
        # which is the first entry of [core] executor ("KubernetesExecutor,LocalExecutor").
        executor = getattr(ti, "executor", None) or _conf().get("core", "executor").split(",")[0]
        return executor.strip().rsplit(".", 1)[-1] in KUBERNETES_EXECUTORS

    def namespace_for(self, handler, ti):
        if self.namespace:
            return self.namespace
        pod_namespace = getattr(handler, "_get_pod_namespace", None)  # 2.x/3.x: honours pod_override
        if pod_namespace is not None:
            return pod_namespace(ti)
        return _conf().get("kubernetes", "namespace")  # 1.10/2.0

    def read(self, handler, ti, path):
        namespace = self.namespace_for(handler, ti)
        try:
            return pod_exec.read_file_from_pod(
                self.kube_client_factory(),
                ti.hostname,
                namespace,
                path,
                container=self.container,
                timeout=self.timeout,
            )
        except pod_exec.PodExecUnavailable as error:
            log.info(
                "Log of %s.%s not read from pod %s/%s via exec (%s); using the stock log reader",
                ti.dag_id,
                ti.task_id,
                namespace,
                ti.hostname,
                error,
            )
        except Exception as error:  # noqa: BLE001 (e.g. no kube config: same fallback)
            log.info(
                "Log of %s.%s not read from pod %s/%s via exec (%s); using the stock log reader",
                ti.dag_id,
                ti.task_id,
                namespace,
                ti.hostname,
                type(error).__name__,
            )
        return None

    @staticmethod
    def source_line(ti, namespace, path):
        return "Read %s from pod %s/%s via kubernetes exec" % (path, namespace, ti.hostname)


def _wrap_read(original, reader):
    """Hook for 1.10.15/2.0.2: ``FileTaskHandler._read(self, ti, try_number, metadata=None)``."""

    def _read(self, ti, try_number, metadata=None):
        path = os.path.join(self.local_base, self._render_filename(ti, try_number))
        if os.path.exists(path) or not reader.applies_to(ti):
            return original(self, ti, try_number, metadata)
        text = reader.read(self, ti, path)
        if text is None:
            return original(self, ti, try_number, metadata)
        header = "*** %s\n" % reader.source_line(ti, reader.namespace_for(self, ti), path)
        return header + text, {"end_of_log": True}

    return _read


def _wrap_executor_log(original, reader):
    """Hook for 2.6+/3.x: ``FileTaskHandler._get_executor_get_task_log(self, ti)``."""

    def _get_executor_get_task_log(self, ti):
        if not reader.applies_to(ti):
            return original(self, ti)

        def get_task_log(ti, try_number):
            path = os.path.join(self.local_base, self._render_filename(ti, try_number))
            text = reader.read(self, ti, path)
            if text is None:
                return original(self, ti)(ti, try_number)
            return [reader.source_line(ti, reader.namespace_for(self, ti), path)], [text]

        return get_task_log

    return _get_executor_get_task_log


class PodLogPatch(object):
    """An installed patch: which method of which class, and the original to put back."""

    def __init__(self, handler_class, method_name, original, reader):
        self.handler_class = handler_class
        self.method_name = method_name
        self.original = original
        self.reader = reader

    def uninstall(self):
        setattr(self.handler_class, self.method_name, self.original)
        if getattr(self.handler_class, _INSTALLED_ATTRIBUTE, None) is self:
            delattr(self.handler_class, _INSTALLED_ATTRIBUTE)


def install_pod_log_reader(
    kube_client_factory=None,
    namespace=None,
    container=WORKER_CONTAINER,
    timeout=pod_exec.DEFAULT_TIMEOUT_SECONDS,
    kubernetes_executor_only=True,
    handler_class=None,
):
    """Patch ``FileTaskHandler`` (or ``handler_class``) once; returns the ``PodLogPatch``.

    Calling it again returns the patch already installed (so it is safe in a module imported
    twice). ``namespace=None`` uses the task's pod namespace from Airflow's config/pod_override.
    """
    if handler_class is None:
        from airflow.utils.log.file_task_handler import FileTaskHandler as handler_class
    installed = handler_class.__dict__.get(_INSTALLED_ATTRIBUTE)
    if installed is not None:
        return installed
    reader = PodLogReader(
        kube_client_factory or airflow_kube_client, namespace, container, timeout, kubernetes_executor_only
    )
    if hasattr(handler_class, "_get_executor_get_task_log"):
        method_name, wrap = "_get_executor_get_task_log", _wrap_executor_log
    else:
        method_name, wrap = "_read", _wrap_read
    original = handler_class.__dict__.get(method_name) or getattr(handler_class, method_name)
    patch = PodLogPatch(handler_class, method_name, original, reader)
    setattr(handler_class, method_name, wrap(original, reader))
    setattr(handler_class, _INSTALLED_ATTRIBUTE, patch)
    return patch
