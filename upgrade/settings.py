"""Settings: `[tool.airflow-upgrade]` in pyproject.toml, overridden by command-line flags."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.9/3.10
    import tomli as tomllib

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
}


class SettingsError(ValueError):
    pass


@dataclass
class FileSettings:
    source: Path | None = None
    values: dict = field(default_factory=dict)


def find_pyproject(start: Path) -> Path | None:
    start = start.resolve()
    if start.is_file():
        start = start.parent
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
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
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{pyproject}: cannot read settings: {exc}") from exc
    table = data.get("tool", {}).get("airflow-upgrade", {})
    unknown = set(table) - KNOWN_KEYS
    if unknown:
        raise SettingsError(
            f"{pyproject}: unknown key(s) in [tool.airflow-upgrade]: {', '.join(sorted(unknown))}"
            f" (known: {', '.join(sorted(KNOWN_KEYS))})"
        )
    return FileSettings(source=pyproject, values=table)
