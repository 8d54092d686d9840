"""The pod-log patch with the real kubernetes client against a fake API server on 127.0.0.1."""

import inspect
import logging
import os
import re
import time

import pytest

from compat import pod_exec
from compat.pod_log_patch import install_pod_log_reader
from compat.version import airflow_version
from tests.compat.fake_kube_api import FakeKubeApi, core_v1_for, free_closed_port

VERSION = airflow_version()
POD = "localhost"  # the pod name is ti.hostname; "localhost" keeps the stock fallback on 127.0.0.1
# A log path a shell would split and execute: it must reach the container as one argv entry.
RELATIVE_LOG_PATH = "dag_id=test_dag/run_id=manual__2021;echo pwned $(id)/task_id=print_a/attempt=1.log"
LOG_TEXT = (
    "[2021-03-16 08:00:01] INFO - running print_a\n[2021-03-16 08:00:02] INFO - a\nlast line no newline"
)
TIMEOUT = 1.5


def _handler_class():
    from airflow.utils.log.file_task_handler import FileTaskHandler

    class FixedPathFileTaskHandler(FileTaskHandler):
        # The stock _render_filename needs a DagRun row (2.2+); the path layout is not under test.
        def _render_filename(self, ti, try_number):
            return RELATIVE_LOG_PATH

    return FileTaskHandler, FixedPathFileTaskHandler


def _make_handler(handler_class, base_log_folder):
    parameters = inspect.signature(handler_class.__init__).parameters
    kwargs = {"base_log_folder": str(base_log_folder)}
    if "filename_template" in parameters:
        kwargs["filename_template"] = "{{ ti.dag_id }}/{{ ti.task_id }}/{{ ts }}/{{ try_number }}.log"
    return handler_class(**kwargs)


@pytest.fixture(scope="module")
def print_a_task():
    from tests.dags.airflow_runtime import load_dagbag

    return load_dagbag().dags["test_dag"].get_task("print_a")


def _running_ti(task):
    from airflow.models import TaskInstance
    from airflow.utils.state import State

    if VERSION < (2, 2, 0):
        ti = TaskInstance(task, execution_date=task.start_date)
    elif VERSION < (3, 0, 0):
        ti = TaskInstance(task, run_id="scheduled__2021-03-14T23:00:00+00:00")
    else:
        import uuid

        ti = TaskInstance(task, run_id="scheduled__2021-03-14T23:00:00+00:00", dag_version_id=uuid.uuid4())
    ti.hostname = POD
    ti.state = State.RUNNING
    return ti


def _read_running_log(handler, patch_or_none, ti):
    """Ask the handler for a running task's log the way FileTaskHandler._read does on this version."""
    if hasattr(type(handler), "_get_executor_get_task_log"):
        messages, logs = handler._get_executor_get_task_log(ti)(ti, 1)
        return list(messages), list(logs)
    text, metadata = handler._read(ti, 1, None)
    return text, metadata


def _without_addresses(value):
    # the stock 1.10/2.0 reader's error text names urllib3 objects by memory address
    return re.sub(r"0x[0-9a-f]+", "0x?", repr(value))


@pytest.fixture
def env(tmp_path, monkeypatch):
    # The stock 1.10/2.0 fallback asks http://{hostname}:{worker_log_server_port}: make that a
    # refused connection on 127.0.0.1 instead of a real host.
    monkeypatch.setenv("AIRFLOW__CELERY__WORKER_LOG_SERVER_PORT", str(free_closed_port()))
    monkeypatch.setenv("AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT", str(free_closed_port()))
    # The stock 2.6+ reader loads the default executor; SequentialExecutor is the one that
    # accepts the SQLite test DB before 3.0 (3.0 removed it, LocalExecutor accepts SQLite there).
    monkeypatch.setenv("AIRFLOW__CORE__EXECUTOR", "SequentialExecutor" if VERSION < (3,) else "LocalExecutor")
    base_class, handler_class = _handler_class()
    handler = _make_handler(handler_class, tmp_path / "logs")
    full_path = os.path.join(handler.local_base, RELATIVE_LOG_PATH)
    with FakeKubeApi(files={full_path: LOG_TEXT}) as api:
        installed = []

        def install(namespace, **kwargs):
            kwargs.setdefault("kubernetes_executor_only", False)
            patch = install_pod_log_reader(
                kube_client_factory=lambda: core_v1_for(api.url),
                namespace=namespace,
                timeout=TIMEOUT,
                **kwargs,
            )
            installed.append(patch)
            return patch

        try:
            yield {"api": api, "handler": handler, "install": install, "path": full_path, "base": base_class}
        finally:
            for patch in installed:
                patch.uninstall()


def test_hook_point_matches_this_airflow_version(env):
    patch = env["install"]("ok")
    expected = "_read" if VERSION < (2, 6, 0) else "_get_executor_get_task_log"
    assert patch.method_name == expected
    assert patch.handler_class is env["base"]


