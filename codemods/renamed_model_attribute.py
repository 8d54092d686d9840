"""AU194: metadata-model columns renamed by Airflow's migrations (`DagModel.last_scheduler_run`), and removed ones.

Maintenance DAGs (db cleanup, broken-DAG reports) query Airflow's own tables. Airflow 2.0.2's
migration 0081 renamed `dag.last_scheduler_run` to `last_parsed_time` (the same column, renamed in
place), so `DagModel.last_scheduler_run` raises AttributeError at parse time from 2.0.2 on.

## Example
```python
from airflow.models import DagModel

AGE_CHECK = {"table": DagModel, "age_check_column": DagModel.last_scheduler_run}
```
Use instead:
```python
from airflow.models import DagModel

AGE_CHECK = {"table": DagModel, "age_check_column": DagModel.last_parsed_time}
```

Attributes a target's models no longer have at all (`TaskFail.execution_date`: Airflow 2.2 keyed
task rows on `run_id`) are reported on the line, from codemods/_generated/model_attributes.json
(scripts/gen_model_attributes.py reads airflow/models of 1.10.15 and of each target). The
access raises AttributeError when the file is parsed; inside a `try` whose `except` catches it
(maintenance DAGs guard each model so), the DAG still loads but silently loses what the block
built, e.g. its cleanup task for that model.

Bridge mode (`fix --bridge`) reads the column by the name the running Airflow's model has:
`getattr(DagModel, "last_parsed_time" if hasattr(DagModel, "last_parsed_time") else
"last_scheduler_run")` is 2.x's `DagModel.last_parsed_time` and 1.10.15's
`DagModel.last_scheduler_run` (the same column attribute on each side, no compat import
needed); `fix --close-bridge` turns it back into `DagModel.last_parsed_time`.

## Fix safety
Safe for a renamed column; the migration renames the column and keeps its data. No fix for a
removed attribute: what replaces it depends on what the DAG does with it.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Optional

from codemods._ast_nodes import of_type
from codemods._base import SAFE, Edit, Finding, Fix, Rule
from codemods._context import ast_dotted_name
from codemods._targets import format_target, table_key

DATA = Path(__file__).resolve().parent / "_generated" / "model_attributes.json"
_CATCHES_ATTRIBUTE_ERROR = frozenset({"Exception", "BaseException", "AttributeError"})


@cache
def _data() -> dict:
    return json.loads(DATA.read_text())


def removed_attributes(key: str) -> dict[str, frozenset[str]]:
    """Qualified model name (1.10 re-exports included) -> attributes the target's model lacks."""
    rows = {model: frozenset(names) for model, names in _data()["removed"][key].items()}
    for alias, model in _data()["aliases"].items():
        if model in rows:
            rows[alias] = rows[model]
    return rows


def _model_tokens() -> tuple[bytes, ...]:
    models = {m for rows in _data()["removed"].values() for m in rows} | set(_data()["aliases"])
    return tuple(sorted({m.rpartition(".")[2].encode() for m in models} | {b"last_scheduler_run"}))


_DAG_MODEL = frozenset({"airflow.models.DagModel", "airflow.models.dag.DagModel"})
# (model qualified names, old attribute) -> (new attribute, the migration that renamed it)
RENAMED = {
    (_DAG_MODEL, "last_scheduler_run"): ("last_parsed_time", "Airflow 2.0.2's migration 0081"),
}


