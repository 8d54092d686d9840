"""The keyword arguments an operator class accepts in the run's chosen provider release.

From the provider-release data (codemods/_providers.py): the parameters along the class's
`__init__` chain in the chosen release of its provider, plus BaseOperator's of the target
Airflow (codemods/_generated/dag_signature.py) when the chain passes `**kwargs` on to it. None when it
cannot be known (a class outside the data, a chain ending in another base, e.g. a sensor base
whose arguments are not in the data).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Optional

from codemods import _providers
from codemods._context import FileContext
from codemods._generated import tables as _tables
from codemods._generated.dag_signature import BASE_OPERATOR_KWARGS
from codemods._operator_kwargs_1_10 import accepted_1_10
from codemods._targets import table_key

# scripts/gen_base_sensor_kwargs.py
_SENSOR_DATA = Path(__file__).resolve().parent / "_generated" / "base_sensor_kwargs.json"


def chosen_releases(ctx: FileContext) -> _providers.Releases:
    """The provider releases this run targets (--providers pins over the target's defaults)."""
    return ctx.options.providers


def target_home(qualified: str, ctx: FileContext) -> Optional[str]:
    """Where a 1.10 (or provider) class name lives on the target: a provider class name."""
    return _home(qualified, table_key(ctx.target), chosen_releases(ctx))


@cache  # asked for every call of every file: the data and a run's releases never change
def _home(qualified: str, key: str, chosen: _providers.Releases) -> Optional[str]:
    home = _tables.IMPORT_RENAMES[key].get(qualified, qualified)
    if not home.startswith("airflow.providers."):
        return None
    return _providers.home(home, chosen)


def one_ten_classes(qualified: str, ctx: FileContext) -> tuple[str, ...]:
    """The 1.10 operator classes with known arguments (codemods/_generated/operator_kwargs_1_10.json)
    that `qualified` stands for: itself when it is one, else those whose home on the target is the
    provider class it names. After `fix` moved an import, the call names the provider class,
    and what 1.10's class took still says which of its arguments the provider removed."""
    if qualified in accepted_1_10():
        return (qualified,)
    home = target_home(qualified, ctx)
    if home is None:
        return ()
    return _moved_to(table_key(ctx.target), chosen_releases(ctx)).get(home, ())


def one_ten_arguments(qualified: str, ctx: FileContext) -> Optional[frozenset[str]]:
    """What the 1.10 class (or classes: one per 1.10 path) behind `qualified` accepted; None
    when there is none, or one whose arguments are not known."""
    accepted = [accepted_1_10()[name] for name in one_ten_classes(qualified, ctx)]
    if not accepted or None in accepted:
        return None
    return frozenset().union(*accepted)  # type: ignore[arg-type]


@cache
def _moved_to(key: str, chosen: _providers.Releases) -> dict[str, tuple[str, ...]]:
    """provider class on the target -> the 1.10 classes that live there (the same in every file of a run)."""
    found: dict[str, list[str]] = {}
    for qualified in accepted_1_10():
        home = _home(qualified, key, chosen)
        if home is not None:
            found.setdefault(home, []).append(qualified)
    return {home: tuple(names) for home, names in found.items()}


@cache
def _consumes_kwargs(home: str, chosen: _providers.Releases) -> bool:
    """Deprecated-parameter code along the chain means `__init__` handles keywords itself (the
    2.0-era DataprocCreateClusterOperator built its cluster from `num_workers=` / `zone=` found
    in its kwargs): its signature does not say what it accepts."""
    return bool(_providers.deprecated_params(home, chosen))


def accepted_on_target(home: str, ctx: FileContext) -> Optional[frozenset[str]]:
    return _accepted_on_target(home, chosen_releases(ctx), "3" if ctx.target >= (3, 0) else "2")


@cache  # asked for every operator call of every file
def _accepted_on_target(home: str, chosen: _providers.Releases, line: str) -> Optional[frozenset[str]]:
    if _consumes_kwargs(home, chosen):
        return None
    names, outside = _providers.accepted_kwargs(home, chosen)
    while outside is not None and outside.rsplit(".", 1)[-1].lstrip("_").endswith("Mixin"):
        # Mixins outside the data (OpenLineage, resumable jobs) take no constructor arguments
        # in the providers read; the keywords go on to the operator base after them.
        outside = _next_outside(home, chosen, outside)
    if not names and outside is None:
        return None  # not in the chosen release (or no `__init__` anywhere in the data)
    if outside is None:
        return names
    base = outside.rsplit(".", 1)[-1]
    if base == "BaseSensorOperator":
        return names | base_sensor_kwargs(line) | BASE_OPERATOR_KWARGS[line]
    if base != "BaseOperator":
        return None
    return names | BASE_OPERATOR_KWARGS[line]


@cache
def base_sensor_kwargs(line: str) -> frozenset[str]:
    """BaseSensorOperator's own arguments on the target line (generated from the tox envs)."""
    return frozenset(json.loads(_SENSOR_DATA.read_text())["kwargs"][line])


def _next_outside(home: str, chosen: _providers.Releases, after: str) -> Optional[str]:
    """The next base outside the data in the class's chain after `after` (depth first)."""
    seen: set[str] = set()
    todo = [home]
    passed = False
    while todo:
        name = todo.pop(0)
        if name in seen:
            continue
        seen.add(name)
        dist = _providers.dist_of(name)
        version = chosen.version(dist) if dist else None
        found = _providers.state(name, version) if version else None
        if found is None or found.get("k") != "class":
            if passed:
                return name
            passed = name == after
            continue
        todo[0:0] = found.get("b", [])
    return None


def required_on_target(home: str, ctx: FileContext) -> tuple[str, ...]:
    """Keyword-only parameters without a default in the class's own `__init__`."""
    signature = _providers.signature(home, chosen_releases(ctx))
    if signature is None:
        return ()
    return tuple(p for p in signature.params if not p.startswith("*") and not p.endswith("="))


@cache  # asked for every parameter of every call of a removed class: the data never changes
def renamed_in_history(home: str, old: str) -> Optional[str]:
    """The parameter some release of the class's provider said `old` was replaced by."""
    dist = _providers.dist_of(home)
    if dist is None:
        return None
    for release in reversed(_providers.releases(dist)):
        found = _providers.state(home, release)
        new = (found or {}).get("dp", {}).get(old)
        if new:
            return new
    return None
