"""Target Airflow versions a user can ask for with --target."""

from __future__ import annotations

# --target value -> the Airflow version it means. "2" is the latest 2.x we test against
# (2.11); "3" is Airflow 3.x.
TARGETS: dict[str, tuple[int, int]] = {
    "2.0": (2, 0),
    "2.1": (2, 1),
    "2.2": (2, 2),
    "2": (2, 11),
    "3": (3, 0),
}
DEFAULT_TARGET = "2.0"


class UnknownTarget(ValueError):
    pass


def parse_target(value: str) -> tuple[int, int]:
    value = str(value).strip()
    if value in TARGETS:
        return TARGETS[value]
    raise UnknownTarget(f"unknown --target {value!r}; choose one of: {', '.join(TARGETS)}")


def table_key(target: tuple[int, int]) -> str:
    """Which generated rename table (codemods/_tables.py) serves this target."""
    if target >= (3, 0):
        return "3"
    if target >= TARGETS["2"]:
        return "2"
    return "2.0"


def format_target(target: tuple[int, int]) -> str:
    return f"{target[0]}.{target[1]}"
