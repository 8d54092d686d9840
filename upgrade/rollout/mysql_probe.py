"""Read a MySQL/MariaDB server's version from its greeting, without a driver or a login.

The server speaks first: on connect it sends the Handshake v10 packet, whose payload starts
with the protocol version byte and the NUL-terminated server version string. That is all
stage 0 needs to block MySQL 5.x and MariaDB, so the tool does not depend on a MySQL driver.
"""

from __future__ import annotations

import socket


class ProbeError(OSError):
    """The server did not send a MySQL greeting."""


def server_version(host: str, port: int, timeout: float = 5.0) -> str:
    with socket.create_connection((host, port), timeout=timeout) as conn:
        conn.settimeout(timeout)
        header = _read_exactly(conn, 4)
        length = int.from_bytes(header[:3], "little")
        if not 0 < length <= 1 << 16:
            raise ProbeError(f"bad packet length {length}")
        payload = _read_exactly(conn, length)
    if payload[0] == 0xFF:
        raise ProbeError("server refused the connection: " + payload[3:].decode("utf-8", "replace"))
    if payload[0] != 10:
        raise ProbeError(f"unsupported protocol version {payload[0]}")
    end = payload.find(b"\0", 1)
    if end < 0:
        raise ProbeError("server version string not terminated")
    return payload[1:end].decode("ascii", "replace")


def _read_exactly(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:  # bounded: each recv either returns >= 1 byte or we stop
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise ProbeError("connection closed during the greeting")
        data += chunk
    return data
