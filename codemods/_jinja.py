"""Find and rewrite deprecated task-context variables inside Jinja templates.

Jinja's own lexer gives every token with its text, so concatenating the token values gives
the template back and each token's offset is known exactly; Jinja's parser says which names
are variable loads (and which are assigned by `{% set %}` / `{% for %}` / macro parameters,
where a rewrite would be wrong). A rewrite replaces only the bytes of the variable's token:
the rest of the template stays byte-identical.

The replacement table follows Airflow 2.x `airflow/utils/context.py` (_DEPRECATION_REPLACEMENTS,
codemods/_generated/tables.py CONTEXT_REPLACEMENTS): the names were deprecated in 2.2 (AIP-39 data
intervals) and removed from the context in 3.0.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from codemods._base import NO_FIX, SAFE, UNSAFE

if TYPE_CHECKING:
    import jinja2

# Why the data-interval names are unsafe fixes: for a manually triggered run Airflow >=2.2 gives
# the data interval that ends before the trigger time, while 1.10 (and 2.x's own deprecated
# `next_execution_date`, which returns the logical date for a manual run) gave dates from the
# trigger time itself. Only scheduled runs get the same value.
_SCHEDULED = (
    "exact for scheduled runs only: for a manually triggered run Airflow >=2.2 gives the data interval "
    "that ends before the trigger time, where 1.10 used the trigger time itself"
)
_LOGICAL = "exact for every run: `logical_date` is `execution_date` renamed (Airflow 2.2)"


@dataclass(frozen=True)
class Replacement:
    expression: str | None  # Jinja expression replacing the variable; None = no automatic fix
    fix: str | None  # SAFE / UNSAFE / NO_FIX
    note: str  # for which runs the replacement renders what 1.10 rendered


# 1.10 context variable -> how to write it from Airflow 2.2 on. A safe fix renders what 1.10
# rendered for every run (ruff's meaning of safe): only `logical_date` is. The data-interval
# names are what Airflow's deprecation message suggests, but they differ for manually triggered
# runs, so they are unsafe fixes. `ds` and `macros` are not deprecated and `ds` is the logical
# (execution) date in every version, so ds-based dates are exact for all runs; they are still
# unsafe fixes because they change how the template reads.
REPLACEMENTS: dict[str, Replacement] = {
    "execution_date": Replacement("logical_date", SAFE, _LOGICAL),
    "next_execution_date": Replacement("data_interval_end", UNSAFE, _SCHEDULED),
    "next_ds": Replacement("data_interval_end | ds", UNSAFE, _SCHEDULED),
    "next_ds_nodash": Replacement("data_interval_end | ds_nodash", UNSAFE, _SCHEDULED),
    "prev_execution_date_success": Replacement(
        "prev_data_interval_start_success",
        UNSAFE,
        "exact only when the previous successful run was a scheduled run (a manual run's data interval "
        "does not start at its logical date)",
    ),
    "yesterday_ds": Replacement(
        "macros.ds_add(ds, -1)", UNSAFE, "exact for every run (ds is the logical date)"
    ),
    "tomorrow_ds": Replacement(
        "macros.ds_add(ds, 1)", UNSAFE, "exact for every run (ds is the logical date)"
    ),
    "yesterday_ds_nodash": Replacement(
        'macros.ds_add(ds, -1) | replace("-", "")', UNSAFE, "exact for every run (ds is the logical date)"
    ),
    "tomorrow_ds_nodash": Replacement(
        'macros.ds_add(ds, 1) | replace("-", "")', UNSAFE, "exact for every run (ds is the logical date)"
    ),
    "prev_ds": Replacement(
        None,
        NO_FIX,
        "1.10 gave the schedule tick before the run's; Airflow >=2.2 has no variable for it: for a scheduled "
        "run of a daily DAG it is `macros.ds_add(ds, -1)`, in general the previous data interval",
    ),
    "prev_ds_nodash": Replacement(
        None,
        NO_FIX,
        "1.10 gave the schedule tick before the run's; Airflow >=2.2 has no variable for it: for a scheduled "
        'run of a daily DAG it is `macros.ds_add(ds, -1) | replace("-", "")`',
    ),
    "prev_execution_date": Replacement(
        None,
        NO_FIX,
        "1.10 gave the schedule tick before the run's; Airflow >=2.2 has no variable for it (for a scheduled "
        "run of a fixed-interval DAG: data_interval_start minus one interval)",
    ),
    "conf": Replacement(
        None,
        NO_FIX,
        "the Airflow configuration is not part of the task context from 2.2 on: pass the value via params",
    ),
}
# `dag_run.execution_date` / `ti.execution_date` / `task_instance.execution_date`: the attribute
# was renamed `logical_date` in 2.2 and removed in 3.0; the value is the same for every run.
# A task instance's date is its dag run's: `ti.execution_date` -> `dag_run.logical_date`.
ATTRIBUTE = "dag_run.execution_date"
RUN_OBJECTS = frozenset({"dag_run", "ti", "task_instance"})
REPLACEMENTS[ATTRIBUTE] = Replacement(
    "logical_date", SAFE, "exact for every run: the attribute was renamed `logical_date` in Airflow 2.2"
)
DEPRECATED = frozenset(REPLACEMENTS) - {ATTRIBUTE}
# Cheap text test before lexing: a template mentions one of the names.
MENTION = re.compile(r"\b(" + "|".join(sorted(DEPRECATED, key=len, reverse=True)) + r")\b")


@dataclass(frozen=True)
class Use:
    name: str
    start: int  # offset of the variable's token in the template
    end: int
    replacement: str  # the text to put there (parenthesised when needed); "" if none


@dataclass
class TemplateScan:
    uses: list[Use]
    problem: str | None = None  # why no rewrite is possible (template does not parse, ...)
    unsure: frozenset = frozenset()  # names used in a way we do not rewrite (assigned, ...)
    # Bridges (`(logical_date if logical_date is defined else execution_date)`, see `bridged`):
    # each as the Use that closes it, the whole parenthesised span -> the plain replacement.
    bridges: list[Use] = field(default_factory=list)


def bridged(name: str, quote: str = '"') -> str | None:
    """Bridge mode: the Jinja expression that reads the 2.2+ variable where the context has it
    and the 1.10 one where not, e.g. `(logical_date if logical_date is defined else
    execution_date)`; `is defined` is false on 1.10 (jinja2.Undefined) and true on 2.2+. None
    when the replacement needs no bridge (macros.ds_add and ds exist on 1.10 too) or has none.
    `quote` is the Python literal's quote, which the expression must not contain."""
    expression = _BRIDGE_EXPRESSIONS.get(name, REPLACEMENTS[name].expression)
    if not expression or name == ATTRIBUTE:
        return None
    first = _LEADING_NAME.match(expression)
    if first is None or first.group(0) in _ON_1_10:
        return None
    if quote in expression:
        expression = expression.replace(quote, "'" if quote == '"' else '"')
    inner = f"({expression})" if "|" in expression else expression  # a filter binds looser than `.`
    return f"({inner} if {first.group(0)} is defined else {name})"


