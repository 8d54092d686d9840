"""Reading and atomically rewriting files."""

from __future__ import annotations

import os
import stat
import tempfile


class WriteError(OSError):
    pass


def read_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _temporary_next_to(path: str) -> tuple[int, str]:
    """A new file in the same directory (same filesystem: the rename is atomic). A name from
    the pid is tried first; tempfile's random names cost more and are needed only on a clash."""
    directory, name = os.path.split(path)
    tmp = os.path.join(directory, f".{name}.airflow-upgrade-{os.getpid()}.tmp")
    try:
        return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600), tmp
    except FileExistsError:
        return tempfile.mkstemp(prefix=".airflow-upgrade-", suffix=".tmp", dir=directory or ".")


def atomic_write(path: str, data: bytes) -> None:
    """Replace the file's content in one step: a reader sees the old or the new file, never half.

    A read-only file is refused rather than replaced (os.replace would happily swap it).
    A symlink is followed so the link itself stays a link.
    """
    # Only a symlinked file needs resolving (so the link stays a link); a symlinked parent
    # directory is followed by the rename itself.
    real = os.path.realpath(path) if os.path.islink(path) else path
    mode = stat.S_IMODE(os.stat(real).st_mode)
    # Judge by the permission bits, not os.access: root may write anything, but a file the
    # team marked read-only (e.g. a vendored DAG) must not be rewritten by root in CI either.
    if not mode & 0o222 or not os.access(real, os.W_OK):
        raise WriteError(f"read-only file (mode {mode:04o}), not rewritten")
    fd, tmp = _temporary_next_to(real)
    try:
        with os.fdopen(fd, "wb") as handle:
            # No fsync: the rename is atomic for every other process; durability across a
            # power cut is the VCS's job (the DAG repo is in git), and fsync per file costs
            # seconds on a 10,000-file repo.
            handle.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, real)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
