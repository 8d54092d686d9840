"""`%(option)s` references that a migration breaks.

Airflow reads airflow.cfg with configparser's basic interpolation: `%(name)s` is looked up in
the option's own section, then [DEFAULT]. Moving an option to another section (2.0 [logging],
2.3 [database], ...) moves it away from the options it refers to, or away from the options
that refer to it; configparser then raises InterpolationMissingOptionError when Airflow reads
the option. Such an option gets the value Airflow 1.10 read for it, written out in full (and
said so); one that cannot be resolved that way is reported, so no migrated file fails to load
in silence.
"""

from __future__ import annotations

import configparser

from upgrade.config_migration.cfg_document import CfgDocument, Entry
from upgrade.config_migration.migrate import NOTE, Change


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


def keep_resolvable(document: CfgDocument, before: str) -> list[Change]:
    """Write out, in `document`, the value of every option whose reference the migration broke:
    the value the original file resolved to for the option of the same raw value. What cannot
    be resolved so (several candidates, a multi-line value) is left for broken_references."""
    original = configparser.ConfigParser(strict=False)
    try:
        original.read_string(before)
    except configparser.Error:
        return []
    changes = []
    for section, option in sorted(_unresolvable(document.render())):
        if (section, option) in _unresolvable(before):
            continue
        found = document.section(section)
        entry = next((e for e in found.entries() if e.key.lower() == option), None) if found else None
        if entry is None or "\n" in entry.value:
            continue
        sources = [
            (name, key)
            for name in original.sections()
            for key in original.options(name)
            if original.get(name, key, raw=True) == entry.value
        ]
        if len(sources) != 1:
            continue
        try:
            value = original.get(*sources[0])
        except configparser.Error:
            continue
        _write_out(found, entry, value.replace("%", "%%"), document.newline)
        changes.append(
            Change(
                section,
                entry.key,
                "value",
                f"its %(...)s reference no longer resolves in [{section}] after the moves: written out"
                " as Airflow 1.10 read it",
            )
        )
    return changes


def _write_out(section, entry: Entry, value: str, newline: str) -> None:
    index = section.items.index(entry)
    section.items.insert(
        index, f"{NOTE}was {entry.value!r}: its %(...)s reference does not resolve here{newline}"
    )
    entry.value = value
    entry.lines = Entry.new(entry.key, value, newline).lines
