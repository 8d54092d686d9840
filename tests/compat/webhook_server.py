"""A local HTTP server on 127.0.0.1 that captures webhook POSTs (the Slack stand-in)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _CapturingHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, 1 << 20))
        self.server.owner.captured.append(
            {"path": self.path, "headers": dict(self.headers), "json": json.loads(body.decode("utf-8"))}
        )
        status = self.server.owner.status
        self.send_response(status)
        reply = b"ok" if status == 200 else b"invalid_token"
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):  # keep test output quiet
        pass


class WebhookServer:
    """``with WebhookServer(status=200) as hook:`` -> ``hook.port``, ``hook.captured``."""

    def __init__(self, status=200):
        self.status = status
        self.captured = []
        self._server = None
        self._thread = None

    @property
    def port(self):
        return self._server.server_address[1]

    def __enter__(self):
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _CapturingHandler)
        self._server.daemon_threads = True
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05})
        self._thread.daemon = True
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)
        return False