def test_running_task_log_is_read_from_the_pod_with_cat_argv(env, print_a_task):
    env["install"]("ok")
    result = _read_running_log(env["handler"], None, _running_ti(print_a_task))
    source = "Read {} from pod ok/{} via kubernetes exec".format(env["path"], POD)
    if isinstance(result[0], list):  # 2.6+/3.x: (messages, logs)
        assert result == ([source], [LOG_TEXT])
    else:  # 1.10/2.0: (text, metadata)
        assert result == (f"*** {source}\n{LOG_TEXT}", {"end_of_log": True})
    assert env["api"].exec_commands() == [["cat", env["path"]]]
    query = dict(env["api"].requests[0]["query"])
    assert query["container"] == "base"
    assert query["stdout"] in ("True", "true") and query["stdin"] in ("False", "false")
    assert query["tty"] in ("False", "false")


@pytest.mark.parametrize(
    ("namespace", "reason"),
    [
        ("gone", pod_exec.POD_GONE),
        ("forbidden", pod_exec.FORBIDDEN),
        ("hang", pod_exec.TIMEOUT),
        ("mute", pod_exec.TIMEOUT),
        ("ok-missing-file", pod_exec.COMMAND_FAILED),
    ],
)
def test_falls_back_to_the_stock_reader(env, caplog, namespace, reason, print_a_task):
    if namespace == "ok-missing-file":
        env["api"].files.clear()
        namespace = "ok"
    ti = _running_ti(print_a_task)
    patch = env["install"](namespace)
    stock_handler = env["handler"]
    with caplog.at_level(logging.INFO, logger="compat.pod_log_patch"):
        started = time.monotonic()
        patched = _read_running_log(stock_handler, patch, ti)
        elapsed = time.monotonic() - started
    patch.uninstall()
    stock = _read_running_log(stock_handler, None, ti)
    assert _without_addresses(patched) == _without_addresses(stock)
    assert LOG_TEXT not in repr(patched)
    assert elapsed < TIMEOUT + 3
    assert any(reason in record.getMessage() for record in caplog.records), caplog.text
    assert len(env["api"].exec_commands()) == 1


def test_not_used_for_other_executors(env, print_a_task):
    ti = _running_ti(print_a_task)
    ti.executor = None
    env["install"]("ok", kubernetes_executor_only=True)
    result = _read_running_log(env["handler"], None, ti)
    assert LOG_TEXT not in repr(result)
    assert env["api"].requests == []


def test_install_is_idempotent_and_uninstall_restores(env):
    base = env["base"]
    first = env["install"]("ok")
    assert env["install"]("gone") is first
    patched = getattr(base, first.method_name)
    assert patched is not first.original
    first.uninstall()
    assert getattr(base, first.method_name) is first.original
    assert first.uninstall() is None  # a second uninstall is harmless


def test_relative_or_nul_paths_are_refused():
    for path in ("relative/1.log", "/abs/with\x00nul"):
        with pytest.raises(ValueError):
            pod_exec.read_file_from_pod(None, POD, "ok", path)


@pytest.mark.parametrize(
    ("ti_executor", "configured", "hostname", "expected"),
    [
        ("KubernetesExecutor", "LocalExecutor", POD, True),
        ("CeleryExecutor", "KubernetesExecutor", POD, False),
        (None, "KubernetesExecutor", POD, True),
        (None, "KubernetesExecutor,LocalExecutor", POD, True),  # 2.10+: the first one is the default
        (None, "LocalExecutor,KubernetesExecutor", POD, False),
        (None, "CeleryKubernetesExecutor", POD, True),
        (None, "KubernetesExecutor", "", False),  # no pod to ask
    ],
)
def test_applies_only_to_tasks_on_a_kubernetes_executor(
    monkeypatch, ti_executor, configured, hostname, expected
):
    from types import SimpleNamespace

    from compat.pod_log_patch import PodLogReader

    monkeypatch.setenv("AIRFLOW__CORE__EXECUTOR", configured)
    reader = PodLogReader(None, "ok", "base", TIMEOUT, kubernetes_executor_only=True)
    assert reader.applies_to(SimpleNamespace(executor=ti_executor, hostname=hostname)) is expected


def test_exec_output_is_bounded_in_bytes_and_frames():
    path = "/logs/big.log"
    with FakeKubeApi(files={path: "x" * 200}, chunk_size=7) as api:
        core_v1 = core_v1_for(api.url)
        assert pod_exec.read_file_from_pod(core_v1, POD, "ok", path, timeout=TIMEOUT) == "x" * 200
        with pytest.raises(pod_exec.PodExecUnavailable) as too_big:
            pod_exec.read_file_from_pod(core_v1, POD, "ok", path, timeout=TIMEOUT, max_bytes=50)
        assert too_big.value.reason == pod_exec.EXEC_ERROR
        with pytest.raises(pod_exec.PodExecUnavailable) as too_many:
            pod_exec.read_file_from_pod(core_v1, POD, "ok", path, timeout=TIMEOUT, max_frames=3)
        assert too_many.value.reason == pod_exec.TIMEOUT
