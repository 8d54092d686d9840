"""AU204: a Jinja template cut across implicitly concatenated string literals names a
deprecated context variable that no single literal holds (`"{{ execution_" "date }}"`).

Python joins the literals before Airflow renders the template, so Jinja sees
`{{ execution_date }}`; AU201 rewrites a variable inside one literal only, and this one is in
none. Found on CPython's ast, where the joined value and the literals' source text are both at
hand.

## Why
Airflow 2.2 (AIP-39) deprecated `execution_date`, `next_ds`, `prev_ds`, ... and Airflow 3.0
removed them from the task context: the template fails to render there.

## Example
```python target=2.2
from airflow.operators.bash import BashOperator

run = BashOperator(task_id="run", bash_command="run.sh {{ execution_" "date }}", dag=dag)
```
Use instead:
```python
from airflow.operators.bash import BashOperator

run = BashOperator(task_id="run", bash_command="run.sh {{ logical_date }}", dag=dag)
```

## Fix safety
No automatic fix: where to cut the joined literals again is the author's layout; once the
strings are joined, AU201 rewrites the variable.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Iterator

from codemods._base import NO_FIX, Finding, Rule
from codemods._jinja import MENTION, mentions_deprecated

# A plain (or raw) string literal's source starts with its quote; f-strings are AU201's.
_PLAIN_LITERAL = re.compile(rb"^[rRuU]?['\"]")


def split_names(value: str, source: bytes) -> list[str]:
    """Deprecated variables of the joined template that the literals' source text does not spell."""
    if not mentions_deprecated(value):
        return []
    missing = Counter(MENTION.findall(value))
    missing.subtract(Counter(MENTION.findall(source.decode("utf-8", "replace"))))
    return sorted(name for name, count in missing.items() if count > 0)


class SplitTemplate(Rule):
    code = "AU204"
    name = "split-template"
    summary = "Report deprecated template variables cut across implicitly concatenated strings"
    tokens = (b"{{",)
    fix = NO_FIX
    min_target = (2, 2)
    node_types = (ast.Constant,)
    in_import_guards = True  # a template renders the same in compat code

    def check(self, node: ast.Constant) -> Iterator[Finding]:
        if not isinstance(node.value, str) or "{{" not in node.value or node.end_lineno is None:
            return
        source = self._source(node)
        if source is None or not _PLAIN_LITERAL.match(source):
            return
        names = split_names(node.value, source)
        if names:
            yield Finding(
                node,
                f"template cut across implicitly concatenated strings uses {', '.join(names)} (deprecated "
                "since Airflow 2.2, removed in 3.0): join the strings so AU201 can rewrite it",
            )

    def _source(self, node: ast.Constant) -> bytes | None:
        lines = self.ctx.lines[node.lineno - 1 : node.end_lineno]
        if not lines:
            return None
        if len(lines) == 1:
            return lines[0][node.col_offset : node.end_col_offset]
        return b"".join([lines[0][node.col_offset :], *lines[1:-1], lines[-1][: node.end_col_offset]])
