"""Find the Python files under the paths a user gave, without following symlinked dirs.

Like ruff: exclude globs match the path relative to the project root (the directory of the
settings file, else the current directory), so `exclude = ["dags/legacy"]` holds whether the
tool runs from the repo root or from inside `dags/` with `.`; files named on the command line
(what pre-commit passes) are excluded too unless `force_exclude` is off; `.gitignore` files
are honoured (gitignore semantics from pathspec) unless `respect_gitignore` is off.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import re
import stat
from dataclasses import dataclass, field

from upgrade.files import regular_file_problem

DEFAULT_EXCLUDES = (
    ".git",
    ".hg",
    ".svn",
    ".tox",
    ".nox",
    "__pycache__",
    "node_modules",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".airflow-upgrade-cache",
)
# Names that usually hold packaging output, but Airflow loads DAGs from a dags/build/ folder
# like from any other: skipped, and said so (Discovery.skipped), never in silence.
OUTPUT_DIRECTORIES = ("build", "dist")


def is_virtualenv(directory: str) -> bool:
    """A virtualenv (venv, virtualenv, uv, tox) whatever its name: it holds pyvenv.cfg. A
    directory merely named `venv` may hold DAGs and is walked."""
    return os.path.isfile(os.path.join(directory, "pyvenv.cfg"))


@dataclass
class Discovery:
    files: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    skipped: list[str] = field(default_factory=list)  # directories skipped by OUTPUT_DIRECTORIES


def glob_matcher(patterns: tuple[str, ...], root: str | None = None):
    """One compiled regex for every glob, tried on the name, the path and each path suffix
    (the same as fnmatch against `name`, `path` and `*/pattern`, once per path, not per glob).

    With a root, the path is first made relative to it (paths outside it stay absolute)."""
    if not patterns:
        return lambda path: False
    globs = "|".join(f"(?:{fnmatch.translate(pattern.rstrip('/'))})" for pattern in patterns)
    whole = re.compile(globs)
    suffix = re.compile(f"(?s:.*)/(?:{globs})")
    base = os.path.abspath(root) if root else None
    # directory -> (its absolute path, its path relative to the root): a walk asks for every
    # file of a directory, and abspath/relpath cost more than the match
    directories: dict[str, tuple[str, str]] = {}

    def matches(path: str) -> bool:
        if base is not None:
            directory, name = os.path.split(path)
            known = directories.get(directory)
            if known is None:
                absolute = os.path.abspath(directory)
                known = directories[directory] = (absolute, os.path.relpath(absolute, base))
            if name in ("", ".", ".."):
                absolute = os.path.abspath(path)
                relative = os.path.relpath(absolute, base)
            else:
                absolute = os.path.join(known[0], name)
                relative = name if known[1] == "." else os.path.join(known[1], name)
            path = absolute if relative.startswith("..") else relative
        norm = path.replace(os.sep, "/")
        name = norm.rsplit("/", 1)[-1]
        return bool(whole.match(name) or whole.match(norm) or suffix.match(norm))

    return matches


class GitIgnore:
    """The .gitignore files (and .git/info/exclude) of the git work trees the paths are in."""

    def __init__(self) -> None:
        self._specs: dict[str, object] = {}  # directory -> its .gitignore's spec (or None)
        self._roots: dict[str, str | None] = {}  # directory -> its work tree's root
        self._verdicts: dict[str, bool] = {}  # directory -> ignored

    def _root(self, directory: str) -> str | None:
        if directory not in self._roots:
            parent = os.path.dirname(directory)
            if os.path.exists(os.path.join(directory, ".git")):
                self._roots[directory] = directory
            else:
                self._roots[directory] = None if parent == directory else self._root(parent)
        return self._roots[directory]

    def _spec(self, directory: str, root: str):
        if directory not in self._specs:
            import pathspec  # only runs that meet a git work tree pay for it

            lines: list[str] = []
            sources = [os.path.join(directory, ".gitignore")]
            if directory == root:
                sources.insert(0, os.path.join(root, ".git", "info", "exclude"))
            for source in sources:
                try:
                    with open(source, encoding="utf-8", errors="replace") as handle:
                        lines += handle.read().splitlines()
                except OSError:
                    pass
            self._specs[directory] = pathspec.GitIgnoreSpec.from_lines(lines) if lines else None
        return self._specs[directory]

    def _matched(self, path: str, is_dir: bool, root: str) -> bool:
        """The verdict of the .gitignore files from the work tree's root down (deeper wins)."""
        verdict = False
        directory = os.path.dirname(path)
        chain = []
        while True:
            chain.append(directory)
            if directory == root or os.path.dirname(directory) == directory:
                break
            directory = os.path.dirname(directory)
        for directory in reversed(chain):
            spec = self._spec(directory, root)
            if spec is None:
                continue
            relative = os.path.relpath(path, directory).replace(os.sep, "/") + ("/" if is_dir else "")
            include = spec.check_file(relative).include  # type: ignore[attr-defined]
            if include is not None:
                verdict = include
        return verdict

    def ignored(self, path: str, is_dir: bool = False) -> bool:
        """Is this path (or a directory above it, inside its work tree) git-ignored?"""
        path = os.path.abspath(path)
        root = self._root(path if is_dir else os.path.dirname(path))
        if root is None or path == root:
            return False
        parent = os.path.dirname(path)
        if parent != root and self._directory_ignored(parent, root):
            return True
        return self._matched(path, is_dir, root)

    def _directory_ignored(self, directory: str, root: str) -> bool:
        if directory not in self._verdicts:
            parent = os.path.dirname(directory)
            above = parent != root and self._directory_ignored(parent, root)
            self._verdicts[directory] = above or self._matched(directory, True, root)
        return self._verdicts[directory]


