"""AIRFLOW__SECTION__KEY environment overrides that name a moved or removed option.

Airflow reads ``AIRFLOW__{SECTION}__{KEY}`` (and the ``_CMD`` / ``_SECRET`` forms) before the
file, so a deployment's env file can still pin the 1.10 names after airflow.cfg is migrated.
Only names are reported: the values are often credentials.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from codemods._generated import airflow_deprecations as generated
from upgrade.config_migration import rules

_VARIABLE = re.compile(r"^AIRFLOW__(?P<section>[A-Z0-9_]+?)__(?P<key>[A-Z0-9_]+?)(?P<suffix>_CMD|_SECRET)?$")
_ENV_LINE = re.compile(r"^\s*(?:export\s+)?(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*=")


@dataclass(frozen=True)
class Override:
    origin: str  # the env file (path:line) or "environment"
    name: str
    new_name: str | None  # None when the option was removed
    reason: str

    def line(self) -> str:
        if self.new_name:
            return f"{self.origin}: {self.name} -> {self.new_name} ({self.reason})"
        return f"{self.origin}: {self.name} is no longer read ({self.reason})"


def names_in_env_file(path: Path) -> list[tuple[str, str]]:
    """(origin, variable name) for each assignment in a dotenv-style file."""
    found = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _ENV_LINE.match(line)
        if match and not line.lstrip().startswith("#"):
            found.append((f"{path}:{lineno}", match.group("name")))
    return found


def names_in_environment(environ: Mapping[str, str]) -> list[tuple[str, str]]:
    return [("environment", name) for name in sorted(environ)]


def check_overrides(names: Iterable[tuple[str, str]], target: str) -> list[Override]:
    target_version = rules.TARGET_VERSIONS[target]
    renames = {
        (old_section, old_key): (new_section, new_key, since)
        for (new_section, new_key), (old_section, old_key, since) in generated.DEPRECATED_OPTIONS.items()
        if rules.version_tuple(since) <= target_version
    }
    if target_version >= (3,):
        # Airflow 3's own tables, CONFIGS_CHANGES resolved to the final home (3.0 moved
        # [scheduler] max_threads on to [dag_processor] parsing_processes).
        renames.update(
            {
                (old_section, old_key): (new_section, new_key, since)
                for (new_section, new_key), (
                    old_section,
                    old_key,
                    since,
                ) in generated.DEPRECATED_OPTIONS_3.items()
            }
        )
        renames.update((old, (*new, "3.0")) for old, new in generated.CONFIG_RENAMES_3.items())
    section_renames = {
        old: (new, since)
        for new, (old, since) in generated.DEPRECATED_SECTIONS.items()
        if rules.version_tuple(since) <= target_version
    }
    overrides = []
    for origin, name in names:
        match = _VARIABLE.match(name)
        if not match:
            continue
        section, key, suffix = (
            match.group("section").lower(),
            match.group("key").lower(),
            match.group("suffix") or "",
        )
        new_section, new_key, reasons = section, key, []
        if new_section in section_renames:
            new_section, since = section_renames[new_section]
            reasons.append(f"[{section}] is [{new_section}] since {since}")
        for _ in range(len(renames)):  # chains: 2.0 move, then a later rename
            if (new_section, new_key) not in renames:
                break
            new_section, new_key, since = renames[(new_section, new_key)]
            reasons.append(f"moved to [{new_section}] {new_key} in {since}")
        removed = target_version >= (3,) and rules.removed_in_3_reason(new_section, new_key, "")
        if removed:
            overrides.append(Override(origin, name, None, removed))
            continue
        if reasons:
            new_name = f"AIRFLOW__{new_section.upper()}__{new_key.upper()}{suffix}"
            overrides.append(Override(origin, name, new_name, "; ".join(reasons)))
            continue
        removed = rules.removed_reason(section, key)
        if removed:
            overrides.append(Override(origin, name, None, removed))
    return overrides
