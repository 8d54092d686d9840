"""The rule registry: every Rule subclass in the codemods package, found with pkgutil.

No hand-kept list: a new module in codemods/ with a Rule subclass is a new rule. Modules whose
name starts with an underscore are helpers and tables.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

import codemods
from codemods._base import Rule


class UnknownRule(ValueError):
    pass


@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    found: dict[str, type[Rule]] = {}
    for info in pkgutil.iter_modules(codemods.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"codemods.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Rule)
                and value.code
                and value.__module__ == module.__name__
            ):
                if value.code in found and found[value.code] is not value:
                    raise RuntimeError(
                        f"rule code {value.code} defined twice: {found[value.code]} and {value}"
                    )
                found[value.code] = value
    return tuple(sorted(found.values(), key=lambda rule: rule.code))


def select_rules(
    target: tuple[int, int],
    select: list[str] | None = None,
    ignore: list[str] | None = None,
) -> list[type[Rule]]:
    """Rules for this target; select/ignore take codes or code prefixes (`AU1`, `AU101`)."""
    rules = all_rules()
    known = {rule.code for rule in rules}
    for prefix in (select or []) + (ignore or []):
        if not any(code.startswith(prefix) for code in known) and prefix != "ALL":
            raise UnknownRule(f"unknown rule code {prefix!r} (see `airflow-upgrade rules`)")
    chosen = []
    for rule in rules:
        if not rule.applies_to(target):
            continue
        if select and not any(p == "ALL" or rule.code.startswith(p) for p in select):
            continue
        if ignore and any(rule.code.startswith(p) for p in ignore):
            continue
        chosen.append(rule)
    return chosen


def prefilter_tokens(rules: list[type[Rule]]) -> tuple[bytes, ...]:
    """The literal byte strings one of which a file must contain for any rule to apply."""
    tokens: set[bytes] = set()
    for rule in rules:
        if not rule.tokens:
            return ()  # a rule without tokens must see every file
        tokens.update(rule.tokens)
    # Shortest first, and none holding a shorter one (a file without `Operator` holds no
    # `PodOperator`): the same answer with fewer searches of a file that holds none.
    kept: list[bytes] = []
    for token in sorted(tokens, key=lambda token: (len(token), token)):
        if not any(shorter in token for shorter in kept):
            kept.append(token)
    return tuple(kept)