def _stat_problem(path: str) -> str | None:
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop (too many levels of symbolic links)"
        if exc.errno == errno.ENOENT:
            return "broken symlink" if os.path.islink(path) else "no such file or directory"
        return exc.strerror or str(exc)
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return regular_file_problem(path)  # a FIFO would block the read forever
    return None


def _walk_error(found: Discovery):
    def report(exc: OSError) -> None:
        # An unreadable subdirectory is reported, never skipped in silence.
        found.errors.append((exc.filename or "?", f"cannot read directory: {exc.strerror or exc}"))

    return report


def _excluded_with_parents(path: str, excluded, root: str) -> bool:
    """A file named on the command line is excluded when it or a directory above it (up to
    the project root) is: a walk would never have entered that directory."""
    if excluded(path):
        return True
    base = os.path.abspath(root)
    directory = os.path.dirname(os.path.abspath(path))
    while directory.startswith(base + os.sep):
        if excluded(directory, True):
            return True
        directory = os.path.dirname(directory)
    return False


def is_excluded(
    path: str, exclude: tuple[str, ...] = (), *, root: str | None = None, respect_gitignore: bool = True
) -> bool:
    """Would a file of this name (it need not exist: --stdin-filename) be excluded?"""
    excluded_by_glob = glob_matcher(DEFAULT_EXCLUDES + tuple(exclude), root or os.getcwd())
    gitignore = GitIgnore() if respect_gitignore else None

    def excluded(candidate: str, is_dir: bool = False) -> bool:
        return excluded_by_glob(candidate) or (gitignore is not None and gitignore.ignored(candidate, is_dir))

    return _excluded_with_parents(path, excluded, root or os.getcwd())


def _skipped_output(path: str, name: str, exclude: tuple[str, ...], found: Discovery) -> bool:
    if name not in OUTPUT_DIRECTORIES:
        return False
    if name not in exclude:  # excluded by the user too: nothing to say
        found.skipped.append(path)
    return True


def discover(
    paths: list[str],
    exclude: tuple[str, ...] = (),
    *,
    root: str | None = None,
    force_exclude: bool = True,
    respect_gitignore: bool = True,
) -> Discovery:
    """`root`: what exclude globs are relative to (default: the current directory)."""
    found = Discovery()
    excluded_by_glob = glob_matcher(DEFAULT_EXCLUDES + tuple(exclude), root or os.getcwd())
    gitignore = GitIgnore() if respect_gitignore else None

    def excluded(path: str, is_dir: bool = False, gitignore=gitignore) -> bool:
        return excluded_by_glob(path) or (gitignore is not None and gitignore.ignored(path, is_dir))

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
            if not (force_exclude and _excluded_with_parents(path, excluded, root or os.getcwd())):
                add(path)  # named explicitly: processed whatever its extension
            continue
        # A directory the user named that git ignores as a whole (a build copy, a cache) is
        # walked without the .gitignore files: naming it says it is wanted.
        walk_ignore = None if gitignore is None or gitignore.ignored(path, True) else gitignore
        for dirpath, dirnames, filenames in os.walk(path, onerror=_walk_error(found), followlinks=False):
            dirnames[:] = sorted(
                d
                for d in dirnames
                if not excluded(os.path.join(dirpath, d), True, walk_ignore)
                and not is_virtualenv(os.path.join(dirpath, d))
                and not _skipped_output(os.path.join(dirpath, d), d, exclude, found)
            )
            for name in sorted(filenames):
                if not name.endswith(".py"):
                    continue
                file_path = os.path.join(dirpath, name)
                if excluded(file_path, False, walk_ignore):
                    continue
                problem = _stat_problem(file_path)
                if problem:
                    found.errors.append((file_path, problem))
                else:
                    add(file_path)
    return found
