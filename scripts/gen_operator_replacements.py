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

import argparse
import ast
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Optional

from _generator import add_arguments, site_packages, tox_dir, write_or_check

sys.path.insert(0, str(Path(__file__).resolve().parent))
import replacement_reader as reader  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "codemods" / "_generated" / "operator_replacements.json"
STRUCTURAL = REPO / "codemods" / "_generated" / "structural_replacements.json"
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


# ----- replacements taking one structure (codemods/removed_operator.py, AU163) -----


def _module_tree(wheel_path: Path, module: str) -> Optional[ast.Module]:
    source = module_source(wheel_path, module)
    return ast.parse(source) if source is not None else None


def collect_structural(tox_dir: Path, histories: dict[str, dict]) -> tuple[dict, list[str]]:
    """Removed classes whose last release turned their arguments into one structure of the
    replacement: a BigQuery job resource built by the hook's `run_query`
    (reader.read_job_configuration) or a key list (reader.read_key_list)."""
    table = {}
    read = []
    for dist, last, first_without, qualified in removed_deprecated_classes(histories):
        module, _, name = qualified.rpartition(".")
        found = _providers_replacement(qualified)
        if found is None:
            continue
        path = wheel(dist, last)
        tree = _module_tree(path, module)
        cls = find_class(tree, name) if tree else None
        if cls is None:
            continue
        imports = module_imports(tree)  # type: ignore[arg-type]
        shape = None
        key_list = reader.read_key_list(cls)
        if key_list is not None:
            shape = {"shape": "key_list", **key_list}
        else:
            made = [
                n.value.func.id
                for n in ast.walk(cls)
                if isinstance(n, ast.Assign)
                and isinstance(n.value, ast.Call)
                and isinstance(n.value.func, ast.Name)
                and n.value.func.id.endswith("Hook")
            ]
            hook_name = imports.get(made[0]) if made else None
            hook_tree = _module_tree(path, hook_name.rpartition(".")[0]) if hook_name else None
            hook = find_class(hook_tree, hook_name.rpartition(".")[2]) if hook_tree and hook_name else None
            mapping = reader.read_job_configuration(cls, hook, hook_tree) if hook and hook_tree else None
            if mapping is not None:
                shape = {"shape": "job_configuration", "hook": hook_name, **mapping}
        if shape is None:
            continue
        replacement = found
        replacement_dist = _dist_of(replacement, histories)
        if replacement_dist is None:
            continue
        newest = histories[replacement_dist]["releases"][-1]
        replacement_module, _, replacement_name = replacement.rpartition(".")
        replacement_source = module_source(wheel(replacement_dist, newest), replacement_module)
        if replacement_source is None:
            continue
        read.append(f"{dist} {last} (gone in {first_without}): {name}")
        facts = class_facts(replacement_source, replacement_name)
        if not facts["template_fields"]:
            facts["template_fields"] = called_template_fields(
                replacement_source, replacement_name, wheel(replacement_dist, newest)
            )
        origins = origins_1_10(qualified, tox_dir)
        for alias in _aliases(qualified):  # 1.10 names whose 2.0 home is a deprecated alias module
            origins.update(origins_1_10(alias, tox_dir))
        table[qualified] = {
            "provider": f"{dist} {last}",
            "removed_in": f"{dist} {first_without}",
            "replacement": replacement,
            "replacement_release": f"{replacement_dist} {newest}",
            "old_facts": class_facts(tree_source(path, module), name),
            **shape,
            "replacement_facts": facts,
            # a 1.10 subclass without a body of its own (airflow.operators.sensors' `class
            # S3PrefixSensor(S3PrefixSensorImp): pass`) is its base, which is read as well
            "origins": {k: v for k, v in sorted(origins.items()) if v["parameters"]},
        }
    return table, read


