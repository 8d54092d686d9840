"""Settings: `[tool.airflow-upgrade]` in pyproject.toml, overridden by command-line flags."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

KNOWN_KEYS = {
    "target",
    "select",
    "ignore",
    "exclude",
    "unsafe-fixes",
    "include-templates",
    "jobs",
    "cache-dir",
    "per-file-ignores",
    "respect-gitignore",
    "force-exclude",
    "blanket-noqa",
    "bridge",
    "close-bridge",
    "compat-package",
    "airflow-cfg",
    "providers",
    "dag-wrappers",
}


class SettingsError(ValueError):
    pass


def _is_string(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _is_list_of_strings(value) -> bool:
    return isinstance(value, list) and all(_is_string(item) for item in value)


def _is_bool(value) -> bool:
    return isinstance(value, bool)


def _is_jobs(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_glob_table(value) -> bool:
    return isinstance(value, dict) and all(_is_list_of_strings(codes) for codes in value.values())


# Every key's type, checked when the file is read: a value of another type is an error, never
# coerced (`unsafe-fixes = "false"` is a true string, `select = "AU3"` iterates as A, U, 3,
# `exclude = "dags/x/*"` as single characters).
SCHEMA = {
    "target": (_is_string, 'a string such as "2.0", "2" or "3"'),
    "select": (_is_list_of_strings, 'a list of rule codes, e.g. ["AU1", "AU203"]'),
    "ignore": (_is_list_of_strings, 'a list of rule codes, e.g. ["AU401"]'),
    "exclude": (_is_list_of_strings, 'a list of globs, e.g. ["dags/vendored/*"]'),
    "unsafe-fixes": (_is_bool, "true or false"),
    "include-templates": (_is_bool, "true or false"),
    "jobs": (_is_jobs, "a whole number of worker processes (0 = one per CPU)"),
    "cache-dir": (_is_string, "a directory path string"),
    "per-file-ignores": (_is_glob_table, 'a table of glob = [rule codes], e.g. "dags/legacy/*" = ["AU1"]'),
    "respect-gitignore": (_is_bool, "true or false"),
    "force-exclude": (_is_bool, "true or false"),
    "blanket-noqa": (_is_bool, "true or false"),
    "bridge": (_is_bool, "true or false"),
    "close-bridge": (_is_bool, "true or false"),
    "compat-package": (_is_string, 'the package name of the vendored compat layer, e.g. "compat"'),
    "airflow-cfg": (_is_string, "a path to the team's airflow.cfg"),
    "dag-wrappers": (
        _is_list_of_strings,
        "a list of qualified names of your own DAG callables that pass their keyword arguments on to "
        'Airflow\'s DAG, e.g. ["company_airflow.DAG"]',
    ),
    "providers": (
        _is_string,
        'a requirements/constraints file path, or pins such as "apache-airflow-providers-amazon==8.0.0"',
    ),
}


def _toml_repr(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_repr(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key} = {_toml_repr(item)}" for key, item in value.items()) + "}"
    return str(value)


def validate(table: dict, source: Path) -> None:
    """Raise SettingsError on the first key whose value has the wrong type."""
    for key in sorted(table):
        check, expected = SCHEMA.get(key, (None, ""))
        if check is not None and not check(table[key]):
            shown = _toml_repr(table[key])
            if len(shown) > 60:
                shown = shown[:57] + "..."
            raise SettingsError(f"{source}: [tool.airflow-upgrade] {key} must be {expected}, not {shown}")


@dataclass
class FileSettings:
    source: Path | None = None
    values: dict = field(default_factory=dict)


def find_pyproject(start: Path) -> Path | None:
    try:
        start = start.resolve()
        if start.is_file():
            start = start.parent
        for directory in (start, *start.parents):
            candidate = directory / "pyproject.toml"
            if candidate.is_file():
                return candidate
    except OSError as exc:  # a directory on the way that may not be searched (EACCES)
        where = exc.filename or start
        raise SettingsError(f"{where}: cannot look for pyproject.toml: {exc.strerror or exc}") from None
    return None


def load_settings(paths: list[str], explicit: str | None = None) -> FileSettings:
    """The [tool.airflow-upgrade] table of the nearest pyproject.toml (above the first path)."""
    if explicit:
        pyproject = Path(explicit)
    else:
        anchor = Path(paths[0]) if paths and os.path.exists(paths[0]) else Path.cwd()
        pyproject = find_pyproject(anchor) or find_pyproject(Path.cwd())
    if pyproject is None:
        return FileSettings()
    if sys.version_info >= (3, 11):  # imported here: most runs find no pyproject.toml
        import tomllib
    else:  # pragma: no cover - Python 3.9/3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{pyproject}: cannot read settings: {exc}") from exc
    tool = data.get("tool", {})
    table = tool.get("airflow-upgrade", {}) if isinstance(tool, dict) else {}
    if not isinstance(table, dict):
        raise SettingsError(f"{pyproject}: tool.airflow-upgrade must be a table ([tool.airflow-upgrade])")
    unknown = set(table) - KNOWN_KEYS
    if unknown:
        raise SettingsError(
            f"{pyproject}: unknown key(s) in [tool.airflow-upgrade]: {', '.join(sorted(unknown))}"
            f" (known: {', '.join(sorted(KNOWN_KEYS))})"
        )
    validate(table, pyproject)
    return FileSettings(source=pyproject, values=table)
