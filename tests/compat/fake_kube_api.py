"""A small fake Kubernetes API server on 127.0.0.1 for the real ``kubernetes`` client.

It answers pod exec requests with the websocket channel protocol ``v4.channel.k8s.io`` (each
binary frame starts with a channel byte: 1 stdout, 2 stderr, 3 the final metav1.Status JSON) and
emulates ``cat PATH`` over an in-memory file table. What a request gets depends on its namespace:

    ok         run the command: stdout = file content (or stderr + exit 1 if missing)
    gone       HTTP 404 Status (pod not found) instead of the websocket upgrade
    forbidden  HTTP 403 Status
    hang       complete the websocket handshake, then send nothing
    mute       accept the connection and never answer the handshake

Every request is recorded (method, path, query as a list of pairs) for assertions. All waits are
bounded by ``MAX_STALL_SECONDS`` and end as soon as the server stops.
"""

import base64
import hashlib
import json
import socket
import socketserver
import struct
import threading
from urllib.parse import parse_qsl, urlsplit

WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
MAX_STALL_SECONDS = 30.0
EXEC_PATH_PARTS = 7  # /api/v1/namespaces/{ns}/pods/{pod}/exec


def _status(code, reason, message):
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    }


def websocket_frame(payload, opcode=0x2):
    header = bytes([0x80 | opcode])
    length = len(payload)
    if length < 126:
        header += bytes([length])
    elif length < 1 << 16:
        header += bytes([126]) + struct.pack("!H", length)
    else:
        header += bytes([127]) + struct.pack("!Q", length)
    return header + payload


class _Handler(socketserver.BaseRequestHandler):
    def handle(self):
        server = self.server.fake
        self.request.settimeout(MAX_STALL_SECONDS)
        head = b""
        while b"\r\n\r\n" not in head and len(head) < 65536:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            head += chunk
        request_line, _, header_block = head.decode("latin-1").partition("\r\n")
        method, target = request_line.split(" ")[:2]
        headers = {}
        for line in header_block.split("\r\n"):
            if ":" in line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        url = urlsplit(target)
        query = parse_qsl(url.query, keep_blank_values=True)
        server.record(method, url.path, query, headers)
        parts = url.path.strip("/").split("/")
        namespace = parts[3] if len(parts) > 3 else ""
        if len(parts) == EXEC_PATH_PARTS and parts[-1] == "exec":
            self.exec_request(server, namespace, parts[5], query, headers)
        elif len(parts) == EXEC_PATH_PARTS and parts[-1] == "log" and method == "GET":
            self.plain(200, "text/plain", server.pod_stdout.encode())
        else:
            self.plain(404, "application/json", json.dumps(_status(404, "NotFound", "no route")).encode())

    def plain(self, code, content_type, body):
        reason = {200: "OK", 403: "Forbidden", 404: "Not Found"}[code]
        self.request.sendall(
            f"HTTP/1.1 {code} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )

    def exec_request(self, server, namespace, pod, query, headers):
        if namespace == "gone":
            body = _status(404, "NotFound", f'pods "{pod}" not found')
            return self.plain(404, "application/json", json.dumps(body).encode())
        if namespace == "forbidden":
            body = _status(403, "Forbidden", "pods/exec is forbidden for this service account")
            return self.plain(403, "application/json", json.dumps(body).encode())
        if namespace == "mute":
            server.stopped.wait(MAX_STALL_SECONDS)
            return None
        offered = [p.strip() for p in headers.get("sec-websocket-protocol", "").split(",")]
        if "v4.channel.k8s.io" not in offered:
            return self.plain(
                403, "application/json", json.dumps(_status(403, "Forbidden", "need v4")).encode()
            )
        accept = base64.b64encode(
            hashlib.sha1((headers["sec-websocket-key"] + WEBSOCKET_GUID).encode()).digest()
        ).decode()
        self.request.sendall(
            (
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Accept: {accept}\r\nSec-WebSocket-Protocol: v4.channel.k8s.io\r\n\r\n"
            ).encode()
        )
        if namespace == "hang":
            server.stopped.wait(MAX_STALL_SECONDS)
            return None
        command = [value for key, value in query if key == "command"]
        for frame in server.run_command(command):
            self.request.sendall(websocket_frame(frame))
        self.request.sendall(websocket_frame(struct.pack("!H", 1000), opcode=0x8))
        try:  # let the client send its close frame before the socket goes
            self.request.settimeout(2.0)
            self.request.recv(1024)
        except OSError:
            pass
        return None


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class FakeKubeApi:
    """Start with ``with FakeKubeApi() as api:``; ``api.url`` is the API server URL."""

    def __init__(self, files=None, pod_stdout="stock pod stdout line\n", chunk_size=7):
        self.files = dict(files or {})
        self.pod_stdout = pod_stdout
        self.chunk_size = chunk_size  # split stdout into several frames, as a real kubelet does
        self.requests = []
        self.stopped = threading.Event()
        self._lock = threading.Lock()
        self._server = None
        self._thread = None

    def record(self, method, path, query, headers):
        with self._lock:
            self.requests.append({"method": method, "path": path, "query": query, "headers": headers})

    def exec_commands(self):
        with self._lock:
            return [
                [v for k, v in r["query"] if k == "command"]
                for r in self.requests
                if r["path"].endswith("/exec")
            ]

    def run_command(self, command):
        """Frames (channel byte + data) for ``cat PATH``; anything else fails like a real container."""
        if len(command) == 2 and command[0] == "cat" and command[1] in self.files:
            # Chunks of characters, not bytes: kubernetes clients before 24 decode every frame
            # on its own and would garble a UTF-8 character split between two frames.
            text = self.files[command[1]]
            for start in range(0, len(text), self.chunk_size):
                yield b"\x01" + text[start : start + self.chunk_size].encode("utf-8")
            yield b"\x03" + json.dumps({"metadata": {}, "status": "Success"}).encode()
            return
        if len(command) == 2 and command[0] == "cat":
            yield b"\x02" + (f"cat: {command[1]}: No such file or directory\n").encode()
        else:
            yield b"\x02" + (f"unexpected command {command!r}\n").encode()
        status = {
            "metadata": {},
            "status": "Failure",
            "reason": "NonZeroExitCode",
            "message": "command terminated with non-zero exit code: error executing command [{}], exit code 1".format(
                " ".join(command)
            ),
            "details": {"causes": [{"reason": "ExitCode", "message": "1"}]},
        }
        yield b"\x03" + json.dumps(status).encode()

    @property
    def url(self):
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self):
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05})
        self._thread.daemon = True
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stopped.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)
        return False


def core_v1_for(url):
    """A real ``kubernetes.client.CoreV1Api`` talking to ``url``."""
    from kubernetes import client

    configuration = client.Configuration()
    configuration.host = url
    return client.CoreV1Api(client.ApiClient(configuration))


def free_closed_port():
    """A TCP port on 127.0.0.1 that nothing listens on (connections are refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