def _aliases(qualified: str) -> list[str]:
    """Provider names of the same class in a deprecated module that re-exports it
    (amazon 4.x `sensors.s3_prefix.S3PrefixSensor` -> `sensors.s3.S3PrefixSensor`)."""
    from codemods import _providers
    from codemods._generated.tables import IMPORT_RENAMES

    name = qualified.rpartition(".")[2]
    found = []
    for home in sorted(set(IMPORT_RENAMES["2.0"].values())):
        if home != qualified and home.rpartition(".")[2] == name:
            replacement = _providers.replacement(home)
            if replacement and replacement[0] == qualified:
                found.append(home)
    return found


def called_template_fields(source: bytes, name: str, wheel_path: Path) -> list[str]:
    """`template_fields = helper("a", "b")` (amazon's aws_template_fields): the call's strings
    and the strings of the tuples in the helper's own body (read from its module in the wheel)."""
    tree = ast.parse(source)
    cls = find_class(tree, name)
    value = reader.class_attribute(cls, "template_fields") if cls else None
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)):
        return []
    helper = module_imports(tree).get(value.func.id)
    helper_tree = _module_tree(wheel_path, helper.rpartition(".")[0]) if helper else None
    function = next(
        (
            n
            for n in (helper_tree.body if helper_tree else [])
            if isinstance(n, ast.FunctionDef) and n.name == value.func.id
        ),
        None,
    )
    if function is None or not all(isinstance(a, ast.Constant) for a in value.args):
        return []
    added = [
        e.value
        for n in ast.walk(function)
        if isinstance(n, (ast.Tuple, ast.Set))
        for e in n.elts
        if isinstance(e, ast.Constant) and isinstance(e.value, str)
    ]
    return list(dict.fromkeys([a.value for a in value.args] + added))  # type: ignore[attr-defined]


def tree_source(wheel_path: Path, module: str) -> bytes:
    source = module_source(wheel_path, module)
    assert source is not None
    return source


def _providers_replacement(qualified: str) -> Optional[str]:
    """The replacement the last release holding the class named (its deprecation)."""
    from codemods import _providers

    found = _providers.replacement(qualified)
    return found[0] if found and found[0] else None


def render_structural(table: dict, read: list[str]) -> str:
    document = {
        "generated_by": "scripts/gen_operator_replacements.py (do not edit; rerun it)",
        "read": read,
        "format": (
            "provider class -> provider: last release holding it; removed_in; replacement (the one its "
            "deprecation named); shape 'job_configuration': the class's execute built a hook "
            "(hook_arguments {hook parameter: operator parameter}) and called run_query "
            "(query_arguments {run_query parameter: operator parameter}; query_defaults: run_query's own "
            "defaults); preludes {run_query parameter: how run_query rewrote it first: or_hook X (value or "
            "the hook's X), list_or_empty, none_to_empty, falsy_hook X, wrap KEY ({KEY: value}), "
            "split_table {key: part of the split name}, unknown}; query: run_query's list of "
            "[parameter, configuration['query'] key, default: literal TEXT | itself | hook ATTR]; "
            "computed_defaults {key: [helper, the mark in the destination that makes it add one]}; "
            "with_destination {key: parameter} added when destinationTable is set; after: [parameter, "
            "configuration path] set when the parameter is truthy; connection_fields: hook attributes "
            "the connection's extras override. Shape 'key_list': into = [items] if a string else items, "
            "each ending with suffix (added when missing). old_facts / replacement_facts / origins (the "
            "1.10 classes): parameters, template_fields, template_ext, returns_value"
        ),
        "replacements": table,
    }
    return json.dumps(document, indent=1, sort_keys=True) + "\n"


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    tox = args.tox_dir or tox_dir()
    histories = provider_histories()
    outputs = {
        OUTPUT: render(*collect(tox, histories)),
        STRUCTURAL: render_structural(*collect_structural(tox, histories)),
    }
    return write_or_check(outputs, check=args.check, script="gen_operator_replacements.py")


if __name__ == "__main__":
    sys.exit(main())
