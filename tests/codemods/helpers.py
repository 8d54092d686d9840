"""pyupgrade/django-upgrade style checks: byte-exact, always through the real engine."""

from __future__ import annotations

import textwrap

from codemods._context import RunOptions
from codemods._targets import parse_target
from upgrade.engine import process_source
from upgrade.registry import select_rules


def run_fix(
    source: str, *, target: str = "2.0", select=None, unsafe: bool = False, fix: bool = True, **options
):
    """`options`: further RunOptions fields (bridge=True, close_bridge=True, ...)."""
    rules = select_rules(parse_target(target), select)
    data = textwrap.dedent(source).encode()
    return data, process_source(
        "dag.py", data, rules, RunOptions(parse_target(target), fix=fix, unsafe_fixes=unsafe, **options)
    )


def check_noop(source: str, *, target: str = "2.0", select=None, unsafe: bool = False, **options) -> None:
    data, result = run_fix(source, target=target, select=select, unsafe=unsafe, **options)
    assert result.error is None, result.error
    assert result.new_source is None, result.new_source.decode()
    assert not [d for d in result.diagnostics if d.applied]


def check_transformed(
    source: str, expected: str, *, target: str = "2.0", select=None, unsafe: bool = False, **options
):
    data, result = run_fix(source, target=target, select=select, unsafe=unsafe, **options)
    assert result.error is None, result.error
    assert result.new_source is not None, f"nothing changed; diagnostics: {result.diagnostics}"
    assert result.new_source.decode() == textwrap.dedent(expected)
    # idempotent: a second fix changes nothing
    _, again = run_fix(result.new_source.decode(), target=target, select=select, unsafe=unsafe, **options)
    assert again.new_source is None, again.new_source.decode()
    return result


def diagnostics(source: str, *, target: str = "2.0", select=None):
    _, result = run_fix(source, target=target, select=select, fix=False)
    assert result.error is None, result.error
    return result.diagnostics
