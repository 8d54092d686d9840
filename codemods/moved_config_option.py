"""AU191: `conf.get("core", "base_log_folder")` -> `conf.get("logging", "base_log_folder")`.

Airflow 2.0 moved many options to other sections (`[core]` logging keys to `[logging]`, 2.3 the
database keys to `[database]`, ...). 2.x still answered a read of the old place through
`deprecated_options` (with a warning); Airflow 3.0 dropped those fallbacks, so a DAG file that
reads an option at parse time fails to import with "section/key [core/base_log_folder] not
found in config".

Example::

    BASE_LOG_FOLDER = conf.get("core", "BASE_LOG_FOLDER")

becomes::

    BASE_LOG_FOLDER = conf.get("logging", "BASE_LOG_FOLDER")

The moves come from Airflow's own `deprecated_options` / `deprecated_sections` (2.11) and, for
target 3, Airflow 3's `config update` renames (CONFIGS_CHANGES), all generated into
codemods/_generated/airflow_deprecations.py by scripts/gen_config_tables.py; a move is
applied only on targets at or after the version that made it. Reading an option those tables
say was removed (no new place) is reported: `conf.get` raises for it unless airflow.cfg sets it.

Fix safety: safe. From that version on, reading the new place returns the value set at either
place (2.x falls back to the old one itself); on 3.x only the new place exists.

## Example
```python target=3
from airflow.configuration import conf

logs = conf.get("core", "base_log_folder")
```
Use instead:
```python
from airflow.configuration import conf

logs = conf.get("logging", "base_log_folder")
```
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from typing import Optional

from codemods._base import SAFE, Edit, Finding, Fix, Rule
from codemods._generated import airflow_deprecations as deprecations

# Methods of AirflowConfigParser that take (section, key) first.
_READERS = frozenset(
    {
        "get",
        "getboolean",
        "getint",
        "getfloat",
        "getjson",
        "getimport",
        "getlist",
        "get_mandatory_value",
        "get_mandatory_list_value",
        "has_option",
    }
)
_CONF = frozenset(
    {"airflow.configuration.conf", "airflow.conf", "airflow.settings.conf", "airflow.configuration"}
)


def _version(text: str) -> tuple[int, int]:
    major, minor = text.split(".")[:2]
    return int(major), int(minor)


@cache
def moves(target: tuple[int, int]) -> dict[tuple[str, str], tuple[str, str]]:
    """(old section, old option) -> (new section, new option), for moves made by `target`."""
    table: dict[tuple[str, str], tuple[str, str]] = {}
    for (section, option), (old_section, old_option, since) in deprecations.DEPRECATED_OPTIONS.items():
        if _version(since) <= target:
            table[(old_section, old_option)] = (section, option)
    for new, olds in deprecations.MANY_TO_ONE_DEPRECATED_OPTIONS.items():
        for old_section, old_option, since in olds:
            if _version(since) <= target:
                table.setdefault((old_section, old_option), new)
    return table


@cache
def final_place(target: tuple[int, int], section: str, option: str) -> tuple[str, str]:
    """Where `[section] option` is read on the target: the 2.x moves, then on 3.x the renames of
    Airflow 3's own `config update` table (CONFIGS_CHANGES: old place -> where it finally lives)."""
    place = moves(target).get((section, option))
    if place is None and section in section_moves(target):
        place = (section_moves(target)[section], option)
    place = place or (section, option)
    if target >= (3, 0):
        place = deprecations.CONFIG_RENAMES_3.get(place, place)
    return place


def removed_in(target: tuple[int, int], section: str, option: str) -> str | None:
    """The Airflow version that removed `[section] option` (no new place), if the target has it gone."""
    if (
        option in deprecations.REMOVED_OPTIONS_2_0.get(section, ())
        or section in deprecations.REMOVED_SECTIONS_2_0
    ):
        return "2.0"
    if target >= (3, 0) and option in deprecations.REMOVED_OPTIONS_3.get(section, ()):
        return "3.0"
    return None


@cache
def section_moves(target: tuple[int, int]) -> dict[str, str]:
    return {
        old: new
        for new, (old, since) in deprecations.DEPRECATED_SECTIONS.items()
        if _version(since) <= target
    }


class MovedConfigOption(Rule):
    code = "AU191"
    name = "moved-config-option"
    summary = (
        '`conf.get("core", "base_log_folder")` -> the section the option moved to (old places gone in 3.0)'
    )
    tokens = (b"conf",)
    fix = SAFE
    node_types = (ast.Call,)

    def relevant(self) -> bool:
        return any(
            qualified in _CONF or qualified == "airflow" for qualified in self.ctx.imports.bindings.values()
        )

    def check(self, node: ast.Call) -> Iterator[Finding]:
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr not in _READERS:
            return
        if self.ctx.imports.qualified_name(func.value) not in _CONF:
            return
        section_node = _argument(node, 0, "section")
        key_node = _argument(node, 1, "key")
        if section_node is None or key_node is None:
            return
        section, key = section_node.value.lower(), key_node.value.lower()
        new = final_place(self.ctx.target, section, key)
        if new == (section, key):
            yield from self._removed(node, func.attr, section, key)
            return
        new_section, new_key = new
        edits = []
        if new_section != section:
            edits.append(self._literal_edit(section_node, new_section))
        if new_key != key:
            edits.append(self._literal_edit(key_node, new_key))
        yield Finding(
            node,
            f"`[{section}] {key}` moved to `[{new_section}] {new_key}` (the old place is deprecated or gone "
            f"on the target; 3.0 dropped the 2.x fallbacks): read `{new_section}`, `{new_key}`",
            None if None in edits else Fix.safe(*edits),  # type: ignore[arg-type]
        )

    def _removed(self, node: ast.Call, method: str, section: str, key: str) -> Iterator[Finding]:
        version = removed_in(self.ctx.target, section, key)
        if version is None or method == "has_option" or any(k.arg == "fallback" for k in node.keywords):
            return
        yield Finding(
            node,
            f"`[{section}] {key}` was removed in Airflow {version}: reading it raises at parse time unless "
            "airflow.cfg still sets it; pass `fallback=` or stop reading it",
        )

    def _literal_edit(self, node: ast.Constant, new: str) -> Optional[Edit]:
        """Replace a plain one-line string literal's content; keep the case of the original
        when it was all upper case (`"BASE_LOG_FOLDER"`): Airflow lowercases both."""
        if node.end_lineno != node.lineno or node.end_col_offset is None:
            return None
        text = self.ctx.lines[node.lineno - 1][node.col_offset : node.end_col_offset]
        quote = text[:1]
        if quote not in (b'"', b"'") or text[-1:] != quote or text[1:-1] != node.value.encode():
            return None  # prefixes, escapes, implicit concatenation: leave it
        value = new.upper() if node.value.isupper() else new
        return Edit(node.lineno, node.col_offset + 1, node.end_col_offset - 1, value.encode())


def _argument(call: ast.Call, position: int, keyword: str) -> Optional[ast.Constant]:
    node: Optional[ast.expr] = None
    if len(call.args) > position and not any(isinstance(a, ast.Starred) for a in call.args[: position + 1]):
        node = call.args[position]
    else:
        node = next((k.value for k in call.keywords if k.arg == keyword), None)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node
    return None
