#!/usr/bin/env python3
"""Generate codemods/_generated/model_attributes.json: attributes of Airflow's metadata models
(ORM classes with a `__tablename__`) that 1.10.15 had and a target Airflow line no longer has.

    python scripts/gen_model_attributes.py            # (re)write the table
    python scripts/gen_model_attributes.py --check    # exit 1 if the committed table drifted

Read with `ast` from the tox envs (nothing imported): airflow/models/*.py of af110 (1.10.15),
af20 (2.0.2), af2 (2.11.2) and af3 (3.3.2). A class's attributes are the names its body binds
(columns, relationships, synonyms, methods, properties), the `Class.name = ...` assignments of
its module, and those of its bases found the same way. A class whose bases are not all found
(other than SQLAlchemy's declarative `Base`, whose attributes every model keeps) is left out:
what it inherits is unknown. Maintenance DAGs query these models at parse time
(`TaskFail.execution_date`, dropped in 2.2 when task rows moved to `run_id`).
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path
from typing import Optional

from _generator import generator_main, site_packages

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "codemods" / "_generated" / "model_attributes.json"
OLD = "af110"
TARGETS = {"2.0": "af20", "2": "af2", "3": "af3"}
DECLARATIVE_BASES = frozenset({"Base"})


def _bound_names(body: list[ast.stmt]) -> set[str]:
    names: set[str] = set()
    for node in body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                for sub in ast.walk(target):
                    if isinstance(sub, ast.Name):
                        names.add(sub.id)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.If, ast.Try)):
            for part in (
                node.body,
                node.orelse,
                getattr(node, "finalbody", []),
                *[h.body for h in getattr(node, "handlers", [])],
            ):
                names |= _bound_names(part)
    return names


def read_models(root: Path) -> dict[str, dict]:
    """Qualified class name -> {"bases": [simple names], "attrs": set, "orm": bool} of one env."""
    classes: dict[str, dict] = {}
    for path in sorted((root / "airflow" / "models").glob("*.py")):
        module = "airflow.models." + path.stem if path.stem != "__init__" else "airflow.models"
        tree = ast.parse(path.read_bytes())
        local: dict[str, dict] = {}
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                attrs = _bound_names(node.body)
                bases = [b.id if isinstance(b, ast.Name) else ast.unparse(b) for b in node.bases]
                local[node.name] = {"bases": bases, "attrs": attrs, "orm": "__tablename__" in attrs}
        for node in tree.body:  # `TaskInstance.dag_model = relationship(...)` after the class
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                        if target.value.id in local:
                            local[target.value.id]["attrs"].add(target.attr)
        for name, info in local.items():
            classes[f"{module}.{name}"] = info
    return classes


def attributes(classes: dict[str, dict], qualified: str, seen: frozenset = frozenset()) -> Optional[set[str]]:
    """Every attribute of the class, or None when a base is unknown."""
    info = classes[qualified]
    found = set(info["attrs"])
    by_name = {q.rpartition(".")[2]: q for q in classes}
    for base in info["bases"]:
        if base in DECLARATIVE_BASES:
            continue
        home = by_name.get(base)
        if home is None or home in seen:
            return None
        inherited = attributes(classes, home, seen | {qualified})
        if inherited is None:
            return None
        found |= inherited
    return found


def exports(root: Path) -> dict[str, str]:
    """1.10's `airflow.models.X` re-exports: `airflow.models.TaskFail` -> `airflow.models.taskfail.TaskFail`."""
    tree = ast.parse((root / "airflow" / "models" / "__init__.py").read_bytes())
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("airflow.models."):
            for alias in node.names:
                found[f"airflow.models.{alias.asname or alias.name}"] = f"{node.module}.{alias.name}"
    return found


def render(tox_dir: Path) -> str:
    old_root = site_packages(OLD, tox_dir)
    old = read_models(old_root)
    removed: dict[str, dict[str, list[str]]] = {}
    for key, env in TARGETS.items():
        new = read_models(site_packages(env, tox_dir))
        rows = {}
        for qualified, info in sorted(old.items()):
            if not info["orm"] or qualified not in new:
                continue  # a class that moved or went is AU101's / AU102's
            before, after = attributes(old, qualified), attributes(new, qualified)
            if before is None or after is None:
                continue
            gone = sorted(name for name in before - after if not name.startswith("_"))
            if gone:
                rows[qualified] = gone
        removed[key] = rows
    wanted = {q for rows in removed.values() for q in rows}
    document = {
        "generated_by": "scripts/gen_model_attributes.py from airflow/models of the af110 / af20 / af2 / af3 envs; "
        "do not edit",
        "aliases": {k: v for k, v in sorted(exports(old_root).items()) if v in wanted},
        "removed": removed,
    }
    return json.dumps(document, indent=1, sort_keys=True) + "\n"


def main(argv: Optional[list[str]] = None) -> int:
    return generator_main(__doc__, OUTPUT, render, "gen_model_attributes.py", argv)


if __name__ == "__main__":
    sys.exit(main())
