"""Read a file from a running pod through the Kubernetes exec API (``cat PATH``, no shell).

The command is the argument list ``["cat", path]``: Kubernetes runs it with exec(2) in the
container, so the path is one argv entry and never reaches a shell (the reference team's first
version ran ``sh -c "cat " + path``, which a log path with ``;`` or ``$(...)`` would exploit).

Every call is bounded: the exec runs in a daemon thread that gets ``timeout`` seconds in total
(the websocket-client used by the kubernetes client has no connect timeout of its own), frames
are read at most ``max_frames`` times and at most ``max_bytes`` of output are kept.
"""

import json
import threading
import time

STDOUT_CHANNEL = 1
STDERR_CHANNEL = 2
ERROR_CHANNEL = 3  # v4.channel.k8s.io: the command's final status as a JSON metav1.Status

DEFAULT_TIMEOUT_SECONDS = 10.0
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_FRAMES = 100000

POD_GONE = "pod gone"
FORBIDDEN = "forbidden"
TIMEOUT = "timeout"
COMMAND_FAILED = "command failed"
EXEC_ERROR = "exec error"


class PodExecUnavailable(Exception):
    """The file could not be read from the pod; ``reason`` is one of the constants above."""

    def __init__(self, reason, detail=""):
        super(PodExecUnavailable, self).__init__("%s: %s" % (reason, detail) if detail else reason)
        self.reason = reason
        self.detail = detail


def _classify_failure(error):
    """Map a client exception to a reason. A failed websocket handshake surfaces as
    ApiException(status=0, reason="Handshake status 404 Not Found ...") (kubernetes 11-35) or, in
    kubernetes 36, as an AttributeError raised while handling that ApiException, so the whole
    exception chain is searched."""
    seen = 0
    current = error
    while current is not None and seen < 5:
        status = getattr(current, "status", None)
        text = str(getattr(current, "reason", "") or "")
        if status == 404 or "Handshake status 404" in text:
            return PodExecUnavailable(POD_GONE, "HTTP 404")
        if status in (401, 403) or "Handshake status 403" in text or "Handshake status 401" in text:
            return PodExecUnavailable(
                FORBIDDEN, "HTTP %s" % (status if status in (401, 403) else text[17:20])
            )
        current = current.__cause__ or current.__context__
        seen += 1
    return PodExecUnavailable(EXEC_ERROR, type(error).__name__)


def _supports_binary_frames():
    # kubernetes >= 24 can hand back raw frame bytes (``binary=True``); older clients decode each
    # frame on its own, which garbles a UTF-8 character split across two frames.
    import inspect

    from kubernetes.stream.ws_client import WSClient

    return "binary" in inspect.signature(WSClient.__init__).parameters


def _text(data):
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else (data or "")


def _command_status(client):
    raw = _buffered(client, ERROR_CHANNEL)
    if not raw:
        return None
    try:
        return json.loads(_text(raw))
    except ValueError:
        return {"status": "Failure", "message": _text(raw)[:200]}


def _buffered(client, channel):
    # After the server closed the socket, read_channel() returns what was buffered (no waiting).
    return client.read_channel(channel, timeout=0)


def _exec_cat(core_v1, pod, namespace, path, container, deadline, max_bytes, max_frames):
    from kubernetes.stream import stream

    kwargs = {"command": ["cat", path], "stderr": True, "stdin": False, "stdout": True, "tty": False}
    if container:
        kwargs["container"] = container
    binary = _supports_binary_frames()
    if binary:
        kwargs["binary"] = True
    try:
        client = stream(
            core_v1.connect_get_namespaced_pod_exec, pod, namespace, _preload_content=False, **kwargs
        )
    except Exception as error:  # noqa: BLE001 (see _classify_failure)
        raise _classify_failure(error) from error
    try:
        stdout = []
        size = 0
        frames = 0
        while client.is_open() and frames < max_frames:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PodExecUnavailable(TIMEOUT, "no end of output in time")
            client.update(timeout=min(remaining, 1.0))
            frames += 1
            chunk = client.read_channel(STDOUT_CHANNEL, timeout=0)
            if chunk:
                stdout.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    raise PodExecUnavailable(EXEC_ERROR, "output larger than %d bytes" % max_bytes)
        if client.is_open():
            raise PodExecUnavailable(TIMEOUT, "more than %d frames" % max_frames)
        stdout.append(_buffered(client, STDOUT_CHANNEL))
        status = _command_status(client)
        if status is None or status.get("status") != "Success":
            message = (status or {}).get("message") or "no exit status"
            stderr = _text(_buffered(client, STDERR_CHANNEL))
            raise PodExecUnavailable(COMMAND_FAILED, (stderr.strip() or message)[:300])
        if binary:
            return b"".join(part for part in stdout if part).decode("utf-8", "replace")
        return "".join(part for part in stdout if part)
    finally:
        client.close()


def read_file_from_pod(
    core_v1,
    pod,
    namespace,
    path,
    container=None,
    timeout=DEFAULT_TIMEOUT_SECONDS,
    max_bytes=DEFAULT_MAX_BYTES,
    max_frames=DEFAULT_MAX_FRAMES,
):
    """The text of ``path`` in ``pod``; raises ``PodExecUnavailable`` (never hangs past ``timeout``).

    ``core_v1`` is a ``kubernetes.client.CoreV1Api``. ``path`` must be absolute.
    """
    if not path.startswith("/") or "\x00" in path:
        raise ValueError("pod file path must be absolute: %r" % (path,))
    deadline = time.monotonic() + timeout
    outcome = {}

    def run():
        try:
            outcome["text"] = _exec_cat(
                core_v1, pod, namespace, path, container, deadline, max_bytes, max_frames
            )
        except PodExecUnavailable as error:
            outcome["error"] = error
        except Exception as error:  # noqa: BLE001 (any client failure means "not readable this way")
            outcome["error"] = PodExecUnavailable(EXEC_ERROR, type(error).__name__)

    worker = threading.Thread(target=run, name="pod-exec-cat", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        # Stuck in the websocket handshake (no connect timeout there); the daemon thread ends
        # when the API server drops the connection. The caller falls back meanwhile.
        raise PodExecUnavailable(TIMEOUT, "no answer within %.1fs" % timeout)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["text"]