# Jinja resolves filters when it compiles the template, on both sides of a conditional: 1.10
# has no `ds` filter (Airflow 2.2 added it, `value.strftime("%Y-%m-%d")`), so a bridge spells
# it with the datetime API both sides have (no `%`, which a literal later %-formatted would eat).
_BRIDGE_EXPRESSIONS = {
    "next_ds": "data_interval_end.date().isoformat()",
    "next_ds_nodash": 'data_interval_end.date().isoformat() | replace("-", "")',
}
_LEADING_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ON_1_10 = frozenset({"macros", "ds", "ds_nodash", "ts", "dag_run", "ti", "task_instance", "params"})


def _environment() -> jinja2.Environment:
    # keep_trailing_newline: the lexer must give back every character of the template.
    import jinja2  # here: a file with no template, and a cached check, never load Jinja

    return jinja2.Environment(keep_trailing_newline=True)


def mentions_deprecated(text: str) -> bool:
    return ("{{" in text or "{%" in text) and MENTION.search(text) is not None


def scan_template(text: str, quote: str = '"') -> TemplateScan:
    """The deprecated variables a template reads, with their exact offsets and replacements.

    `quote` is the quote character that must not appear in replacement text (the Python
    literal's own quote), so the edited literal needs no new escapes.
    """
    import jinja2
    from jinja2 import nodes

    if "\r" in text:
        return TemplateScan([], problem="template contains carriage returns")
    env = _environment()
    try:
        tree = env.parse(text)
        tokens = list(env.lex(text))
    except jinja2.TemplateSyntaxError as exc:
        return TemplateScan([], problem=f"not a valid Jinja template ({exc.message})")
    if "".join(value for _, _, value in tokens) != text:
        return TemplateScan([], problem="Jinja's lexer does not give the template back unchanged")

    loads: dict[str, int] = {}
    unsure: set[str] = set()
    for name in tree.find_all(nodes.Name):
        if name.name in DEPRECATED:
            if name.ctx == "load":
                loads[name.name] = loads.get(name.name, 0) + 1
            else:
                unsure.add(name.name)  # set/for/macro parameter: a local of the template, not the context's

    significant = [i for i, (_, kind, _) in enumerate(tokens) if kind != "whitespace"]
    offsets = []
    position = 0
    for _, _, value in tokens:
        offsets.append(position)
        position += len(value)

    found: dict[str, list[Use]] = {}
    bridges: list[Use] = []
    in_bridge: dict[str, int] = {}  # name -> loads that are the 1.10 side of a bridge
    for rank, index in enumerate(significant):
        _, kind, value = tokens[index]
        if kind != "name" or value not in DEPRECATED:
            continue
        before = tokens[significant[rank - 1]] if rank > 0 else None
        after = tokens[significant[rank + 1]] if rank + 1 < len(significant) else None
        if before is not None and before[1] == "name" and before[2] == "else":
            # `(X if Y is defined else execution_date)`: compat code, written for both sides
            in_bridge[value] = in_bridge.get(value, 0) + 1
            closing = _bridge_span(text, tokens, significant, offsets, rank, quote)
            if closing is not None:
                bridges.append(closing)
            continue
        if before is not None and before[2] == "." and value == "execution_date" and rank >= 2:
            owner = tokens[significant[rank - 2]]
            if owner[1] == "name" and owner[2] in RUN_OBJECTS:
                end = offsets[index] + len(value)
                if owner[2] == "dag_run":
                    start, new = offsets[index], "logical_date"
                else:
                    # Airflow 3's RuntimeTaskInstance has no logical_date: go through the dag run.
                    start, new = offsets[significant[rank - 2]], "dag_run.logical_date"
                found.setdefault(ATTRIBUTE, []).append(Use(ATTRIBUTE, start, end, new))
                continue
        if before is not None and (before[2] in (".", "|") or (before[1] == "name" and before[2] == "is")):
            continue  # attribute (`dag_run.execution_date`), filter or test name
        if after is not None and after[1] == "operator" and after[2] == "=":
            continue  # keyword argument name or assignment target
        expression = _expression(value, before, after, quote)
        start = offsets[index]
        found.setdefault(value, []).append(Use(value, start, start + len(value), expression))

    uses: list[Use] = []
    for name, name_uses in found.items():
        if name == ATTRIBUTE:
            uses.extend(name_uses)  # an attribute, not a variable: no parser count to agree with
            continue
        if name in unsure or len(name_uses) + in_bridge.get(name, 0) != loads.get(name, 0):
            unsure.add(name)  # token and parser disagree: do not guess
            continue
        uses.extend(name_uses)
    for name in loads:
        if name not in found and in_bridge.get(name, 0) != loads[name]:
            unsure.add(name)
    return TemplateScan(sorted(uses, key=lambda u: u.start), unsure=frozenset(unsure), bridges=bridges)


