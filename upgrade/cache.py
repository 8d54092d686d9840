"""Results cached per file CONTENT, keyed also by tool version, target, selected rules and
options, and by the rules' own files (an edited or reinstalled rule never reuses old results).

One JSON file per key under the cache dir: {blake2b(content): {"diagnostics": [...], "error": ...}}.
Paths are not part of the entry (they are filled back in), so a renamed file stays cached.
"""

from __future__ import annotations

import hashlib
import json
import os

from upgrade import __version__


def cache_key(target: tuple[int, int], rule_codes: list[str], options: dict) -> str:
    material = json.dumps(
        {
            "version": __version__,
            "rules_files": rules_fingerprint(),
            "target": target,
            "rules": sorted(rule_codes),
            "options": options,
        },
        sort_keys=True,
    )
    return hashlib.blake2b(material.encode(), digest_size=12).hexdigest()


def rules_fingerprint() -> str:
    """Name, size and modification time of every file of the codemods package (rules, helpers,
    generated data): a stat per file, no reading. A development checkout's edits change it."""
    import codemods  # here, not at the top: codemods._context imports this module

    root = os.path.dirname(codemods.__file__)
    entries = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".json")):
                stat = os.stat(os.path.join(directory, name))
                entries.append(
                    f"{os.path.relpath(os.path.join(directory, name), root)}:{stat.st_size}:{stat.st_mtime_ns}"
                )
    return hashlib.blake2b("\n".join(entries).encode(), digest_size=12).hexdigest()


# A cached diagnostic: Diagnostic's fields less the path (filled back in), typed.
_DIAGNOSTIC_FIELDS = {
    "line": int,
    "col": int,
    "code": str,
    "message": str,
    "fix": (str, type(None)),
    "applied": bool,
    "end_line": int,
    "end_col": int,
}


_REQUIRED = frozenset(_DIAGNOSTIC_FIELDS)
_ALLOWED = _REQUIRED | {"path"}
_TYPED = tuple(_DIAGNOSTIC_FIELDS.items())


def _well_formed(entry: object) -> bool:
    if not isinstance(entry, dict) or not isinstance(entry.get("diagnostics"), list):
        return False
    if not isinstance(entry.get("error"), (str, type(None))):
        return False
    if not isinstance(entry.get("dependencies", {}), dict) or not isinstance(entry.get("path", ""), str):
        return False
    # a cached check runs this for every finding of every file: plain loops, no sets built
    for diagnostic in entry["diagnostics"]:
        if not isinstance(diagnostic, dict):
            return False
        keys = diagnostic.keys()
        if not (keys >= _REQUIRED and keys <= _ALLOWED):
            return False
        for key, kind in _TYPED:
            if not isinstance(diagnostic[key], kind):
                return False
        if not isinstance(diagnostic.get("path", ""), str):
            return False
    return True


# The entry holding, per absolute path, [size, mtime_ns, inode, content digest] as last read:
# a file whose stat is unchanged is not read again to hash it (git's index, ruff's cache).
_STATS = "stats"
# A file modified this recently may change again within the same timestamp tick: its stat
# proves nothing ("racy git"), so it is hashed each run until it is older.
_RACY_SECONDS = 2.0


class ResultCache:
    def __init__(self, directory: str, key: str) -> None:
        self.path = os.path.join(directory, f"results-{key}.json")
        self.entries: dict[str, dict] = {}
        self.stats: dict[str, list] = {}
        self.dirty = False
        try:
            with open(self.path, encoding="utf-8") as handle:
                loaded = json.load(handle)
            if isinstance(loaded, dict):
                stats = loaded.pop(_STATS, {})
                self.stats = stats if isinstance(stats, dict) else {}
                self.entries = loaded
        except (OSError, ValueError):
            self.entries = {}  # missing or corrupt cache: start empty

    def digest_by_stat(self, path: str, stat: os.stat_result) -> str | None:
        """The content digest of `path` (absolute) if its stat is the one recorded with it."""
        known = self.stats.get(path)
        if (
            isinstance(known, list)
            and len(known) == 4
            and known[:3] == [stat.st_size, stat.st_mtime_ns, stat.st_ino]
            and isinstance(known[3], str)
        ):
            return known[3]
        return None

    def remember_stat(self, path: str, stat: os.stat_result, digest: str, now: float) -> None:
        """`digest` is the content of `path` (absolute) as it was when `stat` was taken."""
        if now - stat.st_mtime < _RACY_SECONDS:
            self.stats.pop(path, None)
            return
        value = [stat.st_size, stat.st_mtime_ns, stat.st_ino, digest]
        if self.stats.get(path) != value:
            self.stats[path] = value
            self.dirty = True

    def get(self, digest: str) -> dict | None:
        entry = self.entries.get(digest)
        return entry if _well_formed(entry) else None  # another shape (edited, other tool): recompute

    def put(self, digest: str, entry: dict) -> None:
        self.entries[digest] = entry
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        directory = os.path.dirname(self.path)
        try:
            os.makedirs(directory, exist_ok=True)
            gitignore = os.path.join(directory, ".gitignore")
            if not os.path.exists(gitignore):
                with open(gitignore, "w") as handle:
                    handle.write("*\n")
            import tempfile  # here: a run that changes no entry writes nothing

            fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({**self.entries, _STATS: self.stats}, handle, separators=(",", ":"))
            os.replace(tmp, self.path)
        except OSError:
            pass  # a cache that cannot be written only costs time next run
