"""`%(option)s` references that a migration breaks.

Airflow reads airflow.cfg with configparser's basic interpolation: `%(name)s` is looked up in
the option's own section, then [DEFAULT]. Moving an option to another section (2.0 [logging],
2.3 [database], ...) moves it away from the options it refers to, or away from the options
that refer to it; configparser then raises InterpolationMissingOptionError when Airflow reads
the option. Every such option is reported, so no migrated file fails to load in silence.
"""

from __future__ import annotations

import configparser

from upgrade.config_migration.migrate import Change


def _unresolvable(text: str) -> dict[tuple[str, str], str]:
    parser = configparser.ConfigParser(strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return {}  # the document parser has already judged the file
    broken = {}
    for section in parser.sections():
        for option in parser.options(section):
            try:
                parser.get(section, option)
            except configparser.InterpolationError as exc:
                # The reference's name only: the raw value may be a secret.
                reference = getattr(exc, "reference", None)
                broken[(section, option)] = f"%({reference})s" if reference else "a %(...)s reference"
    return broken


def broken_references(before: str, after: str) -> list[Change]:
    """A note for each option that resolved in `before` and no longer does in `after`."""
    already = _unresolvable(before)
    notes = []
    for (section, option), reason in sorted(_unresolvable(after).items()):
        if (section, option) in already:
            continue
        notes.append(
            Change(
                section,
                option,
                "note",
                f"{reason} no longer resolves in [{section}] after the move: Airflow would fail"
                " to read this option; write the value out in full",
            )
        )
    return notes