def _expression(name: str, before, after, quote: str) -> str:
    """The replacement of `name` between the tokens `before` and `after` ("" if none)."""
    expression = REPLACEMENTS[name].expression or ""
    if quote in expression:
        other = "'" if quote == '"' else '"'
        expression = expression.replace(quote, other)
    if expression and not expression.isidentifier():
        standalone = (
            before is not None
            and before[1] in ("variable_begin", "block_begin")
            and after is not None
            and (after[1] in ("variable_end", "block_end") or after[2] == "|")
        )
        if not standalone and "|" in expression:
            expression = f"({expression})"
    return expression


def _bridge_span(text: str, tokens, significant, offsets, rank: int, quote: str) -> Use | None:
    """The bridge whose 1.10 side is the name at `rank`, as the Use closing it (the whole
    parenthesised expression -> the plain replacement), if it is exactly what `bridged` writes."""
    name = tokens[significant[rank]][2]
    if rank < 7 or rank + 1 >= len(significant):
        return None
    head = rank - 6  # the `(` of `(NEW if FIRST is defined else OLD)` is before NEW, NEW before `if`
    if [tokens[significant[rank - k]][2] for k in (5, 3, 2)] != ["if", "is", "defined"]:
        return None
    if tokens[significant[rank + 1]][2] != ")":
        return None
    depth = 0
    while head >= 0:  # back over NEW to the bridge's own `(`
        value = tokens[significant[head]][2]
        depth += {")": 1, "(": -1}.get(value, 0) if tokens[significant[head]][1] == "operator" else 0
        if depth < 0:
            break
        head -= 1
    if head < 0:
        return None
    start = offsets[significant[head]]
    end = offsets[significant[rank + 1]] + 1
    if text[start:end] != bridged(name, quote):
        return None
    before = tokens[significant[head - 1]] if head > 0 else None
    after = tokens[significant[rank + 2]] if rank + 2 < len(significant) else None
    return Use(name, start, end, _expression(name, before, after, quote))


