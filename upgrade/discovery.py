"""Find the Python files under the paths a user gave, without following symlinked dirs."""

from __future__ import annotations

import errno
import fnmatch
import os
import re
from dataclasses import dataclass, field

DEFAULT_EXCLUDES = (
    ".git",
    ".hg",
    ".svn",
    ".tox",
    ".nox",
    ".venv",
    "venv",
    "__pycache__",
    "node_modules",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".airflow-upgrade-cache",
    "build",
    "dist",
)


@dataclass
class Discovery:
    files: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)


def _exclusion_matcher(patterns: tuple[str, ...]):
    """One compiled regex for every glob, tried on the name, the path and each path suffix
    (the same as fnmatch against `name`, `path` and `*/pattern`, once per path, not per glob)."""
    globs = "|".join(f"(?:{fnmatch.translate(pattern)})" for pattern in patterns)
    whole = re.compile(globs)
    suffix = re.compile(f"(?s:.*)/(?:{globs})")

    def excluded(path: str) -> bool:
        norm = path.replace(os.sep, "/")
        name = norm.rsplit("/", 1)[-1]
        return bool(whole.match(name) or whole.match(norm) or suffix.match(norm))

    return excluded


def _stat_problem(path: str) -> str | None:
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop (too many levels of symbolic links)"
        if exc.errno == errno.ENOENT:
            return "broken symlink" if os.path.islink(path) else "no such file or directory"
        return exc.strerror or str(exc)
    return None


def discover(paths: list[str], exclude: tuple[str, ...] = ()) -> Discovery:
    found = Discovery()
    excluded = _exclusion_matcher(DEFAULT_EXCLUDES + tuple(exclude))
    seen: set[str] = set()

    def add(path: str) -> None:
        key = os.path.normpath(path)
        if key not in seen:
            seen.add(key)
            found.files.append(path)

    for path in paths:
        problem = _stat_problem(path)
        if problem:
            found.errors.append((path, problem))
            continue
        if not os.path.isdir(path):
            add(path)  # named explicitly: processed whatever its extension
            continue
        for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if not excluded(os.path.join(dirpath, d)))
            for name in sorted(filenames):
                if not name.endswith(".py"):
                    continue
                file_path = os.path.join(dirpath, name)
                if excluded(file_path):
                    continue
                problem = _stat_problem(file_path)
                if problem:
                    found.errors.append((file_path, problem))
                elif os.path.isfile(file_path):
                    add(file_path)
    return found
