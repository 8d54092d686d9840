#!/usr/bin/env python3
"""Generate codemods/_generated/operator_replacements.json: removed operators whose replacement has
another shape, with the argument mapping the provider's own deprecated class applied.

    python scripts/gen_operator_replacements.py            # (re)write the table
    python scripts/gen_operator_replacements.py --check    # exit 1 with a diff if it drifted

What is read (with `ast`, nothing imported):
* which classes: every provider class of the provider-release data (codemods/_generated/providers/,
  scripts/gen_provider_history.py) that is deprecated, subclasses the generic operator that
  replaces it (no pure rename: no "to"), and is gone from the provider's newest release read;
* from the wheel of the LAST release holding it (.cache/wheels, `pip download` when missing): its
  `__init__`, turned into a mapping by scripts/replacement_reader.py (renamed arguments and their
  defaults, `hook_params` keys, arguments it does not map);
* from the wheel of the newest release of the replacement's provider: the replacement's
  parameters with their defaults, `template_fields` and `template_ext` (along its bases);
* from Airflow 1.10.15 (the af110 tox env): each 1.10 class that codemods/_generated/tables.py maps to
  that provider class on target 2.0 - its parameters with defaults, `template_fields`,
  `template_ext`, and whether `execute` returns a value (then pushed to XCom).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Optional

from _generator import generator_main, site_packages

sys.path.insert(0, str(Path(__file__).resolve().parent))
import replacement_reader as reader  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "codemods" / "_generated" / "operator_replacements.json"
PROVIDER_DATA = REPO / "codemods" / "_generated" / "providers"
WHEELS = REPO / ".cache" / "wheels"
sys.path.insert(0, str(REPO))


# ----- the provider-release data (format: codemods/_providers.py) -----


def provider_histories() -> dict[str, dict]:
    if not PROVIDER_DATA.is_dir():
        raise SystemExit(f"{PROVIDER_DATA} missing: run scripts/gen_provider_history.py first")
    histories = {}
    for path in sorted(PROVIDER_DATA.glob("*.json")):
        if path.name.startswith("_"):
            continue
        data = json.loads(path.read_text())
        histories[data["dist"]] = data
    return histories


def _last_state(runs: list) -> tuple[int, dict]:
    last = max(runs, key=lambda run: run[1])
    return last[1], last[2]


def removed_deprecated_classes(histories: dict[str, dict]) -> list[tuple[str, str, str, str]]:
    """(dist, last release holding it, first release read without it, qualified name)."""
    found = []
    for dist, data in histories.items():
        releases = data["releases"]
        newest = len(releases) - 1
        for name, runs in data["names"].items():
            last, state = _last_state(runs)
            if last == newest or state.get("k") != "class" or "d" not in state or "to" in state:
                continue
            if not state.get("b"):
                continue
            found.append((dist, releases[last], releases[last + 1], name))
    return sorted(found, key=lambda item: item[3])


# ----- wheels -----


def wheel(dist: str, version: str) -> Path:
    stem = dist.replace("-", "_")
    path = WHEELS / f"{stem}-{version}-py3-none-any.whl"
    if not path.exists():
        WHEELS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "-q",
                "--no-deps",
                f"{dist}=={version}",
                "-d",
                str(WHEELS),
            ],
            check=True,
        )
    return path


def module_source(wheel_path: Path, module: str) -> Optional[bytes]:
    base = module.replace(".", "/")
    with zipfile.ZipFile(wheel_path) as zf:
        for candidate in (f"{base}.py", f"{base}/__init__.py"):
            if candidate in zf.namelist():
                return zf.read(candidate)
    return None


def find_class(tree: ast.Module, name: str) -> Optional[ast.ClassDef]:
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return node
    return None


def module_imports(tree: ast.Module) -> dict[str, str]:
    names = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


# ----- class facts along the bases found in the same module -----


def _strings(
    node: Optional[ast.expr], cls_by_name: dict[str, ast.ClassDef], attr: str
) -> Optional[list[str]]:
    if node is None:
        return None
    if isinstance(node, (ast.Tuple, ast.List)):
        values: list[str] = []
        for element in node.elts:
            if isinstance(element, ast.Constant) and isinstance(element.value, str):
                values.append(element.value)
            elif (
                isinstance(element, ast.Starred)
                and isinstance(element.value, ast.Attribute)
                and isinstance(element.value.value, ast.Name)
                and element.value.attr == attr
                and element.value.value.id in cls_by_name
            ):
                inherited = class_strings(cls_by_name[element.value.value.id], cls_by_name, attr)
                if inherited is None:
                    return None
                values.extend(inherited)
            else:
                return None
        return values
    return None


def class_strings(cls: ast.ClassDef, cls_by_name: dict[str, ast.ClassDef], attr: str) -> Optional[list[str]]:
    """`template_fields` / `template_ext` of the class, following bases defined in the same module."""
    own = reader.class_attribute(cls, attr)
    if own is not None:
        return _strings(own, cls_by_name, attr)
    for base in cls.bases:
        if isinstance(base, ast.Name) and base.id in cls_by_name:
            return class_strings(cls_by_name[base.id], cls_by_name, attr)
    return None


def chain_parameters(cls: ast.ClassDef, cls_by_name: dict[str, ast.ClassDef]) -> dict[str, Optional[str]]:
    """Parameters with literal defaults along `cls` and its bases in the same module (the
    nearest class wins), BaseOperator's own not included."""
    params: dict[str, Optional[str]] = {}
    current: Optional[ast.ClassDef] = cls
    while current is not None:
        init = reader.init_of(current)
        if init is not None:
            for name, default in reader.parameters(init).items():
                params.setdefault(name, default)
        bases = [b.id for b in current.bases if isinstance(b, ast.Name) and b.id in cls_by_name]
        current = cls_by_name[bases[0]] if bases else None
    return params


