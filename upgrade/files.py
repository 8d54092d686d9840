"""Reading files, and the one write path every rewrite goes through (DAG files, template
files, airflow.cfg, pod templates).

A rewrite must never lose data: it refuses read-only files, refuses a file that changed
since it was read (someone edited it while the run was going), and keeps the file's
identity (inode, hardlinks, owner, group, mode), so a rewritten file differs from the
original in its bytes only.
"""

from __future__ import annotations

import os
import stat


class WriteError(OSError):
    """The file was not rewritten; the message says why (one line, without the path)."""


class ChangedSinceRead(WriteError):
    pass


class NotRegularFile(OSError):
    """A FIFO, device, socket or directory: never opened for its content."""


def read_bytes(path: str) -> bytes:
    """The file's bytes. Only regular files are opened: opening a FIFO would block until
    some writer comes, and a device may never end."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFile(f"not a regular file ({_kind(os.fstat(fd).st_mode)}), not read")
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    finally:
        os.close(fd)


def regular_file_problem(path: str) -> str | None:
    """Why `path` (followed if a symlink) is not a regular file, or None."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # the caller reports missing files its own way
    return None if stat.S_ISREG(mode) else f"not a regular file ({_kind(mode)}), not read"


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a directory"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def _temporary_next_to(path: str, suffix: str = ".tmp") -> tuple[int, str]:
    """A new file in the same directory (same filesystem: the rename is atomic). A name from
    the pid is tried first; tempfile's random names cost more and are needed only on a clash."""
    directory, name = os.path.split(path)
    tmp = os.path.join(directory, f".{name}.airflow-upgrade-{os.getpid()}{suffix}")
    try:
        return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600), tmp
    except FileExistsError:
        import tempfile

        return tempfile.mkstemp(prefix=".airflow-upgrade-", suffix=suffix, dir=directory or ".")


def atomic_write(path: str, data: bytes, expected: bytes | None = None) -> None:
    """Replace the file's content with `data`.

    `expected` is the content the new one was computed from: if the file no longer holds it
    (edited while the run went on), nothing is written and ChangedSinceRead says so; if it
    already holds `data` (another DAG file rewrote the same template), nothing is to do.
    A read-only file is refused rather than replaced (os.replace would happily swap it).
    A symlink is followed so the link itself stays a link.

    A file with one link whose owner and group the new file can carry is replaced by an
    atomic rename (a reader sees the old or the new file, never half). Otherwise, a
    hardlinked file or one owned by another user that we may write but not chown, the
    rename would split the link or hand the file to us: the content is written in place,
    with a copy of the old content next to it until the write is complete.
    """
    # Only a symlinked file needs resolving (so the link stays a link); a symlinked parent
    # directory is followed by the rename itself.
    real = os.path.realpath(path) if os.path.islink(path) else path
    info = os.stat(real)
    if not stat.S_ISREG(info.st_mode):
        raise WriteError(f"not a regular file ({_kind(info.st_mode)}), not rewritten")
    mode = stat.S_IMODE(info.st_mode)
    problem = _read_only(real, mode)
    if problem:
        raise WriteError(problem)
    if expected is not None and not _still_holds(real, expected, data):
        return
    if info.st_nlink > 1:
        _write_in_place(real, data, expected)
        return
    fd, tmp = _temporary_next_to(real)
    try:
        with os.fdopen(fd, "wb") as handle:
            # No fsync: the rename is atomic for every other process; durability across a
            # power cut is the VCS's job (the DAG repo is in git), and fsync per file costs
            # seconds on a 10,000-file repo.
            handle.write(data)
        os.chmod(tmp, mode)
        if not _same_owner(tmp, info):
            os.unlink(tmp)
            _write_in_place(real, data, expected)
            return
        if expected is not None and not _still_holds(real, expected, data):
            os.unlink(tmp)
            return
        os.replace(tmp, real)
    except BaseException:
        _remove(tmp)
        raise


def _read_only(path: str, mode: int) -> str | None:
    # Judge by the permission bits, not os.access: root may write anything, but a file the
    # team marked read-only (e.g. a vendored DAG) must not be rewritten by root in CI either.
    if not mode & 0o222 or not os.access(path, os.W_OK):
        return f"read-only file (mode {mode:04o}), not rewritten"
    return None


def write_refused(path: str) -> str | None:
    """Why atomic_write would refuse `path` (read-only), or None: to stop before writing the
    first of several files that belong together."""
    try:
        return _read_only(path, stat.S_IMODE(os.stat(path).st_mode))
    except FileNotFoundError:
        return None


def _still_holds(path: str, expected: bytes, new: bytes) -> bool:
    """True when the file still holds `expected` (go on writing); False when it already holds
    `new` (nothing to do); ChangedSinceRead otherwise."""
    current = read_bytes(path)
    if current == expected:
        return True
    if current == new:
        return False
    raise ChangedSinceRead("changed since it was read (edited during the run?), not rewritten")


def _same_owner(tmp: str, original: os.stat_result) -> bool:
    """Give the temporary file the original's owner and group; False if that is not allowed."""
    made = os.stat(tmp)
    if (made.st_uid, made.st_gid) == (original.st_uid, original.st_gid):
        return True
    try:
        os.chown(tmp, original.st_uid, original.st_gid)
    except (PermissionError, AttributeError):
        return False
    if stat.S_IMODE(original.st_mode) & (stat.S_ISUID | stat.S_ISGID):
        os.chmod(tmp, stat.S_IMODE(original.st_mode))  # chown clears set-id bits
    return True


def _write_in_place(path: str, data: bytes, expected: bytes | None) -> None:
    """Overwrite the file through its own inode, keeping a copy of the old content until the
    new one is complete (restored if the write fails, e.g. on a full disk)."""
    with open(path, "r+b") as handle:
        old = handle.read()
        if expected is not None and old != expected:
            if old == data:
                return
            raise ChangedSinceRead("changed since it was read (edited during the run?), not rewritten")
        fd, backup = _temporary_next_to(path, ".bak")
        with os.fdopen(fd, "wb") as saved:
            saved.write(old)
        try:
            handle.seek(0)
            handle.write(data)
            handle.truncate()
            handle.flush()
        except BaseException:
            handle.seek(0)
            handle.write(old)
            handle.truncate()
            handle.flush()
            _remove(backup)  # restored; if restoring failed too, the copy stays for the user
            raise
        _remove(backup)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def write_file(path: str, data: bytes, expected: bytes | None = None) -> None:
    """Write `data` to `path`: a new file is created atomically (mode from the umask), an
    existing one goes through atomic_write (read-only refused, identity kept, `expected`
    checked)."""
    if os.path.lexists(path):
        atomic_write(path, data, expected)
        return
    directory = os.path.dirname(path) or "."
    os.makedirs(directory, exist_ok=True)
    fd, tmp = _temporary_next_to(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        _remove(tmp)
        raise