def apply_uses(text: str, uses: list[Use]) -> str:
    out = []
    position = 0
    for use in sorted(uses, key=lambda u: u.start):
        out.append(text[position : use.start])
        out.append(use.replacement)
        position = use.end
    out.append(text[position:])
    return "".join(out)


def rewrite_literal(
    head: str, body: str, tail: str, old_value: str, new_value: str, uses: list[Use]
) -> str | None:
    """The edited Python literal `head + body' + tail` for `new_value`, or None if not exactly writable.

    `body` is the literal's source between its quotes; `old_value` what it evaluates to. The
    names sit in the body as they do in the value (identifiers are never escaped), so the k-th
    occurrence of a name in the value is the k-th in the body when both count the same; the
    result is checked by evaluating it.
    """
    if body == old_value:
        new_body = apply_uses(body, uses)
    else:
        edits = []
        for use in uses:
            word = old_value[use.start : use.end]
            in_value = occurrences(old_value, word)
            in_body = occurrences(body, word)
            if len(in_value) != len(in_body):
                return None
            k = in_value.index(use.start)
            edits.append(Use(use.name, in_body[k], in_body[k] + len(word), use.replacement))
        new_body = apply_uses(body, edits)
    new_literal = head + new_body + tail
    try:
        if ast.literal_eval(new_literal) != new_value:
            return None
    except (ValueError, SyntaxError):
        return None
    return new_literal


def occurrences(text: str, word: str) -> list[int]:
    """Where `word` starts in `text`, left to right, not overlapping."""
    found = []
    index = text.find(word)
    while index != -1:
        found.append(index)
        index = text.find(word, index + len(word))
    return found