class RenamedModelAttribute(Rule):
    code = "AU194"
    name = "renamed-model-attribute"
    summary = (
        "`DagModel.last_scheduler_run` -> `DagModel.last_parsed_time` (metadata columns renamed by a "
        "migration); report model attributes the target removed (`TaskFail.execution_date`)"
    )
    tokens = _model_tokens()
    fix = SAFE
    node_types = (ast.Attribute,)
    in_import_guards = True  # an attribute a model lacks raises in compat code too

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._removed = removed_attributes(table_key(ctx.target))
        self._names = frozenset(name for names in self._removed.values() for name in names)
        # try bodies whose except catches AttributeError, found at the first removed attribute
        self._guarded: Optional[list[tuple[int, int, int]]] = None
        if ctx.options.close_bridge:
            self.node_types = (ast.Attribute, ast.Call)  # the bridged reads, `getattr(...)`

    def check(self, node: ast.AST) -> Iterator[Finding]:
        if isinstance(node, ast.Call):
            yield from self._closed(node)
            return
        assert isinstance(node, ast.Attribute)
        if node.attr in self._names:
            removed = self._removed_attribute(node)
            if removed is not None:
                yield removed
                return
        for (models, old), (new, why) in RENAMED.items():
            if node.attr != old or self.ctx.imports.qualified_name(node.value) not in models:
                continue
            line = self.ctx.lines[(node.end_lineno or node.lineno) - 1]
            start = (node.end_col_offset or 0) - len(old)
            in_place = line[start : node.end_col_offset] == old.encode()
            message = f"`{old}` was renamed `{new}` by {why}: use `{new}`"
            if self.ctx.options.bridge:
                yield self._bridged(node, new, message)
                continue
            edit = Edit(node.end_lineno or node.lineno, start, start + len(old), new.encode())
            yield Finding(node, message, Fix.safe(edit) if in_place else None)

    def _bridged(self, node: ast.Attribute, new: str, message: str) -> Finding:
        """Bridge mode: `getattr(M, "new" if hasattr(M, "new") else "old")`, the attribute the
        running Airflow's model has (1.10.15 has only the old name, the target only the new)."""
        model = ast_dotted_name(node.value)
        if model is None or node.lineno != node.end_lineno or not isinstance(node.ctx, ast.Load):
            return Finding(node, message + "; bridge mode: rewrite by hand (1.10.15 has only the old name)")
        form = f'getattr({model}, "{new}" if hasattr({model}, "{new}") else "{node.attr}")'
        edit = Edit(node.lineno, node.col_offset, node.end_col_offset or 0, form.encode())
        return Finding(
            node,
            f"{message}; bridge mode reads `{new}` where the model has it, else `{node.attr}` (Airflow 1.10)",
            Fix.safe(edit, bridged=True),
        )

    def _closed(self, node: ast.Call) -> Iterator[Finding]:
        """Closing the bridge: `getattr(M, "new" if hasattr(M, "new") else "old")`, as bridge
        mode writes it, is `M.new`."""
        bridged = _bridged_read(node)
        if bridged is None or node.lineno != node.end_lineno:
            return
        model, new, old = bridged
        qualified = self.ctx.imports.qualified_name(node.args[0])
        if not any(
            qualified in models and old == renamed and new == into
            for (models, renamed), (into, _) in RENAMED.items()
        ):
            return
        yield Finding(
            node,
            f"closing the bridge: Airflow 1.10's `{old}` is gone, read `{model}.{new}`",
            Fix.safe(Edit(node.lineno, node.col_offset, node.end_col_offset or 0, f"{model}.{new}".encode())),
        )

    def _removed_attribute(self, node: ast.Attribute) -> Optional[Finding]:
        model = self.ctx.imports.qualified_name(node.value)
        if model is None or node.attr not in self._removed.get(model, ()):
            return None
        if any(node.attr == old and model in models for models, old in RENAMED):
            return None  # renamed, not removed: fixed above
        name = model.rpartition(".")[2]
        message = (
            f"`{name}.{node.attr}` is gone in Airflow {format_target(self.ctx.target)} (its `{name}` model "
            "has no such attribute): this raises AttributeError when the file is parsed"
        )
        if self._guarded is None:
            assert self.ctx.tree is not None
            self._guarded = _guarded_bodies(self.ctx.tree)
        handler = next((h for start, end, h in self._guarded if start <= node.lineno <= end), None)
        if handler is not None:
            message += (
                f"; the `except` at line {handler} hides it, so the DAG loads without what this block builds"
            )
        return Finding(node, message + ": rewrite it for the target's model")


def _bridged_read(node: ast.Call) -> Optional[tuple[str, str, str]]:
    """(model, new, old) of `getattr(model, "new" if hasattr(model, "new") else "old")`."""
    if (
        not (isinstance(node.func, ast.Name) and node.func.id == "getattr")
        or node.keywords
        or len(node.args) != 2
    ):
        return None
    model, choice = node.args
    dotted = ast_dotted_name(model)
    if dotted is None or not isinstance(choice, ast.IfExp):
        return None
    test, new, old = choice.test, choice.body, choice.orelse
    if not (
        isinstance(test, ast.Call)
        and isinstance(test.func, ast.Name)
        and test.func.id == "hasattr"
        and not test.keywords
        and len(test.args) == 2
        and ast_dotted_name(test.args[0]) == dotted
    ):
        return None
    strings = [test.args[1], new, old]
    if not all(isinstance(s, ast.Constant) and isinstance(s.value, str) for s in strings):
        return None
    if strings[0].value != new.value:  # type: ignore[attr-defined]
        return None
    return dotted, new.value, old.value  # type: ignore[attr-defined]


def _guarded_bodies(tree: ast.Module) -> list[tuple[int, int, int]]:
    """(first line, last line, except line) of `try` bodies an except catching AttributeError guards."""
    found = []
    for node in of_type(tree, ast.Try):  # the file's node list, made once (codemods/_ast_nodes.py)
        if not node.body:
            continue
        for handler in node.handlers:
            kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
            if handler.type is None or any(
                isinstance(kind, ast.Name) and kind.id in _CATCHES_ATTRIBUTE_ERROR for kind in kinds
            ):
                end = node.body[-1].end_lineno or node.body[-1].lineno
                found.append((node.body[0].lineno, end, handler.lineno))
                break
    return found
