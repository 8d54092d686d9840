"""Unified diffs that `git apply` and `patch -p1` take: `a/` and `b/` prefixes on paths
relative to the current directory, `\\ No newline at end of file` where a side lacks one,
and colour only on a terminal (NO_COLOR / FORCE_COLOR as everywhere else)."""

from __future__ import annotations

import os
from typing import TextIO

_NO_NEWLINE = "\n\\ No newline at end of file\n"
_COLOURS = {"+": "\033[32m", "-": "\033[31m", "@": "\033[36m"}
_BOLD, _RESET = "\033[1m", "\033[0m"


def diff_path(path: str) -> str:
    """The path as a patch names it: relative to the current directory, `/` separated."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    shown = absolute if relative.startswith("..") else relative
    return shown.replace(os.sep, "/").lstrip("/")


def unified_diff(path: str, old: str, new: str, new_path: str | None = None) -> str:
    import difflib  # diff mode only

    name = diff_path(path)
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"a/{name}",
        tofile=f"b/{diff_path(new_path) if new_path else name}",
    )
    out = []
    for line in lines:
        out.append(line if line.endswith(("\n", "\r")) else line + _NO_NEWLINE)
    return "".join(out)


def use_colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def colourize(diff: str) -> str:
    out = []
    for line in diff.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        end = line[len(body) :]
        if line.startswith(("--- ", "+++ ")):
            out.append(f"{_BOLD}{body}{_RESET}{end}")
        elif line[:1] in _COLOURS:
            out.append(f"{_COLOURS[line[:1]]}{body}{_RESET}{end}")
        else:
            out.append(line)
    return "".join(out)


def write_diff(diff: str, out: TextIO) -> None:
    out.write(colourize(diff) if use_colour(out) else diff)
