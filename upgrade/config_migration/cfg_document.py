"""A line-preserving model of an airflow.cfg: sections of raw lines and option entries.

configparser would lose comments and order, so the migration edits this model instead and
renders it back: every line that no rule touched comes out byte-identical. The stdlib parser
is still run first, with the settings Airflow uses (strict, no interpolation of our own), so a
file Airflow itself would refuse is refused here with configparser's reason.
"""

from __future__ import annotations

import configparser
import re
from dataclasses import dataclass, field
from pathlib import Path

# configparser's default OPTCRE: the key ends at the first '=' or ':'.
_OPTION_LINE = re.compile(r"(?P<key>[^=:\s][^=:]*?)\s*(?P<sep>[=:])\s*(?P<value>.*?)\s*$")
_SECTION_LINE = re.compile(r"\[(?P<name>[^]]+)\]\s*$")


class ConfigFileError(Exception):
    """The file cannot be migrated (unreadable, not UTF-8, not valid INI)."""


@dataclass
class Entry:
    """One option: its key, its (unstripped-of-continuation) value and its raw lines."""

    key: str
    value: str
    lines: list[str]

    @classmethod
    def new(cls, key: str, value: str, newline: str = "\n") -> Entry:
        return cls(key, value, [f"{key} = {value}{newline}" if value else f"{key} ={newline}"])


@dataclass
class Section:
    name: str | None  # None for lines before the first header
    header: str | None
    items: list = field(default_factory=list)  # str (raw line) or Entry

    def entries(self) -> list[Entry]:
        return [item for item in self.items if isinstance(item, Entry)]

    def find(self, key: str) -> Entry | None:
        return next((e for e in self.entries() if e.key == key), None)


@dataclass
class CfgDocument:
    sections: list[Section]
    newline: str = "\n"

    def section(self, name: str) -> Section | None:
        return next((s for s in self.sections if s.name == name), None)

    def get(self, section: str, key: str) -> str | None:
        found = self.section(section)
        entry = found.find(key) if found else None
        return entry.value if entry else None

    def render(self) -> str:
        out: list[str] = []
        for section in self.sections:
            if section.header is not None:
                out.append(section.header)
            for item in section.items:
                out.extend(item.lines if isinstance(item, Entry) else [item])
        return "".join(out)


def load(path: Path) -> CfgDocument:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigFileError(exc.strerror or str(exc)) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigFileError(f"not UTF-8 text (byte {exc.start})") from exc
    return parse(text)


def parse(text: str) -> CfgDocument:
    _validate_like_airflow(text)
    newline = "\r\n" if "\r\n" in text else "\n"
    preamble = Section(None, None)
    sections = [preamble]
    current = preamble
    last_entry: Entry | None = None
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", ";")):
            current.items.append(line)
            last_entry = None if not stripped else last_entry
            continue
        if line[0].isspace() and last_entry is not None:
            # A continuation line of a multi-line value (configparser joins them with "\n").
            last_entry.lines.append(line)
            last_entry.value += "\n" + stripped
            continue
        header = _SECTION_LINE.match(line)
        if header:
            current = Section(header.group("name"), line)
            sections.append(current)
            last_entry = None
            continue
        option = _OPTION_LINE.match(line)
        # _validate_like_airflow already refused anything else.
        last_entry = Entry(option.group("key"), option.group("value"), [line])
        current.items.append(last_entry)
    if len(sections) == 1:
        raise ConfigFileError("no [section] header: not an airflow.cfg")
    return CfgDocument(sections, newline)


def _validate_like_airflow(text: str) -> None:
    # Airflow 1.10 and 2.x read airflow.cfg with configparser (strict: duplicate sections or
    # options are errors there too).
    checker = configparser.ConfigParser(interpolation=None, strict=True)
    checker.optionxform = str
    try:
        checker.read_string(text)
    except configparser.MissingSectionHeaderError as exc:
        raise ConfigFileError(f"line {exc.lineno}: option before any [section] header") from exc
    except configparser.ParsingError as exc:
        lineno, bad = exc.errors[0]
        # configparser keeps the bad line as its repr()
        raise ConfigFileError(f"line {lineno}: cannot parse {bad[:60]}") from exc
    except configparser.DuplicateOptionError as exc:
        raise ConfigFileError(
            f"line {exc.lineno}: option {exc.option!r} in section {exc.section!r} already exists"
        ) from exc
    except configparser.DuplicateSectionError as exc:
        raise ConfigFileError(f"line {exc.lineno}: section {exc.section!r} already exists") from exc
    except configparser.Error as exc:
        raise ConfigFileError(str(exc).splitlines()[0]) from exc
