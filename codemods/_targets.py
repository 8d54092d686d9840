"""Target Airflow versions: one scheme for every command (check, fix, rules, config, verify).

Every released minor, 2.0 … 2.11 and 3.0 … 3.3, plus `2` and `3` for the newest of each major
(the versions the tox envs test against: 2.11.2 and 3.3.2). The default is `2`: the Airflow a
team upgrading from 1.10 will run, the newest 2.x, not the oldest one.
"""

from __future__ import annotations

NEWEST = {2: (2, 11), 3: (3, 3)}
MINORS: tuple[tuple[int, int], ...] = tuple((2, minor) for minor in range(12)) + tuple(
    (3, minor) for minor in range(4)
)

# --target value -> the Airflow version it means
TARGETS: dict[str, tuple[int, int]] = {
    **{f"{major}.{minor}": (major, minor) for major, minor in MINORS},
    "2": NEWEST[2],
    "3": NEWEST[3],
}
DEFAULT_TARGET = "2"


class UnknownTarget(ValueError):
    pass


def target_help() -> str:
    """The one --target help text every command shows."""
    return (
        f"Airflow version you will run: 2.0 … 2.11, 3.0 … 3.3, or 2 / 3 for the newest "
        f"(2 = {format_target(NEWEST[2])}, 3 = {format_target(NEWEST[3])}); default {DEFAULT_TARGET}"
    )


def parse_target(value: str) -> tuple[int, int]:
    text = str(value).strip()
    if text in TARGETS:
        return TARGETS[text]
    parts = text.split(".")
    if len(parts) == 3 and ".".join(parts[:2]) in TARGETS and parts[2].isdigit():
        return TARGETS[".".join(parts[:2])]  # a patch release (2.11.2) means its minor
    raise UnknownTarget(
        f"unknown --target {value!r}: choose a minor from 2.0 … 2.11 or 3.0 … 3.3, or 2 / 3 for the newest"
    )


def table_key(target: tuple[int, int]) -> str:
    """Which generated rename table (codemods/_generated/tables.py) serves this target: the 2.0 table holds
    the paths every 2.x still imports; the newest 2.x's from 2.11; Airflow 3's from 3.0 on."""
    if target >= (3, 0):
        return "3"
    if target >= NEWEST[2]:
        return "2"
    return "2.0"


def config_key(target: tuple[int, int]) -> str:
    """Which config migration (upgrade/config_migration/rules.py TARGET_VERSIONS) serves this
    target: options renamed within 2.x keep their deprecated names working until 3.0, so every
    2.x before the newest is migrated as for 2.0."""
    return table_key(target)


def format_target(target: tuple[int, int]) -> str:
    return f"{target[0]}.{target[1]}"


def argparse_target(value: str) -> tuple[int, int]:
    """parse_target for argparse's type=: the error says what to choose."""
    import argparse

    try:
        return parse_target(value)
    except UnknownTarget as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