def class_facts(source: bytes, name: str) -> dict:
    tree = ast.parse(source)
    cls_by_name = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    cls = cls_by_name[name]
    return {
        "parameters": chain_parameters(cls, cls_by_name),
        "template_fields": class_strings(cls, cls_by_name, "template_fields") or [],
        "template_ext": class_strings(cls, cls_by_name, "template_ext") or [],
        "returns_value": reader.execute_returns_value(cls),
    }


# ----- 1.10 classes -----


def origins_1_10(provider_class: str, tox_dir: Path) -> dict[str, dict]:
    """1.10 names that the 2.0 tables map to `provider_class`, with the 1.10 class's facts."""
    from codemods._generated.tables import IMPORT_RENAMES

    site = site_packages("af110", tox_dir)
    found = {}
    for old, new in sorted(IMPORT_RENAMES["2.0"].items()):
        if new != provider_class:
            continue
        module, _, name = old.rpartition(".")
        path = site / (module.replace(".", "/") + ".py")
        if not path.exists():
            continue  # a plugin-style `airflow.operators.X` name: follows its real module
        source = path.read_bytes()
        if find_class(ast.parse(source), name) is None:
            continue  # re-exported, not defined here
        found[old] = class_facts(source, name)
    return found


# ----- the table -----


def collect(tox_dir: Path, histories: dict[str, dict]) -> tuple[dict, list[str]]:
    table = {}
    read = []
    for dist, last, first_without, qualified in removed_deprecated_classes(histories):
        module, _, name = qualified.rpartition(".")
        source = module_source(wheel(dist, last), module)
        if source is None:
            continue
        tree = ast.parse(source)
        cls = find_class(tree, name)
        if cls is None:
            continue
        mapping = reader.read_mapping(cls)
        if mapping is None or not (mapping["renamed"] or mapping["hook_params"]):
            continue  # no mapping of arguments (a pure rename is the provider data's "to")
        bases = [module_imports(tree).get(ast.unparse(b), f"{module}.{ast.unparse(b)}") for b in cls.bases]
        replacement = bases[0]
        replacement_dist = _dist_of(replacement, histories)
        if replacement_dist is None:
            continue
        newest = histories[replacement_dist]["releases"][-1]
        replacement_module, _, replacement_name = replacement.rpartition(".")
        replacement_source = module_source(wheel(replacement_dist, newest), replacement_module)
        if replacement_source is None:
            continue
        read.append(f"{dist} {last} (gone in {first_without})")
        table[qualified] = {
            "provider": f"{dist} {last}",
            "removed_in": f"{dist} {first_without}",
            "replacement": replacement,
            "replacement_release": f"{replacement_dist} {newest}",
            **mapping,
            "replacement_facts": class_facts(replacement_source, replacement_name),
            "origins": origins_1_10(qualified, tox_dir),
        }
    return table, read


def _dist_of(qualified: str, histories: dict[str, dict]) -> Optional[str]:
    """The distribution whose newest release read holds `qualified`."""
    for dist, data in histories.items():
        runs = data["names"].get(qualified)
        if runs and max(run[1] for run in runs) == len(data["releases"]) - 1:
            return dist
    return None


def render(table: dict, read: list[str]) -> str:
    document = {
        "generated_by": "scripts/gen_operator_replacements.py (do not edit; rerun it)",
        "read": read,
        "format": (
            "provider class -> provider: last release holding it; removed_in: first release read "
            "without it; replacement; renamed: {old argument: replacement argument}; defaults: {old "
            "argument: its literal default, passed on when a call omits it}; hook_params: [{when: "
            "'not-none' (each key when its argument is not None) | 'any' (all keys when any is truthy), "
            "keys: {hook_params key: old argument}}] (the call's own hook_params keys win); unmapped: "
            "old arguments the mapping does not cover; replacement_facts and origins (the 1.10 classes "
            "mapping to it): parameters {name: literal default, '' when required, null when computed}, "
            "template_fields, template_ext, returns_value (execute returns a value: pushed to XCom)"
        ),
        "replacements": table,
    }
    return json.dumps(document, indent=1, sort_keys=True) + "\n"


def main(argv: Optional[list[str]] = None) -> int:
    return generator_main(__doc__, OUTPUT, lambda tox: render(*collect(tox, provider_histories())), "gen_operator_replacements.py", argv)


if __name__ == "__main__":
    sys.exit(main())
