"""Provider versions as an input: `--providers FILE` / `[tool.airflow-upgrade] providers`.

FILE is a requirements or constraints file or `pip freeze` output; its
`apache-airflow-providers-X==V` lines pin the provider releases the advice is for (see
codemods/_providers.py). The settings value is such a path (relative to the pyproject.toml),
or the pins themselves ("apache-airflow-providers-amazon==1.4.0 apache-airflow-providers-...").
Providers not pinned are taken at their newest release that allows the target Airflow.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from upgrade.settings import SettingsError


def load_pins(flag: Optional[str], setting: object, base: Path) -> tuple[tuple[str, str], ...]:
    from codemods._providers import parse_pins

    if flag is not None:
        return parse_pins(_read(Path(flag), "--providers"))
    if setting is None:
        return ()
    assert isinstance(setting, str)  # the settings schema checked it
    path = base / setting
    if "==" in setting and not path.is_file():
        return parse_pins(setting.replace(" ", "\n").replace(",", "\n"))
    return parse_pins(_read(path, "providers"))


def _read(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise SettingsError(f"{what} {str(path)!r}: cannot read: {exc.strerror or exc}") from exc
